//! `tqscore score` over the command line: gold articles against sacreBLEU,
//! self-scoring, reports and input errors.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

fn score_json(reference: &std::path::Path, candidate: &std::path::Path, extra: &[&str]) -> Value {
    let out = tqscore()
        .arg("score")
        .arg(reference)
        .arg(candidate)
        .args(["--format", "json"])
        .args(if extra.contains(&"--bootstrap") { &[][..] } else { &["--bootstrap", "0"][..] })
        .args(extra)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn document_scores_equal_sacrebleu_on_the_gold_segments() {
    let oracle = common::read_json(&common::fixture("oracle/articles.json"));
    let cases = common::gold_cases();
    assert_eq!(oracle["cases"].as_object().unwrap().len(), cases.len());
    for case in cases {
        let name = case.file_name().unwrap().to_str().unwrap().to_string();
        let expected = &oracle["cases"][&name];
        for (variant, flags) in [("fold", &[][..]), ("nofold", &["--no-fold"][..])] {
            let report = score_json(&case.join("reference.txt"), &case.join("candidate.txt"), flags);
            let want = &expected[variant];
            let doc = &report["document"];
            let printed = |v: &Value| format!("{:.2}", v["score"].as_f64().unwrap());
            // The headline counts the whole reference (omissions, body additions) ...
            assert_eq!(printed(&doc["bleu"]), want["whole"]["bleu"]["printed"], "{name} {variant} BLEU");
            assert_eq!(printed(&doc["chrf"]), want["whole"]["chrf"]["printed"], "{name} {variant} chrF");
            // ... and `aligned` the gold pairs alone.
            assert_eq!(printed(&doc["aligned"]["bleu"]), want["bleu"]["printed"], "{name} {variant} aligned BLEU");
            assert_eq!(printed(&doc["aligned"]["chrf"]), want["chrf"]["printed"], "{name} {variant} aligned chrF");
            assert_eq!(printed(&doc["ter"]), want["whole"]["ter"]["printed"], "{name} {variant} TER");
            assert_eq!(printed(&doc["aligned"]["ter"]), want["ter"]["printed"], "{name} {variant} aligned TER");
            let ter_sig = doc["ter"]["signature"]
                .as_str()
                .unwrap()
                .replace(&format!("|fold:{}", if variant == "fold" { "yes" } else { "no" }), "");
            assert_eq!(common::sacrebleu_part(&ter_sig), want["ter"]["signature"], "{name} TER signature");
            assert_eq!(doc["omitted"], expected["omitted"], "{name} omitted");
            assert_eq!(doc["extra_in_body"], expected["extra_in_body"], "{name} additions in the body");
            let fold = if variant == "fold" { "yes" } else { "no" };
            let sig = doc["bleu"]["signature"].as_str().unwrap().replace(&format!("|fold:{fold}"), "");
            assert_eq!(common::sacrebleu_part(&sig), want["bleu"]["signature"], "{name} signature");
            let pairs = report["pairs"].as_array().unwrap();
            assert_eq!(pairs.len() as u64, expected["pairs"].as_u64().unwrap(), "{name} pairs");
            for (k, pair) in pairs.iter().enumerate() {
                let (b, c) = (pair["bleu"].as_f64().unwrap(), pair["chrf"].as_f64().unwrap());
                assert!((b - want["pair_bleu"][k].as_f64().unwrap()).abs() < 1e-9, "{name} pair {k} BLEU");
                assert!((c - want["pair_chrf"][k].as_f64().unwrap()).abs() < 1e-9, "{name} pair {k} chrF");
                let t = pair["ter"].as_f64().unwrap();
                assert!((t - want["pair_ter"][k].as_f64().unwrap()).abs() < 1e-9, "{name} pair {k} TER");
            }
        }
    }
}

#[test]
fn seed_report_has_the_gold_shape_and_the_design_note_figures() {
    let report = score_json(&common::fixture("seed/reference.txt"), &common::fixture("seed/candidate.txt"), &[]);
    assert_eq!(report["sentences"]["reference"].as_array().unwrap().len(), 20);
    assert_eq!(report["sentences"]["candidate"].as_array().unwrap().len(), 26);
    assert_eq!(report["unaligned"]["candidate"], serde_json::json!([0, 1, 23, 24, 25]));
    assert_eq!(report["unaligned"]["reference"], serde_json::json!([]));
    let kinds: Vec<&str> = report["pairs"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "1-1").count(), 19);
    assert_eq!(kinds.iter().filter(|k| **k == "2-1").count(), 1);
    // The design notes' figure: corpus BLEU over the gold-aligned sentence pairs ...
    assert_eq!(format!("{:.2}", report["document"]["aligned"]["bleu"]["score"].as_f64().unwrap()), "25.39");
    // ... and the headline over the reference's 12 paragraphs (one segment each).
    assert_eq!(format!("{:.2}", report["document"]["bleu"]["score"].as_f64().unwrap()), "25.90");
    assert_eq!(report["document"]["coverage"], 1.0);
    for key in ["mean", "median", "std", "min", "max", "p10", "p90"] {
        assert!(report["summary"]["bleu"][key].is_number(), "summary.bleu.{key}");
        assert!(report["summary"]["chrf"][key].is_number(), "summary.chrf.{key}");
    }
}

