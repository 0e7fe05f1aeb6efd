//! tqscore's statistical tests give sacreBLEU 2.6.0's numbers: every score,
//! bootstrap mean, interval and p-value equal to the last bit, for paired
//! bootstrap resampling, approximate randomization and `--confidence`, on
//! every realmt test set and three seeds; and `tqscore corpus` prints the same
//! text as `sacrebleu` (apart from tqscore's `|tqscore:x.y.z` signature entry).
//! Expected values: `fixtures/oracle/significance.json`, made by
//! `scripts/oracle_significance.py` with sacreBLEU itself.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tqscore::corpus::{score_files, RunOptions};
use tqscore::input::{BomPolicy, Source};
use tqscore::metrics::{Bleu, Chrf, Metric};
use tqscore::significance::{confidence, paired_test, Estimate, PairedTest, Seed};

fn metric(name: &str) -> Box<dyn Metric> {
    match name {
        "bleu" => Box::new(Bleu::default()),
        "chrf" => Box::new(Chrf::default()),
        "chrf++" => Box::new(Chrf::plus_plus()),
        other => panic!("unknown metric {other}"),
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

/// A system's per-segment statistics for each metric, and its segment count.
type Stats = (Vec<Vec<u64>>, usize);

/// Scores system files, each (system, references, metrics) once.
struct Scorer<'a> {
    dir: &'a Path,
    cache: BTreeMap<(String, Vec<String>, Vec<String>), Stats>,
}

impl Scorer<'_> {
    fn stats(&mut self, system: &str, refs: &[String], metrics: &[String]) -> &Stats {
        let dir = self.dir;
        self.cache.entry((system.into(), refs.to_vec(), metrics.to_vec())).or_insert_with(|| {
            let boxed: Vec<Box<dyn Metric>> = metrics.iter().map(|m| metric(m)).collect();
            let metric_refs: Vec<&dyn Metric> = boxed.iter().map(|m| m.as_ref()).collect();
            let ref_sources: Vec<Source> = refs.iter().map(|r| Source::File(dir.join(r))).collect();
            let (stats, _) = score_files(
                &metric_refs,
                &Source::File(dir.join(system)),
                &ref_sources,
                BomPolicy::Keep,
                RunOptions { threads: 0, keep_segments: true },
            )
            .unwrap();
            (stats.per_segment.unwrap(), stats.segments)
        })
    }
}

/// The seed a case ran with (`null`: SACREBLEU_SEED unset).
fn seed_of(case: &Value) -> Seed {
    case["seed"].as_str().map_or_else(Seed::default, |s| Seed::parse(s).unwrap())
}

/// Compare one estimate with sacreBLEU's, value by value, exactly.
fn compare(got: &Estimate, want: &Value, label: &str) -> Vec<String> {
    let mut diffs = Vec::new();
    let fields = [("score", Some(got.score)), ("mean", got.mean), ("ci", got.ci), ("p_value", got.p_value)];
    for (key, value) in fields {
        if value != want[key].as_f64() {
            diffs.push(format!("{label} {key}: {value:?}, sacreBLEU {}", want[key]));
        }
    }
    diffs
}

/// Every case's values, computed with the library API.
#[test]
fn every_value_equals_sacrebleu_exactly() {
    let oracle = common::read_json(&common::fixture("oracle/significance.json"));
    let dir = common::realmt_dir();
    let mut scorer = Scorer { dir: &dir, cache: BTreeMap::new() };
    let mut diffs = Vec::new();
    let mut compared = 0;
    let mut kinds = BTreeMap::new();
    for case in oracle["cases"].as_array().unwrap() {
        let (systems, refs, metric_names) =
            (strings(&case["systems"]), strings(&case["refs"]), strings(&case["metrics"]));
        let boxed: Vec<Box<dyn Metric>> = metric_names.iter().map(|m| metric(m)).collect();
        let metrics: Vec<&dyn Metric> = boxed.iter().map(|m| m.as_ref()).collect();
        let stats: Vec<Stats> = systems.iter().map(|s| scorer.stats(s, &refs, &metric_names).clone()).collect();
        let per_system: Vec<Vec<&[u64]>> =
            stats.iter().map(|(s, _)| s.iter().map(|v| v.as_slice()).collect()).collect();
        let views: Vec<&[&[u64]]> = per_system.iter().map(|v| v.as_slice()).collect();
        let segments = stats[0].1;
        let n = case["n"].as_u64().unwrap() as usize;
        let seed = seed_of(case);
        let kind = case["test"].as_str().unwrap();
        *kinds.entry(kind.to_string()).or_insert(0) += 1;
        let estimates: Vec<Vec<Estimate>> = match kind {
            "scores" => stats
                .iter()
                .map(|(per_segment, _)| {
                    let totals = per_segment.iter().zip(&metrics).map(|(s, m)| {
                        let mut total = vec![0; m.stats_len()];
                        s.chunks_exact(m.stats_len()).for_each(|seg| tqscore::metrics::add_stats(&mut total, seg));
                        total
                    });
                    let scores = totals.zip(&metrics).map(|(t, m)| m.score(&t, refs.len()).score);
                    scores.map(|score| Estimate { score, mean: None, ci: None, p_value: None }).collect()
                })
                .collect(),
            "confidence" => views.iter().map(|v| confidence(&metrics, v, segments, n, &seed)).collect(),
            _ => {
                let test = match kind {
                    "bs" => PairedTest::Bootstrap { samples: n },
                    "ar" => PairedTest::ApproximateRandomization { trials: n, confidence: None },
                    "ar-ci" => PairedTest::ApproximateRandomization {
                        trials: n,
                        confidence: Some(case["ar_confidence"].as_u64().unwrap() as usize),
                    },
                    other => panic!("unknown test {other}"),
                };
                paired_test(&metrics, &views, segments, &test, &seed)
            }
        };
        for (system, per_metric) in systems.iter().zip(&estimates) {
            for (name, estimate) in metric_names.iter().zip(per_metric) {
                let label = format!("{} {system} {name}", case["id"].as_str().unwrap());
                diffs.extend(compare(estimate, &case["results"][system][name], &label));
                compared += 1;
            }
        }
    }
    eprintln!("compared {compared} system x metric results: {kinds:?}");
    assert!(compared >= 7 * 3 * 3 * 4 * 2, "{compared} results");
    assert!(diffs.is_empty(), "{} differences from sacreBLEU:\n{}", diffs.len(), diffs.join("\n"));
}

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

