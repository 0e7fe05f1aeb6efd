//! The `intl` tokenizer (mteval-v14 international), on Unicode general categories.
//!
//! sacreBLEU applies, in order: `(\P{N})(\p{P})` -> `\1 \2 `, `(\p{P})(\P{N})` ->
//! ` \1 \2`, `(\p{S})` -> ` \1 `, then joins the whitespace-separated words.

use super::{pad_each, substitute_pairs};
use unicode_general_category::{get_general_category, GeneralCategory as Gc};

fn is_number(c: char) -> bool {
    matches!(get_general_category(c), Gc::DecimalNumber | Gc::LetterNumber | Gc::OtherNumber)
}

fn is_punctuation(c: char) -> bool {
    matches!(
        get_general_category(c),
        Gc::ConnectorPunctuation
            | Gc::DashPunctuation
            | Gc::OpenPunctuation
            | Gc::ClosePunctuation
            | Gc::InitialPunctuation
            | Gc::FinalPunctuation
            | Gc::OtherPunctuation
    )
}

fn is_symbol(c: char) -> bool {
    matches!(get_general_category(c), Gc::MathSymbol | Gc::CurrencySymbol | Gc::ModifierSymbol | Gc::OtherSymbol)
}

/// Tokenize `line` with the `intl` rules into the UTF-8 bytes `out` (whitespace still to be split).
pub(super) fn tokenize_intl(line: &str, chars: &mut Vec<char>, spare: &mut Vec<char>, out: &mut Vec<u8>) {
    chars.clear();
    chars.extend(line.chars());
    // Pure ASCII letters, digits and spaces have nothing to split; skip the passes.
    if chars.iter().any(|&c| !(c.is_ascii_alphanumeric() || c == ' ')) {
        substitute_pairs(
            chars,
            spare,
            |a, b| !is_number(a) && is_punctuation(b),
            |a, b, o| o.extend_from_slice(&[a, ' ', b, ' ']),
        );
        substitute_pairs(
            chars,
            spare,
            |a, b| is_punctuation(a) && !is_number(b),
            |a, b, o| o.extend_from_slice(&[' ', a, ' ', b]),
        );
        pad_each(chars, spare, ' ', is_symbol);
    }
    out.clear();
    let mut utf8 = [0u8; 4];
    for c in chars.iter() {
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}
