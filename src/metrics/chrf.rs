//! chrF (Popović, 2015) and chrF++ (Popović, 2017) exactly as sacreBLEU 2.6.0 computes them.
//!
//! Statistics per segment: for each character n-gram order 1..=`char_order`,
//! then each word n-gram order 1..=`word_order`, the triple
//! `[hypothesis n-grams, reference n-grams, matched n-grams]`. With several
//! references, a segment takes the triples of the reference with the best
//! sentence-level chrF (the first one on ties).

use serde::{Deserialize, Serialize};

use super::packed::{self, PackedNgrams, MAX_PACKED_ORDER};
use super::{yes_no, Details, Metric, PyStats, Score, SegmentScorer, Signature};
use crate::ngram::{IdCounts, NgramIds};
use crate::numpy::scalar::PyFloat;
use crate::text::{for_each_py_word, is_py_whitespace, py_lower_into};

/// The chrF metric and its options (sacreBLEU's `CHRF(...)` arguments).
#[derive(Debug, Clone, PartialEq)]
pub struct Chrf {
    /// Character n-gram order (6).
    pub char_order: usize,
    /// Word n-gram order (0 for chrF, 2 for chrF++).
    pub word_order: usize,
    /// Recall is `beta` times as important as precision (2).
    pub beta: u32,
    /// Lowercase before extracting n-grams (`case:lc`).
    pub lowercase: bool,
    /// Keep whitespace inside character n-grams (`space:yes`).
    pub whitespace: bool,
    /// Average the per-order F-scores with epsilon smoothing (`eff:no`) instead
    /// of taking the F-score of the averaged precision and recall.
    pub eps_smoothing: bool,
}

impl Default for Chrf {
    fn default() -> Self {
        Chrf { char_order: 6, word_order: 0, beta: 2, lowercase: false, whitespace: false, eps_smoothing: false }
    }
}

impl Chrf {
    /// chrF++: chrF with word unigrams and bigrams.
    pub fn plus_plus() -> Self {
        Chrf { word_order: 2, ..Chrf::default() }
    }

    fn order(&self) -> usize {
        self.char_order + self.word_order
    }

    /// The F-score of statistics (sacreBLEU's `CHRF._compute_f_score`), with
    /// the same floating-point operations in the same order.
    pub fn f_score(&self, stats: &[u64]) -> f64 {
        self.f_score_py(PyStats::Ints(stats)).as_f64()
    }

    /// `CHRF._compute_f_score` on statistics held as sacreBLEU holds them ([`PyStats`]).
    fn f_score_py(&self, stats: PyStats<'_>) -> PyFloat {
        let eps = PyFloat::Float(1e-16);
        let zero = PyFloat::Float(0.0);
        let factor = PyFloat::Float(f64::from(self.beta * self.beta));
        let one_plus_factor = PyFloat::Float(f64::from(1 + self.beta * self.beta));
        let mut score = zero;
        let mut effective_order = 0usize;
        let (mut avg_prec, mut avg_rec) = (zero, zero);
        for i in 0..self.order() {
            let (n_hyp, n_ref, n_match) = (stats.get(3 * i), stats.get(3 * i + 1), stats.get(3 * i + 2));
            let prec = if n_hyp > zero { n_match / n_hyp } else { eps };
            let rec = if n_ref > zero { n_match / n_ref } else { eps };
            let denom = factor * prec + rec;
            score = score + if denom > zero { one_plus_factor * prec * rec / denom } else { eps };
            if n_hyp > zero && n_ref > zero {
                avg_prec = avg_prec + prec;
                avg_rec = avg_rec + rec;
                effective_order += 1;
            }
        }
        let hundred = PyFloat::Float(100.0);
        if self.eps_smoothing {
            return hundred * score / PyFloat::Float(self.order() as f64);
        }
        if effective_order == 0 {
            avg_prec = zero;
            avg_rec = zero;
        } else {
            let count = PyFloat::Float(effective_order as f64);
            avg_prec = avg_prec / count;
            avg_rec = avg_rec / count;
        }
        if avg_prec + avg_rec != zero {
            let mut f = one_plus_factor * avg_prec * avg_rec;
            f = f / ((factor * avg_prec) + avg_rec);
            hundred * f
        } else {
            zero
        }
    }
}

/// chrF's statistics, as reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChrfDetails {
    /// Character n-gram order.
    pub char_order: usize,
    /// Word n-gram order.
    pub word_order: usize,
    /// Beta.
    pub beta: u32,
    /// Per order (characters first, then words): `[hypothesis, reference, matched]` n-grams.
    pub statistics: Vec<[u64; 3]>,
}

