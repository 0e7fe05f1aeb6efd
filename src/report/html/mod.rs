//! The HTML report: one self-contained page (inline CSS, a little inline
//! script, no network requests) to attach to a CI run or a pull request.
//!
//! The content is plain HTML, readable with scripts disabled; the script only
//! sorts and filters the pairs. The page carries stable hooks for tests and
//! tools: `<tr data-pair="N">` per aligned pair, `<mark class="name-TIER">` per
//! name rendering, `<span class="match">` per matched n-gram span, and the JSON
//! report itself in `<script type="application/json" id="tqscore-report">`.
//! Every text from the input is escaped ([`for_html`], [`json_for_script`]),
//! and a Content-Security-Policy allows only the page's own script and styles.

mod chart;
mod marks;

use std::fmt::Write;
use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use super::set::failed_articles;
use super::{
    confidence_word, counted, fmt_opt, kind_counts, name_findings, pair_texts, ArticleReport, DocumentSummary,
    Exporter, JsonExporter, SetReport,
};
use crate::compare::CompareReport;
use crate::names::{MentionAudit, NameReport};
use crate::tokenize::TokenizerKind;
use crate::untrusted::{for_html, json_for_script};
use marks::{marked_html, match_spans, name_marks};

/// The page's style sheet.
const STYLE: &str = include_str!("style.css");

/// The page's script: sorting and filtering, nothing else.
const SCRIPT: &str = include_str!("script.js");

/// Renders a report as one self-contained HTML page.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlExporter;

impl Exporter for HtmlExporter {
    fn export(&self, report: &ArticleReport) -> String {
        let title = format!("tqscore: {} vs {}", report.inputs.candidate, report.inputs.reference);
        let mut body = format!("<header><h1>{}</h1></header>\n<main>\n", for_html(&title));
        body.push_str("<section aria-labelledby=\"summary\"><h2 id=\"summary\">Scores</h2>\n");
        body.push_str(&figures("document", &report.document, &report.names));
        body.push_str(&charts(std::iter::once(report), &report.document));
        body.push_str(&signature(&report.signature));
        body.push_str("</section>\n");
        body.push_str(&names_table(&report.names));
        body.push_str(&pairs_section(report, None));
        body.push_str("</main>\n");
        page(&title, &body, report)
    }
}

impl Exporter<SetReport> for HtmlExporter {
    fn export(&self, report: &SetReport) -> String {
        let set = &report.set;
        let title = format!("tqscore: test set of {} articles", set.articles);
        let mut body = format!("<header><h1>{}</h1></header>\n<main>\n", for_html(&title));
        let _ = write!(
            body,
            "<section aria-labelledby=\"summary\"><h2 id=\"summary\">Scores</h2>\n<p>{} scored, {} failed. Set \
             scores come from the summed statistics of every article; the 95% CI resamples articles.</p>\n",
            set.scored, set.failed
        );
        body.push_str(&figures("set", &set.document, &set.names));
        let scored: Vec<&ArticleReport> = report.articles.iter().filter_map(|a| a.report()).collect();
        body.push_str(&charts(scored.iter().copied(), &set.document));
        body.push_str(&signature(&report.signature));
        body.push_str("</section>\n");
        body.push_str(&articles_table(report));
        let failures: Vec<_> = failed_articles(report).collect();
        if !failures.is_empty() {
            let _ = write!(body, "<section><h2>Failed articles ({})</h2><ul>", failures.len());
            for (id, failure) in failures {
                let _ = write!(body, "<li><strong>{}</strong>: {}</li>", for_html(id), for_html(&failure.message));
            }
            body.push_str("</ul></section>\n");
        }
        if !scored.is_empty() {
            body.push_str(LEGEND);
            body.push_str(CONTROLS);
        }
        for (k, entry) in report.articles.iter().enumerate() {
            let Some(article) = entry.report() else { continue };
            let _ = writeln!(
                body,
                "<section class=\"article\" id=\"article-{k}\" aria-labelledby=\"article-{k}-title\">\
                 <h2 id=\"article-{k}-title\">Article {}</h2>",
                for_html(&entry.id)
            );
            body.push_str(&figures("document", &article.document, &article.names));
            body.push_str(&names_table(&article.names));
            body.push_str(&pairs_table(article, Some(k)));
            body.push_str("</section>\n");
        }
        body.push_str("</main>\n");
        page(&title, &body, report)
    }
}

