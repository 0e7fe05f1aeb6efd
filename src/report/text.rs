//! The terminal report: one screen, summary first, then the weakest pairs with
//! both sides side by side, then unaligned sentences.

use std::borrow::Cow;
use std::fmt::Write;

use super::set::{failed_articles, weakest_articles};
use super::{
    fmt_opt, kind_counts, pair_texts, weakest_first, ArticleReport, DocumentSummary, Exporter, SetReport, Summary,
};
use crate::compare::CompareReport;
use crate::names::NameReport;
use crate::stats::Distribution;
use crate::text::{pad_end, visible_width};
use crate::untrusted::for_terminal;

/// How many pairs the report shows without `--all`.
pub const DEFAULT_WEAKEST: usize = 5;

/// How many articles a set report lists without `--all`.
pub const DEFAULT_WEAKEST_ARTICLES: usize = 10;

/// Renders the report for a person at a terminal.
#[derive(Debug, Clone, Copy)]
pub struct TextExporter {
    /// Use ANSI colours and bold.
    pub color: bool,
    /// Show every pair in document order instead of the weakest few.
    pub all: bool,
    /// Total line width to wrap to.
    pub width: usize,
}

impl Default for TextExporter {
    fn default() -> Self {
        TextExporter { color: false, all: false, width: 100 }
    }
}

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }
}

/// Lines of wrapped text a sentence may fill in the report before the rest is
/// elided: a screenful, so that one huge sentence cannot bury the report.
pub const SCREEN_LINES: usize = 20;

/// `text` cut to its first `max_chars` characters, saying how many more there
/// are, when it is longer; the JSON report keeps every sentence whole.
fn elide(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => {
            let more = text[cut..].chars().count();
            Cow::Owned(format!("{} … ({more} more characters; the JSON report has them all)", &text[..cut]))
        }
    }
}

/// Greedy word wrap of `text` to lines of at most `width` characters; a word
/// longer than a line is cut into line-long pieces. Each character is visited
/// a bounded number of times, so wrapping is linear in the text's length.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_chars = 0;
    for word in text.split_whitespace() {
        let mut rest = word;
        let mut chars = rest.chars().count();
        while chars > width {
            if line_chars > 0 {
                lines.push(std::mem::take(&mut line));
                line_chars = 0;
            }
            let cut = rest.char_indices().nth(width).map_or(rest.len(), |(i, _)| i);
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
            chars -= width;
        }
        if line_chars > 0 && line_chars + 1 + chars > width {
            lines.push(std::mem::take(&mut line));
            line_chars = 0;
        }
        if line_chars > 0 {
            line.push(' ');
            line_chars += 1;
        }
        line.push_str(rest);
        line_chars += chars;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// One row of the per-pair table: the label in 8 columns, then 9 cells of `cell` columns.
fn distribution_row(name: &str, d: &Distribution, cell: usize) -> String {
    let cells = [d.mean, d.median, d.std, d.min, d.p10, d.p25, d.p75, d.p90, d.max];
    let mut row = format!("  {name:<6}");
    for c in cells {
        row.push_str(&format!("{:>cell$}", fmt_opt(c, 2)));
    }
    row
}

/// Columns per cell of the per-pair table: 8, or 7 (`100.00` and a space) when 8 would not fit `width`.
fn table_cell(width: usize) -> usize {
    if width >= 8 + 9 * 8 {
        8
    } else {
        7
    }
}

/// Continuation lines of a line broken by [`fit`] start this far in (under the
/// scores of the `Document` block).
const HANG: usize = 10;

/// `text` with every line wider than `width` broken after spaces or `|` (signatures)
/// onto continuation lines indented by [`HANG`]; lines that fit are kept as they are,
/// and a piece wider than a line stays whole.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |body| (body, "\n"));
        if visible_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let mut current = String::new();
        let mut current_width = 0;
        // Right after a break: spaces are dropped until the next word.
        let mut fresh = false;
        for piece in body.split_inclusive([' ', '|']) {
            let shown = visible_width(piece.trim_end_matches(' '));
            if current_width > HANG && current_width + shown > width {
                out.push_str(current.trim_end());
                out.push('\n');
                current = " ".repeat(HANG);
                current_width = HANG;
                fresh = true;
            }
            if fresh && piece.trim().is_empty() {
                continue;
            }
            fresh = false;
            current.push_str(piece);
            current_width += visible_width(piece);
        }
        out.push_str(current.trim_end());
        out.push_str(newline);
    }
    out
}

