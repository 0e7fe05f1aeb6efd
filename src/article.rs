//! The article pipeline: text → sentences → alignment → per-pair statistics →
//! document statistics → [`ArticleReport`].
//!
//! Aligned pairs are scored with sacreBLEU's definitions: per pair, sentence
//! BLEU (exp smoothing, effective order), chrF and TER. The document's
//! headline scores count the **whole reference**, one segment per reference
//! paragraph ([`crate::document`]): the beads of a paragraph together, its
//! omitted sentences in the reference (they cost recall and brevity), the
//! unaligned candidate sentences *inside the body* in the hypothesis
//! (additions cost precision); boilerplate outside the body (a site header, a
//! footer) stays out. So deleting a hard sentence cannot raise the score the
//! way it would if only aligned pairs counted; the aligned-pairs-only figure
//! (one segment per pair) is kept as `document.aligned`, clearly labelled.
//! Both are exactly what sacreBLEU reports when fed the same segments one per
//! line.

use std::collections::HashMap;

use crate::align::{align, AlignParams, Bead};
use crate::corpus::{build_pool, score_segments_in_current_pool, Segments};
use crate::document::{self, Unit};
use crate::error::{Error, Result};
use crate::input::Text;
use crate::metrics::{Bleu, Chrf, Metric, Ter};
use crate::names::{self, Aliases};
use crate::normalize::{normalize, Normalization};
use crate::report::{
    AlignedScores, ArticleReport, DocumentMetric, DocumentSummary, Inputs, PairReport, Sentences, Summary, Unaligned,
};
use crate::segment::{split_sentences, Sentence};
use crate::stats::{bootstrap_ci95, Distribution};
use crate::tokenize::TokenizerKind;

/// Options of article scoring.
#[derive(Debug, Clone)]
pub struct ArticleOptions {
    /// Text normalisation (NFC always; quote folding by default).
    pub normalization: Normalization,
    /// Alignment constants.
    pub align: AlignParams,
    /// Bootstrap replicates for confidence intervals (0: none).
    pub bootstrap: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Name aliases (built-in, plus `--aliases FILE`).
    pub aliases: Aliases,
    /// BLEU's tokenizer (13a by default; `zh` for Chinese).
    pub tokenizer: TokenizerKind,
}

impl Default for ArticleOptions {
    fn default() -> Self {
        ArticleOptions {
            normalization: Normalization::default(),
            align: AlignParams::default(),
            bootstrap: 1000,
            seed: crate::stats::DEFAULT_SEED,
            threads: 0,
            aliases: Aliases::builtin(),
            tokenizer: TokenizerKind::default(),
        }
    }
}

/// How an article report is produced: normalisation, segmentation,
/// alignment, the document rule, the bootstrap and the versions. Reports (and
/// test-set shards) with the same signature compare and merge.
pub fn article_signature(options: &ArticleOptions) -> String {
    let fold = if options.normalization.fold_quotes { "yes" } else { "no" };
    format!(
        "fold:{fold}|seg:uax29+rules-v2|align:anchored-v4|doc:paragraphs|bootstrap:{}|seed:{}|version:{}|tqscore:{}",
        options.bootstrap,
        options.seed,
        crate::metrics::SACREBLEU_VERSION,
        env!("CARGO_PKG_VERSION")
    )
}

/// Sentences of an article after normalisation, refusing articles with no text.
pub fn article_sentences(text: &Text, how: Normalization) -> Result<Vec<Sentence>> {
    let sentences = split_sentences(&normalize(&text.text, how));
    if sentences.is_empty() {
        return Err(Error::Empty {
            path: text.name.clone(),
            what: "the article has no text (it is empty or only whitespace)".into(),
            hint: "pass the article's text file".into(),
        });
    }
    Ok(sentences)
}

/// Score a candidate article against its reference, on a pool of
/// `options.threads` workers: the two articles are segmented side by side, the
/// alignment's similarities are computed in parallel, and names are matched
/// while the pairs are scored.
pub fn score_article(reference: &Text, candidate: &Text, options: &ArticleOptions) -> Result<ArticleReport> {
    build_pool(options.threads)?.install(|| score_article_in_current_pool(reference, candidate, options))
}

