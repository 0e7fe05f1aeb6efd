//! `tqscore corpus`: sacreBLEU-exact scores of line-aligned files.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde_json::{Map, Value};

use super::gate::{finish, GateFlags, Table};
use super::output::{refuse_input_as_output, write_json_stdout};
use super::table::{
    colour_interval, estimate_cell, paint, paired_explanation, signature_list, Colour, Column, TableFormat,
};
use super::Global;
use crate::corpus::{build_pool, score_files, CorpusStats, RunOptions};
use crate::error::{Error, Result, EXIT_OK};
use crate::gate::RUN_REPORT;
use crate::input::{BomPolicy, Source};
use crate::metrics::{Bleu, Chrf, Metric, Score, Signature, Smoothing, Ter};
use crate::significance::{
    confidence, confidence_signature_entries, paired_test, Estimate, PairedTest, Seed, DEFAULT_RESAMPLES,
    DEFAULT_TRIALS,
};

pub(super) const AFTER_HELP: &str = "\
Reading: files are split on \\n only and each line loses trailing whitespace (so CRLF is fine),
exactly as `sacrebleu REF -i HYP` reads them. A UTF-8 BOM is kept as part of line 1, as sacreBLEU
does; pass --strip-bom to drop it. Unlike sacreBLEU, standard input (`-c -`) is read the same way.

Several candidates (-c BASE SYS2 SYS3 ...) print sacreBLEU's table, one row per system. With
--paired-bs or --paired-ar each system is tested against the first one, the baseline: the p-value
is roughly the probability that a score difference at least this large arises by chance when the
two systems are in fact alike (p <= 0.05 is marked *). Significance says the difference would
likely replicate on similar test data, not that it matters. --confidence gives one candidate a
95% bootstrap interval. All numbers equal sacreBLEU 2.6.0's for the same seed: $SACREBLEU_SEED,
as sacreBLEU reads it (default 12345; 'none' draws fresh randomness, so results vary per run).

sacreBLEU's spellings work here too (REF before the options, -i, -m bleu chrf, -tok, -lc, -sl, -b,
--short, --chrf-word-order, -cin, -pbs, ...); `tqscore sacrebleu ...` takes sacreBLEU's whole command
line and prints its output byte for byte (docs/sacrebleu-cli.md).

Examples:
  tqscore corpus -r ref.txt -c hyp.txt
  tqscore corpus -r ref.txt -c hyp.txt --tokenize intl --lowercase -m bleu
  tqscore corpus -r ref.txt -c hyp.txt --sentence-level -m bleu --smooth floor
  tqscore corpus -r ref.txt -r ref2.txt -c hyp.txt -m bleu,chrf++,ter
  cat hyp.txt | tqscore corpus -r ref.txt -c - --format json
  tqscore corpus -r ref.txt -c hyp.txt --gate thresholds.json
  tqscore corpus -r ref.txt -c hyp.txt --confidence
  tqscore corpus -r ref.txt -c baseline.txt new.txt newer.txt --paired-bs
  tqscore corpus -r ref.txt -c baseline.txt new.txt --paired-ar -m bleu,chrf++
  SACREBLEU_SEED=7 tqscore corpus -r ref.txt -c baseline.txt new.txt --paired-bs -f json";

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
    /// sacreBLEU's text: `BLEU|signature = score ...` lines, or the table of several candidates.
    Text,
    /// One JSON object keyed by metric, or a list of systems for several candidates (see
    /// docs/corpus-json.md).
    Json,
}

