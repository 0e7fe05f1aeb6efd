//! Exact n-gram identities without allocating a string per n-gram.
//!
//! Within one segment (a hypothesis and its references), every distinct unit
//! (word token or character) and every distinct n-gram gets a small dense
//! integer id. An n-gram's id is the id of the pair (its (n-1)-gram prefix, its
//! last unit), so ids are exact (no hash collisions can merge two n-grams) and
//! n-gram counting reduces to indexing arrays. All buffers are kept between
//! segments; create one [`NgramIds`] per thread and [`NgramIds::clear`] it
//! before each segment.

use std::hash::Hasher;

use rustc_hash::FxHasher;

/// Prefix id used for unigrams of characters.
const CHAR_ROOT: u32 = u32::MAX;

/// Interns units and n-grams of one segment into dense ids.
#[derive(Debug, Default)]
pub struct NgramIds {
    /// Word tokens of at most 7 bytes, keyed by the word itself ([`short_word_key`]) -> unigram id.
    short_words: ProbeTable,
    /// Hash of a longer word token -> its index in `words` (hashes may collide; bytes decide).
    word_table: ProbeTable,
    /// (start, end, unigram id) of each distinct word, its bytes in `arena`.
    words: Vec<(u32, u32, u32)>,
    arena: Vec<u8>,
    /// (prefix id, last unit) -> n-gram id.
    pairs: ProbeTable,
    /// The next id to hand out.
    next_id: u32,
}

impl NgramIds {
    /// Forget all ids (keeping the allocated capacity).
    pub fn clear(&mut self) {
        self.short_words.clear();
        self.word_table.clear();
        self.words.clear();
        self.arena.clear();
        self.pairs.clear();
        self.next_id = 0;
    }

    /// Number of ids handed out so far; every id is below this.
    pub fn len(&self) -> usize {
        self.next_id as usize
    }

    /// Whether no id has been handed out since the last clear.
    pub fn is_empty(&self) -> bool {
        self.next_id == 0
    }

    /// A fresh id.
    #[inline]
    fn new_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The id of the pair (`prefix`, `last`), which stands for an n-gram.
    #[inline]
    pub fn extend(&mut self, prefix: u32, last: u32) -> u32 {
        let next = self.next_id;
        let id = self.pairs.get_or_insert(pair_key(prefix, last), next);
        if id == next {
            self.next_id += 1;
        }
        id
    }

    /// The id of the pair (`prefix`, `last`) if it was handed out already.
    #[inline]
    pub fn find_pair(&self, prefix: u32, last: u32) -> Option<u32> {
        self.pairs.find(pair_key(prefix, last), |_| true)
    }

    /// The index in `words` of the word token `word`, and its hash.
    #[inline]
    fn find_word_index(&self, word: &[u8]) -> (Option<u32>, u64) {
        let mut hasher = FxHasher::default();
        hasher.write(word);
        let hash = hasher.finish();
        let (arena, words) = (&self.arena, &self.words);
        let found = self.word_table.find(hash, |i| {
            let (start, end, _) = words[i as usize];
            &arena[start as usize..end as usize] == word
        });
        (found, hash)
    }

    /// The unigram id of the word token `word` (its UTF-8 bytes).
    #[inline]
    pub fn word(&mut self, word: &[u8]) -> u32 {
        match short_word_key(word) {
            Some(key) => {
                let next = self.next_id;
                let id = self.short_words.get_or_insert(key, next);
                self.next_id += u32::from(id == next);
                id
            }
            None => self.long_word(word),
        }
    }

    /// [`NgramIds::word`] for a word of more than 7 bytes, found by its hash and bytes.
    #[inline(never)]
    fn long_word(&mut self, word: &[u8]) -> u32 {
        match self.find_word_index(word) {
            (Some(i), _) => self.words[i as usize].2,
            (None, hash) => {
                let id = self.new_id();
                let i = self.words.len() as u32;
                let start = self.arena.len() as u32;
                self.arena.extend_from_slice(word);
                self.words.push((start, self.arena.len() as u32, id));
                self.word_table.insert_new(hash, i);
                id
            }
        }
    }

    /// The unigram id of the word token `word` if it was interned already.
    #[inline]
    pub fn find_word(&self, word: &[u8]) -> Option<u32> {
        match short_word_key(word) {
            Some(key) => self.short_words.find(key, |_| true),
            None => self.find_word_index(word).0.map(|i| self.words[i as usize].2),
        }
    }

    /// The unigram id of the character `c`.
    #[inline]
    pub fn char(&mut self, c: char) -> u32 {
        self.extend(CHAR_ROOT, c as u32)
    }

