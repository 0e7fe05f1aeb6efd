//! Comparing two renderings of a name: keys, a transliteration skeleton,
//! fuzzy similarity, graded closeness, and the derivation rules that tell a
//! different *word* (`Russia`/`Russian`, correct) from a different *spelling*
//! (`Seleznev`/`Selezneva`, a transliterated Russian case form: a variant).

use unicode_normalization::UnicodeNormalization;

use super::lexicon;

/// Lowercase without diacritics: `Erdoğan` → `erdogan`, `Kalın` → `kalin`, `Łódź` → `lodz`.
pub fn fold_diacritics(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
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

/// The form two renderings share when they are the same word: case and
/// diacritics folded, periods and apostrophes dropped (`U.S.` → `us`, `O’Neill` → `oneill`).
pub fn key(word: &str) -> String {
    let mut folded = fold_diacritics(word);
    folded.retain(|c| !matches!(c, '.' | '\'' | '’'));
    folded
}

/// A transliteration skeleton: letters that transliterations of the same
/// sound turn into are merged (`Witkoff`/`Witkov` → `vitkov`, `Vikov`/`Vickov`
/// → `vikov`, `Putin`/`Pudin` → `putin`), and doubled letters collapsed.
///
/// The rules, over the folded letters and digits: `ph` → f and `ck` → k;
/// w, f → v; c, q, g → k; d → t; b → p; z → s; j, y → i; x → ks; then `kh`
/// → h; then a letter equal to the one before is dropped.
pub fn skeleton(name: &str) -> String {
    let folded = fold_diacritics(name);
    let mut letters = folded.chars().filter(|c| c.is_alphanumeric()).peekable();
    let mut mapped = String::with_capacity(folded.len() + 2);
    while let Some(c) = letters.next() {
        match (c, letters.peek()) {
            ('p', Some('h')) => {
                letters.next();
                mapped.push('v');
            }
            ('f' | 'w', _) => mapped.push('v'),
            ('c', Some('k')) => {
                letters.next();
                mapped.push('k');
            }
            ('c' | 'q' | 'g', _) => mapped.push('k'),
            ('d', _) => mapped.push('t'),
            ('b', _) => mapped.push('p'),
            ('z', _) => mapped.push('s'),
            ('j' | 'y', _) => mapped.push('i'),
            ('x', _) => mapped.push_str("ks"),
            _ => mapped.push(c),
        }
    }
    // `kh` → h, then a letter equal to the one before dropped, in one pass.
    let mut collapsed = String::with_capacity(mapped.len());
    let mut chars = mapped.chars().peekable();
    while let Some(c) = chars.next() {
        if c == 'k' && chars.peek() == Some(&'h') {
            continue;
        }
        if !collapsed.ends_with(c) {
            collapsed.push(c);
        }
    }
    collapsed
}

/// How alike two name tokens sound: 1.0 for equal skeletons, otherwise the
/// largest of the Jaro-Winkler and normalised Levenshtein similarities of the
/// skeletons and the Jaro-Winkler similarity of the keys (the skeleton merges
/// letters, which can hide a likeness the spelling keeps: `Texas`/`Tekhas`).
pub fn similarity(a: &str, b: &str) -> f64 {
    similarity_of((&key(a), &skeleton(a)), (&key(b), &skeleton(b)))
}

/// [`similarity`] of precomputed `(key, skeleton)` pairs.
pub fn similarity_of((key_a, skeleton_a): (&str, &str), (key_b, skeleton_b): (&str, &str)) -> f64 {
    if skeleton_a == skeleton_b {
        return 1.0;
    }
    let longest = skeleton_a.chars().count().max(skeleton_b.chars().count()).max(1);
    let lev = 1.0 - strsim::levenshtein(skeleton_a, skeleton_b) as f64 / longest as f64;
    strsim::jaro_winkler(skeleton_a, skeleton_b).max(lev).max(strsim::jaro_winkler(key_a, key_b))
}

/// The NEWS transliteration shared task's F-score of a rendering: with L the
/// longest common subsequence of the two folded strings, precision L/|candidate|,
/// recall L/|reference|, and F their harmonic mean (1 for equal strings).
pub fn news_f_score(reference: &str, candidate: &str) -> f64 {
    let (r, c): (Vec<char>, Vec<char>) = (key(reference).chars().collect(), key(candidate).chars().collect());
    if r.is_empty() || c.is_empty() {
        return 0.0;
    }
    let mut row = vec![0usize; c.len() + 1];
    for &rc in &r {
        let mut diagonal = 0;
        for (j, &cc) in c.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if rc == cc { diagonal + 1 } else { above.max(row[j]) };
            diagonal = above;
        }
    }
    let lcs = row[c.len()] as f64;
    if lcs == 0.0 {
        return 0.0;
    }
    let (precision, recall) = (lcs / c.len() as f64, lcs / r.len() as f64);
    2.0 * precision * recall / (precision + recall)
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
    ("norway", "norwegian"),
    ("peru", "peruvian"),
];

