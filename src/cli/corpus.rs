//! `tqscore corpus`: sacreBLEU-exact scores of line-aligned files.

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};

use super::gate::{finish, GateFlags, Table};
use super::Global;
use crate::corpus::{score_files, CorpusStats, RunOptions};
use crate::error::{Error, Result};
use crate::gate::RUN_REPORT;
use crate::input::{BomPolicy, Source};
use crate::metrics::{Bleu, Chrf, Metric, Smoothing, Ter};
use crate::tokenize::TokenizerKind;

pub(super) const AFTER_HELP: &str = "\
Reading: files are split on \\n only and each line loses trailing whitespace (so CRLF is fine),
exactly as `sacrebleu REF -i HYP` reads them. A UTF-8 BOM is kept as part of line 1, as sacreBLEU
does; pass --strip-bom to drop it. Unlike sacreBLEU, standard input (`-c -`) is read the same way.

Examples:
  tqscore corpus -r ref.txt -c hyp.txt
  tqscore corpus -r ref.txt -c hyp.txt --tokenize intl --lowercase -m bleu
  tqscore corpus -r ref.txt -c hyp.txt --sentence-level -m bleu --smooth floor
  tqscore corpus -r ref.txt -r ref2.txt -c hyp.txt -m bleu,chrf++,ter
  cat hyp.txt | tqscore corpus -r ref.txt -c - --format json
  tqscore corpus -r ref.txt -c hyp.txt --gate thresholds.json";

/// A metric name on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricName {
    /// BLEU (word n-grams 1-4, brevity penalty).
    Bleu,
    /// chrF (character n-grams 1-6, beta 2).
    Chrf,
    /// chrF++ (chrF plus word unigrams and bigrams).
    #[value(name = "chrf++")]
    ChrfPlusPlus,
    /// TER (translation edit rate with phrase shifts; lower is better, can exceed 100).
    Ter,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// sacreBLEU-style lines: `BLEU|signature = score ...`.
    Text,
    /// One JSON object keyed by metric (see docs/corpus-json.md).
    Json,
}

/// Options of `tqscore corpus`.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Reference file, one segment per line; repeat for several references.
    #[arg(short = 'r', long = "ref", value_name = "FILE", required = true)]
    references: Vec<String>,

    /// Candidate (system output) file, one segment per line; `-` reads standard input.
    #[arg(short = 'c', long = "candidate", value_name = "FILE")]
    candidate: String,

    /// Metrics to compute, comma-separated.
    #[arg(short, long, value_enum, value_delimiter = ',', default_value = "bleu,chrf")]
    metrics: Vec<MetricName>,

    /// BLEU tokenizer: 13a (WMT standard), intl (Unicode punctuation), char, zh, none.
    #[arg(long, visible_alias = "tok", default_value = "13a", value_name = "NAME",
          value_parser = clap::builder::PossibleValuesParser::new(["13a", "intl", "char", "zh", "none"]))]
    tokenize: String,

    /// Lowercase hypotheses and references before scoring (BLEU, chrF; TER lowercases unless --ter-case-sensitive).
    #[arg(long, visible_alias = "lc")]
    lowercase: bool,

    /// BLEU smoothing: exp (sacreBLEU's default), floor, add-k, none.
    #[arg(long, default_value = "exp", value_name = "METHOD",
          value_parser = clap::builder::PossibleValuesParser::new(["exp", "floor", "add-k", "none"]))]
    smooth: String,

    /// Value for --smooth floor (default 0.1) or add-k (default 1).
    #[arg(long, value_name = "X")]
    smooth_value: Option<f64>,

    /// Do not warn about hypotheses that look already tokenized.
    #[arg(long)]
    force: bool,

    /// One score per segment (BLEU with effective order, as sacreBLEU's --sentence-level).
    #[arg(long, visible_alias = "sl")]
    sentence_level: bool,

    /// Output format.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Decimals printed in text output.
    #[arg(short, long, default_value_t = 2, value_name = "N")]
    width: usize,

    /// chrF character n-gram order.
    #[arg(long, default_value_t = 6, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=32))]
    chrf_char_order: u32,

    /// chrF beta (recall weight).
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    chrf_beta: u32,

    /// Include whitespace in chrF character n-grams.
    #[arg(long)]
    chrf_whitespace: bool,

    /// chrF epsilon smoothing (as chrF++.py, NLTK and Moses).
    #[arg(long)]
    chrf_eps_smoothing: bool,

    /// TER: keep case (by default TER lowercases).
    #[arg(long)]
    ter_case_sensitive: bool,

    /// TER: remove the punctuation .,?:;!"() (and CJK punctuation with --ter-asian-support).
    #[arg(long)]
    ter_no_punct: bool,

    /// TER: Tercom's normalization (XML entities, punctuation split off words).
    #[arg(long)]
    ter_normalized: bool,

    /// TER: Asian support; with --ter-normalized splits CJK characters, with --ter-no-punct removes
    /// CJK punctuation, alone changes nothing (as in sacreBLEU).
    #[arg(long)]
    ter_asian_support: bool,

    /// Drop a UTF-8 byte-order mark instead of scoring it as part of line 1.
    #[arg(long)]
    strip_bom: bool,

    /// Worker threads (0: one per core). Results are identical for any value.
    #[arg(long, default_value_t = 0, value_name = "N")]
    threads: usize,

    #[command(flatten)]
    gate: GateFlags,
}

