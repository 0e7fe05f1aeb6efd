//! `np.random.default_rng(seed)` bit for bit: `SeedSequence` hashing, the
//! PCG64 (XSL-RR 128/64) bit generator, and the bounded integers that
//! `Generator.integers` and `Generator.choice` draw from it.
//!
//! Written from numpy 2.4's sources (`bit_generator.pyx`, `_pcg64.pyx`,
//! `src/pcg64/pcg64.h`, `_generator.pyx`, `_bounded_integers.pyx.in`,
//! `src/distributions/distributions.c`); verified against numpy's own draws
//! in `tests/numpy_rng.rs`.

/// `SeedSequence` hashing constants (numpy's `bit_generator.pyx`).
const INIT_A: u32 = 0x43b0_d7e5;
const MULT_A: u32 = 0x931e_8875;
const INIT_B: u32 = 0x8b51_f9dd;
const MULT_B: u32 = 0x58f3_8ded;
const MIX_MULT_L: u32 = 0xca01_f9dd;
const MIX_MULT_R: u32 = 0x4973_f715;
const POOL_SIZE: usize = 4;

/// PCG64's 128-bit LCG multiplier.
const PCG_MULTIPLIER: u128 = (2_549_297_995_355_413_924u128 << 64) | 4_865_540_595_714_422_341;

/// numpy's `SeedSequence(entropy)` with the default pool size (4) and no spawn key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedSequence {
    pool: [u32; POOL_SIZE],
}

/// The entropy words of a non-negative integer seed, lowest 32 bits first, as
/// numpy's `_int_to_uint32_array` splits it (`0` is one zero word).
pub fn entropy_words(mut seed: u128) -> Vec<u32> {
    let mut words = vec![seed as u32];
    seed >>= 32;
    while seed > 0 {
        words.push(seed as u32);
        seed >>= 32;
    }
    words
}

fn hashmix(value: u32, hash_const: &mut u32) -> u32 {
    let mut value = value ^ *hash_const;
    *hash_const = hash_const.wrapping_mul(MULT_A);
    value = value.wrapping_mul(*hash_const);
    value ^ (value >> 16)
}

fn mix(x: u32, y: u32) -> u32 {
    let result = MIX_MULT_L.wrapping_mul(x).wrapping_sub(MIX_MULT_R.wrapping_mul(y));
    result ^ (result >> 16)
}

impl SeedSequence {
    /// Mix `entropy` (32-bit words, lowest first; see [`entropy_words`]) into the pool.
    pub fn new(entropy: &[u32]) -> SeedSequence {
        let mut pool = [0u32; POOL_SIZE];
        let mut hash_const = INIT_A;
        for (i, slot) in pool.iter_mut().enumerate() {
            *slot = hashmix(entropy.get(i).copied().unwrap_or(0), &mut hash_const);
        }
        for src in 0..POOL_SIZE {
            for dst in 0..POOL_SIZE {
                if src != dst {
                    pool[dst] = mix(pool[dst], hashmix(pool[src], &mut hash_const));
                }
            }
        }
        for &word in entropy.iter().skip(POOL_SIZE) {
            for slot in pool.iter_mut() {
                *slot = mix(*slot, hashmix(word, &mut hash_const));
            }
        }
        SeedSequence { pool }
    }

    /// `generate_state(n, np.uint32)`.
    pub fn generate_state_u32(&self, n: usize) -> Vec<u32> {
        let mut hash_const = INIT_B;
        self.pool
            .iter()
            .cycle()
            .take(n)
            .map(|&word| {
                let mut value = word ^ hash_const;
                hash_const = hash_const.wrapping_mul(MULT_B);
                value = value.wrapping_mul(hash_const);
                value ^ (value >> 16)
            })
            .collect()
    }

    /// `generate_state(n, np.uint64)`: pairs of 32-bit words, the first one low.
    pub fn generate_state_u64(&self, n: usize) -> Vec<u64> {
        self.generate_state_u32(2 * n).chunks_exact(2).map(|w| u64::from(w[0]) | (u64::from(w[1]) << 32)).collect()
    }
}

