//! `tqscore sacrebleu ARGS…` (or the binary run under the name `sacrebleu`):
//! sacreBLEU 2.6.0's own command line, printing what sacreBLEU prints on
//! standard output byte for byte (docs/sacrebleu-cli.md). Scoring is `corpus`'s
//! engine ([`super::corpus::score_systems`]); this module reads sacreBLEU's
//! arguments and writes sacreBLEU's layouts.

mod args;
mod pyjson;

use std::io::Read;
use std::sync::Arc;

use super::corpus::{score_systems, Reading, SignatureStyle, Statistics, System, TestFlags, View};
use super::output::{report_error, write_stderr, write_stdout};
use super::table::TableFormat;
use super::{ColorChoice, Global};
use crate::error::{Error, Result, EXIT_OK, EXIT_USAGE};
use crate::input::{BomPolicy, Source};
use crate::metrics::{Bleu, Chrf, Metric, Smoothing, Ter, SACREBLEU_VERSION};
use crate::significance::{Estimate, DEFAULT_RESAMPLES, DEFAULT_TRIALS};
use crate::tokenize::TokenizerKind;
use args::Parsed;
use pyjson::PyJson;

/// The exit code sacreBLEU gives for its own checks (length mismatch, options that
/// do not go together, a missing file).
const EXIT_SACREBLEU_ERROR: i32 = 1;

/// What `-h` prints: where to read more (the options are sacreBLEU's own).
const HELP: &str = "\
usage: sacrebleu [REFS ...] [-i INPUT ...] [options]

tqscore's sacreBLEU front end: sacreBLEU 2.6.0's command line, the same output on standard output,
computed by tqscore. Options are sacreBLEU's (run `sacrebleu -h` of sacreBLEU 2.6.0, or read
docs/sacrebleu-cli.md), apart from test sets (-t, --download, --list, --echo, --citation,
--origlang, --subset, --detail), which tqscore does not have.

Examples:
  sacrebleu ref.txt -i hyp.txt
  sacrebleu ref.txt -i hyp.txt -m bleu chrf ter -f text -w 2
  sacrebleu ref.txt -i base.txt sys1.txt sys2.txt --paired-bs
  cat hyp.txt | sacrebleu ref.txt -b
";

/// Options that need sacreBLEU's test sets.
const TEST_SET_OPTIONS: &[&str] =
    &["--test-set", "--download", "--list", "--echo", "--citation", "--origlang", "--subset", "--detail"];

/// Run sacreBLEU's command line (`args` without the program name); returns the exit code.
pub fn main(args: &[String]) -> i32 {
    let parsed = match args::parse(args) {
        Ok(parsed) => parsed,
        Err(message) => return usage_error(&message),
    };
    if parsed.has("--help") {
        return finish(write_stdout(HELP));
    }
    if parsed.has("--version") {
        let version = format!("sacrebleu {SACREBLEU_VERSION} (tqscore {})\n", env!("CARGO_PKG_VERSION"));
        return finish(write_stdout(&version));
    }
    if let Some(option) = TEST_SET_OPTIONS.iter().find(|o| parsed.has(o)) {
        return usage_error(&format!(
            "{option}: tqscore has no sacreBLEU test sets\n  hint: pass the reference files before -i (sacrebleu \
             REF.txt -i HYP.txt), e.g. those `sacrebleu -t TEST -l PAIR --echo ref` of sacreBLEU prints"
        ));
    }
    let global =
        Global { quiet: parsed.has("--quiet"), color: !parsed.has("--no-color") && ColorChoice::Auto.enabled() };
    match run(&parsed, global) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => usage_error(&message),
        Err(Failure::Sacrebleu(message)) => {
            write_stderr(&format!("sacreBLEU: {message}\n"));
            EXIT_SACREBLEU_ERROR
        }
        Err(Failure::Exit(code, message)) => {
            write_stderr(&format!("sacreBLEU: {message}\n"));
            code
        }
        Err(Failure::Tqscore(e)) => match report_error(&e) {
            EXIT_OK => EXIT_OK,
            _ if matches!(e, Error::Usage(_)) => EXIT_USAGE,
            _ => EXIT_SACREBLEU_ERROR,
        },
    }
}

