//! Words of a sentence and the name mentions among them, without a NER model.
//!
//! A word is a name token when it is capitalised mid-sentence and is not a
//! title, honorific, month or weekday. Where capitalisation says nothing — the
//! first word of a sentence, a word after an opening quote, bracket or colon,
//! any word of a title-case headline — the word counts only with evidence: it
//! is not a common English word ([`super::lexicon`]: `Putin`, `Orel`), or the
//! same form is capitalised mid-sentence elsewhere in the documents outside
//! headlines ("case memory": `Navy` in "the Russian Navy" makes "Navy Day …" a
//! name), or it opens a multi-word name (`Russian Navy …`). Function words
//! (`The`, `However`) never get case memory, so "The Washington Post" does not
//! make every "The" a name. Possessives are stripped, hyphen compounds split
//! (`Trump-Pudin's` → Trump, Pudin), dotted acronyms kept (`U.S.`), single
//! initials dropped. Runs of adjacent name tokens form one mention
//! (`Steve Witkoff`), and a run that is a known alias (`United States`) is one unit.

use rustc_hash::FxHashSet as HashSet;
use std::sync::{Arc, OnceLock};

use super::aliases::Aliases;
use super::lexicon;
use super::matching;
use crate::segment::is_dotted_acronym;

/// Words that are capitalised but are not names (titles, honorifics, offices, calendar, pronoun I).
const STOPWORDS: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Fr",
    "Prof",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
    "Madam",
    "Father",
    "President",
    "Vice",
    "Prime",
    "Minister",
    "Ministers",
    "Secretary",
    "Senator",
    "Sen",
    "Rep",
    "Representative",
    "Congressman",
    "Congresswoman",
    "Gov",
    "Governor",
    "Acting",
    "General",
    "Gen",
    "Chancellor",
    "Emperor",
    "Empress",
    "Tsar",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
    "Patriarch",
    "Metropolitan",
    "Archbishop",
    "Bishop",
    "Sheikh",
    "Premier",
    "Mayor",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Director",
    "Ambassador",
    "Envoy",
    "Special",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Foreign",
    "Defence",
    "Defense",
    "Deputy",
    "Chief",
    "Head",
    "Leader",
    "Commander",
    "Admiral",
    "Marshal",
    "Colonel",
    "Major",
    "Captain",
    "Lieutenant",
    "Sergeant",
    "Judge",
    "Justice",
    "Speaker",
    "Professor",
    "Doctor",
    "Jr",
    "Sr",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "I",
    "I'm",
    "I've",
    "I'd",
    "I'll",
    "OK",
];

/// Capitalised words that open sentences without being names; they never
/// become names by case memory either.
const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "But",
    "And",
    "Or",
    "Nor",
    "So",
    "Yet",
    "In",
    "On",
    "At",
    "For",
    "From",
    "With",
    "By",
    "Of",
    "To",
    "As",
    "After",
    "Before",
    "When",
    "While",
    "If",
    "Since",
    "Until",
    "Although",
    "Though",
    "Because",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "He",
    "She",
    "It",
    "They",
    "We",
    "You",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "My",
    "Your",
    "Some",
    "Many",
    "Most",
    "All",
    "Both",
    "Each",
    "Every",
    "No",
    "Not",
    "According",
    "Meanwhile",
    "However",
    "Former",
    "Then",
    "Also",
    "Only",
    "Even",
    "Still",
    "Last",
    "Next",
    "Earlier",
    "Later",
    "Under",
    "Over",
    "During",
    "Despite",
    "Against",
    "Among",
    "Between",
    "Without",
    "Within",
    "Through",
    "Across",
    "Like",
    "Unlike",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Which",
    "Whether",
    "Such",
    "Other",
    "Another",
    "Several",
    "Few",
    "More",
    "Less",
    "Besides",
    "Previously",
];

/// Auxiliary verbs and relative words: with [`FUNCTION_WORDS`], the closed
/// class of English words, none of which translates a word of a name.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having", "do", "does", "did",
    "will", "would", "shall", "should", "can", "could", "may", "might", "must", "who", "whom", "whose", "which",
    "that",
];

static STOPWORD_SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
static FUNCTION_WORD_SET: OnceLock<HashSet<&'static str>> = OnceLock::new();

/// Whether `word` is one of `list`, looked up in `set` (built from `list` on first use).
fn listed_in(set: &OnceLock<HashSet<&'static str>>, list: &[&'static str], word: &str) -> bool {
    set.get_or_init(|| list.iter().copied().collect()).contains(word)
}

