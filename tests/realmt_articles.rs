//! Real-article alignment benchmark: WMT21–23 ru-en documents (reference lines
//! grouped by `docids.txt`) against two systems per test set, laid out five
//! ways, aligned by `tqscore score`'s pipeline and checked against the known
//! line correspondence.
//!
//! Layouts: `lines` (one segment per line on both sides), `paragraphs` (the
//! candidate's body reflowed into paragraphs of 2–4 segments, the headline on its own line), `boilerplate` (a site
//! header, the headline repeated, three footer lines), `dropped` (the middle
//! candidate segment deleted) and `merged` (two middle reference lines joined
//! into one). A gold segment is aligned correctly when every bead touching its
//! sentences holds sentences of that segment only, on both sides, and a
//! dropped segment's reference sentences stay unaligned. The headline document
//! BLEU is compared with BLEU over the gold line pairs (a dropped line counted
//! as an empty hypothesis), from the same exact engine as `tqscore corpus`.
//!
//! Figures are printed (`cargo test --release --test realmt_articles -- --nocapture`)
//! and recorded in docs/alignment.md. `TQSCORE_SHOW_WRONG=1` lists the wrong
//! segments of each document; `TQSCORE_SHOW_WRONG=beads` also prints their gold
//! lines and the beads (or unaligned sentences) that hold them.

mod common;

use std::collections::BTreeMap;

use rayon::prelude::*;
use tqscore::article::{article_sentences, score_article, ArticleOptions};
use tqscore::corpus::{score_segments, RunOptions, Segments};
use tqscore::input::decode_text;
use tqscore::metrics::{Bleu, Metric};
use tqscore::normalize::Normalization;

const SETS: [&str; 3] = ["wmt21.ru-en", "wmt22.ru-en", "wmt23.ru-en"];
const LAYOUTS: [&str; 5] = ["lines", "paragraphs", "boilerplate", "dropped", "merged"];
const HEADER: &str = "Moscow Daily News | World | Politics | Economy";
const FOOTER: [&str; 3] = ["Related Articles", "Leave a Reply", "× How can I help you?"];

/// A document: its id and the reference and candidate lines (same count).
struct Document {
    id: String,
    reference: Vec<String>,
    candidate: Vec<String>,
}

/// Who a line of a laid-out article belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Gold segment number (a merged reference line belongs to the first of its two).
    Gold(usize),
    /// Site header, repeated headline or footer.
    Boilerplate,
}

/// One side of a laid-out article: paragraphs of (owner, text) pieces joined by a space.
type Side = Vec<Vec<(Owner, String)>>;

fn documents(set: &str, system: &str) -> Vec<Document> {
    let dir = common::realmt_dir();
    let read = |name: &str| std::fs::read_to_string(dir.join(format!("{set}.{name}.txt"))).unwrap();
    let (docids, reference, candidate) = (read("docids"), read("ref"), read(&format!("sys.{system}")));
    let (reference, candidate): (Vec<&str>, Vec<&str>) = (reference.lines().collect(), candidate.lines().collect());
    let mut docs: Vec<Document> = Vec::new();
    for (i, id) in docids.lines().enumerate() {
        if docs.last().is_none_or(|d| d.id != id) {
            docs.push(Document { id: id.to_string(), reference: Vec::new(), candidate: Vec::new() });
        }
        let doc = docs.last_mut().unwrap();
        doc.reference.push(reference[i].to_string());
        doc.candidate.push(candidate[i].to_string());
    }
    docs
}

