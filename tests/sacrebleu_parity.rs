//! tqscore equals sacreBLEU 2.6.0 on real WMT data, sentence by sentence, and on
//! edge-case files. Expected values come from `scripts/oracle.py` (run with
//! sacreBLEU itself) and live in `fixtures/oracle/`, so no Python is needed here.

mod common;

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde_json::Value;
use tqscore::corpus::{score_files, RunOptions};
use tqscore::input::{BomPolicy, Source};
use tqscore::metrics::{Bleu, Chrf, Details, Metric, Score, Ter};
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
    let groups = by_files(&oracle);
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

/// The oracle's cases grouped by (system file, reference files), so each file pair is read once.
fn by_files(oracle: &Value) -> BTreeMap<(String, Vec<String>), Vec<&Value>> {
    let mut groups: BTreeMap<(String, Vec<String>), Vec<&Value>> = BTreeMap::new();
    for case in oracle["cases"].as_array().unwrap() {
        let hyp = case["hyp"].as_str().unwrap().to_string();
        let refs = case["refs"].as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
        groups.entry((hyp, refs)).or_default().push(case);
    }
    groups
}

/// The TER configuration an oracle case's `options` describe.
fn ter_for(options: &Value) -> Ter {
    common::ter_with(|key| options[key].as_bool().unwrap())
}

/// The values of a space-separated per-segment list of the TER oracle.
fn segment_values<T: std::str::FromStr>(case: &Value, key: &str) -> Vec<T> {
    case[key].as_str().unwrap().split(' ').map(|v| v.parse().ok().unwrap()).collect()
}

/// Compare one TER case (corpus score, statistics and every segment) with tqscore's statistics.
fn compare_ter(case: &Value, metric: &Ter, stats: &tqscore::corpus::CorpusStats, m: usize, label: &str) -> Vec<String> {
    let nrefs = case["refs"].as_array().unwrap().len();
    let score = metric.score(&stats.totals[m], nrefs);
    let mut diffs = compare(case, &score, label);
    let Details::Ter(details) = &score.details else { panic!("TER details") };
    if Some(details.num_edits) != case["num_edits"].as_u64() || Some(details.ref_length) != case["ref_length"].as_f64()
    {
        diffs.push(format!(
            "{label}: {details:?} vs sacreBLEU {} edits, ref length {}",
            case["num_edits"], case["ref_length"]
        ));
    }
    let edits: Vec<u64> = segment_values(case, "segment_edits");
    let ref_lengths: Vec<f64> = segment_values(case, "segment_ref_lengths");
    let printed: Option<Vec<String>> = case.get("segment_printed").map(|_| segment_values(case, "segment_printed"));
    assert_eq!(edits.len(), stats.segments, "{label}");
    for i in 0..stats.segments {
        let segment = stats.segment(m, metric.stats_len(), i).unwrap();
        let ref_length = segment[1] as f64 / nrefs as f64;
        if segment[0] != edits[i] || ref_length != ref_lengths[i] {
            diffs.push(format!("{label} line {}: {segment:?} vs sacreBLEU {} / {}", i + 1, edits[i], ref_lengths[i]));
        }
        if let Some(printed) = &printed {
            let sentence = format!("{:.2}", metric.score(segment, nrefs).score);
            if sentence != printed[i] {
                diffs.push(format!("{label} line {}: sentence TER {sentence} vs sacreBLEU {}", i + 1, printed[i]));
            }
        }
    }
    diffs
}

#[test]
fn ter_equals_sacrebleu_on_every_system_and_option_combination_corpus_and_segments() {
    let oracle = common::read_json(&common::fixture("oracle/ter.json"));
    let dir = common::realmt_dir();
    let groups = by_files(&oracle);
    assert_eq!(groups.len(), 120, "89 systems with one reference and 31 with two");
    let (mut diffs, mut cases, mut segments) = (Vec::new(), 0, 0);
    for ((hyp, refs), group) in &groups {
        let metrics: Vec<Ter> = group.iter().map(|c| ter_for(&c["options"])).collect();
        let metric_refs: Vec<&dyn Metric> = metrics.iter().map(|m| m as &dyn Metric).collect();
        let ref_sources: Vec<Source> = refs.iter().map(|r| Source::File(dir.join(r))).collect();
        let (stats, _) = score_files(
            &metric_refs,
            &Source::File(dir.join(hyp)),
            &ref_sources,
            BomPolicy::Keep,
            RunOptions { threads: 0, keep_segments: true },
        )
        .unwrap();
        for (m, (case, metric)) in group.iter().zip(&metrics).enumerate() {
            diffs.extend(compare_ter(case, metric, &stats, m, &format!("{hyp} vs {refs:?} {metric:?}")));
            cases += 1;
            segments += stats.segments;
        }
    }
    assert_eq!(cases, 315, "120 with default options, 13 (system, references) pairs x 15 other option combinations");
    assert!(segments > 450_000, "{segments} segments");
    assert!(diffs.is_empty(), "{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

#[test]
fn ter_edge_cases_print_exactly_what_sacrebleu_prints_for_every_option_combination() {
    let oracle = common::read_json(&common::fixture("oracle/ter.json"));
    let cases = oracle["edge"].as_array().unwrap();
    assert_eq!(
        cases.len(),
        13 * 16 + 1,
        "13 pairs x 16 option combinations, the 10,000-word long_line with the defaults"
    );
    let flags = [
        ("case_sensitive", "--ter-case-sensitive"),
        ("no_punct", "--ter-no-punct"),
        ("normalized", "--ter-normalized"),
        ("asian_support", "--ter-asian-support"),
    ];
    let strip = |text: &str| -> Vec<String> {
        text.lines().map(|l| l.replacen(&format!("|tqscore:{}", env!("CARGO_PKG_VERSION")), "", 1)).collect()
    };
    for case in cases {
        let hyp = common::fixture(&format!("edge/{}", case["hyp"].as_str().unwrap()));
        let reference = common::fixture(&format!("edge/{}", case["ref"].as_str().unwrap()));
        let mut args = vec!["corpus", "-r", reference.to_str().unwrap(), "-c", hyp.to_str().unwrap(), "-m", "ter"];
        args.extend(flags.iter().filter(|(key, _)| case["options"][key] == true).map(|(_, flag)| *flag));
        let label = format!("{} {}", case["case"], case["options"]);
        let out = tqscore().args(&args).output().unwrap();
        assert!(out.status.success(), "{label}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(strip(&String::from_utf8(out.stdout).unwrap()), [case["cli_line"].as_str().unwrap()], "{label}");
        let out = tqscore().args(&args).arg("--sentence-level").output().unwrap();
        let expected: Vec<&str> =
            case["sentence_cli_lines"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
        assert_eq!(strip(&String::from_utf8(out.stdout).unwrap()), expected, "{label} sentence level");
    }
}
