//! Alignment of two arbitrary articles (the input split at the first `|`):
//! beads cover every sentence of both sides exactly once, in order, no side
//! longer than `MAX_RUN`, and similarities lie in [0, 1].
#![no_main]

use libfuzzer_sys::fuzz_target;
use tqscore::align::{align, AlignParams, MAX_RUN};
use tqscore::segment::split_sentences;

fuzz_target!(|text: &str| {
    let (reference, candidate) = text.split_once('|').unwrap_or((text, text));
    let (reference, candidate) = (split_sentences(reference), split_sentences(candidate));
    let beads = align(&reference, &candidate, &AlignParams::default());
    let (mut next_ref, mut next_cand) = (0, 0);
    for bead in &beads {
        assert_eq!(bead.reference.start, next_ref);
        assert_eq!(bead.candidate.start, next_cand);
        assert!(bead.reference.len() <= MAX_RUN && bead.candidate.len() <= MAX_RUN);
        assert!(!bead.reference.is_empty() || !bead.candidate.is_empty());
        assert!((0.0..=1.0).contains(&bead.similarity));
        (next_ref, next_cand) = (bead.reference.end, bead.candidate.end);
    }
    assert_eq!((next_ref, next_cand), (reference.len(), candidate.len()));
});