impl Metric for Chrf {
    fn key(&self) -> &'static str {
        match self.word_order {
            0 => "chrf",
            2 => "chrf++",
            _ => "chrf+",
        }
    }

    fn stats_len(&self) -> usize {
        3 * self.order()
    }

    fn scorer(&self) -> Box<dyn SegmentScorer + '_> {
        Box::new(ChrfScorer::new(self))
    }

    fn score(&self, stats: &[u64], nrefs: usize) -> Score {
        let name = format!("chrF{}{}", self.beta, "+".repeat(self.word_order));
        let details = ChrfDetails {
            char_order: self.char_order,
            word_order: self.word_order,
            beta: self.beta,
            statistics: stats.chunks_exact(3).map(|t| [t[0], t[1], t[2]]).collect(),
        };
        Score { name, score: self.f_score(stats), signature: self.signature(nrefs), details: Details::Chrf(details) }
    }

    fn value(&self, stats: PyStats<'_>) -> PyFloat {
        self.f_score_py(stats)
    }

    fn stats_within(&self, other: &dyn Metric, nrefs: usize) -> bool {
        // With several references each metric keeps the statistics of its own
        // best reference, which need not be the same one.
        other.as_chrf().is_some_and(|o| {
            nrefs == 1
                && o.char_order == self.char_order
                && o.word_order >= self.word_order
                && o.lowercase == self.lowercase
                && o.whitespace == self.whitespace
        })
    }

    fn as_chrf(&self) -> Option<&Chrf> {
        Some(self)
    }

    fn signature(&self, nrefs: usize) -> Signature {
        Signature::with_nrefs(nrefs)
            .with("case", if self.lowercase { "lc" } else { "mixed" })
            .with("eff", yes_no(!self.eps_smoothing))
            .with("nc", self.char_order)
            .with("nw", self.word_order)
            .with("space", yes_no(self.whitespace))
            .finish()
    }
}

/// chrF++'s `_remove_punctuation`: split one punctuation mark (Python's
/// `string.punctuation`, ASCII) off the end of a word, or else off its start
/// (words of one character stay whole). `marks` is a reusable buffer for
/// splitting the words.
///
/// The edges are looked at as bytes: a byte is ASCII punctuation exactly when
/// it is a whole character that is, and a word of two bytes or more has two
/// characters or more unless it is one multi-byte character, whose edge bytes
/// are not ASCII.
#[inline]
fn for_each_word_piece<'a>(sentence: &'a str, marks: &mut Vec<u64>, mut piece: impl FnMut(&'a str)) {
    for_each_py_word(sentence, marks, |word| {
        let bytes = word.as_bytes();
        let n = bytes.len();
        let cut = if n < 2 {
            None
        } else if bytes[n - 1].is_ascii_punctuation() {
            Some(n - 1)
        } else if bytes[0].is_ascii_punctuation() {
            Some(1)
        } else {
            None
        };
        match cut {
            Some(cut) => {
                piece(&word[..cut]);
                piece(&word[cut..]);
            }
            None => piece(word),
        }
    });
}

/// Per-thread chrF segment scorer with reusable buffers.
struct ChrfScorer<'m> {
    metric: &'m Chrf,
    /// Packed n-gram counting (the usual path, see [`packed`]).
    packed: PackedNgrams,
    /// Character and word units of the hypothesis and of each reference, for the packed path.
    hyp_units: SegmentUnits,
    ref_units: Vec<SegmentUnits>,
    /// Interned ids: words always, and every n-gram when the packed path can't take the segment.
    ids: NgramIds,
    lowered: String,
    /// Where whitespace may start in the text at hand, for splitting words.
    marks: Vec<u64>,
    units: Vec<u32>,
    /// Hypothesis n-gram ids per order (characters, then words), on the general path.
    hyp: Vec<Vec<u32>>,
    /// The current reference's n-gram ids per order, on the general path.
    reference: Vec<Vec<u32>>,
    counts: IdCounts,
    /// Statistics against the current reference.
    candidate: Vec<u64>,
}

/// One text's packed units: characters, then words (chrF++).
#[derive(Debug, Default, Clone)]
struct SegmentUnits {
    chars: Vec<u16>,
    words: Vec<u16>,
}

/// `segment`, lowercased into `buffer` when `lowercase`.
fn cased<'t>(segment: &'t str, lowercase: bool, buffer: &'t mut String) -> &'t str {
    if lowercase {
        py_lower_into(segment, buffer);
        buffer.as_str()
    } else {
        segment
    }
}

