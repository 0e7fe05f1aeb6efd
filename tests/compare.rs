//! `tqscore compare`: two candidates of one reference (or of one test set)
//! compared with a paired bootstrap over shared units. The seed candidate
//! against the same text with its name errors repaired
//! (`fixtures/compare/candidate-names-repaired.txt`) shows a significant
//! name improvement; a candidate against itself shows no difference at all;
//! the shared blocks' statistics add up to each document's; and the
//! `significant` gate rule fails only on significant drops.

mod common;

use std::fs;

use assert_cmd::Command;
use serde_json::Value;
use tqscore::article::{score_article, ArticleOptions};
use tqscore::compare::{article_unit, block_units, shared_blocks, UnitStats, MEASURES};
use tqscore::input::{read_text, Source};
use tqscore::metrics::Bleu;

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

fn seed(name: &str) -> String {
    common::fixture(&format!("seed/{name}")).to_str().unwrap().to_string()
}

fn repaired() -> String {
    common::fixture("compare/candidate-names-repaired.txt").to_str().unwrap().to_string()
}

fn compare_json(args: &[&str]) -> Value {
    let out = tqscore().arg("compare").args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn repaired_names_are_a_significant_improvement_and_bleu_a_small_one() {
    let report = compare_json(&[&seed("reference.txt"), &seed("candidate.txt"), &repaired()]);
    assert_eq!(report["unit"], "block");
    let (delta, p) = (&report["delta"], &report["p_value"]);
    assert!(delta["names_recall"].as_f64().unwrap() > 0.05, "{delta}");
    assert!(delta["names_variant_rate"].as_f64().unwrap() < -0.05, "{delta}");
    assert!(p["names_recall"].as_f64().unwrap() < 0.05 && p["names_variant_rate"].as_f64().unwrap() < 0.05, "{p}");
    let bleu = delta["bleu"].as_f64().unwrap();
    assert!(bleu > 0.0 && bleu < 5.0, "seven names repaired move BLEU a little: {bleu}");
    // The candidate's values are those of scoring it on its own.
    let out = tqscore().args(["score", &seed("reference.txt"), &repaired(), "--format", "json"]).output().unwrap();
    let alone: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["candidate"]["bleu"], alone["document"]["bleu"]["score"]);
    assert_eq!(report["candidate"]["names_recall"], alone["names"]["recall"]);
    // Every win names the block and shows both renderings.
    let win = &report["wins"][0];
    assert!(win["baseline"].as_str().unwrap().contains("Witkov") || win["baseline"].as_str().unwrap().contains("Vi"));
    assert!(win["candidate"].as_str().unwrap().contains("Witkoff"), "{win}");
    let ci = report["ci95"]["names_recall"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() > 0.0, "the interval excludes no change: {ci:?}");
}

#[test]
fn a_candidate_compared_with_itself_has_delta_zero_and_p_one() {
    let report = compare_json(&[&seed("reference.txt"), &seed("candidate.txt"), &seed("candidate.txt")]);
    for (key, _) in MEASURES {
        assert_eq!(report["delta"][key].as_f64(), Some(0.0), "{key}");
        assert_eq!(report["p_value"][key].as_f64(), Some(1.0), "{key}");
    }
    assert!(report["wins"].as_array().unwrap().is_empty() && report["losses"].as_array().unwrap().is_empty());

    // A test set of triples: the fixture articles against themselves, and one article changed.
    let dir = tempfile::tempdir().unwrap();
    let mut same = String::new();
    let mut changed = String::new();
    for case in common::gold_cases() {
        let (r, c) = (case.join("reference.txt"), case.join("candidate.txt"));
        let id = case.file_name().unwrap().to_str().unwrap();
        same.push_str(&format!("{}\t{}\t{}\t{id}\n", r.display(), c.display(), c.display()));
        let new = if id == "seed" { repaired() } else { c.display().to_string() };
        changed.push_str(&format!("{}\t{}\t{new}\t{id}\n", r.display(), c.display()));
    }
    fs::write(dir.path().join("same.tsv"), same).unwrap();
    fs::write(dir.path().join("changed.tsv"), changed).unwrap();
    let report = compare_json(&["--pairs", dir.path().join("same.tsv").to_str().unwrap()]);
    assert_eq!((report["unit"].as_str(), report["units"].as_u64()), (Some("article"), Some(6)));
    for (key, _) in MEASURES {
        assert_eq!((report["delta"][key].as_f64(), report["p_value"][key].as_f64()), (Some(0.0), Some(1.0)), "{key}");
    }
    let report = compare_json(&["--pairs", dir.path().join("changed.tsv").to_str().unwrap()]);
    assert!(report["delta"]["names_recall"].as_f64().unwrap() > 0.0);
    assert_eq!(report["wins"][0]["unit"], "seed", "the one article that changed gains most");
}

