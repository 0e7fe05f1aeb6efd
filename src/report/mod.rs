//! The article report: its data model (the stable JSON schema, see
//! `docs/report-schema.json`) and the exporters that render it as JSON,
//! terminal text, Markdown or a self-contained HTML page, all behind one
//! [`Exporter`] trait.

mod html;
mod markdown;
mod set;
mod text;

use serde::{Deserialize, Serialize};

pub use html::HtmlExporter;
pub use markdown::MarkdownExporter;
pub use set::{ArticleEntry, ArticleFailure, ArticleOutcome, SetReport, SetSummary};
pub use text::{TextExporter, SCREEN_HEIGHT};

use crate::gate::GateReport;
use crate::metrics::Score;
use crate::names::{Confidence, EntityReport, NameReport, PairNames, VariantCount};
use crate::stats::Distribution;

/// Everything tqscore found about one candidate article. Serialised, this is
/// the JSON report; every other format is rendered from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArticleReport {
    /// tqscore's version.
    pub tqscore_version: String,
    /// How the report was produced (normalisation, segmentation, alignment, bootstrap, versions).
    pub signature: String,
    /// Where the texts came from.
    pub inputs: Inputs,
    /// Document-level scores and counts.
    pub document: DocumentSummary,
    /// Distributions of per-pair scores.
    pub summary: Summary,
    /// Aligned pairs, in document order.
    pub pairs: Vec<PairReport>,
    /// Sentences left unaligned.
    pub unaligned: Unaligned,
    /// The segmented, normalised sentences that were scored.
    pub sentences: Sentences,
    /// Name fidelity.
    pub names: NameReport,
    /// Quality gate outcome (when a gate was applied).
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub gate: Option<GateReport>,
    /// The segments of the document scores (the document rule's units, in
    /// order), for `compare`'s paired blocks; not part of the JSON report.
    #[serde(skip)]
    pub units: Vec<crate::document::Unit>,
}

/// The input files.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Inputs {
    /// Reference file name (`<stdin>` for standard input).
    pub reference: String,
    /// Candidate file name.
    pub candidate: String,
}

/// A document-level score with its bootstrap confidence interval.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentMetric {
    /// The score and its statistics.
    #[serde(flatten)]
    pub score: Score,
    /// 95% bootstrap confidence interval `[low, high]` (null without bootstrap or pairs).
    pub ci95: Option<[f64; 2]>,
}

/// Document-level results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocumentSummary {
    /// Corpus BLEU over the whole reference: aligned pairs, omitted reference
    /// sentences (against nothing) and additions inside the body (against nothing).
    pub bleu: DocumentMetric,
    /// Corpus chrF over the same segments as `bleu`.
    pub chrf: DocumentMetric,
    /// Corpus TER over the same segments (an error rate: lower is better; may exceed 100).
    pub ter: DocumentMetric,
    /// The same metrics over the aligned pairs only (ignores omissions and additions).
    pub aligned: AlignedScores,
    /// Aligned reference sentences / all reference sentences.
    pub coverage: f64,
    /// Number of reference sentences.
    pub reference_sentences: usize,
    /// Number of candidate sentences.
    pub candidate_sentences: usize,
    /// Number of aligned pairs (beads).
    pub pairs: usize,
    /// Candidate sentences without counterpart (boilerplate, additions).
    pub extra: usize,
    /// Of `extra`, those inside the body (between the first and last aligned
    /// candidate sentence): additions, which the headline scores count.
    pub extra_in_body: usize,
    /// Reference sentences without rendering.
    pub omitted: usize,
    /// Pairs flagged as low-confidence alignments.
    pub low_confidence: usize,
}

/// Document scores over the aligned pairs only.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlignedScores {
    /// Corpus BLEU over the aligned pairs.
    pub bleu: DocumentMetric,
    /// Corpus chrF over the aligned pairs.
    pub chrf: DocumentMetric,
    /// Corpus TER over the aligned pairs.
    pub ter: DocumentMetric,
}

/// Summary statistics of per-pair scores.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Summary {
    /// Per-pair sentence BLEU.
    pub bleu: Distribution,
    /// Per-pair chrF.
    pub chrf: Distribution,
    /// Per-pair sentence TER.
    pub ter: Distribution,
}

