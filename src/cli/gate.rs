//! Quality gates on the command line: `tqscore gate REPORT THRESHOLDS`, and the
//! `--gate`, `--baseline` and `--github` flags of `score` and `corpus`. The logic
//! lives in [`crate::gate`]; this is reading files, placing the assertion table,
//! GitHub Actions output and the exit code.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::output::{save_atomically, settle, write_stderr, write_stdout, write_workflow_commands, STDOUT};
use super::Global;
use crate::error::{Error, Result, EXIT_OK};
use crate::gate::{parse_report, Gate, GateReport, Thresholds};
use crate::input::{decode_json, read_bounded};

pub(super) const AFTER_HELP: &str = "\
What it does: reads a JSON report saved earlier and checks it against a thresholds file, with the
same result as `--gate` on the run that produced it. A thresholds file maps dotted paths into the
report to rules; each bound is one assertion, and all are checked before the verdict:

  {
    \"document.bleu.score\": {\"min\": 25, \"max_drop\": 1.5},
    \"document.chrf.score\": {\"min\": 50},
    \"summary.bleu.p10\": {\"min\": 5, \"level\": \"warn\"},
    \"unaligned.candidate.length\": {\"max\": 8}
  }

Paths: object keys and array indices separated by dots; a final `length` is an array's length.
Reports of `tqscore corpus` have paths like `bleu.score` and `chrf.score`. Floats are compared
rounded to the decimals written in the bound (at least 2;
at least 4 for fractions in [0, 1], like coverage), exactly as printed. `max_drop` and
`max_rise` compare with --baseline. Guide and schema: docs/ci.md, docs/thresholds-schema.json.

Examples:
  tqscore score reference.txt candidate.txt --format json -o report.json
  tqscore gate report.json thresholds.json
  tqscore gate report.json thresholds.json --baseline main-report.json
  tqscore corpus -r ref.txt -c hyp.txt --format json > corpus.json
  tqscore gate corpus.json corpus-thresholds.json

Exit codes: 0 the gate passed (warnings allowed), 1 an error-level assertion failed,
2 a usage or input error (bad thresholds file, a path not in the report, ...).
Under GitHub Actions (GITHUB_ACTIONS=true, or --github) failures are also annotations and
a summary table is appended to $GITHUB_STEP_SUMMARY.";

/// `--gate`, `--baseline` and `--github`, as `score` and `corpus` take them.
#[derive(Debug, Args)]
#[command(next_help_heading = "Quality gate (see docs/ci.md)")]
pub struct GateFlags {
    /// Check the report against a thresholds file; exit 1 if an error-level assertion fails.
    #[arg(long = "gate", id = "thresholds", value_name = "THRESHOLDS")]
    thresholds: Option<PathBuf>,

    #[command(flatten)]
    options: GateOptions,
}

/// Options every gate takes: the baseline report and GitHub Actions output.
#[derive(Debug, Args)]
pub struct GateOptions {
    /// An earlier JSON report, which `max_drop` and `max_rise` rules compare with.
    #[arg(long, value_name = "REPORT", requires = "thresholds")]
    baseline: Option<PathBuf>,

    /// Print GitHub Actions annotations and append a summary to $GITHUB_STEP_SUMMARY
    /// (automatic when GITHUB_ACTIONS=true).
    #[arg(long, requires = "thresholds")]
    github: bool,
}

/// Output format of `tqscore gate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GateFormat {
    /// The assertion table and the verdict.
    Text,
    /// The gate object, as in a report's `gate` section (the table goes to standard error).
    Json,
    /// The assertion table in Markdown.
    Markdown,
}

/// Options of `tqscore gate`.
#[derive(Debug, Args)]
pub struct GateArgs {
    /// A JSON report saved earlier (`tqscore score --format json -o FILE`, `tqscore corpus --format json`).
    report: PathBuf,

    /// The thresholds file: report paths mapped to rules (schema: docs/thresholds-schema.json).
    thresholds: PathBuf,

    /// Output format on standard output.
    #[arg(short, long, value_enum, default_value_t = GateFormat::Text)]
    format: GateFormat,

    #[command(flatten)]
    options: GateOptions,
}

/// Read a JSON file's text (see [`decode_json`]), naming it as given.
pub(super) fn read(path: &Path) -> Result<(String, String)> {
    if path == Path::new("-") {
        let bytes = read_bounded("<stdin>", std::io::stdin().lock(), true)?;
        return Ok(("<stdin>".to_string(), decode_json("<stdin>", bytes)?));
    }
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io("read", &name, e))?;
    let bytes = read_bounded(&name, file, true)?;
    let text = decode_json(&name, bytes)?;
    Ok((name, text))
}

/// A gate ready to check a report: thresholds parsed and baseline read (so their
/// errors show before anything is scored), and whether to speak to GitHub.
pub(super) struct LoadedGate {
    gate: Gate,
    github: bool,
}

impl GateOptions {
    /// Read and check the thresholds file and the baseline; decide on GitHub output.
    fn load(&self, thresholds: &Path) -> Result<LoadedGate> {
        let (name, text) = read(thresholds)?;
        let thresholds = Thresholds::parse(&name, &text)?;
        let baseline = match &self.baseline {
            Some(path) => {
                let (name, text) = read(path)?;
                let report = parse_report(&name, &text)?;
                Some((name, report))
            }
            None => None,
        };
        let gate = Gate::new(thresholds, baseline.as_ref().map(|(name, report)| (name.as_str(), report)))?;
        let github = self.github || std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
        Ok(LoadedGate { gate, github })
    }
}

