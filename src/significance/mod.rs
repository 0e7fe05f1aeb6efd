//! sacreBLEU 2.6.0's statistical tests, with the same numbers for every seed:
//! bootstrap confidence intervals (`--confidence`), paired bootstrap
//! resampling (`--paired-bs`) and paired approximate randomization (`--paired-ar`).
//!
//! Every draw comes from [`crate::numpy::random`], in the order numpy makes it;
//! every float operation is done in the type sacreBLEU's Python code does it
//! in ([`crate::numpy::scalar`], [`crate::numpy::sum`]). Statistics are
//! additive, so a resample is a sum of per-segment statistics over drawn
//! indices and a randomization trial a sum over swapped segments; the sums are
//! spread over the current rayon pool and give the same result for any number
//! of threads.
//!
//! Inputs are per-segment statistics: for every system, for every metric,
//! `segments * metric.stats_len()` values, segment after segment. The first
//! system is the baseline.

use std::cmp::Ordering;

use crate::metrics::{add_stats, Metric, PyStats};
use crate::numpy::random::{entropy_words, Generator};
use crate::numpy::scalar::PyFloat;
use crate::numpy::sum::{mean, python_mean, NpFloat};
use crate::text::{py_lower_into, py_strip};

mod sums;

pub use sums::bootstrap_scores;
use sums::randomized_scores;

/// sacreBLEU's seed when `SACREBLEU_SEED` is not set.
pub const DEFAULT_SEED: &str = "12345";
/// Bootstrap resamples by default (`--confidence-n`, `--paired-bs-n`).
pub const DEFAULT_RESAMPLES: usize = 1000;
/// Approximate randomization trials by default (`--paired-ar-n`).
pub const DEFAULT_TRIALS: usize = 10000;

/// The environment variable sacreBLEU reads its seed from.
pub const SEED_VARIABLE: &str = "SACREBLEU_SEED";

/// The seed as sacreBLEU reads `SACREBLEU_SEED`: Python's `int()` of the text,
/// or unseeded (fresh operating-system entropy per generator) when the text is
/// `none` in any case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    /// The text, lowercased (what `--confidence` writes in the signature).
    text: String,
    /// The integer: decimal digits without leading zeros, and numpy's entropy words.
    value: Option<(String, Vec<u32>)>,
}

impl Default for Seed {
    fn default() -> Seed {
        Seed::parse(DEFAULT_SEED).unwrap_or_else(|_| unreachable!("the default seed parses"))
    }
}

impl Seed {
    /// Read `text` as sacreBLEU reads `SACREBLEU_SEED`.
    pub fn parse(text: &str) -> Result<Seed, String> {
        let mut lower = String::new();
        py_lower_into(text, &mut lower);
        if lower == "none" {
            return Ok(Seed { text: lower, value: None });
        }
        let digits = python_int_digits(text).ok_or_else(|| {
            format!("{SEED_VARIABLE}={text:?} is not an integer (use a non-negative integer, or 'none' for an unseeded run)")
        })?;
        let words = decimal_words(&digits);
        Ok(Seed { text: lower, value: Some((digits, words)) })
    }

    /// The seed of this process: `SACREBLEU_SEED`, or [`DEFAULT_SEED`] when it is unset.
    pub fn from_env() -> Result<Seed, String> {
        match std::env::var(SEED_VARIABLE) {
            Ok(text) => Seed::parse(&text),
            Err(std::env::VarError::NotPresent) => Ok(Seed::default()),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{SEED_VARIABLE} is not valid UTF-8")),
        }
    }

    /// numpy's entropy words of the integer (`None` when unseeded).
    pub fn entropy(&self) -> Option<&[u32]> {
        self.value.as_ref().map(|(_, words)| words.as_slice())
    }

    /// `seed:` of a paired test's signature: the integer, or `none`.
    pub fn paired_label(&self) -> &str {
        self.value.as_ref().map_or("none", |(digits, _)| digits.as_str())
    }

    /// `seed:` of a `--confidence` signature: the variable's text, lowercased.
    pub fn confidence_label(&self) -> &str {
        &self.text
    }

    /// Whether the paired tests' generators are seeded. sacreBLEU seeds them
    /// with `seed if seed else None`, so a seed of 0 leaves them unseeded
    /// (while `--confidence` and the baseline's interval are seeded with 0).
    pub fn seeds_paired_tests(&self) -> bool {
        self.value.as_ref().is_some_and(|(digits, _)| digits != "0")
    }