/// English derivational and inflectional endings (`Russia`+`n`, `Biolog`+`ical`).
const ENGLISH_SUFFIXES: &[&str] = &[
    "ians", "ian", "ans", "an", "ns", "n", "ese", "ish", "ical", "ics", "ic", "ional", "al", "onia", "ia", "a", "is",
    "i", "ies", "es", "s", "erns", "ern", "ers", "er", "ists", "ist", "ism", "ity", "ey", "en", "ite", "ites", "y",
    "e", "o",
];

/// The ways `word` splits into a stem (of at least 3 letters) and an English
/// ending, the whole word counting as a stem with an empty ending.
fn english_stems(word: &str) -> Vec<(&str, &'static str)> {
    let mut stems = vec![(word, "")];
    for suffix in ENGLISH_SUFFIXES {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.chars().count() >= 3 {
                stems.push((stem, *suffix));
            }
        }
    }
    stems
}

/// A lone vowel or `y`: endings that spell the same sound differently
/// (`Sergei`/`Sergey`, `Joanna`/`Joanne`), which a derivation never is.
fn is_spelling_ending(ending: &str) -> bool {
    matches!(ending, "a" | "e" | "i" | "o" | "y")
}

/// Whether two different words are English derivations of each other
/// (`Russia`/`Russian`, `Ukraine`/`Ukrainian`, `Navy`/`naval`,
/// `Antarctic`/`Antarctica`, `Emergency`/`Emergencies`, `Britain`/`British`):
/// both are listed English words and they share a stem with English endings,
/// not merely two spellings of one ending (`Sergei`/`Sergey` is a variant).
pub fn is_english_derivation(a: &str, b: &str) -> bool {
    let (a, b) = (key(a), key(b));
    if a == b {
        return false;
    }
    if DEMONYMS.iter().any(|&(x, y)| (a == x && b == y) || (a == y && b == x)) {
        return true;
    }
    // Listed words may differ by any English ending; unlisted ones (names)
    // only by derivational endings of two letters or more (`Wagnerians`/
    // `Wagnerites`, `Kiev`/`Kievan`), since single letters are how
    // transliterations and Russian case forms differ (`Seleznev`/`Selezneva`).
    let listed = lexicon::is_known_word(&a) && lexicon::is_known_word(&b);
    let stems_b = english_stems(&b);
    english_stems(&a).iter().any(|&(stem, end_a)| {
        stems_b.iter().any(|&(other, end_b)| {
            (other == stem || doubles_last_consonant(stem, other) || doubles_last_consonant(other, stem))
                && end_a != end_b
                && !(is_spelling_ending(end_a) && is_spelling_ending(end_b))
                && (listed || (stem.chars().count() >= 5 && end_a.len() != 1 && end_b.len() != 1))
        })
    })
}

/// Whether `long` is `short` with its last consonant doubled, as English
/// doubles it before an ending (`Belarus`/`Belarussian`).
fn doubles_last_consonant(short: &str, long: &str) -> bool {
    long.strip_prefix(short).is_some_and(|extra| {
        let mut chars = extra.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if short.ends_with(c) && !"aeiouy".contains(c))
    })
}

/// British endings and their American spellings (`Labour`/`Labor`,
/// `Centre`/`Center`, `Defence`/`Defense`, `Organisation`/`Organization`).
const BRITISH_TO_AMERICAN: &[(&str, &str)] = &[
    ("our", "or"),
    ("ours", "ors"),
    ("re", "er"),
    ("res", "ers"),
    ("ence", "ense"),
    ("ise", "ize"),
    ("isation", "ization"),
    ("yse", "yze"),
];

/// Whether two words are the British and the American spelling of one
/// English word (`Labour`/`Labor`): the same word, not a variant. The American
/// form must be in the word list (which is American English).
pub fn is_spelling_variant(a: &str, b: &str) -> bool {
    let (a, b) = (key(a), key(b));
    let american = |word: &str| {
        BRITISH_TO_AMERICAN.iter().find_map(|(british, american)| {
            word.strip_suffix(british).filter(|stem| stem.len() >= 3).map(|stem| format!("{stem}{american}"))
        })
    };
    let respells =
        |british: &str, other: &str| american(british).as_deref() == Some(other) && lexicon::is_known_word(other);
    respells(&a, &b) || respells(&b, &a)
}