impl GateFlags {
    /// The gate asked for with `--gate`, if any, loaded before scoring.
    pub(super) fn load(&self) -> Result<Option<LoadedGate>> {
        self.thresholds.as_deref().map(|t| self.options.load(t)).transpose()
    }

    /// The files the gate reads, each with its role (for refusing them as outputs).
    pub(super) fn inputs(&self) -> impl Iterator<Item = (&'static str, &Path)> {
        let thresholds = self.thresholds.as_deref().map(|t| ("thresholds file", t));
        thresholds.into_iter().chain(self.options.baseline.as_deref().map(|b| ("baseline", b)))
    }
}

/// A gate's outcome and how to publish it.
pub(super) struct Verdict {
    /// The outcome (a report's `gate` section).
    pub(super) report: GateReport,
    github: bool,
}

impl LoadedGate {
    /// Check a report, given as its JSON; `name` says where it came from in messages.
    pub(super) fn evaluate(&self, report: &Value, name: &str) -> Result<Verdict> {
        Ok(Verdict { report: self.gate.evaluate(report, name)?, github: self.github })
    }
}

impl Verdict {
    /// The outcome as JSON, for a report's `gate` section.
    pub(super) fn json(&self) -> Value {
        serde_json::to_value(&self.report).unwrap_or(Value::Null)
    }
}

/// Where the assertion table goes, given what standard output carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    /// After a text report, on standard output.
    Text,
    /// After a Markdown report, on standard output.
    Markdown,
    /// On standard error, so that standard output stays one JSON document.
    Stderr,
}

/// A JSON report to save with `-o`: the path and the text.
pub(super) type SavedReport<'a> = Option<(&'a Path, &'a str)>;

/// Save the report (`-o`) and write a command's `output` with the gate's table
/// (if it was gated), publish the outcome to GitHub Actions when asked, and
/// return the exit code. Once a gate is evaluated, no output error changes its
/// verdict, and the annotations and step summary are written whatever happened
/// to standard output (see [`settle`]).
pub(super) fn finish(
    output: String,
    saved: SavedReport<'_>,
    verdict: Option<&Verdict>,
    table: Table,
    global: Global,
) -> Result<i32> {
    // `-o -`: the saved report is standard output (a gate's table goes to standard error).
    let (mut output, saved, table) = match saved {
        Some((path, text)) if path == Path::new(STDOUT) => (text.to_string(), None, Table::Stderr),
        _ => (output, saved, table),
    };
    let save = || saved.map_or(Ok(()), |(path, json)| save_atomically(path, json.as_bytes()));
    let Some(verdict) = verdict else {
        save()?;
        write_stdout(&output)?;
        return Ok(EXIT_OK);
    };
    let gate = &verdict.report;
    for warning in &gate.warnings {
        global.warn(warning);
    }
    let separate = |output: &mut String| {
        if !output.is_empty() {
            output.push('\n');
        }
    };
    match table {
        Table::Text => {
            separate(&mut output);
            output.push_str(&gate.to_terminal(global.color));
        }
        Table::Markdown => {
            separate(&mut output);
            output.push_str(&gate.to_markdown());
        }
        Table::Stderr => write_stderr(&gate.to_terminal(global.color && std::io::stderr().is_terminal())),
    }
    let errors: Vec<Error> = [save(), write_stdout(&output)].into_iter().filter_map(Result::err).collect();
    if verdict.github {
        write_workflow_commands(&gate.github_annotations());
        if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|s| !s.is_empty()) {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&summary)
                .and_then(|mut f| writeln!(f, "{}", gate.to_markdown()));
            if let Err(e) = appended {
                global.warn(&format!(
                    "cannot append the gate summary to {} ($GITHUB_STEP_SUMMARY): {e}",
                    Path::new(&summary).display()
                ));
            }
        }
    }
    Ok(settle(gate.exit_code(), &errors))
}

/// Run `tqscore gate`.
pub(super) fn run(args: &GateArgs, global: Global) -> Result<i32> {
    let stdin = Path::new("-");
    if args.report == stdin && (args.thresholds == stdin || args.options.baseline.as_deref() == Some(stdin)) {
        return Err(Error::Usage(
            "standard input ('-') can be read once only\n  hint: pass the report on standard input and the other \
             files by path"
                .into(),
        ));
    }
    let loaded = args.options.load(&args.thresholds)?;
    let (name, text) = read(&args.report)?;
    let report = parse_report(&name, &text)?;
    let verdict = loaded.evaluate(&report, &name)?;
    let (output, table) = match args.format {
        GateFormat::Text => (String::new(), Table::Text),
        GateFormat::Markdown => (String::new(), Table::Markdown),
        GateFormat::Json => {
            let mut json = serde_json::to_string_pretty(&verdict.report).unwrap_or_default();
            json.push('\n');
            (json, Table::Stderr)
        }
    };
    finish(output, None, Some(&verdict), table, global)
}
