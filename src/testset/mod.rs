//! Test sets: many article pairs scored in one run, on one pool of workers,
//! into one set report ([`crate::report::SetReport`]).
//!
//! Each article goes through the article pipeline ([`crate::article`]) on its
//! own; the set's scores come from the *summed* sufficient statistics of every
//! article's document segments (never from averaging article scores), and its
//! confidence intervals resample whole articles, because the pairs of one
//! article are not independent. Results are collected in list order, so the
//! report is the same for any thread count and any order of completion.
//!
//! - [`pairs`]: which pairs a set holds (a `PAIRS.tsv`, or two folders);
//! - [`aggregate`]: from per-article reports to the set report;
//! - [`shard`]: the additive statistics of a set written out (`--format stats`)
//!   and merged back (`tqscore merge`) into the report one run would give.

pub mod aggregate;
pub mod pairs;
pub mod shard;

use rayon::prelude::*;

use crate::article::{score_article_in_current_pool, ArticleOptions};
use crate::corpus::build_pool;
use crate::error::{Error, Result};
use crate::input::{read_text, Source, Text};
use crate::report::{ArticleEntry, ArticleFailure, ArticleOutcome, ArticleReport};
pub use pairs::{pair_folders, parse_pairs, FolderPairs, PairSpec};

/// The error of one pair, naming where it was listed and its id.
fn pair_error(pair: &PairSpec, error: Error) -> Error {
    let message = match (&error, &pair.listed_at) {
        (Error::NotFound { path }, Some(_)) => format!(
            "cannot read {path}: no such file\n  hint: paths in a pairs list are relative to the list's folder; \
             check the path, or pass --keep-going to score the other pairs"
        ),
        _ => error.to_string(),
    };
    match &pair.listed_at {
        Some(at) => Error::Usage(format!("{at} (pair `{}`): {message}", pair.id)),
        None => Error::Usage(format!("pair `{}`: {message}", pair.id)),
    }
}

/// Read both articles of a pair.
fn read_pair(pair: &PairSpec) -> Result<(Text, Text)> {
    let reference = read_text(&Source::File(pair.reference.clone()))?;
    let candidate = read_text(&Source::File(pair.candidate.clone()))?;
    Ok((reference, candidate))
}

/// Score every pair of a set on a pool of `options.threads` workers, calling
/// `done` after each article (for progress). Without `keep_going`, the first
/// pair (in list order) that cannot be read or scored stops the run with its
/// error, which names the pair's line in the list; with it, such a pair
/// becomes an [`ArticleOutcome::Failed`] entry and the rest are scored.
/// Every file is read before any scoring starts, so a bad path fails at once.
pub fn score_set(
    pairs: &[PairSpec],
    options: &ArticleOptions,
    keep_going: bool,
    done: &(dyn Fn() + Sync),
) -> Result<Vec<ArticleEntry>> {
    build_pool(options.threads)?.install(|| {
        let mut texts: Vec<Result<(Text, Text)>> = pairs.par_iter().map(read_pair).collect();
        if !keep_going {
            let read: Vec<(Text, Text)> = texts
                .into_iter()
                .zip(pairs)
                .map(|(t, pair)| t.map_err(|e| pair_error(pair, e)))
                .collect::<Result<_>>()?;
            texts = read.into_iter().map(Ok).collect();
        }
        let outcomes: Vec<Result<ArticleReport>> = texts
            .into_par_iter()
            .map(|texts| {
                let report = texts.and_then(|(r, c)| score_article_in_current_pool(&r, &c, options));
                done();
                report
            })
            .collect();
        let mut entries = Vec::with_capacity(pairs.len());
        for (pair, outcome) in pairs.iter().zip(outcomes) {
            let outcome = match outcome {
                Ok(report) => ArticleOutcome::Scored(Box::new(report)),
                Err(e) if keep_going => ArticleOutcome::Failed {
                    error: ArticleFailure {
                        reference: pair.reference.display().to_string(),
                        candidate: pair.candidate.display().to_string(),
                        listed_at: pair.listed_at.clone(),
                        message: e.to_string(),
                    },
                },
                Err(e) => return Err(pair_error(pair, e)),
            };
            entries.push(ArticleEntry { id: pair.id.clone(), outcome });
        }
        Ok(entries)
    })
}