impl Exporter for TextExporter {
    fn export(&self, report: &ArticleReport) -> String {
        let s = Style { on: self.color };
        let mut out = String::new();
        let d = &report.document;
        let _ = writeln!(out, "{} {}", s.bold("reference:"), for_terminal(&report.inputs.reference));
        let _ = writeln!(out, "{} {}", s.bold("candidate:"), for_terminal(&report.inputs.candidate));
        let _ = writeln!(out);
        let kinds = if report.pairs.is_empty() { String::new() } else { format!(" ({})", kind_counts(&report.pairs)) };
        out.push_str(&scores_section("Document", d, &report.summary, &kinds, &s, self.width));
        out.push_str(&names_section(&report.names, &s, self.all));

        let shown: Vec<_> = if self.all {
            report.pairs.iter().enumerate().collect()
        } else {
            weakest_first(report).into_iter().take(DEFAULT_WEAKEST).collect()
        };
        if !shown.is_empty() {
            let _ = writeln!(out);
            let title = if self.all {
                "All pairs, in document order".to_string()
            } else {
                format!("Weakest {} pairs by BLEU (--all for every pair)", shown.len())
            };
            let _ = writeln!(out, "{}", s.bold(&title));
            let column = (self.width.saturating_sub(3) / 2).max(20);
            let _ = writeln!(out, "{} │ {}", s.dim(&pad_end("reference", column)), s.dim("candidate"));
            for (i, pair) in shown {
                let mut head = format!(
                    "#{i} {}  BLEU {:.2}  chrF {:.2}  TER {:.2}  similarity {:.2}",
                    pair.kind, pair.bleu, pair.chrf, pair.ter, pair.similarity
                );
                if pair.low_confidence {
                    head = format!("{head}  {}", s.warn("low confidence"));
                }
                let _ = writeln!(out, "{head}");
                let (r, c) = pair_texts(report, pair);
                let shown = |text: &str| wrap(&for_terminal(&elide(text, column * SCREEN_LINES)), column);
                let (left, right) = (shown(&r), shown(&c));
                for k in 0..left.len().max(right.len()) {
                    let l = left.get(k).map_or("", String::as_str);
                    let r = right.get(k).map_or("", String::as_str);
                    let _ = writeln!(out, "{} │ {}", pad_end(l, column), r);
                }
            }
        }

        let width = self.width;
        let list = |out: &mut String, title: &str, indices: &[usize], texts: &[String]| {
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", s.bold(title));
            if indices.is_empty() {
                let _ = writeln!(out, "  {}", s.dim("(none)"));
            }
            for &i in indices {
                let _ = writeln!(out, "  [{i}] {}", for_terminal(&elide(&texts[i], width * SCREEN_LINES)));
            }
        };
        list(
            &mut out,
            "Extra candidate sentences (no counterpart in the reference)",
            &report.unaligned.candidate,
            &report.sentences.candidate,
        );
        list(
            &mut out,
            "Omitted reference sentences (not rendered in the candidate)",
            &report.unaligned.reference,
            &report.sentences.reference,
        );
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", s.dim(&format!("BLEU: {}", d.bleu.score.signature)));
        let _ = writeln!(out, "{}", s.dim(&format!("chrF: {}", d.chrf.score.signature)));
        let _ = writeln!(out, "{}", s.dim(&format!("TER:  {}", d.ter.score.signature)));
        fit(&out, self.width)
    }
}

