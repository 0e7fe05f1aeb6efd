//! Shards: a set's per-article results written out (`--format stats`) and
//! merged back (`tqscore merge`) into exactly the report one run over all the
//! pairs would give.
//!
//! A shard holds, per article, its id and its full report, whose document
//! metrics carry the additive sufficient statistics (BLEU's counts and
//! totals, chrF's per-order triples, TER's edits and reference length), plus
//! the signature and the bootstrap settings. Merging concatenates the shards'
//! articles in the order given and aggregates them as a run does
//! ([`super::aggregate`]), so splitting a `PAIRS.tsv` into consecutive shards,
//! scoring them anywhere and merging them in order reproduces the single run
//! byte for byte. Shards made differently (another signature) are refused.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::aggregate::{set_report, Resampling};
use crate::error::{Error, Result};
use crate::report::{ArticleEntry, ArticleFailure, ArticleOutcome, ArticleReport, SetReport};

/// The `format` value that marks a shard file.
pub const SHARD_FORMAT: &str = "tqscore-stats";

/// The shard layout's version (bumped on any incompatible change).
pub const SHARD_VERSION: u32 = 1;

/// A shard: the per-article results of part of a set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Shard {
    /// Always [`SHARD_FORMAT`].
    pub format: String,
    /// [`SHARD_VERSION`].
    pub version: u32,
    /// The signature of every article report in it.
    pub signature: String,
    /// Bootstrap replicates of the intervals.
    pub bootstrap: usize,
    /// Bootstrap seed.
    pub seed: u64,
    /// The articles, in list order.
    pub articles: Vec<ShardArticle>,
}

/// One article of a shard: its report, or why it failed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShardArticle {
    /// The pair's id.
    pub id: String,
    /// The article's report (absent when it failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Box<ArticleReport>>,
    /// Why the article was not scored (absent when it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ArticleFailure>,
}

impl Shard {
    /// The shard of a set's `articles`.
    pub fn of(articles: &[ArticleEntry], signature: &str, resampling: Resampling) -> Shard {
        let articles = articles
            .iter()
            .map(|a| match &a.outcome {
                ArticleOutcome::Scored(report) => {
                    ShardArticle { id: a.id.clone(), report: Some(report.clone()), error: None }
                }
                ArticleOutcome::Failed { error } => {
                    ShardArticle { id: a.id.clone(), report: None, error: Some(error.clone()) }
                }
            })
            .collect();
        Shard {
            format: SHARD_FORMAT.into(),
            version: SHARD_VERSION,
            signature: signature.into(),
            bootstrap: resampling.bootstrap,
            seed: resampling.seed,
            articles,
        }
    }

    /// The shard as compact JSON (one line, newline-terminated).
    pub fn to_json(&self) -> String {
        let mut json = serde_json::to_string(self).unwrap_or_default();
        json.push('\n');
        json
    }

    /// Read a shard from `text` (the file `name`), refusing anything that is not one.
    pub fn parse(name: &str, text: &str) -> Result<Shard> {
        let not_a_shard = |why: String| {
            Error::Json {
            path: name.to_string(),
            message: format!(
                "{why}\n  hint: pass files written by `tqscore score --pairs LIST --format stats > FILE` (a set's statistics)"
            ),
        }
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| not_a_shard(format!("not valid JSON ({e})")))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(SHARD_FORMAT) {
            return Err(not_a_shard(format!("$.format is not \"{SHARD_FORMAT}\", so this is not a tqscore shard")));
        }
        if value.get("version").and_then(|v| v.as_u64()) != Some(u64::from(SHARD_VERSION)) {
            return Err(not_a_shard(format!(
                "$.version is {}, but this tqscore reads shards of version {SHARD_VERSION}",
                value.get("version").map_or_else(|| "missing".to_string(), |v| v.to_string())
            )));
        }
        serde_json::from_value(value).map_err(|e| not_a_shard(format!("malformed shard: {e}")))
    }
}

/// Merge `shards` (each with its file name), in the order given, into the set
/// report. Refuses shards made with different signatures or bootstrap
/// settings, and an id that occurs twice.
pub fn merge(shards: Vec<(String, Shard)>) -> Result<SetReport> {
    let Some((first_name, first)) = shards.first() else {
        return Err(Error::Usage("merge needs at least one shard\n  hint: tqscore merge A.stats B.stats …".into()));
    };
    let (signature, resampling) =
        (first.signature.clone(), Resampling { bootstrap: first.bootstrap, seed: first.seed });
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut articles = Vec::new();
    for (name, shard) in &shards {
        if shard.signature != signature || shard.bootstrap != resampling.bootstrap || shard.seed != resampling.seed {
            return Err(Error::Usage(format!(
                "{name} was made differently from {first_name}, so their scores do not add up:\n  {name}: \
                 {}\n  {first_name}: {signature}\n  hint: score every shard with the same tqscore release and \
                 options (--no-fold, --tokenize, --bootstrap, --seed)",
                shard.signature
            )));
        }
        for (k, article) in shard.articles.iter().enumerate() {
            if let Some(other) = seen.insert(article.id.clone(), name.clone()) {
                return Err(Error::Usage(format!(
                    "{name}: the article id `{}` is also in {other}\n  hint: merge each shard once, made from \
                     disjoint parts of the pairs list",
                    article.id
                )));
            }
            let outcome = match (&article.report, &article.error) {
                (Some(report), None) => ArticleOutcome::Scored(report.clone()),
                (None, Some(error)) => ArticleOutcome::Failed { error: error.clone() },
                _ => {
                    return Err(Error::Json {
                        path: name.clone(),
                        message: format!(
                            "$.articles[{k}] must have exactly one of `report` and `error`\n  hint: pass the \
                             shard as `tqscore score … --format stats` wrote it"
                        ),
                    })
                }
            };
            articles.push(ArticleEntry { id: article.id.clone(), outcome });
        }
    }
    set_report(articles, signature, resampling)
}