/// Why a run stopped.
enum Failure {
    /// A bad command line: argparse's message, exit 2.
    Usage(String),
    /// One of sacreBLEU's own checks failed: its message, exit 1.
    Sacrebleu(String),
    /// A check with its own exit code (sacreBLEU's 17 for malformed tab-separated input).
    Exit(i32, String),
    /// tqscore's error (a file that cannot be read, ...).
    Tqscore(Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        match e {
            // sacreBLEU's message, then the line counts (tqscore's hint is about `corpus`).
            Error::LineCountMismatch { .. } => {
                let text = e.to_string();
                let counts: Vec<&str> = text.lines().skip(1).filter(|l| !l.trim_start().starts_with("hint:")).collect();
                Failure::Sacrebleu(format!(
                    "System and reference streams have different lengths.\n{}",
                    counts.join("\n")
                ))
            }
            e => Failure::Tqscore(e),
        }
    }
}

fn usage_error(message: &str) -> i32 {
    write_stderr(&format!(
        "usage: sacrebleu [REFS ...] [-i INPUT ...] [options]\nsacrebleu: error: {message}\n  \
         (tqscore's sacreBLEU front end; `sacrebleu -h` or docs/sacrebleu-cli.md lists what it accepts)\n"
    ));
    EXIT_USAGE
}

fn finish(written: Result<()>) -> i32 {
    match written {
        Ok(()) => EXIT_OK,
        Err(e) => report_error(&e),
    }
}

/// The output format, `SACREBLEU_FORMAT` winning over `-f` as in sacreBLEU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Text,
    Latex,
}

fn format(parsed: &Parsed) -> std::result::Result<Format, Failure> {
    let parse = |name: &str| match name {
        "json" => Some(Format::Json),
        "text" => Some(Format::Text),
        "latex" => Some(Format::Latex),
        _ => None,
    };
    let given = match parsed.value("--format") {
        None => Format::Json,
        Some(name) => parse(name).ok_or_else(|| {
            Failure::Usage(format!(
                "argument --format/-f: invalid choice: '{name}' (choose from 'json', 'text', 'latex')"
            ))
        })?,
    };
    Ok(std::env::var("SACREBLEU_FORMAT").ok().and_then(|v| parse(&v.to_lowercase())).unwrap_or(given))
}

/// The options of a run, checked.
struct Options {
    format: Format,
    width: usize,
    short: bool,
    score_only: bool,
    sentence_level: bool,
    paired: bool,
}

