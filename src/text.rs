//! Python-compatible string primitives.
//!
//! sacreBLEU is written in Python, and its results depend on Python's notion of
//! whitespace (`str.split()`, `str.rstrip()`) and of lowercasing (`str.lower()`).
//! Rust's `char::is_whitespace` differs: Python also treats the ASCII
//! information separators U+001C..U+001F as whitespace. Everything that must be
//! sacreBLEU-exact goes through these helpers.

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
pub fn is_py_ascii_whitespace(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
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
    PySplit { rest: s }
}

/// Iterator returned by [`py_split`].
#[derive(Debug, Clone)]
pub struct PySplit<'a> {
    rest: &'a str,
}

impl<'a> Iterator for PySplit<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let bytes = self.rest.as_bytes();
        // ASCII bytes are classified directly; other characters are decoded.
        let mut start = 0;
        while start < bytes.len() {
            let b = bytes[start];
            if b < 0x80 {
                if !is_py_ascii_whitespace(b) {
                    break;
                }
                start += 1;
            } else {
                let c = self.rest[start..].chars().next()?;
                if !c.is_whitespace() {
                    break;
                }
                start += c.len_utf8();
            }
        }
        if start == bytes.len() {
            self.rest = "";
            return None;
        }
        let mut end = start;
        while end < bytes.len() {
            let b = bytes[end];
            if b < 0x80 {
                if is_py_ascii_whitespace(b) {
                    break;
                }
                end += 1;
            } else {
                let c = self.rest[end..].chars().next()?;
                if c.is_whitespace() {
                    break;
                }
                end += c.len_utf8();
            }
        }
        let word = &self.rest[start..end];
        self.rest = &self.rest[end..];
        Some(word)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn information_separators_are_whitespace_like_python() {
        let s = "a\u{1c}b\u{1f}c\u{3000}d\u{a0}e";
        assert_eq!(py_split(s).collect::<Vec<_>>(), ["a", "b", "c", "d", "e"]);
        assert!(!'\u{feff}'.is_whitespace());
        assert_eq!(py_split("\u{feff}x y").collect::<Vec<_>>(), ["\u{feff}x", "y"]);
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
