//! sacreBLEU's multi-system output, byte for byte: the `tabulate` table of
//! `print_results_table` (`fancy_grid` for `-f text`, `latex_booktabs` for
//! `-f latex`; first column right-aligned, the others centred, cells stripped,
//! widths in characters), the paired tests' explanation and the list of
//! signatures; on a terminal, with sacreBLEU's colours (which take no width).

use crate::significance::Estimate;
use crate::text::{py_strip, visible_width as width};

/// One column of a table: a header and one (possibly multi-line) cell per row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Column {
    /// The header.
    pub header: String,
    /// One cell per row; `\n` separates lines.
    pub cells: Vec<String>,
}

/// A colour sacreBLEU uses (colorama's foreground codes).
#[derive(Debug, Clone, Copy)]
pub(super) enum Colour {
    Red = 31,
    Green = 32,
    Yellow = 33,
    Cyan = 36,
}

/// `text` in `colour` (and reset after it) when `on`.
pub(super) fn paint(text: &str, colour: Colour, on: bool) -> String {
    if on {
        format!("\x1b[{}m{text}\x1b[0m", colour as u8)
    } else {
        text.to_string()
    }
}

/// A score line with its `(μ = … ± …)` part in cyan when `colour`, as sacreBLEU prints it.
pub(super) fn colour_interval(line: &str, colour: bool) -> String {
    let Some(start) = line.find("(μ = ").filter(|_| colour) else { return line.to_string() };
    match line[start..].find(')') {
        Some(len) => {
            let end = start + len + 1;
            format!("{}{}{}", &line[..start], paint(&line[start..end], Colour::Cyan, true), &line[end..])
        }
        None => line.to_string(),
    }
}

/// Python's `format(s, '>w')` (`right`) or `format(s, '^w')` (centred, the
/// odd space on the right).
fn pad(s: &str, w: usize, right: bool) -> String {
    let room = w.saturating_sub(width(s));
    let left = if right { room } else { room / 2 };
    format!("{}{s}{}", " ".repeat(left), " ".repeat(room - left))
}

/// How `print_results_table` draws its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TableFormat {
    /// `-f text`: `tabulate`'s `fancy_grid`.
    Grid,
    /// `-f latex`: `tabulate`'s `latex_booktabs`.
    Latex,
}

impl TableFormat {
    /// Whether a paired test's p-value goes on a line of its own under the score (in the grid)
    /// rather than after it.
    pub(super) fn multiline(self) -> bool {
        self == TableFormat::Grid
    }

    /// `tabulate(columns, headers='keys', tablefmt=…, colalign=('right',), stralign='center')`
    /// for string cells, followed by the newline `print` adds.
    pub(super) fn render(self, columns: &[Column]) -> String {
        match self {
            TableFormat::Grid => fancy_grid(columns),
            TableFormat::Latex => latex_booktabs(columns),
        }
    }
}

/// A table's columns laid out as `tabulate` lays them out before drawing.
struct Layout {
    /// Per column: the width of its text.
    widths: Vec<usize>,
    /// Per column: the header's lines, padded to the width.
    headers: Vec<Vec<String>>,
    /// Per column, per row: the cell's lines, padded to the width.
    cells: Vec<Vec<Vec<String>>>,
}

/// The widths (the widest line of a stripped cell, at least the header's plus
/// 2) and the padded lines of every header and cell.
fn layout(columns: &[Column]) -> Layout {
    let line_width = |s: &str| s.split('\n').map(width).max().unwrap_or(0);
    let mut layout = Layout { widths: Vec::new(), headers: Vec::new(), cells: Vec::new() };
    for (i, column) in columns.iter().enumerate() {
        let right = i == 0;
        let stripped: Vec<&str> = column.cells.iter().map(|c| py_strip(c)).collect();
        let w = stripped.iter().map(|c| line_width(c)).max().unwrap_or(0).max(line_width(&column.header) + 2);
        layout.widths.push(w);
        layout.headers.push(column.header.split('\n').map(|h| pad(h, w, right)).collect());
        layout.cells.push(stripped.iter().map(|c| c.lines().map(|l| pad(l, w, right)).collect()).collect());
    }
    layout
}