/// numpy's `PCG64` bit generator, including its one-word buffer for 32-bit draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcg64 {
    state: u128,
    inc: u128,
    /// The upper half of the last 64-bit output, pending as the next 32-bit draw.
    pending_u32: Option<u32>,
}

impl Pcg64 {
    /// `PCG64(seed_sequence)`: state and increment from `generate_state(4, np.uint64)`.
    pub fn new(seed: &SeedSequence) -> Pcg64 {
        let words = seed.generate_state_u64(4);
        let initstate = (u128::from(words[0]) << 64) | u128::from(words[1]);
        let initseq = (u128::from(words[2]) << 64) | u128::from(words[3]);
        let mut rng = Pcg64 { state: 0, inc: (initseq << 1) | 1, pending_u32: None };
        rng.step();
        rng.state = rng.state.wrapping_add(initstate);
        rng.step();
        rng
    }

    fn step(&mut self) {
        self.state = self.state.wrapping_mul(PCG_MULTIPLIER).wrapping_add(self.inc);
    }

    /// The next 64-bit output (`next_uint64`).
    pub fn next_u64(&mut self) -> u64 {
        self.step();
        let (high, low) = ((self.state >> 64) as u64, self.state as u64);
        (high ^ low).rotate_right((self.state >> 122) as u32)
    }

    /// The next 32-bit output (`next_uint32`): the low half of a fresh 64-bit
    /// output, or the high half left over from the previous 32-bit draw.
    pub fn next_u32(&mut self) -> u32 {
        if let Some(word) = self.pending_u32.take() {
            return word;
        }
        let next = self.next_u64();
        self.pending_u32 = Some((next >> 32) as u32);
        next as u32
    }
}

/// numpy's `Generator` over [`Pcg64`], for the draws sacreBLEU makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    bits: Pcg64,
}

impl Generator {
    /// `np.random.default_rng(seed)` for the seed's entropy words ([`entropy_words`]).
    pub fn default_rng(entropy: &[u32]) -> Generator {
        Generator { bits: Pcg64::new(&SeedSequence::new(entropy)) }
    }

    /// The bit generator (numpy's `Generator.bit_generator`).
    pub fn bit_generator(&mut self) -> &mut Pcg64 {
        &mut self.bits
    }

    /// `integers(low, high, size=len(out), dtype=np.int64)`: uniform on `[low, high)`
    /// by Lemire's method, through 32-bit draws when the range fits in 32 bits.
    ///
    /// # Panics
    /// If `low >= high` (numpy raises `ValueError`).
    pub fn integers(&mut self, low: i64, high: i64, out: &mut [i64]) {
        assert!(low < high, "integers: low >= high");
        let range = high.wrapping_sub(low).wrapping_sub(1) as u64;
        let mut draw = self.bounded(range);
        for slot in out {
            *slot = low.wrapping_add(draw() as i64);
        }
    }

    /// `choice(population, size=len(out), replace=True)`: uniform indices below
    /// `population`, drawn as [`Generator::integers`]`(0, population)` draws them.
    ///
    /// # Panics
    /// If `population` is 0 (numpy raises `ValueError`) or above 2^32.
    pub fn choice(&mut self, population: usize, out: &mut [u32]) {
        assert!(population > 0, "choice: empty population");
        let range = u32::try_from(population - 1).expect("choice: population above 2^32");
        if range == 0 || range == u32::MAX {
            let mut draw = self.bounded(u64::from(range));
            out.iter_mut().for_each(|slot| *slot = draw() as u32);
            return;
        }
        // `lemire_u32` on both halves of each 64-bit output in turn (low first, as
        // `next_u32` hands them out), without going through the pending half each time.
        let (excl, threshold) = (range + 1, (u32::MAX - range) % (range + 1));
        let accept = |word: u32| {
            let m = u64::from(word) * u64::from(excl);
            (m as u32 >= threshold).then_some((m >> 32) as u32)
        };
        let mut filled = 0;
        while filled < out.len() && self.bits.pending_u32.is_some() {
            if let Some(value) = accept(self.bits.next_u32()) {
                out[filled] = value;
                filled += 1;
            }
        }
        while filled < out.len() {
            let word = self.bits.next_u64();
            let (low, high) = (word as u32, (word >> 32) as u32);
            if let Some(value) = accept(low) {
                out[filled] = value;
                filled += 1;
                if filled == out.len() {
                    self.bits.pending_u32 = Some(high);
                    break;
                }
            }
            if let Some(value) = accept(high) {
                out[filled] = value;
                filled += 1;
            }
        }
    }

