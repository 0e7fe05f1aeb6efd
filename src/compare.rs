//! Which candidate is better? Two candidates of the same reference (or two
//! candidate test sets of the same references) compared with a paired
//! bootstrap over the units both share.
//!
//! For one article the unit is a **block** of reference sentences: the
//! smallest runs of reference sentences that no segment of either document
//! score crosses (a segment of the document rule, [`crate::document`], is
//! made of whole beads), so each block holds the whole rendering of its
//! sentences in both candidates. Each block carries, per candidate, the
//! additive statistics of the document segments it holds (an addition with
//! an empty reference goes with the block of the next segment), so the
//! blocks' statistics add up to the document's. For a test set the unit is the
//! **article**. Name fidelity rides along as counts per unit.
//!
//! The test is Koehn's paired bootstrap with sacreBLEU's p-value: `n`
//! replicates draw units with replacement (the same draw for both
//! candidates, a PCG-64 per replicate seeded from `seed`, as
//! [`crate::stats::bootstrap_ci95`]); the p-value is `(1 + #{k : |d_k − d̄| ≥ |d|}) / (n + 1)`
//! for the real difference `d` and the replicates' differences `d_k`, and
//! the 95% interval of the difference is the replicates at ranks n/40 and
//! n − n/40 − 1. A candidate compared with itself has difference 0 and p = 1.

use std::ops::Range;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;
use serde::Serialize;

use crate::article::ArticleOptions;
use crate::corpus::{build_pool, score_segments_in_current_pool, Segments};
use crate::error::Result;
use crate::gate::GateReport;
use crate::metrics::{add_stats, Bleu, Chrf, Metric, PyStats, Ter};
use crate::names::Tier;
use crate::report::ArticleReport;

/// Name counts per unit: correct, variant, wrong, missing, unmatched.
const NAME_COUNTS: usize = 5;

/// The measures compared, in report order: key, and whether lower is better.
pub const MEASURES: [(&str, bool); 5] =
    [("bleu", false), ("chrf", false), ("ter", true), ("names_recall", false), ("names_variant_rate", true)];

/// One unit's statistics for one candidate: BLEU, chrF, TER and name counts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UnitStats {
    /// BLEU statistics (corpus BLEU, 4-gram).
    pub bleu: Vec<u64>,
    /// chrF statistics.
    pub chrf: Vec<u64>,
    /// TER statistics.
    pub ter: Vec<u64>,
    /// Name renderings: correct, variant, wrong, missing, unmatched.
    pub names: [u64; NAME_COUNTS],
}

impl UnitStats {
    fn zero() -> UnitStats {
        UnitStats {
            bleu: vec![0; Bleu::default().stats_len()],
            chrf: vec![0; Chrf::default().stats_len()],
            ter: vec![0; Ter::DEFAULT.stats_len()],
            names: [0; NAME_COUNTS],
        }
    }

    fn add(&mut self, other: &UnitStats) {
        add_stats(&mut self.bleu, &other.bleu);
        add_stats(&mut self.chrf, &other.chrf);
        add_stats(&mut self.ter, &other.ter);
        add_stats(&mut self.names, &other.names);
    }

    /// The value of measure `k` of [`MEASURES`] (none when undefined, like a
    /// recall without names).
    fn value(&self, k: usize) -> Option<f64> {
        let [correct, variants, wrong, missing, unmatched] = self.names;
        let ratio = |num: u64, den: u64| (den > 0).then(|| num as f64 / den as f64);
        match k {
            0 => Some(Bleu::default().value(PyStats::Ints(&self.bleu)).as_f64()),
            1 => Some(Chrf::default().value(PyStats::Ints(&self.chrf)).as_f64()),
            2 => Some(Ter::DEFAULT.value(PyStats::Ints(&self.ter)).as_f64()),
            3 => ratio(correct, correct + variants + wrong + missing + unmatched),
            _ => ratio(variants + wrong, correct + variants + wrong),
        }
    }

    /// Sum of `units`.
    pub fn total<'a>(units: impl IntoIterator<Item = &'a UnitStats>) -> UnitStats {
        let mut total = UnitStats::zero();
        units.into_iter().for_each(|u| total.add(u));
        total
    }
}