/// Options of `tqscore corpus`.
#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// Reference file, one segment per line; repeat for several references.
    #[arg(short = 'r', long = "ref", value_name = "FILE", required_unless_present = "positional_references")]
    references: Vec<String>,

    /// Reference files given before the options, as sacreBLEU takes them (`corpus REF -c HYP`).
    #[arg(value_name = "REF", hide = true)]
    positional_references: Vec<String>,

    /// Candidate (system output) file, one segment per line; `-` reads standard input. Several
    /// candidates (`-c A B C` or `-c A -c B`) are scored side by side, the first being the
    /// baseline of a paired test. sacreBLEU's `-i/--input` is accepted too.
    #[arg(short = 'c', long = "candidate", value_name = "FILE", required = true, num_args = 1..,
          short_alias = 'i', alias = "input")]
    candidates: Vec<String>,

    /// Metrics to compute, comma- or space-separated (`-m bleu,chrf` or `-m bleu chrf`).
    #[arg(short, long, value_enum, value_delimiter = ',', num_args = 1.., default_value = "bleu,chrf")]
    metrics: Vec<MetricName>,

    #[command(flatten)]
    tokenize: super::TokenizeFlags,

    /// Lowercase hypotheses and references before scoring (BLEU, chrF; TER lowercases unless --ter-case-sensitive).
    #[arg(long, visible_alias = "lc")]
    lowercase: bool,

    /// BLEU smoothing: exp (sacreBLEU's default), floor, add-k, none.
    #[arg(long, alias = "smooth-method", default_value = "exp", value_name = "METHOD",
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

    /// Also write the JSON report to FILE (`-`: print it instead of the text output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Text output: print the scores alone, one per line (sacreBLEU's `-b/--score-only`).
    #[arg(short = 'b', long)]
    score_only: bool,

    /// Text output: sacreBLEU's short signatures (`#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0|tqscore:…`).
    #[arg(long)]
    short: bool,

    /// Decimals printed in text output, at most 100 (p-values always get 4).
    #[arg(short, long, default_value_t = 2, value_name = "N", value_parser = clap::value_parser!(u8).range(0..=100))]
    width: u8,

    /// chrF character n-gram order.
    #[arg(long, default_value_t = 6, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=32))]
    chrf_char_order: u32,

    /// Word n-gram order of `-m chrf` (sacreBLEU's option; 2 is chrF++, which `-m chrf++` also gives).
    #[arg(long, visible_alias = "cw", default_value_t = 0, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=32))]
    chrf_word_order: u32,

    /// Lowercase for chrF only (--lowercase lowercases BLEU and chrF).
    #[arg(long)]
    chrf_lowercase: bool,

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
    tests: TestFlags,

    #[command(flatten)]
    gate: GateFlags,
}

/// sacreBLEU's statistical tests.
#[derive(Debug, Args)]
#[command(next_help_heading = "Statistical tests (sacreBLEU's; seed: $SACREBLEU_SEED, default 12345)")]
pub(super) struct TestFlags {
    /// One candidate: report each score with the mean and half-width of a 95% bootstrap
    /// confidence interval, `40.6 (μ = 40.6 ± 1.3)`.
    #[arg(long, visible_alias = "ci")]
    pub confidence: bool,

    /// Bootstrap resamples for --confidence (at most 1 turns it off, as in sacreBLEU).
    #[arg(long, visible_alias = "cin", value_name = "N", default_value_t = DEFAULT_RESAMPLES, value_parser = super::resamples, allow_negative_numbers = true)]
    pub confidence_n: usize,

    /// Several candidates: paired bootstrap resampling test of each against the first, with
    /// every system's bootstrap mean and 95% interval.
    #[arg(long, visible_alias = "pbs", conflicts_with = "paired_ar")]
    pub paired_bs: bool,

    /// Resamples for --paired-bs (0: the default).
    #[arg(long, visible_alias = "pbsn", value_name = "N", default_value_t = DEFAULT_RESAMPLES, value_parser = super::resamples, allow_negative_numbers = true)]
    pub paired_bs_n: usize,

    /// Several candidates: paired approximate randomization test of each against the first.
    #[arg(long, visible_alias = "par")]
    pub paired_ar: bool,

    /// Trials for --paired-ar (0: the default).
    #[arg(long, visible_alias = "parn", value_name = "N", default_value_t = DEFAULT_TRIALS, value_parser = super::resamples, allow_negative_numbers = true)]
    pub paired_ar_n: usize,
}

/// What statistics a run reports besides the scores.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Statistics {
    /// Scores only.
    None,
    /// `--confidence`: this many resamples.
    Confidence(usize, Seed),
    /// `--paired-bs` / `--paired-ar`, and the sample count as given (sacreBLEU prints that one).
    Paired(PairedTest, usize, Seed),
}

