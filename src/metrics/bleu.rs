//! BLEU (Papineni et al., 2002) exactly as sacreBLEU 2.6.0 computes it.
//!
//! Statistics per segment: `[sys_len, ref_len, correct_1..=N, total_1..=N]`,
//! where `ref_len` is the reference length closest to the hypothesis length
//! (the shorter one on ties) and `correct_n` clips each hypothesis n-gram count
//! by its maximum count in any one reference.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::packed::{self, PackedNgrams, MAX_PACKED_ORDER};
use super::{yes_no, Details, Metric, PyStats, Score, SegmentScorer, Signature};
use crate::ngram::{IdCounts, NgramIds};
use crate::numpy::scalar::PyFloat;
use crate::text::{py_lower_into, py_rstrip};
use crate::tokenize::{Tokenizer, TokenizerKind};

/// sacreBLEU's maximum n-gram order.
pub const DEFAULT_MAX_ORDER: usize = 4;

/// How BLEU treats n-gram orders without matches (Chen & Cherry, 2014).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Smoothing {
    /// No smoothing: a zero precision makes BLEU 0.
    None,
    /// Method 1: a zero count becomes `value` (default 0.1).
    Floor(f64),
    /// Method 2: add `value` (default 1) to counts and totals of orders above 1.
    AddK(f64),
    /// Method 3 (mteval-v13a's, sacreBLEU's default): the k-th zero precision is `1 / (2^k * total)`.
    #[default]
    Exp,
}

impl Smoothing {
    /// The method name as sacreBLEU spells it.
    pub fn name(self) -> &'static str {
        match self {
            Smoothing::None => "none",
            Smoothing::Floor(_) => "floor",
            Smoothing::AddK(_) => "add-k",
            Smoothing::Exp => "exp",
        }
    }

    /// Parse a method name with an optional value (`None` = sacreBLEU's default value).
    pub fn parse(name: &str, value: Option<f64>) -> Result<Smoothing, String> {
        if let Some(v) = value.filter(|v| !(v.is_finite() && *v >= 0.0)) {
            return Err(format!(
                "--smooth-value {v} is not a finite number of 0 or more, so BLEU would be undefined\n  hint: pass \
                 e.g. 0.1 for floor or 1 for add-k"
            ));
        }
        match name {
            "none" => Ok(Smoothing::None),
            "exp" => Ok(Smoothing::Exp),
            "floor" => Ok(Smoothing::Floor(value.unwrap_or(0.1))),
            "add-k" => Ok(Smoothing::AddK(value.unwrap_or(1.0))),
            other => Err(format!("unknown smoothing method '{other}' (choose one of: exp, floor, add-k, none)")),
        }
    }
}

impl fmt::Display for Smoothing {
    /// As in sacreBLEU's signature: `exp`, `none`, `floor[0.10]`, `add-k[1.00]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Smoothing::Floor(v) | Smoothing::AddK(v) => write!(f, "{}[{:.2}]", self.name(), v),
            _ => f.write_str(self.name()),
        }
    }
}

/// The BLEU metric and its options (sacreBLEU's `BLEU(...)` arguments).
#[derive(Debug, Clone, PartialEq)]
pub struct Bleu {
    /// Tokenizer applied to hypotheses and references.
    pub tokenizer: TokenizerKind,
    /// Lowercase before tokenizing (`case:lc`).
    pub lowercase: bool,
    /// Smoothing method.
    pub smoothing: Smoothing,
    /// Highest n-gram order (4).
    pub max_order: usize,
    /// Average only over orders that have n-grams (`eff:yes`; sentence-level BLEU).
    pub effective_order: bool,
}

impl Default for Bleu {
    fn default() -> Self {
        Bleu {
            tokenizer: TokenizerKind::Mteval13a,
            lowercase: false,
            smoothing: Smoothing::Exp,
            max_order: DEFAULT_MAX_ORDER,
            effective_order: false,
        }
    }
}

