//! The sums behind the tests, spread over the current rayon pool: bootstrap
//! resamples (float32 sums of the drawn segments' statistics, as numpy adds
//! them) and randomization trials (exact integer sums of swapped segments).
//!
//! The statistics of every (system, metric) pair are laid side by side as
//! "lanes" and summed a block of [`LANE_BLOCK`] lanes at a time, so that a
//! block's accumulators stay in vector registers.

use std::ops::Range;

use rayon::prelude::*;

use super::{totals, Scores, SystemStats};
use crate::metrics::{Metric, PyStats};
use crate::numpy::random::Generator;
use crate::numpy::scalar::PyFloat;
use crate::numpy::sum::sum;

/// Indices drawn per batch of bootstrap resamples (bounds memory and overlaps drawing with summing).
const INDICES_PER_BATCH: usize = 1 << 17;

/// Lanes per block of the summing kernels: a block's accumulators stay in registers.
const LANE_BLOCK: usize = 32;

/// Where each (system, metric) pair's statistics sit among the lanes summed together.
struct Lanes {
    /// Per system, per metric: the lanes.
    ranges: Vec<Vec<Range<usize>>>,
    /// Number of lanes, rounded up to whole blocks.
    padded: usize,
}

impl Lanes {
    fn new(metrics: &[&dyn Metric], systems: usize) -> Lanes {
        let mut width = 0;
        let ranges = (0..systems)
            .map(|_| {
                metrics
                    .iter()
                    .map(|m| {
                        width += m.stats_len();
                        width - m.stats_len()..width
                    })
                    .collect()
            })
            .collect();
        Lanes { ranges, padded: width.div_ceil(LANE_BLOCK) * LANE_BLOCK }
    }

    /// The (system, metric, lanes) triples, system by system.
    fn iter(&self) -> impl Iterator<Item = (usize, usize, Range<usize>)> + '_ {
        self.ranges.iter().enumerate().flat_map(|(s, r)| r.iter().enumerate().map(move |(m, r)| (s, m, r.clone())))
    }

    /// Per-segment values of every lane, block-major: `[block][segment][lane in block]`,
    /// so that summing one block over many segments reads one compact array.
    fn layout<T: Copy + Default>(&self, segments: usize, value: impl Fn(usize, usize, usize, usize) -> T) -> Vec<T> {
        let mut data = vec![T::default(); self.padded * segments];
        for (s, m, range) in self.iter() {
            for (k, lane) in range.enumerate() {
                let (block, offset) = (lane / LANE_BLOCK, lane % LANE_BLOCK);
                for i in 0..segments {
                    data[(block * segments + i) * LANE_BLOCK + offset] = value(s, m, i, k);
                }
            }
        }
        data
    }
}

/// Add the given rows of one block (`LANE_BLOCK` values per row) into `acc`, row after row.
#[inline(never)] // compiled on its own, the block stays in vector registers
fn add_rows<T: Copy + std::ops::AddAssign>(acc: &mut [T; LANE_BLOCK], block: &[T], rows: impl Iterator<Item = usize>) {
    let mut sum = *acc;
    for i in rows {
        let row = &block[i * LANE_BLOCK..(i + 1) * LANE_BLOCK];
        for k in 0..LANE_BLOCK {
            sum[k] += row[k];
        }
    }
    *acc = sum;
}