/// The unit statistics of a scored article: its document totals (for a test set).
pub fn article_unit(report: &ArticleReport) -> UnitStats {
    let n = &report.names;
    let count = |x: usize| x as u64;
    UnitStats {
        bleu: report.document.bleu.score.details.statistics(1),
        chrf: report.document.chrf.score.details.statistics(1),
        ter: report.document.ter.score.details.statistics(1),
        names: [count(n.correct), count(n.variants), count(n.wrong), count(n.missing), count(n.unmatched)],
    }
}

/// The smallest blocks of reference sentences that no document segment (nor
/// aligned pair) of either report crosses (both score the same reference).
pub fn shared_blocks(a: &ArticleReport, b: &ArticleReport) -> Vec<Range<usize>> {
    let n = a.sentences.reference.len();
    // joined[i]: sentences i and i + 1 are in one segment of either report.
    let mut joined = vec![false; n.saturating_sub(1)];
    let spans = a
        .units
        .iter()
        .chain(&b.units)
        .map(|u| &u.reference)
        .chain(a.pairs.iter().chain(&b.pairs).map(|p| &p.reference));
    for reference in spans {
        if let (Some(&first), Some(&last)) = (reference.first(), reference.last()) {
            joined[first..last].iter_mut().for_each(|j| *j = true);
        }
    }
    let mut blocks = Vec::new();
    let mut start = 0;
    for (i, &joined_to_next) in joined.iter().chain([&false]).enumerate().take(n) {
        if !joined_to_next {
            blocks.push(start..i + 1);
            start = i + 1;
        }
    }
    blocks
}

/// Per block, the statistics of `report`'s document segments (see the module
/// documentation); they add up to the document's.
pub fn block_units(report: &ArticleReport, blocks: &[Range<usize>], tokenizer_bleu: &Bleu) -> Vec<UnitStats> {
    let block_of = |reference: usize| blocks.partition_point(|b| b.end <= reference);
    // Segments: (block, hypothesis, reference). An addition (no reference) goes with the
    // block of the next segment that has one, or of the last when none follows: one pass
    // from the end carries that block back.
    let last_block = report.units.iter().rev().find_map(|u| u.reference.last()).map_or(0, |&r| block_of(r));
    let mut next_block = last_block;
    let mut segments: Vec<(usize, String, String)> = report
        .units
        .iter()
        .rev()
        .map(|unit| {
            if let Some(&first) = unit.reference.first() {
                next_block = block_of(first);
            }
            let (reference, hyp) = unit.texts(&report.sentences.reference, &report.sentences.candidate);
            (next_block, hyp, reference)
        })
        .collect();
    segments.reverse();
    let (chrf, ter) = (Chrf::default(), Ter::DEFAULT);
    let metrics: [&dyn Metric; 3] = [tokenizer_bleu, &chrf, &ter];
    let hyps: Vec<&str> = segments.iter().map(|s| s.1.as_str()).collect();
    let refs: Vec<&str> = segments.iter().map(|s| s.2.as_str()).collect();
    let stats = score_segments_in_current_pool(&metrics, &Segments::from_streams(&hyps, &[refs]), true);
    let mut units = vec![UnitStats::zero(); blocks.len()];
    for (k, (block, _, _)) in segments.iter().enumerate() {
        let unit = &mut units[*block];
        add_stats(&mut unit.bleu, stats.segment(0, metrics[0].stats_len(), k).unwrap_or_default());
        add_stats(&mut unit.chrf, stats.segment(1, chrf.stats_len(), k).unwrap_or_default());
        add_stats(&mut unit.ter, stats.segment(2, ter.stats_len(), k).unwrap_or_default());
    }
    for pair in &report.pairs {
        let names = &pair.names;
        let unit = &mut units[block_of(pair.reference[0])];
        let counts = [names.correct, names.variants, names.wrong, names.missing, names.unmatched];
        counts.iter().zip(&mut unit.names).for_each(|(c, u)| *u += *c as u64);
    }
    // Names of omitted reference sentences are missing.
    for audit in report.names.mentions.iter().filter(|m| m.tier == Tier::Missing) {
        if let Some(i) = audit.sentence {
            units[block_of(i)].names[3] += 1;
        }
    }
    units
}