#[test]
fn bootstrap_interval_brackets_the_score_and_is_reproducible() {
    let run = |seed: &str| {
        let out = tqscore()
            .arg("score")
            .arg(common::fixture("seed/reference.txt"))
            .arg(common::fixture("seed/candidate.txt"))
            .args(["--format", "json", "--bootstrap", "500", "--seed", seed])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["document"].clone()
    };
    let (a, b, c) = (run("7"), run("7"), run("8"));
    assert_eq!(a, b);
    assert_ne!(a["bleu"]["ci95"], c["bleu"]["ci95"]);
    let score = a["bleu"]["score"].as_f64().unwrap();
    let (lo, hi) = (a["bleu"]["ci95"][0].as_f64().unwrap(), a["bleu"]["ci95"][1].as_f64().unwrap());
    assert!(lo < score && score < hi, "{lo} < {score} < {hi}");
}

#[test]
fn reference_against_itself_scores_100_with_every_sentence_one_to_one() {
    for case in common::gold_cases() {
        let reference = case.join("reference.txt");
        let report = score_json(&reference, &reference, &[]);
        let doc = &report["document"];
        assert!((doc["bleu"]["score"].as_f64().unwrap() - 100.0).abs() < 1e-9, "{}", case.display());
        assert!((doc["chrf"]["score"].as_f64().unwrap() - 100.0).abs() < 1e-9);
        assert_eq!(doc["extra"], 0);
        assert_eq!(doc["omitted"], 0);
        let pairs = report["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), report["sentences"]["reference"].as_array().unwrap().len());
        assert!(pairs.iter().all(|p| p["kind"] == "1-1"));
    }
}

#[test]
fn report_also_goes_to_a_file_and_markdown_renders() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.json");
    tqscore()
        .arg("score")
        .arg(common::fixture("seed/reference.txt"))
        .arg(common::fixture("seed/candidate.txt"))
        .args(["--format", "markdown", "--bootstrap", "0", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::contains("| BLEU | 25.90 |"));
    let saved = common::read_json(&path);
    assert_eq!(format!("{:.2}", saved["document"]["bleu"]["score"].as_f64().unwrap()), "25.90");
}

#[test]
fn empty_articles_and_double_stdin_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.txt");
    std::fs::write(&blank, " \n\t\n").unwrap();
    tqscore()
        .arg("score")
        .arg(common::fixture("seed/reference.txt"))
        .arg(&blank)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("blank.txt: the article has no text"));
    tqscore().args(["score", "-", "-"]).assert().code(2).stderr(predicate::str::contains("one article only"));
}

#[test]
fn crlf_bom_and_curly_quotes_do_not_change_the_scores() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(common::fixture("seed/candidate.txt")).unwrap();
    let mangled = format!("\u{feff}{}", original.replace('\n', "\r\n"));
    let path = dir.path().join("candidate-crlf-bom.txt");
    std::fs::write(&path, mangled).unwrap();
    let reference = common::fixture("seed/reference.txt");
    let a = score_json(&reference, &common::fixture("seed/candidate.txt"), &[]);
    let b = score_json(&reference, &path, &["--quiet"]);
    assert_eq!(a["document"]["bleu"]["score"], b["document"]["bleu"]["score"]);
    assert_eq!(a["pairs"], b["pairs"]);
}

