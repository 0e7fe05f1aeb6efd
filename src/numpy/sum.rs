//! numpy's float reductions and Python's `statistics.mean`, bit for bit.
//!
//! - `np.sum`/`np.mean` of a contiguous float array use pairwise summation
//!   (`pairwise_sum` in numpy's `loops_utils.h.src`): blocks of at most 128
//!   values summed with 8 interleaved accumulators, larger arrays halved at a
//!   multiple of 8. The reduction starts from `+0.0`, and the mean divides by
//!   the count in the array's own precision.
//! - `statistics.mean` sums exactly (as fractions) and rounds once to a
//!   double; for numpy float32 data it then rounds that double to float32.

use std::ops::{Add, Div, Mul, Sub};

/// The two float dtypes (`float32`, `float64`) of numpy arrays here.
pub trait NpFloat:
    Copy + PartialOrd + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Div<Output = Self>
{
    /// `-0.0`, the start of numpy's short sums.
    const NEG_ZERO: Self;
    /// `+0.0`, the identity a reduction starts from.
    const ZERO: Self;
    /// A Python number meeting this dtype: rounded to it (NEP 50).
    fn from_py(x: f64) -> Self;
    /// A count, rounded to this type.
    fn from_count(n: usize) -> Self;
    /// The value as a double (exact).
    fn to_f64(self) -> f64;
}