/// One aligned pair (bead).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PairReport {
    /// 0-based reference sentence indices.
    pub reference: Vec<usize>,
    /// 0-based candidate sentence indices.
    pub candidate: Vec<usize>,
    /// `C-R`: candidate sentences, then reference sentences (`2-1`).
    pub kind: String,
    /// Alignment similarity (Dice over words and character trigrams), 0..1.
    pub similarity: f64,
    /// Whether the alignment is uncertain.
    pub low_confidence: bool,
    /// Sentence BLEU (13a, exp smoothing, effective order).
    pub bleu: f64,
    /// Sentence chrF.
    pub chrf: f64,
    /// Sentence TER (sacreBLEU's defaults; lower is better).
    pub ter: f64,
    /// BLEU n-gram precisions, percent.
    pub precisions: Vec<f64>,
    /// Candidate length in tokens.
    pub sys_len: u64,
    /// Reference length in tokens.
    pub ref_len: u64,
    /// Name renderings in this pair.
    pub names: PairNames,
}

/// Indices of sentences left unaligned.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Unaligned {
    /// Omitted reference sentences.
    pub reference: Vec<usize>,
    /// Extra candidate sentences.
    pub candidate: Vec<usize>,
}

/// The sentences as scored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Sentences {
    /// Reference sentences, in order.
    pub reference: Vec<String>,
    /// Candidate sentences, in order.
    pub candidate: Vec<String>,
}

/// Renders a report (an [`ArticleReport`] by default, or a [`SetReport`]) in one output format.
pub trait Exporter<R: ?Sized = ArticleReport> {
    /// The report as text in this format.
    fn export(&self, report: &R) -> String;
}

/// The JSON report (pretty-printed, stable field order).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonExporter;

impl<R: Serialize + ?Sized> Exporter<R> for JsonExporter {
    fn export(&self, report: &R) -> String {
        let mut json = serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
        json.push('\n');
        json
    }
}

/// Format an optional number with `decimals`, or `–` when absent.
pub(crate) fn fmt_opt(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "–".to_string(), |v| format!("{v:.decimals$}"))
}

/// Count pairs by kind, most frequent first: `19 × 1-1, 1 × 2-1`.
pub(crate) fn kind_counts(pairs: &[PairReport]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for p in pairs {
        match counts.iter_mut().find(|(k, _)| *k == p.kind) {
            Some((_, n)) => *n += 1,
            None => counts.push((p.kind.clone(), 1)),
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.iter().map(|(k, n)| format!("{n} × {k}")).collect::<Vec<_>>().join(", ")
}

/// Pairs ordered from weakest to strongest sentence BLEU (ties: document order).
pub(crate) fn weakest_first(report: &ArticleReport) -> Vec<(usize, &PairReport)> {
    let mut order: Vec<(usize, &PairReport)> = report.pairs.iter().enumerate().collect();
    order.sort_by(|a, b| a.1.bleu.total_cmp(&b.1.bleu).then(a.0.cmp(&b.0)));
    order
}

/// The texts of a pair's sides, from the report's sentences.
pub(crate) fn pair_texts(report: &ArticleReport, pair: &PairReport) -> (String, String) {
    use crate::document::joined;
    (joined(&report.sentences.reference, &pair.reference), joined(&report.sentences.candidate, &pair.candidate))
}

/// The names of a report with findings (a variant, wrong or missing rendering), in report order.
pub(crate) fn name_findings(names: &NameReport) -> Vec<&EntityReport> {
    names.entities.iter().filter(|e| !e.variants.is_empty() || !e.wrong.is_empty() || e.missing > 0).collect()
}

/// Renderings with their counts: `Vikov ×3, Witkov ×3`.
pub(crate) fn counted(renderings: &[VariantCount]) -> String {
    renderings.iter().map(|v| format!("{} ×{}", v.text, v.count)).collect::<Vec<_>>().join(", ")
}

/// A name's flag confidence as a word, `–` without flags.
pub(crate) fn confidence_word(confidence: Option<Confidence>) -> &'static str {
    confidence.map_or("–", |c| match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    })
}