/// The comparison of one measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Delta {
    /// The baseline's value.
    pub baseline: Option<f64>,
    /// The candidate's value.
    pub candidate: Option<f64>,
    /// `candidate − baseline` (for TER and the variant rate, negative is better).
    pub delta: Option<f64>,
    /// 95% paired-bootstrap interval of the difference.
    pub ci95: Option<[f64; 2]>,
    /// Paired bootstrap p-value of the difference (1 for no difference).
    pub p_value: Option<f64>,
}

/// Compare measure `k` over paired units with `replicates` paired bootstrap replicates.
fn compare_measure(k: usize, baseline: &[UnitStats], candidate: &[UnitStats], replicates: usize, seed: u64) -> Delta {
    let (b, c) = (UnitStats::total(baseline).value(k), UnitStats::total(candidate).value(k));
    let delta = b.zip(c).map(|(b, c)| c - b);
    let mut out = Delta { baseline: b, candidate: c, delta, ci95: None, p_value: None };
    let (Some(d), n) = (delta, baseline.len()) else { return out };
    if replicates == 0 || n == 0 {
        return out;
    }
    let mut master = Pcg64::seed_from_u64(seed);
    let seeds: Vec<u64> = (0..replicates).map(|_| master.random()).collect();
    let mut deltas: Vec<f64> = seeds
        .into_par_iter()
        .filter_map(|replicate_seed| {
            let mut rng = Pcg64::seed_from_u64(replicate_seed);
            let (mut tb, mut tc) = (UnitStats::zero(), UnitStats::zero());
            for _ in 0..n {
                let i = rng.random_range(0..n);
                tb.add(&baseline[i]);
                tc.add(&candidate[i]);
            }
            Some(tc.value(k)? - tb.value(k)?)
        })
        .collect();
    if deltas.is_empty() {
        return out;
    }
    let centre = deltas.iter().sum::<f64>() / deltas.len() as f64;
    let beyond = deltas.iter().filter(|x| (*x - centre).abs() >= d.abs()).count();
    out.p_value = Some(if d == 0.0 { 1.0 } else { (beyond + 1) as f64 / (deltas.len() + 1) as f64 });
    deltas.sort_by(f64::total_cmp);
    let lower = deltas.len() / 40;
    out.ci95 = Some([deltas[lower], deltas[deltas.len() - lower - 1]]);
    out
}

/// One unit where the candidates differ most, both renderings side by side.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitChange {
    /// The article id (test sets) or the block's reference sentences, 0-based (articles).
    pub unit: String,
    /// The reference text of the block (empty for an article of a set).
    pub reference: String,
    /// The baseline's rendering of the block.
    pub baseline: String,
    /// The candidate's rendering of the block.
    pub candidate: String,
    /// The baseline's BLEU on the unit (sentence BLEU for a block, document BLEU for an article).
    pub baseline_bleu: f64,
    /// The candidate's BLEU on the unit.
    pub candidate_bleu: f64,
}

/// The comparison of two candidates.
#[derive(Debug, Clone, Serialize)]
pub struct CompareReport {
    /// tqscore's version.
    pub tqscore_version: String,
    /// How the comparison was made: the article signature plus the paired test.
    pub signature: String,
    /// What is compared: `block` (one article) or `article` (a test set).
    pub unit: &'static str,
    /// Paired units.
    pub units: usize,
    /// The inputs: reference, baseline, candidate (or the list of triples).
    pub inputs: CompareInputs,
    /// Per measure (bleu, chrf, ter, names_recall, names_variant_rate): candidate − baseline.
    pub delta: Measures<Option<f64>>,
    /// Per measure: the paired bootstrap p-value of the difference.
    pub p_value: Measures<Option<f64>>,
    /// Per measure: the 95% interval of the difference.
    pub ci95: Measures<Option<[f64; 2]>>,
    /// Per measure: the baseline's value.
    pub baseline: Measures<Option<f64>>,
    /// Per measure: the candidate's value.
    pub candidate: Measures<Option<f64>>,
    /// Units where the candidate gains most BLEU over the baseline, largest first.
    pub wins: Vec<UnitChange>,
    /// Units where the candidate loses most BLEU, largest loss first.
    pub losses: Vec<UnitChange>,
    /// Quality gate outcome (when a gate was applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateReport>,
}