/// [`score_article`] on the current rayon pool (a test set scores its articles on one pool).
pub(crate) fn score_article_in_current_pool(
    reference: &Text,
    candidate: &Text,
    options: &ArticleOptions,
) -> Result<ArticleReport> {
    let (ref_sentences, cand_sentences) = rayon::join(
        || article_sentences(reference, options.normalization),
        || article_sentences(candidate, options.normalization),
    );
    let (ref_sentences, cand_sentences) = (ref_sentences?, cand_sentences?);
    let beads = align(&ref_sentences, &cand_sentences, &options.align);
    let pairs: Vec<&Bead> = beads.iter().filter(|b| b.is_pair()).collect();
    let mut unaligned = Unaligned::default();
    for bead in beads.iter().filter(|b| !b.is_pair()) {
        unaligned.reference.extend(bead.reference.clone());
        unaligned.candidate.extend(bead.candidate.clone());
    }
    // The body: from the first to the last candidate sentence of an aligned pair.
    let body = pairs.first().zip(pairs.last()).map_or(0..0, |(a, b)| a.candidate.start..b.candidate.end);
    let in_body: Vec<usize> = unaligned.candidate.iter().copied().filter(|i| body.contains(i)).collect();

    // Segments scored: every aligned pair (items 0..pairs: the per-pair scores and the
    // aligned figure), then each unit of the document rule that is not one pair alone
    // ([`crate::document`]).
    let mut segment_units: Vec<Unit> = pairs.iter().map(|bead| Unit::of(bead)).collect();
    let pair_of: HashMap<Unit, usize> = segment_units.iter().cloned().zip(0..).collect();
    let units = document::units(&beads, &ref_sentences, &body);
    // Units are distinct: one that is not a pair alone is a segment of its own.
    let whole_items: Vec<usize> = units
        .iter()
        .map(|unit| match pair_of.get(unit) {
            Some(&pair) => pair,
            None => {
                segment_units.push(unit.clone());
                segment_units.len() - 1
            }
        })
        .collect();
    let aligned_items: Vec<usize> = (0..pairs.len()).collect();
    let (refs, hyps): (Vec<String>, Vec<String>) =
        segment_units.iter().map(|u| u.texts(&ref_sentences, &cand_sentences)).unzip();
    let bleu = Bleu { tokenizer: options.tokenizer, ..Bleu::default() };
    let sentence_bleu = Bleu { effective_order: true, ..bleu.clone() };
    let chrf = Chrf::default();
    let ter = Ter::DEFAULT;
    let metrics: [&dyn Metric; 3] = [&bleu, &chrf, &ter];
    let segments = Segments::from_streams(&hyps, &[refs]);
    let (stats, (name_report, pair_names)) = rayon::join(
        || score_segments_in_current_pool(&metrics, &segments, true),
        || names::analyze(&ref_sentences, &cand_sentences, &pairs, &options.aliases),
    );
    let fold = if options.normalization.fold_quotes { "yes" } else { "no" };
    let mut pair_reports = Vec::with_capacity(pairs.len());
    for (i, bead) in pairs.iter().enumerate() {
        let bleu_stats = stats.segment(0, bleu.stats_len(), i).unwrap_or_default();
        let chrf_stats = stats.segment(1, chrf.stats_len(), i).unwrap_or_default();
        let ter_stats = stats.segment(2, ter.stats_len(), i).unwrap_or_default();
        let (bleu_score, details) = sentence_bleu.compute_stats(bleu_stats);
        pair_reports.push(PairReport {
            reference: bead.reference.clone().collect(),
            candidate: bead.candidate.clone().collect(),
            kind: bead.kind(),
            similarity: bead.similarity,
            low_confidence: bead.low_confidence,
            bleu: bleu_score,
            chrf: chrf.score(chrf_stats, 1).score,
            ter: ter.score(ter_stats, 1).score,
            precisions: details.precisions,
            sys_len: details.sys_len,
            ref_len: details.ref_len,
            names: pair_names[i],
        });
    }

    // A document score over the segments `items`, with its bootstrap interval over them.
    let document_metric = |metric: &dyn Metric, index: usize, items: &[usize]| {
        let len = metric.stats_len();
        let all = stats.per_segment.as_ref().map(|p| p[index].as_slice()).unwrap_or_default();
        let per_item: Vec<u64> = items.iter().flat_map(|&i| all[i * len..(i + 1) * len].iter().copied()).collect();
        let mut totals = vec![0; len];
        per_item.chunks(len).for_each(|item| crate::metrics::add_stats(&mut totals, item));
        let mut score = metric.score(&totals, 1);
        score.signature = score.signature.insert_before_version("fold", fold);
        DocumentMetric { ci95: bootstrap_ci95(metric, &per_item, options.bootstrap, options.seed), score }
    };
    let bleu_values: Vec<f64> = pair_reports.iter().map(|p| p.bleu).collect();
    let chrf_values: Vec<f64> = pair_reports.iter().map(|p| p.chrf).collect();
    let ter_values: Vec<f64> = pair_reports.iter().map(|p| p.ter).collect();

    let aligned_reference = ref_sentences.len() - unaligned.reference.len();
    let document = DocumentSummary {
        bleu: document_metric(&bleu, 0, &whole_items),
        chrf: document_metric(&chrf, 1, &whole_items),
        ter: document_metric(&ter, 2, &whole_items),
        aligned: AlignedScores {
            bleu: document_metric(&bleu, 0, &aligned_items),
            chrf: document_metric(&chrf, 1, &aligned_items),
            ter: document_metric(&ter, 2, &aligned_items),
        },
        coverage: aligned_reference as f64 / ref_sentences.len() as f64,
        reference_sentences: ref_sentences.len(),
        candidate_sentences: cand_sentences.len(),
        pairs: pair_reports.len(),
        extra: unaligned.candidate.len(),
        extra_in_body: in_body.len(),
        omitted: unaligned.reference.len(),
        low_confidence: pair_reports.iter().filter(|p| p.low_confidence).count(),
    };
    Ok(ArticleReport {
        tqscore_version: env!("CARGO_PKG_VERSION").to_string(),
        signature: article_signature(options),
        inputs: Inputs { reference: reference.name.clone(), candidate: candidate.name.clone() },
        document,
        summary: Summary {
            bleu: Distribution::of(&bleu_values),
            chrf: Distribution::of(&chrf_values),
            ter: Distribution::of(&ter_values),
        },
        pairs: pair_reports,
        unaligned,
        sentences: Sentences {
            reference: ref_sentences.into_iter().map(|s| s.text).collect(),
            candidate: cand_sentences.into_iter().map(|s| s.text).collect(),
        },
        names: name_report,
        gate: None,
        units,
    })
}
