//! tqscore equals sacreBLEU 2.6.0 on real WMT data, sentence by sentence, and on
//! edge-case files. Expected values come from `scripts/oracle.py` (run with
//! sacreBLEU itself) and live in `fixtures/oracle/`, so no Python is needed here.

mod common;

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde_json::Value;
use tqscore::corpus::{score_files, RunOptions};
use tqscore::input::{BomPolicy, Source};
use tqscore::metrics::{Bleu, Chrf, Details, Metric, Score};
use tqscore::tokenize::TokenizerKind;

/// The metric a realmt oracle case describes.
fn metric_for(case: &Value) -> Box<dyn Metric> {
    let lowercase = case["lowercase"].as_bool().unwrap();
    match case["metric"].as_str().unwrap() {
        "bleu" => Box::new(Bleu {
            tokenizer: case["tokenize"].as_str().unwrap().parse::<TokenizerKind>().unwrap(),
            lowercase,
            ..Bleu::default()
        }),
        "chrf" => Box::new(Chrf { lowercase, ..Chrf::default() }),
        "chrf++" => Box::new(Chrf { lowercase, ..Chrf::plus_plus() }),
        other => panic!("unknown metric {other}"),
    }
}

/// Compare one score with an oracle case; describe every difference.
fn compare(case: &Value, score: &Score, label: &str) -> Vec<String> {
    let mut diffs = Vec::new();
    let printed = format!("{:.2}", score.score);
    if printed != case["printed"].as_str().unwrap() {
        diffs.push(format!("{label}: prints {printed}, sacreBLEU prints {}", case["printed"]));
    }
    let expected = case["score"].as_f64().unwrap();
    if (score.score - expected).abs() > 1e-9 {
        diffs.push(format!("{label}: score {} vs sacreBLEU {expected}", score.score));
    }
    if common::sacrebleu_part(&score.signature.to_string()) != case["signature"].as_str().unwrap() {
        diffs.push(format!("{label}: signature {} vs {}", score.signature, case["signature"]));
    }
    if let Details::Bleu(d) = &score.details {
        let same = serde_json::json!(d.counts) == case["counts"]
            && serde_json::json!(d.totals) == case["totals"]
            && serde_json::json!(d.sys_len) == case["sys_len"]
            && serde_json::json!(d.ref_len) == case["ref_len"]
            && d.verbose() == case["verbose"].as_str().unwrap();
        if !same {
            diffs.push(format!("{label}: statistics {d:?} vs sacreBLEU {}", case["verbose"]));
        }
    }
    diffs
}