/// The files compared.
#[derive(Debug, Clone, Serialize)]
pub struct CompareInputs {
    /// The reference (or the triples list, for a test set).
    pub reference: String,
    /// The baseline candidate (or `-` for a test set).
    pub baseline: String,
    /// The candidate (or `-` for a test set).
    pub candidate: String,
}

/// One value per measure, keyed as in [`MEASURES`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measures<T> {
    /// Corpus BLEU of the whole reference.
    pub bleu: T,
    /// chrF.
    pub chrf: T,
    /// TER (lower is better).
    pub ter: T,
    /// Name recall: correct renderings / reference name mentions.
    pub names_recall: T,
    /// Name variant rate: (variant + wrong) / rendered names (lower is better).
    pub names_variant_rate: T,
}

impl<T: Copy> Measures<T> {
    fn from_fn(f: impl Fn(usize) -> T) -> Measures<T> {
        Measures { bleu: f(0), chrf: f(1), ter: f(2), names_recall: f(3), names_variant_rate: f(4) }
    }

    /// The values in [`MEASURES`] order.
    pub fn values(&self) -> [T; 5] {
        [self.bleu, self.chrf, self.ter, self.names_recall, self.names_variant_rate]
    }
}

/// One measure of a comparison as reports show it: its label and its values,
/// the name measures in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShownMeasure {
    /// `BLEU`, `TER ↓`, `name recall %`, … (↓: lower is better).
    pub label: &'static str,
    /// The baseline's value.
    pub baseline: Option<f64>,
    /// The candidate's value.
    pub candidate: Option<f64>,
    /// `candidate − baseline`.
    pub delta: Option<f64>,
    /// The 95% interval of the difference.
    pub ci95: Option<[f64; 2]>,
    /// The p-value (never scaled).
    pub p_value: Option<f64>,
}

impl ShownMeasure {
    /// The measure's cells as the Markdown and HTML tables print them: baseline,
    /// candidate, signed delta, interval of the delta (`+a – +b`) and p, `–` when undefined.
    pub fn cells(&self) -> [String; 5] {
        use crate::report::fmt_opt;
        [
            fmt_opt(self.baseline, 2),
            fmt_opt(self.candidate, 2),
            self.delta.map_or_else(|| "–".to_string(), |v| format!("{v:+.2}")),
            self.ci95.map_or_else(|| "–".to_string(), |[lo, hi]| format!("{lo:+.2} – {hi:+.2}")),
            fmt_opt(self.p_value, 4),
        ]
    }
}

impl CompareReport {
    /// The measures in [`MEASURES`] order, scaled for display.
    pub fn shown_measures(&self) -> Vec<ShownMeasure> {
        const LABELS: [&str; 5] = ["BLEU", "chrF", "TER ↓", "name recall %", "name variant rate % ↓"];
        let (base, cand, delta, ci, p) = (
            self.baseline.values(),
            self.candidate.values(),
            self.delta.values(),
            self.ci95.values(),
            self.p_value.values(),
        );
        (0..LABELS.len())
            .map(|k| {
                let scale = if k >= 3 { 100.0 } else { 1.0 };
                let scaled = |v: Option<f64>| v.map(|v| scale * v);
                ShownMeasure {
                    label: LABELS[k],
                    baseline: scaled(base[k]),
                    candidate: scaled(cand[k]),
                    delta: scaled(delta[k]),
                    ci95: ci[k].map(|[lo, hi]| [scale * lo, scale * hi]),
                    p_value: p[k],
                }
            })
            .collect()
    }
}

/// How many wins and losses a report lists.
pub const CHANGES_SHOWN: usize = 5;