#[test]
fn json_report_conforms_to_the_published_schema() {
    let schema = common::read_json(&common::root().join("docs/report-schema.json"));
    for case in common::gold_cases() {
        for bootstrap in ["0", "100"] {
            let report =
                score_json(&case.join("reference.txt"), &case.join("candidate.txt"), &["--bootstrap", bootstrap]);
            let errors = common::schema_violations(&report, &schema, "$");
            assert!(errors.is_empty(), "{}: {}", case.display(), errors.join("\n"));
        }
    }
    // The check is not vacuous: an undeclared field and a wrong type are caught.
    let mut report = score_json(&common::fixture("seed/reference.txt"), &common::fixture("seed/candidate.txt"), &[]);
    report["document"]["surprise"] = serde_json::json!(1);
    report["pairs"][0]["bleu"] = serde_json::json!("high");
    assert_eq!(common::schema_violations(&report, &schema, "$").len(), 2);
}

#[test]
fn terminal_report_of_the_seed_pair() {
    let out = tqscore()
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .arg("score")
        .arg("fixtures/seed/reference.txt")
        .arg("fixtures/seed/candidate.txt")
        .args(["--color", "never", "--bootstrap", "200"])
        .current_dir(common::root())
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\x1b'), "no colour when not asked for");
    insta::assert_snapshot!(text);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let out = tqscore()
        .arg("score")
        .arg(common::fixture("seed/reference.txt"))
        .arg(common::fixture("seed/candidate.txt"))
        .args(["--color", "always", "--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("\x1b[1m"));
    // auto: standard output is a pipe here, so no colour
    let out = tqscore()
        .arg("score")
        .arg(common::fixture("seed/reference.txt"))
        .arg(common::fixture("seed/candidate.txt"))
        .args(["--bootstrap", "0"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn chinese_articles_take_the_zh_tokenizer_from_the_language_and_match_corpus_mode() {
    // Real Chinese text: the first 40 source lines of wmt22 zh-en; the candidate
    // drops every seventh character of each line (same segmentation, worse text).
    let dir = tempfile::tempdir().unwrap();
    let (ref_path, cand_path) = common::chinese_pair(dir.path(), 0, 40, 7);

    let zh = score_json(&ref_path, &cand_path, &["-l", "en-zh"]);
    assert_eq!((&zh["document"]["omitted"], &zh["document"]["extra"]), (&Value::from(0), &Value::from(0)));
    let signature = zh["document"]["bleu"]["signature"].as_str().unwrap();
    assert!(signature.contains("tok:zh"), "{signature}");
    let corpus = tqscore()
        .args(["corpus", "-r"])
        .arg(&ref_path)
        .arg("-c")
        .arg(&cand_path)
        .args(["--tokenize", "zh", "-m", "bleu", "--format", "json"])
        .output()
        .unwrap();
    let corpus: Value = serde_json::from_slice(&corpus.stdout).unwrap();
    let corpus_bleu = corpus["bleu"]["score"].as_f64().unwrap();
    assert_eq!(zh["document"]["bleu"]["score"].as_f64().unwrap(), corpus_bleu);

    // Without a language, 13a sees each clause as one word: a warning says so.
    tqscore()
        .arg("score")
        .arg(&ref_path)
        .arg(&cand_path)
        .args(["--bootstrap", "0"])
        .assert()
        .success()
        .stderr(predicate::str::contains("looks like Chinese").and(predicate::str::contains("-l SRC-zh")));
    // Japanese and Korean would need MeCab: a usage error that names the way out.
    tqscore()
        .arg("score")
        .arg(&ref_path)
        .arg(&cand_path)
        .args(["-l", "en-ja"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ja-mecab").and(predicate::str::contains("--tokenize char")));
}

#[test]
fn usage_errors_follow_the_colour_choice() {
    let stderr = |colour: &str| {
        let out = tqscore().args(["score", "--bogus", "--color", colour]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(stderr("always").contains("\u{1b}["), "colour when asked for");
    let plain = stderr("never");
    assert!(!plain.contains('\u{1b}') && plain.contains("unexpected argument '--bogus'"), "{plain}");
}

#[test]
fn a_reference_in_another_script_gets_a_warning_and_aligns_by_length() {
    let dir = tempfile::tempdir().unwrap();
    let (reference, candidate) = (dir.path().join("source.txt"), dir.path().join("candidate.txt"));
    std::fs::write(
        &reference,
        "Врач рассказала о продуктах, которые мешают сну.\nНегативно влияет на сон и алкоголь.\n",
    )
    .unwrap();
    std::fs::write(
        &candidate,
        "The doctor talked about foods that interfere with sleep.\nAlcohol also affects sleep.\n",
    )
    .unwrap();
    let out = tqscore().arg("score").arg(&reference).arg(&candidate).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("is mostly written in Cyrillic letters and"), "{stderr}");
    assert!(stderr.contains("in Latin: the reference does not look like a translation"), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["document"]["pairs"], 2, "aligned by length");
    assert_eq!(report["document"]["low_confidence"], 2);
}

#[test]
fn swapped_files_get_a_warning_and_the_right_order_none() {
    let seed = |name: &str| common::fixture(&format!("seed/{name}"));
    let swapped = tqscore().arg("score").arg(seed("candidate.txt")).arg(seed("reference.txt")).output().unwrap();
    // A warning, not an error: the scores are still printed.
    assert!(swapped.status.success());
    let stderr = String::from_utf8(swapped.stderr).unwrap();
    assert!(stderr.contains("did you swap the files?"), "{stderr}");
    assert!(stderr.contains("\"Us News\", \"Kremlin says Putin meets Trump's envoy S…\""), "{stderr}");
    assert!(stderr.contains("tqscore score REFERENCE CANDIDATE"), "{stderr}");
    let right = tqscore().arg("score").arg(seed("reference.txt")).arg(seed("candidate.txt")).output().unwrap();
    assert!(right.status.success());
    assert!(!String::from_utf8_lossy(&right.stderr).contains("swap"));
}

#[test]
fn dash_output_prints_the_json_report_and_corpus_saves_one_too() {
    let seed = |name: &str| common::fixture(&format!("seed/{name}"));
    let score = |extra: &[&str]| {
        let out = tqscore()
            .arg("score")
            .arg(seed("reference.txt"))
            .arg(seed("candidate.txt"))
            .args(["--bootstrap", "0"])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let json = score(&["--format", "json"]);
    assert_eq!(score(&["-o", "-"]), json);
    // A gate's table goes to standard error, so standard output stays one JSON document.
    let gated = score(&["-o", "-", "--gate", "docs/examples/thresholds.json"]);
    let gated: Value = serde_json::from_str(&gated).unwrap();
    assert_eq!(gated["gate"]["passed"], true);

    // corpus: -o FILE saves the JSON that --format json prints, next to the text output.
    let realmt = common::realmt_dir();
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("corpus.json");
    let corpus = |extra: &[&std::ffi::OsStr]| {
        let out = tqscore()
            .args(["corpus", "-r"])
            .arg(realmt.join("wmt21.ru-en.ref.txt"))
            .arg("-c")
            .arg(realmt.join("wmt21.ru-en.sys.AFRL.txt"))
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let corpus_json = corpus(&["-f".as_ref(), "json".as_ref()]);
    let text = corpus(&["-o".as_ref(), saved.as_os_str()]);
    assert!(text.starts_with("BLEU|nrefs:1|"), "{text}");
    assert_eq!(std::fs::read_to_string(&saved).unwrap(), corpus_json);
    assert_eq!(corpus(&["-o".as_ref(), "-".as_ref()]), corpus_json);
    // An input is never overwritten (a copy, in case it were).
    let candidate = dir.path().join("AFRL.txt");
    std::fs::copy(realmt.join("wmt21.ru-en.sys.AFRL.txt"), &candidate).unwrap();
    let out = tqscore()
        .args(["corpus", "-r"])
        .arg(realmt.join("wmt21.ru-en.ref.txt"))
        .arg("-c")
        .arg(&candidate)
        .arg("-o")
        .arg(&candidate)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the candidate"));
    assert_eq!(std::fs::read(&candidate).unwrap(), std::fs::read(realmt.join("wmt21.ru-en.sys.AFRL.txt")).unwrap());
}