/// One word of a sentence, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word as written, without surrounding punctuation or a possessive
    /// (`Peskov's` → `Peskov`); each part of a hyphen compound is its own word.
    pub text: Arc<str>,
    /// The matching key ([`matching::key`]): case, diacritics, periods and apostrophes folded.
    pub key: Arc<str>,
    /// The transliteration skeleton ([`matching::skeleton`]).
    pub skeleton: Arc<str>,
    /// First word of the sentence, or after an opening quote, bracket or colon:
    /// capitalisation there says nothing about being a name.
    pub initial: bool,
    /// Directly follows the previous word inside one phrase (no comma or clause break).
    pub joined: bool,
    /// Opens with a quotation mark (`"Eagle"`): a quoted capitalised word reads as a name.
    pub quoted: bool,
    /// A part of a hyphen compound after its first (`M` of `Buyan-M`): a single letter there is a designation, not an initial.
    pub compound: bool,
    /// A common English word ([`lexicon::is_common_word`]: `Navy`, `Eagle`, `Krai`).
    pub common: bool,
    /// Listed as a proper name ([`lexicon::is_proper_name`]: `Trump`, `Marine`, `Moscow`).
    pub proper: bool,
    /// Listed in any form ([`lexicon::is_known_word`]).
    pub known: bool,
    /// Shaped like a name token, initials aside ([`looks_like_name`]).
    pub name_shaped: bool,
    /// A function word ([`is_function_word`]).
    pub function: bool,
}

/// What a word's spelling alone determines: its keys and lexical features.
#[derive(Debug, Clone)]
struct Spelling {
    text: Arc<str>,
    key: Arc<str>,
    skeleton: Arc<str>,
    common: bool,
    proper: bool,
    known: bool,
    name_shaped: bool,
    function: bool,
}

impl Spelling {
    fn of(text: &str) -> Spelling {
        let (common, proper) = (lexicon::is_common_word(text), lexicon::is_proper_name(text));
        Spelling {
            text: text.into(),
            key: matching::key(text).into(),
            skeleton: matching::skeleton(text).into(),
            common,
            proper,
            known: common || proper || lexicon::is_listed(text),
            name_shaped: is_name_shaped(text),
            function: is_function_word(text),
        }
    }
}

/// Spellings already looked up, so an article's repeated words are folded,
/// looked up and stored once.
#[derive(Debug, Default)]
pub struct SpellingCache {
    seen: rustc_hash::FxHashMap<Arc<str>, Spelling>,
}

impl Word {
    /// A word of `text` at its place in the sentence, with its keys and lexical features.
    fn new(
        text: &str,
        (initial, joined, quoted, compound): (bool, bool, bool, bool),
        cache: &mut SpellingCache,
    ) -> Word {
        let spelling = match cache.seen.get(text) {
            Some(s) => s.clone(),
            None => {
                let s = Spelling::of(text);
                cache.seen.insert(s.text.clone(), s.clone());
                s
            }
        };
        Word {
            text: spelling.text,
            key: spelling.key,
            skeleton: spelling.skeleton,
            initial,
            joined,
            quoted,
            compound,
            common: spelling.common,
            proper: spelling.proper,
            known: spelling.known,
            name_shaped: spelling.name_shaped,
            function: spelling.function,
        }
    }

    /// A common word that is not also a listed proper name (`Maritime`,
    /// `System`; not `Trump` or `Marine`).
    pub fn purely_common(&self) -> bool {
        self.common && !self.proper
    }

    /// An acronym: at least two letters, all capitals but for a plural `s` (`EMERCOM`, `UN`, `SMBs`).
    pub fn is_acronym(&self) -> bool {
        is_acronym(&self.text)
    }

    /// Whether the word starts with an uppercase letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// How alike this word and `other` sound ([`matching::similarity`]).
    pub fn likeness(&self, other: &Word) -> f64 {
        matching::similarity_of((&self.key, &self.skeleton), (&other.key, &other.skeleton))
    }

    /// A single capital letter (`V` of `Vladimir V. Putin`), not part of a compound (`Buyan-M`).
    pub fn is_initial_letter(&self) -> bool {
        let mut chars = self.text.chars();
        !self.compound && matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
    }
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '«' | '‘' | '“')
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '«' | '‘' | '“')
}

