//! Finding name mentions in English text without a NER model.
//!
//! A name token starts with an uppercase letter and is not a title,
//! honorific, month or weekday. A token at the start of a sentence (or after
//! an opening quote, bracket or colon) counts only if the same form also
//! occurs mid-sentence somewhere in the documents ("case memory"): "Mr. Putin"
//! makes a sentence-initial "Putin" a name, while "However" stays a word.
//! Possessives are stripped, hyphen compounds split (`Trump-Pudin's` → Trump,
//! Pudin), dotted acronyms kept (`U.S.`), single initials dropped. Runs of
//! adjacent name tokens form one mention (`Steve Witkoff`), and a run that is
//! a known alias (`United States`) becomes one unit.

use std::collections::HashSet;

use super::aliases::Aliases;
use crate::segment::is_dotted_acronym;

/// Words that are capitalised but are not names (titles, honorifics, calendar, pronoun I).
const STOPWORDS: &[&str] = &[
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Prof",
    "Sir",
    "Dame",
    "Lord",
    "Lady",
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
    "Gov",
    "Governor",
    "General",
    "Gen",
    "Chancellor",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Pope",
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
    "Colonel",
    "Captain",
    "Lieutenant",
    "Sergeant",
    "Judge",
    "Justice",
    "Speaker",
    "Professor",
    "Doctor",
    "Saint",
    "St",
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

/// Capitalised words that open sentences without being names.
const FUNCTION_WORDS: &[&str] = &[
    "The",
    "A",
    "An",
    "But",
    "And",
    "Or",
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
];

/// One token of a sentence, with where it stands.
#[derive(Debug, Clone)]
struct Token {
    text: String,
    /// First word of the sentence, or after an opening quote, bracket or colon.
    initial: bool,
    /// Directly follows the previous token (no gap such as a comma or clause break).
    joined: bool,
}

/// A name mention: one or more adjacent name tokens, or an alias phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// The tokens of the mention, possessives stripped (`["Steve", "Witkoff"]`).
    pub tokens: Vec<String>,
    /// Canonical alias key when the whole mention is a known alias (`US`).
    pub alias: Option<String>,
}

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '«' | '‘' | '“')
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

/// Split a sentence into word tokens with their positions.
fn tokens(sentence: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut next_initial = true;
    let mut joined = false;
    for raw in sentence.split_whitespace() {
        let opens = raw.starts_with(is_opening);
        let core = raw.trim_start_matches(|c: char| !c.is_alphanumeric());
        let ends_clause = raw.ends_with([':', ';', ',', '(', ')', '"', '.', '!', '?', '—', '–']);
        let colon = raw.ends_with(':');
        let with_periods = core.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '.');
        let core = if is_dotted_acronym(with_periods) {
            with_periods
        } else {
            core.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        };
        let core = strip_possessive(core);
        let initial = next_initial || opens;
        let mut first = true;
        for part in core.split('-').filter(|p| !p.is_empty()) {
            let part = strip_possessive(part);
            out.push(Token {
                text: part.to_string(),
                initial: initial && first,
                joined: if first { joined && !opens } else { true },
            });
            first = false;
        }
        let initial_letter = core.chars().count() == 1 && core.chars().all(char::is_uppercase);
        if core.is_empty() {
            joined = false;
        } else {
            joined = !ends_clause || is_dotted_acronym(core) || (initial_letter && raw.ends_with('.'));
        }
        next_initial = colon || (core.is_empty() && next_initial);
    }
    out
}

fn looks_like_name(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else { return false };
    if !first.is_uppercase() {
        return false;
    }
    // A single initial (`V`) is not a name; a dotted acronym (`U.S.`) is.
    if word.chars().count() == 1 {
        return false;
    }
    if word.ends_with('.') && !is_dotted_acronym(word) {
        return false;
    }
    word.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '\'' || c == '’') && !STOPWORDS.contains(&word)
}

/// Forms that occur mid-sentence as capitalised words in any of `documents`.
pub fn case_memory<'a>(documents: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    let mut memory = HashSet::new();
    for sentence in documents {
        for t in tokens(sentence) {
            if !t.initial && looks_like_name(&t.text) {
                memory.insert(t.text);
            }
        }
    }
    memory
}

/// The name mentions of one sentence.
pub fn mentions(sentence: &str, memory: &HashSet<String>, aliases: &Aliases) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, out: &mut Vec<Mention>| {
        if run.is_empty() {
            return;
        }
        let tokens = std::mem::take(run);
        match aliases.canonical(&tokens.join(" ")) {
            Some(key) => out.push(Mention { tokens: vec![tokens.join(" ")], alias: Some(key.to_string()) }),
            None => {
                // Single tokens inside the run may still be aliases (`U.S.`, `EU`).
                let whole: Vec<String> = tokens.iter().filter(|t| aliases.canonical(t).is_none()).cloned().collect();
                for t in tokens.iter().filter(|t| aliases.canonical(t).is_some()) {
                    out.push(Mention { tokens: vec![t.clone()], alias: aliases.canonical(t).map(str::to_string) });
                }
                if !whole.is_empty() {
                    out.push(Mention { tokens: whole, alias: None });
                }
            }
        }
    };
    let toks = tokens(sentence);
    for (k, t) in toks.iter().enumerate() {
        // A sentence-initial word directly followed by a name starts a multi-word
        // name (`Dmitry Peskov said`), unless it is a common function word (`The Kremlin`).
        let starts_name = toks.get(k + 1).is_some_and(|n| n.joined && !n.initial && looks_like_name(&n.text))
            && !FUNCTION_WORDS.contains(&t.text.as_str());
        let is_name = looks_like_name(&t.text)
            && (!t.initial || starts_name || memory.contains(&t.text) || aliases.canonical(&t.text).is_some());
        // Let a run continue over a single initial (`Vladimir V. Putin`).
        let is_initial = t.text.chars().count() == 1 && t.text.chars().all(char::is_uppercase);
        if is_name {
            if !t.joined && !run.is_empty() {
                flush(&mut run, &mut out);
            }
            run.push(t.text.clone());
        } else if !is_initial || run.is_empty() {
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
        mentions(sentence, &memory, &Aliases::builtin()).into_iter().map(|m| m.tokens).collect()
    }

    #[test]
    fn titles_possessives_compounds_and_initials() {
        assert_eq!(
            names(
                "Russian President Vladimir V. Putin met U.S. Special Envoy Steve Witkoff on Thursday.",
                &["Russian"]
            ),
            [vec!["Russian"], vec!["Vladimir", "Putin"], vec!["U.S."], vec!["Steve", "Witkoff"]]
        );
        assert_eq!(
            names("Mr Peskov added that the timing of Trump-Pudin's appeal is open.", &[]),
            [vec!["Peskov"], vec!["Trump", "Pudin"]]
        );
    }

    #[test]
    fn sentence_initial_words_need_case_memory() {
        assert!(names("However, the talks went on.", &[]).is_empty());
        assert_eq!(names("Putin agreed.", &["Putin"]), [vec!["Putin"]]);
        assert!(names("Putin agreed.", &[]).is_empty());
        assert_eq!(
            names("\"Peskov said so,\" he wrote: Lavrov agreed.", &["Peskov", "Lavrov"]),
            [vec!["Peskov"], vec!["Lavrov"]]
        );
    }

    #[test]
    fn alias_phrases_are_single_units() {
        let memory = HashSet::new();
        let m = mentions("He visited the United States and the EU.", &memory, &Aliases::builtin());
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].alias.as_deref(), Some("US"));
        assert_eq!(m[1].alias.as_deref(), Some("EU"));
    }
}