impl Exporter<CompareReport> for HtmlExporter {
    fn export(&self, report: &CompareReport) -> String {
        let inputs = &report.inputs;
        let title = format!("tqscore compare: {} vs {}", inputs.candidate, inputs.baseline);
        let mut body = format!("<header><h1>{}</h1></header>\n<main>\n", for_html(&title));
        let _ = write!(
            body,
            "<section aria-labelledby=\"summary\"><h2 id=\"summary\">Measures</h2>\n<p>Reference {}; paired \
             bootstrap over {} {}s (↓: lower is better); p is the chance of a difference this large from \
             noise.</p>\n<table class=\"figures\"><thead><tr><th scope=\"col\">measure</th><th scope=\"col\">baseline\
             </th><th scope=\"col\">candidate</th><th scope=\"col\">delta</th><th scope=\"col\">95% CI of delta</th>\
             <th scope=\"col\">p</th></tr></thead><tbody>",
            for_html(&inputs.reference),
            report.units,
            report.unit
        );
        for m in report.shown_measures() {
            let [baseline, candidate, delta, interval, p] = m.cells();
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{}</th><td>{baseline}</td><td>{candidate}</td><td>{delta}</td>\
                 <td>{interval}</td><td>{p}</td></tr>",
                for_html(m.label)
            );
        }
        body.push_str("</tbody></table>\n");
        body.push_str(&signature(&report.signature));
        body.push_str("</section>\n");
        for (title, list) in [("Biggest BLEU gains", &report.wins), ("Biggest BLEU losses", &report.losses)] {
            if list.is_empty() {
                continue;
            }
            let _ = write!(
                body,
                "<section><h2>{title}</h2><table class=\"changes\"><thead><tr><th scope=\"col\">unit</th>\
                 <th scope=\"col\">BLEU before</th><th scope=\"col\">after</th><th scope=\"col\">reference</th>\
                 <th scope=\"col\">baseline</th><th scope=\"col\">candidate</th></tr></thead><tbody>"
            );
            for c in list {
                let _ = write!(
                    body,
                    "<tr><td data-label=\"unit\">{}</td><td data-label=\"BLEU before\">{:.2}</td>\
                     <td data-label=\"after\">{:.2}</td><td data-label=\"reference\" class=\"text\">{}</td>\
                     <td data-label=\"baseline\" class=\"text\">{}</td><td data-label=\"candidate\" class=\"text\">{}\
                     </td></tr>",
                    for_html(&c.unit),
                    c.baseline_bleu,
                    c.candidate_bleu,
                    for_html(&c.reference),
                    for_html(&c.baseline),
                    for_html(&c.candidate)
                );
            }
            body.push_str("</tbody></table></section>\n");
        }
        body.push_str("</main>\n");
        page(&title, &body, report)
    }
}

/// The whole page around `body`: head (style, a Content-Security-Policy that
/// allows no request and only this page's script), the embedded JSON report and the script.
fn page<R: Serialize>(title: &str, body: &str, report: &R) -> String {
    let json = json_for_script(JsonExporter.export(report).trim_end());
    let mut hasher = rustc_hash::FxHasher::default();
    (body, &json).hash(&mut hasher);
    let nonce = format!("{:016x}", hasher.finish());
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'nonce-{nonce}'; img-src data:\">\n<meta name=\"generator\" content=\"tqscore {}\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n{body}\
         <script type=\"application/json\" id=\"tqscore-report\">\n{json}\n</script>\n\
         <script nonce=\"{nonce}\">\n{SCRIPT}</script>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION"),
        for_html(title)
    )
}

/// The signature line.
fn signature(signature: &str) -> String {
    format!("<p class=\"signature\">Signature: <code>{}</code></p>\n", for_html(signature))
}

