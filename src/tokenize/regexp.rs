//! The `13a` and `zh` tokenizers: sacreBLEU's `TokenizerRegexp` rules as byte passes.
//!
//! sacreBLEU applies four `re.sub` calls in order. Each pattern is two
//! characters long at most and has no alternation, so `re.sub`'s leftmost,
//! non-overlapping scan is reproduced by a loop that either replaces a match and
//! skips it, or copies one unit and moves on. Working on UTF-8 bytes is exact:
//! every pattern only names ASCII characters, a negated class such as `[^0-9]`
//! matches the last byte of a multi-byte character exactly where it matches the
//! character, and spaces are only ever inserted at character boundaries.
//!
//! For `13a`, the hot path of corpus BLEU, the four passes are fused into one
//! scan that yields tokens directly ([`Tokens13a`]). Every rule inserts spaces
//! on both sides of a single character, so the tokens are the maximal runs of
//! non-whitespace bytes between *isolated* characters, which are:
//!
//! 1. a symbol of rule 1;
//! 2. a `-` right after a digit (rule 4: no rule ever inserts a space after a digit);
//! 3. a `.` or `,`, unless it is not matched by rule 2 and is followed by a digit.
//!    Rule 2 matches every other member of a run of `.`/`,` (padding spaces and
//!    symbols are not digits, so only the byte before the run decides where the
//!    alternation starts), and afterwards no two of them are adjacent, so rule 3
//!    matches each one whose next character is not a digit.
//!
//! The four-pass version stays for `zh` (no outer padding) and, in the tests,
//! as the oracle the fused scan is checked against.

use std::borrow::Cow;

use super::pad_each;
use crate::byte_marks::{for_each_mark, mark_bytes, MarkClass};
use crate::text::whitespace_len;

/// The `13a` tokenizer: mteval-v13a's unescaping (into `buffer` if anything
/// changes), then the regexp rules on ` line `, as an iterator over the tokens.
/// `marks` and `spans` are reusable buffers for the scan.
pub(super) fn tokenize_13a<'a>(
    line: &'a str,
    buffer: &'a mut Vec<u8>,
    marks: &'a mut Vec<u64>,
    spans: &'a mut Vec<(usize, usize)>,
) -> Tokens13a<'a> {
    let text = unescape_and_mark(line, buffer, marks);
    spans.clear();
    for_each_token_span(text, marks, |start, end| spans.push((start, end)));
    Tokens13a { text, spans: spans.iter() }
}

/// Call `each` with every `13a` token of `line`, in order (what
/// [`tokenize_13a`] yields, without storing the tokens first).
#[inline]
pub(super) fn for_each_token_13a(line: &str, buffer: &mut Vec<u8>, marks: &mut Vec<u64>, mut each: impl FnMut(&[u8])) {
    let text = unescape_and_mark(line, buffer, marks);
    for_each_token_span(text, marks, |start, end| each(&text[start..end]));
}

/// `line` unescaped (into `buffer` if anything changes), with the bytes where
/// its tokens may end marked in `marks` ([`MarkClass::TokenEnd13a`]).
fn unescape_and_mark<'a>(line: &'a str, buffer: &'a mut Vec<u8>, marks: &mut Vec<u64>) -> &'a [u8] {
    let text = match unescape_13a(line) {
        Cow::Borrowed(text) => text.as_bytes(),
        Cow::Owned(text) => {
            buffer.clear();
            buffer.extend_from_slice(text.as_bytes());
            buffer
        }
    };
    mark_bytes(text, MarkClass::TokenEnd13a, marks);
    text
}

/// Tokens of the `13a` tokenizer, found in one scan (see the module documentation).
#[derive(Debug, Clone)]
pub struct Tokens13a<'a> {
    /// The unescaped line, without the outer padding spaces.
    text: &'a [u8],
    /// The tokens' byte ranges in `text`, `(start, end)`.
    spans: std::slice::Iter<'a, (usize, usize)>,
}

impl<'a> Iterator for Tokens13a<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        self.spans.next().map(|&(start, end)| &self.text[start..end])
    }
}

/// Call `each(start, end)` with the byte range of every token of `text`, in
/// order, given the `marks` of the bytes where tokens may end
/// ([`MarkClass::TokenEnd13a`]). Only a marked byte can be whitespace or a
/// token by itself, so the scan visits the marks alone: each one either ends
/// the current token (whitespace, or an isolated byte, which is a token of
/// its own) or stays inside it.
#[inline]
fn for_each_token_span(text: &[u8], marks: &[u64], mut each: impl FnMut(usize, usize)) {
    // Where the current token started, if `start < ` the mark at hand.
    let mut start = 0;
    for_each_mark(marks, text.len(), |mark| {
        let space = whitespace_len(text, mark);
        if space > 0 || is_isolated(text, mark) {
            if start < mark {
                each(start, mark);
            }
            if space == 0 {
                each(mark, mark + 1);
            }
            // The bytes of a multi-byte whitespace after the first are never marked.
            start = mark + space.max(1);
        }
    });
    if start < text.len() {
        each(start, text.len());
    }
}