/// BLEU's statistics and their derived values, as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BleuDetails {
    /// Matched n-grams per order (clipped by the references).
    pub counts: Vec<u64>,
    /// Hypothesis n-grams per order.
    pub totals: Vec<u64>,
    /// Smoothed precisions per order, in percent.
    pub precisions: Vec<f64>,
    /// Brevity penalty.
    pub bp: f64,
    /// Hypothesis length in tokens.
    pub sys_len: u64,
    /// Effective reference length in tokens.
    pub ref_len: u64,
    /// `sys_len / ref_len` (0 when there is no reference token).
    pub ratio: f64,
}

impl BleuDetails {
    /// sacreBLEU's verbose part: `75.0/66.7/50.0/1.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)`.
    pub fn verbose(&self) -> String {
        let precisions: Vec<String> = self.precisions.iter().map(|p| format!("{p:.1}")).collect();
        format!(
            "{} (BP = {:.3} ratio = {:.3} hyp_len = {} ref_len = {})",
            precisions.join("/"),
            self.bp,
            self.ratio,
            self.sys_len,
            self.ref_len
        )
    }
}

/// sacreBLEU's `my_log`: the natural log, with log(0) floored to -9999999999.
fn floored_ln(x: PyFloat) -> f64 {
    if x == PyFloat::Float(0.0) {
        -9_999_999_999.0
    } else {
        x.as_f64().ln()
    }
}

impl Bleu {
    /// BLEU from summed statistics: sacreBLEU's `BLEU.compute_bleu`, with the
    /// same floating-point operations in the same order.
    pub fn compute(&self, correct: &[u64], total: &[u64], sys_len: u64, ref_len: u64) -> (f64, BleuDetails) {
        let stats: Vec<u64> = [sys_len, ref_len].iter().chain(correct).chain(total).copied().collect();
        self.compute_stats(&stats)
    }

    /// Score and details of one statistics vector `[sys_len, ref_len, correct_1..=N, total_1..=N]`.
    pub fn compute_stats(&self, stats: &[u64]) -> (f64, BleuDetails) {
        let n = self.max_order;
        let mut precisions = vec![PyFloat::Float(0.0); n];
        let (score, bp) = self.compute_py(PyStats::Ints(stats), &mut precisions);
        let (sys_len, ref_len) = (stats[0], stats[1]);
        let details = BleuDetails {
            counts: stats[2..2 + n].to_vec(),
            totals: stats[2 + n..2 + 2 * n].to_vec(),
            precisions: precisions.iter().map(|p| p.as_f64()).collect(),
            bp,
            sys_len,
            ref_len,
            ratio: if ref_len > 0 { sys_len as f64 / ref_len as f64 } else { 0.0 },
        };
        (score.as_f64(), details)
    }

    /// `BLEU.compute_bleu` on statistics held as sacreBLEU holds them (see
    /// [`PyStats`]): the score and the brevity penalty, with the smoothed
    /// precisions left in `precisions` (`max_order` zeros on entry).
    fn compute_py(&self, stats: PyStats<'_>, precisions: &mut [PyFloat]) -> (PyFloat, f64) {
        let n = self.max_order;
        let (sys_len, ref_len) = (stats.int(0), stats.int(1));
        let mut bp = 1.0;
        if sys_len < ref_len {
            bp = if sys_len > 0 { (1.0 - ref_len as f64 / sys_len as f64).exp() } else { 0.0 };
        }
        let zero = PyFloat::Float(0.0);
        if (0..n).all(|k| stats.get(2 + k) == zero) {
            return (zero, bp);
        }
        let hundred = PyFloat::Float(100.0);
        let mut smooth_mteval = PyFloat::Float(1.0);
        let mut eff_order = n;
        for (k, precision) in precisions.iter_mut().enumerate() {
            let (mut c, mut t) = (stats.get(2 + k), stats.get(2 + n + k));
            if let Smoothing::AddK(value) = self.smoothing {
                if k > 0 {
                    c = stats.store(c + value.into());
                    t = stats.store(t + value.into());
                }
            }
            if t == zero {
                break;
            }
            if self.effective_order {
                eff_order = k + 1;
            }
            if c == zero {
                match self.smoothing {
                    Smoothing::Exp => {
                        smooth_mteval = smooth_mteval * PyFloat::Float(2.0);
                        *precision = hundred / (smooth_mteval * t);
                    }
                    Smoothing::Floor(value) => *precision = hundred * value.into() / t,
                    _ => {}
                }
            } else {
                *precision = hundred * c / t;
            }
        }
        let log_sum = precisions[..eff_order].iter().fold(0.0, |acc, &p| acc + floored_ln(p));
        (PyFloat::Float(bp * (log_sum / eff_order as f64).exp()), bp)
    }
}

