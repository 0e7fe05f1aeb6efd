//! Python-compatible string primitives.
//!
//! sacreBLEU is written in Python, and its results depend on Python's notion of
//! whitespace (`str.split()`, `str.rstrip()`) and of lowercasing (`str.lower()`).
//! Rust's `char::is_whitespace` differs: Python also treats the ASCII
//! information separators U+001C..U+001F as whitespace. Everything that must be
//! sacreBLEU-exact goes through these helpers.

use crate::byte_marks::{for_each_mark, mark_bytes, MarkClass};

/// Whether `c` is whitespace for Python's `str.isspace()` / `str.split()`.
///
/// This is Unicode `White_Space` plus U+001C..U+001F (Python counts the
/// information separators, whose bidi class is B or S, as whitespace).
#[inline]
pub fn is_py_whitespace(c: char) -> bool {
    if c.is_ascii() {
        is_py_ascii_whitespace(c as u8)
    } else {
        c.is_whitespace()
    }
}

/// Whether the ASCII byte `b` is Python whitespace: `\t \n \v \f \r`, U+001C..U+001F, space.
#[inline]
pub const fn is_py_ascii_whitespace(b: u8) -> bool {
    // All of them are below 64: one bit each in a mask (a shift and a test, no branches).
    const MASK: u64 = (0b11111 << b'\t') | (0b1111 << 0x1c) | (1 << b' ');
    b < 64 && (MASK >> b) & 1 == 1
}

/// Python's `s.rstrip()`: `s` without trailing whitespace.
pub fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(is_py_whitespace)
}

/// Python's `s.strip()`: `s` without leading or trailing whitespace.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_whitespace)
}

/// Python's `s.split()`: the maximal runs of non-whitespace characters.
pub fn py_split(s: &str) -> PySplit<'_> {
    PySplit { text: s, pos: 0 }
}

/// Call `each` with the words of `s.split()` in order, as [`py_split`] yields
/// them, found by jumping between the bytes that may start whitespace
/// (`marks` is a reusable buffer for them).
#[inline]
pub(crate) fn for_each_py_word<'a>(s: &'a str, marks: &mut Vec<u64>, mut each: impl FnMut(&'a str)) {
    let bytes = s.as_bytes();
    mark_bytes(bytes, MarkClass::PyWhitespace, marks);
    let mut start = 0;
    for_each_mark(marks, bytes.len(), |mark| {
        let space = whitespace_len(bytes, mark);
        if space > 0 {
            if start < mark {
                each(&s[start..mark]);
            }
            // The bytes of a multi-byte whitespace after the first are never marked.
            start = mark + space;
        }
    });
    if start < bytes.len() {
        each(&s[start..]);
    }
}

/// Iterator returned by [`py_split`].
#[derive(Debug, Clone)]
pub struct PySplit<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for PySplit<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let (start, end) = next_word(self.text.as_bytes(), self.pos)?;
        self.pos = end;
        // Words start and end at character boundaries (whitespace characters are whole).
        self.text.get(start..end)
    }
}

/// [`py_split`] over the bytes of UTF-8 text, yielding the words' bytes; for
/// text that was rewritten as bytes (the tokenizers), so that it need not be
/// validated as UTF-8 again.
pub fn py_split_bytes(bytes: &[u8]) -> PySplitBytes<'_> {
    PySplitBytes { bytes, pos: 0 }
}

/// Iterator returned by [`py_split_bytes`].
#[derive(Debug, Clone)]
pub struct PySplitBytes<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for PySplitBytes<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        let (start, end) = next_word(self.bytes, self.pos)?;
        self.pos = end;
        Some(&self.bytes[start..end])
    }
}

/// How a byte of UTF-8 text takes part in splitting on whitespace.
#[derive(Clone, Copy, PartialEq)]
enum ByteClass {
    /// Part of a word: a non-space ASCII byte, a continuation byte, or the
    /// first byte of a character that is never whitespace.
    Word,
    /// ASCII whitespace.
    Space,
    /// First byte of a multi-byte character that may be whitespace (0xC2, 0xE1, 0xE2, 0xE3).
    MaybeSpace,
}