fn run(parsed: &Parsed, global: Global) -> std::result::Result<i32, Failure> {
    let usage = |m: String| Failure::Usage(m);
    let width: i64 = parsed.number("--width", 1).map_err(usage)?;
    let options = Options {
        format: format(parsed)?,
        width: usize::try_from(width)
            .ok()
            .filter(|w| *w <= 100)
            .ok_or_else(|| Failure::Usage(format!("argument --width/-w: {width} decimals: tqscore prints 0 to 100")))?,
        short: parsed.has("--short"),
        score_only: parsed.has("--score-only"),
        sentence_level: parsed.has("--sentence-level"),
        paired: parsed.has("--paired-bs") || parsed.has("--paired-ar"),
    };
    if parsed.has("--paired-bs") && parsed.has("--paired-ar") {
        return Err(usage("argument --paired-bs/-pbs: not allowed with argument --paired-ar/-par".into()));
    }
    if let Some(encoding) = parsed.value("--encoding") {
        if !matches!(encoding.to_lowercase().replace('_', "-").as_str(), "utf-8" | "utf8") {
            return Err(usage(format!("--encoding {encoding}: tqscore reads UTF-8 only (convert with iconv first)")));
        }
    }
    let mut names: Vec<String> = parsed.values("--metrics").map_or_else(|| vec!["bleu".into()], <[String]>::to_vec);
    if let Some(bad) = names.iter().find(|n| !["bleu", "chrf", "ter"].contains(&n.as_str())) {
        return Err(usage(format!(
            "argument --metrics/-m: invalid choice: '{bad}' (choose from 'bleu', 'chrf', 'ter')"
        )));
    }
    // A dict of metrics: the first mention keeps its place; outside paired tests sacreBLEU sorts them.
    let mut seen = Vec::new();
    names.retain(|n| {
        !seen.contains(n) && {
            seen.push(n.clone());
            true
        }
    });
    if !options.paired {
        names.sort();
    }
    if options.sentence_level && names.len() > 1 {
        return Err(Failure::Sacrebleu("Only one metric can be used in sentence-level mode.".into()));
    }
    let num_refs: usize = parsed.number("--num-refs", 1).map_err(usage)?;
    if num_refs != 1 && parsed.refs.len() > 1 {
        return Err(Failure::Sacrebleu(
            "The --num-refs argument allows you to provide any number of tab-delimited references in a single file.\n\
             sacreBLEU: You can only use it with externally provided references, however (i.e., not with `-t`),\n\
             sacreBLEU: and you cannot then provide multiple reference files."
                .into(),
        ));
    }
    if parsed.refs.is_empty() {
        return Err(Failure::Sacrebleu(
            "If manual references given, make sure to provide them before the -i/--input argument to avoid \
             confusion.\nsacreBLEU: Otherwise, I need a predefined test set (-t), which tqscore does not have."
                .into(),
        ));
    }
    let references = read_references(&parsed.refs, num_refs)?;
    let systems = systems(parsed.values("--input"), options.paired, global)?;
    if options.sentence_level {
        if systems.len() > 1 {
            return Err(Failure::Sacrebleu("Only one system can be evaluated in sentence-level mode.".into()));
        }
        if parsed.has("--confidence") || options.paired {
            return Err(Failure::Sacrebleu("Statistical tests are unavailable in sentence-level mode.".into()));
        }
    }
    if options.paired && systems.len() == 1 {
        return Err(Failure::Sacrebleu("Paired tests require multiple input systems given to --input (-i).".into()));
    }
    if systems.len() > 1 && parsed.has("--confidence") {
        return Err(Failure::Sacrebleu("Use paired tests (--paired) for multiple systems.".into()));
    }
    let metrics = build_metrics(parsed, &names, references.len(), options.sentence_level)?;
    let metric_refs: Vec<&dyn Metric> = metrics.iter().map(|m| m.as_ref()).collect();
    let tests = TestFlags {
        confidence: parsed.has("--confidence"),
        confidence_n: parsed.number("--confidence-n", DEFAULT_RESAMPLES).map_err(usage)?,
        paired_bs: parsed.has("--paired-bs"),
        paired_bs_n: parsed.number("--paired-bs-n", DEFAULT_RESAMPLES).map_err(usage)?,
        paired_ar: parsed.has("--paired-ar"),
        paired_ar_n: parsed.number("--paired-ar-n", DEFAULT_TRIALS).map_err(usage)?,
    };
    for n in [tests.confidence_n, tests.paired_bs_n, tests.paired_ar_n] {
        super::resamples(&n.to_string()).map_err(usage)?;
    }
    let statistics = tests.statistics(systems.len(), options.sentence_level)?;
    let reading = Reading {
        bom: BomPolicy::Keep,
        threads: 0,
        sentence_level: options.sentence_level,
        warn_tokenized: !parsed.has("--force") && names.iter().any(|n| n == "bleu"),
    };
    let (scored, estimates) = score_systems(&metric_refs, &systems, &references, &statistics, reading, global)?;
    let view = View {
        metrics: &metric_refs,
        systems: &scored,
        nrefs: references.len(),
        statistics: &statistics,
        estimates: &estimates,
        signatures: SignatureStyle { mark: false, short: options.short },
    };
    let text = if options.sentence_level {
        view.sentence_lines(options.width, options.score_only)
    } else if scored.len() == 1 {
        single_system(&view, &options, global.color)
    } else {
        match options.format {
            Format::Json => systems_json(&view, &options),
            Format::Text => view.table(options.width, global.color, TableFormat::Grid),
            Format::Latex => view.table(options.width, global.color, TableFormat::Latex),
        }
    };
    Ok(finish(write_stdout(&text)))
}

/// The reference streams: one per file, or `-nr N` tab-separated streams in one file.
fn read_references(files: &[String], num_refs: usize) -> std::result::Result<Vec<Source>, Failure> {
    if num_refs == 1 {
        return Ok(files.iter().map(|f| Source::File(f.into())).collect());
    }
    let source = Source::File(files[0].as_str().into());
    let text = read_all(&source)?;
    let mut streams = vec![String::new(); num_refs];
    for (number, line) in text.split_inclusive('\n').enumerate() {
        let line = crate::text::py_rstrip(line);
        // Python's `split('\t', maxsplit=-1)` for `-nr 0`: every field, never 0 of them.
        let fields: Vec<&str> =
            if num_refs == 0 { line.split('\t').collect() } else { line.splitn(num_refs, '\t').collect() };
        if fields.len() != num_refs {
            return Err(Failure::Exit(
                17,
                format!("FATAL: line {}: expected {num_refs} fields, but found {}.", number + 1, fields.len()),
            ));
        }
        for (stream, field) in streams.iter_mut().zip(fields) {
            stream.push_str(field);
            stream.push('\n');
        }
    }
    Ok(streams
        .into_iter()
        .enumerate()
        .map(|(i, s)| Source::Memory {
            name: format!("{} (field {})", files[0], i + 1),
            bytes: Arc::from(s.as_bytes()),
        })
        .collect())
}

