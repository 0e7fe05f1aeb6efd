//! Summary statistics of per-pair scores and bootstrap confidence intervals.
//!
//! Distributions use `statrs` (quantiles are its "type 8", approximately
//! median-unbiased; the standard deviation is the sample one, n - 1). The
//! bootstrap resamples aligned pairs with replacement and re-scores the summed
//! sufficient statistics, so a replicate costs additions, not re-tokenisation.
//! A PCG-64 seeded with `seed` draws one seed per replicate, and each replicate
//! draws from its own PCG-64, which makes the interval reproducible and
//! independent of the thread count.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::statistics::{Data, OrderStatistics, Statistics};

use crate::metrics::{add_stats, Metric, PyStats};

/// Default seed of the bootstrap (sacreBLEU's default seed).
pub const DEFAULT_SEED: u64 = 12345;

/// Summary of a list of per-pair scores. Every field is `null` for an empty list
/// (and `std` for a single value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    /// Number of values.
    pub count: usize,
    /// Arithmetic mean.
    pub mean: Option<f64>,
    /// Median (quantile 0.5).
    pub median: Option<f64>,
    /// Sample standard deviation.
    pub std: Option<f64>,
    /// Smallest value.
    pub min: Option<f64>,
    /// Largest value.
    pub max: Option<f64>,
    /// 10th percentile.
    pub p10: Option<f64>,
    /// 25th percentile.
    pub p25: Option<f64>,
    /// 75th percentile.
    pub p75: Option<f64>,
    /// 90th percentile.
    pub p90: Option<f64>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

impl Distribution {
    /// Summarise `values`.
    pub fn of(values: &[f64]) -> Distribution {
        if values.is_empty() {
            return Distribution {
                count: 0,
                mean: None,
                median: None,
                std: None,
                min: None,
                max: None,
                p10: None,
                p25: None,
                p75: None,
                p90: None,
            };
        }
        let mut data = Data::new(values.to_vec());
        Distribution {
            count: values.len(),
            mean: finite(values.mean()),
            median: finite(data.median()),
            std: if values.len() > 1 { finite(values.std_dev()) } else { None },
            min: finite(values.min()),
            max: finite(values.max()),
            p10: finite(data.percentile(10)),
            p25: finite(data.percentile(25)),
            p75: finite(data.percentile(75)),
            p90: finite(data.percentile(90)),
        }
    }
}

/// A 95% bootstrap confidence interval of a corpus score computed from
/// per-item statistics (`per_item` holds `stats_len` values per item).
///
/// The bounds are the replicate scores at ranks `n/40` and `n - n/40 - 1`
/// of `n` sorted replicates, as sacreBLEU's `--confidence` takes them.
pub fn bootstrap_ci95(metric: &dyn Metric, per_item: &[u64], replicates: usize, seed: u64) -> Option<[f64; 2]> {
    let len = metric.stats_len();
    let items = per_item.len().checked_div(len)?;
    if items == 0 || replicates == 0 {
        return None;
    }
    let mut master = Pcg64::seed_from_u64(seed);
    let seeds: Vec<u64> = (0..replicates).map(|_| master.random()).collect();
    let mut scores: Vec<f64> = seeds
        .into_par_iter()
        .map_init(
            || vec![0; len],
            |total, replicate_seed| {
                total.fill(0);
                let mut rng = Pcg64::seed_from_u64(replicate_seed);
                for _ in 0..items {
                    let k = rng.random_range(0..items);
                    add_stats(total, &per_item[k * len..(k + 1) * len]);
                }
                // The score alone, without building a report: as `score(..).score`, for Python ints.
                metric.value(PyStats::Ints(total)).as_f64()
            },
        )
        .collect();
    // The two order statistics, without sorting everything (the same values a sort gives).
    let lower = replicates / 40;
    let low = *scores.select_nth_unstable_by(lower, f64::total_cmp).1;
    let high = *scores.select_nth_unstable_by(replicates - lower - 1, f64::total_cmp).1;
    Some([low, high])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Bleu;

    #[test]
    fn distribution_of_known_values() {
        let d = Distribution::of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(d.mean, Some(3.0));
        assert_eq!(d.median, Some(3.0));
        assert_eq!(d.min, Some(1.0));
        assert_eq!(d.max, Some(5.0));
        assert!((d.std.unwrap() - 2.5f64.sqrt()).abs() < 1e-12);
        assert!(Distribution::of(&[7.0]).std.is_none());
        assert!(Distribution::of(&[]).mean.is_none());
    }

    #[test]
    fn bootstrap_is_reproducible_and_brackets_identical_items() {
        let bleu = Bleu::default();
        // Ten identical items: every replicate has the same score.
        let item = [4, 4, 3, 2, 1, 0, 4, 3, 2, 1];
        let all: Vec<u64> = item.iter().copied().cycle().take(100).collect();
        let ci = bootstrap_ci95(&bleu, &all, 200, 1).unwrap();
        let full = bleu
            .score(
                &all.chunks(10).fold(vec![0; 10], |mut t, c| {
                    add_stats(&mut t, c);
                    t
                }),
                1,
            )
            .score;
        assert!((ci[0] - full).abs() < 1e-9 && (ci[1] - full).abs() < 1e-9);
        assert_eq!(bootstrap_ci95(&bleu, &all, 50, 7), bootstrap_ci95(&bleu, &all, 50, 7));
        assert_eq!(bootstrap_ci95(&bleu, &[], 50, 7), None);
    }
}