impl TestFlags {
    /// The statistics requested for `systems` candidates, checked as sacreBLEU checks them.
    pub(super) fn statistics(&self, systems: usize, sentence_level: bool) -> Result<Statistics> {
        let paired = self.paired_bs || self.paired_ar;
        if sentence_level && (systems > 1 || paired || self.confidence) {
            return Err(Error::Usage(
                "--sentence-level scores one candidate and has no statistical tests\n  \
                 hint: drop --sentence-level, or the extra candidates and test options"
                    .into(),
            ));
        }
        if paired && systems < 2 {
            return Err(Error::Usage(
                "a paired test compares candidates with a baseline, but one candidate was given\n  \
                 hint: pass the baseline first and the systems after it: -c base.txt sys1.txt sys2.txt"
                    .into(),
            ));
        }
        if self.confidence && systems > 1 {
            return Err(Error::Usage(
                "--confidence applies to one candidate\n  \
                 hint: with several candidates use --paired-bs, which gives every system its interval"
                    .into(),
            ));
        }
        let seed = || Seed::from_env().map_err(|e| Error::Usage(format!("{e}\n  hint: unset it for seed 12345")));
        let or_default = |n: usize, default: usize| if n == 0 { default } else { n };
        Ok(if self.paired_bs {
            Statistics::Paired(
                PairedTest::Bootstrap { samples: or_default(self.paired_bs_n, DEFAULT_RESAMPLES) },
                self.paired_bs_n,
                seed()?,
            )
        } else if self.paired_ar {
            let trials = or_default(self.paired_ar_n, DEFAULT_TRIALS);
            Statistics::Paired(
                PairedTest::ApproximateRandomization { trials, confidence: None },
                self.paired_ar_n,
                seed()?,
            )
        } else if self.confidence && self.confidence_n > 1 {
            Statistics::Confidence(self.confidence_n, seed()?)
        } else {
            Statistics::None
        })
    }
}