/// The figures table (headline and aligned-only BLEU, chrF, TER with their
/// intervals) and the counts: coverage, pairs by kind, extra, omitted, names.
fn figures(label: &str, d: &DocumentSummary, names: &NameReport) -> String {
    let ci = |c: Option<[f64; 2]>| c.map_or_else(|| "–".into(), |[lo, hi]| format!("{lo:.2}–{hi:.2}"));
    let mut out = format!(
        "<table class=\"figures\"><thead><tr><th scope=\"col\">metric</th><th scope=\"col\">{label}</th>\
         <th scope=\"col\">95% CI</th><th scope=\"col\">aligned pairs only</th><th scope=\"col\">95% CI</th></tr>\
         </thead><tbody>"
    );
    for (name, m, aligned) in [
        ("BLEU", &d.bleu, &d.aligned.bleu),
        ("chrF", &d.chrf, &d.aligned.chrf),
        ("TER (lower is better)", &d.ter, &d.aligned.ter),
    ] {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{name}</th><td class=\"headline\">{:.2}</td><td>{}</td><td>{:.2}</td><td>{}</td></tr>",
            m.score.score,
            ci(m.ci95),
            aligned.score.score,
            ci(aligned.ci95)
        );
    }
    out.push_str("</tbody></table>\n<dl class=\"counts\">");
    let percent = |v: Option<f64>| fmt_opt(v.map(|v| 100.0 * v), 1) + "%";
    for (term, value) in [
        ("coverage", format!("{:.1}% of {} reference sentences", 100.0 * d.coverage, d.reference_sentences)),
        ("aligned pairs", format!("{} of {} candidate sentences", d.pairs, d.candidate_sentences)),
        ("extra", format!("{} ({} in the body)", d.extra, d.extra_in_body)),
        ("omitted", d.omitted.to_string()),
        ("low-confidence pairs", d.low_confidence.to_string()),
        ("name variant rate", percent(names.variant_rate)),
        ("name recall", fmt_opt(names.recall, 2)),
    ] {
        let _ = write!(out, "<div><dt>{term}</dt><dd>{value}</dd></div>");
    }
    out.push_str("</dl>\n");
    out
}

/// Histograms of per-pair BLEU and chrF over the pairs of `reports`, with the document's scores marked.
fn charts<'a>(reports: impl Iterator<Item = &'a ArticleReport> + Clone, d: &DocumentSummary) -> String {
    let bleu: Vec<f64> = reports.clone().flat_map(|r| r.pairs.iter().map(|p| p.bleu)).collect();
    let chrf: Vec<f64> = reports.flat_map(|r| r.pairs.iter().map(|p| p.chrf)).collect();
    format!(
        "<div class=\"charts\">{}{}</div>\n",
        chart::histogram("BLEU", &bleu, d.bleu.score.score),
        chart::histogram("chrF", &chrf, d.chrf.score.score)
    )
}

/// The names with findings (variants, wrong, missing), or nothing.
fn names_table(n: &NameReport) -> String {
    let findings = name_findings(n);
    if findings.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<details class=\"names\" open><summary>Names with findings</summary><table><thead><tr>\
         <th scope=\"col\">name</th><th scope=\"col\">correct</th><th scope=\"col\">variants</th>\
         <th scope=\"col\">wrong</th><th scope=\"col\">missing</th><th scope=\"col\">confidence</th></tr>\
         </thead><tbody>",
    );
    for e in findings {
        let _ = write!(
            out,
            "<tr><th scope=\"row\" title=\"{}\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            for_html(&e.full_name),
            for_html(&e.name),
            e.exact,
            for_html(&counted(&e.variants)),
            for_html(&counted(&e.wrong)),
            e.missing,
            confidence_word(e.confidence)
        );
    }
    out.push_str("</tbody></table></details>\n");
    out
}