    /// Fill `orders[k]` with the ids of the (k+1)-grams of `units` (unigram ids),
    /// in position order, for k below `orders.len()`.
    pub fn ngrams(&mut self, units: &[u32], orders: &mut [Vec<u32>]) {
        for (k, order) in orders.iter_mut().enumerate() {
            order.clear();
            if k == 0 {
                order.extend_from_slice(units);
            }
        }
        for k in 1..orders.len() {
            let (lower, upper) = orders.split_at_mut(k);
            let prefixes = &lower[k - 1];
            let current = &mut upper[0];
            for (i, &prefix) in prefixes.iter().enumerate() {
                if let Some(&last) = units.get(i + k) {
                    current.push(self.extend(prefix, last));
                }
            }
        }
    }
}

/// A word of at most 7 bytes as a key that is the word itself: its bytes, and
/// its length in the top byte (so no two words share a key). Most tokens are
/// this short, and their lookups need neither hashing nor comparing bytes.
/// The bytes are read in two overlapping loads, not one at a time.
#[inline]
fn short_word_key(word: &[u8]) -> Option<u64> {
    let n = word.len();
    let bytes = match n {
        0 => 0,
        // The first, middle and last byte: all of a word of up to 3.
        1..=3 => u64::from(word[0]) | u64::from(word[n / 2]) << (8 * (n / 2)) | u64::from(word[n - 1]) << (8 * (n - 1)),
        4..=7 => {
            let first = u32::from_le_bytes([word[0], word[1], word[2], word[3]]);
            let last = u32::from_le_bytes([word[n - 4], word[n - 3], word[n - 2], word[n - 1]]);
            u64::from(first) | u64::from(last) << (8 * (n - 4))
        }
        _ => return None,
    };
    Some(bytes | (n as u64) << 56)
}

/// The map key of the pair (`prefix`, `last`).
#[inline]
fn pair_key(prefix: u32, last: u32) -> u64 {
    ((prefix as u64) << 32) | last as u64
}

/// Map from `u64` keys to `u32` values for one segment at a time: open
/// addressing with linear probing. Pair keys are unique, so their ids stay
/// exact; word hashes may collide, and the caller's check on the value
/// decides. Clearing bumps a generation number instead of touching the slots,
/// so a table grown once by a long segment costs nothing to clear afterwards.
/// These are the hottest structures of corpus BLEU and chrF: a few probes per token.
#[derive(Debug, Default)]
pub(crate) struct ProbeTable {
    /// `(key, value, generation)`; a slot is taken only if its generation is current.
    slots: Vec<(u64, u32, u32)>,
    generation: u32,
    len: usize,
}

impl ProbeTable {
    /// Forget every entry.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
        next_generation(&mut self.generation, &mut self.slots);
    }

    /// The first slot to probe for `key` (Fibonacci hashing; the table size is a power of two).
    #[inline]
    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// The value of the first entry with `key` whose value satisfies `accept`.
    #[inline]
    fn find(&self, key: u64, mut accept: impl FnMut(u32) -> bool) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let (k, value, generation) = self.slots[i];
            if generation != self.generation {
                return None;
            }
            if k == key && accept(value) {
                return Some(value);
            }
            i = (i + 1) & mask;
        }
    }

    /// The value stored for the unique `key`, storing `value` first if there is none.
    #[inline]
    pub(crate) fn get_or_insert(&mut self, key: u64, value: u32) -> u32 {
        self.reserve_one();
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let slot = &mut self.slots[i];
            if slot.2 != self.generation {
                *slot = (key, value, self.generation);
                self.len += 1;
                return value;
            }
            if slot.0 == key {
                return slot.1;
            }
            i = (i + 1) & mask;
        }
    }

    /// Store an entry known to be absent.
    fn insert_new(&mut self, key: u64, value: u32) {
        self.reserve_one();
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        while self.slots[i].2 == self.generation {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, value, self.generation);
        self.len += 1;
    }

    /// Make room for one more entry, keeping the table at most half full.
    #[inline]
    fn reserve_one(&mut self) {
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
    }

    /// Double the slots (at least 64) and re-insert the entries.
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(64);
        let old = std::mem::replace(&mut self.slots, vec![(0, 0, 0); size]);
        let generation = self.generation;
        self.generation = 1;
        self.len = 0;
        for (key, value, _) in old.into_iter().filter(|slot| slot.2 == generation) {
            self.insert_new(key, value);
        }
    }
}

/// Start a new generation of `(key, value, generation)` slots, so that every
/// slot reads as free without being touched (the clearing of [`ProbeTable`]
/// and of the packed n-gram counts).
pub(crate) fn next_generation(generation: &mut u32, slots: &mut [(u64, u32, u32)]) {
    *generation = generation.wrapping_add(1);
    if *generation == 0 {
        // After 2^32 clears, stale generations could look current again.
        slots.iter_mut().for_each(|slot| slot.2 = 0);
        *generation = 1;
    }
}

