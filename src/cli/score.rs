//! `tqscore score REFERENCE CANDIDATE`: align and score two versions of one
//! article; with two folders or `--pairs PAIRS.tsv`, a whole test set of article
//! pairs in one run (see [`crate::testset`]).

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::Value;

use super::gate::{finish, GateFlags, LoadedGate, Table, Verdict};
use super::output::refuse_input_as_output;
use super::progress::Progress;
use super::Global;
use crate::article::{article_signature, score_article, ArticleOptions};
use crate::error::{Error, Result, EXIT_USAGE};
use crate::gate::RUN_REPORT;
use crate::input::{read_text, Source, Text};
use crate::names::Aliases;
use crate::normalize::Normalization;
use crate::report::{
    ArticleEntry, ArticleOutcome, ArticleReport, Exporter, HtmlExporter, JsonExporter, MarkdownExporter, SetReport,
    TextExporter, SCREEN_HEIGHT,
};
use crate::script::{self, Script};
use crate::testset::aggregate::{set_report, Resampling};
use crate::testset::shard::Shard;
use crate::testset::{pair_folders, parse_pairs, score_set, PairSpec};
use crate::tokenize::{looks_cjk, TokenizerKind};

pub(super) const AFTER_HELP: &str = "\
What it does: both articles are normalised (UTF-8, BOM and CRLF removed, Unicode NFC, curly quotes
folded unless --no-fold), split into sentences (paragraph breaks always end a sentence), and the
candidate's sentences are aligned to the reference's (1-1, merges and splits up to 3, boilerplate
and additions left unaligned). Each aligned pair gets sentence BLEU and chrF; the document gets
corpus BLEU and chrF over the whole reference (the pairs, plus omitted sentences against nothing
and additions inside the body against nothing: dropping text cannot raise it) and, labelled
`aligned pairs only`, over the pairs alone; bootstrap confidence intervals and summary statistics.

Test sets: `--pairs PAIRS.tsv` (a line per pair: REFERENCE<TAB>CANDIDATE[<TAB>ID], paths relative
to the list's folder, `#` comments, `-` reads the list from standard input) or two folders
(REF_DIR CAND_DIR: files of the same name pair up). The set's scores come from the summed
statistics of every article (never an average of article scores); its confidence intervals
resample articles. `--format stats` writes the set's statistics for `tqscore merge`.

Examples:
  tqscore score reference.txt candidate.txt
  tqscore score --pairs testset/pairs.tsv --gate thresholds.json
  tqscore score refs/ cands/ --format json -o set-report.json
  tqscore score --pairs part-1.tsv --format stats > part-1.stats   # then: tqscore merge *.stats
  tqscore score reference.txt candidate.txt --all
  tqscore score reference.txt candidate.txt --format json -o report.json
  tqscore score reference.txt candidate.txt --format html -o report.html   # one page for CI
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
    /// A test set's additive statistics, for `tqscore merge` (one JSON line).
    Stats,
    /// One self-contained HTML page (pairs side by side, matches and names marked); with -o, to the file only.
    Html,
}

/// The help of `-o FILE` (`score`, `compare`, `merge`).
pub(super) const OUTPUT_HELP: &str = "Also write the JSON report to FILE; with --format html, write the HTML page \
     there instead (and nothing to standard output). `-o -` prints the JSON report (or the page) instead of the \
     report";

/// Options of `tqscore score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The trusted rendering of the article (`-` for standard input), or a folder of them.
    #[arg(required_unless_present = "pairs", conflicts_with = "pairs", value_name = "REFERENCE")]
    reference: Option<String>,

    /// The machine translation to score (`-` for standard input), or a folder of them.
    #[arg(required_unless_present = "pairs", value_name = "CANDIDATE")]
    candidate: Option<String>,

    /// Score a test set listed in FILE: REFERENCE<TAB>CANDIDATE[<TAB>ID] per line (`-`: standard input).
    #[arg(long, value_name = "FILE", help_heading = "Test sets")]
    pairs: Option<String>,

    /// Score the rest of a test set when a pair fails; the report marks it (the exit code is still 2).
    #[arg(long, help_heading = "Test sets")]
    keep_going: bool,

    /// With two folders: score the files that have a partner, listing (not refusing) those that have none.
    #[arg(long, help_heading = "Test sets")]
    allow_unpaired: bool,

    /// Output format on standard output.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    #[arg(short, long, value_name = "FILE", help = OUTPUT_HELP)]
    output: Option<PathBuf>,

    /// Show everything in the text report: every aligned pair in full, every unaligned sentence
    /// and name (the default fits one 80×40 screen, `$COLUMNS` × `$LINES` or the terminal's).
    #[arg(long)]
    all: bool,

    #[command(flatten)]
    article: ArticleFlags,

    #[command(flatten)]
    gate: GateFlags,
}