#[test]
fn shared_blocks_add_up_to_each_documents_statistics() {
    let options = ArticleOptions { bootstrap: 0, ..ArticleOptions::default() };
    let read = |p: std::path::PathBuf| read_text(&Source::File(p)).unwrap();
    let cases = common::gold_cases();
    for (case, other) in cases.iter().zip(cases.iter().cycle().skip(1)) {
        let reference = read(case.join("reference.txt"));
        let a = score_article(&reference, &read(case.join("candidate.txt")), &options).unwrap();
        // The other candidate is a different article: alignments differ, blocks get coarse.
        let b = score_article(&reference, &read(other.join("candidate.txt")), &options).unwrap();
        let blocks = shared_blocks(&a, &b);
        assert_eq!(blocks.first().map(|r| r.start), Some(0));
        assert_eq!(blocks.last().map(|r| r.end), Some(a.sentences.reference.len()));
        assert!(blocks.windows(2).all(|w| w[0].end == w[1].start));
        for report in [&a, &b] {
            for pair in &report.pairs {
                let block = blocks.iter().find(|r| r.contains(&pair.reference[0])).unwrap();
                assert!(pair.reference.iter().all(|i| block.contains(i)), "{}: a bead crosses a block", case.display());
            }
            let units = block_units(report, &blocks, &Bleu::default());
            assert_eq!(UnitStats::total(&units), article_unit(report), "{}", case.display());
        }
    }
}

#[test]
fn the_significant_rule_fails_only_on_significant_drops() {
    let dir = tempfile::tempdir().unwrap();
    let gate = |rules: &str| {
        let t = dir.path().join("t.json");
        fs::write(&t, rules).unwrap();
        // The names-repaired text is the baseline; the seed candidate is worse.
        let out = tqscore()
            .args(["compare", &seed("reference.txt"), &repaired(), &seed("candidate.txt"), "--gate"])
            .arg(&t)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stdout, _) = gate(r#"{"delta.bleu": {"min": -1.0, "significant": 0.05}}"#);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stdout.contains("significantly (p = "), "{stdout}");
    // At a level below its p-value the same drop passes, saying why (in the report's gate section).
    let (code, stdout, _) = gate(r#"{"delta.bleu": {"min": -1.0, "significant": 0.001}}"#);
    assert_eq!(code, Some(0), "{stdout}");
    let out = tqscore()
        .args(["compare", &seed("reference.txt"), &repaired(), &seed("candidate.txt"), "--format", "json", "--gate"])
        .arg(dir.path().join("t.json"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let message = report["gate"]["assertions"][0]["message"].as_str().unwrap();
    assert!(message.contains("below the minimum -1.0, but not significantly (p = 0.0"), "{message}");
    let (code, _, stderr) = gate(r#"{"document.bleu.score": {"min": 1, "significant": 0.05}}"#);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("`significant` applies to the differences of `tqscore compare`"), "{stderr}");
}

#[test]
fn compare_report_conforms_to_the_published_schema() {
    let schema = common::read_json(&common::root().join("docs/compare-report-schema.json"));
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("t.json");
    fs::write(&t, r#"{"delta.bleu": {"min": -1.0, "significant": 0.05}}"#).unwrap();
    let out = tqscore()
        .args(["compare", &seed("reference.txt"), &seed("candidate.txt"), &repaired(), "--format", "json", "--gate"])
        .arg(&t)
        .output()
        .unwrap();
    let mut report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors = common::schema_violations(&report, &schema, "$");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    report["delta"]["surprise"] = serde_json::json!(1);
    report["wins"][0]["baseline_bleu"] = serde_json::json!("x");
    assert_eq!(common::schema_violations(&report, &schema, "$").len(), 2);
}
