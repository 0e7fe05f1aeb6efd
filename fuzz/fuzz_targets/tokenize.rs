//! Every tokenizer on arbitrary text, and BLEU/chrF/chrF++ on pairs made from
//! it: tokens are non-empty and free of whitespace, scores stay within
//! [0, 100], a segment against itself scores 100, and one reference counts
//! the same as that reference given twice (BLEU: the packed n-gram path
//! against the general one).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tqscore::metrics::{segment_stats, Bleu, Chrf, Metric};
use tqscore::text::is_py_whitespace;
use tqscore::tokenize::{Tokenizer, TokenizerKind};

fuzz_target!(|text: &str| {
    let (hyp, reference) = text.split_once('|').unwrap_or((text, text));
    for kind in TokenizerKind::ALL {
        let mut tokenizer = Tokenizer::new(kind);
        for token in tokenizer.tokens(text) {
            let token = std::str::from_utf8(token).expect("tokens are whole characters");
            assert!(!token.is_empty() && !token.chars().any(is_py_whitespace), "{kind}: {token:?}");
        }
        let bleu = Bleu { tokenizer: kind, effective_order: true, ..Bleu::default() };
        check(&bleu, hyp, reference);
    }
    check(&Chrf::default(), hyp, reference);
    check(&Chrf { word_order: 2, ..Chrf::default() }, hyp, reference);
});

fn check(metric: &dyn Metric, hyp: &str, reference: &str) {
    let mut scorer = metric.scorer();
    let pair = segment_stats(scorer.as_mut(), metric.stats_len(), hyp, &[reference]);
    let score = metric.score(&pair, 1).score;
    assert!((0.0..=100.0 + 1e-9).contains(&score), "{} = {score}", metric.key());
    let own = segment_stats(scorer.as_mut(), metric.stats_len(), reference, &[reference]);
    let own_score = metric.score(&own, 1).score;
    let twice = segment_stats(scorer.as_mut(), metric.stats_len(), hyp, &[reference, reference]);
    assert_eq!(pair, twice, "{}: one reference and the same one twice", metric.key());
    // A reference with no n-gram at all (blank text) scores 0 against itself, as in sacreBLEU.
    if own.iter().any(|&s| s > 0) {
        assert!((own_score - 100.0).abs() < 1e-9, "{} self = {own_score}", metric.key());
    }
}
