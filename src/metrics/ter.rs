//! TER, translation edit rate (Snover et al., 2006), exactly as sacreBLEU 2.6.0 computes it.
//!
//! TER is the number of word edits (insertions, deletions, substitutions and
//! shifts of phrases) that turn the hypothesis into the closest reference,
//! divided by the average reference length. Lower is better, and it can
//! exceed 100.
//!
//! Statistics per segment: `[edits, reference words]`, where `edits` is the
//! fewest edits over the references and `reference words` the *sum* of the
//! reference lengths. The average reference length is that sum divided by the
//! number of references at score time, which keeps the statistics integers
//! (sacreBLEU sums per-segment averages as floats; see `docs/metrics.md`).

mod shift;
mod tokenizer;

use serde::{Deserialize, Serialize};

use crate::numpy::scalar::PyFloat;

use super::{yes_no, Details, Metric, PyStats, Score, SegmentScorer, Signature};
use crate::ngram::NgramIds;
use crate::text::py_split;
use shift::EditCounter;
use tokenizer::{tercom_text, TercomBuffers};

/// The TER metric and its tokenizer options (sacreBLEU's `TER(...)` arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ter {
    /// Keep case (`case:mixed`); by default TER lowercases (`case:lc`).
    pub case_sensitive: bool,
    /// Remove the punctuation `.,?:;!"()` (`punct:no`), and with `asian_support` CJK punctuation too.
    pub no_punct: bool,
    /// Tercom's normalization (`norm:yes`): XML entities, joined lines, punctuation split off words.
    pub normalized: bool,
    /// Asian support (`asian:yes`): with `normalized`, CJK characters become words of their own;
    /// with `no_punct`, CJK and full-width punctuation is removed. Alone it changes nothing, as in
    /// sacreBLEU (reported as its issue #229 and kept).
    pub asian_support: bool,
    /// References per segment of the test set. Only the significance tests need it
    /// ([`Metric::value`] gets statistics alone): TER's statistics hold the summed
    /// reference words, and the score divides them by this to get sacreBLEU's average.
    pub references: usize,
}

impl Ter {
    /// sacreBLEU's defaults: case-insensitive, no normalization, punctuation kept.
    pub const DEFAULT: Ter =
        Ter { case_sensitive: false, no_punct: false, normalized: false, asian_support: false, references: 1 };

    /// The words sacreBLEU's `TercomTokenizer` makes of `segment` with these options, joined by
    /// single spaces: what TER compares for a hypothesis (a reference goes through it twice, see
    /// `TerScorer::reference_ids`).
    pub fn tokenize(&self, segment: &str) -> String {
        let mut buffers = TercomBuffers::default();
        py_split(tercom_text(self, segment, &mut buffers)).collect::<Vec<_>>().join(" ")
    }

    /// TER in percent from summed statistics (sacreBLEU's `TER._compute_score_from_stats`):
    /// `100 * edits / (reference words / nrefs)`; with no reference words, 100 if there are
    /// edits and 0 otherwise.
    pub fn compute(edits: u64, ref_words: u64, nrefs: usize) -> (f64, TerDetails) {
        let ref_length = ref_words as f64 / nrefs.max(1) as f64;
        let rate = if ref_length > 0.0 {
            edits as f64 / ref_length
        } else if edits > 0 {
            1.0
        } else {
            0.0
        };
        (100.0 * rate, TerDetails { num_edits: edits, ref_length })
    }
}

/// TER's statistics, as sacreBLEU's `TERScore` reports them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TerDetails {
    /// Edits, summed over segments (each segment's fewest over its references).
    pub num_edits: u64,
    /// Average reference length, summed over segments.
    pub ref_length: f64,
}

impl Metric for Ter {
    fn key(&self) -> &'static str {
        "ter"
    }

    fn stats_len(&self) -> usize {
        2
    }

    fn scorer(&self) -> Box<dyn SegmentScorer + '_> {
        Box::new(TerScorer {
            metric: self,
            buffers: TercomBuffers::default(),
            ids: NgramIds::default(),
            once_tokenized: String::new(),
            hypothesis: Vec::new(),
            reference: Vec::new(),
            counter: EditCounter::default(),
        })
    }

    fn score(&self, stats: &[u64], nrefs: usize) -> Score {
        let (score, details) = Ter::compute(stats[0], stats[1], nrefs);
        Score { name: "TER".into(), score, signature: self.signature(nrefs), details: Details::Ter(details) }
    }

    /// sacreBLEU's `TER._compute_score_from_stats`: `100 * edits / ref_length`,
    /// in doubles for Python numbers and int64/float64 rows, in float32 for a
    /// bootstrap resample (`float32 / float32`, then `100 *` a float32). With
    /// no reference words: 100.0 with edits, 0.0 without (Python floats).
    fn value(&self, stats: PyStats<'_>) -> PyFloat {
        let nrefs = self.references.max(1);
        match stats {
            PyStats::Ints(s) | PyStats::Int64(s) => PyFloat::Float(Ter::compute(s[0], s[1], nrefs).0),
            PyStats::Float32(s) => {
                let ref_length = if nrefs == 1 { s[1] } else { s[1] / nrefs as f32 };
                if ref_length > 0.0 {
                    PyFloat::Float32(100.0 * (s[0] / ref_length))
                } else {
                    PyFloat::Float(if s[0] > 0.0 { 100.0 } else { 0.0 })
                }
            }
        }
    }

    fn signature(&self, nrefs: usize) -> Signature {
        Signature::with_nrefs(nrefs)
            .with("case", if self.case_sensitive { "mixed" } else { "lc" })
            .with("tok", "tercom")
            .with("norm", yes_no(self.normalized))
            .with("punct", yes_no(!self.no_punct))
            .with("asian", yes_no(self.asian_support))
            .finish()
    }
}

