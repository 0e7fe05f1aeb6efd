//! From per-article reports to the set report.
//!
//! The set's BLEU, chrF and TER are the scores of the *summed* sufficient
//! statistics of every scored article's document segments (the honest
//! document rule of [`crate::article`]: omissions and additions in the body
//! count), exactly what sacreBLEU gives on all those segments concatenated;
//! `aligned` does the same over aligned pairs only. The 95% intervals resample
//! whole articles with replacement (pairs of one article are not independent),
//! with the run's bootstrap count and seed. Counts are summed, per-pair
//! summaries pool every pair of the set, and names are pooled
//! ([`NameReport::pooled`]).

use crate::error::{Error, Result};
use crate::metrics::{add_stats, Bleu, Chrf, Metric, Ter};
use crate::names::NameReport;
use crate::report::{
    AlignedScores, ArticleEntry, ArticleReport, DocumentMetric, DocumentSummary, SetReport, SetSummary, Summary,
};
use crate::stats::{bootstrap_ci95, Distribution};

/// How the set's intervals are drawn: the articles' bootstrap count and seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resampling {
    /// Replicates (0: no intervals).
    pub bootstrap: usize,
    /// Seed of the first replicate draw.
    pub seed: u64,
}

/// A set-level metric over the scored articles: `pick` chooses which of an
/// article's document metrics (headline or aligned) is summed.
fn set_metric(
    metric: &dyn Metric,
    reports: &[&ArticleReport],
    pick: impl Fn(&ArticleReport) -> &DocumentMetric,
    resampling: Resampling,
) -> DocumentMetric {
    let len = metric.stats_len();
    let mut per_article = Vec::with_capacity(reports.len() * len);
    let mut totals = vec![0; len];
    for report in reports {
        let stats = pick(report).score.details.statistics(1);
        add_stats(&mut totals, &stats);
        per_article.extend(stats);
    }
    let mut score = metric.score(&totals, 1);
    score.signature = pick(reports[0]).score.signature.clone();
    DocumentMetric { ci95: bootstrap_ci95(metric, &per_article, resampling.bootstrap, resampling.seed), score }
}

/// The set report of `articles` (in list order), every article made with
/// `signature`. Fails when no article was scored.
pub fn set_report(articles: Vec<ArticleEntry>, signature: String, resampling: Resampling) -> Result<SetReport> {
    let reports: Vec<&ArticleReport> = articles.iter().filter_map(ArticleEntry::report).collect();
    if reports.is_empty() {
        return Err(Error::Usage(format!(
            "none of the {} article pairs could be scored, so the set has no score\n  hint: fix the errors \
             listed above and run again",
            articles.len()
        )));
    }
    let (bleu, chrf, ter) = (Bleu::default(), Chrf::default(), Ter::DEFAULT);
    let sum = |field: fn(&DocumentSummary) -> usize| reports.iter().map(|r| field(&r.document)).sum::<usize>();
    let reference_sentences = sum(|d| d.reference_sentences);
    let omitted = sum(|d| d.omitted);
    let document = DocumentSummary {
        bleu: set_metric(&bleu, &reports, |r| &r.document.bleu, resampling),
        chrf: set_metric(&chrf, &reports, |r| &r.document.chrf, resampling),
        ter: set_metric(&ter, &reports, |r| &r.document.ter, resampling),
        aligned: AlignedScores {
            bleu: set_metric(&bleu, &reports, |r| &r.document.aligned.bleu, resampling),
            chrf: set_metric(&chrf, &reports, |r| &r.document.aligned.chrf, resampling),
            ter: set_metric(&ter, &reports, |r| &r.document.aligned.ter, resampling),
        },
        coverage: (reference_sentences - omitted) as f64 / reference_sentences as f64,
        reference_sentences,
        candidate_sentences: sum(|d| d.candidate_sentences),
        pairs: sum(|d| d.pairs),
        extra: sum(|d| d.extra),
        extra_in_body: sum(|d| d.extra_in_body),
        omitted,
        low_confidence: sum(|d| d.low_confidence),
    };
    let pooled = |value: fn(&crate::report::PairReport) -> f64| {
        let values: Vec<f64> = reports.iter().flat_map(|r| r.pairs.iter().map(value)).collect();
        Distribution::of(&values)
    };
    let summary = Summary { bleu: pooled(|p| p.bleu), chrf: pooled(|p| p.chrf), ter: pooled(|p| p.ter) };
    let names = NameReport::pooled(reports.iter().map(|r| &r.names));
    let set = SetSummary {
        articles: articles.len(),
        scored: reports.len(),
        failed: articles.len() - reports.len(),
        document,
        summary,
        names,
    };
    Ok(SetReport { tqscore_version: env!("CARGO_PKG_VERSION").to_string(), signature, set, articles, gate: None })
}
