//! Normalising article text before segmentation and matching.
//!
//! Articles come from different pipelines: one writes `’` and `“ ”`, the other
//! `'` and `"`; one composes `é`, the other writes `e` + U+0301. Both are made
//! canonical (Unicode NFC) and, by default, typographic quotes and apostrophes
//! are folded to ASCII, so `Peskov’s` matches `Peskov's`. NFKC is not enough:
//! it leaves curly quotes alone. Folding is recorded in report signatures
//! (`fold:yes`), because it changes BLEU.

use unicode_normalization::UnicodeNormalization;

/// How to normalise article text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalization {
    /// Fold typographic quotes and apostrophes to `'` and `"`.
    pub fold_quotes: bool,
}

impl Default for Normalization {
    fn default() -> Self {
        Normalization { fold_quotes: true }
    }
}

/// The ASCII stand-in for a typographic quote or apostrophe, if `c` is one.
pub fn fold_quote(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '\u{FF07}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}' => Some('"'),
        _ => None,
    }
}

/// NFC-normalise `text` and, if asked, fold quotes.
pub fn normalize(text: &str, how: Normalization) -> String {
    let nfc = text.nfc();
    if how.fold_quotes {
        nfc.map(|c| fold_quote(c).unwrap_or(c)).collect()
    } else {
        nfc.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_curly_quotes_and_composes_accents() {
        let text = "Mr. Peskov\u{2019}s \u{201C}optimism\u{201D} in Erdog\u{306}an";
        assert_eq!(normalize(text, Normalization::default()), "Mr. Peskov's \"optimism\" in Erdoğan");
        assert_eq!(
            normalize(text, Normalization { fold_quotes: false }),
            "Mr. Peskov\u{2019}s \u{201C}optimism\u{201D} in Erdoğan"
        );
    }
}
