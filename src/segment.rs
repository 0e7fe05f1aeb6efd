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

impl AsRef<str> for Sentence {
    fn as_ref(&self) -> &str {
        &self.text
    }
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
        let first = sentences.len();
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
        reattach_closing_quotes(&mut sentences[first..]);
    }
    sentences
}

/// Add `text` as one or more sentences unless it is blank. Whitespace is
/// Python's, as everywhere the text is scored, so separators such as U+001F
/// never start or end a sentence. UAX #29 keeps a sentence going when the next
/// one starts with a digit, a dash or a lowercase brand (`iOS`), so those
/// boundaries are found here.
fn push_sentence(sentences: &mut Vec<Sentence>, text: &str, paragraph: usize) {
    let mut rest = py_strip(text);
    while let Some(at) = missed_boundary(rest) {
        let (head, tail) = rest.split_at(at);
        let head = py_strip(head);
        if !head.is_empty() {
            sentences.push(Sentence { text: head.to_string(), paragraph });
        }
        rest = py_strip(tail);
    }
    if !rest.is_empty() {
        sentences.push(Sentence { text: rest.to_string(), paragraph });
    }
}

/// The first byte offset in `text` where a sentence ends without UAX #29
/// seeing it: `.`, `!` or `?` (and closing quotes or brackets), whitespace,
/// then a digit (`… this season. 63 were selected.`), a speech dash before a
/// capital (`… on its roof. - A girl …`) or a lowercase word with a capital
/// inside (`… (8%). iOS users …`); never after an abbreviation, title or
/// initial (the same rules as the rest of segmentation: `No. 5`, `Aug. 9`).
fn missed_boundary(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices(['.', '!', '?']) {
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
            end += 1;
        }
        let rest = &text[end..];
        let after_space = rest.trim_start();
        if after_space.len() == rest.len() || after_space.is_empty() {
            continue; // no whitespace after the punctuation, or nothing after it
        }
        let next_word = after_space.split_whitespace().next().unwrap_or("");
        let starts_sentence = next_word.starts_with(|c: char| c.is_ascii_digit())
            || (matches!(next_word, "-" | "–" | "—")
                && after_space[next_word.len()..].trim_start().starts_with(char::is_uppercase))
            || (next_word.starts_with(char::is_lowercase) && next_word.chars().skip(1).any(char::is_uppercase));
        if starts_sentence && !continues_after(text[..end].trim_end(), after_space) {
            return Some(text.len() - after_space.len());
        }
    }
    None
}

/// A sentence that starts with a lone closing quote (`" Recall …` after
/// `… the brigades.`) gives the quote back to the sentence before it, when
/// that one has an unmatched opening quote.
fn reattach_closing_quotes(sentences: &mut [Sentence]) {
    for k in 1..sentences.len() {
        let text = &sentences[k].text;
        let Some(quote) = text.chars().next().filter(|c| matches!(c, '"' | '”' | '»')) else { continue };
        let after = &text[quote.len_utf8()..];
        if !after.starts_with(char::is_whitespace) || after.trim().is_empty() {
            continue;
        }
        let previous = &sentences[k - 1].text;
        let unmatched = match quote {
            '"' => previous.matches('"').count() % 2 == 1,
            _ => previous.matches(['“', '«']).count() > previous.matches(['”', '»']).count(),
        };
        if unmatched {
            let rest = py_strip(after).to_string();
            sentences[k - 1].text.push(quote);
            sentences[k].text = rest;
        }
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
    fn boundaries_uax29_misses_before_digits_dashes_and_lowercase_brands() {
        assert_eq!(
            texts("The team won this season. 63 were selected. It was late."),
            ["The team won this season.", "63 were selected.", "It was late."]
        );
        assert_eq!(
            texts("A fire broke out on its roof. - A 4-year-old girl was rescued."),
            ["A fire broke out on its roof.", "- A 4-year-old girl was rescued."]
        );
        assert_eq!(
            texts("Share rose (8%). iOS gadget users complained."),
            ["Share rose (8%).", "iOS gadget users complained."]
        );
        // Abbreviations before numbers still hold.
        assert_eq!(texts("It opened on Aug. 9 in School No. 5."), ["It opened on Aug. 9 in School No. 5."]);
        assert_eq!(texts("The price was 5. 7 people came."), ["The price was 5.", "7 people came."]);
    }

    #[test]
    fn a_spaced_closing_quote_stays_with_its_sentence() {
        assert_eq!(
            texts("He said: \"We left the brigades. \" Recall that the army left."),
            ["He said: \"We left the brigades.\"", "Recall that the army left."]
        );
        assert_eq!(texts("\"Yes.\" \" No,\" he said."), ["\"Yes.\"", "\" No,\" he said."]);
    }

    #[test]
    fn blank_and_whitespace_only_text_has_no_sentences() {
        assert!(split_sentences("").is_empty());
        assert!(split_sentences(" \n\t\n").is_empty());
    }
}
