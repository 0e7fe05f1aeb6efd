//! Metrics as plugins: each computes additive sufficient statistics per segment
//! and a score from summed statistics, exactly as sacreBLEU 2.6.0 does.
//!
//! Statistics are plain `u64` vectors whose element-wise sum over segments is
//! the corpus statistic. That one property makes corpus scores, sentence
//! scores, bootstrap resampling and multi-threading all cheap and exact: any
//! grouping of segments gives bit-identical sums.

pub mod bleu;
pub mod chrf;
pub mod ter;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::numpy::scalar::PyFloat;

pub use bleu::{Bleu, BleuDetails, Smoothing};
pub use chrf::{Chrf, ChrfDetails};
pub use ter::{Ter, TerDetails};

/// The sacreBLEU release whose numbers tqscore reproduces.
pub const SACREBLEU_VERSION: &str = "2.6.0";

/// A metric that scores hypotheses against one or more references.
pub trait Metric: Send + Sync {
    /// Key of the metric in reports and on the command line (`bleu`, `chrf`, `chrf++`, `ter`).
    fn key(&self) -> &'static str;

    /// Number of `u64` sufficient statistics per segment.
    fn stats_len(&self) -> usize;

    /// A per-thread scorer holding reusable buffers.
    fn scorer(&self) -> Box<dyn SegmentScorer + '_>;

    /// The score of (summed) statistics, for a test set with `nrefs` references.
    fn score(&self, stats: &[u64], nrefs: usize) -> Score;

    /// The score alone, as sacreBLEU's `_compute_score_from_stats(stats).score`
    /// computes it for statistics held as `stats` says: with Python ints (a
    /// corpus score, the same number as [`Metric::score`]), a numpy int64 row
    /// (approximate randomization) or a numpy float32 vector (bootstrap
    /// resampling), whose float32 arithmetic a metric must follow exactly
    /// (see [`crate::numpy::scalar`]). The significance tests call only this.
    fn value(&self, stats: PyStats<'_>) -> PyFloat;

    /// The reproducibility signature, for a test set with `nrefs` references.
    fn signature(&self, nrefs: usize) -> Signature;
}

/// Computes one segment's sufficient statistics (see [`Metric::scorer`]).
pub trait SegmentScorer {
    /// Add the statistics of `hypothesis` against `references` to `stats`
    /// (which has [`Metric::stats_len`] elements).
    fn add_segment(&mut self, hypothesis: &str, references: &[&str], stats: &mut [u64]);
}

/// Statistics of one segment, on their own.
pub fn segment_stats(scorer: &mut dyn SegmentScorer, len: usize, hypothesis: &str, references: &[&str]) -> Vec<u64> {
    let mut stats = vec![0; len];
    scorer.add_segment(hypothesis, references, &mut stats);
    stats
}

/// Summed statistics as sacreBLEU holds them when it scores them; the holder
/// decides the arithmetic of the score ([`Metric::value`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PyStats<'a> {
    /// A Python list of ints: corpus and sentence scores.
    Ints(&'a [u64]),
    /// A numpy int64 row: the pseudo-systems of the approximate randomization
    /// test. Read like ints, but adding a fraction in place truncates it.
    Int64(&'a [u64]),
    /// A numpy float32 vector: bootstrap resamples, summed in float32.
    Float32(&'a [f32]),
}

impl PyStats<'_> {
    /// Element `i` as Python reads it: an exact float for an integer, else a float32.
    pub fn get(&self, i: usize) -> PyFloat {
        match self {
            PyStats::Ints(s) | PyStats::Int64(s) => PyFloat::Float(s[i] as f64),
            PyStats::Float32(s) => PyFloat::Float32(s[i]),
        }
    }

    /// `int(stats[i])`.
    pub fn int(&self, i: usize) -> u64 {
        match self {
            PyStats::Ints(s) | PyStats::Int64(s) => s[i],
            PyStats::Float32(s) => s[i] as u64,
        }
    }

    /// What `stats[i] += x` leaves in the element when `value` is `stats[i] + x`:
    /// the value itself, truncated to an integer in an int64 row.
    pub fn store(&self, value: PyFloat) -> PyFloat {
        match self {
            PyStats::Int64(_) => PyFloat::Float(value.as_f64().trunc()),
            _ => value,
        }
    }
}

/// Element-wise `total += part`.
pub fn add_stats(total: &mut [u64], part: &[u64]) {
    for (t, p) in total.iter_mut().zip(part) {
        *t += p;
    }
}

/// A score with the statistics behind it and the signature that reproduces it.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// Display name as sacreBLEU prints it (`BLEU`, `chrF2`, `chrF2++`, `TER`).
    pub name: String,
    /// The score: 0..=100 for BLEU and chrF; TER (an error rate) is 0 or more and can exceed 100.
    pub score: f64,
    /// The reproducibility signature.
    pub signature: Signature,
    /// Metric-specific statistics.
    #[serde(flatten)]
    pub details: Details,
}

/// Metric-specific parts of a [`Score`].
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Details {
    /// BLEU's n-gram counts, precisions and brevity penalty.
    Bleu(BleuDetails),
    /// chrF's per-order statistics.
    Chrf(ChrfDetails),
    /// TER's edits and average reference length.
    Ter(TerDetails),
}

impl Score {
    /// sacreBLEU's one-line text form: `BLEU|nrefs:1|... = 22.36 75.0/66.7/... (BP = ...)`.
    pub fn format_line(&self, width: usize) -> String {
        self.format_line_with_interval(width, None)
    }

