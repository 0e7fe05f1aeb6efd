//! Comparing two renderings of a name: diacritic folding, a transliteration
//! skeleton, fuzzy similarity, and the derivation guard.

use unicode_normalization::UnicodeNormalization;

/// Lowercase without diacritics: `Erdoğan` → `erdogan`, `Kalın` → `kalin`, `Łódź` → `lodz`.
pub fn fold_diacritics(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            'ı' => out.push('i'),
            'ł' | 'Ł' => out.push('l'),
            'ø' | 'Ø' => out.push('o'),
            'đ' | 'Đ' => out.push('d'),
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A transliteration skeleton: letters that transliterations of the same
/// sound turn into are merged (`Witkoff`/`Witkov` → `vitkov`, `Vikov`/`Vickov`
/// → `vikov`, `Putin`/`Pudin` → `putin`), and doubled letters collapsed.
pub fn skeleton(name: &str) -> String {
    let mut s = fold_diacritics(name);
    s.retain(char::is_alphanumeric);
    for (from, to) in [("ph", "f"), ("ck", "k"), ("ff", "v"), ("w", "v"), ("f", "v"), ("c", "k"), ("q", "k")] {
        s = s.replace(from, to);
    }
    for (from, to) in [("x", "ks"), ("d", "t"), ("b", "p"), ("g", "k"), ("z", "s"), ("j", "i"), ("y", "i"), ("kh", "h")]
    {
        s = s.replace(from, to);
    }
    let mut collapsed = String::with_capacity(s.len());
    for c in s.chars() {
        if !collapsed.ends_with(c) {
            collapsed.push(c);
        }
    }
    collapsed
}

/// How alike two name tokens sound: 1.0 for equal skeletons, otherwise the
/// larger of Jaro-Winkler and normalised Levenshtein similarity of the skeletons.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (sa, sb) = (skeleton(a), skeleton(b));
    if sa == sb {
        return 1.0;
    }
    let longest = sa.chars().count().max(sb.chars().count()).max(1);
    let lev = 1.0 - strsim::levenshtein(&sa, &sb) as f64 / longest as f64;
    strsim::jaro_winkler(&sa, &sb).max(lev)
}

/// Irregular country/demonym pairs that no suffix rule derives.
const DEMONYMS: &[(&str, &str)] = &[
    ("britain", "british"),
    ("france", "french"),
    ("netherlands", "dutch"),
    ("holland", "dutch"),
    ("switzerland", "swiss"),
    ("poland", "polish"),
    ("wales", "welsh"),
    ("spain", "spanish"),
    ("greece", "greek"),
    ("denmark", "danish"),
    ("sweden", "swedish"),
    ("finland", "finnish"),
    ("ireland", "irish"),
    ("israel", "israeli"),
];

/// Whether one word is a derivation of the other (`Ukraine`/`Ukrainian`,
/// `Russia`/`Russian`, `China`/`Chinese`, `Britain`/`British`): a different
/// word, not a misspelling.
pub fn is_derivation(a: &str, b: &str) -> bool {
    let (a, b) = (fold_diacritics(a), fold_diacritics(b));
    if a == b {
        return false;
    }
    if DEMONYMS.iter().any(|&(x, y)| (a == x && b == y) || (a == y && b == x)) {
        return true;
    }
    let (short, long): (Vec<char>, Vec<char>) = if a.chars().count() < b.chars().count() {
        (a.chars().collect(), b.chars().collect())
    } else if b.chars().count() < a.chars().count() {
        (b.chars().collect(), a.chars().collect())
    } else {
        return false; // equal lengths: a spelling difference, not a suffix
    };
    let common = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    let long_rest: String = long[common..].iter().collect();
    const SUFFIXES: &[&str] =
        &["ian", "ians", "an", "ans", "ese", "ish", "ic", "i", "is", "ean", "n", "ns", "er", "ers"];
    common >= 4 && short.len() - common <= 2 && SUFFIXES.contains(&long_rest.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skeletons_merge_transliterations() {
        assert_eq!(skeleton("Witkoff"), "vitkov");
        assert_eq!(skeleton("Witkov"), "vitkov");
        assert_eq!(skeleton("Vikov"), "vikov");
        assert_eq!(skeleton("Vickov"), "vikov");
        assert_eq!(skeleton("Putin"), skeleton("Pudin"));
        assert_eq!(skeleton("Odesa"), skeleton("Odessa"));
        assert_eq!(fold_diacritics("Erdoğan"), "erdogan");
    }

    #[test]
    fn similarity_finds_variants_but_not_different_names() {
        assert!(similarity("Witkoff", "Vikov") >= 0.8);
        assert!(similarity("Zelenskyy", "Zelensky") >= 0.8);
        assert!(similarity("Kyiv", "Kiev") >= 0.8);
        assert!(similarity("Putin", "Biden") < 0.8);
        assert!(similarity("Lavrov", "Peskov") < 0.8);
    }

    #[test]
    fn derivations_are_not_variants() {
        assert!(is_derivation("Ukraine", "Ukrainian"));
        assert!(is_derivation("Russia", "Russian"));
        assert!(is_derivation("China", "Chinese"));
        assert!(is_derivation("Britain", "British"));
        assert!(!is_derivation("Zelensky", "Zelenskyy"));
        assert!(!is_derivation("Putin", "Pudin"));
        assert!(!is_derivation("Dmitry", "Dmitri"));
        assert!(!is_derivation("Zelensky", "Zelenskiy"));
    }
}