impl CorpusArgs {
    /// The metrics requested, configured from the options.
    fn metrics(&self) -> Result<Vec<Box<dyn Metric>>> {
        let tokenizer: TokenizerKind = self.tokenize.parse().map_err(|e| Error::Usage(format!("{e}")))?;
        let smoothing = Smoothing::parse(&self.smooth, self.smooth_value).map_err(Error::Usage)?;
        let chrf = Chrf {
            char_order: self.chrf_char_order as usize,
            beta: self.chrf_beta,
            lowercase: self.lowercase,
            whitespace: self.chrf_whitespace,
            eps_smoothing: self.chrf_eps_smoothing,
            ..Chrf::default()
        };
        let mut metrics: Vec<Box<dyn Metric>> = Vec::new();
        for name in &self.metrics {
            if metrics.iter().any(|m| m.key() == metric_key(*name)) {
                continue;
            }
            metrics.push(match name {
                MetricName::Bleu => Box::new(Bleu {
                    tokenizer,
                    lowercase: self.lowercase,
                    smoothing,
                    effective_order: self.sentence_level,
                    ..Bleu::default()
                }),
                MetricName::Chrf => Box::new(chrf.clone()),
                MetricName::ChrfPlusPlus => Box::new(Chrf { word_order: 2, ..chrf.clone() }),
                MetricName::Ter => Box::new(Ter {
                    case_sensitive: self.ter_case_sensitive,
                    no_punct: self.ter_no_punct,
                    normalized: self.ter_normalized,
                    asian_support: self.ter_asian_support,
                }),
            });
        }
        Ok(metrics)
    }
}

fn metric_key(name: MetricName) -> &'static str {
    match name {
        MetricName::Bleu => "bleu",
        MetricName::Chrf => "chrf",
        MetricName::ChrfPlusPlus => "chrf++",
        MetricName::Ter => "ter",
    }
}

/// Run `tqscore corpus`.
pub(super) fn run(args: &CorpusArgs, global: Global) -> Result<i32> {
    let gate = args.gate.load()?;
    let metrics = args.metrics()?;
    let metric_refs: Vec<&dyn Metric> = metrics.iter().map(|m| m.as_ref()).collect();
    let candidate = Source::parse(&args.candidate);
    let references: Vec<Source> = args.references.iter().map(|r| Source::parse(r)).collect();
    if references.iter().filter(|r| **r == Source::Stdin).count() + usize::from(candidate == Source::Stdin) > 1 {
        return Err(Error::Usage(
            "standard input ('-') can be used for one input only\n  hint: save the other input to a file and pass its path"
                .into(),
        ));
    }
    let bom = if args.strip_bom { BomPolicy::Strip } else { BomPolicy::Keep };
    let options = RunOptions { threads: args.threads, keep_segments: args.sentence_level };
    let (stats, notes) = score_files(&metric_refs, &candidate, &references, bom, options)?;
    if !args.strip_bom {
        for file in &notes.bom {
            global.warn(&format!(
                "{file} starts with a UTF-8 byte-order mark; it is scored as part of the first segment, \
                 as sacreBLEU does (pass --strip-bom to drop it)"
            ));
        }
    }
    if !args.force && notes.tokenized_period_lines >= 100 && args.metrics.contains(&MetricName::Bleu) {
        global.warn(&format!(
            "{} candidate lines end in a tokenized period (' .'); BLEU expects detokenized text \
             (pass --force if this is intended)",
            notes.tokenized_period_lines
        ));
    }
    let nrefs = references.len();
    // The JSON report is built when it is printed or gated (a gate reads its paths).
    let mut json = (args.format == Format::Json || gate.is_some()).then(|| report_json(&metric_refs, &stats, nrefs));
    let verdict =
        gate.as_ref().zip(json.as_ref()).map(|(gate, report)| gate.evaluate(report, RUN_REPORT)).transpose()?;
    let (output, table) = match (args.format, json.as_mut()) {
        (Format::Json, Some(report)) => {
            if let (Some(verdict), Some(top)) = (&verdict, report.as_object_mut()) {
                top.insert("gate".into(), verdict.json());
            }
            let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
            text.push('\n');
            (text, Table::Stderr)
        }
        _ => (render_text(&metric_refs, &stats, nrefs, args), Table::Text),
    };
    finish(output, verdict.as_ref(), table, global)
}

fn render_text(metrics: &[&dyn Metric], stats: &CorpusStats, nrefs: usize, args: &CorpusArgs) -> String {
    let mut out = String::new();
    if args.sentence_level {
        for i in 0..stats.segments {
            for (m, metric) in metrics.iter().enumerate() {
                if let Some(segment) = stats.segment(m, metric.stats_len(), i) {
                    out.push_str(&metric.score(segment, nrefs).format_line(args.width));
                    out.push('\n');
                }
            }
        }
        return out;
    }
    for (m, metric) in metrics.iter().enumerate() {
        out.push_str(&metric.score(&stats.totals[m], nrefs).format_line(args.width));
        out.push('\n');
    }
    out
}

/// The JSON report: one object per metric, keyed by metric (docs/corpus-json.md).
fn report_json(metrics: &[&dyn Metric], stats: &CorpusStats, nrefs: usize) -> Value {
    let mut root = Map::new();
    for (m, metric) in metrics.iter().enumerate() {
        let mut entry = serde_json::to_value(metric.score(&stats.totals[m], nrefs)).unwrap_or(Value::Null);
        if let (Some(obj), true) = (entry.as_object_mut(), stats.per_segment.is_some()) {
            let segments: Vec<Value> = (0..stats.segments)
                .filter_map(|i| stats.segment(m, metric.stats_len(), i))
                .map(|s| {
                    let mut v = serde_json::to_value(metric.score(s, nrefs)).unwrap_or(Value::Null);
                    if let Some(o) = v.as_object_mut() {
                        o.shift_remove("signature");
                        o.shift_remove("name");
                    }
                    v
                })
                .collect();
            obj.insert("segments".into(), Value::Array(segments));
        }
        root.insert(metric.key().into(), entry);
    }
    Value::Object(root)
}