impl CorpusArgs {
    /// The metrics requested, configured from the options.
    fn metrics(&self) -> Result<Vec<Box<dyn Metric>>> {
        let tokenizer = self.tokenize.resolve()?;
        let smoothing = Smoothing::parse(&self.smooth, self.smooth_value).map_err(Error::Usage)?;
        let chrf = Chrf {
            char_order: self.chrf_char_order as usize,
            beta: self.chrf_beta,
            lowercase: self.lowercase || self.chrf_lowercase,
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
                MetricName::Chrf => Box::new(Chrf { word_order: self.chrf_word_order as usize, ..chrf.clone() }),
                MetricName::ChrfPlusPlus => Box::new(Chrf { word_order: 2, ..chrf.clone() }),
                MetricName::Ter => Box::new(Ter {
                    case_sensitive: self.ter_case_sensitive,
                    no_punct: self.ter_no_punct,
                    normalized: self.ter_normalized,
                    asian_support: self.ter_asian_support,
                    references: self.positional_references.len() + self.references.len(),
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

/// One candidate's name (as given) and statistics.
pub(super) struct System {
    /// The name shown (the file name as given).
    pub name: String,
    /// Its corpus (and per-segment) statistics.
    pub stats: CorpusStats,
}

/// Run `tqscore corpus`.
pub(super) fn run(args: &CorpusArgs, global: Global) -> Result<i32> {
    if let Some(output) = &args.output {
        let mut inputs: Vec<(&str, &Path)> = args
            .positional_references
            .iter()
            .chain(&args.references)
            .map(|r| ("reference", Path::new(r)))
            .chain(args.candidates.iter().map(|c| ("candidate", Path::new(c))))
            .collect();
        inputs.extend(args.gate.inputs());
        refuse_input_as_output(output, &inputs)?;
    }
    let gate = args.gate.load()?;
    let metrics = args.metrics()?;
    let metric_refs: Vec<&dyn Metric> = metrics.iter().map(|m| m.as_ref()).collect();
    let names = candidate_names(&args.candidates, args.tests.paired_bs || args.tests.paired_ar, global)?;
    let statistics = args.tests.statistics(names.len(), args.sentence_level)?;
    let references: Vec<Source> =
        args.positional_references.iter().chain(&args.references).map(|r| Source::parse(r)).collect();
    let stdin_uses = references.iter().chain(names.iter().map(|(_, s)| s)).filter(|s| **s == Source::Stdin).count();
    if stdin_uses > 1 {
        return Err(Error::Usage(
            "standard input ('-') can be used for one input only\n  hint: save the other input to a file and pass its path"
                .into(),
        ));
    }
    let reading = Reading {
        bom: if args.strip_bom { BomPolicy::Strip } else { BomPolicy::Keep },
        threads: args.threads,
        sentence_level: args.sentence_level,
        warn_tokenized: !args.force && args.metrics.contains(&MetricName::Bleu),
    };
    let (systems, estimates) = score_systems(&metric_refs, &names, &references, &statistics, reading, global)?;
    let nrefs = references.len();
    let view = View {
        metrics: &metric_refs,
        systems: &systems,
        nrefs,
        statistics: &statistics,
        estimates: &estimates,
        signatures: SignatureStyle { mark: true, short: args.short },
    };
    let printed = args.format == Format::Json;
    let saved_to = args.output.as_deref();
    // Segment scores without a gate are written one segment at a time: as one tree of JSON
    // values they would take ~60 times the input's size in memory; printed, they go to
    // standard output as they are serialised, with no text in memory. Otherwise the JSON report
    // is built when it is printed, saved or gated (a gate reads its paths).
    let streamed = gate.is_none() && view.has_segment_scores();
    if streamed && printed && saved_to.is_none() {
        write_json_stdout(&SegmentReport(&view))?;
        return Ok(EXIT_OK);
    }
    let mut json = (!streamed && (printed || saved_to.is_some() || gate.is_some())).then(|| view.json());
    let verdict =
        gate.as_ref().zip(json.as_ref()).map(|(gate, report)| gate.evaluate(report, RUN_REPORT)).transpose()?;
    if let (Some(verdict), Some(top)) = (&verdict, json.as_mut().and_then(Value::as_object_mut)) {
        top.insert("gate".into(), verdict.json());
    }
    let json_text = (printed || saved_to.is_some()).then(|| {
        let text = match &json {
            Some(report) => serde_json::to_string_pretty(report),
            None => serde_json::to_string_pretty(&SegmentReport(&view)),
        };
        text.unwrap_or_default() + "\n"
    });
    let (output, saved, table) = match json_text {
        Some(text) if printed && saved_to.is_some() => (text.clone(), Some(text), Table::Stderr),
        Some(text) if printed => (text, None, Table::Stderr),
        saved => (view.text(args, global.color), saved, Table::Text),
    };
    finish(output, saved_to.zip(saved.as_deref()), verdict.as_ref(), table, global)
}

/// How the inputs of a run are read and what is checked while reading.
#[derive(Debug, Clone, Copy)]
pub(super) struct Reading {
    /// Keep or drop a UTF-8 byte-order mark.
    pub bom: BomPolicy,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Keep every segment's statistics for sentence-level scores.
    pub sentence_level: bool,
    /// Warn about candidates that look tokenized (BLEU without --force).
    pub warn_tokenized: bool,
}

/// Score every candidate against the references, side by side, and run the
/// statistical test asked for: what every output of `corpus` and `sacrebleu` is rendered from.
pub(super) fn score_systems(
    metrics: &[&dyn Metric],
    names: &[(String, Source)],
    references: &[Source],
    statistics: &Statistics,
    reading: Reading,
    global: Global,
) -> Result<(Vec<System>, Vec<Vec<Estimate>>)> {
    let keep_segments = reading.sentence_level || *statistics != Statistics::None;
    let options = RunOptions { threads: reading.threads, keep_segments };
    // Candidates are scored side by side: one file of a few thousand lines is a single chunk.
    let pool = build_pool(reading.threads)?;
    let scored: Vec<Result<_>> = pool
        .install(|| names.par_iter().map(|(_, c)| score_files(metrics, c, references, reading.bom, options)).collect());
    let mut systems = Vec::new();
    let mut bom_files: Vec<String> = Vec::new();
    for ((name, candidate), result) in names.iter().zip(scored) {
        let (stats, notes) = result?;
        bom_files.extend(notes.bom.into_iter().filter(|f| !bom_files.contains(f)).collect::<Vec<_>>());
        if reading.warn_tokenized && notes.tokenized_period_lines >= 100 {
            global.warn(&format!(
                "{}: {} candidate lines end in a tokenized period (' .'); BLEU expects detokenized text \
                 (pass --force if this is intended)",
                candidate.name(),
                notes.tokenized_period_lines
            ));
        }
        systems.push(System { name: name.clone(), stats });
    }
    if reading.bom == BomPolicy::Keep {
        for file in &bom_files {
            global.warn(&format!(
                "{file} starts with a UTF-8 byte-order mark; it is scored as part of the first segment, \
                 as sacreBLEU does (pass --strip-bom to drop it)"
            ));
        }
    }
    let estimates = pool.install(|| estimate(metrics, &systems, statistics));
    Ok((systems, estimates))
}

/// The candidates' names and sources. In a paired test a repeat of the
/// baseline is dropped (with a note), as sacreBLEU does; any other repeated
/// name is an error, since systems are told apart by name.
pub(super) fn candidate_names(candidates: &[String], paired: bool, global: Global) -> Result<Vec<(String, Source)>> {
    let mut names: Vec<(String, Source)> = Vec::new();
    for name in candidates {
        if names.iter().any(|(n, _)| n == name) {
            if paired && *name == names[0].0 {
                global.note(&format!("ignoring {name}: it is the baseline already"));
                continue;
            }
            return Err(Error::Usage(format!(
                "{name} is given twice as a candidate\n  hint: systems are told apart by their file names; pass each once"
            )));
        }
        names.push((name.clone(), Source::parse(name)));
    }
    Ok(names)
}

/// Per system, per metric: the statistics asked for (empty without any), on the current pool.
fn estimate(metrics: &[&dyn Metric], systems: &[System], statistics: &Statistics) -> Vec<Vec<Estimate>> {
    let per_segment: Vec<Vec<&[u64]>> =
        systems.iter().map(|s| s.stats.per_segment.iter().flatten().map(|v| v.as_slice()).collect()).collect();
    let stats: Vec<&[&[u64]]> = per_segment.iter().map(|v| v.as_slice()).collect();
    let segments = systems.first().map_or(0, |s| s.stats.segments);
    match statistics {
        Statistics::None => Vec::new(),
        Statistics::Confidence(samples, seed) => vec![confidence(metrics, stats[0], segments, *samples, seed)],
        Statistics::Paired(test, _, seed) => paired_test(metrics, &stats, segments, test, seed),
    }
}

/// How signatures are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SignatureStyle {
    /// Keep tqscore's `|tqscore:VERSION` entry (`corpus`; sacreBLEU's front end drops it).
    pub mark: bool,
    /// sacreBLEU's abbreviated keys (`--short`: `#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0`).
    pub short: bool,
}

impl SignatureStyle {
    /// `signature` of a metric whose key is `key`, in this style.
    pub(super) fn render(self, signature: &Signature, key: &str) -> String {
        signature
            .entries()
            .filter(|(k, _)| self.mark || *k != "tqscore")
            .map(|(k, v)| format!("{}:{v}", if self.short { short_key(k, key) } else { k }))
            .collect::<Vec<_>>()
            .join("|")
    }
}

/// sacreBLEU's abbreviation of a signature key (`Signature._abbr`) for the metric `metric_key`.
fn short_key<'a>(key: &'a str, metric_key: &str) -> &'a str {
    match key {
        "version" => "v",
        "nrefs" => "#",
        "seed" => "rs",
        "case" => "c",
        "eff" => "e",
        "tok" if metric_key == "ter" => "t",
        "smooth" | "space" => "s",
        "norm" => "nr",
        "punct" => "pn",
        "asian" => "as",
        other => other,
    }
}

/// Everything a report is rendered from.
pub(super) struct View<'a> {
    /// The metrics, in output order.
    pub metrics: &'a [&'a dyn Metric],
    /// The candidates, the baseline first.
    pub systems: &'a [System],
    /// References per segment.
    pub nrefs: usize,
    /// The statistical test run.
    pub statistics: &'a Statistics,
    /// Per system, per metric: the test's estimates (empty without a test).
    pub estimates: &'a [Vec<Estimate>],
    /// How signatures are written.
    pub signatures: SignatureStyle,
}

