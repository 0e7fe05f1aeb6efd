//! The Markdown report, for pull-request comments and CI job summaries.

use std::fmt::Write;

use crate::untrusted::for_markdown;

use super::set::{failed_articles, weakest_articles};
use super::{
    confidence_word, counted, fmt_opt, kind_counts, name_findings, pair_texts, weakest_first, ArticleReport,
    DocumentSummary, Exporter, SetReport, Summary,
};
use crate::compare::CompareReport;
use crate::names::NameReport;

/// Renders the report as GitHub-flavoured Markdown.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownExporter {
    /// Show every pair instead of the weakest few.
    pub all: bool,
}

impl Exporter for MarkdownExporter {
    fn export(&self, report: &ArticleReport) -> String {
        let d = &report.document;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "### tqscore: {} vs {}\n",
            for_markdown(&report.inputs.candidate),
            for_markdown(&report.inputs.reference)
        );
        out.push_str(&scores_table("document", d, &report.summary));
        let _ = writeln!(
            out,
            "\nSentences: reference {}, candidate {}; aligned pairs {} ({}); coverage {:.1}%; \
             {} extra ({} in the body), {} omitted, {} low-confidence. The document scores count \
             omitted sentences and additions in the body; \"aligned pairs only\" ignores them.\n",
            d.reference_sentences,
            d.candidate_sentences,
            d.pairs,
            kind_counts(&report.pairs),
            100.0 * d.coverage,
            d.extra,
            d.extra_in_body,
            d.omitted,
            d.low_confidence
        );
        let n = &report.names;
        out.push_str(&names_line(n));
        let _ = writeln!(out);
        let findings = name_findings(n);
        if !findings.is_empty() {
            let _ = writeln!(out, "| name | correct | variants | wrong | missing | confidence |");
            let _ = writeln!(out, "|---|---:|---|---|---:|---|");
            for e in findings {
                let confidence = confidence_word(e.confidence);
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {confidence} |",
                    for_markdown(&e.name),
                    e.exact,
                    for_markdown(&counted(&e.variants)),
                    for_markdown(&counted(&e.wrong)),
                    e.missing
                );
            }
            let _ = writeln!(out);
        }
        let shown: Vec<_> = if self.all {
            report.pairs.iter().enumerate().collect()
        } else {
            weakest_first(report).into_iter().take(super::text::DEFAULT_WEAKEST).collect()
        };
        if !shown.is_empty() {
            let _ = writeln!(out, "| # | kind | BLEU | chrF | TER | reference | candidate |");
            let _ = writeln!(out, "|---:|---|---:|---:|---:|---|---|");
            for (i, pair) in shown {
                let (r, c) = pair_texts(report, pair);
                let _ = writeln!(
                    out,
                    "| {i} | {} | {:.2} | {:.2} | {:.2} | {} | {} |",
                    pair.kind,
                    pair.bleu,
                    pair.chrf,
                    pair.ter,
                    for_markdown(&r),
                    for_markdown(&c)
                );
            }
        }
        out
    }
}

/// The scores table: headline score (`label`: document or set), interval,
/// aligned-only score and the per-pair distribution of each metric.
fn scores_table(label: &str, d: &DocumentSummary, summary: &Summary) -> String {
    let mut out = String::new();
    let ci = |c: Option<[f64; 2]>| c.map_or_else(|| "–".into(), |[lo, hi]| format!("{lo:.2}–{hi:.2}"));
    let _ = writeln!(out, "| metric | {label} | 95% CI | aligned pairs only | per-pair mean | median | p10 | p90 |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    let rows = [
        ("BLEU", &d.bleu, &d.aligned.bleu, &summary.bleu),
        ("chrF", &d.chrf, &d.aligned.chrf, &summary.chrf),
        ("TER (lower is better)", &d.ter, &d.aligned.ter, &summary.ter),
    ];
    for (name, m, aligned, dist) in rows {
        let _ = writeln!(
            out,
            "| {name} | {:.2} | {} | {:.2} | {} | {} | {} | {} |",
            m.score.score,
            ci(m.ci95),
            aligned.score.score,
            fmt_opt(dist.mean, 2),
            fmt_opt(dist.median, 2),
            fmt_opt(dist.p10, 2),
            fmt_opt(dist.p90, 2)
        );
    }
    out
}

/// The names line: variant rate, recall, precision, F1 and entity accuracy.
fn names_line(n: &NameReport) -> String {
    format!(
        "Names: variant rate {}, recall {}, precision {}, F1 {}, entity accuracy {}.\n",
        fmt_opt(n.variant_rate.map(|v| 100.0 * v), 1) + "%",
        fmt_opt(n.recall, 2),
        fmt_opt(n.precision, 2),
        fmt_opt(n.f1, 2),
        fmt_opt(n.entity_accuracy, 2)
    )
}