/// Whether the byte at `i` of the unescaped line is a token by itself.
#[inline]
fn is_isolated(text: &[u8], i: usize) -> bool {
    match text[i] {
        b'.' | b',' => !period_or_comma_stays(text, i),
        b'-' => i > 0 && text[i - 1].is_ascii_digit(),
        b => IS_13A_SYMBOL[b as usize],
    }
}

/// Whether the `.` or `,` at `i` stays attached to its neighbours: it is followed
/// by a digit and rule 2 did not match it. Rule 2 matches the first member of
/// a run of `.`/`,` unless a digit precedes the run, and then every other member.
fn period_or_comma_stays(text: &[u8], i: usize) -> bool {
    if !text.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let mut run_start = i;
    while run_start > 0 && matches!(text[run_start - 1], b'.' | b',') {
        run_start -= 1;
    }
    let digit_before = run_start > 0 && text[run_start - 1].is_ascii_digit();
    let matched_by_rule_2 = (i - run_start).is_multiple_of(2) != digit_before;
    !matched_by_rule_2
}

/// The `zh` tokenizer: each CJK character set apart, then the regexp rules (no
/// padding), leaving the rewritten UTF-8 bytes in `bytes`.
pub(super) fn tokenize_zh(stripped: &str, bytes: &mut Vec<u8>, spare: &mut Vec<u8>) {
    bytes.clear();
    let mut utf8 = [0u8; 4];
    for c in stripped.chars() {
        let encoded = c.encode_utf8(&mut utf8).as_bytes();
        if is_sacrebleu_chinese(c) {
            bytes.push(b' ');
            bytes.extend_from_slice(encoded);
            bytes.push(b' ');
        } else {
            bytes.extend_from_slice(encoded);
        }
    }
    apply_rules(bytes, spare);
}

/// mteval-v13a's language-independent part: drop `<skipped>`, join `-\n`
/// hyphenations, turn newlines into spaces, and unescape four XML entities (in
/// sacreBLEU's order, so `&amp;quot;` becomes `&quot;`, not `"`).
fn unescape_13a(line: &str) -> Cow<'_, str> {
    if memchr::memchr3(b'<', b'\n', b'&', line.as_bytes()).is_none() {
        return Cow::Borrowed(line);
    }
    let mut s = line.replace("<skipped>", "").replace("-\n", "").replace('\n', " ");
    if s.contains('&') {
        s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    Cow::Owned(s)
}

/// sacreBLEU's `_is_chinese_char`, including the effect of its two-character
/// range bounds (`'\u20000'` is U+2000 followed by `0`), which in practice makes
/// U+2001..=U+2A6D and U+2F81..=U+2FA1 "Chinese" (and so also its listed
/// U+2600..=U+27BF symbol blocks, which that range contains).
fn is_sacrebleu_chinese(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4db5
        | 0x4e00..=0x9fa5
        | 0x9fa6..=0x9fbb
        | 0xf900..=0xfa2d
        | 0xfa30..=0xfa6a
        | 0xfa70..=0xfad9
        | 0x2001..=0x2a6d
        | 0x2f81..=0x2fa1
        | 0xff00..=0xffef
        | 0x2e80..=0x2eff
        | 0x3000..=0x303f
        | 0x31c0..=0x31ef
        | 0x2f00..=0x2fdf
        | 0x2ff0..=0x2fff
        | 0x3100..=0x312f
        | 0x31a0..=0x31bf
        | 0xfe10..=0xfe1f
        | 0xfe30..=0xfe4f
        | 0x3200..=0x32ff
        | 0x3300..=0x33ff)
}

/// `[\{-\~\[-\` -\&\(-\+\:-\@\/]`: ASCII punctuation and symbols except `' , - .`
/// (and the space, which the class also contains), as a table over byte values.
static IS_13A_SYMBOL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b, 0x7b..=0x7e | 0x5b..=0x60 | 0x20..=0x26 | 0x28..=0x2b | 0x3a..=0x40 | 0x2f);
        b += 1;
    }
    table
};

