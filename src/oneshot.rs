//! One-call scoring for library users: sacreBLEU's `corpus_bleu`,
//! `sentence_bleu` and `corpus_chrf`, and the article pipeline, each with the
//! default options (sacreBLEU 2.6.0's, and tqscore's for articles). For other
//! options build the metric yourself (`Bleu { tokenizer: TokenizerKind::Intl,
//! ..Bleu::default() }`) and call [`corpus_score`].

use crate::article::ArticleOptions;
use crate::corpus::{score_segments, RunOptions, Segments};
use crate::error::{Error, Result};
use crate::input::decode_text;
use crate::metrics::{segment_stats, Bleu, Chrf, Metric, Score};
use crate::report::ArticleReport;

/// Corpus-level score of `hypotheses` against reference streams (each stream one
/// reference per hypothesis, as sacreBLEU's `corpus_score(hyps, [refs1, refs2])`).
///
/// ```
/// use tqscore::metrics::{Chrf, Metric};
/// let hyps = ["The cat sat on a mat.", "It was sunny."];
/// let refs = vec![vec!["The cat sat on the mat.", "It was sunny."]];
/// let score = tqscore::corpus_score(&Chrf { word_order: 2, ..Chrf::default() }, &hyps, &refs).unwrap();
/// assert_eq!(score.name, "chrF2++");
/// assert_eq!(format!("{:.2}", score.score), "79.40"); // sacreBLEU 2.6.0's corpus_chrf(..., word_order=2)
/// ```
pub fn corpus_score<S: AsRef<str>>(metric: &dyn Metric, hypotheses: &[S], references: &[Vec<S>]) -> Result<Score> {
    if references.is_empty() {
        return Err(Error::Usage("no reference stream given\n  hint: pass one list of references per stream".into()));
    }
    if references.iter().any(|stream| stream.len() != hypotheses.len()) {
        let counts = std::iter::once(("hypotheses".to_string(), hypotheses.len()))
            .chain(references.iter().enumerate().map(|(i, s)| (format!("reference stream {}", i + 1), s.len())))
            .collect();
        return Err(Error::LineCountMismatch { counts });
    }
    let segments = Segments::from_streams(hypotheses, references);
    let stats = score_segments(&[metric], &segments, RunOptions::default())?;
    Ok(metric.score(&stats.totals[0], references.len()))
}

/// sacreBLEU's `corpus_bleu(hypotheses, references)` with its defaults (13a, exp smoothing).
///
/// ```
/// let hyps = ["The cat sat on the mat.", "It was sunny today."];
/// let refs = vec![vec!["The cat sat on the mat.", "It was sunny today."]];
/// let bleu = tqscore::corpus_bleu(&hyps, &refs).unwrap();
/// // sacreBLEU 2.6.0: BLEU = 100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 12 ref_len = 12)
/// assert_eq!(
///     bleu.format_line(2).split_once(" = ").map(|(_, score)| score),
///     Some("100.00 100.0/100.0/100.0/100.0 (BP = 1.000 ratio = 1.000 hyp_len = 12 ref_len = 12)")
/// );
/// ```
pub fn corpus_bleu<S: AsRef<str>>(hypotheses: &[S], references: &[Vec<S>]) -> Result<Score> {
    corpus_score(&Bleu::default(), hypotheses, references)
}

/// sacreBLEU's `corpus_chrf(hypotheses, references)` with its defaults (chrF2, character order 6).
///
/// ```
/// let chrf = tqscore::corpus_chrf(&["It was sunny."], &[vec!["It was sunny today."]]).unwrap();
/// assert_eq!(format!("{:.2}", chrf.score), "61.57"); // sacreBLEU 2.6.0: chrF2 = 61.57
/// assert_eq!(chrf.name, "chrF2");
/// ```
pub fn corpus_chrf<S: AsRef<str>>(hypotheses: &[S], references: &[Vec<S>]) -> Result<Score> {
    corpus_score(&Chrf::default(), hypotheses, references)
}

/// sacreBLEU's `sentence_bleu(hypothesis, references)`: BLEU of one segment with
/// effective order (so a short sentence without 4-gram matches is not zero).
///
/// ```
/// let bleu = tqscore::sentence_bleu("The cat sat on the mat.", &["The cat sat on a mat."]);
/// assert_eq!(format!("{:.2}", bleu.score), "48.89"); // sacreBLEU 2.6.0: 48.892302243490086
/// assert!(bleu.signature.to_string().starts_with("nrefs:1|case:mixed|eff:yes|tok:13a|smooth:exp"));
/// ```
pub fn sentence_bleu(hypothesis: &str, references: &[&str]) -> Score {
    let metric = Bleu { effective_order: true, ..Bleu::default() };
    let stats = segment_stats(metric.scorer().as_mut(), metric.stats_len(), hypothesis, references);
    metric.score(&stats, references.len())
}

/// Align and score two versions of one article (the reference first) with the
/// default options, as `tqscore score REFERENCE CANDIDATE` does.
///
/// ```
/// let reference = "The minister arrived in Paris on Monday. She met the president.";
/// let candidate = "The minister came to Paris on Monday. She met with the president.";
/// let report = tqscore::score_article(reference, candidate).unwrap();
/// assert_eq!(report.pairs.len(), 2);
/// assert!(report.document.bleu.score.score > 20.0);
/// ```
pub fn score_article(reference: &str, candidate: &str) -> Result<ArticleReport> {
    let reference = decode_text("reference".into(), reference.as_bytes())?;
    let candidate = decode_text("candidate".into(), candidate.as_bytes())?;
    crate::article::score_article(&reference, &candidate, &ArticleOptions::default())
}
