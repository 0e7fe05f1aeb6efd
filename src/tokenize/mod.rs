//! sacreBLEU's BLEU tokenizers, reproduced exactly: `13a`, `intl`, `char`, `zh`, `none`.
//!
//! A tokenizer turns a segment into the tokens BLEU counts n-grams over. Each
//! one is a faithful re-implementation of sacreBLEU 2.6.0's Python code,
//! including its regular-expression substitution order and Python's notion of
//! whitespace. The work happens in reusable buffers ([`Tokenizer::tokens`]) so
//! that scoring millions of segments does not allocate per segment.

mod regexp;
mod unicode_classes;

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use crate::text::{is_py_whitespace, py_split_bytes, py_strip, PySplitBytes};

/// Which sacreBLEU tokenizer to apply before counting word n-grams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TokenizerKind {
    /// mteval-v13a, the WMT standard and sacreBLEU's default.
    #[default]
    Mteval13a,
    /// mteval-v14 "international": splits Unicode punctuation and symbols.
    Intl,
    /// Every non-whitespace character is a token.
    Char,
    /// Chinese: every CJK character is a token, the rest as `13a` (without its padding).
    Zh,
    /// No tokenization: whitespace-separated words.
    None,
}

impl TokenizerKind {
    /// All tokenizers, in the order `--help` lists them.
    pub const ALL: [TokenizerKind; 5] =
        [TokenizerKind::Mteval13a, TokenizerKind::Intl, TokenizerKind::Char, TokenizerKind::Zh, TokenizerKind::None];

    /// The name used on the command line and in signatures (`tok:13a`).
    pub fn name(self) -> &'static str {
        match self {
            TokenizerKind::Mteval13a => "13a",
            TokenizerKind::Intl => "intl",
            TokenizerKind::Char => "char",
            TokenizerKind::Zh => "zh",
            TokenizerKind::None => "none",
        }
    }
}

impl TokenizerKind {
    /// sacreBLEU's default tokenizer for a target language (its `-l SRC-TGT`):
    /// `zh` for Chinese, `ja-mecab` / `ko-mecab` for Japanese and Korean (which
    /// tqscore does not have: an error says so), `13a` for everything else.
    pub fn for_language(target: &str) -> Result<TokenizerKind, MissingTokenizer> {
        match target.to_ascii_lowercase().as_str() {
            "zh" => Ok(TokenizerKind::Zh),
            "ja" => Err(MissingTokenizer { language: "ja", sacrebleu: "ja-mecab" }),
            "ko" => Err(MissingTokenizer { language: "ko", sacrebleu: "ko-mecab" }),
            _ => Ok(TokenizerKind::Mteval13a),
        }
    }
}

/// Error for a language whose sacreBLEU default tokenizer needs MeCab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingTokenizer {
    /// The target language code.
    pub language: &'static str,
    /// sacreBLEU's tokenizer for it.
    pub sacrebleu: &'static str,
}

impl fmt::Display for MissingTokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "sacreBLEU tokenizes '{}' with {} (MeCab), which tqscore does not include\n  hint: pass --tokenize \
             char for a character-level BLEU (its signature says tok:char, so it is not comparable with {} scores)",
            self.language, self.sacrebleu, self.sacrebleu
        )
    }
}

impl std::error::Error for MissingTokenizer {}

/// Whether `text` is mostly written in a script without spaces between words
/// (Chinese, Japanese, Korean: at least 30% of its letters), where the `13a`
/// tokenizer makes each run of characters between spaces one "word".
pub fn looks_cjk(text: &str) -> bool {
    let (mut letters, mut cjk) = (0usize, 0usize);
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        let code = c as u32;
        let is_cjk = matches!(code,
            0x3040..=0x30FF      // Hiragana, Katakana
            | 0x3400..=0x4DBF    // CJK Extension A
            | 0x4E00..=0x9FFF    // CJK Unified Ideographs
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
            | 0x20000..=0x2FA1F  // CJK Extensions B-F, Compatibility Supplement
        );
        cjk += usize::from(is_cjk);
    }
    letters > 0 && cjk * 10 >= letters * 3
}

impl fmt::Display for TokenizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error for an unknown tokenizer name; lists the valid ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTokenizer(pub String);

impl fmt::Display for UnknownTokenizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = TokenizerKind::ALL.iter().map(|t| t.name()).collect();
        write!(f, "unknown tokenizer '{}' (choose one of: {})", self.0, names.join(", "))
    }
}

