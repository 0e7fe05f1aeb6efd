//! Every BLEU, chrF and TER case and every Tercom tokenizer case of sacreBLEU 2.6.0's own
//! test suite (`fixtures/sacrebleu/testsuite-vectors.json`) passes at the test's tolerance.

mod common;

use serde_json::Value;
use tqscore::metrics::{add_stats, Bleu, BleuDetails, Chrf, Details, Metric, Smoothing, Ter};
use tqscore::tokenize::TokenizerKind;

fn opt<'a>(case: &'a Value, key: &str) -> Option<&'a Value> {
    case["options"].get(key).filter(|v| !v.is_null())
}

fn bleu_from(case: &Value, default_smoothing: &str) -> Bleu {
    let method = opt(case, "smooth_method").and_then(Value::as_str).unwrap_or(default_smoothing);
    let value = opt(case, "smooth_value").and_then(Value::as_f64);
    Bleu {
        tokenizer: opt(case, "tokenize").and_then(Value::as_str).unwrap_or("13a").parse::<TokenizerKind>().unwrap(),
        lowercase: opt(case, "lowercase").and_then(Value::as_bool).unwrap_or(false),
        smoothing: Smoothing::parse(method, value).unwrap(),
        max_order: opt(case, "max_ngram_order").and_then(Value::as_u64).unwrap_or(4) as usize,
        effective_order: opt(case, "effective_order").and_then(Value::as_bool).unwrap_or(false),
    }
}

fn chrf_from(case: &Value) -> Chrf {
    let default = Chrf::default();
    let int = |key: &str, d: usize| opt(case, key).and_then(Value::as_u64).map_or(d, |v| v as usize);
    let flag = |key: &str| opt(case, key).and_then(Value::as_bool).unwrap_or(false);
    Chrf {
        char_order: int("char_order", default.char_order),
        word_order: int("word_order", default.word_order),
        beta: int("beta", default.beta as usize) as u32,
        lowercase: flag("lowercase"),
        whitespace: flag("whitespace"),
        eps_smoothing: flag("eps_smoothing"),
    }
}

fn ter_from(case: &Value) -> Ter {
    common::ter_with(|key| opt(case, key).and_then(Value::as_bool).unwrap_or(false))
}

/// Corpus statistics of `hyps` against reference streams (a `null` reference is absent).
fn corpus_stats(metric: &dyn Metric, hyps: &[&str], streams: &[Vec<Option<String>>]) -> Vec<u64> {
    let mut scorer = metric.scorer();
    let mut total = vec![0; metric.stats_len()];
    for (i, hyp) in hyps.iter().enumerate() {
        let refs: Vec<&str> = streams.iter().filter_map(|s| s[i].as_deref()).collect();
        let mut seg = vec![0; metric.stats_len()];
        scorer.add_segment(hyp, &refs, &mut seg);
        add_stats(&mut total, &seg);
    }
    total
}

fn check(case: &Value, actual: f64, details: Option<&BleuDetails>, signature: Option<String>) -> Result<(), String> {
    let name = case["source_test"].as_str().unwrap();
    let tolerance = case["tolerance"].as_f64().unwrap();
    match case["value_of"].as_str() {
        Some("counts_totals") => {
            let d = details.ok_or_else(|| format!("{name}: no BLEU details"))?;
            let want = &case["verified_value"];
            if serde_json::json!(d.counts) != want["counts"] || serde_json::json!(d.totals) != want["totals"] {
                return Err(format!("{name}: counts {:?} totals {:?}, sacreBLEU gives {want}", d.counts, d.totals));
            }
        }
        Some("score_str2") => {
            let want = case["verified_value"].as_str().unwrap();
            if format!("{actual:.2}") != want {
                return Err(format!("{name}: prints {actual:.2}, sacreBLEU prints {want}"));
            }
        }
        _ => {
            let expected = case["verified_value"].as_f64().unwrap();
            if (actual - expected).abs() > tolerance {
                return Err(format!("{name}: got {actual}, sacreBLEU 2.6.0 gives {expected} (tolerance {tolerance})"));
            }
        }
    }
    if let (Some(d), Some(want)) = (details, case.get("verified_details")) {
        let smoothed_counts = case["options"]["smooth_method"] == "add-k";
        let same = serde_json::json!(d.sys_len) == want["sys_len"]
            && serde_json::json!(d.ref_len) == want["ref_len"]
            && (smoothed_counts
                || serde_json::json!(d.counts) == want["counts"] && serde_json::json!(d.totals) == want["totals"]);
        let close = |a: f64, b: &Value| (a - b.as_f64().unwrap()).abs() <= 1e-9 * a.abs().max(1.0);
        let precise = close(d.bp, &want["bp"])
            && d.precisions.iter().zip(want["precisions"].as_array().unwrap()).all(|(a, b)| close(*a, b));
        if !same || !precise {
            return Err(format!("{name}: details {d:?} differ from sacreBLEU's {want}"));
        }
    }
    if let (Some(sig), Some(expected_sig)) = (signature, case["verified_signature"].as_str()) {
        if common::sacrebleu_part(&sig) != expected_sig {
            return Err(format!("{name}: signature {sig} differs from {expected_sig}"));
        }
    }
    Ok(())
}

