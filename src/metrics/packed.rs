//! Clipped n-gram matches (chrF, chrF++ and BLEU) with each n-gram packed into one exact `u64`.
//!
//! Within a segment (a hypothesis and its references) every distinct unit
//! gets a 10-bit id, never 0. For characters: ASCII their byte plus one,
//! others the next free id; for words: their interned id plus one.
//! An n-gram of up to [`MAX_PACKED_ORDER`] units is then its ids side by side
//! in one `u64`, so two n-grams share a key exactly when they are equal, and
//! n-grams of different orders never do (the highest non-zero id tells the
//! order). The keys of every order at a position come from one rolling
//! window: shift in the next id, mask to the order. Counting needs one table
//! probe per n-gram and no interning of n-grams.
//!
//! A segment with more distinct characters or words than ids, or an order
//! above [`MAX_PACKED_ORDER`], is left to each metric's general path (n-gram
//! ids interned by [`crate::ngram::NgramIds`]).

use crate::ngram::{next_generation, ProbeTable};
use crate::text::{is_py_ascii_whitespace, is_py_whitespace};

/// Bits per character unit.
const UNIT_BITS: u32 = 10;
/// Highest character order whose n-grams fit one key.
pub(crate) const MAX_PACKED_ORDER: usize = 6;
/// The first unit id for characters outside ASCII.
const FIRST_NON_ASCII_ID: u32 = 129;
/// Unit ids must stay below this.
const ID_LIMIT: u32 = 1 << UNIT_BITS;

/// A count per unit id.
type UnigramCounts = [u32; ID_LIMIT as usize];

/// Reusable buffers for the packed statistics of one thread.
#[derive(Debug)]
pub(crate) struct PackedNgrams {
    /// Code point of a non-ASCII character -> its unit id, this segment.
    non_ascii: ProbeTable,
    next_id: u32,
    /// Reference unigrams by unit id: 0 if absent, else 1 + occurrences not yet matched.
    unigrams: Box<UnigramCounts>,
    /// Packed reference n-grams of order 2 and up -> occurrences not yet matched.
    available: CountTable,
}

impl Default for PackedNgrams {
    fn default() -> Self {
        PackedNgrams {
            non_ascii: ProbeTable::default(),
            next_id: FIRST_NON_ASCII_ID,
            unigrams: Box::new([0; ID_LIMIT as usize]),
            available: CountTable::default(),
        }
    }
}

impl PackedNgrams {
    /// Start a segment: unit ids are handed out afresh.
    pub(crate) fn begin_segment(&mut self) {
        self.non_ascii.clear();
        self.next_id = FIRST_NON_ASCII_ID;
    }

