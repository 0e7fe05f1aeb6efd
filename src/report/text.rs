//! The terminal report: one screen, summary first, then the weakest pairs with
//! both sides side by side, then unaligned sentences.

use std::borrow::Cow;
use std::fmt::Write;

use super::set::{failed_articles, weakest_articles};
use super::{
    fmt_opt, kind_counts, pair_texts, weakest_first, ArticleReport, DocumentMetric, DocumentSummary, Exporter,
    SetReport, Summary,
};
use crate::compare::CompareReport;
use crate::names::NameReport;
use crate::stats::Distribution;
use crate::text::{char_columns, display_width, pad_end};
use crate::untrusted::for_terminal;

/// How many pairs the report shows without `--all` (fewer when they do not fit its height).
pub const DEFAULT_WEAKEST: usize = 5;

/// Lines the article report fills without `--all` when the terminal is not
/// taller (or not a terminal): one 80×40 screen.
pub const SCREEN_HEIGHT: usize = 40;

/// Lines of each side of a pair the report shows without `--all`.
const PAIR_LINES: usize = 3;

/// Extra or omitted sentences (and failed articles of a set) the report lists without `--all`.
const LISTED_UNALIGNED: usize = 3;

/// How many articles a set report lists without `--all` (fewer when they do not fit its height).
pub const DEFAULT_WEAKEST_ARTICLES: usize = 10;

/// Columns of an article row of the set report besides its id: the indent and
/// the figures (sentences, BLEU, chrF, TER, variants, coverage, low-confidence pairs).
const ARTICLE_COLUMNS: usize = 2 + 2 + 9 + 7 * 3 + 9 + 9 + 9;

/// Renders the report for a person at a terminal.
#[derive(Debug, Clone, Copy)]
pub struct TextExporter {
    /// Use ANSI colours and bold.
    pub color: bool,
    /// Show every pair in document order instead of the weakest few.
    pub all: bool,
    /// Total line width to wrap to.
    pub width: usize,
    /// Lines the article report may fill without `--all`.
    pub height: usize,
}