    /// [`Score::format_line`] with a bootstrap `(mean, half-width)` after the score,
    /// as `--confidence` prints it: `... = 40.6 (μ = 40.6 ± 1.3) ...` (omitted
    /// unless the mean is positive, as in sacreBLEU).
    pub fn format_line_with_interval(&self, width: usize, interval: Option<(f64, f64)>) -> String {
        let mut line = format!("{}|{} = {:.*}", self.name, self.signature, width, self.score);
        if let Some((mean, ci)) = interval.filter(|(mean, _)| *mean > 0.0) {
            line.push_str(&format!(" (μ = {mean:.width$} ± {ci:.width$})"));
        }
        if let Details::Bleu(d) = &self.details {
            line.push(' ');
            line.push_str(&d.verbose());
        }
        line
    }
}

/// sacreBLEU-style signature: `key:value` pairs joined by `|`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    entries: Vec<(&'static str, String)>,
}

impl Signature {
    /// A signature that starts with `nrefs`, as sacreBLEU's do.
    pub fn with_nrefs(nrefs: usize) -> Self {
        Signature::default().with("nrefs", nrefs)
    }

    /// Append `key:value`.
    pub fn with(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.entries.push((key, value.to_string()));
        self
    }

    /// Close the signature with the sacreBLEU version matched and tqscore's own version.
    pub fn finish(self) -> Self {
        self.with("version", SACREBLEU_VERSION).with("tqscore", env!("CARGO_PKG_VERSION"))
    }

    /// Add `key:value` just before the closing `version` entries (for context such as `fold:yes`).
    pub fn insert_before_version(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        let at = self.entries.iter().position(|(k, _)| *k == "version").unwrap_or(self.entries.len());
        self.entries.insert(at, (key, value.to_string()));
        self
    }

    /// Add entries right after `nrefs`, where sacreBLEU's statistical tests put
    /// theirs (`bs:`, `ar:`, `seed:`).
    pub fn with_test_entries(mut self, entries: Vec<(&'static str, String)>) -> Self {
        let at = self.entries.iter().position(|(k, _)| *k == "nrefs").map_or(0, |i| i + 1);
        self.entries.splice(at..at, entries);
        self
    }

    /// The value recorded for `key`, if any.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.entries.iter().find(|(k, _)| *k == key).map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str("|")?;
            }
            write!(f, "{k}:{v}")?;
        }
        Ok(())
    }
}

impl Serialize for Signature {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `yes`/`no` as sacreBLEU writes booleans in signatures.
pub(crate) fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}
