//! `tqscore score REFERENCE CANDIDATE`: align and score two versions of one article.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde_json::Value;

use super::gate::{finish, GateFlags, Table};
use super::output::refuse_input_as_output;
use super::Global;
use crate::article::{score_article, ArticleOptions};
use crate::error::{Error, Result};
use crate::gate::RUN_REPORT;
use crate::input::{read_text, Source};
use crate::names::Aliases;
use crate::normalize::Normalization;
use crate::report::{ArticleReport, Exporter, JsonExporter, MarkdownExporter, TextExporter};
use crate::tokenize::{looks_cjk, TokenizerKind};

pub(super) const AFTER_HELP: &str = "\
What it does: both articles are normalised (UTF-8, BOM and CRLF removed, Unicode NFC, curly quotes
folded unless --no-fold), split into sentences (paragraph breaks always end a sentence), and the
candidate's sentences are aligned to the reference's (1-1, merges and splits up to 3, boilerplate
and additions left unaligned). Each aligned pair gets sentence BLEU and chrF; the document gets
corpus BLEU and chrF over the whole reference (the pairs, plus omitted sentences against nothing
and additions inside the body against nothing: dropping text cannot raise it) and, labelled
`aligned pairs only`, over the pairs alone; bootstrap confidence intervals and summary statistics.

Examples:
  tqscore score reference.txt candidate.txt
  tqscore score reference.txt candidate.txt --all
  tqscore score reference.txt candidate.txt --format json -o report.json
  tqscore score reference.txt candidate.txt --gate thresholds.json
  tqscore score reference.zh.txt candidate.zh.txt -l en-zh      # Chinese: BLEU with tok:zh
  cat candidate.txt | tqscore score reference.txt -";

/// Output format of the article report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A one-screen report for people.
    Text,
    /// The full JSON report (schema: docs/report-schema.json).
    Json,
    /// Markdown tables (for pull requests and CI summaries).
    Markdown,
}

/// Options of `tqscore score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The trusted rendering of the article (`-` for standard input).
    reference: String,

    /// The machine translation to score (`-` for standard input).
    candidate: String,

    /// Output format on standard output.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    /// Also write the JSON report to FILE.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Show every aligned pair instead of the weakest five.
    #[arg(long)]
    all: bool,

    /// Keep curly quotes and apostrophes as they are (default: fold them to ' and ").
    #[arg(long)]
    no_fold: bool,

    /// Bootstrap replicates for the 95% confidence intervals (0 to skip).
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = super::resamples)]
    bootstrap: usize,

    /// Seed of the bootstrap (results are reproducible for a given seed).
    #[arg(long, default_value_t = crate::stats::DEFAULT_SEED, value_name = "N")]
    seed: u64,

    /// Worker threads (0: one per core). Results are identical for any value.
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,

    /// Extra name aliases: a JSON object like {"Kyiv": ["Kiev"]} (canonical name -> accepted forms).
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,

    #[command(flatten)]
    tokenize: super::TokenizeFlags,

    #[command(flatten)]
    gate: GateFlags,
}