/// tqscore's output with its own signature entry removed.
fn sacrebleu_text(out: &[u8]) -> String {
    String::from_utf8(out.to_vec()).unwrap().replace(&format!("|tqscore:{}", env!("CARGO_PKG_VERSION")), "")
}

/// Run `tqscore corpus` in the realmt directory with the arguments sacreBLEU got.
fn run_like_sacrebleu(dir: &Path, case: &Value, systems: &[String]) -> String {
    let refs = strings(&case["refs"]);
    let metrics = strings(&case["metrics"]).join(",");
    let mut cmd = tqscore();
    cmd.current_dir(dir).arg("corpus").args(refs.iter().flat_map(|r| ["-r", r.as_str()]));
    cmd.arg("-c").args(systems).args(["-m", &metrics, "-w", &case["width"].to_string()]);
    match case["test"].as_str().unwrap() {
        "bs" => cmd.arg("--paired-bs"),
        "ar" => cmd.arg("--paired-ar"),
        "confidence" => cmd.arg("--confidence"),
        _ => &mut cmd,
    };
    match case["seed"].as_str() {
        Some(seed) => cmd.env("SACREBLEU_SEED", seed),
        None => cmd.env_remove("SACREBLEU_SEED"),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}: {}", case["id"], String::from_utf8_lossy(&out.stderr));
    sacrebleu_text(&out.stdout)
}

/// The printed tables of the paired tests, byte for byte, for the default seed
/// (every test set, both tests, chrF++ and two references) and one other seed,
/// and the table of several systems without a test.
#[test]
fn paired_tables_print_byte_for_byte_as_sacrebleu() {
    let oracle = common::read_json(&common::fixture("oracle/significance.json"));
    let dir = common::realmt_dir();
    let mut checked = 0;
    for case in oracle["cases"].as_array().unwrap() {
        let printed = match (case["test"].as_str().unwrap(), case["seed"].as_str()) {
            ("bs" | "ar", None | Some("7")) | ("scores", _) => case["printed"].as_str().unwrap(),
            _ => continue,
        };
        let got = run_like_sacrebleu(&dir, case, &strings(&case["systems"]));
        assert_eq!(got, printed, "{}", case["id"]);
        checked += 1;
    }
    assert!(checked > 7 * 2 * 2, "{checked} tables");
}

/// `--confidence` lines equal sacreBLEU's (which right-aligns its lines on `=`).
#[test]
fn confidence_lines_print_as_sacrebleu() {
    let oracle = common::read_json(&common::fixture("oracle/significance.json"));
    let dir = common::realmt_dir();
    let mut checked = 0;
    for case in oracle["cases"].as_array().unwrap() {
        if case["test"] != "confidence" {
            continue;
        }
        for system in strings(&case["systems"]).iter().take(2) {
            let got = run_like_sacrebleu(&dir, case, std::slice::from_ref(system));
            let want = case["printed"][system].as_str().unwrap();
            let want: Vec<&str> = want.lines().map(str::trim_start).collect();
            assert_eq!(got.lines().collect::<Vec<_>>(), want, "{} {system}", case["id"]);
            checked += 1;
        }
    }
    assert!(checked >= 7 * 3 * 2, "{checked} systems");
}

/// TER's paired tests and confidence interval print exactly sacreBLEU's tables
/// (fixtures/oracle/ter-significance/, made by scripts/oracle_ter_significance.sh):
/// three wmt22 ru-en systems, the default seed and width.
#[test]
fn ter_significance_prints_as_sacrebleu() {
    let dir = common::realmt_dir();
    let systems =
        ["wmt22.ru-en.sys.ALMAnaCH-Inria.txt", "wmt22.ru-en.sys.HuaweiTSC.txt", "wmt22.ru-en.sys.JDExploreAcademy.txt"];
    for (fixture, test, candidates) in [
        ("paired-bs", "--paired-bs", &systems[..]),
        ("paired-ar", "--paired-ar", &systems[..]),
        ("confidence", "--confidence", &systems[..1]),
    ] {
        let out = tqscore()
            .current_dir(&dir)
            .args(["corpus", "-r", "wmt22.ru-en.ref.txt", "-c"])
            .args(candidates)
            .args(["-m", "ter", "-w", "1", test])
            .env_remove("SACREBLEU_SEED")
            .output()
            .unwrap();
        assert!(out.status.success(), "{fixture}: {}", String::from_utf8_lossy(&out.stderr));
        let want = std::fs::read_to_string(common::fixture(&format!("oracle/ter-significance/{fixture}.txt"))).unwrap();
        assert_eq!(sacrebleu_text(&out.stdout), want, "TER {fixture}");
    }
}
