//! Writing systems of texts: which script most letters of an article are
//! written in, so that a reference in another script than its candidate (the
//! source text passed as the reference, say) is noticed. Lexical alignment
//! cannot work across scripts; [`crate::align`] then aligns by sentence length.

use std::fmt;

/// A writing system, as far as telling languages apart needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Script {
    /// Latin letters (English, French, Czech, …).
    Latin,
    /// Greek letters.
    Greek,
    /// Cyrillic letters (Russian, Ukrainian, Serbian, …).
    Cyrillic,
    /// Armenian letters.
    Armenian,
    /// Georgian letters.
    Georgian,
    /// Hebrew letters.
    Hebrew,
    /// Arabic letters (Arabic, Persian, Urdu, …).
    Arabic,
    /// The Brahmic scripts of South Asia (Devanagari, Bengali, Tamil, …, Sinhala).
    Indic,
    /// Thai, Lao, Myanmar and Khmer.
    SoutheastAsian,
    /// Chinese characters with Japanese kana (Chinese, Japanese).
    Han,
    /// Korean Hangul.
    Hangul,
}

impl Script {
    /// The script of letter `c`, if it is one of the scripts above.
    pub fn of(c: char) -> Option<Script> {
        let script = match c as u32 {
            0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
            0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
            0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
            0x530..=0x58F => Script::Armenian,
            0x10A0..=0x10FF | 0x1C90..=0x1CBF => Script::Georgian,
            0x590..=0x5FF => Script::Hebrew,
            0x600..=0x6FF | 0x750..=0x77F | 0x8A0..=0x8FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => Script::Arabic,
            0x900..=0xDFF => Script::Indic,
            0xE00..=0xEFF | 0x1000..=0x109F | 0x1780..=0x17FF => Script::SoutheastAsian,
            0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F => Script::Han,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            _ => return None,
        };
        Some(script)
    }
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Script::Latin => "Latin",
            Script::Greek => "Greek",
            Script::Cyrillic => "Cyrillic",
            Script::Armenian => "Armenian",
            Script::Georgian => "Georgian",
            Script::Hebrew => "Hebrew",
            Script::Arabic => "Arabic",
            Script::Indic => "Indic",
            Script::SoutheastAsian => "Southeast Asian",
            Script::Han => "Chinese or Japanese",
            Script::Hangul => "Korean",
        };
        f.write_str(name)
    }
}

/// The script of most (more than half) of the letters of `texts`, if one has them.
pub fn dominant<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Script> {
    let mut counts = [0usize; 11];
    let mut letters = 0usize;
    for c in texts.into_iter().flat_map(str::chars).filter(|c| c.is_alphabetic()) {
        letters += 1;
        if let Some(script) = Script::of(c) {
            counts[script as usize] += 1;
        }
    }
    let (best, &count) = counts.iter().enumerate().max_by_key(|&(_, count)| *count)?;
    (count * 2 > letters).then(|| SCRIPTS[best])
}

/// Every [`Script`], in declaration order (its index is `script as usize`).
const SCRIPTS: [Script; 11] = [
    Script::Latin,
    Script::Greek,
    Script::Cyrillic,
    Script::Armenian,
    Script::Georgian,
    Script::Hebrew,
    Script::Arabic,
    Script::Indic,
    Script::SoutheastAsian,
    Script::Han,
    Script::Hangul,
];

/// The dominant scripts of a reference and a candidate when they differ
/// (both known): the reference cannot be a translation into the
/// candidate's language, and the two share almost no words.
pub fn mismatch<'a>(
    reference: impl IntoIterator<Item = &'a str>,
    candidate: impl IntoIterator<Item = &'a str>,
) -> Option<(Script, Script)> {
    match (dominant(reference), dominant(candidate)) {
        (Some(r), Some(c)) if r != c => Some((r, c)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_of_most_letters_wins() {
        assert_eq!(dominant(["Сомнолог назвала причины проблем со сном (Reuters)."]), Some(Script::Cyrillic));
        assert_eq!(dominant(["Putin met Witkoff in Moscow (莫斯科)."]), Some(Script::Latin));
        assert_eq!(dominant(["東京で会議が開かれた。"]), Some(Script::Han));
        assert_eq!(dominant(["서울에서 회의가 열렸다."]), Some(Script::Hangul));
        assert_eq!(dominant(["12345 !!!"]), None);
        assert_eq!(dominant(["abc где"]), None, "no script has more than half");
    }

    #[test]
    fn a_mismatch_needs_two_known_different_scripts() {
        let (russian, english) = ("Врач уточняет.", "The doctor clarifies.");
        assert_eq!(mismatch([russian], [english]), Some((Script::Cyrillic, Script::Latin)));
        assert_eq!(mismatch([english], ["Der Arzt präzisiert."]), None);
        assert_eq!(mismatch(["2024"], [english]), None);
    }
}