/// How articles are read and scored: `--no-fold`, `--bootstrap`, `--seed`,
/// `--threads`, `--aliases` and the tokenizer, as `score` and `compare` take them.
#[derive(Debug, Args)]
pub(super) struct ArticleFlags {
    /// Keep curly quotes and apostrophes as they are (default: fold them to ' and ").
    #[arg(long)]
    no_fold: bool,

    /// Bootstrap replicates for the 95% confidence intervals (0 to skip).
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = super::resamples, allow_negative_numbers = true)]
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
}

impl ArticleFlags {
    /// The article options the flags ask for (reads `--aliases`).
    pub(super) fn options(&self) -> Result<ArticleOptions> {
        let mut aliases = Aliases::builtin();
        if let Some(path) = &self.aliases {
            let (name, text) = super::gate::read(path)?;
            aliases.extend_from_json(&name, &text)?;
        }
        Ok(ArticleOptions {
            aliases,
            normalization: Normalization { fold_quotes: !self.no_fold },
            bootstrap: self.bootstrap,
            seed: self.seed,
            threads: self.threads,
            tokenizer: self.tokenize.resolve()?,
            ..ArticleOptions::default()
        })
    }
}

impl ScoreArgs {
    /// The files the run reads, each with its role, which `-o` may not name.
    fn inputs(&self) -> Vec<(&'static str, &Path)> {
        let articles = [("reference", &self.reference), ("candidate", &self.candidate), ("pairs list", &self.pairs)];
        let mut inputs: Vec<(&'static str, &Path)> = articles
            .into_iter()
            .filter_map(|(role, a)| a.as_deref().filter(|a| *a != "-").map(|a| (role, Path::new(a))))
            .collect();
        inputs.extend(self.article.aliases.as_deref().map(|a| ("aliases file", a)));
        inputs.extend(self.gate.inputs());
        inputs
    }

    fn options(&self) -> Result<ArticleOptions> {
        self.article.options()
    }

    /// The test set the arguments name, if any: `--pairs FILE`, or two folders.
    fn test_set(&self, global: Global) -> Result<Option<Vec<PairSpec>>> {
        if let Some(list) = &self.pairs {
            let source = Source::parse(list);
            let text = read_text(&source)?;
            let base = match &source {
                Source::File(path) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
                Source::Stdin | Source::Memory { .. } => PathBuf::new(),
            };
            return parse_pairs(&text.name, &text.text, &base).map(Some);
        }
        let (Some(reference), Some(candidate)) = (&self.reference, &self.candidate) else {
            return Err(Error::Usage("give REFERENCE and CANDIDATE, or --pairs FILE".into()));
        };
        let (r, c) = (Path::new(reference), Path::new(candidate));
        match (r.is_dir(), c.is_dir()) {
            (false, false) => Ok(None),
            (true, true) => folder_set(r, c, self.allow_unpaired, global).map(Some),
            (true, false) | (false, true) => {
                let (folder, file) = if r.is_dir() { (reference, candidate) } else { (candidate, reference) };
                Err(Error::Usage(format!(
                    "{folder} is a directory but {file} is not\n  hint: pass two files (one article pair), two \
                     directories (a test set: files of the same name pair up), or --pairs PAIRS.tsv"
                )))
            }
        }
    }
}

/// The pairs of two folders; files without a partner are listed and refused
/// unless `allow_unpaired` (then only noted).
fn folder_set(reference: &Path, candidate: &Path, allow_unpaired: bool, global: Global) -> Result<Vec<PairSpec>> {
    let found = pair_folders(reference, candidate)?;
    let mut unpaired = Vec::new();
    for (names, folder, other) in
        [(&found.reference_only, reference, candidate), (&found.candidate_only, candidate, reference)]
    {
        if !names.is_empty() {
            unpaired.push(format!(
                "{} in {} with no file of the same name in {}: {}",
                names.len(),
                folder.display(),
                other.display(),
                names.join(", ")
            ));
        }
    }
    if !unpaired.is_empty() {
        if !allow_unpaired {
            return Err(Error::Usage(format!(
                "some files have no partner:\n  {}\n  hint: add the missing files, or pass --allow-unpaired to \
                 score the pairs that match ({})",
                unpaired.join("\n  "),
                found.pairs.len()
            )));
        }
        global.warn(&format!("skipping files with no partner:\n  {}", unpaired.join("\n  ")));
    }
    if found.pairs.is_empty() {
        return Err(Error::Empty {
            path: format!("{} and {}", reference.display(), candidate.display()),
            what: "no file name occurs in both folders, so there is no pair to score".into(),
            hint: "name each candidate file like its reference (e.g. refs/a.txt and cands/a.txt)".into(),
        });
    }
    Ok(found.pairs)
}

/// Warn when a text looks Chinese, Japanese or Korean and BLEU tokenizes with 13a.
fn warn_if_cjk<'a>(texts: impl IntoIterator<Item = &'a Text>, tokenizer: TokenizerKind, global: Global) {
    if tokenizer != TokenizerKind::Mteval13a {
        return;
    }
    if let Some(text) = texts.into_iter().find(|t| looks_cjk(&t.text)) {
        global.warn(&format!(
            "{} looks like Chinese, Japanese or Korean text, but BLEU tokenizes with 13a, which splits \
             only at spaces and punctuation\n  hint: pass -l SRC-zh (or --tokenize zh) for Chinese, \
             --tokenize char for Japanese or Korean; name fidelity only covers Latin-script targets",
            text.name
        ));
    }
}

