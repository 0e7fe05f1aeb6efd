//! The headline document scores can't be gamed by dropping or padding text,
//! as far as sacreBLEU's formulas allow (docs/metrics.md, "Document scores of
//! an article pair"), checked on real articles: every wmt22 ru-en document of
//! one system (reference lines vs system lines), perturbed three ways.
//!
//! - boilerplate before and after the body never changes the headline;
//! - an unrelated sentence inserted into the body never raises chrF, nor BLEU
//!   when the candidate is at least as long as the reference (brevity);
//! - a deleted body sentence never raises BLEU when the candidate is not
//!   longer than the reference, and raises chrF rarely and by little.

mod common;

use tqscore::article::{score_article, ArticleOptions};
use tqscore::input::decode_text;
use tqscore::metrics::Details;
use tqscore::report::ArticleReport;

const SET: &str = "wmt22.ru-en";
const SYSTEM: &str = "ALMAnaCH-Inria";

/// (reference lines, candidate lines) of every document of `SET` with at least four segments.
fn documents() -> Vec<(Vec<String>, Vec<String>)> {
    let dir = common::realmt_dir();
    let read = |name: &str| std::fs::read_to_string(dir.join(format!("{SET}.{name}.txt"))).unwrap();
    let (docids, reference, system) = (read("docids"), read("ref"), read(&format!("sys.{SYSTEM}")));
    let (reference, system): (Vec<&str>, Vec<&str>) = (reference.lines().collect(), system.lines().collect());
    let mut docs: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, doc) in docids.lines().enumerate() {
        match docs.last_mut() {
            Some((id, lines)) if id == doc => lines.push(i),
            _ => docs.push((doc.to_string(), vec![i])),
        }
    }
    docs.into_iter()
        .filter(|(_, lines)| lines.len() >= 4)
        .map(|(_, lines)| {
            let pick = |side: &[&str]| lines.iter().map(|&i| side[i].to_string()).collect();
            (pick(&reference), pick(&system))
        })
        .collect()
}

fn score(reference: &[String], candidate: &[String]) -> ArticleReport {
    let options = ArticleOptions { bootstrap: 0, threads: 1, ..ArticleOptions::default() };
    let text = |name: &str, lines: &[String]| decode_text(name.into(), lines.join("\n").as_bytes()).unwrap();
    score_article(&text("reference", reference), &text("candidate", candidate), &options).unwrap()
}

fn headline(report: &ArticleReport) -> (f64, f64) {
    (report.document.bleu.score.score, report.document.chrf.score.score)
}

/// BLEU's candidate and reference lengths (tokens) of the headline.
fn lengths(report: &ArticleReport) -> (usize, usize) {
    match &report.document.bleu.score.details {
        Details::Bleu(d) => (d.sys_len as usize, d.ref_len as usize),
        _ => unreachable!("document.bleu holds BLEU details"),
    }
}

#[test]
fn header_and_footer_never_change_the_headline() {
    let docs = documents();
    assert!(docs.len() > 50, "{SET}: only {} documents", docs.len());
    for (k, (reference, candidate)) in docs.iter().enumerate() {
        let base = score(reference, candidate);
        let mut framed = vec!["World News Today | Home | Politics | Business".to_string(), candidate[0].clone()];
        framed.extend(candidate.iter().cloned());
        framed.extend(["Related Articles".to_string(), "Leave a Reply".to_string(), "× How can I help you?".into()]);
        let report = score(reference, &framed);
        assert_eq!(headline(&report), headline(&base), "document {k}: boilerplate changed the headline");
        assert_eq!(report.document.pairs, base.document.pairs, "document {k}");
    }
}

#[test]
fn padding_or_dropping_body_text_does_not_pay() {
    let docs = documents();
    let (mut inserted, mut deleted) = ([0usize; 3], [0usize; 3]);
    let mut chrf_rise_after_deletion = 0.0f64;
    for (k, (reference, candidate)) in docs.iter().enumerate() {
        let base = score(reference, candidate);
        let (bleu, chrf) = headline(&base);
        let (sys_len, ref_len) = lengths(&base);
        let middle = candidate.len() / 2;

        // An unrelated sentence (another document's) inside the body.
        let unrelated = docs[(k + docs.len() / 2) % docs.len()].1[1].clone();
        let mut padded = candidate.clone();
        padded.insert(middle, unrelated);
        let (padded_bleu, padded_chrf) = headline(&score(reference, &padded));
        assert!(padded_chrf <= chrf, "document {k}: padding raised chrF {chrf} → {padded_chrf}");
        inserted[0] += 1;
        if sys_len >= ref_len {
            inserted[1] += 1;
            assert!(padded_bleu <= bleu, "document {k}: padding raised BLEU {bleu} → {padded_bleu}");
        } else if padded_bleu > bleu {
            inserted[2] += 1;
        }

        // The middle candidate sentence deleted.
        let mut dropped = candidate.clone();
        dropped.remove(middle);
        let (dropped_bleu, dropped_chrf) = headline(&score(reference, &dropped));
        deleted[0] += 1;
        if sys_len <= ref_len {
            deleted[1] += 1;
            assert!(dropped_bleu <= bleu, "document {k}: dropping raised BLEU {bleu} → {dropped_bleu}");
        } else if dropped_bleu > bleu {
            deleted[2] += 1;
        }
        chrf_rise_after_deletion = chrf_rise_after_deletion.max(dropped_chrf - chrf);
    }
    println!(
        "{SET} {SYSTEM}: {} documents; insertion: BLEU checked on {} (candidate not shorter), rose on {} of \
         the others; deletion: BLEU checked on {} (candidate not longer), rose on {} of the others; \
         largest chrF rise after a deletion {chrf_rise_after_deletion:.3}",
        inserted[0], inserted[1], inserted[2], deleted[1], deleted[2]
    );
    assert!(inserted[1] > 20 && deleted[1] > 20, "too few documents tested under each condition");
    assert!(chrf_rise_after_deletion < 0.5, "dropping a sentence raised chrF by {chrf_rise_after_deletion}");
}
