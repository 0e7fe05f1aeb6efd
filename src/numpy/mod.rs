//! Bit-exact reproductions of the numpy 2.4 and CPython 3.11 numerics that
//! sacreBLEU 2.6.0's significance tests run on, so that tqscore's resampled
//! means, intervals and p-values equal sacreBLEU's for every seed.
//!
//! - [`random`]: `np.random.default_rng(seed)` (SeedSequence + PCG64) and the
//!   bounded integers behind `Generator.integers` and `Generator.choice`;
//! - [`scalar`]: Python floats meeting numpy float32 scalars (NEP 50 promotion);
//! - [`sum`]: numpy's pairwise summation and mean, Python's `statistics.mean`.

pub mod random;
pub mod scalar;
pub mod sum;