impl ScoreArgs {
    /// The files the run reads, each with its role, which `-o` may not name.
    fn inputs(&self) -> Vec<(&'static str, &Path)> {
        let articles = [("reference", &self.reference), ("candidate", &self.candidate)];
        let mut inputs: Vec<(&'static str, &Path)> =
            articles.into_iter().filter(|(_, a)| *a != "-").map(|(role, a)| (role, Path::new(a.as_str()))).collect();
        inputs.extend(self.aliases.as_deref().map(|a| ("aliases file", a)));
        inputs.extend(self.gate.inputs());
        inputs
    }
}

/// Read, score and render; returns the report for gating.
pub(super) fn build_report(args: &ScoreArgs, global: Global) -> Result<ArticleReport> {
    let reference = Source::parse(&args.reference);
    let candidate = Source::parse(&args.candidate);
    if reference == Source::Stdin && candidate == Source::Stdin {
        return Err(Error::Usage(
            "standard input ('-') can be used for one article only\n  hint: save the other article to a file and pass its path"
                .into(),
        ));
    }
    let reference = read_text(&reference)?;
    let candidate = read_text(&candidate)?;
    for text in [&reference, &candidate] {
        if text.had_bom {
            global.note(&format!("{}: removed a UTF-8 byte-order mark", text.name));
        }
    }
    let mut aliases = Aliases::builtin();
    if let Some(path) = &args.aliases {
        let (name, text) = super::gate::read(path)?;
        aliases.extend_from_json(&name, &text)?;
    }
    let options = ArticleOptions {
        aliases,
        normalization: Normalization { fold_quotes: !args.no_fold },
        bootstrap: args.bootstrap,
        seed: args.seed,
        threads: args.threads,
        tokenizer: args.tokenize.resolve()?,
        ..ArticleOptions::default()
    };
    if options.tokenizer == TokenizerKind::Mteval13a {
        if let Some(text) = [&reference, &candidate].into_iter().find(|t| looks_cjk(&t.text)) {
            global.warn(&format!(
                "{} looks like Chinese, Japanese or Korean text, but BLEU tokenizes with 13a, which splits \
                 only at spaces and punctuation\n  hint: pass -l SRC-zh (or --tokenize zh) for Chinese, \
                 --tokenize char for Japanese or Korean; name fidelity only covers Latin-script targets",
                text.name
            ));
        }
    }
    let report = score_article(&reference, &candidate, &options)?;
    warn_about_coverage(&report, global);
    Ok(report)
}

/// Below this share of reference sentences aligned, the scores say little and a warning says why.
const LOW_COVERAGE: f64 = 0.5;

/// Warn when few reference sentences found a counterpart: the candidate may be
/// another article, in another language, or only partly translated.
fn warn_about_coverage(report: &ArticleReport, global: Global) {
    let document = &report.document;
    if document.pairs == 0 {
        global.warn(&format!(
            "no candidate sentence of {} aligned with the reference {}, so every score is 0\n  hint: check \
             that the candidate translates this reference into the reference's language",
            report.inputs.candidate, report.inputs.reference
        ));
    } else if document.coverage < LOW_COVERAGE {
        global.warn(&format!(
            "only {:.1}% of the reference sentences aligned with the candidate ({} omitted)\n  hint: check \
             that the candidate renders the whole article (see `omitted` in the report)",
            document.coverage * 100.0,
            document.omitted
        ));
    }
}

/// Run `tqscore score`.
pub(super) fn run(args: &ScoreArgs, global: Global) -> Result<i32> {
    if let Some(output) = &args.output {
        refuse_input_as_output(output, &args.inputs())?;
    }
    let gate = args.gate.load()?;
    let mut report = build_report(args, global)?;
    let verdict = match &gate {
        Some(gate) => Some(gate.evaluate(&serde_json::to_value(&report).unwrap_or(Value::Null), RUN_REPORT)?),
        None => None,
    };
    report.gate = verdict.as_ref().map(|v| v.report.clone());
    let saved = args.output.as_ref().map(|_| JsonExporter.export(&report));
    let (rendered, table) = match args.format {
        ReportFormat::Json => (JsonExporter.export(&report), Table::Stderr),
        ReportFormat::Markdown => (MarkdownExporter { all: args.all }.export(&report), Table::Markdown),
        ReportFormat::Text => {
            (TextExporter { color: global.color, all: args.all, width: terminal_width() }.export(&report), Table::Text)
        }
    };
    finish(rendered, args.output.as_deref().zip(saved.as_deref()), verdict.as_ref(), table, global)
}

/// Width to wrap the text report to: `$COLUMNS` if set to 40..=1000, else 100.
fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|w| (40..=1000).contains(w)).unwrap_or(100)
}