/// Read and score one article pair.
fn score_pair(args: &ScoreArgs, reference: &str, candidate: &str, global: Global) -> Result<ArticleReport> {
    let (reference, candidate) = (Source::parse(reference), Source::parse(candidate));
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
    let options = args.options()?;
    warn_if_cjk([&reference, &candidate], options.tokenizer, global);
    let report = score_article(&reference, &candidate, &options)?;
    warn_about_coverage(&report, global);
    warn_if_swapped(&report, global);
    warn_if_other_script(&report, global);
    Ok(report)
}

/// The scripts of the reference and the candidate of `report`, when they differ.
fn script_mismatch(report: &ArticleReport) -> Option<(Script, Script)> {
    let sentences = &report.sentences;
    script::mismatch(sentences.reference.iter().map(String::as_str), sentences.candidate.iter().map(String::as_str))
}

/// Warn when the reference is written in another script than the candidate
/// (the source text passed as the reference): the sentences were aligned by
/// length, and the scores compare two languages.
fn warn_if_other_script(report: &ArticleReport, global: Global) {
    let Some((reference, candidate)) = script_mismatch(report) else { return };
    global.warn(&format!(
        "{} is mostly written in {reference} letters and {} in {candidate}: the reference does not look like a \
         translation into the candidate's language, so the sentences were aligned by length, and the scores and name findings say \
         little\n  hint: pass the reference translation, not the source text",
        report.inputs.reference, report.inputs.candidate
    ));
}

/// Omitted reference sentences at the reference's start or end (outside its
/// aligned body) that make the files look swapped.
const SWAPPED_EDGE_OMISSIONS: usize = 2;

/// Characters of each sentence a warning quotes.
const QUOTED_CHARS: usize = 40;

