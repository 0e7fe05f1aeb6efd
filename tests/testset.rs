//! Test sets (`tqscore score --pairs`, `score REF_DIR CAND_DIR`, `merge`):
//! set scores equal sacreBLEU on the concatenated gold segments of every
//! article (the fixture articles, and every WMT22 ru-en document of one
//! system, from `fixtures/oracle/sets.json`, made by `scripts/oracle_sets.py`);
//! shards merge into the single run's report byte for byte; any thread count
//! gives the same report; gates over sets name the failing articles.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tqscore::metrics::{Bleu, Chrf, Metric, Ter};

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

fn oracle() -> Value {
    common::read_json(&common::fixture("oracle/sets.json"))
}

/// A pairs list of the fixture articles (in the oracle's order), with absolute paths.
fn fixture_pairs(dir: &Path) -> PathBuf {
    let cases = oracle()["fixtures"]["cases"].as_array().unwrap().clone();
    let mut list = String::from("# the article fixtures\n");
    for case in &cases {
        let case = case.as_str().unwrap();
        let folder = if case == "seed" { common::fixture("seed") } else { common::fixture(&format!("align/{case}")) };
        list.push_str(&format!(
            "{}\t{}\t{case}\n",
            folder.join("reference.txt").display(),
            folder.join("candidate.txt").display()
        ));
    }
    let path = dir.join("pairs.tsv");
    fs::write(&path, list).unwrap();
    path
}

fn run_json(args: &[&str]) -> Value {
    let out = tqscore().args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// |tqscore − sacreBLEU| within float noise, and the same printed value.
fn assert_score(what: &str, ours: &Value, theirs: &Value) {
    let (a, b) = (ours["score"].as_f64().unwrap(), theirs["score"].as_f64().unwrap());
    assert!((a - b).abs() < 1e-9, "{what}: tqscore {a}, sacreBLEU {b}");
    assert_eq!(format!("{a:.2}"), theirs["printed"].as_str().unwrap(), "{what}");
}

#[test]
fn set_scores_of_the_fixture_articles_equal_sacrebleu_on_their_concatenated_segments() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = fixture_pairs(dir.path());
    let oracle = oracle();
    for (fold, flags) in [("fold", vec![]), ("nofold", vec!["--no-fold"])] {
        let mut args = vec!["score", "--pairs", pairs.to_str().unwrap(), "--format", "json", "--bootstrap", "200"];
        args.extend(flags);
        let report = run_json(&args);
        let set = &report["set"];
        assert_eq!(set["articles"], 6);
        assert_eq!(set["failed"], 0);
        for metric in ["bleu", "chrf", "ter"] {
            assert_score(&format!("{fold} {metric}"), &set[metric], &oracle["fixtures"][fold][metric]);
            let ci = set[metric]["ci95"].as_array().unwrap();
            let score = set[metric]["score"].as_f64().unwrap();
            assert!(ci[0].as_f64().unwrap() <= score && score <= ci[1].as_f64().unwrap(), "{metric} CI {ci:?}");
        }
        // The set's counts are the sums of its articles'.
        let articles = report["articles"].as_array().unwrap();
        let sum = |key: &str| articles.iter().map(|a| a["document"][key].as_u64().unwrap()).sum::<u64>();
        for key in ["reference_sentences", "candidate_sentences", "pairs", "omitted", "extra_in_body"] {
            assert_eq!(set[key].as_u64().unwrap(), sum(key), "{key}");
        }
        let ids: Vec<&str> = articles.iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["battery-plant", "council-budget", "cup-final", "glacier-study", "river-compact", "seed"]);
    }
}

/// The numbers of one metric's statistics in an article report's document metric.
fn document_stats(metric: &Value, key: &str) -> Vec<u64> {
    let ints = |v: &Value| v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect::<Vec<u64>>();
    match key {
        "bleu" => {
            let mut s = vec![metric["sys_len"].as_u64().unwrap(), metric["ref_len"].as_u64().unwrap()];
            s.extend(ints(&metric["counts"]));
            s.extend(ints(&metric["totals"]));
            s
        }
        "chrf" => metric["statistics"].as_array().unwrap().iter().flat_map(ints).collect(),
        _ => vec![metric["num_edits"].as_u64().unwrap(), metric["ref_length"].as_f64().unwrap() as u64],
    }
}