/// The scores block of a report: headline scores with intervals, aligned-only
/// scores, sentence counts (`kinds`: the pair kinds, or nothing) and the
/// per-pair distributions, under `label` (`Document`, or `Set` for a test set).
fn scores_section(label: &str, d: &DocumentSummary, summary: &Summary, kinds: &str, s: &Style, width: usize) -> String {
    let cell = table_cell(width);
    let mut out = String::new();
    let ci = |c: Option<[f64; 2]>| c.map_or_else(String::new, |[lo, hi]| format!(" (95% CI {lo:.2}–{hi:.2})"));
    let _ = writeln!(
        out,
        "{}  BLEU {}{}   chrF {}{}",
        s.bold(&pad_end(label, 8)),
        s.bold(&format!("{:.2}", d.bleu.score.score)),
        ci(d.bleu.ci95),
        s.bold(&format!("{:.2}", d.chrf.score.score)),
        ci(d.chrf.ci95)
    );
    let _ = writeln!(
        out,
        "          TER {}{} (edit rate: lower is better)",
        s.bold(&format!("{:.2}", d.ter.score.score)),
        ci(d.ter.ci95)
    );
    let _ = writeln!(
        out,
        "          aligned pairs only: BLEU {:.2}  chrF {:.2}  TER {:.2}",
        d.aligned.bleu.score.score, d.aligned.chrf.score.score, d.aligned.ter.score.score
    );
    let _ = writeln!(
        out,
        "{} reference {}, candidate {}; aligned pairs {}{}; coverage {:.1}%",
        s.bold("Sentences"),
        d.reference_sentences,
        d.candidate_sentences,
        d.pairs,
        kinds,
        100.0 * d.coverage
    );
    let mut unaligned = format!(
        "{} {} extra candidate ({} in the body), {} omitted reference sentences",
        s.bold("Unaligned"),
        d.extra,
        d.extra_in_body,
        d.omitted
    );
    if d.low_confidence > 0 {
        unaligned.push_str(&s.warn(&format!("; {} low-confidence pairs", d.low_confidence)));
    }
    let _ = writeln!(out, "{unaligned}");
    let _ = writeln!(out);
    let header: String = ["mean", "median", "std", "min", "p10", "p25", "p75", "p90", "max"]
        .iter()
        .map(|name| format!("{name:>cell$}"))
        .collect();
    let _ = writeln!(out, "{}", s.bold(&format!("Per pair{header}")));
    let _ = writeln!(out, "{}", distribution_row("BLEU", &summary.bleu, cell));
    let _ = writeln!(out, "{}", distribution_row("chrF", &summary.chrf, cell));
    let _ = writeln!(out, "{}", distribution_row("TER", &summary.ter, cell));
    out
}

/// The set report for a terminal: the set's scores, pooled per-pair summary
/// and names, the weakest articles (every article with `--all`, each followed
/// by its own report), and the articles that failed.
impl Exporter<SetReport> for TextExporter {
    fn export(&self, report: &SetReport) -> String {
        let s = Style { on: self.color };
        let set = &report.set;
        let mut out = String::new();
        let failed = if set.failed > 0 { s.warn(&format!(", {} failed", set.failed)) } else { String::new() };
        let _ = writeln!(out, "{} {} articles ({} scored{failed})", s.bold("test set:"), set.articles, set.scored);
        let _ = writeln!(out);
        out.push_str(&scores_section("Set", &set.document, &set.summary, "", &s, self.width));
        let _ =
            writeln!(out, "{}", s.dim("(set scores: summed statistics of every article; 95% CI resamples articles)"));
        out.push_str(&names_section(&set.names, &s, self.all));

        let weakest = weakest_articles(report);
        let shown = if self.all { weakest.len() } else { weakest.len().min(DEFAULT_WEAKEST_ARTICLES) };
        let _ = writeln!(out);
        let title = if shown == weakest.len() {
            format!("Articles by BLEU, weakest first ({shown})")
        } else {
            format!("Weakest {shown} of {} articles by BLEU (--all for every article)", weakest.len())
        };
        let _ = writeln!(out, "{}", s.bold(&title));
        let ids: Vec<String> = weakest.iter().take(shown).map(|(id, _)| for_terminal(id).into_owned()).collect();
        let id_width = ids.iter().map(|id| id.chars().count()).max().unwrap_or(2).clamp(2, 40);
        let _ = writeln!(
            out,
            "  {}",
            s.dim(&format!(
                "{}  sentences    BLEU    chrF     TER  variants  coverage  low-conf",
                pad_end("id", id_width)
            ))
        );
        for (id, (_, article)) in ids.iter().zip(&weakest) {
            let d = &article.document;
            let variants = article.names.variant_rate.map_or_else(|| "–".into(), |v| format!("{:.1}%", 100.0 * v));
            let _ = writeln!(
                out,
                "  {}  {:>9}  {:>6.2}  {:>6.2}  {:>6.2}  {:>8}  {:>7.1}%  {:>8}",
                pad_end(&elide(id, id_width), id_width),
                d.reference_sentences,
                d.bleu.score.score,
                d.chrf.score.score,
                d.ter.score.score,
                variants,
                100.0 * d.coverage,
                d.low_confidence
            );
        }
        let failures: Vec<_> = failed_articles(report).collect();
        if !failures.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", s.warn(&s.bold(&format!("Failed articles ({})", failures.len()))));
            for (id, failure) in failures {
                let first = failure.message.lines().next().unwrap_or_default();
                let at = failure.listed_at.as_deref().map_or_else(String::new, |at| format!("{at}: "));
                let _ = writeln!(out, "  {}: {}", for_terminal(id), for_terminal(&format!("{at}{first}")));
            }
        }
        let _ = writeln!(out);
        let d = &set.document;
        let _ = writeln!(out, "{}", s.dim(&format!("BLEU: {}", d.bleu.score.signature)));
        let _ = writeln!(out, "{}", s.dim(&format!("chrF: {}", d.chrf.score.signature)));
        let _ = writeln!(out, "{}", s.dim(&format!("TER:  {}", d.ter.score.signature)));
        if self.all {
            let article = TextExporter { all: false, ..*self };
            for entry in &report.articles {
                if let Some(r) = entry.report() {
                    let _ = writeln!(out);
                    let _ = writeln!(out, "{}", s.bold(&format!("── article {} ──", for_terminal(&entry.id))));
                    out.push_str(&article.export(r));
                }
            }
        }
        fit(&out, self.width)
    }
}