/// Split `Fr.Vladimir` (a period with no space after it, before a capitalised
/// word) into `Fr.` and `Vladimir`; dotted acronyms (`U.S.`) stay whole.
fn split_glued<'a>(raw: &'a str, parts: &mut Vec<&'a str>) {
    parts.clear();
    if !raw.contains('.') {
        parts.push(raw);
        return;
    }
    let mut start = 0;
    for (i, _) in raw.match_indices('.') {
        let before = &raw[start..i];
        let after = &raw[i + 1..];
        let next_is_word = after.chars().next().is_some_and(char::is_uppercase)
            && after.chars().nth(1).is_some_and(char::is_lowercase);
        if next_is_word && before.chars().filter(|c| c.is_alphabetic()).count() >= 2 {
            parts.push(&raw[start..=i]);
            start = i + 1;
        }
    }
    parts.push(&raw[start..]);
}

fn strip_possessive(word: &str) -> &str {
    for suffix in ["'s", "’s", "'", "’"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem;
            }
        }
    }
    word
}

/// Split a sentence into words with their positions.
pub fn words(sentence: &str) -> Vec<Word> {
    words_cached(sentence, &mut SpellingCache::default())
}

/// [`words`], looking spellings up through `cache`.
pub fn words_cached(sentence: &str, cache: &mut SpellingCache) -> Vec<Word> {
    let mut out = Vec::with_capacity(sentence.len() / 5 + 1);
    let mut next_initial = true;
    let mut joined = false;
    let mut parts = Vec::new();
    for whole in sentence.split_whitespace() {
        split_glued(whole, &mut parts);
        for &raw in &parts {
            let opens = raw.starts_with(is_opening);
            let quoted = raw.starts_with(is_quote);
            let core = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
            let ends_clause = raw.ends_with([':', ';', ',', '(', ')', '"', '.', '!', '?', '—', '–', '»', '”']);
            let colon = raw.ends_with([':', ';']);
            let with_periods = core.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
            let core = if is_dotted_acronym(with_periods) {
                with_periods
            } else {
                core.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            };
            let core = strip_possessive(core);
            let initial = next_initial || opens;
            let mut first = true;
            for part in core.split(['-', '–', '/']).filter(|p| !p.is_empty()) {
                let text = strip_possessive(part.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'));
                if text.is_empty() {
                    continue;
                }
                let place = (initial && first, if first { joined && !opens } else { true }, quoted && first, !first);
                out.push(Word::new(text, place, cache));
                first = false;
            }
            let initial_letter = core.chars().count() == 1 && core.chars().all(char::is_uppercase);
            joined =
                !core.is_empty() && (!ends_clause || is_dotted_acronym(core) || (initial_letter && raw.ends_with('.')));
            next_initial = colon || (core.is_empty() && next_initial);
        }
    }
    out
}

/// Whether a word could be a name token by its form: capitalised, more than
/// an initial, made of letters and digits (a dotted acronym may keep its
/// periods), and not a title, honorific, month or weekday.
pub fn looks_like_name(word: &Word) -> bool {
    word.name_shaped && !word.is_initial_letter()
}

/// [`looks_like_name`] by the spelling alone, initials aside.
fn is_name_shaped(text: &str) -> bool {
    if !text.chars().next().is_some_and(char::is_uppercase) || (text.ends_with('.') && !is_dotted_acronym(text)) {
        return false;
    }
    text.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '\'' || c == '’')
        && !listed_in(&STOPWORD_SET, STOPWORDS, &title_case(text))
}

/// An acronym: at least two letters, all capitals but for a plural `s` (`EMERCOM`, `UN`, `SMBs`).
pub fn is_acronym(text: &str) -> bool {
    let text = text.strip_suffix('s').unwrap_or(text);
    let mut count = 0;
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        count += 1;
    }
    count >= 2
}

/// Whether a word reads as a name: capitalised like a name, not a title,
/// month or function word, and not a common word that is capitalised only
/// because it opens the sentence.
pub fn is_name_like(word: &Word) -> bool {
    looks_like_name(word) && !word.function && !(word.initial && !word.quoted && word.common)
}

/// A word written in capitals for emphasis or style (`DIRECTOR`, `JULY`):
/// four or more letters, all upper case. Unlike an acronym (`NATO` aside),
/// its capitals say nothing about being a name.
pub fn is_shouted(text: &str) -> bool {
    let mut letters = text.chars().filter(|c| c.is_alphabetic());
    letters.by_ref().take(4).filter(|c| c.is_uppercase()).count() == 4 && letters.all(char::is_uppercase)
}

/// `text` as a title-case word when it is written all in capitals (`JULY` → `July`), else as is.
fn title_case(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_lowercase) && text.chars().filter(|c| c.is_alphabetic()).count() > 1 {
        let mut chars = text.chars();
        chars.next().map(|first| first.to_string() + &chars.as_str().to_lowercase()).unwrap_or_default().into()
    } else {
        text.into()
    }
}