#[test]
fn set_scores_of_real_wmt_documents_equal_sacrebleu_on_their_gold_line_pairs() {
    let oracle = oracle();
    let realmt = &oracle["realmt"];
    let (set, system) = (realmt["set"].as_str().unwrap(), realmt["system"].as_str().unwrap());
    let read = |name: &str| fs::read_to_string(common::realmt_dir().join(format!("{set}.{name}.txt"))).unwrap();
    let (reference, candidate) = (read("ref"), read(&format!("sys.{system}")));
    let (reference, candidate): (Vec<&str>, Vec<&str>) = (reference.lines().collect(), candidate.lines().collect());
    let documents = realmt["documents"].as_array().unwrap();

    // Every document as an article pair: its lines, one per line.
    let dir = tempfile::tempdir().unwrap();
    let mut list = String::new();
    for doc in documents {
        let id = doc["id"].as_str().unwrap();
        let (first, count) = (doc["lines"][0].as_u64().unwrap() as usize, doc["lines"][1].as_u64().unwrap() as usize);
        fs::write(dir.path().join(format!("{id}.ref.txt")), reference[first..first + count].join("\n")).unwrap();
        fs::write(dir.path().join(format!("{id}.hyp.txt")), candidate[first..first + count].join("\n")).unwrap();
        list.push_str(&format!("{id}.ref.txt\t{id}.hyp.txt\t{id}\n"));
    }
    fs::write(dir.path().join("all.tsv"), &list).unwrap();
    let all = dir.path().join("all.tsv");
    let report =
        run_json(&["score", "--pairs", all.to_str().unwrap(), "--no-fold", "--bootstrap", "0", "--format", "json"]);

    // Documents whose alignment recovered the gold line pairs have sacreBLEU's statistics exactly.
    let keys = ["bleu", "chrf", "ter"];
    let articles = report["articles"].as_array().unwrap();
    assert_eq!(articles.len(), documents.len());
    let mut exact = Vec::new();
    for (article, doc) in articles.iter().zip(documents) {
        assert_eq!(article["id"], doc["id"]);
        if keys.iter().all(|k| document_stats(&article["document"][k], k) == ids_of(&doc[*k])) {
            exact.push(doc);
        }
    }
    println!("{set} {system}: {} of {} documents align to their gold line pairs exactly", exact.len(), documents.len());
    assert!(exact.len() * 100 >= documents.len() * 99, "only {} of {} documents exact", exact.len(), documents.len());

    // The oracle's per-document statistics add up to sacreBLEU's corpus score of all the lines.
    let metrics: [(&str, &dyn Metric); 3] =
        [("bleu", &Bleu::default()), ("chrf", &Chrf::default()), ("ter", &Ter::DEFAULT)];
    let summed = |docs: &[&Value], key: &str, len: usize| {
        let mut total = vec![0u64; len];
        for d in docs {
            tqscore::metrics::add_stats(&mut total, &ids_of(&d[key]));
        }
        total
    };
    let every: Vec<&Value> = documents.iter().collect();
    for (key, metric) in metrics {
        let score = metric.score(&summed(&every, key, metric.stats_len()), 1).score;
        assert_eq!(format!("{score:.2}"), realmt["corpus"][key]["printed"].as_str().unwrap(), "{key}");
    }

    // A set of the exact documents scores what sacreBLEU gives on their concatenated gold lines.
    let exact_ids: std::collections::HashSet<&str> = exact.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let subset: String =
        list.lines().filter(|l| exact_ids.contains(l.rsplit('\t').next().unwrap())).map(|l| format!("{l}\n")).collect();
    fs::write(dir.path().join("exact.tsv"), subset).unwrap();
    let exact_list = dir.path().join("exact.tsv");
    let report = run_json(&[
        "score",
        "--pairs",
        exact_list.to_str().unwrap(),
        "--no-fold",
        "--bootstrap",
        "0",
        "--format",
        "json",
    ]);
    for (key, metric) in metrics {
        let expected = metric.score(&summed(&exact, key, metric.stats_len()), 1).score;
        let ours = report["set"][key]["score"].as_f64().unwrap();
        assert!((ours - expected).abs() < 1e-9, "{key}: set {ours}, sacreBLEU statistics {expected}");
    }
}

fn ids_of(v: &Value) -> Vec<u64> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect()
}