/// The set report as Markdown: the set's scores, counts and names, the weakest
/// articles (all with `--all`) and the failed ones.
impl Exporter<SetReport> for MarkdownExporter {
    fn export(&self, report: &SetReport) -> String {
        let set = &report.set;
        let d = &set.document;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "### tqscore: test set of {} articles ({} scored, {} failed)\n",
            set.articles, set.scored, set.failed
        );
        out.push_str(&scores_table("set", d, &set.summary));
        let _ = writeln!(
            out,
            "\nSet scores come from the summed statistics of every article; the 95% CI resamples articles. \
             Sentences: reference {}, candidate {}; aligned pairs {}; coverage {:.1}%; {} extra ({} in bodies), \
             {} omitted, {} low-confidence.\n",
            d.reference_sentences,
            d.candidate_sentences,
            d.pairs,
            100.0 * d.coverage,
            d.extra,
            d.extra_in_body,
            d.omitted,
            d.low_confidence
        );
        out.push_str(&names_line(&set.names));
        let weakest = weakest_articles(report);
        let shown = if self.all { weakest.len() } else { weakest.len().min(super::text::DEFAULT_WEAKEST_ARTICLES) };
        let _ =
            writeln!(out, "\n| article | sentences | BLEU | chrF | TER | variant rate | coverage | low-confidence |");
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
        for (id, article) in weakest.iter().take(shown) {
            let a = &article.document;
            let _ = writeln!(
                out,
                "| {} | {} | {:.2} | {:.2} | {:.2} | {} | {:.1}% | {} |",
                for_markdown(id),
                a.reference_sentences,
                a.bleu.score.score,
                a.chrf.score.score,
                a.ter.score.score,
                fmt_opt(article.names.variant_rate.map(|v| 100.0 * v), 1) + "%",
                100.0 * a.coverage,
                a.low_confidence
            );
        }
        if shown < weakest.len() {
            let _ = writeln!(out, "\n{} more articles (--all lists every one).", weakest.len() - shown);
        }
        let failures: Vec<_> = failed_articles(report).collect();
        if !failures.is_empty() {
            let _ = writeln!(out, "\n**Failed articles ({})**\n", failures.len());
            for (id, failure) in failures {
                let first = failure.message.lines().next().unwrap_or_default();
                let _ = writeln!(out, "- {}: {}", for_markdown(id), for_markdown(first));
            }
        }
        if self.all {
            let article = MarkdownExporter { all: false };
            for entry in &report.articles {
                if let Some(r) = entry.report() {
                    let _ = writeln!(out, "\n#### Article {}\n", for_markdown(&entry.id));
                    out.push_str(&article.export(r));
                }
            }
        }
        out
    }
}

/// The comparison of two candidates as Markdown: the measures table and the
/// units of biggest BLEU gain and loss.
impl Exporter<CompareReport> for MarkdownExporter {
    fn export(&self, report: &CompareReport) -> String {
        let mut out = String::new();
        let inputs = &report.inputs;
        let _ = writeln!(
            out,
            "### tqscore compare: {} vs {} ({} {}s)\n",
            for_markdown(&inputs.candidate),
            for_markdown(&inputs.baseline),
            report.units,
            report.unit
        );
        let _ = writeln!(out, "| measure | baseline | candidate | delta | 95% CI of delta | p |");
        let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
        for m in report.shown_measures() {
            let [baseline, candidate, delta, interval, p] = m.cells();
            let _ = writeln!(out, "| {} | {baseline} | {candidate} | {delta} | {interval} | {p} |", m.label);
        }
        let _ = writeln!(
            out,
            "\nPaired bootstrap over {} {}s (↓: lower is better); p is the chance of a difference this large from noise.",
            report.units, report.unit
        );
        for (title, list) in [("Biggest BLEU gains", &report.wins), ("Biggest BLEU losses", &report.losses)] {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "\n**{title}**\n\n| unit | BLEU before | after | baseline | candidate |\n|---|---:|---:|---|---|"
            );
            for c in list {
                let _ = writeln!(
                    out,
                    "| {} | {:.2} | {:.2} | {} | {} |",
                    for_markdown(&c.unit),
                    c.baseline_bleu,
                    c.candidate_bleu,
                    for_markdown(&c.baseline),
                    for_markdown(&c.candidate)
                );
            }
        }
        out
    }
}
