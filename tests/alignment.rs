//! Segmentation and alignment against hand-made gold alignments: the seed pair
//! and every case under `fixtures/align/` must come out exactly right.

mod common;

use tqscore::align::{align, AlignParams, Bead};
use tqscore::normalize::{normalize, Normalization};
use tqscore::segment::split_sentences;

fn sentences(path: &std::path::Path) -> Vec<tqscore::segment::Sentence> {
    split_sentences(&normalize(&std::fs::read_to_string(path).unwrap(), Normalization::default()))
}

#[test]
fn every_gold_case_is_segmented_and_aligned_exactly() {
    let fold = |s: &String| normalize(s, Normalization::default());
    let mut report = Vec::new();
    let (mut total, mut exact) = (0, 0);
    let cases = common::gold_cases();
    assert!(cases.len() >= 4, "the seed and at least three written cases");
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let gold = common::read_gold(&case.join("gold.txt"));
        let reference = sentences(&case.join("reference.txt"));
        let candidate = sentences(&case.join("candidate.txt"));
        let gold_ref: Vec<String> = gold.iter().flat_map(|b| b.reference.iter().map(fold)).collect();
        let gold_cand: Vec<String> = gold.iter().flat_map(|b| b.candidate.iter().map(fold)).collect();
        let got_ref: Vec<&String> = reference.iter().map(|s| &s.text).collect();
        let got_cand: Vec<&String> = candidate.iter().map(|s| &s.text).collect();
        assert_eq!(got_ref, gold_ref.iter().collect::<Vec<_>>(), "{name}: reference segmentation");
        assert_eq!(got_cand, gold_cand.iter().collect::<Vec<_>>(), "{name}: candidate segmentation");

        // Gold beads as index ranges.
        let (mut r, mut c) = (0, 0);
        let gold_ranges: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = gold
            .iter()
            .map(|b| {
                let ranges = (r..r + b.reference.len(), c..c + b.candidate.len());
                r += b.reference.len();
                c += b.candidate.len();
                ranges
            })
            .collect();
        let beads = align(&reference, &candidate, &AlignParams::default());
        let got: Vec<_> = beads.iter().map(|b: &Bead| (b.reference.clone(), b.candidate.clone())).collect();
        for g in &gold_ranges {
            total += 1;
            if got.contains(g) {
                exact += 1;
            } else {
                report.push(format!("{name}: gold bead R{:?} C{:?} not found", g.0, g.1));
            }
        }
        for b in &beads {
            if !gold_ranges.contains(&(b.reference.clone(), b.candidate.clone())) {
                report.push(format!(
                    "{name}:   got R{:?} C{:?} ({}, similarity {:.3})",
                    b.reference,
                    b.candidate,
                    b.kind(),
                    b.similarity
                ));
            }
        }
    }
    assert!(report.is_empty(), "alignment accuracy {exact}/{total}:\n{}", report.join("\n"));
    assert!(total > 100, "gold beads: {total}");
}

#[test]
fn seed_pair_has_20_reference_and_26_candidate_sentences_and_the_gold_shape() {
    let reference = sentences(&common::fixture("seed/reference.txt"));
    let candidate = sentences(&common::fixture("seed/candidate.txt"));
    assert_eq!((reference.len(), candidate.len()), (20, 26));
    let beads = align(&reference, &candidate, &AlignParams::default());
    let count = |kind: &str| beads.iter().filter(|b| b.kind() == kind).count();
    assert_eq!((count("1-1"), count("2-1"), count("1-0"), count("0-1")), (19, 1, 5, 0));
    let unaligned: Vec<&str> =
        beads.iter().filter(|b| !b.is_pair()).map(|b| candidate[b.candidate.start].text.as_str()).collect();
    assert_eq!(
        unaligned,
        [
            "Us News",
            "Kremlin says Putin meets Trump's envoy Steve Witkov",
            "Related Articles",
            "Leave a Reply",
            "× How can I help you?"
        ]
    );
}