/// Endings of transliterated Russian adjectives and case forms of names
/// (`Stavropol`→`Stavropolskaya`, `Khabarovsk`→`Khabarovsky`, `Seleznev`→`Selezneva`).
const RUSSIAN_ENDINGS: &[&str] = &[
    "skaya", "skoye", "skoe", "skiy", "skii", "skij", "sky", "ski", "ensky", "insky", "aya", "oye", "oe", "iy", "yy",
    "yi", "ogo", "ovo", "evo", "ova", "eva", "ina", "ov", "ev", "a", "y", "i", "u",
];

/// Whether `form` is `base` with a transliterated Russian adjectival or case
/// ending (`Stavropol`/`Stavropolskaya`, `Karasun`/`Karasunsky`,
/// `Atarbekov`/`Atarbekova`), or the other way round (`Kamchatsky`/`Kamchatsk`).
pub fn is_russian_form(a: &str, b: &str) -> bool {
    let (a, b) = (key(a), key(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.chars().count() < 4 || short == long {
        return false;
    }
    let long = long.as_str();
    let has_ending = |base: &str| {
        base.chars().count() >= 4 && long.strip_prefix(base).is_some_and(|ending| RUSSIAN_ENDINGS.contains(&ending))
    };
    has_ending(&short) || short.strip_suffix(['a', 'e', 'i', 'o', 'y']).is_some_and(has_ending)
}

/// Whether `acronym` (`NATO`, `EMERCOM`, `UN`) spells the initials of `words`,
/// ignoring the small words of names (`of`, `the`, `and`, `for`).
pub fn is_acronym_of(acronym: &str, words: &[&str]) -> bool {
    let letters: Vec<char> = acronym.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    if letters.len() < 2 || !acronym.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        return false;
    }
    let initials: Vec<char> = words
        .iter()
        .filter(|w| !matches!(w.to_lowercase().as_str(), "of" | "the" | "and" | "for" | "on" | "in"))
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_lowercase)
        .collect();
    initials == letters
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
        assert_eq!(key("U.S."), "us");
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
    fn news_f_score_is_lcs_based() {
        assert_eq!(news_f_score("Putin", "Putin"), 1.0);
        // LCS of witkoff/vikov is "iko" (3): P = 3/5, R = 3/7.
        let f = news_f_score("Witkoff", "Vikov");
        let (p, r) = (3.0 / 5.0, 3.0 / 7.0);
        assert!((f - 2.0 * p * r / (p + r)).abs() < 1e-12, "{f}");
        assert_eq!(news_f_score("Orel", "Zzz"), 0.0);
    }

    #[test]
    fn english_derivations_are_not_variants() {
        for (a, b) in [
            ("Ukraine", "Ukrainian"),
            ("Russia", "Russian"),
            ("Britain", "British"),
            ("Navy", "naval"),
            ("Antarctic", "Antarctica"),
            ("Emergency", "Emergencies"),
            ("Yugoslav", "Yugoslavia"),
            ("Olympic", "Olympics"),
            ("Mexico", "Mexican"),
            ("Biology", "Biological"),
            ("Belarus", "Belarussian"),
            ("Congress", "congressional"),
        ] {
            assert!(is_english_derivation(a, b), "{a}/{b}");
        }
        for (a, b) in [("Sergei", "Sergey"), ("Andrei", "Andrey"), ("Putin", "Pudin"), ("Zelensky", "Zelenskyy")] {
            assert!(!is_english_derivation(a, b), "{a}/{b}");
        }
    }

    #[test]
    fn british_and_american_spellings_are_one_word() {
        for (a, b) in
            [("Labour", "Labor"), ("Centre", "Center"), ("Defence", "Defense"), ("Organisation", "Organization")]
        {
            assert!(is_spelling_variant(a, b) && is_spelling_variant(b, a), "{a}/{b}");
        }
        for (a, b) in [("Labour", "Labours"), ("Sergei", "Sergey"), ("Moore", "Moor")] {
            assert!(!is_spelling_variant(a, b), "{a}/{b}");
        }
    }

    #[test]
    fn russian_case_and_adjectival_forms() {
        for (a, b) in [
            ("Stavropol", "Stavropolskaya"),
            ("Khabarovsk", "Khabarovsky"),
            ("Karasun", "Karasunsky"),
            ("Seleznev", "Selezneva"),
            ("Kamchatsky", "Kamchatsk"),
        ] {
            assert!(is_russian_form(a, b), "{a}/{b}");
        }
        assert!(!is_russian_form("Putin", "Pudin"));
        assert!(!is_russian_form("Kyiv", "Kyivan"));
    }

    #[test]
    fn acronyms_spell_initials() {
        assert!(is_acronym_of("UN", &["United", "Nations"]));
        assert!(is_acronym_of("MES", &["Ministry", "of", "Emergency", "Situations"]));
        assert!(!is_acronym_of("EU", &["United", "Nations"]));
        assert!(!is_acronym_of("Un", &["United", "Nations"]));
    }
}