#[test]
fn all_bleu_and_chrf_vectors_pass() {
    let cases = common::read_json(&common::fixture("sacrebleu/testsuite-vectors.json"));
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases.as_array().unwrap() {
        let metric_name = case["metric"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        if !matches!(metric_name, "bleu" | "chrf") || !matches!(kind, "corpus" | "sentence" | "stats") {
            continue;
        }
        let outcome = if kind == "stats" {
            // `BLEU.compute_bleu` called directly: its smoothing default is `none`.
            let bleu = bleu_from(case, "none");
            let s = &case["stats"];
            let ints = |k: &str| s[k].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect::<Vec<_>>();
            let (score, details) = bleu.compute(
                &ints("correct"),
                &ints("total"),
                s["sys_len"].as_u64().unwrap(),
                s["ref_len"].as_u64().unwrap(),
            );
            check(case, score, Some(&details), None)
        } else {
            let metric: Box<dyn Metric> =
                if metric_name == "bleu" { Box::new(bleu_from(case, "exp")) } else { Box::new(chrf_from(case)) };
            let hyps: Vec<&str> = case["hyps"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
            let mut streams: Vec<Vec<Option<String>>> = case["refs"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_array().unwrap().iter().map(|r| r.as_str().map(String::from)).collect())
                .collect();
            let hyps = if kind == "sentence" {
                streams.iter_mut().for_each(|s| s.truncate(1));
                &hyps[..1]
            } else {
                &hyps[..]
            };
            let stats = corpus_stats(metric.as_ref(), hyps, &streams);
            let score = metric.score(&stats, streams.len());
            let details = match &score.details {
                Details::Bleu(d) => Some(d),
                Details::Chrf(_) | Details::Ter(_) => None,
            };
            check(case, score.score, details, Some(score.signature.to_string()))
        };
        checked += 1;
        if let Err(e) = outcome {
            failures.push(e);
        }
    }
    assert_eq!(checked, 85, "expected 85 BLEU/chrF corpus, sentence and stats cases");
    assert!(failures.is_empty(), "{} of {checked} cases differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn all_ter_and_tercom_tokenizer_vectors_pass() {
    let cases = common::read_json(&common::fixture("sacrebleu/testsuite-vectors.json"));
    let (mut failures, mut scored, mut tokenized) = (Vec::new(), 0, 0);
    for case in cases.as_array().unwrap() {
        let name = case["source_test"].as_str().unwrap();
        match (case["metric"].as_str().unwrap(), case["kind"].as_str().unwrap()) {
            ("ter", "corpus") => {
                let ter = ter_from(case);
                let hyps: Vec<&str> = case["hyps"].as_array().unwrap().iter().map(|h| h.as_str().unwrap()).collect();
                let streams: Vec<Vec<Option<String>>> = case["refs"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s.as_array().unwrap().iter().map(|r| r.as_str().map(String::from)).collect())
                    .collect();
                let score = ter.score(&corpus_stats(&ter, &hyps, &streams), streams.len());
                if let Err(e) = check(case, score.score, None, Some(score.signature.to_string())) {
                    failures.push(e);
                }
                let Details::Ter(details) = &score.details else { panic!("TER details") };
                let want = &case["verified_details"];
                if Some(details.num_edits) != want["num_edits"].as_u64()
                    || Some(details.ref_length) != want["ref_length"].as_f64()
                {
                    failures.push(format!("{name}: {details:?}, sacreBLEU gives {want}"));
                }
                scored += 1;
            }
            ("tokenize", _) if case["options"]["tokenizer"] == "tercom" => {
                let got = ter_from(case).tokenize(case["hyps"][0].as_str().unwrap());
                if got != case["verified_value"].as_str().unwrap() || got != case["expected"].as_str().unwrap() {
                    failures.push(format!("{name}: {got:?}, sacreBLEU gives {}", case["verified_value"]));
                }
                tokenized += 1;
            }
            _ => {}
        }
    }
    assert_eq!((scored, tokenized), (7, 11), "test_ter.py has 7 cases, test_tokenizer_ter.py 11");
    assert!(failures.is_empty(), "{} cases differ:\n{}", failures.len(), failures.join("\n"));
}
