//! The marked-up text of an aligned pair: the n-gram matches BLEU counted and
//! the name renderings, as HTML.
//!
//! Matches are found on BLEU's own tokens (the report's tokenizer), with
//! BLEU's clipping: the k-th occurrence of a unigram or bigram matches when the
//! other side has at least k. A run of matched tokens joined by matched bigrams
//! is one `<span class="match">`, so a reader sees the longest stretches BLEU
//! rewarded. Tokens are mapped back to the sentence text by a left-to-right
//! search; a token the tokenizer rewrote (`&quot;` → `"`) is not found and
//! stays unmarked.

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

use crate::names::{MentionAudit, Tier};
use crate::tokenize::{Tokenizer, TokenizerKind};
use crate::untrusted::for_html;

/// A name mark over a byte range of a text: its tier and its tooltip.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NameMark {
    /// The bytes of the text it covers.
    pub range: Range<usize>,
    /// How the name was rendered.
    pub tier: Tier,
    /// The tooltip (`title`): the reference form and what happened to it.
    pub title: String,
}

/// The serde name of a tier (`variant`), used in class names.
pub(crate) fn tier_name(tier: Tier) -> String {
    serde_json::to_value(tier).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// The symbol shown after a name mark, so that its tier is not told by colour alone.
pub(crate) fn tier_symbol(tier: Tier) -> &'static str {
    match tier {
        t if t.is_correct() => "✓",
        Tier::Variant => "≈",
        Tier::Wrong => "✗",
        Tier::Missing => "∅",
        Tier::Added => "+",
        _ => "?",
    }
}

/// BLEU's tokens of `text` as byte ranges of it (tokens the tokenizer rewrote are left out).
fn token_ranges(text: &str, tokenizer: &mut Tokenizer) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut cursor = 0;
    let bytes = text.as_bytes();
    tokenizer.for_each_token(text, |token| {
        let rest = &bytes[cursor..];
        let Some(at) = memchr::memmem::find(rest, token) else { return };
        if !rest[..at].iter().all(u8::is_ascii_whitespace) || !text.is_char_boundary(cursor + at) {
            return;
        }
        let start = cursor + at;
        cursor = start + token.len();
        if text.is_char_boundary(cursor) {
            ranges.push(start..cursor);
        } else {
            cursor = start;
        }
    });
    ranges
}

/// Per token of `side`, whether it is a clipped unigram match against `other`;
/// per adjacent pair of tokens, whether their bigram is a clipped match.
fn clipped_matches(side: &[&[u8]], other: &[&[u8]]) -> (Vec<bool>, Vec<bool>) {
    let mark = |n: usize| -> Vec<bool> {
        let mut available: HashMap<&[&[u8]], usize> = HashMap::default();
        for gram in other.windows(n) {
            *available.entry(gram).or_default() += 1;
        }
        side.windows(n)
            .map(|gram| match available.get_mut(gram) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    true
                }
                _ => false,
            })
            .collect()
    };
    (mark(1), mark(2))
}

/// The matched spans of both texts (reference, candidate) as byte ranges.
pub(crate) fn match_spans<'a>(
    reference: &'a str,
    candidate: &'a str,
    kind: TokenizerKind,
) -> (Vec<Range<usize>>, Vec<Range<usize>>) {
    let mut tokenizer = Tokenizer::new(kind);
    let (r_ranges, c_ranges) = (token_ranges(reference, &mut tokenizer), token_ranges(candidate, &mut tokenizer));
    let words = |text: &'a str, ranges: &[Range<usize>]| -> Vec<&'a [u8]> {
        ranges.iter().map(|r| &text.as_bytes()[r.clone()]).collect()
    };
    let (r_refs, c_refs) = (words(reference, &r_ranges), words(candidate, &c_ranges));
    let spans = |side: &[&[u8]], other: &[&[u8]], ranges: &[Range<usize>]| {
        let (unigrams, bigrams) = clipped_matches(side, other);
        let mut spans: Vec<Range<usize>> = Vec::new();
        for (i, range) in ranges.iter().enumerate().filter(|(i, _)| unigrams[*i]) {
            let joined = i > 0 && unigrams[i - 1] && bigrams.get(i - 1).copied().unwrap_or(false);
            match spans.last_mut() {
                Some(last) if joined => last.end = range.end,
                _ => spans.push(range.clone()),
            }
        }
        spans
    };
    (spans(&r_refs, &c_refs, &r_ranges), spans(&c_refs, &r_refs, &c_ranges))
}

/// The byte range of the first whole-word occurrence of `word` in `text` that
/// overlaps no range of `taken`.
fn find_word(text: &str, word: &str, taken: &[NameMark]) -> Option<Range<usize>> {
    if word.is_empty() {
        return None;
    }
    let is_word_char = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    text.match_indices(word).map(|(at, _)| at..at + word.len()).find(|r| {
        !is_word_char(text[..r.start].chars().next_back())
            && !is_word_char(text[r.end..].chars().next())
            && !taken.iter().any(|m| m.range.start < r.end && r.start < m.range.end)
    })
}