/// [`ByteClass`] of every byte value, so the splitting loops look bytes up
/// instead of decoding characters.
static BYTE_CLASS: [ByteClass; 256] = {
    let mut table = [ByteClass::Word; 256];
    let mut b = 0;
    while b < 256 {
        if b < 0x80 && is_py_ascii_whitespace(b as u8) {
            table[b] = ByteClass::Space;
        }
        b += 1;
    }
    table[0xc2] = ByteClass::MaybeSpace;
    table[0xe1] = ByteClass::MaybeSpace;
    table[0xe2] = ByteClass::MaybeSpace;
    table[0xe3] = ByteClass::MaybeSpace;
    table
};

/// Length in bytes of the Python whitespace character starting at `bytes[i]`
/// of UTF-8 text (0 if it is not whitespace).
#[inline]
pub fn whitespace_len(bytes: &[u8], i: usize) -> usize {
    match BYTE_CLASS[bytes[i] as usize] {
        ByteClass::Word => 0,
        ByteClass::Space => 1,
        ByteClass::MaybeSpace => multibyte_space_len(bytes, i),
    }
}

/// Length in bytes of the multi-byte whitespace character starting at
/// `bytes[i]` (0 if it is not whitespace). The non-ASCII Unicode whitespace
/// characters are U+0085, U+00A0, U+1680, U+2000..=U+200A, U+2028, U+2029,
/// U+202F, U+205F and U+3000.
#[cold]
#[inline(never)]
fn multibyte_space_len(bytes: &[u8], i: usize) -> usize {
    let tail = (bytes.get(i + 1).copied(), bytes.get(i + 2).copied());
    match (bytes[i], tail) {
        (0xc2, (Some(0x85 | 0xa0), _)) => 2,
        (0xe1, (Some(0x9a), Some(0x80))) => 3,
        (0xe2, (Some(0x80), Some(0x80..=0x8a | 0xa8 | 0xa9 | 0xaf))) => 3,
        (0xe2, (Some(0x81), Some(0x9f))) => 3,
        (0xe3, (Some(0x80), Some(0x80))) => 3,
        _ => 0,
    }
}

/// Byte span of the first word of `bytes` at or after `pos`.
#[inline]
fn next_word(bytes: &[u8], mut pos: usize) -> Option<(usize, usize)> {
    while let Some(&b) = bytes.get(pos) {
        match BYTE_CLASS[b as usize] {
            ByteClass::Space => pos += 1,
            ByteClass::Word => break,
            ByteClass::MaybeSpace => match multibyte_space_len(bytes, pos) {
                0 => break,
                n => pos += n,
            },
        }
    }
    let start = pos;
    if start >= bytes.len() {
        return None;
    }
    let mut end = start + 1;
    while let Some(&b) = bytes.get(end) {
        match BYTE_CLASS[b as usize] {
            ByteClass::Word => end += 1,
            ByteClass::Space => break,
            ByteClass::MaybeSpace if multibyte_space_len(bytes, end) > 0 => break,
            ByteClass::MaybeSpace => end += 1,
        }
    }
    Some((start, end))
}

/// Python's `s.lower()`, written into `out` (which is cleared first).
///
/// Both Python and Rust apply the full Unicode lowercase mapping, including the
/// context-sensitive final sigma; an ASCII fast path avoids the general case.
pub fn py_lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.push_str(&s.to_lowercase());
    }
}

/// The characters of `text` a terminal prints: ANSI escape sequences
/// (`ESC [ … m`) left out.
fn shown_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut chars = text.chars();
    std::iter::from_fn(move || loop {
        let c = chars.next()?;
        if c != '\x1b' {
            return Some(c);
        }
        chars.by_ref().take_while(|c| !c.is_ascii_alphabetic()).for_each(drop);
    })
}

/// Characters of `text` as Python's `len` counts them, ANSI colour codes left
/// out: the width `tabulate` gives a cell of sacreBLEU's tables.
pub fn visible_width(text: &str) -> usize {
    shown_chars(text).count()
}