    /// `integers(2, size=n, dtype=bool)`, packed: element `i` is bit `i % 32` of
    /// word `i / 32` (numpy takes one 32-bit draw per 32 booleans, low bit first).
    pub fn random_bools(&mut self, n: usize) -> Vec<u32> {
        (0..n.div_ceil(32)).map(|_| self.bits.next_u32()).collect()
    }

    /// A sampler of uniform integers on `[0, range]`, `range < 2^64 - 1`: numpy's
    /// `random_bounded_uint64_fill` with Lemire's rejection method.
    fn bounded(&mut self, range: u64) -> impl FnMut() -> u64 + '_ {
        let bits = &mut self.bits;
        // numpy computes a threshold only when the first leftover is below
        // `range + 1`; every leftover below the threshold is, so computing it
        // once up front draws the same numbers.
        let small = u32::try_from(range).ok().filter(|&r| r < u32::MAX).map(|r| (r + 1, (u32::MAX - r) % (r + 1)));
        let large = (range + 1, (u64::MAX - range) % range.wrapping_add(1).max(1));
        move || match small {
            _ if range == 0 => 0,
            Some((excl, threshold)) => u64::from(lemire_u32(bits, excl, threshold)),
            None if range == u64::from(u32::MAX) => u64::from(bits.next_u32()),
            None => lemire_u64(bits, large.0, large.1),
        }
    }
}

/// Lemire's method on 32-bit draws: uniform below `excl`, rejecting leftovers
/// below `threshold = (2^32 - excl) mod excl`.
#[inline]
fn lemire_u32(bits: &mut Pcg64, excl: u32, threshold: u32) -> u32 {
    loop {
        let m = u64::from(bits.next_u32()) * u64::from(excl);
        if m as u32 >= threshold {
            return (m >> 32) as u32;
        }
    }
}

/// Lemire's method on 64-bit draws: uniform below `excl`, rejecting leftovers
/// below `threshold = (2^64 - excl) mod excl`.
fn lemire_u64(bits: &mut Pcg64, excl: u64, threshold: u64) -> u64 {
    loop {
        let m = u128::from(bits.next_u64()) * u128::from(excl);
        if m as u64 >= threshold {
            return (m >> 64) as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_words_split_low_first() {
        assert_eq!(entropy_words(0), [0]);
        assert_eq!(entropy_words(12345), [12345]);
        assert_eq!(entropy_words(1 << 32), [0, 1]);
    }

    #[test]
    fn choice_in_pieces_draws_what_one_call_draws() {
        for population in [1, 2, 3, 2016, 1 << 31] {
            let mut whole = vec![0u32; 1001];
            Generator::default_rng(&[12345]).choice(population, &mut whole);
            let mut rng = Generator::default_rng(&[12345]);
            let mut pieces = vec![0u32; 1001];
            let (a, rest) = pieces.split_at_mut(333);
            let (b, c) = rest.split_at_mut(1);
            rng.choice(population, a);
            rng.choice(population, b);
            rng.choice(population, c);
            assert_eq!(whole, pieces, "population {population}");
            // The same draws as the general sampler.
            let mut rng = Generator::default_rng(&[12345]);
            let mut draw = rng.bounded(population as u64 - 1);
            let general: Vec<u32> = (0..1001).map(|_| draw() as u32).collect();
            assert_eq!(whole, general, "population {population}");
        }
    }

    #[test]
    fn bounded_draws_stay_in_range() {
        let mut rng = Generator::default_rng(&[7]);
        let mut out = [0i64; 1000];
        rng.integers(-3, 4, &mut out);
        assert!(out.iter().all(|&x| (-3..4).contains(&x)));
        rng.integers(0, 1, &mut out);
        assert!(out.iter().all(|&x| x == 0));
    }
}
