//! Name fidelity measured on real data nobody here wrote:
//! `../shared/data/names-gold/` (30 WMT21 ru-en documents, each reference
//! against a second human translation, two MT systems and, for 15 documents,
//! a copy with injected errors; 3,970 hand-labelled records), and a held-out
//! twin labelled the same way from other documents (`fixtures/names-heldout/`:
//! 12 WMT22/WMT23 ru-en documents × 2 systems, 1,912 records), labelled without
//! looking at tqscore's output (its wmt23 half was never used to tune anything;
//! the errors of its wmt22 half were read once, on 2026-12-02), and `fixtures/names-wmt21dev/`
//! (8 more WMT21 documents × refB and the two systems, 768 records, labelled
//! blind to tqscore, then used for development). All are scored with
//! names-gold's rule (its README, "Scoring a name-fidelity checker"); the
//! figures are printed (`cargo test --release --test names_gold -- --nocapture`)
//! and recorded in docs/names.md.

mod common;

use std::path::PathBuf;

use common::name_eval::{evaluate, flags_of, norm, Kind, Record};
use serde_json::Value;

fn names_gold_dir() -> PathBuf {
    let dir = std::env::var_os("TQSCORE_NAMES_GOLD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("../shared/data/names-gold"));
    assert!(
        dir.join("labels.jsonl").is_file(),
        "names-gold not found at {} (set TQSCORE_NAMES_GOLD_DIR)",
        dir.display()
    );
    dir
}

/// The articles of WMT document `doc` of test set `set` (`wmt22.ru-en`):
/// the reference and the candidate `cand` (a system, or `refB` for the second
/// human reference), each its lines joined with `\n`.
fn realmt_article(set: &str, doc: &str, cand: &str) -> (String, String) {
    let dir = common::realmt_dir();
    let read = |name: &str| std::fs::read_to_string(dir.join(format!("{set}.{name}.txt"))).unwrap();
    let docids = read("docids");
    let lines: Vec<usize> = docids.lines().enumerate().filter(|(_, d)| *d == doc).map(|(i, _)| i).collect();
    assert!(!lines.is_empty(), "{set}: no document {doc}");
    let pick = |text: String| {
        let all: Vec<&str> = text.lines().collect();
        lines.iter().map(|&i| all[i]).collect::<Vec<_>>().join("\n")
    };
    let cand_file = if cand == "refB" { cand.to_string() } else { format!("sys.{cand}") };
    (pick(read("ref")), pick(read(&cand_file)))
}

fn jsonl(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn names_gold_precision_and_recall_per_tier() {
    let dir = names_gold_dir();
    let records: Vec<Record> = jsonl(&dir.join("labels.jsonl")).iter().map(Record::from_json).collect();
    let mut pairs: Vec<(String, String)> = records.iter().map(|r| (r.doc.clone(), r.cand.clone())).collect();
    pairs.dedup();
    let mut flags = Vec::new();
    for (doc, cand) in &pairs {
        let read = |name: &str| std::fs::read_to_string(dir.join("pairs").join(format!("{doc}.{name}.txt"))).unwrap();
        flags.extend(flags_of(doc, cand, &read("ref"), &read(cand)));
    }
    let e = evaluate(&records, &flags);
    println!("names-gold ({} records, {} article pairs)\n{}", records.len(), pairs.len(), e.table());
    e.print_errors_if_asked();

    // Injected errors (refB-injected): each found with its form; must-not-flag alternatives left alone.
    let injected = jsonl(&dir.join("injected.jsonl"));
    let (mut errors, mut found, mut wrongly_flagged) = (0, 0, Vec::new());
    for entry in &injected {
        let doc = entry["doc"].as_str().unwrap();
        let token = norm(entry["ref_token"].as_str().unwrap());
        let form = entry["injected_form"].as_str().map(norm);
        let mine = flags.iter().filter(|f| f.doc == doc && f.cand == "refB-injected" && norm(&f.ref_token) == token);
        let mut mine = mine.peekable();
        match entry["expected"].as_str().unwrap() {
            "no_flag" => {
                if mine.any(|f| f.kind == Kind::Missing || f.cand_form.as_deref().map(norm) == form) {
                    wrongly_flagged.push(entry.clone());
                }
            }
            "omitted" => {
                errors += 1;
                found += usize::from(mine.any(|f| f.kind == Kind::Missing));
            }
            _ => {
                errors += 1;
                found +=
                    usize::from(mine.any(|f| f.kind == Kind::Misrendered && f.cand_form.as_deref().map(norm) == form));
            }
        }
    }
    let injected_recall = found as f64 / errors as f64;
    println!(
        "injected errors found: {found}/{errors} = {injected_recall:.3}; must-not-flag alternatives flagged: {}",
        wrongly_flagged.len()
    );

    let misrendered = e.by_kind[&Kind::Misrendered];
    let missing = e.by_kind[&Kind::Missing];
    assert!(misrendered.precision() >= 0.95, "variant+wrong precision {:.3}", misrendered.precision());
    assert!(misrendered.recall() >= 0.90, "variant+wrong recall {:.3}", misrendered.recall());
    assert!(missing.precision() >= 0.80, "missing precision {:.3}", missing.precision());
    assert!(missing.recall() >= 0.80, "missing recall {:.3}", missing.recall());
    assert!(injected_recall >= 0.95, "injected errors found {injected_recall:.3}");
    assert!(wrongly_flagged.is_empty(), "must-not-flag alternatives flagged: {wrongly_flagged:?}");
}

/// Score a held-out set of `fixtures/` (`labels.jsonl` with a `set` field;
/// the articles rebuilt from realmt by document id) and print its figures.
fn evaluate_realmt_set(name: &str) -> common::name_eval::Evaluation {
    let labels = jsonl(&common::fixture(&format!("{name}/labels.jsonl")));
    let records: Vec<Record> = labels.iter().map(Record::from_json).collect();
    let mut pairs: Vec<(String, String, String)> = labels
        .iter()
        .map(|v| {
            (v["set"].as_str().unwrap().into(), v["doc"].as_str().unwrap().into(), v["cand"].as_str().unwrap().into())
        })
        .collect();
    pairs.dedup();
    let mut flags = Vec::new();
    for (set, doc, cand) in &pairs {
        let (reference, candidate) = realmt_article(set, doc, cand);
        flags.extend(flags_of(doc, cand, &reference, &candidate));
    }
    let e = evaluate(&records, &flags);
    println!("{name} ({} records, {} article pairs)\n{}", records.len(), pairs.len(), e.table());
    e.print_errors_if_asked();
    e
}

#[test]
fn held_out_set_precision_and_recall_per_tier() {
    let e = evaluate_realmt_set("names-heldout");
    // Guards of what tqscore reaches on data it was not tuned on (docs/names.md).
    assert_floors(&e, (0.85, 0.75), 0.75);
}

/// Variant+wrong precision and recall, and missing precision, are at least `misrendered` and `missing`.
fn assert_floors(e: &common::name_eval::Evaluation, misrendered: (f64, f64), missing: f64) {
    let (flagged, omitted) = (e.by_kind[&Kind::Misrendered], e.by_kind[&Kind::Missing]);
    assert!(flagged.precision() >= misrendered.0, "variant+wrong precision {:.3}", flagged.precision());
    assert!(flagged.recall() >= misrendered.1, "variant+wrong recall {:.3}", flagged.recall());
    assert!(omitted.precision() >= missing, "missing precision {:.3}", omitted.precision());
}

/// `fixtures/names-wmt21dev/`: 8 more WMT21 documents (none of names-gold's),
/// the same three candidates, labelled blind to tqscore by names-gold's guide.
#[test]
fn wmt21_development_set_precision_and_recall_per_tier() {
    let e = evaluate_realmt_set("names-wmt21dev");
    // Measured blind at 0.881 / 0.922 (missing 0.750 / 0.429), then used for development (docs/names.md).
    assert_floors(&e, (0.95, 0.95), 0.80);
}