impl std::error::Error for UnknownTokenizer {}

impl FromStr for TokenizerKind {
    type Err = UnknownTokenizer;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TokenizerKind::ALL.into_iter().find(|t| t.name() == s).ok_or_else(|| UnknownTokenizer(s.to_string()))
    }
}

/// A tokenizer with its reusable work buffers. Create one per thread.
#[derive(Debug, Default)]
pub struct Tokenizer {
    kind: TokenizerKind,
    bytes: Vec<u8>,
    spare: Vec<u8>,
    /// Where `13a` tokens may end, one bit per byte.
    marks: Vec<u64>,
    /// The byte ranges of a line's `13a` tokens.
    spans: Vec<(usize, usize)>,
    chars: Vec<char>,
    spare_chars: Vec<char>,
}

impl Tokenizer {
    /// A tokenizer of the given kind.
    pub fn new(kind: TokenizerKind) -> Self {
        Tokenizer { kind, ..Default::default() }
    }

    /// Which tokenizer this is.
    pub fn kind(&self) -> TokenizerKind {
        self.kind
    }

    /// The tokens of `line`, as sacreBLEU's tokenizer followed by `str.split()`
    /// gives them, each as the UTF-8 bytes of a whole token (n-gram counting
    /// compares bytes, so the rewritten line is never validated as UTF-8 again).
    pub fn tokens<'a>(&'a mut self, line: &'a str) -> Tokens<'a> {
        let rewritten = match self.kind {
            TokenizerKind::None => line.as_bytes(),
            TokenizerKind::Char => return Tokens::Chars(line.char_indices(), line),
            TokenizerKind::Mteval13a => {
                return Tokens::Mteval13a(regexp::tokenize_13a(line, &mut self.bytes, &mut self.marks, &mut self.spans))
            }
            TokenizerKind::Zh => {
                regexp::tokenize_zh(py_strip(line), &mut self.bytes, &mut self.spare);
                &self.bytes
            }
            TokenizerKind::Intl => {
                unicode_classes::tokenize_intl(line, &mut self.chars, &mut self.spare_chars, &mut self.bytes);
                &self.bytes
            }
        };
        Tokens::Words(py_split_bytes(rewritten))
    }

    /// Call `each` with every token of `line` (as [`Tokenizer::tokens`] yields
    /// them). The hot path of corpus BLEU: the `13a` scan runs as a plain loop,
    /// without dispatching on the tokenizer per token.
    #[inline]
    pub fn for_each_token(&mut self, line: &str, each: impl FnMut(&[u8])) {
        if self.kind == TokenizerKind::Mteval13a {
            regexp::for_each_token_13a(line, &mut self.bytes, &mut self.marks, each);
        } else {
            self.tokens(line).for_each(each);
        }
    }

    /// The tokenized line as sacreBLEU returns it: tokens joined by single spaces.
    pub fn tokenize_to_string(&mut self, line: &str) -> String {
        let tokens: Vec<Cow<'_, str>> = self.tokens(line).map(String::from_utf8_lossy).collect();
        tokens.join(" ")
    }
}

/// Iterator over the tokens of one line; see [`Tokenizer::tokens`].
#[derive(Debug)]
pub enum Tokens<'a> {
    /// Whitespace-separated words of a (possibly rewritten) line.
    Words(PySplitBytes<'a>),
    /// Single non-whitespace characters of the original line.
    Chars(std::str::CharIndices<'a>, &'a str),
    /// The `13a` tokens of a line, found in one scan.
    Mteval13a(regexp::Tokens13a<'a>),
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        match self {
            Tokens::Words(words) => words.next(),
            Tokens::Mteval13a(tokens) => tokens.next(),
            Tokens::Chars(chars, line) => loop {
                let (i, c) = chars.next()?;
                if !is_py_whitespace(c) {
                    return Some(&line.as_bytes()[i..i + c.len_utf8()]);
                }
            },
        }
    }
}

/// One `re.sub` of a single-unit pattern `(X)` -> ` \1 `: surround every unit
/// for which `is_match` holds with `pad`. The result replaces `units`.
/// Runs of units without a match are copied in bulk.
fn pad_each<T: Copy>(units: &mut Vec<T>, spare: &mut Vec<T>, pad: T, is_match: impl Fn(T) -> bool) {
    spare.clear();
    let mut run_start = 0;
    for (i, &u) in units.iter().enumerate() {
        if is_match(u) {
            spare.extend_from_slice(&units[run_start..i]);
            spare.extend_from_slice(&[pad, u, pad]);
            run_start = i + 1;
        }
    }
    spare.extend_from_slice(&units[run_start..]);
    std::mem::swap(units, spare);
}