impl<'m> ChrfScorer<'m> {
    fn new(metric: &'m Chrf) -> Self {
        ChrfScorer {
            metric,
            packed: PackedNgrams::default(),
            hyp_units: SegmentUnits::default(),
            ref_units: Vec::new(),
            ids: NgramIds::default(),
            lowered: String::new(),
            marks: Vec::new(),
            units: Vec::new(),
            hyp: vec![Vec::new(); metric.order()],
            reference: vec![Vec::new(); metric.order()],
            counts: IdCounts::default(),
            candidate: vec![0; metric.stats_len()],
        }
    }

    /// The packed units of the hypothesis and every reference; false when
    /// the segment must take the general path.
    fn pack(&mut self, hypothesis: &str, references: &[&str]) -> bool {
        let m = self.metric;
        if m.char_order > MAX_PACKED_ORDER || m.word_order > MAX_PACKED_ORDER {
            return false;
        }
        self.packed.begin_segment();
        self.ref_units.resize_with(references.len(), SegmentUnits::default);
        let texts = std::iter::once((hypothesis, &mut self.hyp_units))
            .chain(references.iter().copied().zip(&mut self.ref_units));
        for (text, units) in texts {
            let text = cased(text, m.lowercase, &mut self.lowered);
            if !self.packed.char_units(text, m.whitespace, &mut units.chars) {
                return false;
            }
            units.words.clear();
            if m.word_order > 0 {
                let ids = &mut self.ids;
                for_each_word_piece(text, &mut self.marks, |w| {
                    units.words.push(packed::word_unit(ids.word(w.as_bytes())))
                });
                if !packed::word_units_fit(ids.len()) {
                    return false;
                }
            }
        }
        true
    }

    /// Intern every n-gram of `segment` into `orders` (the general path).
    fn ngrams_of(&mut self, segment: &str, orders: &mut [Vec<u32>]) {
        let m = self.metric;
        let text = cased(segment, m.lowercase, &mut self.lowered);
        let (chars, words) = orders.split_at_mut(m.char_order);
        self.units.clear();
        for c in text.chars() {
            if m.whitespace || !is_py_whitespace(c) {
                self.units.push(self.ids.char(c));
            }
        }
        self.ids.ngrams(&self.units, chars);
        if m.word_order > 0 {
            self.units.clear();
            let (units, ids) = (&mut self.units, &mut self.ids);
            for_each_word_piece(text, &mut self.marks, |w| units.push(ids.word(w.as_bytes())));
            self.ids.ngrams(&self.units, words);
        }
    }

    /// The statistics of the hypothesis against reference `j` into `candidate`.
    fn candidate_stats(&mut self, packed: bool, j: usize, reference_text: &str, candidate: &mut [u64]) {
        let char_stats = 3 * self.metric.char_order;
        if packed {
            let (hyp, reference) = (&self.hyp_units, &self.ref_units[j]);
            self.packed.match_stats(&hyp.chars, &reference.chars, &mut candidate[..char_stats]);
            if self.metric.word_order > 0 {
                self.packed.match_stats(&hyp.words, &reference.words, &mut candidate[char_stats..]);
            }
            return;
        }
        let mut reference = std::mem::take(&mut self.reference);
        self.ngrams_of(reference_text, &mut reference);
        let id_count = self.ids.len();
        for (k, (hyp_ids, ref_ids)) in self.hyp.iter().zip(&reference).enumerate() {
            self.counts.reset(id_count);
            self.counts.add_all(ref_ids);
            let matched = self.counts.take_clipped(hyp_ids);
            let n_ref = ref_ids.len() as u64;
            candidate[3 * k] = if n_ref > 0 { hyp_ids.len() as u64 } else { 0 };
            candidate[3 * k + 1] = n_ref;
            candidate[3 * k + 2] = matched;
        }
        self.reference = reference;
    }
}