/// Warn when the files look swapped: page furniture (a site header, a
/// headline, "Related Articles") sits at the edges of the candidate of a
/// scraped page, so reference sentences omitted at the reference's edges,
/// with no extra sentences at the candidate's, suggest the reference is the page.
fn warn_if_swapped(report: &ArticleReport, global: Global) {
    let (Some(first), Some(last)) = (report.pairs.first(), report.pairs.last()) else { return };
    let body = first.reference.first().copied().unwrap_or(0)..=last.reference.last().copied().unwrap_or(0);
    let at_edges: Vec<usize> = report.unaligned.reference.iter().copied().filter(|i| !body.contains(i)).collect();
    let candidate_edges = report.document.extra - report.document.extra_in_body;
    if at_edges.len() < SWAPPED_EDGE_OMISSIONS || candidate_edges > 0 {
        return;
    }
    let quoted: Vec<String> = at_edges
        .iter()
        .take(3)
        .map(|&i| {
            let text = crate::untrusted::for_terminal(&report.sentences.reference[i]);
            let cut: String = text.chars().take(QUOTED_CHARS).collect();
            if cut.len() < text.len() {
                format!("\"{cut}…\"")
            } else {
                format!("\"{cut}\"")
            }
        })
        .collect();
    global.warn(&format!(
        "{} reference sentences at the start or end of {} have no counterpart ({}), and {} has no extra \
         sentences there: did you swap the files?\n  hint: the reference comes first: tqscore score REFERENCE \
         CANDIDATE; page furniture (site header, headline, footer) belongs to the candidate",
        at_edges.len(),
        report.inputs.reference,
        quoted.join(", "),
        report.inputs.candidate
    ));
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

/// Most article ids a coverage warning names.
const NAMED_IN_WARNING: usize = 10;

/// Warn, once for the set, about articles where few reference sentences aligned.
fn warn_about_set_coverage(report: &SetReport, global: Global) {
    let weak: Vec<&str> = report
        .articles
        .iter()
        .filter(|a| a.report().is_some_and(|r| r.document.coverage < LOW_COVERAGE))
        .map(|a| a.id.as_str())
        .collect();
    if weak.is_empty() {
        return;
    }
    let more = weak.len().saturating_sub(NAMED_IN_WARNING);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    global.warn(&format!(
        "in {} of {} articles under {:.0}% of the reference sentences aligned: {}{more}\n  hint: check that \
         each candidate translates its reference (see `document.coverage` of each article in the report)",
        weak.len(),
        report.set.scored,
        100.0 * LOW_COVERAGE,
        weak.iter().take(NAMED_IN_WARNING).copied().collect::<Vec<_>>().join(", ")
    ));
}

/// Warn, once for the set, about articles whose reference is written in another script than the candidate.
fn warn_about_set_scripts(report: &SetReport, global: Global) {
    let other: Vec<&str> = report
        .articles
        .iter()
        .filter(|a| a.report().is_some_and(|r| script_mismatch(r).is_some()))
        .map(|a| a.id.as_str())
        .collect();
    if other.is_empty() {
        return;
    }
    let more = other.len().saturating_sub(NAMED_IN_WARNING);
    let more = if more > 0 { format!(" and {more} more") } else { String::new() };
    global.warn(&format!(
        "in {} of {} articles the reference is mostly written in another script than the candidate, so it does \
         not look like a translation into the candidate's language (the sentences were aligned by length): \
         {}{more}\n  hint: pass the reference translations, not the source texts",
        other.len(),
        report.set.scored,
        other.iter().take(NAMED_IN_WARNING).copied().collect::<Vec<_>>().join(", ")
    ));
}

/// Run `tqscore score`.
pub(super) fn run(args: &ScoreArgs, global: Global) -> Result<i32> {
    if let Some(output) = &args.output {
        refuse_input_as_output(output, &args.inputs())?;
    }
    let gate = args.gate.load()?;
    let rendering = Rendering { format: args.format, output: args.output.as_deref(), all: args.all };
    if let Some(pairs) = args.test_set(global)? {
        let options = args.options()?;
        let progress = Progress::new(pairs.len(), "articles", global.quiet);
        let articles = score_set(&pairs, &options, args.keep_going, &|| progress.advance())?;
        drop(progress);
        let resampling = Resampling { bootstrap: options.bootstrap, seed: options.seed };
        let report = set_report(articles, article_signature(&options), resampling)?;
        warn_about_set_coverage(&report, global);
        warn_about_set_scripts(&report, global);
        return finish_set(report, resampling, &rendering, gate.as_ref(), global);
    }
    let (Some(reference), Some(candidate)) = (&args.reference, &args.candidate) else {
        return Err(Error::Usage("give REFERENCE and CANDIDATE, or --pairs FILE".into()));
    };
    let report = score_pair(args, reference, candidate, global)?;
    if args.format == ReportFormat::Stats {
        // One article is a set of one: its statistics merge with others'.
        let options = args.options()?;
        let resampling = Resampling { bootstrap: options.bootstrap, seed: options.seed };
        let entry = ArticleEntry { id: candidate.clone(), outcome: ArticleOutcome::Scored(Box::new(report)) };
        let set = set_report(vec![entry], article_signature(&options), resampling)?;
        return finish_set(set, resampling, &rendering, gate.as_ref(), global);
    }
    finish_report(report, &rendering, gate.as_ref(), global)
}

/// How a report is to be written: format, `-o` file, `--all`.
pub(super) struct Rendering<'a> {
    /// Output format on standard output.
    pub format: ReportFormat,
    /// Where to save the JSON report too (the HTML page, for `--format html`).
    pub output: Option<&'a Path>,
    /// Show every pair (or article).
    pub all: bool,
}