    /// The generator of `_bootstrap_resample`: `default_rng(int(seed))`, or unseeded.
    fn resample_generator(&self) -> Generator {
        match &self.value {
            Some((_, words)) => Generator::default_rng(words),
            None => unseeded(),
        }
    }

    /// The generator a paired test draws one system's samples from.
    fn system_generator(&self) -> Generator {
        match &self.value {
            Some((_, words)) if self.seeds_paired_tests() => Generator::default_rng(words),
            _ => unseeded(),
        }
    }
}

/// `default_rng(None)`: 128 bits of operating-system entropy.
fn unseeded() -> Generator {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).unwrap_or_else(|e| panic!("no operating-system entropy for an unseeded run: {e}"));
    Generator::default_rng(&entropy_words(u128::from_le_bytes(bytes)))
}

/// The decimal digits (no sign, underscores or leading zeros) of a text that
/// Python's `int()` reads as a non-negative integer.
fn python_int_digits(text: &str) -> Option<String> {
    let text = py_strip(text);
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let well_formed =
        !body.is_empty() && body.split('_').all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit()));
    if !well_formed {
        return None;
    }
    let digits = body.replace('_', "");
    let digits = digits.trim_start_matches('0');
    match (digits.is_empty(), negative) {
        (true, _) => Some("0".into()),
        (false, true) => None,
        (false, false) => Some(digits.to_string()),
    }
}

/// A decimal integer's 32-bit words, lowest first (numpy's `_int_to_uint32_array`).
fn decimal_words(digits: &str) -> Vec<u32> {
    let mut words = vec![0u32];
    for d in digits.bytes() {
        let mut carry = u64::from(d - b'0');
        for w in words.iter_mut() {
            let v = u64::from(*w) * 10 + carry;
            *w = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            words.push(carry as u32);
        }
    }
    words
}

/// One system's result for one metric, as sacreBLEU reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The corpus score.
    pub score: f64,
    /// The mean of the bootstrap resamples' scores (a float32 value for chrF).
    pub mean: Option<f64>,
    /// Half the width of the 95% interval: `(upper - lower) / 2` of the
    /// resamples at ranks `n/40` and `n - n/40 - 1`.
    pub ci: Option<f64>,
    /// The p-value of the difference to the baseline (`None` for the baseline).
    pub p_value: Option<f64>,
}

/// Resampled scores as the numpy array sacreBLEU builds from them: float32
/// when every score is a numpy float32, float64 otherwise.
#[derive(Debug, Clone, PartialEq)]
pub enum Scores {
    /// A float32 array.
    Float32(Vec<f32>),
    /// A float64 array.
    Float64(Vec<f64>),
}

impl Scores {
    /// `np.array(values)`.
    pub fn from_values(values: &[PyFloat]) -> Scores {
        let all_f32: Option<Vec<f32>> = values
            .iter()
            .map(|v| match v {
                PyFloat::Float32(x) => Some(*x),
                PyFloat::Float(_) => None,
            })
            .collect();
        match all_f32 {
            Some(v) => Scores::Float32(v),
            None => Scores::Float64(values.iter().map(|v| v.as_f64()).collect()),
        }
    }

    /// The scores as doubles.
    pub fn to_f64(&self) -> Vec<f64> {
        match self {
            Scores::Float32(v) => v.iter().map(|&x| f64::from(x)).collect(),
            Scores::Float64(v) => v.clone(),
        }
    }
}

/// `significance.estimate_ci`: the mean of the sorted scores and half the
/// distance between the scores at ranks `n/40` and `n - n/40 - 1`.
///
/// # Panics
/// If there are no scores.
pub fn estimate_ci(scores: &Scores) -> (f64, f64) {
    fn of<T: NpFloat>(values: &[T]) -> (f64, f64) {
        let mut sorted = values.to_vec();
        sorted.sort_by(nan_last);
        let n = sorted.len();
        let lower = n / 40;
        let ci = T::from_py(0.5) * (sorted[n - lower - 1] - sorted[lower]);
        (mean(&sorted).to_f64(), ci.to_f64())
    }
    match scores {
        Scores::Float32(v) => of(v),
        Scores::Float64(v) => of(v),
    }
}

/// `np.sort`'s order: ascending, NaN last.
fn nan_last<T: PartialOrd>(a: &T, b: &T) -> Ordering {
    #[allow(clippy::eq_op)] // x != x: x is NaN
    let nan = |x: &T| x != x;
    a.partial_cmp(b).unwrap_or_else(|| nan(a).cmp(&nan(b)))
}