#[test]
fn shards_merge_into_the_single_run_byte_for_byte_and_threads_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = fixture_pairs(dir.path());
    let lines: Vec<String> = fs::read_to_string(&pairs).unwrap().lines().skip(1).map(str::to_string).collect();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_string();
    let run = |args: &[&str]| {
        let out = tqscore().args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let whole = path("pairs.tsv");
    for format in ["json", "text", "markdown"] {
        let single = run(&["score", "--pairs", &whole, "--format", format, "--threads", "1"]);
        assert_eq!(single, run(&["score", "--pairs", &whole, "--format", format, "--threads", "2"]), "{format}");
        // Splits into 1, 2 and 3 consecutive shards, at different places.
        for cuts in [vec![], vec![1], vec![2, 5]] {
            let mut bounds = vec![0];
            bounds.extend(&cuts);
            bounds.push(lines.len());
            let mut shards = Vec::new();
            for (k, range) in bounds.windows(2).enumerate() {
                let part = path(&format!("part-{k}.tsv"));
                fs::write(&part, lines[range[0]..range[1]].join("\n") + "\n").unwrap();
                let shard = path(&format!("part-{k}.stats"));
                fs::write(&shard, run(&["score", "--pairs", &part, "--format", "stats"])).unwrap();
                shards.push(shard);
            }
            let mut args = vec!["merge".to_string()];
            args.extend(shards);
            args.extend(["--format".to_string(), format.to_string()]);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            assert_eq!(
                String::from_utf8_lossy(&run(&args)),
                String::from_utf8_lossy(&single),
                "{format}, shards cut at {cuts:?}"
            );
        }
    }
}