impl Metric for Bleu {
    fn key(&self) -> &'static str {
        "bleu"
    }

    fn stats_len(&self) -> usize {
        2 + 2 * self.max_order
    }

    fn scorer(&self) -> Box<dyn SegmentScorer + '_> {
        Box::new(BleuScorer {
            metric: self,
            tokenizer: Tokenizer::new(self.tokenizer),
            ids: NgramIds::default(),
            lowered: String::new(),
            units: Vec::new(),
            refs: Vec::new(),
            ref_lens: Vec::new(),
            max_ref_counts: IdCounts::default(),
            one_ref_counts: IdCounts::default(),
            packed: PackedNgrams::default(),
            hyp_units: Vec::new(),
            ref_units: Vec::new(),
            matches: Vec::new(),
        })
    }

    fn score(&self, stats: &[u64], nrefs: usize) -> Score {
        let (score, details) = self.compute_stats(stats);
        Score { name: "BLEU".into(), score, signature: self.signature(nrefs), details: Details::Bleu(details) }
    }

    fn value(&self, stats: PyStats<'_>) -> PyFloat {
        // Resampled scores are computed by the thousand: no allocation for the usual orders.
        const STACK: usize = 8;
        let zero = PyFloat::Float(0.0);
        if self.max_order <= STACK {
            self.compute_py(stats, &mut [zero; STACK][..self.max_order]).0
        } else {
            self.compute_py(stats, &mut vec![zero; self.max_order]).0
        }
    }

    fn signature(&self, nrefs: usize) -> Signature {
        Signature::with_nrefs(nrefs)
            .with("case", if self.lowercase { "lc" } else { "mixed" })
            .with("eff", yes_no(self.effective_order))
            .with("tok", self.tokenizer)
            .with("smooth", self.smoothing)
            .finish()
    }
}

/// Per-thread BLEU segment scorer with reusable buffers.
///
/// References are interned first; the hypothesis is then only looked up, and
/// an n-gram is looked up only when its prefix occurs in a reference, since
/// no longer n-gram can match otherwise.
struct BleuScorer<'m> {
    metric: &'m Bleu,
    tokenizer: Tokenizer,
    ids: NgramIds,
    lowered: String,
    units: Vec<u32>,
    /// Per reference, n-gram ids per order.
    refs: Vec<Vec<Vec<u32>>>,
    ref_lens: Vec<u64>,
    max_ref_counts: IdCounts,
    one_ref_counts: IdCounts,
    /// The usual path for one reference: packed n-grams (see [`super::packed`]).
    packed: PackedNgrams,
    hyp_units: Vec<u16>,
    ref_units: Vec<u16>,
    /// `[hypothesis, reference, matched]` per order, from the packed path.
    matches: Vec<u64>,
}

/// Stands in `BleuScorer::units` for a hypothesis token that no reference has.
const UNKNOWN: u32 = u32::MAX;

