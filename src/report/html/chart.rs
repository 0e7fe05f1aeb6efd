//! An inline-SVG histogram of per-pair scores with the document score marked:
//! no script, no external file, readable without colour (counts are written
//! above the bars and the document line is labelled).

use std::fmt::Write;

/// Bins of the histogram: ten points each over 0–100.
const BINS: usize = 10;

/// The SVG histogram of `values` (0–100) titled `label` (`BLEU`), with a
/// labelled line at the document score `document`.
pub(crate) fn histogram(label: &str, values: &[f64], document: f64) -> String {
    let mut counts = [0usize; BINS];
    for &v in values {
        let bin = ((v.clamp(0.0, 100.0) / 100.0) * BINS as f64) as usize;
        counts[bin.min(BINS - 1)] += 1;
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    let (width, height, left, top, bottom) = (320.0, 150.0, 24.0, 26.0, 22.0);
    let plot_w = width - left - 20.0;
    let plot_h = height - top - bottom;
    let bar_w = plot_w / BINS as f64;
    let x_of = |score: f64| left + plot_w * score.clamp(0.0, 100.0) / 100.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<figure class=\"chart\"><svg viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-label=\"Histogram of per-pair {label} over {} pairs; document {label} {document:.2}\">",
        values.len()
    );
    for (i, &count) in counts.iter().enumerate() {
        let h = plot_h * count as f64 / most as f64;
        let (x, y) = (left + bar_w * i as f64, top + plot_h - h);
        let (from, to) = (i * 100 / BINS, (i + 1) * 100 / BINS);
        let _ = write!(
            svg,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\">\
             <title>{label} {from}–{to}: {count} pairs</title></rect>",
            x + 1.0,
            bar_w - 2.0
        );
        if count > 0 {
            let _ =
                write!(svg, "<text x=\"{:.1}\" y=\"{:.1}\" class=\"count\">{count}</text>", x + bar_w / 2.0, y - 2.0);
        }
    }
    let axis_y = top + plot_h;
    let _ =
        write!(svg, "<line class=\"axis\" x1=\"{left}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\"/>", left + plot_w);
    for tick in [0, 50, 100] {
        let _ =
            write!(svg, "<text x=\"{:.1}\" y=\"{:.1}\" class=\"tick\">{tick}</text>", x_of(tick as f64), axis_y + 14.0);
    }
    let x = x_of(document);
    let _ = write!(
        svg,
        "<line class=\"document\" x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{axis_y}\"/>\
         <text x=\"{x:.1}\" y=\"12\" class=\"document-label\">document {document:.2}</text></svg>",
        top - 8.0
    );
    let _ = write!(
        svg,
        "<figcaption>Per-pair {label} ({} pairs), document score marked</figcaption></figure>",
        values.len()
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_lands_in_a_bar_and_the_document_is_labelled() {
        let svg = histogram("BLEU", &[0.0, 5.0, 55.0, 100.0, 100.0], 42.0);
        assert!(svg.contains("<title>BLEU 0–10: 2 pairs</title>"), "{svg}");
        assert!(svg.contains("<title>BLEU 90–100: 2 pairs</title>"), "{svg}");
        assert!(svg.contains("document 42.00"));
        assert_eq!(svg.matches("<rect").count(), BINS);
    }
}
