//! Sentence segmentation of news articles.
//!
//! Every non-blank line is a paragraph, and a paragraph break is always a
//! sentence boundary. Inside a paragraph, Unicode's sentence boundaries
//! (UAX #29, from `unicode-segmentation`) are a good start but break after every
//! `Mr.`, after initials (`Vladimir V. | Putin`) and after dotted acronyms
//! before a capital (`the U.S. | Special Envoy`). Those breaks are undone:
//! after titles always, after month and number abbreviations before a digit,
//! after single initials, and after dotted acronyms unless the next word is a
//! typical sentence opener (`… in the U.S. The talks …` stays split).

use unicode_segmentation::UnicodeSegmentation;

use crate::text::py_strip;

/// One sentence of an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// The sentence text, without surrounding whitespace.
    pub text: String,
    /// 0-based index of the paragraph (non-blank line) it belongs to.
    pub paragraph: usize,
}

/// Titles and abbreviations after which a period never ends a sentence.
const TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt", "Cpl",
    "Pvt", "Sen", "Sens", "Rep", "Reps", "Gov", "Pres", "Rev", "Hon", "Fr", "St", "Mt", "Ft", "Supt", "Amb", "Atty",
    "vs", "v", "Nos", "approx", "cf", "Ald", "Insp", "Brig", "Gens", "Pfc",
];

/// Abbreviations that end a sentence only if no number follows (`Aug. 9`, `No. 10`).
const BEFORE_NUMBERS: &[&str] = &[
    "No", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Art", "Fig", "Vol",
    "pp", "p", "Ch", "Sec", "Para", "Ex",
];

/// Words that typically open a sentence; a dotted acronym before one of them ends a sentence.
const SENTENCE_OPENERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "But",
    "And",
    "In",
    "On",
    "At",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Its",
    "Their",
    "Our",
    "After",
    "Before",
    "When",
    "While",
    "However",
    "Meanwhile",
    "Also",
    "As",
    "If",
    "So",
    "Yet",
    "Still",
    "Some",
    "Many",
    "Most",
    "For",
    "Earlier",
    "Later",
    "Last",
];

/// Split an article into sentences, paragraph by paragraph.
pub fn split_sentences(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let paragraphs = text.lines().map(py_strip).filter(|line| !line.is_empty());
    for (paragraph, line) in paragraphs.enumerate() {
        let mut current = String::new();
        let mut pieces = line.split_sentence_bounds().peekable();
        while let Some(piece) = pieces.next() {
            current.push_str(piece);
            let keep_going = pieces.peek().is_some_and(|next| continues_after(current.trim_end(), next));
            if !keep_going {
                push_sentence(&mut sentences, &current, paragraph);
                current.clear();
            }
        }
        push_sentence(&mut sentences, &current, paragraph);
    }
    sentences
}

/// Add `text` as a sentence unless it is blank. Whitespace is Python's, as
/// everywhere the text is scored, so separators such as U+001F never start or end a sentence.
fn push_sentence(sentences: &mut Vec<Sentence>, text: &str, paragraph: usize) {
    let text = py_strip(text);
    if !text.is_empty() {
        sentences.push(Sentence { text: text.to_string(), paragraph });
    }
}

/// Whether the sentence `so_far` runs on into `next` despite a UAX #29 boundary.
fn continues_after(so_far: &str, next: &str) -> bool {
    let Some(last_word) = so_far.split_whitespace().next_back() else {
        return false;
    };
    let word = last_word.trim_start_matches(['(', '[', '"', '\'', '«']);
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    let next = next.trim_start();
    let next_word = next.split_whitespace().next().unwrap_or("");
    if TITLES.contains(&stem) {
        return true;
    }
    if BEFORE_NUMBERS.contains(&stem) {
        return next.starts_with(|c: char| c.is_ascii_digit());
    }
    if is_initial(stem) {
        return true;
    }
    if is_dotted_acronym(word) {
        let opener = next_word.trim_end_matches(|c: char| !c.is_alphanumeric());
        return !SENTENCE_OPENERS.contains(&opener);
    }
    false
}

/// A single capital letter, as in `Vladimir V.` or `John F.`.
fn is_initial(stem: &str) -> bool {
    let mut chars = stem.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

/// Two or more letters each followed by a period: `U.S.`, `U.N.`, `D.C.`.
pub(crate) fn is_dotted_acronym(word: &str) -> bool {
    if word.len() < 4 || !word.ends_with('.') {
        return false;
    }
    let parts: Vec<&str> = word.split('.').collect();
    parts.len() >= 3
        && parts.last() == Some(&"")
        && parts[..parts.len() - 1].iter().all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        split_sentences(text).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn titles_initials_and_acronyms_do_not_end_sentences() {
        assert_eq!(
            texts("Russian President Vladimir V. Putin met U.S. Special Envoy Steve Witkoff. Mr. Peskov agreed."),
            ["Russian President Vladimir V. Putin met U.S. Special Envoy Steve Witkoff.", "Mr. Peskov agreed."]
        );
        assert_eq!(texts("Talks with the U.S. The Kremlin said no."), ["Talks with the U.S.", "The Kremlin said no."]);
        assert_eq!(texts("It opened on Aug. 9. Sales rose."), ["It opened on Aug. 9.", "Sales rose."]);
    }

    #[test]
    fn paragraphs_are_boundaries_and_quotes_close_sentences() {
        let s = split_sentences("Headline without period\n\n\u{201C}We agree.\u{201D} He left.\nNext one.");
        let got: Vec<(&str, usize)> = s.iter().map(|s| (s.text.as_str(), s.paragraph)).collect();
        assert_eq!(
            got,
            [("Headline without period", 0), ("\u{201C}We agree.\u{201D}", 1), ("He left.", 1), ("Next one.", 2)]
        );
    }

    #[test]
    fn information_separators_never_start_or_end_a_sentence() {
        // Found by the `segment` fuzz target: UAX #29 ended a sentence before a
        // U+001F, which then opened the next sentence (Python counts it as whitespace).
        assert_eq!(
            texts("It rained all night.\u{1f}\nThe\u{1c}police came.\u{1e}"),
            ["It rained all night.", "The\u{1c}police came."]
        );
    }

    #[test]
    fn blank_and_whitespace_only_text_has_no_sentences() {
        assert!(split_sentences("").is_empty());
        assert!(split_sentences(" \n\t\n").is_empty());
    }
}