/// Whether `text` is a function word (`The`, `However`, `IN`), which no capital makes a name.
pub fn is_function_word(text: &str) -> bool {
    listed_in(&FUNCTION_WORD_SET, FUNCTION_WORDS, &title_case(text))
}

/// Whether `text` is a closed-class English word in any case (`the`, `has`,
/// `which`): an article, pronoun, preposition, conjunction or auxiliary.
pub fn is_closed_class(text: &str) -> bool {
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    let capitalised: String = chars.next().into_iter().flat_map(char::to_uppercase).chain(chars).collect();
    AUXILIARIES.contains(&lower.as_str()) || listed_in(&FUNCTION_WORD_SET, FUNCTION_WORDS, &capitalised)
}

/// Whether a sentence (its `text` and `words`) is a title-case headline
/// ("Russian Navy Day Parade Held In Kronstadt"): it does not end like a
/// sentence, and most of its longer words are capitalised, so capitalisation
/// there is no evidence of a name.
pub fn is_headline(text: &str, words: &[Word]) -> bool {
    let ends_like_a_sentence = text.trim_end_matches(['"', '\'', '”', '’', '»', ')']).ends_with(['.', '!', '?', ';']);
    let (mut long, mut capitalised) = (0, 0);
    for w in words.iter().filter(|w| w.text.chars().nth(3).is_some()) {
        long += 1;
        capitalised += usize::from(w.is_capitalised());
    }
    !ends_like_a_sentence && long >= 3 && capitalised * 4 >= long * 3
}

/// Forms capitalised mid-sentence, outside headlines, in any of the sentences
/// (`(words, is_headline)`), function words excepted.
pub fn case_memory<'a>(sentences: impl IntoIterator<Item = (&'a [Word], bool)>) -> HashSet<String> {
    let mut memory = HashSet::default();
    for (words, headline) in sentences {
        if headline {
            continue;
        }
        for w in words.iter().filter(|w| !w.initial && looks_like_name(w)) {
            if !memory.contains(&*w.text) && !w.function && !is_shouted(&w.text) {
                memory.insert(w.text.to_string());
            }
        }
    }
    memory
}

/// A name mention: the indices (into the sentence's words) of one or more
/// adjacent name tokens, or of an alias phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Word indices of the mention's tokens, in order.
    pub words: Vec<usize>,
    /// Canonical alias key when the whole mention is a known alias (`US`).
    pub alias: Option<String>,
}