/// Paired units of both candidates with, for each, how to show it.
pub struct PairedUnits {
    /// The baseline's units.
    pub baseline: Vec<UnitStats>,
    /// The candidate's units.
    pub candidate: Vec<UnitStats>,
    /// Per unit: its label, reference text, baseline and candidate renderings.
    pub shown: Vec<(String, String, String, String)>,
}

/// The paired units of two candidate articles of one reference: shared blocks.
pub fn article_units(baseline: &ArticleReport, candidate: &ArticleReport, options: &ArticleOptions) -> PairedUnits {
    let blocks = shared_blocks(baseline, candidate);
    let bleu = Bleu { tokenizer: options.tokenizer, ..Bleu::default() };
    let (b, c) = rayon::join(|| block_units(baseline, &blocks, &bleu), || block_units(candidate, &blocks, &bleu));
    let rendering = |report: &ArticleReport, block: &Range<usize>| {
        let sentences: Vec<&str> = report
            .pairs
            .iter()
            .filter(|p| block.contains(&p.reference[0]))
            .flat_map(|p| p.candidate.iter().map(|&i| report.sentences.candidate[i].as_str()))
            .collect();
        sentences.join(" ")
    };
    let shown = blocks
        .iter()
        .map(|block| {
            let label = if block.len() == 1 {
                format!("sentence {}", block.start)
            } else {
                format!("sentences {}–{}", block.start, block.end - 1)
            };
            let reference = baseline.sentences.reference[block.clone()].join(" ");
            (label, reference, rendering(baseline, block), rendering(candidate, block))
        })
        .collect();
    PairedUnits { baseline: b, candidate: c, shown }
}

/// Compare paired units: deltas, intervals and p-values for every measure,
/// and the units of biggest BLEU change (sentence BLEU per unit).
pub fn compare(
    units: &PairedUnits,
    inputs: CompareInputs,
    unit: &'static str,
    signature: &str,
    options: &ArticleOptions,
) -> Result<CompareReport> {
    let pool = build_pool(options.threads)?;
    let deltas: Vec<Delta> = pool.install(|| {
        (0..MEASURES.len())
            .map(|k| compare_measure(k, &units.baseline, &units.candidate, options.bootstrap, options.seed))
            .collect()
    });
    let sentence_bleu = Bleu { effective_order: true, ..Bleu::default() };
    let bleu_of = |u: &UnitStats| sentence_bleu.compute_stats(&u.bleu).0;
    let mut changes: Vec<(f64, UnitChange)> = units
        .shown
        .iter()
        .zip(units.baseline.iter().zip(&units.candidate))
        .map(|((label, reference, b, c), (ub, uc))| {
            let (baseline_bleu, candidate_bleu) = (bleu_of(ub), bleu_of(uc));
            let change = UnitChange {
                unit: label.clone(),
                reference: reference.clone(),
                baseline: b.clone(),
                candidate: c.clone(),
                baseline_bleu,
                candidate_bleu,
            };
            (candidate_bleu - baseline_bleu, change)
        })
        .collect();
    changes.sort_by(|a, b| b.0.total_cmp(&a.0));
    let wins = changes.iter().take_while(|c| c.0 > 0.0).take(CHANGES_SHOWN).map(|c| c.1.clone()).collect();
    let losses = changes.iter().rev().take_while(|c| c.0 < 0.0).take(CHANGES_SHOWN).map(|c| c.1.clone()).collect();
    Ok(CompareReport {
        tqscore_version: env!("CARGO_PKG_VERSION").to_string(),
        signature: format!("{signature}|paired:bs|unit:{unit}"),
        unit,
        units: units.baseline.len(),
        inputs,
        delta: Measures::from_fn(|k| deltas[k].delta),
        p_value: Measures::from_fn(|k| deltas[k].p_value),
        ci95: Measures::from_fn(|k| deltas[k].ci95),
        baseline: Measures::from_fn(|k| deltas[k].baseline),
        candidate: Measures::from_fn(|k| deltas[k].candidate),
        wins,
        losses,
        gate: None,
    })
}