/// The sort and filter controls; hidden until the script shows them (they do nothing without it).
const CONTROLS: &str = "<div class=\"controls\" id=\"controls\" hidden>\
    <button type=\"button\" data-action=\"weakest\">Weakest BLEU first</button> \
    <button type=\"button\" data-action=\"order\">Article order</button> \
    <label><input type=\"checkbox\" data-filter=\"low\"> low confidence only</label> \
    <label><input type=\"checkbox\" data-filter=\"names\"> with name errors only</label> \
    <label><input type=\"checkbox\" data-filter=\"out\"> hide extra and omitted sentences</label> \
    <output id=\"shown\" aria-live=\"polite\"></output></div>\n";

/// The legend of the marks in the pairs table.
const LEGEND: &str = "<p class=\"legend\">Marks: <span class=\"key key-match\">matched n-grams</span> \
    (the longest spans of BLEU tokens both sides share); names: <span class=\"key name-exact\" \
    data-symbol=\"✓\">correct</span> <span class=\"key name-variant\" data-symbol=\"≈\">variant</span> \
    <span class=\"key name-wrong\" data-symbol=\"✗\">wrong</span> <span class=\"key name-missing\" \
    data-symbol=\"∅\">missing</span> (hover or focus a name for its reference form). Greyed rows are \
    sentences left out of the alignment.</p>\n";

/// The pairs section of an article page: legend, controls and the table.
fn pairs_section(report: &ArticleReport, article: Option<usize>) -> String {
    let mut out = format!(
        "<section aria-labelledby=\"pairs\"><h2 id=\"pairs\">Aligned pairs ({}: {})</h2>\n",
        report.pairs.len(),
        kind_counts(&report.pairs)
    );
    out.push_str(LEGEND);
    out.push_str(CONTROLS);
    out.push_str(&pairs_table(report, article));
    out.push_str("</section>\n");
    out
}

/// One row of the side-by-side table, in article order.
enum Row {
    /// An aligned pair (index into `pairs`).
    Pair(usize),
    /// An omitted reference sentence.
    Omitted(usize),
    /// An extra candidate sentence.
    Extra(usize),
}

/// Pairs, omitted and extra sentences in article order: each unaligned sentence before the first pair that follows it.
fn rows_in_order(report: &ArticleReport) -> Vec<Row> {
    let mut omitted = report.unaligned.reference.clone();
    let mut extra = report.unaligned.candidate.clone();
    omitted.sort_unstable();
    extra.sort_unstable();
    let (mut o, mut e) = (omitted.into_iter().peekable(), extra.into_iter().peekable());
    let mut rows = Vec::with_capacity(report.pairs.len() + o.len() + e.len());
    for (i, pair) in report.pairs.iter().enumerate() {
        let (r0, c0) = (pair.reference.first().copied().unwrap_or(0), pair.candidate.first().copied().unwrap_or(0));
        while let Some(c) = e.next_if(|&c| c < c0) {
            rows.push(Row::Extra(c));
        }
        while let Some(r) = o.next_if(|&r| r < r0) {
            rows.push(Row::Omitted(r));
        }
        rows.push(Row::Pair(i));
    }
    rows.extend(e.map(Row::Extra));
    rows.extend(o.map(Row::Omitted));
    rows
}

/// The BLEU tokenizer the report was scored with (its signature's `tok`).
fn tokenizer_of(report: &ArticleReport) -> TokenizerKind {
    report.document.bleu.score.signature.get("tok").and_then(|t| t.parse().ok()).unwrap_or_default()
}