/// `Score.estimate_ci` (`--confidence` on one system): the exact mean
/// (`statistics.mean`) and half the distance between the scores at ranks
/// `n/40` and `n - n/40 - 1`.
///
/// A mix of float32 and Python-float scores makes sacreBLEU's
/// `statistics.mean` raise `TypeError`; the mean of such a mix is the
/// double-precision one.
///
/// # Panics
/// If there are no scores.
pub fn estimate_ci_exact(scores: &[PyFloat]) -> (f64, f64) {
    let mut sorted = scores.to_vec();
    sorted.sort_by(|a, b| a.as_f64().total_cmp(&b.as_f64()));
    let n = sorted.len();
    let lower = n / 40;
    let ci = PyFloat::Float(0.5) * (sorted[n - lower - 1] - sorted[lower]);
    let exact = python_mean(&sorted.iter().map(|s| s.as_f64()).collect::<Vec<_>>());
    let mean = if sorted.iter().all(|s| s.is_float32()) { f64::from(exact as f32) } else { exact };
    (mean, ci.as_f64())
}

/// `_compute_p_value`: `(count(stats > difference) + 1) / (len(stats) + 1)`,
/// the comparison in the array's precision.
fn p_value<T: NpFloat>(stats: &[T], difference: f64) -> f64 {
    let threshold = T::from_py(difference);
    let count = stats.iter().filter(|&&s| s > threshold).count();
    (count + 1) as f64 / (stats.len() + 1) as f64
}

/// `np.abs(a - b)`, in float32 if both arrays are float32.
fn abs_differences(a: &Scores, b: &Scores) -> Scores {
    fn of<T: NpFloat>(a: &[T], b: &[T]) -> Vec<T> {
        a.iter()
            .zip(b)
            .map(|(&x, &y)| {
                let d = x - y;
                if d < T::ZERO {
                    T::ZERO - d
                } else {
                    d
                }
            })
            .collect()
    }
    match (a, b) {
        (Scores::Float32(a), Scores::Float32(b)) => Scores::Float32(of(a, b)),
        _ => Scores::Float64(of(&a.to_f64(), &b.to_f64())),
    }
}

/// The paired bootstrap's p-value: the resamples' differences
/// `|system - baseline|`, centred on their mean, against the real difference.
fn bootstrap_p_value(baseline: &Scores, system: &Scores, difference: f64) -> f64 {
    fn centred<T: NpFloat>(diffs: &[T], difference: f64) -> f64 {
        let centre = mean(diffs);
        p_value(&diffs.iter().map(|&d| d - centre).collect::<Vec<_>>(), difference)
    }
    match abs_differences(system, baseline) {
        Scores::Float32(d) => centred(&d, difference),
        Scores::Float64(d) => centred(&d, difference),
    }
}

/// The approximate randomization p-value: the trials' `|score(A) - score(B)|`
/// against the real difference.
fn randomization_p_value(a: &Scores, b: &Scores, difference: f64) -> f64 {
    match abs_differences(a, b) {
        Scores::Float32(d) => p_value(&d, difference),
        Scores::Float64(d) => p_value(&d, difference),
    }
}

/// One system's statistics: for each metric, every segment's statistics back to back.
pub type SystemStats<'a> = [&'a [u64]];

/// The corpus statistics of one metric: the sum over segments.
fn totals(per_segment: &[u64], len: usize) -> Vec<u64> {
    let mut total = vec![0; len];
    per_segment.chunks_exact(len).for_each(|s| add_stats(&mut total, s));
    total
}