/// The `fancy_grid` table.
fn fancy_grid(columns: &[Column]) -> String {
    let rows = columns.first().map_or(0, |c| c.cells.len());
    let Layout { widths, headers, cells } = layout(columns);
    let rule = |left: &str, fill: &str, mid: &str, end: &str| {
        let parts: Vec<String> = widths.iter().map(|&w| fill.repeat(w + 2)).collect();
        format!("{left}{}{end}\n", parts.join(mid))
    };
    let row = |lines: Vec<&Vec<String>>| {
        let height = lines.iter().map(|l| l.len()).max().unwrap_or(0);
        let mut out = String::new();
        for k in 0..height {
            let parts: Vec<String> = lines
                .iter()
                .zip(&widths)
                .map(|(l, &w)| format!(" {} ", l.get(k).cloned().unwrap_or_else(|| " ".repeat(w))))
                .collect();
            out.push_str(&format!("│{}│\n", parts.join("│")));
        }
        out
    };
    let mut out = rule("╒", "═", "╤", "╕");
    out.push_str(&row(headers.iter().collect()));
    out.push_str(&rule("╞", "═", "╪", "╡"));
    for r in 0..rows {
        if r > 0 {
            out.push_str(&rule("├", "─", "┼", "┤"));
        }
        out.push_str(&row(cells.iter().map(|c| &c[r]).collect()));
    }
    out.push_str(&rule("╘", "═", "╧", "╛"));
    out
}

/// The `latex_booktabs` table: the columns `r` then `c`, and rows of padded
/// cells joined by `&`. As in `tabulate`, LaTeX's special characters are
/// escaped after padding, so a cell holding one (`_` in a file name, `%` in
/// `95% CI`) stands out of its column by the escape's length.
fn latex_booktabs(columns: &[Column]) -> String {
    let rows = columns.first().map_or(0, |c| c.cells.len());
    let Layout { headers, cells, .. } = layout(columns);
    let row = |lines: Vec<&Vec<String>>| {
        let parts: Vec<String> = lines.iter().map(|l| latex_escape(&format!(" {} ", l.join("\n")))).collect();
        format!("{}\\\\\n", parts.join("&"))
    };
    let aligns: String = (0..columns.len()).map(|i| if i == 0 { 'r' } else { 'c' }).collect();
    let mut out = format!("\\begin{{tabular}}{{{aligns}}}\n\\toprule\n");
    out.push_str(&row(headers.iter().collect()));
    out.push_str("\\midrule\n");
    for r in 0..rows {
        out.push_str(&row(cells.iter().map(|c| &c[r]).collect()));
    }
    out.push_str("\\bottomrule\n\\end{tabular}\n");
    out
}

/// `text` with `tabulate`'s LaTeX escapes (`LATEX_ESCAPE_RULES`).
fn latex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '\\' => out.push_str("\\textbackslash{}"),
            '<' => out.push_str("\\ensuremath{<}"),
            '>' => out.push_str("\\ensuremath{>}"),
            c => out.push(c),
        }
    }
    out
}

/// A paired-test cell (`_format_score_lines`): the score, the bootstrap mean
/// and interval when there is one, and the p-value (on a second line when
/// `multiline`, else after a space), with a `*` when it is at most 0.05 (else
/// in red when `colour`).
pub(super) fn estimate_cell(estimate: &Estimate, width: usize, colour: bool, multiline: bool) -> String {
    let mut cell = format!("{:.*}", width, estimate.score);
    if let (Some(mean), Some(ci)) = (estimate.mean, estimate.ci) {
        cell.push_str(&format!(" ({mean:.width$} ± {ci:.width$})"));
    }
    if let Some(p) = estimate.p_value {
        let text = format!("(p = {p:.4})");
        cell.push(if multiline { '\n' } else { ' ' });
        if p > 0.05 {
            cell.push_str(&paint(&text, Colour::Red, colour));
        } else {
            cell.push_str(&text);
            cell.push('*');
        }
    }
    cell
}