/// The side-by-side table of an article: every pair with its kind, similarity,
/// flags, scores and marked texts, and the unaligned sentences in place.
fn pairs_table(report: &ArticleReport, article: Option<usize>) -> String {
    let tokenizer = tokenizer_of(report);
    let data_article = article.map_or_else(String::new, |k| format!(" data-article=\"{k}\""));
    let mut out = format!(
        "<table class=\"pairs sortable\"{data_article}><caption>Reference and candidate side by side, in article \
         order</caption><thead><tr><th scope=\"col\" data-sort=\"order\">#</th><th scope=\"col\">kind</th>\
         <th scope=\"col\" data-sort=\"similarity\">similarity</th><th scope=\"col\" data-sort=\"bleu\">BLEU</th>\
         <th scope=\"col\" data-sort=\"chrf\">chrF</th><th scope=\"col\" data-sort=\"names\">names</th>\
         <th scope=\"col\">reference</th><th scope=\"col\">candidate</th></tr></thead><tbody>\n"
    );
    // Each pair's name decisions (and each omitted sentence's), grouped once.
    let mut pair_mentions: Vec<Vec<&MentionAudit>> = vec![Vec::new(); report.pairs.len()];
    let mut omitted_mentions: HashMap<usize, Vec<&MentionAudit>> = HashMap::default();
    for m in &report.names.mentions {
        match (m.pair, m.sentence) {
            (Some(p), _) if p < pair_mentions.len() => pair_mentions[p].push(m),
            (None, Some(s)) => omitted_mentions.entry(s).or_default().push(m),
            _ => {}
        }
    }
    let body = {
        let first = report.pairs.first().and_then(|p| p.candidate.first().copied());
        let last = report.pairs.last().and_then(|p| p.candidate.last().copied());
        first.zip(last).map_or(0..0, |(a, b)| a..b + 1)
    };
    for (order, row) in rows_in_order(report).into_iter().enumerate() {
        match row {
            Row::Pair(i) => {
                let pair = &report.pairs[i];
                let (r, c) = pair_texts(report, pair);
                let (r_spans, c_spans) = match_spans(&r, &c, tokenizer);
                let (r_names, c_names) = name_marks(&r, &c, pair_mentions[i].iter().copied());
                let n = &pair.names;
                let errors = n.variants + n.wrong + n.missing;
                let found: Vec<String> = [(n.variants, "variant"), (n.wrong, "wrong"), (n.missing, "missing")]
                    .into_iter()
                    .filter(|(count, _)| *count > 0)
                    .map(|(count, what)| format!("{count} {what}"))
                    .collect();
                let names = if n.reference == 0 && n.added == 0 {
                    "–".to_string()
                } else if found.is_empty() {
                    format!("{} correct", n.correct)
                } else {
                    found.join(", ")
                };
                let flag = if pair.low_confidence { " <span class=\"flag\">⚠ low confidence</span>" } else { "" };
                let _ = writeln!(
                    out,
                    "<tr data-pair=\"{i}\" data-order=\"{order}\" data-bleu=\"{:.4}\" data-chrf=\"{:.4}\" \
                     data-similarity=\"{:.4}\" data-low=\"{}\" data-names=\"{errors}\"{}>\
                     <td data-label=\"#\">{i}</td><td data-label=\"kind\">{}</td>\
                     <td data-label=\"similarity\">{:.2}{flag}</td><td data-label=\"BLEU\">{:.2}</td>\
                     <td data-label=\"chrF\">{:.2}</td><td data-label=\"names\">{names}</td>\
                     <td data-label=\"reference\" class=\"text\">{}</td><td data-label=\"candidate\" class=\"text\">{}</td></tr>",
                    pair.bleu,
                    pair.chrf,
                    pair.similarity,
                    u8::from(pair.low_confidence),
                    if pair.low_confidence { " class=\"low\"" } else { "" },
                    for_html(&pair.kind),
                    pair.similarity,
                    pair.bleu,
                    pair.chrf,
                    marked_html(&r, &r_spans, &r_names),
                    marked_html(&c, &c_spans, &c_names),
                );
            }
            Row::Omitted(s) => {
                let text = &report.sentences.reference[s];
                let mentions = omitted_mentions.get(&s).into_iter().flatten().copied();
                let (marks, _) = name_marks(text, "", mentions);
                let _ = writeln!(
                    out,
                    "<tr class=\"out omitted\" data-order=\"{order}\" data-reference=\"{s}\">{}\
                     <td data-label=\"reference\" class=\"text\">{}</td><td data-label=\"candidate\" class=\"text\"></td></tr>",
                    why_out("omitted", "no candidate sentence renders it; the document score counts it against nothing"),
                    marked_html(text, &[], &marks)
                );
            }
            Row::Extra(s) => {
                let why = if body.contains(&s) {
                    "an addition inside the body; the document score counts it against an empty reference"
                } else {
                    "outside the body (a header or footer); not scored"
                };
                let _ = writeln!(
                    out,
                    "<tr class=\"out extra\" data-order=\"{order}\" data-candidate=\"{s}\">{}\
                     <td data-label=\"reference\" class=\"text\"></td><td data-label=\"candidate\" class=\"text\">{}</td></tr>",
                    why_out("extra", why),
                    for_html(&report.sentences.candidate[s])
                );
            }
        }
    }
    out.push_str("</tbody></table>\n");
    out
}