impl Default for TextExporter {
    fn default() -> Self {
        TextExporter { color: false, all: false, width: 100, height: SCREEN_HEIGHT }
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

/// Greedy word wrap of `text` to lines of at most `width` terminal columns; a
/// word wider than a line is cut into line-wide pieces. Each character is
/// visited a bounded number of times, so wrapping is linear in the text's length.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut line_width = 0;
    for word in text.split_whitespace() {
        let mut rest = word;
        let mut columns = display_width(rest);
        while columns > width {
            if line_width > 0 {
                lines.push(std::mem::take(&mut line));
                line_width = 0;
            }
            // The longest head of `rest` that fits (at least one character).
            let (mut cut, mut taken) = (0, 0);
            for (i, c) in rest.char_indices() {
                let w = char_columns(c);
                if taken + w > width && i > 0 {
                    break;
                }
                (cut, taken) = (i + c.len_utf8(), taken + w);
            }
            lines.push(rest[..cut].to_string());
            rest = &rest[cut..];
            columns -= taken;
        }
        if line_width > 0 && line_width + 1 + columns > width {
            lines.push(std::mem::take(&mut line));
            line_width = 0;
        }
        if line_width > 0 {
            line.push(' ');
            line_width += 1;
        }
        line.push_str(rest);
        line_width += columns;
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
        if display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let mut current = String::new();
        let mut current_width = 0;
        // Right after a break: spaces are dropped until the next word.
        let mut fresh = false;
        for piece in body.split_inclusive([' ', '|']) {
            let shown = display_width(piece.trim_end_matches(' '));
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
            current_width += display_width(piece);
        }
        out.push_str(current.trim_end());
        out.push_str(newline);
    }
    out
}

/// Lines of text in `section`.
fn line_count(section: &str) -> usize {
    section.matches('\n').count()
}

/// `line` ending in ` …` within `column` columns: cut as far as the mark
/// needs, back to a word's end when the cut falls inside a word (not a long one).
fn with_ellipsis(line: &str, column: usize) -> String {
    let line = line.trim_end();
    let room = column.saturating_sub(2);
    let mut end = 0;
    let mut taken = 0;
    for (i, c) in line.char_indices() {
        taken += char_columns(c);
        if taken > room {
            break;
        }
        end = i + c.len_utf8();
    }
    // Back to a word's end, unless that gives up more than half of what fits (one long word).
    if end < line.len() && !line[end..].starts_with(' ') {
        if let Some(space) = line[..end].rfind(' ').filter(|&space| line[..space].trim_end().len() > end / 2) {
            end = space;
        }
    }
    format!("{} …", line[..end].trim_end())
}

/// `line` as it is if it fits `column` columns, else cut to end in ` …`.
fn clip_line(line: &str, column: usize) -> String {
    if display_width(line) <= column {
        line.to_string()
    } else {
        with_ellipsis(line, column)
    }
}

/// `line` whole with `--all` (`all`), else cut to one line of `width` columns.
fn one_line_unless(all: bool, line: String, width: usize) -> String {
    if all {
        line
    } else {
        clip_line(&line, width)
    }
}

/// `id` as it is if it fits `column` columns, else its start and end around `…`:
/// ids differ most at their ends (`…/151354.txt`), so both are kept.
fn clip_middle(id: &str, column: usize) -> String {
    if display_width(id) <= column {
        return id.to_string();
    }
    let room = column.saturating_sub(1);
    let (mut head, mut tail) = (String::new(), Vec::new());
    let (mut head_width, mut tail_width) = (0, 0);
    let (mut front, mut back) = (id.chars().peekable(), id.chars().rev().peekable());
    // Alternate, the end first (it gets the odd column); a side stops at its first
    // character that does not fit.
    loop {
        let before = head_width + tail_width;
        if let Some(c) = back.next_if(|&c| head_width + tail_width + char_columns(c) <= room) {
            tail.push(c);
            tail_width += char_columns(c);
        }
        if let Some(c) = front.next_if(|&c| head_width + tail_width + char_columns(c) <= room) {
            head.push(c);
            head_width += char_columns(c);
        }
        if head_width + tail_width == before {
            break;
        }
    }
    head.push('…');
    head.extend(tail.iter().rev());
    head
}

/// `lines` cut to `cap`, the last one kept ending in ` …` (within `column`) when some were cut.
fn clip(mut lines: Vec<String>, cap: usize, column: usize) -> Vec<String> {
    if lines.len() > cap {
        lines.truncate(cap.max(1));
        if let Some(last) = lines.last_mut() {
            *last = with_ellipsis(last, column);
        }
    }
    lines
}

impl TextExporter {
    /// Column width of each side of the side-by-side pairs.
    fn column(&self) -> usize {
        (self.width.saturating_sub(3) / 2).max(20)
    }

    /// One pair: its figures, then reference and candidate side by side, each
    /// side cut to `cap` lines when there is a cap.
    fn pair_block(&self, report: &ArticleReport, index: usize, cap: Option<usize>, s: &Style) -> String {
        let pair = &report.pairs[index];
        let column = self.column();
        let mut out = format!(
            "#{index} {}  BLEU {:.2}  chrF {:.2}  TER {:.2}  similarity {:.2}",
            pair.kind, pair.bleu, pair.chrf, pair.ter, pair.similarity
        );
        if pair.low_confidence {
            out = format!("{out}  {}", s.warn("low confidence"));
        }
        out.push('\n');
        let (r, c) = pair_texts(report, pair);
        let shown = |text: &str| {
            let lines = wrap(&for_terminal(&elide(text, column * SCREEN_LINES)), column);
            match cap {
                Some(cap) => clip(lines, cap, column),
                None => lines,
            }
        };
        let (left, right) = (shown(&r), shown(&c));
        for k in 0..left.len().max(right.len()) {
            let l = left.get(k).map_or("", String::as_str);
            let r = right.get(k).map_or("", String::as_str);
            let _ = writeln!(out, "{} │ {}", pad_end(l, column), r);
        }
        fit(&out, self.width)
    }