fn read_all(source: &Source) -> std::result::Result<String, Failure> {
    let text = crate::input::read_text(source)?;
    Ok(text.text)
}

/// The systems: `-i` files (a repeated baseline dropped in a paired test, as sacreBLEU
/// does), or one system read from standard input.
fn systems(
    input: Option<&[String]>,
    paired: bool,
    global: Global,
) -> std::result::Result<Vec<(String, Source)>, Failure> {
    let Some(files) = input else {
        let mut bytes = Vec::new();
        std::io::stdin().read_to_end(&mut bytes).map_err(|e| Error::io("read", "<stdin>", e))?;
        if bytes.contains(&b'\t') {
            return Err(Failure::Usage(
                "standard input holds tab-separated systems, which tqscore's front end does not split\n  hint: \
                 save each system to a file and pass them with -i A.txt B.txt"
                    .into(),
            ));
        }
        return Ok(vec![("System 1".into(), Source::Memory { name: "<stdin>".into(), bytes: Arc::from(bytes) })]);
    };
    let mut systems: Vec<(String, Source)> = Vec::new();
    for name in files {
        if systems.iter().any(|(n, _)| n == name) {
            if paired && *name == systems[0].0 {
                if !global.quiet {
                    write_stderr(&format!("sacreBLEU: Ignoring '{name}' as it was also given as the baseline.\n"));
                }
                continue;
            }
            return Err(Failure::Sacrebleu(format!(
                "'{name}' already used to name a system.\nsacreBLEU: Make sure to have a different basename for \
                 each system."
            )));
        }
        systems.push((name.clone(), Source::File(name.into())));
    }
    Ok(systems)
}

/// The metrics named, configured from sacreBLEU's options.
fn build_metrics(
    parsed: &Parsed,
    names: &[String],
    nrefs: usize,
    sentence_level: bool,
) -> std::result::Result<Vec<Box<dyn Metric>>, Failure> {
    let usage = |m: String| Failure::Usage(m);
    let tokenizer = match (parsed.value("--tokenize"), parsed.value("--language-pair")) {
        (Some(name), _) => {
            name.parse::<TokenizerKind>().map_err(|e| usage(format!("argument --tokenize/-tok: {e}")))?
        }
        (None, Some(pair)) => {
            let target = pair.split('-').nth(1).unwrap_or(pair);
            TokenizerKind::for_language(target).map_err(|e| usage(format!("-l {pair}: {e}")))?
        }
        (None, None) => TokenizerKind::default(),
    };
    let method = parsed.value("--smooth-method").unwrap_or("exp");
    let value: Option<f64> =
        parsed.value("--smooth-value").map(|_| parsed.number("--smooth-value", 0.0)).transpose().map_err(usage)?;
    let smoothing = Smoothing::parse(method, value).map_err(usage)?;
    let in_range = |long: &str, default: u32, range: std::ops::RangeInclusive<u32>| {
        let n: u32 = parsed.number(long, default).map_err(usage)?;
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(usage(format!("{long} {n}: tqscore takes {} to {}", range.start(), range.end())))
        }
    };
    let chrf = Chrf {
        char_order: in_range("--chrf-char-order", 6, 1..=32)? as usize,
        word_order: in_range("--chrf-word-order", 0, 0..=32)? as usize,
        beta: in_range("--chrf-beta", 2, 1..=100)?,
        lowercase: parsed.has("--chrf-lowercase"),
        whitespace: parsed.has("--chrf-whitespace"),
        eps_smoothing: parsed.has("--chrf-eps-smoothing"),
    };
    Ok(names
        .iter()
        .map(|name| -> Box<dyn Metric> {
            match name.as_str() {
                "bleu" => Box::new(Bleu {
                    tokenizer,
                    lowercase: parsed.has("--lowercase"),
                    smoothing,
                    effective_order: sentence_level,
                    ..Bleu::default()
                }),
                "chrf" => Box::new(chrf.clone()),
                _ => Box::new(Ter {
                    case_sensitive: parsed.has("--ter-case-sensitive"),
                    no_punct: parsed.has("--ter-no-punct"),
                    normalized: parsed.has("--ter-normalized"),
                    asian_support: parsed.has("--ter-asian-support"),
                    references: nrefs,
                }),
            }
        })
        .collect())
}