/// The two sides of `doc` in `layout`, and the gold (reference, hypothesis) line pairs.
fn lay_out(doc: &Document, layout: &str, seed: usize) -> (Side, Side, Vec<(String, String)>) {
    let n = doc.reference.len();
    let one_per_line = |lines: &[String]| -> Side {
        lines.iter().enumerate().map(|(i, l)| vec![(Owner::Gold(i), l.clone())]).collect()
    };
    let mut reference = one_per_line(&doc.reference);
    let mut candidate = one_per_line(&doc.candidate);
    let mut gold: Vec<(String, String)> = doc.reference.iter().cloned().zip(doc.candidate.iter().cloned()).collect();
    let middle = n / 2;
    match layout {
        "lines" => {}
        "paragraphs" => {
            // The headline (segment 0) stays a line of its own, as on any news page.
            candidate.truncate(1);
            let mut i = 1;
            for k in 0.. {
                if i >= n {
                    break;
                }
                let size = 2 + (seed + k) % 3;
                candidate.push((i..n.min(i + size)).map(|j| (Owner::Gold(j), doc.candidate[j].clone())).collect());
                i += size;
            }
        }
        "boilerplate" => {
            let mut framed = vec![vec![(Owner::Boilerplate, HEADER.to_string())]];
            framed.push(vec![(Owner::Boilerplate, doc.candidate[0].clone())]);
            framed.append(&mut candidate);
            framed.extend(FOOTER.iter().map(|f| vec![(Owner::Boilerplate, f.to_string())]));
            candidate = framed;
        }
        "dropped" => {
            candidate.remove(middle);
            gold[middle].1.clear();
        }
        "merged" => {
            let next = reference.remove(middle + 1);
            reference[middle][0].1 = format!("{} {}", reference[middle][0].1, next[0].1);
            candidate[middle + 1][0].0 = Owner::Gold(middle);
            // The merged line is gold segment `middle`; segment `middle + 1` is left
            // empty (not counted) so that later segments keep their numbers.
            let (r, c) = std::mem::take(&mut gold[middle + 1]);
            gold[middle] = (format!("{} {}", gold[middle].0, r), format!("{} {}", gold[middle].1, c));
        }
        other => unreachable!("layout {other}"),
    }
    (reference, candidate, gold)
}