    /// The unit ids of `text`'s characters, Python whitespace dropped unless
    /// `whitespace`; `false` when the segment has more distinct characters than
    /// ids (then `units` is unusable and the caller takes the general path).
    pub(crate) fn char_units(&mut self, text: &str, whitespace: bool, units: &mut Vec<u16>) -> bool {
        let bytes = text.as_bytes();
        if text.is_ascii() {
            // Branch-free: write every unit, advance past the ones kept.
            units.resize(bytes.len(), 0);
            let mut kept = 0;
            for &b in bytes {
                units[kept] = u16::from(b) + 1;
                kept += usize::from(whitespace || !is_py_ascii_whitespace(b));
            }
            units.truncate(kept);
            return true;
        }
        units.clear();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                if whitespace || !is_py_ascii_whitespace(b) {
                    units.push(u16::from(b) + 1);
                }
                i += 1;
                continue;
            }
            // A multi-byte character: `i` is on a char boundary of a valid `str`.
            let c = text[i..].chars().next().unwrap_or_default();
            i += c.len_utf8();
            if !whitespace && is_py_whitespace(c) {
                continue;
            }
            let next = self.next_id;
            let id = self.non_ascii.get_or_insert(u64::from(u32::from(c)), next);
            if id == next {
                if next + 1 > ID_LIMIT {
                    return false;
                }
                self.next_id += 1;
            }
            units.push(id as u16);
        }
        true
    }

    /// `[hypothesis, reference, matched]` n-gram counts for every order
    /// `1..=stats.len() / 3` (at most [`MAX_PACKED_ORDER`]) of `hypothesis`
    /// against `reference`, both units of this segment (characters, or
    /// words), into `stats`.
    /// sacreBLEU counts no hypothesis n-grams of an order the reference lacks.
    pub(crate) fn match_stats(&mut self, hypothesis: &[u16], reference: &[u16], stats: &mut [u64]) {
        // One copy per order, so that the loops over orders have constant bounds and unroll.
        match stats.len() / 3 {
            1 => self.match_stats_of::<1>(hypothesis, reference, stats),
            2 => self.match_stats_of::<2>(hypothesis, reference, stats),
            3 => self.match_stats_of::<3>(hypothesis, reference, stats),
            4 => self.match_stats_of::<4>(hypothesis, reference, stats),
            5 => self.match_stats_of::<5>(hypothesis, reference, stats),
            _ => self.match_stats_of::<MAX_PACKED_ORDER>(hypothesis, reference, stats),
        }
    }

    /// [`PackedNgrams::match_stats`] for n-gram orders `1..=ORDER`.
    fn match_stats_of<const ORDER: usize>(&mut self, hypothesis: &[u16], reference: &[u16], stats: &mut [u64]) {
        let keep = ORDER_MASKS[ORDER - 1];
        // Unigrams are counted in an array indexed by unit, the rest in the table.
        let unigrams = &mut self.unigrams;
        self.available.prepare(ORDER * reference.len());
        let mut window = 0u64;
        for (i, &unit) in reference.iter().enumerate() {
            window = ((window << UNIT_BITS) | u64::from(unit)) & keep;
            let count = &mut unigrams[unit_index(unit)];
            *count = (*count).max(1) + 1;
            // The orders 2..=ORDER that end here: all of them past the first few units.
            let masks = if i + 1 >= ORDER { &ORDER_MASKS[1..ORDER] } else { &ORDER_MASKS[1..=i] };
            for &mask in masks {
                self.available.add(window & mask);
            }
        }
        let mut matched = [0u64; MAX_PACKED_ORDER];
        window = 0;
        for (i, &unit) in hypothesis.iter().enumerate() {
            window = ((window << UNIT_BITS) | u64::from(unit)) & keep;
            let count = &mut unigrams[unit_index(unit)];
            match *count {
                0 => continue,
                1 => {}
                _ => {
                    *count -= 1;
                    matched[0] += 1;
                }
            }
            // An n-gram whose suffix the reference lacks is not in the reference either.
            for k in 1..ORDER {
                if k > i {
                    break;
                }
                match self.available.take(window & ORDER_MASKS[k]) {
                    Take::Absent => break,
                    Take::Exhausted => {}
                    Take::Taken => matched[k] += 1,
                }
            }
        }
        for &unit in reference {
            unigrams[unit_index(unit)] = 0;
        }
        for k in 0..ORDER {
            let n_ref = reference.len().saturating_sub(k) as u64;
            let n_hyp = hypothesis.len().saturating_sub(k) as u64;
            stats[3 * k] = if n_ref > 0 { n_hyp } else { 0 };
            stats[3 * k + 1] = n_ref;
            stats[3 * k + 2] = matched[k];
        }
    }
}

/// The unit of a word whose interned id (dense from 0 in this segment) is `id`;
/// meaningful only while [`word_units_fit`] holds.
pub(crate) fn word_unit(id: u32) -> u16 {
    (id + 1).min(ID_LIMIT - 1) as u16
}

/// Whether a segment that interned `words` distinct words has a unit for each.
pub(crate) fn word_units_fit(words: usize) -> bool {
    words < ID_LIMIT as usize
}

/// What taking one occurrence of an n-gram from the reference's counts found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Take {
    /// The reference has no such n-gram.
    Absent,
    /// The reference has it, but every occurrence is matched already.
    Exhausted,
    /// One occurrence was matched.
    Taken,
}

