//! Normalisation and segmentation of arbitrary text: sentences are non-empty,
//! trimmed of (Python) whitespace, in paragraph order, and every character of
//! the text but whitespace is kept, in order.
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
        // Nothing is lost, added or reordered. (A boundary may fall inside a run of
        // non-space characters: UAX #29 splits `h.&T` and, rightly, `他来了。她走了。`.)
        let visible = |t: &str| py_split(t).collect::<String>();
        let kept: String = sentences.iter().map(|s| visible(&s.text)).collect();
        assert_eq!(kept, visible(&normalized));
    }
});