/// One system: sacreBLEU's `print_single_results` (JSON objects, or text lines aligned on `=`).
fn single_system(view: &View<'_>, options: &Options, colour: bool) -> String {
    if options.format != Format::Json {
        return aligned(&view.score_lines(options.width, options.score_only, colour));
    }
    // JSON signatures are never short.
    let style = SignatureStyle { mark: false, short: false };
    let results: Vec<String> = (0..view.metrics.len())
        .map(|m| {
            let score = view.score(0, m);
            let interval = view.estimates.first().and_then(|e| e[m].mean.zip(e[m].ci));
            if options.score_only {
                return score.score_text(options.width, interval);
            }
            let sig = style.render(&score.signature, view.metrics[m].key());
            score_json(&score, &sig, options.width, interval).dumps(1, false)
        })
        .collect();
    match results.as_slice() {
        [one] => format!("{one}\n"),
        many => format!("[\n{}\n]\n", many.join(",\n")),
    }
}

/// Text lines right-aligned on their first `=` (lines without one first, unaligned),
/// as `print_single_results` prints several.
fn aligned(lines: &[String]) -> String {
    if let [one] = lines {
        return format!("{one}\n");
    }
    let lens: Vec<Option<usize>> = lines.iter().map(|l| l.chars().position(|c| c == '=').map(|i| i - 1)).collect();
    let mut out: String =
        lines.iter().zip(&lens).filter(|(_, len)| len.is_none()).map(|(l, _)| format!("{l}\n")).collect();
    let w = lens.iter().flatten().max().copied().unwrap_or(0);
    for (line, len) in lines.iter().zip(&lens) {
        if let Some(len) = len {
            let split = line.char_indices().nth(*len).map_or(line.len(), |(i, _)| i);
            let (left, right) = line.split_at(split);
            out.push_str(&format!("{left:>w$}{right}\n"));
        }
    }
    out
}

/// A Python float of `x` as `float(f"{x:.{width}f}")` makes it.
fn rounded(x: f64, width: usize) -> PyJson {
    PyJson::Float(format!("{x:.width$}").parse().unwrap_or(x))
}

/// `Score.format(..., is_json=True)`'s dict.
fn score_json(score: &crate::metrics::Score, sig: &str, width: usize, interval: Option<(f64, f64)>) -> PyJson {
    let mut d = vec![
        ("name".to_string(), PyJson::Str(score.name.clone())),
        ("score".to_string(), rounded(score.score, width)),
        ("signature".to_string(), PyJson::Str(sig.to_string())),
    ];
    if let Some((mean, ci)) = interval.filter(|(mean, _)| *mean > 0.0) {
        d.push(("confidence_mean".into(), rounded(mean, width)));
        d.push(("confidence_var".into(), rounded(ci, width)));
        d.push(("confidence".into(), PyJson::Str(format!("μ = {mean:.width$} ± {ci:.width$}"))));
    }
    if let crate::metrics::Details::Bleu(details) = &score.details {
        d.push(("verbose_score".into(), PyJson::Str(details.verbose())));
    }
    for pair in sig.split('|') {
        let (key, value) = pair.split_once(':').unwrap_or((pair, ""));
        match d.iter_mut().find(|(k, _)| k == key) {
            Some(entry) => entry.1 = PyJson::Str(value.into()),
            None => d.push((key.into(), PyJson::Str(value.into()))),
        }
    }
    PyJson::Object(d)
}

/// Several systems with `-f json`: sacreBLEU's list of `{"system": …, METRIC: …}`
/// (formatted strings, or the paired test's numbers).
fn systems_json(view: &View<'_>, options: &Options) -> String {
    let paired = matches!(view.statistics, Statistics::Paired(..));
    let list = view
        .systems
        .iter()
        .enumerate()
        .map(|(s, System { name, .. })| {
            let label = if paired && s == 0 { format!("Baseline: {name}") } else { name.clone() };
            let mut entry = vec![("system".to_string(), PyJson::Str(label))];
            for m in 0..view.metrics.len() {
                let score = view.score(s, m);
                let value = match view.estimates.get(s).map(|e| e[m]) {
                    Some(Estimate { score, mean, ci, p_value }) if paired => PyJson::Object(vec![
                        ("score".into(), PyJson::Float(score)),
                        ("p_value".into(), PyJson::float_or_null(p_value)),
                        ("mean".into(), PyJson::float_or_null(mean)),
                        ("ci".into(), PyJson::float_or_null(ci)),
                    ]),
                    _ => PyJson::Str(score.score_text(options.width, None)),
                };
                entry.push((score.name, value));
            }
            PyJson::Object(entry)
        })
        .collect();
    format!("{}\n", PyJson::List(list).dumps(4, true))
}