    /// The pairs section: every pair in document order with `--all`; otherwise
    /// the weakest few, as many as `room` lines hold (at least one), each side
    /// cut to [`PAIR_LINES`].
    fn pairs_section(&self, report: &ArticleReport, room: usize, s: &Style) -> String {
        let (title, blocks) = if self.all {
            let blocks: Vec<String> = (0..report.pairs.len()).map(|i| self.pair_block(report, i, None, s)).collect();
            ("All pairs, in document order".to_string(), blocks)
        } else {
            // Three lines before the pairs: a blank line, the title and the column heads.
            let mut room = room.saturating_sub(3);
            let mut blocks = Vec::new();
            for (i, _) in weakest_first(report).into_iter().take(DEFAULT_WEAKEST) {
                let block = self.pair_block(report, i, Some(PAIR_LINES), s);
                if !blocks.is_empty() && line_count(&block) > room {
                    break;
                }
                room = room.saturating_sub(line_count(&block));
                blocks.push(block);
            }
            let title = if blocks.len() == report.pairs.len() {
                "Pairs by BLEU, weakest first (--all for each in full, in document order)".to_string()
            } else {
                format!(
                    "Weakest {} of {} pairs by BLEU (--all for every pair in full)",
                    blocks.len(),
                    report.pairs.len()
                )
            };
            (title, blocks)
        };
        if blocks.is_empty() {
            return String::new();
        }
        let mut out = format!("\n{}\n", s.bold(&title));
        let _ = writeln!(out, "{} │ {}", s.dim(&pad_end("reference", self.column())), s.dim("candidate"));
        // The blocks are fitted already.
        let mut out = fit(&out, self.width);
        blocks.iter().for_each(|block| out.push_str(block));
        out
    }