/// One `re.sub` of a two-unit pattern without alternation, as Python scans it:
/// left to right, where `matches(a, b)` holds for the pair at the cursor the
/// pair is `replace`d and skipped, otherwise the cursor moves one unit. The
/// result replaces `units`; runs of units without a match are copied in bulk.
#[inline]
fn substitute_pairs<T: Copy>(
    units: &mut Vec<T>,
    spare: &mut Vec<T>,
    matches: impl Fn(T, T) -> bool,
    replace: impl Fn(T, T, &mut Vec<T>),
) {
    spare.clear();
    let mut run_start = 0;
    let mut i = 0;
    while i + 1 < units.len() {
        if matches(units[i], units[i + 1]) {
            spare.extend_from_slice(&units[run_start..i]);
            replace(units[i], units[i + 1], spare);
            i += 2;
            run_start = i;
        } else {
            i += 1;
        }
    }
    spare.extend_from_slice(&units[run_start..]);
    std::mem::swap(units, spare);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(kind: TokenizerKind, s: &str) -> String {
        Tokenizer::new(kind).tokenize_to_string(s)
    }

    #[test]
    fn mteval_13a_splits_punctuation_but_not_numbers() {
        assert_eq!(
            tok(TokenizerKind::Mteval13a, "Hello, world! It costs $3,000.50 (approx.)."),
            "Hello , world ! It costs $ 3,000.50 ( approx . ) ."
        );
        assert_eq!(tok(TokenizerKind::Mteval13a, "1990-2000 U.S.-backed"), "1990 - 2000 U . S . -backed");
        assert_eq!(tok(TokenizerKind::Mteval13a, "a &amp; b &quot;c&quot;"), "a & b \" c \"");
        assert_eq!(tok(TokenizerKind::Mteval13a, "<skipped> end."), "end .");
    }

    #[test]
    fn intl_splits_unicode_punctuation_and_symbols() {
        assert_eq!(tok(TokenizerKind::Intl, "“Quote,” he said — 5€."), "“ Quote , ” he said — 5 € .");
        assert_eq!(tok(TokenizerKind::Intl, "Year 2000."), "Year 2000.");
    }

    #[test]
    fn language_defaults_follow_sacrebleu() {
        assert_eq!(TokenizerKind::for_language("zh"), Ok(TokenizerKind::Zh));
        assert_eq!(TokenizerKind::for_language("de"), Ok(TokenizerKind::Mteval13a));
        let missing = TokenizerKind::for_language("ja").unwrap_err();
        assert_eq!(missing.sacrebleu, "ja-mecab");
        assert!(missing.to_string().contains("--tokenize char"), "{missing}");
        assert!(TokenizerKind::for_language("KO").is_err());
    }

    #[test]
    fn cjk_text_is_recognised_by_its_share_of_letters() {
        assert!(looks_cjk("俄罗斯总统普京周四会见了美国特使。"));
        assert!(looks_cjk("東京で会議が開かれた。Tokyo"));
        assert!(looks_cjk("서울에서 회의가 열렸다."));
        assert!(!looks_cjk("Putin met Witkoff in Moscow (莫斯科)."));
        assert!(!looks_cjk("12345 !!!"));
    }

    #[test]
    fn char_and_none_tokenizers() {
        assert_eq!(tok(TokenizerKind::Char, "ab c"), "a b c");
        assert_eq!(tok(TokenizerKind::None, " a,b  c. "), "a,b c.");
    }

    #[test]
    fn zh_separates_cjk_characters_and_its_quirky_range() {
        assert_eq!(tok(TokenizerKind::Zh, "我爱北京, ok."), "我 爱 北 京 , ok .");
        // U+2001..U+2A6D count as Chinese (sacreBLEU compares two-character strings).
        assert_eq!(tok(TokenizerKind::Zh, "a“b”c"), "a “ b ” c");
    }

    #[test]
    fn unknown_tokenizer_lists_choices() {
        let err = "13b".parse::<TokenizerKind>().unwrap_err();
        assert_eq!(err.to_string(), "unknown tokenizer '13b' (choose one of: 13a, intl, char, zh, none)");
    }
}