/// The four substitutions of `TokenizerRegexp`, in order, leaving the result in `bytes`.
fn apply_rules(bytes: &mut Vec<u8>, spare: &mut Vec<u8>) {
    // 1. `([\{-\~\[-\` -\&\(-\+\:-\@\/])` -> ` \1 `
    pad_each(bytes, spare, b' ', |b| IS_13A_SYMBOL[b as usize]);
    // 2. `([^0-9])([\.,])` -> `\1 \2 ` (period and comma unless preceded by a digit)
    let starts = memchr::memchr2_iter(b'.', b',', bytes).map(|k| k.checked_sub(1));
    if substitute_at(
        bytes,
        spare,
        starts,
        |a, _| !a.is_ascii_digit(),
        |a, b, out| out.extend_from_slice(&[a, b' ', b, b' ']),
    ) {
        std::mem::swap(bytes, spare);
    }
    // 3. `([\.,])([^0-9])` -> ` \1 \2` (period and comma unless followed by a digit)
    let starts = memchr::memchr2_iter(b'.', b',', bytes).map(Some);
    if substitute_at(
        bytes,
        spare,
        starts,
        |_, b| !b.is_ascii_digit(),
        |a, b, out| out.extend_from_slice(&[b' ', a, b' ', b]),
    ) {
        std::mem::swap(bytes, spare);
    }
    // 4. `([0-9])(-)` -> `\1 \2 ` (dash preceded by a digit)
    let starts = memchr::memchr_iter(b'-', bytes).map(|k| k.checked_sub(1));
    if substitute_at(
        bytes,
        spare,
        starts,
        |a, _| a.is_ascii_digit(),
        |a, b, out| out.extend_from_slice(&[a, b' ', b, b' ']),
    ) {
        std::mem::swap(bytes, spare);
    }
}

/// `substitute_pairs` for a byte pattern whose possible match starts are
/// known in advance (found with `memchr` around `.`, `,` or `-`), so only
/// those positions are examined: `starts` yields them in increasing order
/// (`None` for a pattern that would start before the text). A start that an
/// earlier match consumed is skipped, exactly as `re.sub`'s scan skips it.
/// Returns whether anything matched; if so, the result is in `out`.
fn substitute_at(
    bytes: &[u8],
    out: &mut Vec<u8>,
    starts: impl Iterator<Item = Option<usize>>,
    matches: impl Fn(u8, u8) -> bool,
    replace: impl Fn(u8, u8, &mut Vec<u8>),
) -> bool {
    out.clear();
    let mut copied = 0;
    let mut matched = false;
    for p in starts.flatten() {
        if p < copied || p + 1 >= bytes.len() || !matches(bytes[p], bytes[p + 1]) {
            continue;
        }
        out.extend_from_slice(&bytes[copied..p]);
        replace(bytes[p], bytes[p + 1], out);
        copied = p + 2;
        matched = true;
    }
    if matched {
        out.extend_from_slice(&bytes[copied..]);
    }
    matched
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{is_py_ascii_whitespace, py_split_bytes};
    use proptest::prelude::*;

    /// `13a` the four-pass way: the rules applied to ` line `, then split.
    fn four_pass_13a(line: &str) -> Vec<Vec<u8>> {
        let mut bytes = format!(" {} ", unescape_13a(line)).into_bytes();
        apply_rules(&mut bytes, &mut Vec::new());
        py_split_bytes(&bytes).map(<[u8]>::to_vec).collect()
    }

    fn fused_13a(line: &str) -> Vec<Vec<u8>> {
        tokenize_13a(line, &mut Vec::new(), &mut Vec::new(), &mut Vec::new()).map(<[u8]>::to_vec).collect()
    }

    #[test]
    fn fused_scan_handles_runs_of_periods_and_commas() {
        for line in ["a,.5", "3.5", "3..5", "3,.,5", "a.5", "3.a", "1-2", "x-1", "5.-3", "..5", ",5", "5,", "U.S.-1.2"]
        {
            assert_eq!(fused_13a(line), four_pass_13a(line), "{line:?}");
        }
    }

    #[test]
    fn every_byte_that_can_end_a_token_is_marked() {
        for b in 0..=255u8 {
            let i = usize::from(b);
            let ends = is_py_ascii_whitespace(b) || IS_13A_SYMBOL[i] || matches!(b, b'.' | b',' | b'-');
            let may_start_space = [0xc2, 0xe1, 0xe2, 0xe3].contains(&b);
            let mut marks = Vec::new();
            mark_bytes(&[b], MarkClass::TokenEnd13a, &mut marks);
            assert!(!(ends || may_start_space) || marks[0] & 1 == 1, "byte {b:#x}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// The fused scan and the four regex passes give the same tokens.
        #[test]
        fn fused_scan_equals_the_four_passes(line in "[a0-9.,\\-/'$ \t\n\u{a0}\u{2009}é€<&;qtu]{0,24}") {
            prop_assert_eq!(fused_13a(&line), four_pass_13a(&line));
        }
    }
}
