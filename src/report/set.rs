//! The test-set report: the set's scores from summed statistics, pooled
//! summaries and names, and every article's own report.

use serde::{Deserialize, Serialize};

use super::{ArticleReport, DocumentSummary, Summary};
use crate::gate::GateReport;
use crate::names::NameReport;

/// Everything tqscore found about a test set of article pairs. Serialised, this
/// is the set's JSON report (`set` and `articles`); every other format is
/// rendered from it.
#[derive(Debug, Clone, Serialize)]
pub struct SetReport {
    /// tqscore's version.
    pub tqscore_version: String,
    /// How every article report was produced (the same for all of them).
    pub signature: String,
    /// The set as a whole.
    pub set: SetSummary,
    /// Every article, in list order, each with its id.
    pub articles: Vec<ArticleEntry>,
    /// Quality gate outcome (when a gate was applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gate: Option<GateReport>,
}

/// The set's results: document-level fields over all articles (the same shape
/// as an article's `document`), pooled per-pair summaries and pooled names.
#[derive(Debug, Clone, Serialize)]
pub struct SetSummary {
    /// Articles listed.
    pub articles: usize,
    /// Articles scored (their statistics are in the set's scores).
    pub scored: usize,
    /// Articles that could not be scored (`--keep-going`); see their `error`.
    pub failed: usize,
    /// Scores from the summed statistics of every scored article's document
    /// segments (95% intervals resample articles), and summed counts.
    #[serde(flatten)]
    pub document: DocumentSummary,
    /// Distributions of per-pair scores over every pair of the set.
    pub summary: Summary,
    /// Name fidelity pooled over the set (per-mention audits stay in each article).
    pub names: NameReport,
}

/// One article of a set: its id and its report, or why it could not be scored.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleEntry {
    /// The pair's id (third column of `PAIRS.tsv`, or the file name).
    pub id: String,
    /// The report's fields (or `error`), after the id.
    #[serde(flatten)]
    pub outcome: ArticleOutcome,
}

/// What scoring one article gave.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum ArticleOutcome {
    /// The article's full report.
    Scored(Box<ArticleReport>),
    /// The article could not be scored (only with `--keep-going`).
    Failed {
        /// What went wrong.
        error: ArticleFailure,
    },
}

/// Why an article of a set was not scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleFailure {
    /// The reference path.
    pub reference: String,
    /// The candidate path.
    pub candidate: String,
    /// Where the pair was listed (`pairs.tsv:7`), if in a pairs list.
    pub listed_at: Option<String>,
    /// The error message (the same as without `--keep-going`).
    pub message: String,
}

impl ArticleEntry {
    /// The report, if the article was scored.
    pub fn report(&self) -> Option<&ArticleReport> {
        match &self.outcome {
            ArticleOutcome::Scored(report) => Some(report),
            ArticleOutcome::Failed { .. } => None,
        }
    }
}

/// The scored articles of a set ordered weakest first: by document BLEU,
/// ties in list order.
pub(crate) fn weakest_articles(report: &SetReport) -> Vec<(&str, &ArticleReport)> {
    let mut scored: Vec<(&str, &ArticleReport)> =
        report.articles.iter().filter_map(|a| a.report().map(|r| (a.id.as_str(), r))).collect();
    scored.sort_by(|a, b| a.1.document.bleu.score.score.total_cmp(&b.1.document.bleu.score.score));
    scored
}

/// The articles of a set that could not be scored, with their failures.
pub(crate) fn failed_articles(report: &SetReport) -> impl Iterator<Item = (&str, &ArticleFailure)> {
    report.articles.iter().filter_map(|a| match &a.outcome {
        ArticleOutcome::Failed { error } => Some((a.id.as_str(), error)),
        ArticleOutcome::Scored(_) => None,
    })
}