fn text_of(side: &Side) -> String {
    side.iter().map(|p| p.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n")
}

/// The owners of each sentence the pipeline cuts `side` into: the pieces its
/// text overlaps (two when the segmenter missed a boundary between them; none
/// when it could not be located, which counts as wrong).
fn sentence_owners(side: &Side, how: Normalization) -> Vec<Vec<Owner>> {
    let text = decode_text("side".into(), text_of(side).as_bytes()).unwrap();
    let sentences = article_sentences(&text, how).unwrap();
    // The non-blank paragraphs, as the segmenter numbers them, with each piece's span.
    let paragraphs: Vec<(String, Vec<PieceSpan>)> = side
        .iter()
        .filter_map(|pieces| {
            let (mut joined, mut spans) = (String::new(), Vec::new());
            for (owner, piece) in pieces {
                if !joined.is_empty() {
                    joined.push(' ');
                }
                let piece = tqscore::normalize::normalize(piece, how);
                spans.push((*owner, joined.len(), joined.len() + piece.len()));
                joined.push_str(&piece);
            }
            (!joined.trim().is_empty()).then_some((joined, spans))
        })
        .collect();
    let mut cursor = (usize::MAX, 0);
    sentences
        .iter()
        .map(|sentence| {
            let (joined, spans) = &paragraphs[sentence.paragraph];
            if cursor.0 != sentence.paragraph {
                cursor = (sentence.paragraph, 0);
            }
            let Some(found) = joined[cursor.1..].find(&sentence.text) else { return Vec::new() };
            let (start, end) = (cursor.1 + found, cursor.1 + found + sentence.text.len());
            cursor.1 = end;
            let mut owners: Vec<Owner> =
                spans.iter().filter(|(_, s, e)| *s < end && start < *e).map(|(owner, _, _)| *owner).collect();
            owners.dedup();
            owners
        })
        .collect()
}

/// A piece of a paragraph: its owner and its byte span in the joined paragraph.
type PieceSpan = (Owner, usize, usize);

/// One document's result in one layout: (gold segments, aligned right, boilerplate aligned, |headline − gold BLEU|).
type Outcome = (usize, usize, usize, f64);

/// Per layout: (gold segments, correct, boilerplate sentences aligned, |headline − gold BLEU| summed, documents).
type Tally = BTreeMap<&'static str, (usize, usize, usize, f64, usize)>;

fn evaluate(doc: &Document, layout: &'static str, seed: usize) -> Outcome {
    let (reference, candidate, gold) = lay_out(doc, layout, seed);
    let how = Normalization { fold_quotes: false };
    let options = ArticleOptions { bootstrap: 0, threads: 1, normalization: how, ..ArticleOptions::default() };
    let text = |side: &Side| decode_text("article".into(), text_of(side).as_bytes()).unwrap();
    let report = score_article(&text(&reference), &text(&candidate), &options).unwrap();
    let (ref_owner, cand_owner) = (sentence_owners(&reference, how), sentence_owners(&candidate, how));
    assert_eq!(ref_owner.len(), report.sentences.reference.len(), "{} {layout}", doc.id);
    assert_eq!(cand_owner.len(), report.sentences.candidate.len(), "{} {layout}", doc.id);

    // A bead is right when it covers the same gold segments on both sides (a
    // segment split or a missed boundary may put several in one bead) and no
    // boilerplate; a gold segment is right when every bead touching it is and it
    // is paired (below), or, if the candidate dropped it, its reference stays unaligned.
    let mut wrong = vec![false; gold.len()];
    let mut aligned_boilerplate = 0;
    let mut in_pair = (vec![false; ref_owner.len()], vec![false; cand_owner.len()]);
    let owners_of = |sentences: &[usize], owners: &[Vec<Owner>]| {
        let mut all: Vec<Owner> = sentences.iter().flat_map(|&i| owners[i].iter().copied()).collect();
        all.sort_by_key(|o| match o {
            Owner::Gold(g) => *g,
            Owner::Boilerplate => usize::MAX,
        });
        all.dedup();
        (all, sentences.iter().any(|&i| owners[i].is_empty()))
    };
    for pair in &report.pairs {
        let (ref_side, ref_lost) = owners_of(&pair.reference, &ref_owner);
        let (cand_side, cand_lost) = owners_of(&pair.candidate, &cand_owner);
        aligned_boilerplate += pair.candidate.iter().filter(|&&j| cand_owner[j].contains(&Owner::Boilerplate)).count();
        let right = ref_side == cand_side && !ref_lost && !cand_lost && !ref_side.contains(&Owner::Boilerplate);
        for owner in ref_side.iter().chain(&cand_side) {
            if let Owner::Gold(g) = owner {
                wrong[*g] |= !right;
            }
        }
        pair.reference.iter().for_each(|&i| in_pair.0[i] = true);
        pair.candidate.iter().for_each(|&j| in_pair.1[j] = true);
    }
    // Paired sentences per gold segment and side. A rendered segment needs at
    // least one on each side (a sentence the candidate's line truly lacks may
    // stay unaligned); a dropped one none.
    let mut paired = vec![(0usize, 0usize); gold.len()];
    for (owners, flags, side) in [(&ref_owner, &in_pair.0, 0), (&cand_owner, &in_pair.1, 1)] {
        for (owners, &is_paired) in owners.iter().zip(flags) {
            for owner in owners {
                if let (Owner::Gold(g), true) = (owner, is_paired) {
                    if side == 0 {
                        paired[*g].0 += 1
                    } else {
                        paired[*g].1 += 1
                    }
                }
            }
        }
    }
    for (g, (refs, cands)) in paired.iter().enumerate() {
        let dropped = gold[g].1.trim().is_empty();
        wrong[g] |= if dropped { *refs > 0 } else { *refs == 0 || *cands == 0 };
    }
    // A sentence that cannot be located counts as one wrong segment.
    let unattributed = ref_owner.iter().chain(&cand_owner).filter(|o| o.is_empty()).count();
    let segments = gold.iter().filter(|(r, _)| !r.trim().is_empty()).count();
    let correct = gold.iter().zip(&wrong).filter(|((r, _), w)| !r.trim().is_empty() && !**w).count();
    let correct = correct.saturating_sub(unattributed);
    if std::env::var_os("TQSCORE_SHOW_WRONG").is_some() && correct < segments {
        let wrong_ids: Vec<usize> = (0..gold.len()).filter(|&g| wrong[g]).collect();
        eprintln!("{} {layout}: wrong segments {wrong_ids:?}", doc.id);
        if std::env::var_os("TQSCORE_SHOW_WRONG").is_some_and(|v| v == "beads") {
            eprintln!("{}", wrong_beads(&wrong_ids, &gold, (&ref_owner, &cand_owner), &report));
        }
    }

    let bleu = Bleu::default();
    let (refs, hyps): (Vec<String>, Vec<String>) = gold.into_iter().unzip();
    let stats = score_segments(
        &[&bleu],
        &Segments::from_streams(&hyps, &[refs]),
        RunOptions { threads: 1, keep_segments: false },
    )
    .unwrap();
    let gold_bleu = bleu.score(&stats.totals[0], 1).score;
    (segments, correct, aligned_boilerplate, (report.document.bleu.score.score - gold_bleu).abs())
}

/// For `TQSCORE_SHOW_WRONG=beads`: each wrong gold segment's lines and the
/// beads or unaligned sentences that hold its sentences.
fn wrong_beads(
    wrong_ids: &[usize],
    gold: &[(String, String)],
    (ref_owner, cand_owner): (&[Vec<Owner>], &[Vec<Owner>]),
    report: &tqscore::report::ArticleReport,
) -> String {
    let mut out = String::new();
    let name = |o: &[Owner]| {
        o.iter()
            .map(|o| match o {
                Owner::Gold(g) => g.to_string(),
                Owner::Boilerplate => "B".into(),
            })
            .collect::<Vec<_>>()
            .join("+")
    };
    for &g in wrong_ids {
        let mine = |o: &Vec<Owner>| o.contains(&Owner::Gold(g));
        out.push_str(&format!(" g{g}\n   REF: {}\n   HYP: {}\n", gold[g].0, gold[g].1));
        let mut shown = Vec::new();
        for (side, owners) in [(0, &ref_owner), (1, &cand_owner)] {
            for (i, o) in owners.iter().enumerate() {
                if !mine(o) {
                    continue;
                }
                let p = report.pairs.iter().position(|p| {
                    if side == 0 {
                        p.reference.contains(&i)
                    } else {
                        p.candidate.contains(&i)
                    }
                });
                match p {
                    Some(p) if shown.contains(&p) => {}
                    Some(p) => {
                        shown.push(p);
                        let pr = &report.pairs[p];
                        out.push_str(&format!("   [{} {:.3}]\n", pr.kind, pr.similarity));
                        for &i in &pr.reference {
                            out.push_str(&format!(
                                "     R{i}<{}> {}\n",
                                name(&ref_owner[i]),
                                report.sentences.reference[i]
                            ));
                        }
                        for &j in &pr.candidate {
                            out.push_str(&format!(
                                "     C{j}<{}> {}\n",
                                name(&cand_owner[j]),
                                report.sentences.candidate[j]
                            ));
                        }
                    }
                    None => {
                        let text =
                            if side == 0 { &report.sentences.reference[i] } else { &report.sentences.candidate[i] };
                        out.push_str(&format!(
                            "   [unaligned {}{i}<{}>] {text}\n",
                            if side == 0 { "R" } else { "C" },
                            name(o)
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn real_articles_align_in_every_layout_and_score_like_their_gold_lines() {
    let mut tally = Tally::new();
    let mut worst: Vec<(f64, String)> = Vec::new();
    for set in SETS {
        let dir = common::realmt_dir();
        let mut systems: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                Some(name.strip_prefix(&format!("{set}.sys."))?.strip_suffix(".txt")?.to_string())
            })
            .collect();
        systems.sort();
        for system in [systems.first().unwrap(), systems.last().unwrap()] {
            let docs = documents(set, system);
            let results: Vec<(&str, Outcome, String)> = docs
                .par_iter()
                .enumerate()
                .filter(|(_, d)| d.reference.len() >= 3)
                .flat_map_iter(|(k, d)| {
                    LAYOUTS
                        .iter()
                        .map(move |&layout| (layout, evaluate(d, layout, k), format!("{set} {system} {}", d.id)))
                })
                .collect();
            for (layout, (segments, correct, boilerplate, diff), label) in results {
                let entry = tally.entry(layout).or_default();
                entry.0 += segments;
                entry.1 += correct;
                entry.2 += boilerplate;
                entry.3 += diff;
                entry.4 += 1;
                worst.push((diff, format!("{label} {layout}: {} of {segments} segments right", correct)));
            }
        }
    }
    println!("layout        documents  segments  aligned right  boilerplate aligned  mean |headline − gold BLEU|");
    for (layout, (segments, correct, boilerplate, diff, docs)) in &tally {
        println!(
            "{layout:<12} {docs:>10} {segments:>9} {:>13.2}% {boilerplate:>20} {:>28.3}",
            100.0 * *correct as f64 / *segments as f64,
            diff / *docs as f64
        );
    }
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (diff, label) in worst.iter().take(5) {
        println!("  largest BLEU difference {diff:.2}: {label}");
    }
    // Floors at the measured figures (docs/alignment.md). The goal is 99.8% and
    // 0.1 everywhere: the headline BLEU meets 0.1 in every layout (the document rule
    // scores reference paragraphs, as the gold scores lines), and lines, boilerplate
    // and merged reach 99.8%; paragraphs and dropped fall short (see the docs).
    for (layout, (segments, correct, boilerplate, diff, docs)) in &tally {
        let (min_share, max_diff) = match *layout {
            "paragraphs" => (0.992, 0.05),
            "merged" => (0.998, 0.02),
            "dropped" => (0.995, 0.035),
            _ => (0.998, 0.01),
        };
        let (share, diff) = (*correct as f64 / *segments as f64, diff / *docs as f64);
        assert!(share >= min_share, "{layout}: {:.2}% of segments aligned right", 100.0 * share);
        assert_eq!(*boilerplate, 0, "{layout}: boilerplate aligned");
        assert!(diff <= max_diff, "{layout}: headline BLEU off by {diff:.3} on average");
    }
}