impl BleuScorer<'_> {
    /// `segment` lowercased (if asked) and right-stripped, ready to tokenize.
    fn prepare<'s>(lowercase: bool, segment: &'s str, lowered: &'s mut String) -> &'s str {
        if lowercase {
            py_lower_into(segment, lowered);
            py_rstrip(lowered)
        } else {
            py_rstrip(segment)
        }
    }

    /// Intern the tokens of the reference `segment`; leave its n-gram ids per
    /// order in `orders` and return its length in tokens.
    fn intern_reference(&mut self, segment: &str, orders: &mut [Vec<u32>]) -> u64 {
        let text = Self::prepare(self.metric.lowercase, segment, &mut self.lowered);
        self.units.clear();
        let (units, ids) = (&mut self.units, &mut self.ids);
        self.tokenizer.for_each_token(text, |token| units.push(ids.word(token)));
        self.ids.ngrams(&self.units, orders);
        self.units.len() as u64
    }

    /// Match the hypothesis `segment` against the counted reference n-grams:
    /// add the clipped matches per order to `correct` and return its length in tokens.
    fn match_hypothesis(&mut self, segment: &str, correct: &mut [u64]) -> u64 {
        let text = Self::prepare(self.metric.lowercase, segment, &mut self.lowered);
        self.units.clear();
        let (units, ids) = (&mut self.units, &self.ids);
        self.tokenizer.for_each_token(text, |token| units.push(ids.find_word(token).unwrap_or(UNKNOWN)));
        let units = &self.units;
        for start in 0..units.len() {
            let mut id = units[start];
            for (k, matched) in correct.iter_mut().enumerate() {
                if k > 0 {
                    let next = match units.get(start + k) {
                        Some(&next) if next != UNKNOWN => next,
                        _ => break,
                    };
                    id = match self.ids.find_pair(id, next) {
                        Some(id) => id,
                        None => break,
                    };
                } else if id == UNKNOWN {
                    break;
                }
                if self.max_ref_counts.take_one(id) {
                    *matched += 1;
                }
            }
        }
        units.len() as u64
    }

    /// The units of `segment`'s tokens (interned words) into `units`; false
    /// when the segment has more distinct words than packed units.
    fn word_units(&mut self, segment: &str, units: &mut Vec<u16>) -> bool {
        let text = Self::prepare(self.metric.lowercase, segment, &mut self.lowered);
        units.clear();
        let ids = &mut self.ids;
        self.tokenizer.for_each_token(text, |token| units.push(packed::word_unit(ids.word(token))));
        packed::word_units_fit(self.ids.len())
    }

    /// One reference on the packed path: the statistics into `stats`, or
    /// false (nothing added) when the segment doesn't fit it.
    fn add_packed(&mut self, hypothesis: &str, reference: &str, stats: &mut [u64]) -> bool {
        let n = self.metric.max_order;
        if n > MAX_PACKED_ORDER {
            return false;
        }
        self.ids.clear();
        let (mut hyp, mut refs) = (std::mem::take(&mut self.hyp_units), std::mem::take(&mut self.ref_units));
        let fits = self.word_units(reference, &mut refs) && self.word_units(hypothesis, &mut hyp);
        if fits {
            self.matches.resize(3 * n, 0);
            self.packed.match_stats(&hyp, &refs, &mut self.matches);
            let sys_len = hyp.len() as u64;
            stats[0] += sys_len;
            stats[1] += refs.len() as u64;
            for k in 0..n {
                stats[2 + k] += self.matches[3 * k + 2];
                stats[2 + n + k] += sys_len.saturating_sub(k as u64);
            }
        }
        (self.hyp_units, self.ref_units) = (hyp, refs);
        fits
    }
}

impl SegmentScorer for BleuScorer<'_> {
    fn add_segment(&mut self, hypothesis: &str, references: &[&str], stats: &mut [u64]) {
        if let [reference] = references {
            if self.add_packed(hypothesis, reference, stats) {
                return;
            }
        }
        let n = self.metric.max_order;
        self.ids.clear();
        let mut refs = std::mem::take(&mut self.refs);
        refs.resize_with(references.len().max(refs.len()), || vec![Vec::new(); n]);
        self.ref_lens.clear();
        for (reference, orders) in references.iter().zip(refs.iter_mut()) {
            let len = self.intern_reference(reference, orders);
            self.ref_lens.push(len);
        }

        let id_count = self.ids.len();
        self.max_ref_counts.reset(id_count);
        for orders in &refs[..references.len()] {
            if references.len() == 1 {
                orders.iter().for_each(|ids| self.max_ref_counts.add_all(ids));
            } else {
                self.one_ref_counts.reset(id_count);
                orders.iter().for_each(|ids| self.one_ref_counts.add_all(ids));
                self.max_ref_counts.max_with(&self.one_ref_counts);
            }
        }
        self.refs = refs;

        let (lengths, rest) = stats.split_at_mut(2);
        let (correct, totals) = rest.split_at_mut(n);
        let sys_len = self.match_hypothesis(hypothesis, correct);
        lengths[0] += sys_len;
        lengths[1] += closest_ref_len(sys_len, &self.ref_lens);
        for (k, total) in totals[..n].iter_mut().enumerate() {
            *total += sys_len.saturating_sub(k as u64);
        }
    }
}