/// The cells before the texts of an unaligned sentence's row: what it is and why it is out.
fn why_out(what: &str, why: &str) -> String {
    format!("<td data-label=\"#\">–</td><td data-label=\"kind\" colspan=\"5\" class=\"why\"><strong>{what}</strong>: {why}</td>")
}

/// The articles table of a set: scores per article, each linking to its section.
fn articles_table(report: &SetReport) -> String {
    let mut out = String::from(
        "<section aria-labelledby=\"articles\"><h2 id=\"articles\">Articles</h2>\n<table class=\"articles sortable\">\
         <thead><tr><th scope=\"col\" data-sort=\"order\">article</th><th scope=\"col\" data-sort=\"sentences\">\
         sentences</th><th scope=\"col\" data-sort=\"bleu\">BLEU</th><th scope=\"col\" data-sort=\"chrf\">chrF</th>\
         <th scope=\"col\" data-sort=\"ter\">TER ↓</th><th scope=\"col\" data-sort=\"variants\">name variant rate\
         </th><th scope=\"col\" data-sort=\"coverage\">coverage</th><th scope=\"col\" data-sort=\"low\">\
         low-confidence</th></tr></thead><tbody>\n",
    );
    for (k, entry) in report.articles.iter().enumerate() {
        let Some(a) = entry.report() else {
            let _ = writeln!(
                out,
                "<tr class=\"out\" data-order=\"{k}\"><td data-label=\"article\">{}</td>\
                 <td colspan=\"7\">not scored (see Failed articles)</td></tr>",
                for_html(&entry.id)
            );
            continue;
        };
        let d = &a.document;
        let variant_rate = a.names.variant_rate.map(|v| 100.0 * v);
        let _ = writeln!(
            out,
            "<tr data-order=\"{k}\" data-sentences=\"{}\" data-bleu=\"{:.4}\" data-chrf=\"{:.4}\" data-ter=\"{:.4}\" \
             data-variants=\"{}\" data-coverage=\"{:.4}\" data-low=\"{}\"><td data-label=\"article\">\
             <a href=\"#article-{k}\">{}</a></td><td data-label=\"sentences\">{}</td><td data-label=\"BLEU\">{:.2}</td>\
             <td data-label=\"chrF\">{:.2}</td><td data-label=\"TER\">{:.2}</td><td data-label=\"name variant rate\">{}\
             </td><td data-label=\"coverage\">{:.1}%</td><td data-label=\"low-confidence\">{}</td></tr>",
            d.reference_sentences,
            d.bleu.score.score,
            d.chrf.score.score,
            d.ter.score.score,
            variant_rate.map_or_else(String::new, |v| format!("{v:.4}")),
            d.coverage,
            d.low_confidence,
            for_html(&entry.id),
            d.reference_sentences,
            d.bleu.score.score,
            d.chrf.score.score,
            d.ter.score.score,
            fmt_opt(variant_rate, 1) + "%",
            100.0 * d.coverage,
            d.low_confidence
        );
    }
    out.push_str("</tbody></table></section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_style_sheet_styles_every_tier_and_the_script_has_no_markup_end() {
        use crate::names::Tier;
        for tier in [Tier::Exact, Tier::Variant, Tier::Wrong, Tier::Missing].map(marks::tier_name) {
            assert!(STYLE.contains(&format!(".name-{tier}")), "style.css lacks .name-{tier}");
        }
        assert!(!SCRIPT.contains("</"), "script.js may not contain '</'");
    }
}
