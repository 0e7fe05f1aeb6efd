//! Metrics as plugins: each computes additive sufficient statistics per segment
//! and a score from summed statistics, exactly as sacreBLEU 2.6.0 does.
//!
//! Statistics are plain `u64` vectors whose element-wise sum over segments is
//! the corpus statistic. That one property makes corpus scores, sentence
//! scores, bootstrap resampling and multi-threading all cheap and exact: any
//! grouping of segments gives bit-identical sums.

pub mod bleu;
pub mod chrf;
mod packed;
pub mod ter;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

    /// Whether, with `nrefs` references, this metric's statistics of every
    /// segment are the first [`Metric::stats_len`] statistics `other`
    /// computes for it, so that scoring `other` scores this metric too (chrF
    /// inside chrF++). Runs of several metrics use it to do the work once.
    fn stats_within(&self, _other: &dyn Metric, _nrefs: usize) -> bool {
        false
    }

    /// This metric as chrF (for [`Metric::stats_within`]).
    fn as_chrf(&self) -> Option<&Chrf> {
        None
    }
}

/// For each of `metrics`, the index of another whose statistics contain its
/// own ([`Metric::stats_within`]), so that it need not be computed; `None`
/// for the metrics that are computed. Of two metrics with the same
/// statistics the first is computed; a source is never itself derived.
pub fn stats_sources(metrics: &[&dyn Metric], nrefs: usize) -> Vec<Option<usize>> {
    let n = metrics.len();
    let within = |m: usize, j: usize| metrics[m].stats_within(metrics[j], nrefs);
    let contained = |m: usize, j: usize| j != m && within(m, j) && (j < m || !within(j, m));
    let computed = |j: usize| !(0..n).any(|k| contained(j, k));
    (0..n).map(|m| (0..n).filter(|&j| contained(m, j) && computed(j)).max_by_key(|&j| metrics[j].stats_len())).collect()
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
#[derive(Debug, Clone, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Details {
    /// BLEU's n-gram counts, precisions and brevity penalty.
    Bleu(BleuDetails),
    /// chrF's per-order statistics.
    Chrf(ChrfDetails),
    /// TER's edits and average reference length.
    Ter(TerDetails),
}

impl Details {
    /// The summed sufficient statistics these details were computed from, for
    /// `nrefs` references: what adds up across documents (a test set's score is
    /// the score of its documents' summed statistics).
    pub fn statistics(&self, nrefs: usize) -> Vec<u64> {
        match self {
            Details::Bleu(d) => [d.sys_len, d.ref_len]
                .into_iter()
                .chain(d.counts.iter().copied())
                .chain(d.totals.iter().copied())
                .collect(),
            Details::Chrf(d) => d.statistics.iter().flatten().copied().collect(),
            Details::Ter(d) => vec![d.num_edits, (d.ref_length * nrefs.max(1) as f64).round() as u64],
        }
    }
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
        self.format_line_signed(&self.signature.to_string(), width, interval)
    }

    /// [`Score::format_line_with_interval`] with the signature written as given
    /// (sacreBLEU's own form, `--short`, ...).
    pub fn format_line_signed(&self, signature: &str, width: usize, interval: Option<(f64, f64)>) -> String {
        let mut line = format!("{}|{signature} = {}", self.name, self.score_text(width, interval));
        if let Details::Bleu(d) = &self.details {
            line.push(' ');
            line.push_str(&d.verbose());
        }
        line
    }

    /// The score with `width` decimals and the bootstrap interval when its mean
    /// is positive: what sacreBLEU's `--score-only` prints.
    pub fn score_text(&self, width: usize, interval: Option<(f64, f64)>) -> String {
        let mut text = format!("{:.*}", width, self.score);
        if let Some((mean, ci)) = interval.filter(|(mean, _)| *mean > 0.0) {
            text.push_str(&format!(" (μ = {mean:.width$} ± {ci:.width$})"));
        }
        text
    }
}

/// sacreBLEU-style signature: `key:value` pairs joined by `|`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signature {
    entries: Vec<(Cow<'static, str>, String)>,
}

impl Signature {
    /// A signature that starts with `nrefs`, as sacreBLEU's do.
    pub fn with_nrefs(nrefs: usize) -> Self {
        Signature::default().with("nrefs", nrefs)
    }

    /// Append `key:value`.
    pub fn with(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        self.entries.push((Cow::Borrowed(key), value.to_string()));
        self
    }

    /// Close the signature with the sacreBLEU version matched and tqscore's own version.
    pub fn finish(self) -> Self {
        self.with("version", SACREBLEU_VERSION).with("tqscore", env!("CARGO_PKG_VERSION"))
    }

    /// Add `key:value` just before the closing `version` entries (for context such as `fold:yes`).
    pub fn insert_before_version(mut self, key: &'static str, value: impl fmt::Display) -> Self {
        let at = self.entries.iter().position(|(k, _)| *k == "version").unwrap_or(self.entries.len());
        self.entries.insert(at, (Cow::Borrowed(key), value.to_string()));
        self
    }

    /// Add entries right after `nrefs`, where sacreBLEU's statistical tests put
    /// theirs (`bs:`, `ar:`, `seed:`).
    pub fn with_test_entries(mut self, entries: Vec<(&'static str, String)>) -> Self {
        let at = self.entries.iter().position(|(k, _)| *k == "nrefs").map_or(0, |i| i + 1);
        self.entries.splice(at..at, entries.into_iter().map(|(k, v)| (Cow::Borrowed(k), v)));
        self
    }

    /// The `key:value` entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), v.as_str()))
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

/// A signature read back from a report (`key:value|…`, as [`fmt::Display`] writes it).
impl<'de> Deserialize<'de> for Signature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let entries = text
            .split('|')
            .map(|entry| {
                let (key, value) = entry.split_once(':').unwrap_or((entry, ""));
                (Cow::Owned(key.to_string()), value.to_string())
            })
            .collect();
        Ok(Signature { entries })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_give_back_the_statistics_they_were_computed_from() {
        let metrics: [&dyn Metric; 3] = [&Bleu::default(), &Chrf::default(), &Ter::DEFAULT];
        for metric in metrics {
            let mut scorer = metric.scorer();
            let mut stats = vec![0; metric.stats_len()];
            scorer.add_segment("the cat sat on a mat .", &["the cat sat on the mat ."], &mut stats);
            scorer.add_segment("a dog barked loudly", &["the dog barked"], &mut stats);
            assert_eq!(metric.score(&stats, 1).details.statistics(1), stats, "{}", metric.key());
        }
    }

    #[test]
    fn a_signature_reads_back_as_written() {
        let written = Bleu::default().signature(1).insert_before_version("fold", "yes");
        let text = serde_json::to_string(&written).unwrap();
        let read: Signature = serde_json::from_str(&text).unwrap();
        assert_eq!(read.to_string(), written.to_string());
        assert_eq!(read.get("fold"), Some("yes"));
    }
}
