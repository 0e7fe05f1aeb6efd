//! sacreBLEU 2.6.0's `TercomTokenizer` (`sacrebleu/tokenizers/tokenizer_ter.py`),
//! a re-implementation of Tercom's `Normalizer.java`.
//!
//! Steps, each only when its option asks for it, in this order: lowercase
//! (unless case-sensitive), Western normalization and then, with Asian
//! support, CJK splitting (both only when normalized), punctuation removal and
//! then, with Asian support, CJK punctuation removal (both only with
//! no-punct); finally the text is split on whitespace. Each regular
//! expression of sacreBLEU's is applied as `re.sub` applies it: left to right,
//! without overlapping matches, one pass.

use crate::text::{py_lower_into, py_rstrip};

use super::Ter;

/// Reusable buffers for [`tercom_text`].
#[derive(Debug, Default)]
pub struct TercomBuffers {
    lowered: String,
    text: String,
    scratch: String,
}

/// The text sacreBLEU's TER tokenizes `segment` into, before its final split on
/// whitespace: `TercomTokenizer(...)(segment.rstrip())`.
pub fn tercom_text<'a>(ter: &Ter, segment: &'a str, buffers: &'a mut TercomBuffers) -> &'a str {
    let segment = py_rstrip(segment);
    let text = if ter.case_sensitive {
        segment
    } else {
        py_lower_into(segment, &mut buffers.lowered);
        buffers.lowered.as_str()
    };
    if !ter.normalized && !ter.no_punct {
        // asian_support only refines these two steps: alone it changes nothing.
        return text;
    }
    let TercomBuffers { text: out, scratch, .. } = buffers;
    out.clear();
    out.push_str(text);
    if ter.normalized {
        normalize_western(out, scratch);
        if ter.asian_support {
            map_chars(out, scratch, |c, dst| {
                if is_asian_split(c) {
                    dst.extend([' ', c, ' ']);
                } else {
                    dst.push(c);
                }
            });
        }
    }
    if ter.no_punct {
        out.retain(|c| !matches!(c, '.' | ',' | '?' | ':' | ';' | '!' | '"' | '(' | ')'));
        if ter.asian_support {
            out.retain(|c| !is_asian_punct(c));
        }
    }
    out.as_str()
}

/// sacreBLEU's `_normalize_general_and_western`, in place (`scratch` is a work buffer).
fn normalize_western(text: &mut String, scratch: &mut String) {
    // End-of-line hyphenation, line joins and XML entities, in sacreBLEU's order.
    for (from, to) in [("\n-", ""), ("\n", " "), ("&quot;", "\""), ("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">")] {
        if text.contains(from) {
            replace_literal(text, scratch, from, to);
        }
    }
    // Pad with spaces, then surround punctuation (the padding spaces included) with spaces.
    map_chars(text, scratch, |c, dst| {
        if is_spaced_punct(c) {
            dst.extend([' ', c, ' ']);
        } else {
            dst.push(c);
        }
    });
    text.insert_str(0, "   ");
    text.push_str("   ");
    // Possessives. (sacreBLEU's second rule, `'s$`, can never match: the text ends with spaces.)
    if text.contains("'s ") {
        replace_literal(text, scratch, "'s ", " 's ");
    }
    // Period and comma unless preceded by a digit, unless followed by a digit; dash after a digit.
    let digit = |c: char| c.is_ascii_digit();
    let period_or_comma = |c: char| matches!(c, '.' | ',');
    sub_pairs(text, scratch, |a| !digit(a), period_or_comma, |a, b, dst| dst.extend([a, ' ', b, ' ']));
    sub_pairs(text, scratch, period_or_comma, |b| !digit(b), |a, b, dst| dst.extend([' ', a, ' ', b]));
    sub_pairs(text, scratch, digit, |b| b == '-', |a, b, dst| dst.extend([a, ' ', b, ' ']));
}

/// ASCII punctuation that normalization surrounds with spaces: sacreBLEU's class
/// `[{-~[-\` -&(-+:-@/]` (every ASCII punctuation mark but `'`, `,`, `-`, `.`, plus the space).
fn is_spaced_punct(c: char) -> bool {
    matches!(c, ' '..='&' | '('..='+' | '/' | ':'..='@' | '['..='`' | '{'..='~')
}

/// Characters that Asian normalization surrounds with spaces: CJK ideographs (incl.
/// extension A and compatibility ideographs), strokes, radicals, enclosed letters and
/// compatibility forms (sacreBLEU's ranges, including its `3200-3F22`), and the CJK and
/// full-width punctuation of [`is_asian_punct`]. sacreBLEU's Hiragana/Katakana rules
/// anchor at the start of the text, which after normalization is a space, so they never
/// apply.
fn is_asian_split(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{31c0}'..='\u{31ef}' | '\u{2e80}'..='\u{2eff}'
        | '\u{3300}'..='\u{33ff}' | '\u{f900}'..='\u{faff}' | '\u{fe30}'..='\u{fe4f}' | '\u{3200}'..='\u{3f22}')
        || is_asian_punct(c)
}