/// Columns `c` takes on a terminal (UAX #11): 2 for wide East Asian characters
/// and emoji, 0 for combining marks, 1 otherwise (controls too: reports escape them).
pub fn char_columns(c: char) -> usize {
    unicode_width::UnicodeWidthChar::width(c).unwrap_or(1)
}

/// Columns `text` takes on a terminal, ANSI colour codes left out: what the
/// terminal report wraps and pads by, so that Chinese or Japanese text lines up.
pub fn display_width(text: &str) -> usize {
    shown_chars(text).map(char_columns).sum()
}

/// `text` followed by spaces up to `width` terminal columns (left-aligned in a column).
/// Tables pad with this rather than `format!`'s width, which counts characters
/// and panics above 65,535.
pub fn pad_end(text: &str, width: usize) -> String {
    let room = width.saturating_sub(display_width(text));
    let mut out = String::with_capacity(text.len() + room);
    out.push_str(text);
    out.extend(std::iter::repeat_n(' ', room));
    out
}

/// Spaces up to `width` terminal columns followed by `text` (right-aligned in a column).
pub fn pad_start(text: &str, width: usize) -> String {
    let room = width.saturating_sub(display_width(text));
    let mut out: String = std::iter::repeat_n(' ', room).collect();
    out.push_str(text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_counts_terminal_columns_and_has_no_width_limit() {
        assert_eq!(pad_end("né", 4), "né  ");
        // A wide character takes two columns, a combining accent none.
        assert_eq!(pad_end("中", 4), "中  ");
        assert_eq!(pad_start("ne\u{301}", 4), "  ne\u{301}");
        assert_eq!(display_width("\x1b[1m中文\x1b[0m e\u{301}"), 6);
        assert_eq!(visible_width("\x1b[1m中文\x1b[0m e\u{301}"), 5);
        assert_eq!(pad_start("né", 4), "  né");
        assert_eq!(pad_end("long", 2), "long");
        assert_eq!(pad_start("x", 70_000).len(), 70_000);
    }

    #[test]
    fn information_separators_are_whitespace_like_python() {
        let s = "a\u{1c}b\u{1f}c\u{3000}d\u{a0}e";
        assert_eq!(py_split(s).collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
        assert!(!'\u{feff}'.is_whitespace());
        assert_eq!(py_split("\u{feff}x y").collect::<Vec<_>>(), ["\u{feff}x", "y"]);
    }

    #[test]
    fn the_ascii_whitespace_mask_is_pythons_list() {
        for b in 0..=255u8 {
            let python = matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | 0x1c..=0x1f | b' ');
            assert_eq!(is_py_ascii_whitespace(b), python, "byte {b:#04x}");
        }
    }

    #[test]
    fn byte_splitting_knows_every_whitespace_character() {
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let expected = if is_py_whitespace(c) { encoded.len() } else { 0 };
            assert_eq!(whitespace_len(encoded, 0), expected, "U+{:04X}", c as u32);
        }
        let text = "a\u{2009}b\u{a0}\u{85}c\u{3000}d\u{2028}\u{1c}e\u{e2}\u{80}f";
        let words: Vec<&str> = py_split(text).collect();
        assert_eq!(words, ["a", "b", "c", "d", "e\u{e2}\u{80}f"]);
        let bytes: Vec<&[u8]> = py_split_bytes(text.as_bytes()).collect();
        assert_eq!(bytes, words.iter().map(|w| w.as_bytes()).collect::<Vec<_>>());
    }

    #[test]
    fn strip_and_split_handle_empty_and_blank_text() {
        assert_eq!(py_split("").count(), 0);
        assert_eq!(py_split(" \t\r\n").count(), 0);
        assert_eq!(py_rstrip("ab \r\u{2009}"), "ab");
        assert_eq!(py_strip("\u{1e} ab c \u{85}"), "ab c");
    }

    #[test]
    fn lowercase_matches_python_special_cases() {
        let mut out = String::new();
        py_lower_into("ΑΣ ΟΔΟΣ.", &mut out);
        assert_eq!(out, "ας οδος.");
        py_lower_into("İ", &mut out);
        assert_eq!(out, "i\u{307}");
        py_lower_into("ABC def", &mut out);
        assert_eq!(out, "abc def");
    }
}