impl View<'_> {
    /// System `s`'s score for metric `m`, its signature naming the test.
    pub(super) fn score(&self, s: usize, m: usize) -> Score {
        let metric = self.metrics[m];
        let mut score = metric.score(&self.systems[s].stats.totals[m], self.nrefs);
        score.signature = self.signature(score.signature);
        score
    }

    /// A metric's signature with the test's entries (`bs:1000|seed:12345`, ...).
    fn signature(&self, signature: Signature) -> Signature {
        match self.statistics {
            Statistics::None => signature,
            Statistics::Confidence(samples, seed) => {
                signature.with_test_entries(confidence_signature_entries(*samples, seed))
            }
            Statistics::Paired(test, _, seed) => signature.with_test_entries(test.signature_entries(seed)),
        }
    }

    fn text(&self, args: &CorpusArgs, colour: bool) -> String {
        let width = usize::from(args.width);
        if self.systems.len() > 1 {
            return self.table(width, colour, TableFormat::Grid);
        }
        if args.sentence_level {
            return self.sentence_lines(width, args.score_only);
        }
        self.score_lines(width, args.score_only, colour).iter().map(|line| format!("{line}\n")).collect()
    }

    /// Metric `m`'s line for `score`: `NAME|SIGNATURE = SCORE …`, or with `score_only` the score alone.
    fn line(&self, score: &Score, m: usize, width: usize, interval: Option<(f64, f64)>, score_only: bool) -> String {
        if score_only {
            score.score_text(width, interval)
        } else {
            let signature = self.signatures.render(&score.signature, self.metrics[m].key());
            score.format_line_signed(&signature, width, interval)
        }
    }

    /// One candidate's lines, one per metric, with the `--confidence` interval
    /// (coloured as sacreBLEU colours it when `colour`).
    pub(super) fn score_lines(&self, width: usize, score_only: bool, colour: bool) -> Vec<String> {
        (0..self.metrics.len())
            .map(|m| {
                let interval = self.estimates.first().and_then(|e| e[m].mean.zip(e[m].ci));
                colour_interval(&self.line(&self.score(0, m), m, width, interval, score_only), colour)
            })
            .collect()
    }

    /// `--sentence-level`: per segment, one line per metric.
    pub(super) fn sentence_lines(&self, width: usize, score_only: bool) -> String {
        let stats = &self.systems[0].stats;
        let mut out = String::new();
        for i in 0..stats.segments {
            for (m, metric) in self.metrics.iter().enumerate() {
                if let Some(segment) = stats.segment(m, metric.stats_len(), i) {
                    out.push_str(&self.line(&metric.score(segment, self.nrefs), m, width, None, score_only));
                    out.push('\n');
                }
            }
        }
        out
    }

    /// sacreBLEU's multi-system output: the table drawn in `format`, the paired test's
    /// explanation, the signatures (coloured as sacreBLEU colours them on a terminal when `colour`).
    pub(super) fn table(&self, width: usize, colour: bool, format: TableFormat) -> String {
        let paired = matches!(self.statistics, Statistics::Paired(..));
        let system_name = |s: usize| {
            if paired && s == 0 {
                format!("Baseline: {}", self.systems[0].name)
            } else {
                self.systems[s].name.clone()
            }
        };
        let mut columns =
            vec![Column { header: "System".into(), cells: (0..self.systems.len()).map(system_name).collect() }];
        let mut signatures = Vec::new();
        let mut intervals = false;
        for m in 0..self.metrics.len() {
            let scores: Vec<Score> = (0..self.systems.len()).map(|s| self.score(s, m)).collect();
            let cells: Vec<String> = if self.estimates.is_empty() {
                scores.iter().map(|s| format!("{:.*}", width, s.score)).collect()
            } else {
                self.estimates.iter().map(|e| estimate_cell(&e[m], width, colour, format.multiline())).collect()
            };
            intervals |= self.estimates.iter().any(|e| e[m].mean.is_some());
            let name = scores[0].name.clone();
            let header = if intervals { format!("{name} (μ ± 95% CI)") } else { name.clone() };
            columns.push(Column { header, cells });
            signatures.push((name, self.signatures.render(&scores[0].signature, self.metrics[m].key())));
        }
        for column in &mut columns {
            column.header = paint(&column.header, Colour::Cyan, colour);
            if paired {
                column.cells[0] = paint(&column.cells[0], Colour::Yellow, colour);
            }
        }
        let mut out = format.render(&columns);
        out.push('\n');
        if let Statistics::Paired(test, given, _) = self.statistics {
            let bootstrap = matches!(test, PairedTest::Bootstrap { .. });
            out.push_str(&paired_explanation(bootstrap, *given, &system_name(0), colour));
        }
        out.push_str(&signature_list(&signatures));
        out
    }

    fn json(&self) -> Value {
        if self.systems.len() == 1 {
            return report_json(self);
        }
        let test = match self.statistics {
            Statistics::Paired(test, _, seed) => {
                let (name, samples) = match test {
                    PairedTest::Bootstrap { samples } => ("paired-bs", samples),
                    PairedTest::ApproximateRandomization { trials, .. } => ("paired-ar", trials),
                };
                serde_json::json!({"method": name, "samples": samples, "seed": seed.paired_label()})
            }
            _ => Value::Null,
        };
        let systems: Vec<Value> = (0..self.systems.len())
            .map(|s| {
                let mut entry = Map::new();
                entry.insert("system".into(), self.systems[s].name.clone().into());
                entry.insert("baseline".into(), (s == 0).into());
                for (m, metric) in self.metrics.iter().enumerate() {
                    entry.insert(metric.key().into(), self.metric_json(s, m));
                }
                Value::Object(entry)
            })
            .collect();
        serde_json::json!({"test": test, "systems": systems})
    }

    /// A metric object (docs/corpus-json.md) with the statistics asked for.
    fn metric_json(&self, s: usize, m: usize) -> Value {
        let mut entry = serde_json::to_value(self.score(s, m)).unwrap_or(Value::Null);
        if let (Some(obj), Some(e)) = (entry.as_object_mut(), self.estimates.get(s).map(|e| e[m])) {
            obj.insert("mean".into(), e.mean.into());
            obj.insert("ci".into(), e.ci.into());
            if matches!(self.statistics, Statistics::Paired(..)) {
                obj.insert("p_value".into(), e.p_value.into());
            }
        }
        entry
    }
}