/// Counts of `u64` keys for one reference at a time: open addressing with
/// linear probing, a slot in use only if it carries the current generation
/// (so emptying the table is one increment). [`CountTable::prepare`] sizes it
/// for the reference up front, so adding never checks for room.
#[derive(Debug, Default)]
struct CountTable {
    /// `(key, count, generation)`.
    slots: Vec<(u64, u32, u32)>,
    generation: u32,
    /// `64 - log2(slots.len())`: the home slot is the top bits of the key's Fibonacci hash.
    shift: u32,
}

impl CountTable {
    /// Empty the table and make room for `entries` keys at most half full.
    fn prepare(&mut self, entries: usize) {
        let size = (2 * entries).next_power_of_two().max(64);
        if size > self.slots.len() {
            self.slots = vec![(0, 0, 0); size];
            self.shift = 64 - size.trailing_zeros();
            self.generation = 0;
        }
        next_generation(&mut self.generation, &mut self.slots);
    }

    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The slot holding `key`, or (`false`) the free slot where it belongs.
    #[inline]
    fn probe(&mut self, key: u64) -> (&mut (u64, u32, u32), bool) {
        let generation = self.generation;
        let home = self.home(key);
        let slots = &mut self.slots[..];
        // The slot count is a power of two (at least 64): masking keeps every
        // index in bounds, which also lets the compiler drop the bounds checks.
        let mask = slots.len().wrapping_sub(1);
        let mut i = home & mask;
        loop {
            let slot = &slots[i & mask];
            if slot.2 != generation || slot.0 == key {
                let found = slot.2 == generation;
                return (&mut slots[i & mask], found);
            }
            i = (i + 1) & mask;
        }
    }

    /// Count one more `key`.
    #[inline]
    fn add(&mut self, key: u64) {
        let generation = self.generation;
        match self.probe(key) {
            (slot, true) => slot.1 += 1,
            (slot, false) => *slot = (key, 1, generation),
        }
    }

    /// Use up one counted `key`.
    #[inline]
    fn take(&mut self, key: u64) -> Take {
        match self.probe(key) {
            (_, false) => Take::Absent,
            (slot, true) if slot.1 == 0 => Take::Exhausted,
            (slot, true) => {
                slot.1 -= 1;
                Take::Taken
            }
        }
    }
}

/// `ORDER_MASKS[k]` keeps the last `k + 1` units of a window.
const ORDER_MASKS: [u64; MAX_PACKED_ORDER] = {
    let mut masks = [0; MAX_PACKED_ORDER];
    let mut k = 0;
    while k < MAX_PACKED_ORDER {
        masks[k] = (1u64 << (UNIT_BITS * (k as u32 + 1))) - 1;
        k += 1;
    }
    masks
};

/// The index of `unit` in the unigram array. Units are below [`ID_LIMIT`]
/// already; the mask only lets the compiler see it and drop the bounds check.
#[inline]
fn unit_index(unit: u16) -> usize {
    usize::from(unit) & (ID_LIMIT as usize - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(hyp: &str, reference: &str, order: usize) -> Vec<u64> {
        let mut packed = PackedNgrams::default();
        packed.begin_segment();
        let (mut h, mut r) = (Vec::new(), Vec::new());
        assert!(packed.char_units(hyp, false, &mut h));
        assert!(packed.char_units(reference, false, &mut r));
        let mut out = vec![0; 3 * order];
        packed.match_stats(&h, &r, &mut out);
        out
    }

    #[test]
    fn counts_are_clipped_per_order() {
        // "aab" against "ab": unigrams a,a,b vs a,b -> 2 matched; bigrams aa,ab vs ab -> 1.
        assert_eq!(stats("a ab", "ab", 3), vec![3, 2, 2, 2, 1, 1, 0, 0, 0]);
        // Orders never collide: "aa" (bigram) against "a" plus unigram keys.
        assert_eq!(stats("é é", "éé", 2), vec![2, 2, 2, 1, 1, 1]);
    }

    #[test]
    fn too_many_distinct_characters_are_refused() {
        let many: String = (0..1000u32).filter_map(|i| char::from_u32(0x4E00 + i)).collect();
        let mut packed = PackedNgrams::default();
        packed.begin_segment();
        let mut units = Vec::new();
        assert!(!packed.char_units(&many, false, &mut units));
        packed.begin_segment();
        assert!(packed.char_units(&many[..3 * 800], false, &mut units));
    }
}