/// A short abbreviation right after a number (`6:30 PM`, `10 AM`, `5 GB`): a unit, not a name.
fn is_unit_after_number(words: &[Word], k: usize) -> bool {
    let w = &words[k];
    k > 0
        && w.joined
        && w.text.chars().filter(|c| c.is_alphabetic()).count() <= 3
        && w.text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
        && words[k - 1].text.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether the word at `k` is a name token (see the module documentation).
fn is_name_at(words: &[Word], k: usize, headline: bool, memory: &HashSet<String>, aliases: &Aliases) -> bool {
    let w = &words[k];
    if !looks_like_name(w) || w.function || is_unit_after_number(words, k) {
        return false;
    }
    if !w.initial && !headline && !is_shouted(&w.text) {
        return true;
    }
    if !lexicon::is_common_word(&w.text)
        || memory.contains(&*title_case(&w.text))
        || memory.contains(&*w.text)
        || aliases.canonical(&w.text).is_some()
    {
        return true;
    }
    // A common word opening a multi-word name: `Navy Day celebrations …`.
    !headline && words.get(k + 1).is_some_and(|n| n.joined && !n.initial && looks_like_name(n))
}

/// Whether the word at `k` is the `of` (or the `the` after it) of a name
/// such as `Ministry of Emergency Situations`: a name token follows, joined.
fn continues_over_of(words: &[Word], k: usize, is_name: &dyn Fn(usize) -> bool) -> bool {
    let w = &words[k];
    let after_of = k > 0 && &*words[k - 1].text == "of";
    if !w.joined || !(&*w.text == "of" || (&*w.text == "the" && after_of)) {
        return false;
    }
    let mut next = k + 1;
    if &*w.text == "of" && words.get(next).is_some_and(|n| &*n.text == "the" && n.joined) {
        next += 1;
    }
    words.get(next).is_some_and(|n| n.joined) && is_name(next)
}

/// The name mentions of one sentence, given its words.
pub fn mentions(words: &[Word], headline: bool, memory: &HashSet<String>, aliases: &Aliases) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut run: Vec<usize> = Vec::new();
    let flush = |run: &mut Vec<usize>, out: &mut Vec<Mention>| {
        if run.is_empty() {
            return;
        }
        let indices = std::mem::take(run);
        let phrase = indices.iter().map(|&i| &*words[i].text).collect::<Vec<_>>().join(" ");
        if let Some(key) = aliases.canonical(&phrase) {
            out.push(Mention { words: indices, alias: Some(key.to_string()) });
            return;
        }
        // Single tokens inside the run may still be aliases (`U.S.`, `EU`).
        let (single_aliases, rest): (Vec<usize>, Vec<usize>) =
            indices.into_iter().partition(|&i| aliases.canonical(&words[i].text).is_some());
        for i in single_aliases {
            out.push(Mention { words: vec![i], alias: aliases.canonical(&words[i].text).map(str::to_string) });
        }
        if !rest.is_empty() {
            out.push(Mention { words: rest, alias: None });
        }
    };
    let is_name = |k: usize| is_name_at(words, k, headline, memory, aliases);
    for (k, w) in words.iter().enumerate() {
        if is_name(k) {
            if !w.joined && !run.is_empty() {
                flush(&mut run, &mut out);
            }
            run.push(k);
        } else if run.is_empty() || !(w.is_initial_letter() || continues_over_of(words, k, &is_name)) {
            // A run continues over a single initial (`Vladimir V. Putin`) and
            // over `of (the)` between names (`Bank of Russia`, `Gulf of Finland`).
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sentence: &str, memory: &[&str]) -> Vec<Vec<String>> {
        let memory: HashSet<String> = memory.iter().map(|s| s.to_string()).collect();
        let words = words(sentence);
        let headline = is_headline(sentence, &words);
        mentions(&words, headline, &memory, &Aliases::builtin())
            .into_iter()
            .map(|m| m.words.iter().map(|&i| words[i].text.to_string()).collect())
            .collect()
    }

    #[test]
    fn titles_possessives_compounds_and_initials() {
        assert_eq!(
            names("Russian President Vladimir V. Putin met U.S. Special Envoy Steve Witkoff on Thursday.", &[]),
            [vec!["Russian"], vec!["Vladimir", "Putin"], vec!["U.S."], vec!["Steve", "Witkoff"]]
        );
        assert_eq!(
            names("Mr Peskov added that the timing of Trump-Pudin's appeal is open.", &[]),
            [vec!["Peskov"], vec!["Trump", "Pudin"]]
        );
    }

    #[test]
    fn sentence_initial_words_need_evidence() {
        assert!(names("However, the talks went on.", &[]).is_empty());
        assert!(names("Protests erupted in the city.", &[]).is_empty());
        // Not a common word: a name even at the start.
        assert_eq!(names("Putin agreed.", &[]), [vec!["Putin"]]);
        // A common word is a name at the start only with case memory.
        assert!(names("Navy ships sailed.", &[]).is_empty());
        assert_eq!(names("Navy ships sailed.", &["Navy"]), [vec!["Navy"]]);
        assert_eq!(names("\"Peskov said so,\" he wrote: Lavrov agreed.", &[]), [vec!["Peskov"], vec!["Lavrov"]]);
    }

    #[test]
    fn function_words_get_no_case_memory() {
        let sentences = [words("He reads The Washington Post daily."), words("The talks ended.")];
        let memory = case_memory(sentences.iter().map(|w| (w.as_slice(), false)));
        assert!(!memory.contains("The"));
        assert!(mentions(&sentences[1], false, &memory, &Aliases::builtin()).is_empty());
    }

    #[test]
    fn headline_capitals_are_no_evidence() {
        let w = words("Russian Navy Celebrates Great Victory Parade");
        assert!(is_headline("Russian Navy Celebrates Great Victory Parade", &w));
        assert!(!is_headline(
            "The National Civil Protection System warned.",
            &words("The National Civil Protection System warned.")
        ));
        assert_eq!(names("Russian Navy Celebrates Great Victory Parade", &[]), [vec!["Russian"]]);
        let kremlin = "Kremlin says Putin meets Trump's envoy Steve Witkov";
        assert!(!is_headline(kremlin, &words(kremlin)));
    }

    #[test]
    fn alias_phrases_are_single_units() {
        let memory = HashSet::default();
        let w = words("He visited the United States and the EU.");
        let m = mentions(&w, false, &memory, &Aliases::builtin());
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].alias.as_deref(), Some("US"));
        assert_eq!(m[1].alias.as_deref(), Some("EU"));
    }
}