/// The explanation sacreBLEU prints under a paired test's table. `samples` is
/// the count as given on the command line.
pub(super) fn paired_explanation(bootstrap: bool, samples: usize, baseline: &str, colour: bool) -> String {
    let (test, kind) =
        if bootstrap { ("bootstrap resampling", "resampling trials") } else { ("approximate randomization", "trials") };
    let title = format!("Paired {test} test with {samples} {kind}");
    let rule = "-".repeat(width(&title));
    let provided = if bootstrap {
        "   Actual system score / bootstrap estimated true mean / 95% CI are provided for each metric."
    } else {
        "   Actual system score is provided for each metric."
    };
    let (bline, name) = (paint("baseline", Colour::Yellow, colour), paint(baseline, Colour::Yellow, colour));
    let (null, red) =
        (paint("Null hypothesis", Colour::Green, colour), paint("highlighted in red", Colour::Red, colour));
    let null_lower = paint("null hypothesis", Colour::Green, colour);
    let lines = [
        rule.clone(),
        title,
        rule,
        format!(" - Each system is pairwise compared to {name}."),
        provided.to_string(),
        String::new(),
        format!(" - {null}: the system and the {bline} translations are essentially"),
        format!("   generated by the same underlying process. For a given system and the {bline},"),
        "   the p-value is roughly the probability of the absolute score difference (delta)".to_string(),
        format!("   or higher occurring due to chance, under the assumption that the {null_lower} is correct."),
        String::new(),
        format!(" - Assuming a significance threshold of 0.05, the {null_lower} can be rejected"),
        "   for p-values < 0.05 (marked with \"*\"). This means that the delta is unlikely to be attributed"
            .to_string(),
        format!("   to chance, hence the system is significantly \"different\" than the {bline}."),
        format!("   Otherwise, the p-values are {red}."),
        String::new(),
        format!(" - NOTE: Significance does not tell whether a system is \"better\" than the {bline} but rather"),
        "   emphasizes the \"difference\" of the systems in terms of the replicability of the delta.".to_string(),
        String::new(),
    ];
    lines.iter().flat_map(|l| [l.as_str(), "\n"]).collect()
}

/// The list of signatures that ends sacreBLEU's multi-system output.
pub(super) fn signature_list(signatures: &[(String, String)]) -> String {
    let mut out = String::from("-----------------\nMetric signatures\n-----------------\n");
    for (name, signature) in signatures {
        out.push_str(&format!(" - {name:<10} {signature}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_pads_right_and_centre_like_tabulate() {
        let columns = vec![
            Column { header: "System".into(), cells: vec!["a.txt".into(), "longer.txt".into()] },
            Column { header: "BLEU".into(), cells: vec!["1.5".into(), "10.25\n(p = 0.0010)*".into()] },
        ];
        let expected = "\
╒════════════╤═══════════════╕
│     System │     BLEU      │
╞════════════╪═══════════════╡
│      a.txt │      1.5      │
├────────────┼───────────────┤
│ longer.txt │     10.25     │
│            │ (p = 0.0010)* │
╘════════════╧═══════════════╛
";
        assert_eq!(TableFormat::Grid.render(&columns), expected);
        // Colour codes take no width.
        let painted: Vec<Column> = columns
            .iter()
            .map(|c| Column {
                header: paint(&c.header, Colour::Cyan, true),
                cells: c.cells.iter().map(|x| paint(x, Colour::Yellow, true)).collect(),
            })
            .collect();
        let plain = fancy_grid(&painted).replace("\x1b[36m", "").replace("\x1b[33m", "").replace("\x1b[0m", "");
        assert_eq!(plain, expected);
    }

    #[test]
    fn latex_escapes_after_padding_like_tabulate() {
        let columns = vec![
            Column { header: "System".into(), cells: vec!["a_b.txt".into(), "longer.txt".into()] },
            Column { header: "BLEU (μ ± 95% CI)".into(), cells: vec!["1.5".into(), "10.25 (p = 0.0010)*".into()] },
        ];
        let expected = "\\begin{tabular}{rc}
\\toprule
     System &  BLEU (μ ± 95\\% CI)  \\\\
\\midrule
    a\\_b.txt &         1.5         \\\\
 longer.txt & 10.25 (p = 0.0010)* \\\\
\\bottomrule
\\end{tabular}
";
        assert_eq!(TableFormat::Latex.render(&columns), expected);
        assert_eq!(
            latex_escape("&%$#_{}^~\\<>"),
            "\\&\\%\\$\\#\\_\\{\\}\\^{}\\textasciitilde{}\\textbackslash{}\\ensuremath{<}\\ensuremath{>}"
        );
    }
}