/// The name marks of a pair's (reference, candidate) texts from its mention
/// audits: each rendering on the candidate side (its tier, the reference form
/// in the title), and each missing or unmatched name on the reference side.
pub(crate) fn name_marks<'a>(
    reference: &str,
    candidate: &str,
    mentions: impl IntoIterator<Item = &'a MentionAudit>,
) -> (Vec<NameMark>, Vec<NameMark>) {
    let (mut on_reference, mut on_candidate) = (Vec::new(), Vec::new());
    for m in mentions {
        let reference_form = m.reference.as_deref().unwrap_or("");
        let (text, word, marks, title) = match (&m.candidate, m.tier) {
            (Some(rendering), tier) => {
                let title = match tier {
                    Tier::Added => "added: no counterpart in the reference".to_string(),
                    t if t.is_correct() => format!("{}: reference {reference_form}", tier_name(t)),
                    t => format!("{}: the reference has {reference_form}", tier_name(t)),
                };
                (candidate, rendering.as_str(), &mut on_candidate, title)
            }
            (None, Tier::Missing) => {
                (reference, reference_form, &mut on_reference, "missing: not rendered in the candidate".into())
            }
            (None, Tier::Unmatched) => (
                reference,
                reference_form,
                &mut on_reference,
                "unmatched: no rendering found (its words may be translated another way)".into(),
            ),
            (None, _) => continue,
        };
        if let Some(range) = find_word(text, word, marks) {
            marks.push(NameMark { range, tier: m.tier, title });
        }
    }
    on_reference.sort_by_key(|m| m.range.start);
    on_candidate.sort_by_key(|m| m.range.start);
    (on_reference, on_candidate)
}

/// `text` as HTML with its matched spans (`<span class="match">`) inside its
/// name marks (`<mark class="name-TIER" title="…">`). Spans and marks are each
/// sorted and disjoint; a span that crosses a mark's edge is split there.
pub(crate) fn marked_html(text: &str, spans: &[Range<usize>], marks: &[NameMark]) -> String {
    let mut cuts: Vec<usize> = vec![0, text.len()];
    cuts.extend(spans.iter().flat_map(|r| [r.start, r.end]));
    cuts.extend(marks.iter().flat_map(|m| [m.range.start, m.range.end]));
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() + 32 * (spans.len() + marks.len()));
    let (mut span_open, mut mark_open): (bool, Option<usize>) = (false, None);
    let (mut next_span, mut next_mark) = (0, 0);
    for piece in cuts.windows(2) {
        let (start, end) = (piece[0], piece[1]);
        // Both lists are sorted and disjoint, and pieces come in order: skip what ended.
        while spans.get(next_span).is_some_and(|r| r.end <= start) {
            next_span += 1;
        }
        while marks.get(next_mark).is_some_and(|m| m.range.end <= start) {
            next_mark += 1;
        }
        let in_span = spans.get(next_span).is_some_and(|r| r.start <= start && end <= r.end);
        let mark =
            Some(next_mark).filter(|&i| marks.get(i).is_some_and(|m| m.range.start <= start && end <= m.range.end));
        if span_open && (!in_span || mark != mark_open) {
            out.push_str("</span>");
            span_open = false;
        }
        if mark != mark_open {
            if mark_open.is_some() {
                out.push_str("</mark>");
            }
            if let Some(m) = mark.map(|i| &marks[i]) {
                out.push_str(&format!(
                    "<mark class=\"name-{}\" title=\"{}\" data-symbol=\"{}\">",
                    tier_name(m.tier),
                    for_html(&m.title),
                    tier_symbol(m.tier)
                ));
            }
            mark_open = mark;
        }
        if in_span && !span_open {
            out.push_str("<span class=\"match\">");
            span_open = true;
        }
        out.push_str(&for_html(&text[start..end]));
    }
    if span_open {
        out.push_str("</span>");
    }
    if mark_open.is_some() {
        out.push_str("</mark>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_clipped_runs_of_bleu_tokens() {
        let (r, c) = match_spans("the cat sat on the mat .", "the cat the dog sat .", TokenizerKind::Mteval13a);
        let show =
            |text: &str, spans: &[Range<usize>]| spans.iter().map(|s| text[s.clone()].to_string()).collect::<Vec<_>>();
        // "the cat" is a matched bigram, one span; "cat the" is not, so the second "the" (the
        // reference has two) starts its own; "dog" does not match.
        assert_eq!(show("the cat the dog sat .", &c), ["the cat", "the", "sat", "."]);
        assert_eq!(show("the cat sat on the mat .", &r), ["the cat", "sat", "the", "."]);
        // Clipping: a third "the" of the candidate finds no third one in the reference.
        let (_, c) = match_spans("the the", "the the the", TokenizerKind::Mteval13a);
        assert_eq!(show("the the the", &c), ["the the"]);
    }

    #[test]
    fn spans_split_at_name_marks_and_text_is_escaped() {
        let text = "Mr Vikov <b>said";
        let mark = NameMark { range: 3..8, tier: Tier::Variant, title: "variant: the reference has Witkoff".into() };
        let spans = vec![Range { start: 0, end: 8 }];
        let html = marked_html(text, &spans, &[mark]);
        assert_eq!(
            html,
            "<span class=\"match\">Mr </span><mark class=\"name-variant\" title=\"variant: the reference has \
             Witkoff\" data-symbol=\"≈\"><span class=\"match\">Vikov</span></mark> &lt;b&gt;said"
        );
    }
}