/// The reference length closest to `hyp_len`; the shorter one on ties (sacreBLEU's rule).
fn closest_ref_len(hyp_len: u64, ref_lens: &[u64]) -> u64 {
    ref_lens.iter().copied().min_by_key(|&r| (r.abs_diff(hyp_len), r)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::segment_stats;

    fn sentence_bleu(bleu: &Bleu, hyp: &str, refs: &[&str]) -> f64 {
        let stats = segment_stats(bleu.scorer().as_mut(), bleu.stats_len(), hyp, refs);
        bleu.score(&stats, refs.len()).score
    }

    #[test]
    fn identical_segments_score_100() {
        let bleu = Bleu::default();
        let s = sentence_bleu(&bleu, "The cat sat on the mat.", &["The cat sat on the mat."]);
        assert!((s - 100.0).abs() < 1e-9, "{s}");
    }

    #[test]
    fn multiple_references_clip_by_the_maximum_count() {
        let bleu = Bleu { tokenizer: TokenizerKind::None, ..Bleu::default() };
        let stats = segment_stats(bleu.scorer().as_mut(), bleu.stats_len(), "a a a b", &["a b", "a a c"]);
        // unigrams: a x3 clipped by max(1, 2) = 2, b x1 -> 3 of 4
        assert_eq!(stats[2], 3);
        assert_eq!(stats[6], 4);
        // closest reference length to 4 is 3
        assert_eq!(stats[1], 3);
    }

    proptest::proptest! {
        #[test]
        fn one_reference_packed_equals_the_general_path(
            hyp in proptest::collection::vec(proptest::sample::select(WORDS), 0..40),
            reference in proptest::collection::vec(proptest::sample::select(WORDS), 0..40),
            lowercase: bool,
        ) {
            // The same reference twice takes the general (several-reference) path and must count the same.
            let bleu = Bleu { lowercase, ..Bleu::default() };
            let (hyp, reference) = (hyp.join(" "), reference.join(" "));
            let packed = segment_stats(bleu.scorer().as_mut(), bleu.stats_len(), &hyp, &[&reference]);
            let general = segment_stats(bleu.scorer().as_mut(), bleu.stats_len(), &hyp, &[&reference, &reference]);
            proptest::prop_assert_eq!(packed, general);
        }
    }

    /// Words and punctuation with repeats, case and non-ASCII letters.
    const WORDS: &[&str] =
        &["the", "The", "cat", "sat", "on", "mat.", "a", "a,", "\"quoted\"", "né", "Ünal", "1.5", "-", "x"];

    #[test]
    fn segments_with_more_distinct_words_than_units_are_still_counted() {
        let bleu = Bleu::default();
        let text: String = (0..1500).map(|i| format!("w{i} ")).collect();
        let reference = &text[..text.len() / 2];
        let packed = segment_stats(bleu.scorer().as_mut(), bleu.stats_len(), &text, &[reference]);
        let general = segment_stats(bleu.scorer().as_mut(), bleu.stats_len(), &text, &[reference, reference]);
        assert_eq!(packed, general);
        assert!(packed[2] > 500, "{packed:?}");
    }

    #[test]
    fn closest_reference_length_prefers_the_shorter_on_ties() {
        assert_eq!(closest_ref_len(5, &[7, 3]), 3);
        assert_eq!(closest_ref_len(5, &[6, 4]), 4);
        assert_eq!(closest_ref_len(5, &[]), 0);
    }

    #[test]
    fn signature_names_options_and_versions() {
        let bleu = Bleu { smoothing: Smoothing::Floor(0.1), lowercase: true, ..Bleu::default() };
        let sig = bleu.signature(2).to_string();
        assert!(sig.starts_with("nrefs:2|case:lc|eff:no|tok:13a|smooth:floor[0.10]|version:2.6.0|tqscore:"), "{sig}");
    }
}