#[test]
fn folders_pair_files_by_name_and_a_gate_over_every_article_names_the_failures() {
    let dir = tempfile::tempdir().unwrap();
    let (refs, cands) = (dir.path().join("refs"), dir.path().join("cands"));
    fs::create_dir_all(&refs).unwrap();
    fs::create_dir_all(&cands).unwrap();
    for case in ["battery-plant", "cup-final"] {
        fs::copy(common::fixture(&format!("align/{case}/reference.txt")), refs.join(format!("{case}.txt"))).unwrap();
        fs::copy(common::fixture(&format!("align/{case}/candidate.txt")), cands.join(format!("{case}.txt"))).unwrap();
    }
    let report = run_json(&["score", refs.to_str().unwrap(), cands.to_str().unwrap(), "--format", "json"]);
    let ids: Vec<&str> = report["articles"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["battery-plant.txt", "cup-final.txt"]);
    let lowest = report["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["document"]["bleu"]["score"].as_f64().unwrap())
        .fold(f64::INFINITY, f64::min);

    // Every article at least 1 BLEU above the weakest fails only the weakest, by id.
    let thresholds = dir.path().join("thresholds.json");
    let bound = (lowest + 0.5).floor() + 1.0;
    fs::write(
        &thresholds,
        format!(
            r#"{{"set.bleu.score": {{"min": 5}}, "articles.*.document.bleu.score": {{"min": {bound}}},
               "articles.*.document.coverage": {{"min": 0.5, "level": "warn"}}}}"#
        ),
    )
    .unwrap();
    let out = tqscore()
        .args(["score", refs.to_str().unwrap(), cands.to_str().unwrap(), "--gate", thresholds.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("FAIL  id `battery-plant.txt`: articles.0.document.bleu.score is 20.69, below the minimum"),
        "{stdout}"
    );
    assert!(!stdout.contains("id `cup-final.txt`: articles.1.document.bleu.score"), "{stdout}");
    assert!(stdout.contains("articles.*.document.coverage"), "{stdout}");

    // Relative bounds cannot be combined with `*`.
    fs::write(&thresholds, r#"{"articles.*.document.bleu.score": {"max_drop": 1}}"#).unwrap();
    let out = tqscore()
        .args(["score", refs.to_str().unwrap(), cands.to_str().unwrap(), "--gate", thresholds.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be combined with a `*` path"));
}

#[test]
fn set_report_conforms_to_the_published_schema() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = fixture_pairs(dir.path());
    let mut list = fs::read_to_string(&pairs).unwrap();
    list.push_str("missing-reference.txt\tmissing-candidate.txt\tlost\n");
    fs::write(&pairs, list).unwrap();
    let thresholds = dir.path().join("thresholds.json");
    fs::write(&thresholds, r#"{"set.bleu.score": {"min": 1}, "articles.*.document.chrf.score": {"min": 1}}"#).unwrap();
    let out = tqscore()
        .args(["score", "--pairs", pairs.to_str().unwrap(), "--keep-going", "--format", "json", "--bootstrap", "50"])
        .args(["--gate", thresholds.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a failed pair makes the exit code 2");
    let mut report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["set"]["failed"], 1);
    assert_eq!(report["articles"][6]["error"]["listed_at"], format!("{}:8", pairs.display()));
    assert!(report["gate"]["assertions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["message"].as_str().unwrap().contains("id `lost`: articles.6.document.chrf.score has no value")));
    let schema = common::read_json(&common::root().join("docs/set-report-schema.json"));
    let errors = common::schema_violations(&report, &schema, "$");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // The check is not vacuous: an undeclared field and a wrong type are caught, in the set and in an article.
    report["set"]["surprise"] = serde_json::json!(1);
    report["articles"][0]["document"]["bleu"]["score"] = serde_json::json!("high");
    assert_eq!(common::schema_violations(&report, &schema, "$").len(), 2);
}

#[test]
fn names_pool_over_the_set_by_mention_and_by_entity() {
    let dir = tempfile::tempdir().unwrap();
    let seed = common::fixture("seed");
    let (r, c) = (seed.join("reference.txt"), seed.join("candidate.txt"));
    let list = format!("{}\t{}\tfirst\n{}\t{}\tsecond\n", r.display(), c.display(), r.display(), c.display());
    fs::write(dir.path().join("twice.tsv"), list).unwrap();
    let report = run_json(&["score", "--pairs", dir.path().join("twice.tsv").to_str().unwrap(), "--format", "json"]);
    let (set, one) = (&report["set"]["names"], &report["articles"][0]["names"]);
    for key in ["reference_mentions", "correct", "variants", "wrong", "missing", "added", "entity_mentions"] {
        assert_eq!(set[key].as_u64().unwrap(), 2 * one[key].as_u64().unwrap(), "{key}");
    }
    for key in ["recall", "precision", "variant_rate", "entity_accuracy", "mean_closeness"] {
        assert_eq!(set[key], one[key], "{key}: the same article twice has the same rates");
    }
    let witkoff =
        |names: &Value| names["entities"].as_array().unwrap().iter().find(|e| e["name"] == "Witkoff").cloned().unwrap();
    let (pooled, single) = (witkoff(set), witkoff(one));
    assert_eq!(pooled["variants"][0]["count"].as_u64().unwrap(), 2 * single["variants"][0]["count"].as_u64().unwrap());
    assert_eq!(pooled["variants"][0]["text"], single["variants"][0]["text"]);
    assert!(set["mentions"].as_array().unwrap().is_empty(), "per-mention audits stay in the articles");
}

#[test]
fn the_documented_set_thresholds_gate_a_set_and_pipes_get_no_progress() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = fixture_pairs(dir.path());
    let pairs = pairs.to_str().unwrap();
    let baseline = dir.path().join("baseline.json");
    let out = tqscore().args(["score", "--pairs", pairs, "--format", "json", "-o"]).arg(&baseline).output().unwrap();
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "no progress bar or note in a pipe: {}", String::from_utf8_lossy(&out.stderr));
    let thresholds = common::root().join("docs/examples/thresholds-set.json");
    let out = tqscore()
        .args(["score", "--pairs", pairs, "--gate"])
        .arg(&thresholds)
        .arg("--baseline")
        .arg(&baseline)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // The fixture set's BLEU (24.89) is below the example's minimum of 25; every other rule passes.
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAIL  set.bleu.score is 24.89, below the minimum 25"), "{stdout}");
    assert!(stdout.contains("Gate failed: 1 of 7 assertions failed"), "{stdout}");
}

#[test]
fn a_pairs_list_on_standard_input_gives_the_same_report() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = fixture_pairs(dir.path());
    let from_file = run_json(&["score", "--pairs", pairs.to_str().unwrap(), "--format", "json", "--bootstrap", "0"]);
    let out = tqscore()
        .args(["score", "--pairs", "-", "--format", "json", "--bootstrap", "0"])
        .write_stdin(fs::read(&pairs).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let from_stdin: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(from_stdin, from_file);
}
