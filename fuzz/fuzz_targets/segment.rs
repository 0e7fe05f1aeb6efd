//! Normalisation and segmentation of arbitrary text: sentences are non-empty,
//! trimmed of (Python) whitespace, in paragraph order, and every word of the text is kept.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tqscore::normalize::{normalize, Normalization};
use tqscore::segment::split_sentences;
use tqscore::text::{py_split, py_strip};

fuzz_target!(|text: &str| {
    for fold_quotes in [true, false] {
        let normalized = normalize(text, Normalization { fold_quotes });
        let sentences = split_sentences(&normalized);
        let mut paragraph = 0;
        for s in &sentences {
            assert!(!s.text.is_empty());
            assert_eq!(py_strip(&s.text), s.text);
            assert!(s.paragraph >= paragraph);
            paragraph = s.paragraph;
        }
        let words = |t: &str| py_split(t).map(str::to_owned).collect::<Vec<_>>();
        let kept: Vec<String> = sentences.iter().flat_map(|s| words(&s.text)).collect();
        assert_eq!(kept, words(&normalized));
    }
});