/// Scores of `samples` bootstrap resamples of every given system for every
/// given metric, with indices drawn from `rng` as `rng.choice(segments,
/// size=(samples, segments))` draws them: `[system][metric]`.
///
/// Each resample sums the segments' statistics as float32, row after row (as
/// numpy's `stats[idx].sum(0)`; pairwise for a metric with one statistic),
/// and is scored by [`Metric::value`] on the float32 sums.
///
/// # Panics
/// If `segments` or `samples` is 0, or a system lacks statistics for a metric.
pub fn bootstrap_scores(
    rng: &mut Generator,
    metrics: &[&dyn Metric],
    systems: &[&SystemStats<'_>],
    segments: usize,
    samples: usize,
) -> Vec<Vec<Scores>> {
    assert!(segments > 0 && samples > 0, "bootstrap resampling needs segments and samples");
    for system in systems {
        for (metric, stats) in metrics.iter().zip(system.iter()) {
            assert_eq!(
                stats.len(),
                segments * metric.stats_len(),
                "statistics of {} for {segments} segments",
                metric.key()
            );
        }
    }
    let lanes = Lanes::new(metrics, systems.len());
    let lens: Vec<usize> = metrics.iter().map(|m| m.stats_len()).collect();
    // np.array(stats, dtype='float32'), from Python ints.
    let data = lanes.layout(segments, |s, m, i, k| systems[s][m][i * lens[m] + k] as f64 as f32);
    let score = |indices: &[u32]| -> Vec<Vec<PyFloat>> {
        indices
            .par_chunks(segments)
            .map_init(
                || (vec![0f32; lanes.padded], Vec::new()),
                |(sums, column), sample| {
                    for (block, out) in data.chunks_exact(segments * LANE_BLOCK).zip(sums.chunks_exact_mut(LANE_BLOCK))
                    {
                        let mut acc = [0f32; LANE_BLOCK];
                        add_rows(&mut acc, block, sample.iter().map(|&i| i as usize));
                        out.copy_from_slice(&acc);
                    }
                    lanes
                        .iter()
                        .map(|(_, m, range)| {
                            if range.len() == 1 {
                                // numpy sums an (n, 1) array pairwise.
                                let (block, offset) = (range.start / LANE_BLOCK, range.start % LANE_BLOCK);
                                column.clear();
                                column.extend(
                                    sample.iter().map(|&i| data[(block * segments + i as usize) * LANE_BLOCK + offset]),
                                );
                                sums[range.start] = sum(column);
                            }
                            metrics[m].value(PyStats::Float32(&sums[range]))
                        })
                        .collect()
                },
            )
            .collect()
    };
    // Batches of resamples: the next batch is drawn (in order, on one thread)
    // while the current one is summed and scored.
    let batch = (INDICES_PER_BATCH / segments).clamp(1, samples);
    let mut draw = |count: usize, mut buffer: Vec<u32>| {
        buffer.resize(count * segments, 0);
        rng.choice(segments, &mut buffer);
        buffer
    };
    let mut current = draw(batch, Vec::new());
    let mut spare = Vec::new();
    let mut values: Vec<Vec<PyFloat>> = Vec::with_capacity(samples);
    loop {
        let next = batch.min(samples - values.len() - current.len() / segments);
        let (drawn, scored) =
            rayon::join(|| (next > 0).then(|| draw(next, std::mem::take(&mut spare))), || score(&current));
        values.extend(scored);
        match drawn {
            Some(drawn) => spare = std::mem::replace(&mut current, drawn),
            None => break,
        }
    }
    let per_system = metrics.len();
    (0..systems.len())
        .map(|s| {
            (0..per_system)
                .map(|m| Scores::from_values(&values.iter().map(|v| v[s * per_system + m]).collect::<Vec<_>>()))
                .collect()
        })
        .collect()
}

/// Segments per table of the randomization kernel (16 subsets each).
const NIBBLE: usize = 4;
/// Randomization trials summed per task.
const TRIALS_PER_TASK: usize = 256;

/// The integer type of the randomization tables: `i16` when every table
/// entry fits (a quarter of the memory traffic of `i64`), else `i64`.
trait Lane: Copy + Default + std::ops::AddAssign + Send + Sync {
    /// The largest value.
    const MAX: i64;
    /// A value the caller has checked to fit.
    fn of(x: i64) -> Self;
    /// The value.
    fn get(self) -> i64;
}

impl Lane for i16 {
    const MAX: i64 = i16::MAX as i64;
    fn of(x: i64) -> i16 {
        x as i16
    }
    fn get(self) -> i64 {
        i64::from(self)
    }
}

impl Lane for i64 {
    const MAX: i64 = i64::MAX;
    fn of(x: i64) -> i64 {
        x
    }
    fn get(self) -> i64 {
        self
    }
}

/// The tables of the randomization kernel, `[block][nibble][subset][lane]`:
/// the sums of the differences `per_segment` (laid out by [`Lanes::layout`])
/// over every subset of every 4 consecutive segments.
fn subset_tables(per_segment: &[i64], padded: usize, segments: usize) -> Vec<i64> {
    let table_len = segments.div_ceil(NIBBLE) * 16 * LANE_BLOCK;
    let mut tables = vec![0i64; padded / LANE_BLOCK * table_len];
    for (block, table) in tables.chunks_exact_mut(table_len).enumerate() {
        let rows = &per_segment[block * segments * LANE_BLOCK..(block + 1) * segments * LANE_BLOCK];
        for (nibble, entries) in table.chunks_exact_mut(16 * LANE_BLOCK).enumerate() {
            for subset in 1..16usize {
                let (low, rest) = (subset.trailing_zeros() as usize, subset & (subset - 1));
                let segment = NIBBLE * nibble + low;
                for k in 0..LANE_BLOCK {
                    let d = if segment < segments { rows[segment * LANE_BLOCK + k] } else { 0 };
                    entries[subset * LANE_BLOCK + k] = entries[rest * LANE_BLOCK + k] + d;
                }
            }
        }
    }
    tables
}

/// Pseudo-system A's statistics in every trial (`trials × lanes`): `start`
/// (the system's totals) plus the table entries of the trial's subsets.
/// Entries are added in `L` a stage of rows at a time, few enough that no
/// stage sum can overflow, and each stage is then added to an `i64` total.
fn randomized_sums<L: Lane>(tables: &[i64], start: &[i64], segments: usize, bits: &[u32], trials: usize) -> Vec<i64> {
    let padded = start.len();
    let nibbles = segments.div_ceil(NIBBLE);
    let table_len = nibbles * 16 * LANE_BLOCK;
    let largest = tables.iter().map(|e| e.abs()).max().unwrap_or(0).max(1);
    let stage = usize::try_from(L::MAX / largest).unwrap_or(usize::MAX).max(1);
    let tables: Vec<L> = tables.iter().map(|&e| L::of(e)).collect();
    let word = |i: usize| u64::from(bits.get(i / 32).copied().unwrap_or(0));
    let mut sums = vec![0i64; trials * padded];
    sums.par_chunks_mut(TRIALS_PER_TASK * padded).enumerate().for_each(|(task, out)| {
        let count = out.len() / padded;
        let mut subsets = vec![0usize; count * nibbles];
        for (t, row) in subsets.chunks_exact_mut(nibbles).enumerate() {
            let trial = task * TRIALS_PER_TASK + t;
            for (nibble, subset) in row.iter_mut().enumerate() {
                let first = trial * segments + NIBBLE * nibble;
                let valid = (segments - NIBBLE * nibble).min(NIBBLE);
                let window = (word(first) | (word(first + 32) << 32)) >> (first % 32);
                *subset = nibble * 16 + (window & ((1 << valid) - 1)) as usize;
            }
        }
        // One block of lanes at a time, so that its tables stay in cache.
        for (block, table) in tables.chunks_exact(table_len).enumerate() {
            let lanes = block * LANE_BLOCK..(block + 1) * LANE_BLOCK;
            for (row, trial) in subsets.chunks_exact(nibbles).zip(out.chunks_exact_mut(padded)) {
                let total = &mut trial[lanes.clone()];
                total.copy_from_slice(&start[lanes.clone()]);
                for rows in row.chunks(stage) {
                    let mut acc = [L::default(); LANE_BLOCK];
                    add_rows(&mut acc, table, rows.iter().copied());
                    total.iter_mut().zip(acc).for_each(|(t, a)| *t += a.get());
                }
            }
        }
    });
    sums
}

/// The scores of the two pseudo-systems of every randomization trial, for each
/// of `systems` and each metric: `[system][metric]` pairs of score arrays. In
/// trial `t`, pseudo-system A takes the baseline's statistics on the segments
/// whose bit is set (bits `t * segments..(t + 1) * segments` of numpy's boolean
/// array, `bits` packed as [`Generator::random_bools`] packs them) and the
/// system's elsewhere; B the opposite. These are `pos_sel @ bl_stats + neg_sel
/// @ sys_stats` and `neg_sel @ bl_stats + pos_sel @ sys_stats`, in int64; B is
/// the two systems' total minus A.
pub(super) fn randomized_scores(
    metrics: &[&dyn Metric],
    baseline: &SystemStats<'_>,
    systems: &[&SystemStats<'_>],
    bits: &[u32],
    trials: usize,
    segments: usize,
) -> Vec<Vec<(Scores, Scores)>> {
    let lanes = Lanes::new(metrics, systems.len());
    let lens: Vec<usize> = metrics.iter().map(|m| m.stats_len()).collect();
    let delta = |s: usize, m: usize, i: usize, k: usize| {
        baseline[m][i * lens[m] + k] as i64 - systems[s][m][i * lens[m] + k] as i64
    };
    let tables = subset_tables(&lanes.layout(segments, delta), lanes.padded, segments);
    let mut start = vec![0i64; lanes.padded];
    let mut both = vec![0u64; lanes.padded];
    for (s, m, range) in lanes.iter() {
        let (sys, base) = (totals(systems[s][m], lens[m]), totals(baseline[m], lens[m]));
        for (k, lane) in range.enumerate() {
            start[lane] = sys[k] as i64;
            both[lane] = sys[k] + base[k];
        }
    }
    // i16 tables pay when a stage holds a few rows at least.
    let sums = if tables.iter().all(|e| e.abs() <= i16::MAX as i64 / 8) {
        randomized_sums::<i16>(&tables, &start, segments, bits, trials)
    } else {
        randomized_sums::<i64>(&tables, &start, segments, bits, trials)
    };
    let scored: Vec<Vec<(PyFloat, PyFloat)>> = sums
        .par_chunks_exact(lanes.padded)
        .map_init(
            || (vec![0u64; lanes.padded], vec![0u64; lanes.padded]),
            |(a, b), trial| {
                for (lane, &sum) in trial.iter().enumerate() {
                    a[lane] = sum as u64;
                    b[lane] = both[lane] - a[lane];
                }
                lanes
                    .iter()
                    .map(|(_, m, range)| {
                        let metric = metrics[m];
                        (metric.value(PyStats::Int64(&a[range.clone()])), metric.value(PyStats::Int64(&b[range])))
                    })
                    .collect()
            },
        )
        .collect();
    let per_system = metrics.len();
    (0..systems.len())
        .map(|s| {
            (0..per_system)
                .map(|m| {
                    let (a, b): (Vec<PyFloat>, Vec<PyFloat>) = scored.iter().map(|v| v[s * per_system + m]).unzip();
                    (Scores::from_values(&a), Scores::from_values(&b))
                })
                .collect()
        })
        .collect()
}