impl NpFloat for f32 {
    const NEG_ZERO: f32 = -0.0;
    const ZERO: f32 = 0.0;
    fn from_py(x: f64) -> f32 {
        x as f32
    }
    fn from_count(n: usize) -> f32 {
        n as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
}

impl NpFloat for f64 {
    const NEG_ZERO: f64 = -0.0;
    const ZERO: f64 = 0.0;
    fn from_py(x: f64) -> f64 {
        x
    }
    fn from_count(n: usize) -> f64 {
        n as f64
    }
    fn to_f64(self) -> f64 {
        self
    }
}

/// numpy's pairwise summation of `a` (without the reduction's initial `+0.0`).
pub fn pairwise_sum<T: NpFloat>(a: &[T]) -> T {
    const BLOCK: usize = 128;
    let n = a.len();
    if n < 8 {
        a.iter().fold(T::NEG_ZERO, |acc, &x| acc + x)
    } else if n <= BLOCK {
        let mut r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
        let whole = n - n % 8;
        for chunk in a[8..whole].chunks_exact(8) {
            for (acc, &x) in r.iter_mut().zip(chunk) {
                *acc = *acc + x;
            }
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &a[whole..] {
            res = res + x;
        }
        res
    } else {
        let half = n / 2;
        let half = half - half % 8;
        pairwise_sum(&a[..half]) + pairwise_sum(&a[half..])
    }
}

/// `np.sum(a)` for a contiguous 1-D float array.
pub fn sum<T: NpFloat>(a: &[T]) -> T {
    T::ZERO + pairwise_sum(a)
}

/// `np.mean(a)` for a contiguous, non-empty 1-D float array.
pub fn mean<T: NpFloat>(a: &[T]) -> T {
    sum(a) / T::from_count(a.len())
}

/// Python's `statistics.mean` of non-empty, finite Python floats: the exact
/// mean, rounded once to the nearest double (ties to even).
pub fn python_mean(values: &[f64]) -> f64 {
    let mut positive = BigFixed::default();
    let mut negative = BigFixed::default();
    for &x in values {
        if x.is_sign_negative() {
            negative.add(-x);
        } else {
            positive.add(x);
        }
    }
    let (magnitude, negative_result) = positive.sub(&negative);
    let mean = magnitude.div_round(values.len() as u64);
    if negative_result {
        -mean
    } else {
        mean
    }
}

/// A non-negative multiple of 2^-1074 (the smallest double), wide enough for
/// the exact sum of any number of finite doubles that fits in memory.
#[derive(Debug, Clone, Default)]
struct BigFixed {
    /// Little-endian 64-bit limbs.
    limbs: Vec<u64>,
}

impl BigFixed {
    /// Add a finite, non-negative double exactly.
    fn add(&mut self, x: f64) {
        let bits = x.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as usize;
        let fraction = bits & ((1 << 52) - 1);
        // x = mantissa * 2^(shift - 1074)
        let (mantissa, shift) = if exponent == 0 { (fraction, 0) } else { (fraction | (1 << 52), exponent - 1) };
        let (limb, offset) = (shift / 64, shift % 64);
        let wide = u128::from(mantissa) << offset;
        self.add_at(limb, wide as u64);
        self.add_at(limb + 1, (wide >> 64) as u64);
    }

    fn add_at(&mut self, mut at: usize, mut value: u64) {
        while value != 0 {
            if self.limbs.len() <= at {
                self.limbs.resize(at + 1, 0);
            }
            let (sum, carry) = self.limbs[at].overflowing_add(value);
            self.limbs[at] = sum;
            value = u64::from(carry);
            at += 1;
        }
    }

    fn cmp(&self, other: &BigFixed) -> std::cmp::Ordering {
        let len = self.limbs.len().max(other.limbs.len());
        (0..len)
            .rev()
            .map(|i| self.limbs.get(i).unwrap_or(&0).cmp(other.limbs.get(i).unwrap_or(&0)))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    }

    /// `|self - other|` and whether `self < other`.
    fn sub(&self, other: &BigFixed) -> (BigFixed, bool) {
        let (big, small, swapped) = if self.cmp(other).is_lt() { (other, self, true) } else { (self, other, false) };
        let mut limbs = big.limbs.clone();
        let mut borrow = false;
        for (i, limb) in limbs.iter_mut().enumerate() {
            let (d, b1) = limb.overflowing_sub(*small.limbs.get(i).unwrap_or(&0));
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *limb = d;
            borrow = b1 || b2;
        }
        (BigFixed { limbs }, swapped)
    }

    /// `self / divisor`, rounded to the nearest double (ties to even).
    fn div_round(&self, divisor: u64) -> f64 {
        let mut quotient = vec![0u64; self.limbs.len()];
        let mut rem = 0u128;
        for i in (0..self.limbs.len()).rev() {
            let cur = (rem << 64) | u128::from(self.limbs[i]);
            quotient[i] = (cur / u128::from(divisor)) as u64;
            rem = cur % u128::from(divisor);
        }
        // The exact quotient is quotient + rem / divisor, times 2^-1074.
        let bit_len =
            quotient.iter().rposition(|&l| l != 0).map_or(0, |i| 64 * i + 64 - quotient[i].leading_zeros() as usize);
        let shift = bit_len.saturating_sub(53);
        let bit = |i: usize| (quotient[i / 64] >> (i % 64)) & 1 == 1;
        let mut mantissa = (shift..bit_len).rev().fold(0u64, |m, i| (m << 1) | u64::from(bit(i)));
        // Round on the bits shifted out, then on the remainder of the division.
        let round_up = if shift > 0 {
            let half = bit(shift - 1);
            let sticky = (0..shift - 1).any(bit) || rem != 0;
            half && (sticky || mantissa & 1 == 1)
        } else {
            let twice = 2 * rem;
            twice > u128::from(divisor) || (twice == u128::from(divisor) && mantissa & 1 == 1)
        };
        mantissa += u64::from(round_up);
        mantissa as f64 * pow2(shift as i32 - 1074)
    }
}

/// 2^k as a double (exact for -1074 <= k <= 1023).
fn pow2(k: i32) -> f64 {
    if k >= -1022 {
        f64::from_bits(((k + 1023) as u64) << 52)
    } else {
        f64::from_bits(1 << (k + 1074))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_sum_of_small_and_large_arrays() {
        assert_eq!(sum::<f64>(&[]), 0.0);
        assert_eq!(sum(&[1.0f64, 2.0, 3.0]), 6.0);
        let ones = vec![1.0f32; 1000];
        assert_eq!(sum(&ones), 1000.0);
        assert_eq!(mean(&[1.0f64, 2.0, 4.0]), 7.0 / 3.0);
    }

    #[test]
    fn python_mean_is_exactly_rounded() {
        assert_eq!(python_mean(&[0.1, 0.2, 0.3]), 0.2);
        assert_eq!(python_mean(&[1e100, 1.0, -1e100]), 1.0 / 3.0);
        assert_eq!(python_mean(&[5e-324, 5e-324]), 5e-324);
        assert_eq!(python_mean(&[1.0, 2.0]), 1.5);
        assert_eq!(python_mean(&[-2.0, -4.0]), -3.0);
    }
}
