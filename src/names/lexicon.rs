//! An English word list, to tell capitalised common words from names.
//!
//! Capitalisation alone over-detects names: sentence-initial words, title-case
//! headlines and capitalised common words inside names (`Navy`, `Parade`) all
//! look alike. A word list answers two questions a NER-free checker needs:
//! is this a *common* English word (its lowercase form is listed in lowercase:
//! `navy`, `eagle`, `region`), and is it a *known* English word at all (listed
//! in any case, which includes well-known proper names such as `Moscow`,
//! `Antarctica` or `Vladimir`)?
//!
//! The list is SCOWL size 50 as Debian ships it (`wamerican` 2020.12.07-2,
//! `/usr/share/dict/american-english`, possessive `'s` entries removed):
//! a maintained, permissively licensed list (see `data/wordlist/COPYRIGHT`),
//! embedded in the binary so tqscore needs no system dictionary.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashSet;

/// The word list, one word per line, sorted by bytes.
static WORD_LIST: &str = include_str!("../../data/wordlist/english-words.txt");

fn words() -> &'static FxHashSet<&'static str> {
    static WORDS: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| {
        // Sized up front: growing a set of 100,000 words rehashes it many times.
        let mut set = FxHashSet::with_capacity_and_hasher(
            WORD_LIST.bytes().filter(|&b| b == b'\n').count() + 1,
            Default::default(),
        );
        set.extend(WORD_LIST.lines());
        set
    })
}

/// Whether `word` is listed exactly as written.
pub fn is_listed(word: &str) -> bool {
    words().contains(word)
}

/// Generic terms of Russian place and institution names in transliteration
/// (`Khabarovsk Krai`, `Seleznev ulitsa`, `Admiral Flota Kasatonov`): common
/// nouns in Russian, which translations render as `Region`, `Street`, `Fleet`.
const RUSSIAN_GENERIC_TERMS: &[&str] = &[
    "krai",
    "kray",
    "oblast",
    "okrug",
    "raion",
    "rayon",
    "ulitsa",
    "prospekt",
    "pereulok",
    "ploshchad",
    "naberezhnaya",
    "shosse",
    "bulvar",
    "proyezd",
    "flota",
    "flot",
    "gorod",
    "selo",
    "posyolok",
    "respublika",
    "guberniya",
    "uyezd",
    "reka",
    "ozero",
    "gora",
    "zavod",
    "verf",
];

/// Whether `word` is a common word: its lowercase form is listed
/// (`Navy` → `navy`, `Eagle` → `eagle`; not `Putin` or `Orel`), or it is a
/// generic term of Russian names (`Krai`, `Flota`).
pub fn is_common_word(word: &str) -> bool {
    let lower: Cow<'_, str> =
        if word.chars().any(char::is_uppercase) { word.to_lowercase().into() } else { word.into() };
    is_listed(&lower) || RUSSIAN_GENERIC_TERMS.contains(&&*lower)
}

/// Whether `word` is listed as a proper name: capitalised (`Trump`, `Marine`,
/// `Turing`, `Moscow`), whatever else it is listed as.
pub fn is_proper_name(word: &str) -> bool {
    is_listed(&capitalised(word))
}

/// `word` with its first letter upper case and the rest lower case (borrowed when it already is).
fn capitalised(word: &str) -> Cow<'_, str> {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) if first.is_uppercase() && !chars.clone().any(char::is_uppercase) => word.into(),
        Some(first) => first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect::<String>().into(),
        None => word.into(),
    }
}

/// Whether `word` is listed in any of its forms: lowercase, as written, or
/// capitalised (`Antarctica`, `Moscow`, `naval`, `NATO`).
pub fn is_known_word(word: &str) -> bool {
    is_listed(word) || is_common_word(word) || is_proper_name(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_proper_names_and_unknown_forms() {
        for common in ["Navy", "eagle", "Region", "Parade", "Emergencies", "naval", "Krai"] {
            assert!(is_common_word(common), "{common}");
        }
        for proper in ["Putin", "Orel", "Stavropolskaya", "Moscow", "Antarctica"] {
            assert!(!is_common_word(proper), "{proper}");
        }
        for known in ["Antarctica", "Antarctic", "Moscow", "Vladimir", "NATO", "naval", "Finnish"] {
            assert!(is_known_word(known), "{known}");
        }
        for unknown in ["Stavropolskaya", "Selezneva", "Khabarovsky", "Vikov", ""] {
            assert!(!is_known_word(unknown), "{unknown}");
        }
    }
}
