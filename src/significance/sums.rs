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
/// Compiled on its own (the block stays in vector registers), and also for AVX2 and AVX-512,
/// chosen at run time: the same additions in the same order, in wider registers.
#[multiversion::multiversion(targets("x86_64+avx512f+avx512bw", "x86_64+avx2"))]
#[inline(never)]
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

/// The sum of the given rows of one block, added to `total`: in `L`, a stage of
/// at most `stage` rows at a time (few enough that no stage sum overflows), each
/// stage then added to the `i64` total. The order does not matter: integers.
fn staged_sum<L: Lane>(total: &mut [i64], block: &[L], rows: &[u32], stage: usize) {
    for rows in rows.chunks(stage) {
        let mut acc = [L::default(); LANE_BLOCK];
        add_rows(&mut acc, block, rows.iter().map(|&i| i as usize));
        total.iter_mut().zip(acc).for_each(|(t, a)| *t += a.get());
    }
}

/// How many rows of values up to `largest` (in absolute value) a stage of `L` can sum.
fn stage_of<L: Lane>(largest: i64) -> usize {
    usize::try_from(L::MAX / largest.max(1)).unwrap_or(usize::MAX).max(1)
}

/// `i16` stages pay when they hold at least this many rows.
const MIN_I16_STAGE: usize = 8;

/// The segments' statistics for bootstrap resampling, laid out by [`Lanes::layout`].
enum Resampled {
    /// Every resample's sums stay below 2^24, where float32 is exact, so numpy's
    /// float32 sums are the integer sums: added in any order, in `i16` stages
    /// of `stage` rows (small values) or in `i64`, and converted at the end.
    Exact16 { data: Vec<i16>, stage: usize },
    /// As `Exact16`, for larger values.
    Exact64(Vec<i64>),
    /// Float32 sums, row after row in numpy's order.
    Float(Vec<f32>),
}

impl Resampled {
    fn new(lanes: &Lanes, segments: usize, value: impl Fn(usize, usize, usize, usize) -> u64) -> Resampled {
        let data = lanes.layout(segments, value);
        let largest = data.iter().copied().max().unwrap_or(0);
        if u128::from(largest) * segments as u128 >= 1 << 24 {
            // np.array(stats, dtype='float32'), from Python ints.
            return Resampled::Float(data.iter().map(|&x| x as f64 as f32).collect());
        }
        let stage = stage_of::<i16>(largest as i64);
        if stage >= MIN_I16_STAGE {
            Resampled::Exact16 { data: data.iter().map(|&x| x as i16).collect(), stage }
        } else {
            Resampled::Exact64(data.iter().map(|&x| x as i64).collect())
        }
    }