impl SegmentScorer for ChrfScorer<'_> {
    fn add_segment(&mut self, hypothesis: &str, references: &[&str], stats: &mut [u64]) {
        self.ids.clear();
        let packed = self.pack(hypothesis, references);
        if !packed {
            self.ids.clear();
            let mut hyp = std::mem::take(&mut self.hyp);
            self.ngrams_of(hypothesis, &mut hyp);
            self.hyp = hyp;
        }
        let mut candidate = std::mem::take(&mut self.candidate);
        let mut best: Option<(f64, Vec<u64>)> = None;
        for (j, r) in references.iter().enumerate() {
            self.candidate_stats(packed, j, r, &mut candidate);
            if references.len() == 1 {
                super::add_stats(stats, &candidate);
                break;
            }
            let f = self.metric.f_score(&candidate);
            if best.as_ref().is_none_or(|(best_f, _)| f > *best_f) {
                best = Some((f, candidate.clone()));
            }
        }
        if let Some((_, best_stats)) = best {
            super::add_stats(stats, &best_stats);
        }
        self.candidate = candidate;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::segment_stats;

    #[test]
    fn word_pieces_split_one_edge_punctuation_mark() {
        let mut pieces = Vec::new();
        for_each_word_piece("Hello, (world) x . \"quoted\" a.b é €. (é ,é", &mut Vec::new(), |p| pieces.push(p));
        let expected =
            ["Hello", ",", "(world", ")", "x", ".", "\"quoted", "\"", "a.b", "é", "€", ".", "(", "é", ",", "é"];
        assert_eq!(pieces, expected);
    }

    #[test]
    fn identical_text_scores_100_and_empty_hypothesis_0() {
        let chrf = Chrf::plus_plus();
        let stats = segment_stats(chrf.scorer().as_mut(), chrf.stats_len(), "A test.", &["A test."]);
        assert!((chrf.score(&stats, 1).score - 100.0).abs() < 1e-9);
        let stats = segment_stats(chrf.scorer().as_mut(), chrf.stats_len(), "", &["A test."]);
        assert_eq!(chrf.score(&stats, 1).score, 0.0);
    }

    /// The statistics of `hyp` against one reference on the general path, and as `add_segment` computes them.
    fn general_and_usual(chrf: &Chrf, hyp: &str, reference: &str) -> (Vec<u64>, Vec<u64>) {
        let mut scorer = ChrfScorer::new(chrf);
        let mut usual = vec![0; chrf.stats_len()];
        scorer.add_segment(hyp, &[reference], &mut usual);
        scorer.ids.clear();
        let mut hyp_ids = std::mem::take(&mut scorer.hyp);
        scorer.ngrams_of(hyp, &mut hyp_ids);
        scorer.hyp = hyp_ids;
        let mut general = vec![0; chrf.stats_len()];
        scorer.candidate_stats(false, 0, reference, &mut general);
        (general, usual)
    }

    proptest::proptest! {
        #[test]
        fn packed_counting_equals_the_general_path(
            hyp in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..80),
            reference in proptest::collection::vec(proptest::sample::select(ALPHABET), 0..80),
            word_order in 0usize..4,
            char_order in 1usize..8,
            lowercase: bool,
            whitespace: bool,
        ) {
            let chrf = Chrf { char_order, word_order, lowercase, whitespace, ..Chrf::default() };
            let (hyp, reference): (String, String) = (hyp.concat(), reference.concat());
            let (general, usual) = general_and_usual(&chrf, &hyp, &reference);
            proptest::prop_assert_eq!(general, usual);
        }
    }

    /// Pieces of text with repeats, case, punctuation, non-ASCII letters and Python-only whitespace.
    const ALPHABET: &[&str] =
        &["a", "b", "ab", "A", "É", "é", "中", " ", "  ", ".", ",", "(", "\u{1c}", "\u{2009}", "the ", "The ", "ß"];

    #[test]
    fn segments_with_too_many_distinct_units_take_the_general_path() {
        let chars: String = (0..1000u32).filter_map(|i| char::from_u32(0x4E00 + i)).collect();
        let words: String = (0..1100).map(|i| format!("w{i} ")).collect();
        let chrf = Chrf::plus_plus();
        assert!(ChrfScorer::new(&chrf).pack("a b c", &["a b"]), "an ordinary segment is packed");
        for text in [chars, words] {
            let (general, usual) = general_and_usual(&chrf, &text, &text[..text.len() / 2]);
            assert_eq!(general, usual);
            assert!(usual[2] > 0, "{usual:?}");
        }
    }

    #[test]
    fn chrf_is_computed_inside_chrf_plus_plus_with_one_reference() {
        let (chrf, plus, other) = (Chrf::default(), Chrf::plus_plus(), Chrf { whitespace: true, ..Chrf::default() });
        assert!(chrf.stats_within(&plus, 1));
        assert!(!chrf.stats_within(&plus, 2));
        assert!(!plus.stats_within(&chrf, 1));
        assert!(!other.stats_within(&plus, 1));
        let metrics: [&dyn Metric; 4] = [&chrf, &plus, &other, &plus];
        assert_eq!(crate::metrics::stats_sources(&metrics, 1), [Some(1), None, None, Some(1)]);
        assert_eq!(crate::metrics::stats_sources(&metrics, 2), [None; 4]);
    }

    #[test]
    fn names_and_signatures_follow_sacrebleu() {
        assert_eq!(Chrf::plus_plus().score(&[0; 24], 1).name, "chrF2++");
        let sig = Chrf::default().signature(1).to_string();
        assert!(sig.starts_with("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0|"), "{sig}");
    }
}
