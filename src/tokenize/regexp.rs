//! The `13a` and `zh` tokenizers: sacreBLEU's `TokenizerRegexp` rules as byte passes.
//!
//! sacreBLEU applies four `re.sub` calls in order. Each pattern is two
//! characters long at most and has no alternation, so `re.sub`'s leftmost,
//! non-overlapping scan is reproduced by a loop that either replaces a match and
//! skips it, or copies one unit and moves on. Working on UTF-8 bytes is exact:
//! every pattern only names ASCII characters, a negated class such as `[^0-9]`
//! matches the last byte of a multi-byte character exactly where it matches the
//! character, and spaces are only ever inserted at character boundaries.

use super::pad_each;

/// The `13a` tokenizer: mteval-v13a's unescaping, then the regexp rules on ` line `.
pub(super) fn tokenize_13a(line: &str, bytes: &mut Vec<u8>, spare: &mut Vec<u8>, out: &mut String) {
    let unescaped = unescape_13a(line);
    bytes.clear();
    bytes.push(b' ');
    bytes.extend_from_slice(unescaped.as_bytes());
    bytes.push(b' ');
    apply_rules(bytes, spare);
    into_string(bytes, out);
}

/// The `zh` tokenizer: each CJK character set apart, then the regexp rules (no padding).
pub(super) fn tokenize_zh(stripped: &str, bytes: &mut Vec<u8>, spare: &mut Vec<u8>, out: &mut String) {
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
    into_string(bytes, out);
}

/// mteval-v13a's language-independent part: drop `<skipped>`, join `-\n`
/// hyphenations, turn newlines into spaces, and unescape four XML entities (in
/// sacreBLEU's order, so `&amp;quot;` becomes `&quot;`, not `"`).
fn unescape_13a(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains(['<', '\n', '&']) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut s = line.replace("<skipped>", "").replace("-\n", "").replace('\n', " ");
    if s.contains('&') {
        s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    }
    std::borrow::Cow::Owned(s)
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
/// (and the space, which the class also contains).
#[inline]
fn is_13a_symbol(b: u8) -> bool {
    matches!(b, 0x7b..=0x7e | 0x5b..=0x60 | 0x20..=0x26 | 0x28..=0x2b | 0x3a..=0x40 | b'/')
}

/// The four substitutions of `TokenizerRegexp`, in order, leaving the result in `bytes`.
fn apply_rules(bytes: &mut Vec<u8>, spare: &mut Vec<u8>) {
    // 1. `([\{-\~\[-\` -\&\(-\+\:-\@\/])` -> ` \1 `
    pad_each(bytes, spare, b' ', is_13a_symbol);
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

/// Move the rewritten bytes into `out`. Spaces were only inserted at character
/// boundaries, so the bytes are still valid UTF-8.
fn into_string(bytes: &[u8], out: &mut String) {
    out.clear();
    out.push_str(std::str::from_utf8(bytes).expect("rules insert ASCII spaces only at character boundaries"));
}