    /// The float32 sums of one resample (`sample` holds its segment indices) into `sums`.
    fn sum(&self, lanes: &Lanes, segments: usize, sample: &[u32], sums: &mut [f32], column: &mut Vec<f32>) {
        fn exact<L: Lane>(data: &[L], stage: usize, segments: usize, sample: &[u32], sums: &mut [f32]) {
            for (block, out) in data.chunks_exact(segments * LANE_BLOCK).zip(sums.chunks_exact_mut(LANE_BLOCK)) {
                let mut total = [0i64; LANE_BLOCK];
                staged_sum(&mut total, block, sample, stage);
                out.iter_mut().zip(total).for_each(|(o, t)| *o = t as f32);
            }
        }
        match self {
            Resampled::Exact16 { data, stage } => exact(data, *stage, segments, sample, sums),
            Resampled::Exact64(data) => exact(data, usize::MAX, segments, sample, sums),
            Resampled::Float(data) => {
                for (block, out) in data.chunks_exact(segments * LANE_BLOCK).zip(sums.chunks_exact_mut(LANE_BLOCK)) {
                    let mut acc = [0f32; LANE_BLOCK];
                    add_rows(&mut acc, block, sample.iter().map(|&i| i as usize));
                    out.copy_from_slice(&acc);
                }
                // numpy sums an (n, 1) array pairwise.
                for (_, _, range) in lanes.iter().filter(|(_, _, r)| r.len() == 1) {
                    let (block, offset) = (range.start / LANE_BLOCK, range.start % LANE_BLOCK);
                    column.clear();
                    column.extend(sample.iter().map(|&i| data[(block * segments + i as usize) * LANE_BLOCK + offset]));
                    sums[range.start] = sum(column);
                }
            }
        }
    }
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
    let rows = Resampled::new(&lanes, segments, |s, m, i, k| systems[s][m][i * lens[m] + k]);
    let score = |indices: &[u32]| -> Vec<Vec<PyFloat>> {
        indices
            .par_chunks(segments)
            .map_init(
                || (vec![0f32; lanes.padded], Vec::new()),
                |(sums, column), sample| {
                    rows.sum(&lanes, segments, sample, sums, column);
                    lanes.iter().map(|(_, m, range)| metrics[m].value(PyStats::Float32(&sums[range]))).collect()
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

/// The integer type of staged sums: `i16` when values are small (a quarter of
/// the memory traffic of `i64`), else `i64`.
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
/// over every subset of every 4 consecutive segments. The caller checks that
/// they fit in `L`.
fn subset_tables<L: Lane>(per_segment: &[i64], padded: usize, segments: usize) -> Vec<L> {
    let table_len = segments.div_ceil(NIBBLE) * 16 * LANE_BLOCK;
    let mut tables = vec![L::default(); padded / LANE_BLOCK * table_len];
    for (block, table) in tables.chunks_exact_mut(table_len).enumerate() {
        let rows = &per_segment[block * segments * LANE_BLOCK..(block + 1) * segments * LANE_BLOCK];
        for (nibble, entries) in table.chunks_exact_mut(16 * LANE_BLOCK).enumerate() {
            for subset in 1..16usize {
                let (low, rest) = (subset.trailing_zeros() as usize, subset & (subset - 1));
                let segment = NIBBLE * nibble + low;
                for k in 0..LANE_BLOCK {
                    let d = if segment < segments { rows[segment * LANE_BLOCK + k] } else { 0 };
                    entries[subset * LANE_BLOCK + k] = L::of(entries[rest * LANE_BLOCK + k].get() + d);
                }
            }
        }
    }
    tables
}

/// Bits `first..first + 64 * window.len()` of the packed booleans, 64 to a word.
fn trial_bits(bits: &[u32], first: usize, window: &mut [u64]) {
    let word = |i: usize| u128::from(bits.get(i).copied().unwrap_or(0));
    for (w, slot) in window.iter_mut().enumerate() {
        let (q, r) = ((first + 64 * w) / 32, (first + 64 * w) % 32);
        *slot = ((word(q) | (word(q + 1) << 32) | (word(q + 2) << 64)) >> r) as u64;
    }
}

/// Pseudo-system A's statistics in every trial (`trials × lanes`): `start`
/// (the system's totals) plus the [`subset_tables`] entries of the trial's
/// subsets, added by [`staged_sum`]; no entry exceeds `largest` in absolute value.
fn randomized_sums<L: Lane>(
    per_segment: &[i64],
    largest: i64,
    start: &[i64],
    segments: usize,
    bits: &[u32],
    trials: usize,
) -> Vec<i64> {
    let padded = start.len();
    let nibbles = segments.div_ceil(NIBBLE);
    let table_len = nibbles * 16 * LANE_BLOCK;
    let stage = stage_of::<L>(largest);
    let tables = subset_tables::<L>(per_segment, padded, segments);
    let mut sums = vec![0i64; trials * padded];
    sums.par_chunks_mut(TRIALS_PER_TASK * padded).enumerate().for_each(|(task, out)| {
        let count = out.len() / padded;
        let mut subsets = vec![0u32; count * nibbles];
        let mut window = vec![0u64; segments.div_ceil(64)];
        for (t, row) in subsets.chunks_exact_mut(nibbles).enumerate() {
            trial_bits(bits, (task * TRIALS_PER_TASK + t) * segments, &mut window);
            // Row of nibble j of the trial: j * 16 + its 4 bits.
            for (c, (chunk, &word)) in row.chunks_mut(16).zip(&window).enumerate() {
                for (j, subset) in chunk.iter_mut().enumerate() {
                    *subset = (16 * (16 * c + j)) as u32 + ((word >> (4 * j)) & 15) as u32;
                }
            }
            // The last nibble may hold bits of the next trial.
            if let (Some(last), valid @ 1..) = (row.last_mut(), segments % NIBBLE) {
                *last &= !0u32 << 4 | ((1 << valid) - 1);
            }
        }
        // One block of lanes at a time, so that its tables stay in cache.
        for (block, table) in tables.chunks_exact(table_len).enumerate() {
            let lanes = block * LANE_BLOCK..(block + 1) * LANE_BLOCK;
            for (row, trial) in subsets.chunks_exact(nibbles).zip(out.chunks_exact_mut(padded)) {
                let total = &mut trial[lanes.clone()];
                total.copy_from_slice(&start[lanes.clone()]);
                staged_sum(total, table, row, stage);
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
    let per_segment = lanes.layout(segments, delta);
    let mut start = vec![0i64; lanes.padded];
    let mut both = vec![0u64; lanes.padded];
    for (s, m, range) in lanes.iter() {
        let (sys, base) = (totals(systems[s][m], lens[m]), totals(baseline[m], lens[m]));
        for (k, lane) in range.enumerate() {
            start[lane] = sys[k] as i64;
            both[lane] = sys[k] + base[k];
        }
    }
    // A table entry sums the differences of at most 4 segments.
    let largest = NIBBLE as i64 * per_segment.iter().map(|d| d.abs()).max().unwrap_or(0);
    let sums = if stage_of::<i16>(largest) >= MIN_I16_STAGE {
        randomized_sums::<i16>(&per_segment, largest, &start, segments, bits, trials)
    } else {
        randomized_sums::<i64>(&per_segment, largest, &start, segments, bits, trials)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Bleu, Chrf};

    /// Lanes for BLEU and chrF of two systems, and per-segment values from `value`.
    fn layout(segments: usize, value: impl Fn(usize, usize, usize, usize) -> u64) -> (Lanes, Vec<u64>) {
        let (bleu, chrf) = (Bleu::default(), Chrf::default());
        let lanes = Lanes::new(&[&bleu, &chrf], 2);
        let data = lanes.layout(segments, &value);
        (lanes, data)
    }

    fn sums(rows: &Resampled, lanes: &Lanes, segments: usize, sample: &[u32]) -> Vec<f32> {
        let mut out = vec![0f32; lanes.padded];
        rows.sum(lanes, segments, sample, &mut out, &mut Vec::new());
        out
    }

    #[test]
    fn every_summing_path_gives_numpys_float32_sums() {
        let segments = 300;
        let sample: Vec<u32> = (0..segments as u32).map(|i| (i * 7919 + 13) % segments as u32).collect();
        for scale in [1u64, 100, 3_000_000] {
            let value = |s: usize, m: usize, i: usize, k: usize| ((s * 31 + m * 7 + i * 13 + k) as u64 % 97) * scale;
            let (lanes, data) = layout(segments, value);
            // numpy: np.array(stats, dtype=float32)[idx].sum(0), row after row.
            let mut expected = vec![0f32; lanes.padded];
            for &i in &sample {
                for (lane, e) in expected.iter_mut().enumerate() {
                    *e += data[((lane / LANE_BLOCK) * segments + i as usize) * LANE_BLOCK + lane % LANE_BLOCK] as f32;
                }
            }
            let chosen = Resampled::new(&lanes, segments, value);
            let float = Resampled::Float(data.iter().map(|&x| x as f32).collect());
            assert_eq!(sums(&float, &lanes, segments, &sample), expected, "float, scale {scale}");
            assert_eq!(sums(&chosen, &lanes, segments, &sample), expected, "chosen, scale {scale}");
            match (scale, &chosen) {
                (1, Resampled::Exact16 { .. }) | (100, Resampled::Exact64(_)) | (3_000_000, Resampled::Float(_)) => {}
                _ => panic!("scale {scale}: unexpected summing path"),
            }
            if scale < 3_000_000 {
                let wide = Resampled::Exact64(data.iter().map(|&x| x as i64).collect());
                assert_eq!(sums(&wide, &lanes, segments, &sample), expected, "i64, scale {scale}");
            }
        }
    }

    #[test]
    fn randomization_sums_are_the_same_in_i16_and_i64() {
        for segments in [1usize, 7, 64, 203] {
            let (lanes, data) = layout(segments, |s, m, i, k| ((s * 31 + m * 7 + i * 13 + k) % 41) as u64);
            let deltas: Vec<i64> =
                data.iter().enumerate().map(|(j, &x)| if j % 3 == 0 { -(x as i64) } else { x as i64 }).collect();
            let start: Vec<i64> = (0..lanes.padded as i64).map(|x| 1000 + x).collect();
            let bits: Vec<u32> =
                (0..(segments * 50).div_ceil(32) as u32).map(|x| x.wrapping_mul(2_654_435_761)).collect();
            let largest = NIBBLE as i64 * 40;
            let narrow = randomized_sums::<i16>(&deltas, largest, &start, segments, &bits, 50);
            let wide = randomized_sums::<i64>(&deltas, largest, &start, segments, &bits, 50);
            assert_eq!(narrow, wide, "{segments} segments");
            // Trial 0 by hand: start plus the differences of the set segments.
            let set = |i: usize| (bits[i / 32] >> (i % 32)) & 1 == 1;
            for lane in 0..lanes.padded {
                let (block, offset) = (lane / LANE_BLOCK, lane % LANE_BLOCK);
                let expected: i64 = start[lane]
                    + (0..segments)
                        .filter(|&i| set(i))
                        .map(|i| deltas[(block * segments + i) * LANE_BLOCK + offset])
                        .sum::<i64>();
                assert_eq!(wide[lane], expected, "{segments} segments, lane {lane}");
            }
        }
    }
}