/// Gate an article report, write it in the chosen format and return the exit code.
fn finish_report(
    mut report: ArticleReport,
    rendering: &Rendering<'_>,
    gate: Option<&LoadedGate>,
    global: Global,
) -> Result<i32> {
    let verdict = gate.map(|g| g.evaluate(&to_json(&report), RUN_REPORT)).transpose()?;
    report.gate = verdict.as_ref().map(|v| v.report.clone());
    emit(&report, rendering, verdict.as_ref(), None, global)
}

/// Gate a set report, write it in the chosen format (or its shard, for
/// `--format stats`) and return the exit code: 2 when some articles failed
/// (`--keep-going`), after everything is written.
pub(super) fn finish_set(
    mut report: SetReport,
    resampling: Resampling,
    rendering: &Rendering<'_>,
    gate: Option<&LoadedGate>,
    global: Global,
) -> Result<i32> {
    let verdict = gate.map(|g| g.evaluate(&to_json(&report), RUN_REPORT)).transpose()?;
    report.gate = verdict.as_ref().map(|v| v.report.clone());
    let shard = (rendering.format == ReportFormat::Stats)
        .then(|| Shard::of(&report.articles, &report.signature, resampling).to_json());
    let code = emit(&report, rendering, verdict.as_ref(), shard, global)?;
    if report.set.failed > 0 {
        global.warn(&format!(
            "{} of {} articles could not be scored (see `error` in the report); the set's scores leave them out",
            report.set.failed, report.set.articles
        ));
        return Ok(EXIT_USAGE);
    }
    Ok(code)
}

pub(super) fn to_json(report: &impl Serialize) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}

/// Write a (gated) report in the chosen format, `shard` for `--format stats`,
/// and save its JSON to `-o` (or, for `--format html`, the page: then standard
/// output gets nothing but a gate's table goes to standard error); returns the exit code.
pub(super) fn emit<R>(
    report: &R,
    rendering: &Rendering<'_>,
    verdict: Option<&Verdict>,
    shard: Option<String>,
    global: Global,
) -> Result<i32>
where
    R: Serialize,
    TextExporter: Exporter<R>,
    MarkdownExporter: Exporter<R>,
    HtmlExporter: Exporter<R>,
{
    let (rendered, table) = match (rendering.format, shard) {
        (ReportFormat::Stats, Some(shard)) => (shard, Table::Stderr),
        (ReportFormat::Json | ReportFormat::Stats, _) => (JsonExporter.export(report), Table::Stderr),
        (ReportFormat::Markdown, _) => (MarkdownExporter { all: rendering.all }.export(report), Table::Markdown),
        (ReportFormat::Html, _) => (HtmlExporter.export(report), Table::Stderr),
        (ReportFormat::Text, _) => (report_shape(global.color, rendering.all).export(report), Table::Text),
    };
    let (rendered, saved) = match (rendering.format, rendering.output) {
        (ReportFormat::Html, Some(_)) => (String::new(), Some(rendered)),
        (_, Some(_)) => (rendered, Some(JsonExporter.export(report))),
        (_, None) => (rendered, None),
    };
    finish(rendered, rendering.output.zip(saved.as_deref()), verdict, table, global)
}

/// The terminal report's shape: `$COLUMNS` (40..=1000) or else the width of the
/// terminal on standard output, else 100 (a file or a pipe); `$LINES`
/// (10..=10,000) or else the terminal's height, never less than one 80×40 screen.
fn report_shape(color: bool, all: bool) -> TextExporter {
    let variable = |name: &str, range: std::ops::RangeInclusive<usize>| {
        std::env::var(name).ok().and_then(|v| v.parse().ok()).filter(|v| range.contains(v))
    };
    const WIDTHS: std::ops::RangeInclusive<usize> = 40..=1000;
    let terminal = terminal_size::terminal_size().map(|(w, h)| (usize::from(w.0), usize::from(h.0)));
    let width =
        variable("COLUMNS", WIDTHS).or_else(|| terminal.map(|(w, _)| w).filter(|w| WIDTHS.contains(w))).unwrap_or(100);
    let height =
        variable("LINES", 10..=10_000).unwrap_or_else(|| terminal.map_or(SCREEN_HEIGHT, |(_, h)| h.max(SCREEN_HEIGHT)));
    TextExporter { color, all, width, height }
}