/// The comparison of two candidates for a terminal: per measure the two
/// values, the difference with its interval and p-value, then the units of
/// biggest BLEU gain and loss with both renderings.
impl Exporter<CompareReport> for TextExporter {
    fn export(&self, report: &CompareReport) -> String {
        let s = Style { on: self.color };
        let mut out = String::new();
        let inputs = &report.inputs;
        if report.unit == "article" {
            let _ =
                writeln!(out, "{} {} ({} articles)", s.bold("compare:"), for_terminal(&inputs.reference), report.units);
        } else {
            let _ = writeln!(out, "{} {}", s.bold("reference:"), for_terminal(&inputs.reference));
            let _ = writeln!(out, "{} {}", s.bold("baseline: "), for_terminal(&inputs.baseline));
            let _ = writeln!(out, "{} {}", s.bold("candidate:"), for_terminal(&inputs.candidate));
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            s.bold("                             baseline  candidate      delta   95% CI of delta        p")
        );
        let num = |v: Option<f64>| fmt_opt(v, 2);
        let signed = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{v:+.2}"));
        for m in report.shown_measures() {
            let interval = m.ci95.map_or_else(|| "–".to_string(), |[lo, hi]| format!("[{lo:+.2}, {hi:+.2}]"));
            let p_text = format!("{:>8}", fmt_opt(m.p_value, 4));
            let p_text = if m.p_value.is_some_and(|p| p < 0.05) { s.warn(&p_text) } else { p_text };
            let _ = writeln!(
                out,
                "  {:<26} {:>9}  {:>9}  {:>9}  {:>16}  {p_text}",
                m.label,
                num(m.baseline),
                num(m.candidate),
                signed(m.delta),
                interval
            );
        }
        let _ = writeln!(
            out,
            "{}",
            s.dim(&format!(
                "(↓: lower is better; paired bootstrap over {} {}s; p < 0.05 is highlighted: the difference would \
                 likely replicate, which says nothing about whether it matters)",
                report.units, report.unit
            ))
        );
        let column = (self.width.saturating_sub(14)).max(20);
        let shown = |text: &str| wrap(&for_terminal(&elide(text, column * SCREEN_LINES)), column);
        for (title, list) in [("Biggest BLEU gains", &report.wins), ("Biggest BLEU losses", &report.losses)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", s.bold(title));
            for change in list {
                let _ = writeln!(
                    out,
                    "  {}  BLEU {:.2} → {:.2}",
                    for_terminal(&change.unit),
                    change.baseline_bleu,
                    change.candidate_bleu
                );
                for (label, text) in
                    [("reference", &change.reference), ("baseline", &change.baseline), ("candidate", &change.candidate)]
                {
                    if text.is_empty() {
                        continue;
                    }
                    for (i, line) in shown(text).iter().enumerate() {
                        let label = if i == 0 { label } else { "" };
                        let _ = writeln!(out, "    {}  {line}", s.dim(&pad_end(label, 9)));
                    }
                }
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", s.dim(&report.signature));
        fit(&out, self.width)
    }
}

/// Entity lines the one-screen report shows (every one with `--all`).
const SHOWN_ENTITIES: usize = 8;

/// The names section, led by the confident findings: misspelled and wrong
/// renderings per name, then missing names; low-confidence findings are
/// marked, and added names come last.
fn names_section(n: &NameReport, s: &Style, all: bool) -> String {
    let mut out = String::new();
    let pct = |x: Option<f64>| x.map_or_else(|| "–".into(), |v| format!("{:.1}%", 100.0 * v));
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{} variant rate {} ({} of {} renderings misspelled or wrong); recall {}, precision {}; entity accuracy {}",
        s.bold("Names"),
        s.bold(&pct(n.variant_rate)),
        n.variants + n.wrong,
        n.correct + n.variants + n.wrong,
        fmt_opt(n.recall, 2),
        fmt_opt(n.precision, 2),
        fmt_opt(n.entity_accuracy, 2)
    );
    let with_findings: Vec<_> = n.entities.iter().filter(|e| !e.variants.is_empty() || !e.wrong.is_empty()).collect();
    let limit = if all { usize::MAX } else { SHOWN_ENTITIES };
    for e in with_findings.iter().take(limit) {
        let mut found: Vec<String> = e.variants.iter().map(|v| format!("{} {}", v.text, v.count)).collect();
        found.extend(e.wrong.iter().map(|v| format!("wrong: {} {}", v.text, v.count)));
        let label = if e.full_name == e.name { e.name.clone() } else { format!("{} ({})", e.name, e.full_name) };
        let low = if e.confidence == Some(crate::names::Confidence::Low) {
            s.dim("  (low confidence)")
        } else {
            String::new()
        };
        let (label, found) = (for_terminal(&label), for_terminal(&found.join(", ")).into_owned());
        let _ = writeln!(out, "  {:<28} exact {} | {}{low}", label, e.exact, s.warn(&found));
    }
    if with_findings.len() > limit {
        let _ = writeln!(
            out,
            "  {}",
            s.dim(&format!("… {} more names with findings (--all)", with_findings.len() - limit))
        );
    }
    let missing: Vec<String> =
        n.entities.iter().filter(|e| e.missing > 0).map(|e| format!("{} {}", e.name, e.missing)).collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "  missing: {}", for_terminal(&missing.join(", ")));
    }
    if !n.added_names.is_empty() {
        let added: Vec<String> = n.added_names.iter().map(|v| format!("{} {}", v.text, v.count)).collect();
        let _ = writeln!(out, "  {}", s.dim(&format!("added: {}", for_terminal(&added.join(", ")))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_breaks_only_overlong_lines_at_spaces_and_bars_with_a_hanging_indent() {
        let text =
            "short line\nSentences reference 20, candidate 26; aligned pairs 20\nBLEU: nrefs:1|case:mixed|eff:no\n";
        assert_eq!(
            fit(text, 30),
            "short line\nSentences reference 20,\n          candidate 26;\n          aligned pairs 20\n\
             BLEU: nrefs:1|case:mixed|\n          eff:no\n"
        );
        // Colour codes take no width.
        assert_eq!(fit("\x1b[1mbold\x1b[0m text", 9), "\x1b[1mbold\x1b[0m text");
    }

    #[test]
    fn wrap_breaks_on_words_and_splits_overlong_words() {
        assert_eq!(wrap("aaa bbb ccc", 7), ["aaa bbb", "ccc"]);
        assert_eq!(wrap("", 10), [""]);
        let long = "x".repeat(25);
        assert_eq!(wrap(&long, 10), ["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
        assert_eq!(wrap("ab ééééééééééééé c", 10), ["ab", "éééééééééé", "ééé c"]);
    }

    #[test]
    fn long_text_is_elided_with_a_count_of_what_is_left() {
        assert_eq!(elide("short", 5), "short");
        assert_eq!(elide("abcdéfgh", 5), "abcdé … (3 more characters; the JSON report has them all)");
    }
}