/// Each system's corpus score for each metric (a Python float, as sacreBLEU's).
fn corpus_scores(metrics: &[&dyn Metric], systems: &[&SystemStats<'_>]) -> Vec<Vec<f64>> {
    systems
        .iter()
        .map(|system| {
            metrics
                .iter()
                .zip(system.iter())
                .map(|(m, stats)| m.value(PyStats::Ints(&totals(stats, m.stats_len()))).as_f64())
                .collect()
        })
        .collect()
}

/// [`bootstrap_scores`] as `_bootstrap_resample` calls it, once per metric with
/// a fresh generator: seeded runs draw the same indices for every metric, so
/// they share one draw; unseeded runs draw anew for each metric.
fn resample_each_metric(
    seed: &Seed,
    metrics: &[&dyn Metric],
    system: &SystemStats<'_>,
    segments: usize,
    samples: usize,
) -> Vec<Scores> {
    if seed.value.is_some() {
        bootstrap_scores(&mut seed.resample_generator(), metrics, &[system], segments, samples).remove(0)
    } else {
        metrics
            .iter()
            .zip(system.iter())
            .map(|(&m, &stats)| {
                bootstrap_scores(&mut seed.resample_generator(), &[m], &[&[stats][..]], segments, samples)
                    .remove(0)
                    .remove(0)
            })
            .collect()
    }
}

/// `--confidence` for one system: each metric's corpus score with the mean
/// and 95% interval of `samples` bootstrap resamples, as sacreBLEU's
/// `corpus_score(..., n_bootstrap=samples)` computes them.
///
/// # Panics
/// If `segments` or `samples` is 0.
pub fn confidence(
    metrics: &[&dyn Metric],
    system: &SystemStats<'_>,
    segments: usize,
    samples: usize,
    seed: &Seed,
) -> Vec<Estimate> {
    let scores = corpus_scores(metrics, &[system]).remove(0);
    let resampled = resample_each_metric(seed, metrics, system, segments, samples);
    scores
        .into_iter()
        .zip(resampled)
        .map(|(score, r)| {
            let values: Vec<PyFloat> = match r {
                Scores::Float32(v) => v.into_iter().map(PyFloat::Float32).collect(),
                Scores::Float64(v) => v.into_iter().map(PyFloat::Float).collect(),
            };
            let (mean, ci) = estimate_ci_exact(&values);
            Estimate { score, mean: Some(mean), ci: Some(ci), p_value: None }
        })
        .collect()
}

/// A paired test, as sacreBLEU's `PairedTest` runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairedTest {
    /// Paired bootstrap resampling with this many resamples (`--paired-bs-n`).
    Bootstrap {
        /// Resamples.
        samples: usize,
    },
    /// Paired approximate randomization (`--paired-ar-n`).
    ApproximateRandomization {
        /// Trials.
        trials: usize,
        /// Bootstrap resamples for each system's interval (sacreBLEU's
        /// `n_ar_confidence`; its command line passes none).
        confidence: Option<usize>,
    },
}

impl PairedTest {
    /// The entries sacreBLEU adds to a metric's signature for this test, after
    /// `nrefs`: `bs:N|seed:S`, `ar:N|seed:S`, or `bs:C|ar:N|seed:S` with intervals.
    pub fn signature_entries(&self, seed: &Seed) -> Vec<(&'static str, String)> {
        let mut entries = match self {
            PairedTest::Bootstrap { samples } => vec![("bs", samples.to_string())],
            PairedTest::ApproximateRandomization { trials, confidence } => {
                confidence.iter().map(|c| ("bs", c.to_string())).chain([("ar", trials.to_string())]).collect()
            }
        };
        entries.push(("seed", seed.paired_label().to_string()));
        entries
    }
}

/// The entries `--confidence` adds to a metric's signature after `nrefs`: `bs:N|seed:S`.
pub fn confidence_signature_entries(samples: usize, seed: &Seed) -> Vec<(&'static str, String)> {
    vec![("bs", samples.to_string()), ("seed", seed.confidence_label().to_string())]
}

/// The systems one generator draws for, and that generator.
struct DrawGroup {
    rng: Generator,
    systems: Vec<usize>,
}

/// A seeded run draws the same numbers for every system: one group. An
/// unseeded one draws anew for each system.
fn draw_groups(seed: &Seed, systems: usize) -> Vec<DrawGroup> {
    if seed.seeds_paired_tests() {
        vec![DrawGroup { rng: seed.system_generator(), systems: (1..systems).collect() }]
    } else {
        (1..systems).map(|s| DrawGroup { rng: seed.system_generator(), systems: vec![s] }).collect()
    }
}

