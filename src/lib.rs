//! tqscore: translation quality scoring.
//!
//! Data flows one way: text → sentences → alignment → per-pair statistics →
//! aggregate → report/gate. The metric engine ([`metrics`]) reproduces
//! sacreBLEU 2.6.0 exactly; every metric produces additive sufficient
//! statistics per segment, and a score is a function of their sum.
//!
//! Modules, in the order data flows through them:
//! - [`input`]: reading files or standard input, UTF-8 checks, BOM and CRLF handling;
//! - [`text`]: Python-compatible whitespace and lowercasing;
//! - [`tokenize`]: sacreBLEU's tokenizers;
//! - [`ngram`]: exact n-gram ids without per-n-gram allocation;
//! - [`metrics`]: BLEU, chrF and chrF++ as plugins with signatures;
//! - [`corpus`]: streaming, parallel scoring of line-aligned files;
//! - [`normalize`]: NFC and quote folding for articles;
//! - [`segment`]: sentence segmentation;
//! - [`script`]: the writing system of a text (a reference in another script than its candidate);
//! - [`align`]: sentence alignment of candidate to reference;
//! - [`article`]: the article pipeline, from texts to a report;
//! - [`testset`]: many article pairs in one run, aggregated from summed statistics, and shards;
//! - [`compare`]: two candidates of the same reference (or test set), paired bootstrap over shared units;
//! - [`names`]: name fidelity (extraction, tiered matching, variants);
//! - [`stats`]: summary statistics and bootstrap intervals;
//! - [`numpy`]: numpy's random generator and float arithmetic, bit for bit;
//! - [`significance`]: sacreBLEU's paired bootstrap and approximate randomization tests;
//! - [`report`]: the report model and its exporters (text, JSON, Markdown, HTML);
//! - [`gate`]: quality gates, thresholds files checked against JSON reports;
//! - [`untrusted`]: input text made safe to show (terminal escapes, workflow commands, Markdown, HTML);
//! - [`cli`]: the command line (the default `cli` feature);
//! - one-call functions for library users: [`corpus_bleu`], [`sentence_bleu`], [`corpus_chrf`],
//!   [`score_article`] (and [`corpus_score`] for any configured metric).
//!
//! ```
//! let hyps = ["The cat sat on a mat.", "It was sunny."];
//! let refs = vec![vec!["The cat sat on the mat.", "It was sunny."]];
//! let bleu = tqscore::corpus_bleu(&hyps, &refs).unwrap();
//! println!("{}", bleu.format_line(1)); // BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|... = 63.4 ...
//! assert_eq!(format!("{:.2}", bleu.score), "63.40"); // sacreBLEU 2.6.0: BLEU = 63.40 90.9/77.8/57.1/40.0 ...
//! ```

pub mod align;
pub mod article;
mod byte_marks;
#[cfg(feature = "cli")]
pub mod cli;
pub mod compare;
pub mod corpus;
pub mod document;
pub mod error;
pub mod gate;
pub mod input;
pub mod metrics;
pub mod names;
pub mod ngram;
pub mod normalize;
pub mod numpy;
mod oneshot;
pub mod report;
pub mod script;
pub mod segment;
pub mod significance;
pub mod stats;
pub mod testset;
pub mod text;
pub mod tokenize;
pub mod untrusted;

pub use error::{Error, Result};
pub use oneshot::{corpus_bleu, corpus_chrf, corpus_score, score_article, sentence_bleu};