/// sacreBLEU's `ASIAN_PUNCT` and `FULL_WIDTH_PUNCT` classes.
fn is_asian_punct(c: char) -> bool {
    matches!(c,
        '\u{3001}' | '\u{3002}' | '\u{3008}'..='\u{3011}' | '\u{3014}'..='\u{301f}' | '\u{ff61}'..='\u{ff65}'
        | '\u{30fb}' | '\u{ff0e}' | '\u{ff0c}' | '\u{ff1f}' | '\u{ff1a}' | '\u{ff1b}' | '\u{ff01}' | '\u{ff02}'
        | '\u{ff08}' | '\u{ff09}')
}

/// Rewrite `text` character by character through `f` (which appends to its second argument).
fn map_chars(text: &mut String, scratch: &mut String, mut f: impl FnMut(char, &mut String)) {
    scratch.clear();
    for c in text.chars() {
        f(c, scratch);
    }
    std::mem::swap(text, scratch);
}

/// `re.sub` of a literal pattern: replace every non-overlapping `from`, left to right.
fn replace_literal(text: &mut String, scratch: &mut String, from: &str, to: &str) {
    scratch.clear();
    let mut last = 0;
    for (at, _) in text.match_indices(from) {
        scratch.push_str(&text[last..at]);
        scratch.push_str(to);
        last = at + from.len();
    }
    scratch.push_str(&text[last..]);
    std::mem::swap(text, scratch);
}

/// `re.sub` of a two-character pattern `([first])([second])`: scanning left to right,
/// each matching pair is replaced by `replace` and the scan resumes after it.
fn sub_pairs(
    text: &mut String,
    scratch: &mut String,
    first: impl Fn(char) -> bool,
    second: impl Fn(char) -> bool,
    replace: impl Fn(char, char, &mut String),
) {
    scratch.clear();
    let mut chars = text.chars().peekable();
    while let Some(a) = chars.next() {
        match chars.peek() {
            Some(&b) if first(a) && second(b) => {
                chars.next();
                replace(a, b, scratch);
            }
            _ => scratch.push(a),
        }
    }
    std::mem::swap(text, scratch);
}

#[cfg(test)]
mod tests {
    use super::*;

    const NORMALIZED: Ter = Ter { normalized: true, ..Ter::DEFAULT };

    #[test]
    fn default_only_lowercases_and_splits() {
        assert_eq!(Ter::DEFAULT.tokenize("A  B\tC D. "), "a b c d.");
        assert_eq!(Ter { case_sensitive: true, ..Ter::DEFAULT }.tokenize("A B"), "A B");
        assert_eq!(Ter { asian_support: true, ..Ter::DEFAULT }.tokenize("美众院 (x)."), "美众院 (x).");
    }

    #[test]
    fn no_punct_removes_ascii_and_with_asian_support_cjk_punctuation() {
        let no_punct = Ter { no_punct: true, ..Ter::DEFAULT };
        assert_eq!(no_punct.tokenize("A ; B ) C : D."), "a b c d");
        assert_eq!(no_punct.tokenize("a.b 'c' -d- 你好。"), "ab 'c' -d- 你好。");
        assert_eq!(Ter { asian_support: true, ..no_punct }.tokenize("你好。（好）"), "你好好");
    }

    #[test]
    fn normalization_splits_punctuation_except_inside_numbers() {
        assert_eq!(NORMALIZED.tokenize("a b (c) d."), "a b ( c ) d .");
        assert_eq!(NORMALIZED.tokenize("Jim's car."), "jim 's car .");
        assert_eq!(NORMALIZED.tokenize("4.2 1,000 x.y 3-4 a-b $5"), "4.2 1,000 x . y 3 - 4 a-b $ 5");
        assert_eq!(NORMALIZED.tokenize("&quot;a&amp;b&lt;c&gt;&amp;quot;"), "\" a & b < c > & quot ;");
        assert_eq!(NORMALIZED.tokenize("end-\n-of\nline"), "end-of line");
    }

    #[test]
    fn possessives_split_only_before_a_space() {
        // "2000's." keeps its "'s": the period is split off only after the possessive rule ran.
        let all = Ter { case_sensitive: true, no_punct: true, normalized: true, asian_support: true, references: 1 };
        assert_eq!(
            all.tokenize("the city, it's been around since the 2000's."),
            "the city it 's been around since the 2000's"
        );
    }

    #[test]
    fn periods_and_commas_pair_up_without_overlap() {
        // `([^0-9])([.,])` consumes "a." so the second period is matched with what follows;
        // a period after a space is split off a following digit too.
        assert_eq!(NORMALIZED.tokenize("a..b 1.,2 .5"), "a . . b 1 . , 2 . 5");
    }

    #[test]
    fn asian_support_splits_cjk_only_when_normalized() {
        let asian = Ter { asian_support: true, ..NORMALIZED };
        assert_eq!(asian.tokenize("美众院公布对特"), "美 众 院 公 布 对 特");
        // Hiragana stays together next to other Hiragana (sacreBLEU's anchored rules never apply).
        assert_eq!(asian.tokenize("りの拳銃を持"), "りの 拳 銃 を 持");
        assert_eq!(asian.tokenize("你好，世界"), "你 好 ， 世 界");
        assert_eq!(NORMALIZED.tokenize("你好，世界"), "你好，世界");
    }

    #[test]
    fn spaced_punctuation_is_sacrebleus_class() {
        let spaced: String = (' '..='~').filter(|&c| is_spaced_punct(c)).collect();
        assert_eq!(spaced, " !\"#$%&()*+/:;<=>?@[\\]^_`{|}~");
    }
}