    /// Extra candidate and omitted reference sentences, each list (when not
    /// empty) cut to [`LISTED_UNALIGNED`] without `--all`.
    fn unaligned_sections(&self, report: &ArticleReport, s: &Style) -> String {
        let mut out = String::new();
        let lists = [
            (
                "Extra candidate sentences (no counterpart in the reference)",
                &report.unaligned.candidate,
                &report.sentences.candidate,
            ),
            (
                "Omitted reference sentences (not rendered in the candidate)",
                &report.unaligned.reference,
                &report.sentences.reference,
            ),
        ];
        for (title, indices, texts) in lists {
            if indices.is_empty() {
                continue;
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "{}", s.bold(title));
            let shown = if self.all { indices.len() } else { indices.len().min(LISTED_UNALIGNED) };
            for &i in &indices[..shown] {
                let line = format!("  [{i}] {}", for_terminal(&elide(&texts[i], self.width * SCREEN_LINES)));
                let line = one_line_unless(self.all, line, self.width);
                let _ = writeln!(out, "{line}");
            }
            if shown < indices.len() {
                let _ = writeln!(out, "  {}", s.dim(&format!("… and {} more (--all)", indices.len() - shown)));
            }
        }
        fit(&out, self.width)
    }
}

/// The metric signatures, one per line after a blank line.
fn signature_lines(d: &DocumentSummary, s: &Style) -> String {
    let mut out = String::from("\n");
    let _ = writeln!(out, "{}", s.dim(&format!("BLEU: {}", d.bleu.score.signature)));
    let _ = writeln!(out, "{}", s.dim(&format!("chrF: {}", d.chrf.score.signature)));
    let _ = writeln!(out, "{}", s.dim(&format!("TER:  {}", d.ter.score.signature)));
    out
}

impl Exporter for TextExporter {
    /// The article report: without `--all` it fills at most `height` lines
    /// (the weakest pairs give way first), and says how to see the rest.
    fn export(&self, report: &ArticleReport) -> String {
        let s = Style { on: self.color };
        let mut top = String::new();
        let d = &report.document;
        let _ = writeln!(top, "{} {}", s.bold("reference:"), for_terminal(&report.inputs.reference));
        let _ = writeln!(top, "{} {}", s.bold("candidate:"), for_terminal(&report.inputs.candidate));
        let _ = writeln!(top);
        let kinds = if report.pairs.is_empty() { String::new() } else { format!(" ({})", kind_counts(&report.pairs)) };
        top.push_str(&scores_section("Document", d, &report.summary, &kinds, &s, self.width));
        top.push_str(&names_section(&report.names, &s, self.all, self.width));
        let top = fit(&top, self.width);
        let unaligned = self.unaligned_sections(report, &s);
        let signatures = fit(&signature_lines(d, &s), self.width);
        let room = self.height.saturating_sub(line_count(&top) + line_count(&unaligned) + line_count(&signatures));
        let pairs = self.pairs_section(report, room, &s);
        [top, pairs, unaligned, signatures].concat()
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
    let figures = |bleu: &DocumentMetric, chrf: &DocumentMetric, ter: &DocumentMetric| {
        format!("BLEU {:.2}  chrF {:.2}  TER {:.2}", bleu.score.score, chrf.score.score, ter.score.score)
    };
    let aligned = figures(&d.aligned.bleu, &d.aligned.chrf, &d.aligned.ter);
    // Without omissions or additions in the body the two agree: one line less.
    if aligned != figures(&d.bleu, &d.chrf, &d.ter) {
        let _ = writeln!(out, "          aligned pairs only: {aligned}");
    }
    let _ = writeln!(
        out,
        "{} {} reference, {} candidate; {} aligned pairs{}",
        s.bold("Sentences"),
        d.reference_sentences,
        d.candidate_sentences,
        d.pairs,
        kinds
    );
    let mut unaligned = format!(
        "{} {} extra candidate ({} in the body), {} omitted; coverage {:.1}%",
        s.bold("Unaligned"),
        d.extra,
        d.extra_in_body,
        d.omitted,
        100.0 * d.coverage
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
    /// The set report: without `--all` it fills at most `height` lines (the
    /// list of weakest articles gives way first), and says how to see the rest.
    fn export(&self, report: &SetReport) -> String {
        let s = Style { on: self.color };
        let set = &report.set;
        let mut top = String::new();
        let failed = if set.failed > 0 { s.warn(&format!(", {} failed", set.failed)) } else { String::new() };
        let _ = writeln!(top, "{} {} articles ({} scored{failed})", s.bold("test set:"), set.articles, set.scored);
        let _ = writeln!(top);
        top.push_str(&scores_section("Set", &set.document, &set.summary, "", &s, self.width));
        let _ =
            writeln!(top, "{}", s.dim("(set scores: summed statistics of every article; 95% CI resamples articles)"));
        top.push_str(&names_section(&set.names, &s, self.all, self.width));
        let top = fit(&top, self.width);

        let failures: Vec<_> = failed_articles(report).collect();
        let mut failed = String::new();
        if !failures.is_empty() {
            let _ = writeln!(failed);
            let _ = writeln!(failed, "{}", s.warn(&s.bold(&format!("Failed articles ({})", failures.len()))));
            let shown = if self.all { failures.len() } else { failures.len().min(LISTED_UNALIGNED) };
            for (id, failure) in &failures[..shown] {
                let first = failure.message.lines().next().unwrap_or_default();
                let at = failure.listed_at.as_deref().map_or_else(String::new, |at| format!("{at}: "));
                let line = format!("  {}: {}", for_terminal(id), for_terminal(&format!("{at}{first}")));
                let _ = writeln!(failed, "{}", one_line_unless(self.all, line, self.width));
            }
            if shown < failures.len() {
                let _ = writeln!(failed, "  {}", s.dim(&format!("… and {} more (--all)", failures.len() - shown)));
            }
        }
        let failed = fit(&failed, self.width);
        let signatures = fit(&signature_lines(&set.document, &s), self.width);

        let weakest = weakest_articles(report);
        // Three lines before the rows: a blank line, the title and the column heads.
        let room = self.height.saturating_sub(line_count(&top) + line_count(&failed) + line_count(&signatures) + 3);
        let shown = if self.all { weakest.len() } else { weakest.len().min(DEFAULT_WEAKEST_ARTICLES).min(room.max(1)) };
        let mut out = top;
        let _ = writeln!(out);
        let title = if shown == weakest.len() {
            format!("Articles by BLEU, weakest first ({shown})")
        } else {
            format!("Weakest {shown} of {} articles by BLEU (--all for every article)", weakest.len())
        };
        let _ = writeln!(out, "{}", s.bold(&title));
        let ids: Vec<String> = weakest.iter().take(shown).map(|(id, _)| for_terminal(id).into_owned()).collect();
        // Ids are cut (in the middle) only where the columns would not fit the width.
        let room = self.width.saturating_sub(ARTICLE_COLUMNS).max(8);
        let id_width = ids.iter().map(|id| display_width(id)).max().unwrap_or(2).clamp(2, 40).min(room);
        let _ = writeln!(
            out,
            "  {}",
            s.dim(&format!("{}  sentences   BLEU   chrF    TER variants coverage low-conf", pad_end("id", id_width)))
        );
        for (id, (_, article)) in ids.iter().zip(&weakest) {
            let d = &article.document;
            let variants = article.names.variant_rate.map_or_else(|| "–".into(), |v| format!("{:.1}%", 100.0 * v));
            let _ = writeln!(
                out,
                "  {}  {:>9} {:>6.2} {:>6.2} {:>6.2} {:>8} {:>7.1}% {:>8}",
                pad_end(&clip_middle(id, id_width), id_width),
                d.reference_sentences,
                d.bleu.score.score,
                d.chrf.score.score,
                d.ter.score.score,
                variants,
                100.0 * d.coverage,
                d.low_confidence
            );
        }
        out = fit(&out, self.width);
        out.push_str(&failed);
        out.push_str(&signatures);
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
        out
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
const SHOWN_ENTITIES: usize = 5;

/// The names section, led by the confident findings: misspelled and wrong
/// renderings per name, then missing names; low-confidence findings are
/// marked, and added names come last; without `--all` each line fits `width`.
fn names_section(n: &NameReport, s: &Style, all: bool, width: usize) -> String {
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
        let head = format!("  {} exact {} | ", pad_end(&label, 28), e.exact);
        // Cut before colouring, so that no colour code is cut.
        let found = if all { found } else { clip_line(&found, width.saturating_sub(display_width(&head)).max(12)) };
        let _ = writeln!(out, "{head}{}{low}", s.warn(&found));
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
    // One line each without `--all`.
    if !missing.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            one_line_unless(all, format!("  missing: {}", for_terminal(&missing.join(", "))), width)
        );
    }
    if !n.added_names.is_empty() {
        let added: Vec<String> = n.added_names.iter().map(|v| format!("{} {}", v.text, v.count)).collect();
        let _ = writeln!(
            out,
            "{}",
            s.dim(&one_line_unless(all, format!("  added: {}", for_terminal(&added.join(", "))), width))
        );
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
        // Wide characters take two columns each.
        assert_eq!(wrap("中文中文中文 ab", 10), ["中文中文中", "文 ab"]);
    }

    #[test]
    fn clipped_lines_end_in_an_ellipsis_at_a_word_end() {
        let lines = wrap("one two three four five six seven eight", 12);
        assert_eq!(lines, ["one two", "three four", "five six", "seven eight"]);
        assert_eq!(clip(lines.clone(), 2, 12), ["one two", "three four …"]);
        assert_eq!(clip(lines.clone(), 4, 12), lines);
        // No room for the mark after "three four": the last word gives way.
        assert_eq!(clip(lines, 2, 11), ["one two", "three …"]);
        assert_eq!(clip_line("  [3] Related Articles", 80), "  [3] Related Articles");
        assert_eq!(clip_line("  [3] Related Articles", 16), "  [3] Related …");
        assert_eq!(clip_line("中文中文中文", 7), "中文 …");
        assert!(display_width(&clip_line(&"x".repeat(100), 20)) <= 20);
        assert_eq!(clip_line(&format!("  [0] {}", "x".repeat(100)), 12), "  [0] xxxx …");
        assert_eq!(clip_middle("tumentoday.ru.142054.txt", 19), "tumentoda…42054.txt");
        assert_eq!(clip_middle("seed", 19), "seed");
        assert_eq!(clip_middle("中文中文中文", 7), "中…中文");
    }

    #[test]
    fn long_text_is_elided_with_a_count_of_what_is_left() {
        assert_eq!(elide("short", 5), "short");
        assert_eq!(elide("abcdéfgh", 5), "abcdé … (3 more characters; the JSON report has them all)");
    }
}