/// The JSON report of one candidate: one object per metric, keyed by metric (docs/corpus-json.md).
fn report_json(view: &View<'_>) -> Value {
    let mut root = Map::new();
    for (m, metric) in view.metrics.iter().enumerate() {
        let mut entry = view.metric_json(0, m);
        if let (Some(obj), true) = (entry.as_object_mut(), view.has_segment_scores()) {
            obj.insert("segments".into(), SegmentScores { view, metric: m }.iter().collect());
        }
        root.insert(metric.key().into(), entry);
    }
    Value::Object(root)
}

impl View<'_> {
    /// Whether the report lists every segment's scores (one candidate, `--sentence-level`).
    fn has_segment_scores(&self) -> bool {
        self.systems.len() == 1 && self.systems[0].stats.per_segment.is_some() && self.estimates.is_empty()
    }
}

/// The scores of every segment for one metric of the single candidate, as JSON objects.
#[derive(Clone, Copy)]
struct SegmentScores<'a> {
    view: &'a View<'a>,
    metric: usize,
}

impl<'a> SegmentScores<'a> {
    fn iter(self) -> impl Iterator<Item = Value> + 'a {
        let (stats, metric) = (&self.view.systems[0].stats, self.view.metrics[self.metric]);
        (0..stats.segments).filter_map(move |i| stats.segment(self.metric, metric.stats_len(), i)).map(move |s| {
            let mut v = serde_json::to_value(metric.score(s, self.view.nrefs)).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.shift_remove("signature");
                o.shift_remove("name");
            }
            v
        })
    }
}

impl serde::Serialize for SegmentScores<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// [`report_json`] serialised segment by segment: the same JSON, without holding
/// every segment's scores as values at once.
struct SegmentReport<'a>(&'a View<'a>);

impl serde::Serialize for SegmentReport<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let view = self.0;
        let mut root = serializer.serialize_map(Some(view.metrics.len()))?;
        for (m, metric) in view.metrics.iter().enumerate() {
            root.serialize_entry(
                metric.key(),
                &MetricWithSegments(view.metric_json(0, m), SegmentScores { view, metric: m }),
            )?;
        }
        root.end()
    }
}

/// A metric's JSON object followed by its `segments` list.
struct MetricWithSegments<'a>(Value, SegmentScores<'a>);

impl serde::Serialize for MetricWithSegments<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let fields = self.0.as_object();
        let mut map = serializer.serialize_map(fields.map(|f| f.len() + 1))?;
        for (key, value) in fields.into_iter().flatten() {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("segments", &self.1)?;
        map.end()
    }
}