/// Per-id counters over the ids of one segment, reset cheaply between uses.
#[derive(Debug, Default)]
pub struct IdCounts {
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl IdCounts {
    /// Make room for ids below `len` with every count at zero.
    pub fn reset(&mut self, len: usize) {
        for &id in &self.touched {
            self.counts[id as usize] = 0;
        }
        self.touched.clear();
        if self.counts.len() < len {
            self.counts.resize(len, 0);
        }
    }

    /// Count one occurrence of each id in `ids`.
    pub fn add_all(&mut self, ids: &[u32]) {
        for &id in ids {
            let c = &mut self.counts[id as usize];
            if *c == 0 {
                self.touched.push(id);
            }
            *c += 1;
        }
    }

    /// Raise each count to at least the count of the same id in `other`.
    pub fn max_with(&mut self, other: &IdCounts) {
        for &id in &other.touched {
            let theirs = other.counts[id as usize];
            let c = &mut self.counts[id as usize];
            if *c == 0 {
                self.touched.push(id);
            }
            *c = (*c).max(theirs);
        }
    }

    /// Use up one counted occurrence of `id`; false if none is left.
    #[inline]
    pub fn take_one(&mut self, id: u32) -> bool {
        let c = &mut self.counts[id as usize];
        let available = *c > 0;
        *c -= u32::from(available);
        available
    }

    /// Clipped matches: how many of `ids` can be paired with a counted id,
    /// each counted occurrence used once (the sum over distinct ids of
    /// `min(count in ids, count here)`). Consumes the counts.
    pub fn take_clipped(&mut self, ids: &[u32]) -> u64 {
        let mut matched = 0;
        for &id in ids {
            let c = &mut self.counts[id as usize];
            if *c > 0 {
                *c -= 1;
                matched += 1;
            }
        }
        matched
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_ngrams_get_equal_ids_and_different_ones_differ() {
        let mut ids = NgramIds::default();
        let a: Vec<u32> = "the cat the cat sat".split(' ').map(|w| ids.word(w.as_bytes())).collect();
        let mut orders = vec![Vec::new(); 3];
        ids.ngrams(&a, &mut orders);
        assert_eq!(orders[0].len(), 5);
        assert_eq!(orders[1].len(), 4);
        assert_eq!(orders[2].len(), 3);
        assert_eq!(orders[1][0], orders[1][2]); // "the cat" twice
        assert_ne!(orders[1][0], orders[1][1]); // "the cat" vs "cat the"
        assert_ne!(ids.char('a'), ids.word(b"a")); // characters and words never collide
        assert_eq!(ids.find_word(b"cat"), Some(a[1]));
        assert_eq!(ids.find_word(b"dog"), None);
        let long = ids.word(b"elephants");
        assert_eq!(ids.find_word(b"elephants"), Some(long));
        assert_eq!(ids.find_word(b"elephant"), None);
        assert_ne!(ids.word(b"a\0"), ids.word(b"a")); // a NUL byte does not shorten a word
        assert_eq!(ids.find_pair(a[0], a[1]), Some(orders[1][0]));
        assert_eq!(ids.find_pair(a[1], a[1]), None);
    }

    #[test]
    fn short_word_keys_are_the_bytes_and_the_length() {
        for word in [&b""[..], b"a", b"ab", b"abc", b"abcd", b"abcde", b"abcdef", b"abcdefg", b"a\0", b"\xff\xfe"] {
            let bytes = word.iter().enumerate().fold(0u64, |key, (i, &b)| key | u64::from(b) << (8 * i));
            assert_eq!(short_word_key(word), Some(bytes | (word.len() as u64) << 56), "{word:?}");
        }
        assert_eq!(short_word_key(b"abcdefgh"), None);
    }

    #[test]
    fn probe_table_keeps_values_across_growth_and_forgets_them_on_clear() {
        let mut table = ProbeTable::default();
        for round in 0..3u64 {
            for k in 0..1000u64 {
                assert_eq!(table.get_or_insert(k * 7919 + round, k as u32), k as u32);
            }
            for k in 0..1000u64 {
                assert_eq!(table.find(k * 7919 + round, |_| true), Some(k as u32));
                assert_eq!(table.get_or_insert(k * 7919 + round, 5000), k as u32);
            }
            assert_eq!(table.find(u64::MAX, |_| true), None);
            table.insert_new(7, 1);
            table.insert_new(7, 2); // a colliding key: the caller's check picks the entry
            assert_eq!(table.find(7, |v| v == 2), Some(2));
            assert_eq!(table.find(7, |v| v == 3), None);
            table.clear();
            assert_eq!(table.find(round, |_| true), None);
        }
    }

    #[test]
    fn clipped_matches_are_min_counts() {
        let mut counts = IdCounts::default();
        counts.reset(10);
        counts.add_all(&[1, 1, 2]);
        assert_eq!(counts.take_clipped(&[1, 1, 1, 2, 2, 3]), 3);
        counts.reset(10);
        assert_eq!(counts.take_clipped(&[1]), 0);
    }
}