/// Run a paired test of `systems[1..]` against the baseline `systems[0]`:
/// `[system][metric]` estimates, the baseline first.
///
/// # Panics
/// If there are no segments, samples or trials, or a system lacks statistics for a metric.
pub fn paired_test(
    metrics: &[&dyn Metric],
    systems: &[&SystemStats<'_>],
    segments: usize,
    test: &PairedTest,
    seed: &Seed,
) -> Vec<Vec<Estimate>> {
    let scores = corpus_scores(metrics, systems);
    let mut estimates: Vec<Vec<Estimate>> = scores
        .iter()
        .map(|s| s.iter().map(|&score| Estimate { score, mean: None, ci: None, p_value: None }).collect())
        .collect();
    let set_ci = |estimate: &mut Estimate, scores: &Scores| {
        let (mean, ci) = estimate_ci(scores);
        estimate.mean = Some(mean);
        estimate.ci = Some(ci);
    };
    let baseline_confidence = match test {
        PairedTest::Bootstrap { samples } => Some(*samples),
        PairedTest::ApproximateRandomization { confidence, .. } => *confidence,
    };
    let groups = draw_groups(seed, systems.len());
    // The baseline's interval: its own `_bootstrap_resample`, unless a seeded
    // bootstrap test draws the very same indices for the systems anyway.
    let shared_bootstrap =
        matches!(test, PairedTest::Bootstrap { .. }) && seed.seeds_paired_tests() && systems.len() > 1;
    if let (Some(samples), false) = (baseline_confidence, shared_bootstrap) {
        let resampled = resample_each_metric(seed, metrics, systems[0], segments, samples);
        for (estimate, r) in estimates[0].iter_mut().zip(&resampled) {
            set_ci(estimate, r);
        }
    }
    for mut group in groups {
        match test {
            PairedTest::Bootstrap { samples } => {
                let members: Vec<&SystemStats<'_>> =
                    std::iter::once(systems[0]).chain(group.systems.iter().map(|&s| systems[s])).collect();
                let resampled = bootstrap_scores(&mut group.rng, metrics, &members, segments, *samples);
                if shared_bootstrap {
                    for (estimate, r) in estimates[0].iter_mut().zip(&resampled[0]) {
                        set_ci(estimate, r);
                    }
                }
                for (&s, sys) in group.systems.iter().zip(&resampled[1..]) {
                    for (m, r) in sys.iter().enumerate() {
                        let difference = (scores[0][m] - scores[s][m]).abs();
                        set_ci(&mut estimates[s][m], r);
                        estimates[s][m].p_value = Some(bootstrap_p_value(&resampled[0][m], r, difference));
                    }
                }
            }
            PairedTest::ApproximateRandomization { trials, confidence } => {
                let bits = group.rng.random_bools(trials * segments);
                let members: Vec<&SystemStats<'_>> = group.systems.iter().map(|&s| systems[s]).collect();
                let randomized = randomized_scores(metrics, systems[0], &members, &bits, *trials, segments);
                for (&s, per_metric) in group.systems.iter().zip(&randomized) {
                    for (m, (a, b)) in per_metric.iter().enumerate() {
                        let difference = (scores[0][m] - scores[s][m]).abs();
                        estimates[s][m].p_value = Some(randomization_p_value(a, b, difference));
                    }
                }
                if let Some(samples) = confidence {
                    let resampled = bootstrap_scores(&mut group.rng, metrics, &members, segments, *samples);
                    for (&s, sys) in group.systems.iter().zip(&resampled) {
                        for (m, r) in sys.iter().enumerate() {
                            set_ci(&mut estimates[s][m], r);
                        }
                    }
                }
            }
        }
    }
    estimates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_parse_as_python_int_does() {
        for (text, label) in [("12345", "12345"), (" 007\n", "7"), ("+1_000", "1000"), ("-0", "0"), ("0", "0")] {
            assert_eq!(Seed::parse(text).unwrap().paired_label(), label, "{text:?}");
        }
        for text in ["", "1__0", "_1", "1_", "-5", "0x10", "1.5", "١٢"] {
            assert!(Seed::parse(text).is_err(), "{text:?}");
        }
        let none = Seed::parse("None").unwrap();
        assert_eq!((none.paired_label(), none.confidence_label()), ("none", "none"));
        assert_eq!(Seed::parse(" 007").unwrap().confidence_label(), " 007");
        assert!(!Seed::parse("0").unwrap().seeds_paired_tests());
        assert!(Seed::default().seeds_paired_tests());
    }

    #[test]
    fn big_seeds_split_into_words() {
        assert_eq!(decimal_words("0"), [0]);
        assert_eq!(decimal_words("4294967296"), [0, 1]);
        assert_eq!(decimal_words("340282366920938463463374607431768211457"), [1, 0, 0, 0, 1]);
    }

    #[test]
    fn intervals_take_ranks_n_over_40() {
        let scores = Scores::Float64((0..80).map(f64::from).rev().collect());
        // Ranks 2 and 77 of 0..80.
        assert_eq!(estimate_ci(&scores), (39.5, 37.5));
        let exact: Vec<PyFloat> = (0..80).map(|x| PyFloat::Float(f64::from(x))).collect();
        assert_eq!(estimate_ci_exact(&exact), (39.5, 37.5));
    }

    #[test]
    fn p_values_count_strictly_greater_with_one_added() {
        assert_eq!(p_value(&[0.0f64, 1.0, 2.0, 3.0], 1.0), 3.0 / 5.0);
        assert_eq!(p_value(&[0.0f64; 9], 0.0), 0.1);
    }
}
