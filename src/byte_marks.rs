//! One bit per byte of a line for the few kinds of byte a scan must stop at,
//! computed 16 bytes at a time with SSE2 (part of every x86-64 CPU; a
//! portable loop elsewhere). Scans then jump from mark to mark with
//! `trailing_zeros` instead of looking at every byte.
//!
//! Bit `i % 64` of word `i / 64` stands for byte `i`. The positions from the
//! end of the text to the end of the last word are always marked, so a scan
//! for the next mark stops at the end of the text without checking bounds.

/// The bytes a scan asks to have marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MarkClass {
    /// Bytes that may end a `13a` token: all but ASCII letters, digits, `'`,
    /// and the bytes of multi-byte characters other than the first bytes of
    /// the ones that may be whitespace (0xc2, 0xe1, 0xe2, 0xe3). This takes in
    /// every whitespace, `13a` symbol, `.`, `,` and `-` (and a few control
    /// characters, which the checks at a marked byte pass over).
    TokenEnd13a,
    /// Bytes that may start Python whitespace: the ASCII whitespace bytes and
    /// the first bytes of the multi-byte whitespace characters (0xc2, 0xe1, 0xe2, 0xe3).
    PyWhitespace,
}

impl MarkClass {
    /// Whether `b` is marked. The SIMD path computes the same rule without
    /// this function; the tests check it.
    #[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
    const fn marks(self, b: u8) -> bool {
        let may_start_space = matches!(b, 0xc2 | 0xe1..=0xe3);
        match self {
            MarkClass::TokenEnd13a => !(b.is_ascii_alphanumeric() || b == b'\'' || (b >= 0x80 && !may_start_space)),
            MarkClass::PyWhitespace => crate::text::is_py_ascii_whitespace(b) || may_start_space,
        }
    }
}

/// The marks of `class` in `text` into `marks` (see the module documentation).
#[inline]
pub(crate) fn mark_bytes(text: &[u8], class: MarkClass, marks: &mut Vec<u64>) {
    marks.clear();
    let mut chunks = text.chunks_exact(64);
    for chunk in &mut chunks {
        marks.push(chunk_marks(chunk.try_into().expect("64 bytes"), class));
    }
    // The tail, padded with spaces (which both classes mark).
    let rest = chunks.remainder();
    let mut tail = [b' '; 64];
    tail[..rest.len()].copy_from_slice(rest);
    marks.push(chunk_marks(&tail, class));
}

/// The marks of `class` in 64 bytes, 16 at a time with SSE2.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn chunk_marks(chunk: &[u8; 64], class: MarkClass) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is enabled at compile time (the `cfg` above), and each load
    // reads the 16 bytes of one block of `chunk`, with no alignment required.
    unsafe {
        let splat = |b: u8| _mm_set1_epi8(b as i8);
        // `x` in `lo..lo + len` as one signed comparison: the range shifted to start at -128.
        let in_range = |x: __m128i, lo: u8, len: u8| {
            _mm_cmplt_epi8(_mm_add_epi8(x, splat(0x80u8.wrapping_sub(lo))), splat(0x80u8.wrapping_add(len)))
        };
        let mut mask = 0u64;
        for (k, block) in chunk.chunks_exact(16).enumerate() {
            let v = _mm_loadu_si128(block.as_ptr().cast());
            let may_start_space = _mm_or_si128(_mm_cmpeq_epi8(v, splat(0xc2)), in_range(v, 0xe1, 3));
            let marked = match class {
                MarkClass::TokenEnd13a => {
                    let letter = in_range(_mm_or_si128(v, splat(0x20)), b'a', 26);
                    let digit = in_range(v, b'0', 10);
                    let apostrophe = _mm_cmpeq_epi8(v, splat(b'\''));
                    let non_ascii = _mm_cmplt_epi8(v, _mm_setzero_si128());
                    let word = _mm_or_si128(_mm_or_si128(letter, digit), apostrophe);
                    let kept = _mm_or_si128(word, _mm_andnot_si128(may_start_space, non_ascii));
                    // All bits set, then the kept bytes cleared.
                    _mm_andnot_si128(kept, _mm_cmpeq_epi8(v, v))
                }
                MarkClass::PyWhitespace => {
                    // \t \n \v \f \r, then U+001C..U+001F and the space.
                    let ascii = _mm_or_si128(in_range(v, b'\t', 5), in_range(v, 0x1c, 5));
                    _mm_or_si128(ascii, may_start_space)
                }
            };
            mask |= u64::from(_mm_movemask_epi8(marked) as u16) << (16 * k);
        }
        mask
    }
}

/// The marks of `class` in 64 bytes.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn chunk_marks(chunk: &[u8; 64], class: MarkClass) -> u64 {
    chunk.iter().enumerate().fold(0, |mask, (i, &b)| mask | u64::from(class.marks(b)) << i)
}

/// Call `each(mark)` with every marked position below `len`, in order;
/// `marks` must come from [`mark_bytes`] on a text of `len` bytes.
#[inline]
pub(crate) fn for_each_mark(marks: &[u64], len: usize, mut each: impl FnMut(usize)) {
    for (word, &bits) in marks.iter().enumerate() {
        let mut bits = bits;
        while bits != 0 {
            let mark = 64 * word + bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if mark >= len {
                return;
            }
            each(mark);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_value_is_marked_by_the_rule_of_its_class() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for class in [MarkClass::TokenEnd13a, MarkClass::PyWhitespace] {
            let mut marks = Vec::new();
            mark_bytes(&bytes, class, &mut marks);
            assert_eq!(marks.len(), 5);
            for b in 0..=255u8 {
                let i = usize::from(b);
                assert_eq!(marks[i / 64] >> (i % 64) & 1 == 1, class.marks(b), "{class:?} byte {b:#x}");
            }
            assert_eq!(marks[4], u64::MAX, "the padding after the text is marked");
        }
    }

    #[test]
    fn marks_are_visited_in_order_up_to_the_end_of_the_text() {
        let text = format!("{} b\tc", "a".repeat(70));
        let mut marks = Vec::new();
        mark_bytes(text.as_bytes(), MarkClass::PyWhitespace, &mut marks);
        let mut seen = Vec::new();
        for_each_mark(&marks, text.len(), |m| seen.push(m));
        assert_eq!(seen, [70, 72]);
    }
}