#[test]
fn realmt_corpus_scores_equal_sacrebleu_for_every_system_tokenizer_and_case() {
    let oracle = common::read_json(&common::fixture("oracle/realmt_corpus.json"));
    let dir = common::realmt_dir();
    // Group the 1,200 cases by (system, references) so each file pair is read once.
    let mut groups: BTreeMap<(String, Vec<String>), Vec<&Value>> = BTreeMap::new();
    for case in oracle["cases"].as_array().unwrap() {
        let hyp = case["hyp"].as_str().unwrap().to_string();
        let refs = case["refs"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
        groups.entry((hyp, refs)).or_default().push(case);
    }
    assert_eq!(groups.len(), 120, "89 systems with one reference and 31 with two");
    let mut diffs = Vec::new();
    let mut compared = 0;
    for ((hyp, refs), cases) in &groups {
        let metrics: Vec<Box<dyn Metric>> = cases.iter().map(|c| metric_for(c)).collect();
        let metric_refs: Vec<&dyn Metric> = metrics.iter().map(|m| m.as_ref()).collect();
        let ref_sources: Vec<Source> = refs.iter().map(|r| Source::File(dir.join(r))).collect();
        let (stats, _) = score_files(
            &metric_refs,
            &Source::File(dir.join(hyp)),
            &ref_sources,
            BomPolicy::Keep,
            RunOptions { threads: 0, keep_segments: false },
        )
        .unwrap();
        for ((case, metric), total) in cases.iter().zip(&metrics).zip(&stats.totals) {
            let label = format!("{hyp} vs {refs:?} {} {} lc={}", case["metric"], case["tokenize"], case["lowercase"]);
            diffs.extend(compare(case, &metric.score(total, refs.len()), &label));
            compared += 1;
        }
    }
    assert_eq!(compared, 1200);
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

/// Run `tqscore corpus` and parse its JSON output.
fn corpus_json(args: &[&str]) -> Value {
    let out = tqscore().arg("corpus").args(args).args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "tqscore {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn sentence_level_scores_equal_sacrebleu_sentence_score_for_every_smoothing() {
    let oracle = common::read_json(&common::fixture("oracle/sentence_level.json"));
    let n = oracle["n_lines"].as_u64().unwrap() as usize;
    assert_eq!(n, 200);
    // The oracle scored the first 200 lines; give tqscore the same lines.
    let dir = common::realmt_dir();
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for name in [oracle["hyp"].as_str().unwrap(), oracle["refs"][0].as_str().unwrap()] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let head: String = text.split_inclusive('\n').take(n).collect();
        let path = tmp.path().join(name);
        std::fs::write(&path, head).unwrap();
        paths.push(path.to_str().unwrap().to_string());
    }
    let (hyp, reference) = (&paths[0], &paths[1]);
    let mut checked = 0;
    for (method, expected) in oracle["bleu"].as_object().unwrap() {
        let json = corpus_json(&["-r", reference, "-c", hyp, "-m", "bleu", "--sentence-level", "--smooth", method]);
        let segments = json["bleu"]["segments"].as_array().unwrap();
        let lines = expected["lines"].as_array().unwrap();
        assert_eq!(segments.len(), lines.len());
        assert_eq!(common::sacrebleu_part(json["bleu"]["signature"].as_str().unwrap()), expected["signature"]);
        for (got, want) in segments.iter().zip(lines) {
            let score = got["score"].as_f64().unwrap();
            assert_eq!(format!("{score:.2}"), want["printed"], "{method} line {}", want["line"]);
            assert!((score - want["score"].as_f64().unwrap()).abs() < 1e-9, "{method} line {}", want["line"]);
            assert_eq!(got["counts"], want["counts"], "{method} line {}", want["line"]);
            assert_eq!(got["totals"], want["totals"], "{method} line {}", want["line"]);
            checked += 1;
        }
    }
    for key in ["chrf", "chrf++"] {
        let json = corpus_json(&["-r", reference, "-c", hyp, "-m", key, "--sentence-level"]);
        for (got, want) in
            json[key]["segments"].as_array().unwrap().iter().zip(oracle[key]["lines"].as_array().unwrap())
        {
            assert_eq!(
                format!("{:.2}", got["score"].as_f64().unwrap()),
                want["printed"],
                "{key} line {}",
                want["line"]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6 * 200);
}

#[test]
fn edge_case_files_print_exactly_what_sacrebleu_prints() {
    let oracle = common::read_json(&common::fixture("oracle/edge.json"));
    let cases = oracle["cases"].as_array().unwrap();
    assert!(cases.len() >= 10);
    for case in cases {
        let name = case["case"].as_str().unwrap();
        let hyp = common::fixture(&format!("edge/{}", case["hyp"].as_str().unwrap()));
        let reference = common::fixture(&format!("edge/{}", case["ref"].as_str().unwrap()));
        let out = tqscore()
            .args(["corpus", "-r", reference.to_str().unwrap(), "-c", hyp.to_str().unwrap(), "-m", "bleu,chrf,chrf++"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<String> =
            text.lines().map(|l| l.replacen(&format!("|tqscore:{}", env!("CARGO_PKG_VERSION")), "", 1)).collect();
        let expected: Vec<&str> =
            ["bleu", "chrf", "chrf++"].iter().map(|m| case["corpus"][m]["cli_line"].as_str().unwrap()).collect();
        assert_eq!(lines, expected, "{name}: {}", case["description"]);

        if let Some(sentences) = case["sentence_bleu"].as_array() {
            let out = tqscore()
                .args([
                    "corpus",
                    "-r",
                    reference.to_str().unwrap(),
                    "-c",
                    hyp.to_str().unwrap(),
                    "-m",
                    "bleu",
                    "--sentence-level",
                ])
                .output()
                .unwrap();
            let text = String::from_utf8(out.stdout).unwrap();
            let got: Vec<String> =
                text.lines().map(|l| l.replacen(&format!("|tqscore:{}", env!("CARGO_PKG_VERSION")), "", 1)).collect();
            let want: Vec<&str> = sentences.iter().map(|s| s["cli_line"].as_str().unwrap()).collect();
            assert_eq!(got, want, "{name} sentence level");
        }
    }
}