/// Per-thread TER segment scorer with reusable buffers.
struct TerScorer<'m> {
    metric: &'m Ter,
    buffers: TercomBuffers,
    /// Word ids of the current segment (hypothesis and references share them).
    ids: NgramIds,
    /// A reference after its first pass through the tokenizer.
    once_tokenized: String,
    hypothesis: Vec<u32>,
    reference: Vec<u32>,
    counter: EditCounter,
}

impl TerScorer<'_> {
    /// Tokenize `segment` as sacreBLEU's TER does and put its word ids in `out`.
    fn word_ids(&mut self, segment: &str, out: &mut Vec<u32>) {
        out.clear();
        let text = tercom_text(self.metric, segment, &mut self.buffers);
        out.extend(py_split(text).map(|word| self.ids.word(word.as_bytes())));
    }

    /// The word ids of a reference. sacreBLEU tokenizes references twice (`TER._cache_references`
    /// preprocesses them and `_extract_reference_info` preprocesses the result again), which
    /// changes nothing for the default options but does with `normalized`: `2000's.` becomes
    /// `2000's .` and then `2000 's .`. Hypotheses are tokenized once.
    fn reference_ids(&mut self, segment: &str, out: &mut Vec<u32>) {
        let mut once = std::mem::take(&mut self.once_tokenized);
        once.clear();
        for (k, word) in py_split(tercom_text(self.metric, segment, &mut self.buffers)).enumerate() {
            if k > 0 {
                once.push(' ');
            }
            once.push_str(word);
        }
        self.word_ids(&once, out);
        self.once_tokenized = once;
    }
}

impl SegmentScorer for TerScorer<'_> {
    fn add_segment(&mut self, hypothesis: &str, references: &[&str], stats: &mut [u64]) {
        self.ids.clear();
        let (mut hyp, mut reference) = (std::mem::take(&mut self.hypothesis), std::mem::take(&mut self.reference));
        self.word_ids(hypothesis, &mut hyp);
        let mut best: Option<u64> = None;
        let mut ref_words = 0;
        for r in references {
            self.reference_ids(r, &mut reference);
            let edits = self.counter.edits(&hyp, &reference);
            ref_words += reference.len() as u64;
            best = Some(best.map_or(edits, |b| b.min(edits)));
        }
        stats[0] += best.unwrap_or(0);
        stats[1] += ref_words;
        (self.hypothesis, self.reference) = (hyp, reference);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::segment_stats;

    fn stats(ter: &Ter, hyp: &str, refs: &[&str]) -> Vec<u64> {
        segment_stats(ter.scorer().as_mut(), ter.stats_len(), hyp, refs)
    }

    #[test]
    fn the_best_reference_gives_the_edits_and_all_give_the_length() {
        let ter = Ter::DEFAULT;
        assert_eq!(stats(&ter, "The cat sat", &["the cat sat down", "a dog sat"]), [1, 7]);
        let score = ter.score(&[1, 7], 2);
        assert!((score.score - 100.0 / 3.5).abs() < 1e-12);
        let Details::Ter(details) = score.details else { panic!("TER details") };
        assert_eq!(details, TerDetails { num_edits: 1, ref_length: 3.5 });
    }

    #[test]
    fn references_are_tokenized_twice_hypotheses_once() {
        let ter = Ter { normalized: true, ..Ter::DEFAULT };
        // Reference: "in 2000's." -> "in 2000's ." -> "in 2000 's ." (4 words); hypothesis: 3 words.
        assert_eq!(stats(&ter, "in 2000's.", &["in 2000's."]), [2, 4]);
    }

    #[test]
    fn empty_references_follow_sacrebleu() {
        let ter = Ter::DEFAULT;
        assert_eq!(stats(&ter, "a b", &[""]), [2, 0]);
        assert_eq!(ter.score(&[2, 0], 1).score, 100.0);
        assert_eq!(ter.score(&[0, 0], 1).score, 0.0);
        assert_eq!(stats(&ter, "", &["a b c"]), [3, 3]);
    }

    #[test]
    fn scores_can_exceed_100() {
        let ter = Ter::DEFAULT;
        let s = stats(&ter, "x y z w", &["a"]);
        assert_eq!(s, [4, 1]);
        assert_eq!(ter.score(&s, 1).score, 400.0);
    }

    #[test]
    fn signature_and_name_follow_sacrebleu() {
        let sig = Ter::DEFAULT.signature(1).to_string();
        assert!(
            sig.starts_with("nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0|tqscore:"),
            "{sig}"
        );
        let all = Ter { case_sensitive: true, no_punct: true, normalized: true, asian_support: true, references: 1 };
        let sig = all.signature(2).to_string();
        assert!(sig.starts_with("nrefs:2|case:mixed|tok:tercom|norm:yes|punct:no|asian:yes|version:2.6.0|"), "{sig}");
        assert_eq!(Ter::DEFAULT.score(&[0, 0], 1).name, "TER");
    }
}
