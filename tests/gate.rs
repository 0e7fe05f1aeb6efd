//! Quality gates over the command line: `--gate` on `score` and `corpus`,
//! `tqscore gate` on saved reports, baselines, GitHub Actions output, and the
//! thresholds schema kept in sync with what tqscore accepts.
//!
//! The seed pair's document BLEU is 25.90, its chrF 52.63 and its TER 61.39.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// tqscore, with no GitHub Actions environment leaking in from a CI runner.
fn tqscore() -> Command {
    let mut cmd = Command::cargo_bin("tqscore").unwrap();
    cmd.env_remove("GITHUB_ACTIONS").env_remove("GITHUB_STEP_SUMMARY");
    cmd
}

/// `tqscore score` of the seed pair (bootstrap off: the gate does not need it).
fn score_seed() -> Command {
    let mut cmd = tqscore();
    cmd.arg("score")
        .arg(common::fixture("seed/reference.txt"))
        .arg(common::fixture("seed/candidate.txt"))
        .args(["--bootstrap", "0"]);
    cmd
}

/// Exit code, standard output and standard error of a finished command.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The JSON report of the reference scored against itself: every score 100.
fn perfect_baseline(dir: &Path) -> PathBuf {
    let path = dir.join("baseline.json");
    let reference = common::fixture("seed/reference.txt");
    let mut cmd = tqscore();
    cmd.arg("score").arg(&reference).arg(&reference).args(["--bootstrap", "0", "--format", "json", "-o"]).arg(&path);
    assert_eq!(run(&mut cmd).code, 0);
    path
}

#[test]
fn a_passing_gate_exits_0_and_prints_the_table_after_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.json", r#"{"document.bleu.score": {"min": 25}, "document.chrf.score": {"min": 51}}"#);
    let r = run(score_seed().arg("--gate").arg(&t));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let table = r.stdout.find("Quality gate (thresholds ").expect("a gate table");
    assert!(r.stdout[..table].contains("Document"), "the report comes first:\n{}", r.stdout);
    assert!(r.stdout.contains("  pass     document.bleu.score  min      25   25.90\n"), "{}", r.stdout);
    assert!(r.stdout.ends_with("Gate passed: all 2 assertions hold\n"), "{}", r.stdout);
}

#[test]
fn a_failing_error_assertion_exits_1_naming_path_bound_and_actual() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.json", r#"{"document.bleu.score": {"min": 30}, "document.chrf.score": {"min": 50}}"#);
    let r = run(score_seed().arg("--gate").arg(&t));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("  FAIL     document.bleu.score  min      30   25.90\n"), "{}", r.stdout);
    assert!(r.stdout.contains("  FAIL  document.bleu.score is 25.90, below the minimum 30\n"), "{}", r.stdout);
    assert!(r.stdout.ends_with("Gate failed: 1 of 2 assertions failed (error level)\n"), "{}", r.stdout);
}

#[test]
fn a_warn_level_failure_exits_0_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(dir.path(), "t.json", r#"{"document.chrf.score": {"min": 60, "level": "warn"}}"#);
    let r = run(score_seed().arg("--gate").arg(&t));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("  warn  document.chrf.score is 52.63, below the minimum 60\n"), "{}", r.stdout);
    assert!(r.stdout.ends_with("Gate passed with 1 warning: 1 assertion, no error-level failure\n"), "{}", r.stdout);
}

#[test]
fn values_are_compared_at_the_decimals_of_the_bound_and_printed_as_compared() {
    let dir = tempfile::tempdir().unwrap();
    // BLEU is 25.89864…: 25.90 at two decimals (the bound's), 25.8986 at four.
    let t = write(dir.path(), "t.json", r#"{"document.bleu.score": {"min": 25.90}}"#);
    let r = run(score_seed().arg("--gate").arg(&t));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("min   25.90   25.90"), "{}", r.stdout);
    let t = write(dir.path(), "t.json", r#"{"document.bleu.score": {"min": 25.8987}}"#);
    let r = run(score_seed().arg("--gate").arg(&t));
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("document.bleu.score is 25.8986, below the minimum 25.8987"), "{}", r.stdout);
}

#[test]
fn thresholds_problems_exit_2_naming_the_file_and_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("{\n  \"document.bleu.score\": {\"min\": 20,}\n}", "invalid JSON at line 2, column 37"),
        (r#"{"document.bleu.score": {"mni": 20}}"#, r#"$["document.bleu.score"].mni: unknown key `mni`"#),
        (r#"{"document.bleu.score": {"mni": 20}}"#, "the valid keys are min, max, max_drop, max_rise, level"),
        (r#"{"document.bleu.scor": {"min": 20}}"#, r#"$["document.bleu.scor"]: in this run's report"#),
        (r#"{"document.bleu.scor": {"min": 20}}"#, "did you mean `document.bleu.score`?"),
        (r#"{"document.bleu.scor": {"min": 20}}"#, "best matches first: document.bleu.score, "),
        (r#"{"document.bleu.score": {"min": "20"}}"#, r#"$["document.bleu.score"].min is a string ("20")"#),
        (r#"{"document.bleu.score": 20}"#, r#"$["document.bleu.score"] is a number; a rule must be an object"#),
        (r#"{"document.bleu.score": {"level": "warn"}}"#, r#"$["document.bleu.score"] has no bound"#),
        (r#"{"inputs.reference": {"min": 1}}"#, "`inputs.reference` is a string, not a number"),
    ];
    for (text, message) in cases {
        let t = write(dir.path(), "t.json", text);
        let r = run(score_seed().arg("--gate").arg(&t));
        assert_eq!(r.code, 2, "{text}");
        assert!(r.stderr.starts_with(&format!("tqscore: error: {}: ", t.display())), "{text}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{text}: wanted {message:?} in\n{}", r.stderr);
        assert!(r.stdout.is_empty(), "nothing is printed before a thresholds error");
    }
}

#[test]
fn a_drop_from_the_baseline_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = perfect_baseline(dir.path());
    let t = write(dir.path(), "t.json", r#"{"document.bleu.score": {"max_drop": 5}}"#);
    let r = run(score_seed().arg("--gate").arg(&t).arg("--baseline").arg(&baseline));
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("  FAIL     document.bleu.score  max_drop      5   25.90    100.00\n"), "{}", r.stdout);
    assert!(
        r.stdout.contains("document.bleu.score is 25.90, 74.10 below the baseline 100.00; the allowed drop is 5"),
        "{}",
        r.stdout
    );
    let t = write(dir.path(), "t.json", r#"{"document.bleu.score": {"max_drop": 80}}"#);
    assert_eq!(run(score_seed().arg("--gate").arg(&t).arg("--baseline").arg(&baseline)).code, 0);
    // Without a baseline, max_drop is a thresholds error, found before scoring.
    let r = run(score_seed().arg("--gate").arg(&t));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(r#"$["document.bleu.score"].max_drop: `max_drop` compares with a baseline report"#));
    assert!(r.stderr.contains("pass --baseline OLD_REPORT.json"), "{}", r.stderr);
    // --baseline and --github belong to a gate.
    assert_eq!(run(score_seed().arg("--baseline").arg(&baseline)).code, 2);
}

#[test]
fn gating_a_saved_report_gives_the_same_outcome_as_gating_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = perfect_baseline(dir.path());
    let saved = dir.path().join("saved.json");
    for (thresholds, code) in [
        (r#"{"document.bleu.score": {"min": 25}, "unaligned.candidate.length": {"max": 5}}"#, 0),
        (r#"{"document.chrf.score": {"min": 51.1, "max_drop": 50}, "document.extra": {"max": 4}}"#, 1),
        (r#"{"summary.bleu.p10": {"min": 9, "level": "warn"}, "pairs.0.bleu": {"max_rise": 0}}"#, 0),
    ] {
        let t = write(dir.path(), "t.json", thresholds);
        let gate = |cmd: &mut Command| run(cmd.arg("--gate").arg(&t).arg("--baseline").arg(&baseline));
        let direct = gate(score_seed().arg("-o").arg(&saved));
        assert_eq!(direct.code, code, "{thresholds}: {}", direct.stderr);
        let later = run(tqscore().arg("gate").arg(&saved).arg(&t).arg("--baseline").arg(&baseline));
        assert_eq!(later.code, code, "{thresholds}: {}", later.stderr);
        assert!(later.stdout.starts_with("Quality gate (thresholds "), "{}", later.stdout);
        assert!(direct.stdout.ends_with(&format!("\n{}", later.stdout)), "{}\n---\n{}", direct.stdout, later.stdout);
        // The JSON `gate` section is the same too.
        let direct = gate(score_seed().args(["--format", "json"]));
        let later =
            run(tqscore().arg("gate").arg(&saved).arg(&t).args(["--baseline"]).arg(&baseline).args(["-f", "json"]));
        let direct: Value = serde_json::from_str(&direct.stdout).unwrap();
        let later: Value = serde_json::from_str(&later.stdout).unwrap();
        assert_eq!(direct["gate"], later, "{thresholds}");
        assert_eq!(direct["gate"]["passed"], code == 0);
    }
}

#[test]
fn corpus_reports_are_gated_by_metric_paths() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(dir.path(), "ref.txt", "The cat sat on the mat.\nIt was sunny all day.\n");
    let c = write(dir.path(), "hyp.txt", "The cat sat on a mat.\nIt was sunny all day.\n");
    let corpus = || {
        let mut cmd = tqscore();
        cmd.arg("corpus").arg("-r").arg(&r).arg("-c").arg(&c);
        cmd
    };
    let t = write(dir.path(), "t.json", r#"{"bleu.score": {"min": 50}, "chrf.score": {"min": 99, "level": "warn"}}"#);
    let out = run(corpus().arg("--gate").arg(&t));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("BLEU|nrefs:1|"), "{}", out.stdout);
    assert!(out.stdout.contains("  pass     bleu.score  min      50"), "{}", out.stdout);
    assert!(out.stdout.contains("  warn  chrf.score is "), "{}", out.stdout);
    // JSON: a `gate` key beside the metrics; the table goes to standard error.
    let out = run(corpus().args(["--format", "json"]).arg("--gate").arg(&t));
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(json["gate"]["passed"], true);
    assert_eq!(json["gate"]["assertions"][0]["path"], "bleu.score");
    assert!(out.stderr.contains("Quality gate (thresholds "), "{}", out.stderr);
    // The saved corpus JSON gates the same way.
    let saved = write(dir.path(), "corpus.json", &out.stdout);
    let later = run(tqscore().arg("gate").arg(&saved).arg(&t).args(["--format", "json"]));
    assert_eq!(serde_json::from_str::<Value>(&later.stdout).unwrap(), json["gate"]);
    let t = write(dir.path(), "t.json", r#"{"bleu.score": {"min": 100}}"#);
    assert_eq!(run(corpus().arg("--gate").arg(&t)).code, 1);
    let t = write(dir.path(), "t.json", r#"{"bleu.scor": {"min": 1}}"#);
    let out = run(corpus().arg("--gate").arg(&t));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("did you mean `bleu.score`?"), "{}", out.stderr);
}

#[test]
fn under_github_actions_failures_are_annotations_and_a_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write(dir.path(), "summary.md", "# Earlier step\n");
    let t = write(
        dir.path(),
        "t.json",
        r#"{"document.bleu.score": {"min": 30}, "document.extra": {"max": 4, "level": "warn"}, "document.chrf.score": {"min": 50}}"#,
    );
    let out =
        run(score_seed().arg("--gate").arg(&t).env("GITHUB_ACTIONS", "true").env("GITHUB_STEP_SUMMARY", &summary));
    assert_eq!(out.code, 1);
    let expected = format!(
        "::error title=tqscore gate::document.bleu.score is 25.90, below the minimum 30 ({})\n\
         ::warning title=tqscore gate::document.extra is 5, above the maximum 4 ({})\n",
        t.display(),
        t.display()
    );
    assert_eq!(out.stderr, expected);
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(markdown.starts_with("# Earlier step\n### tqscore quality gate: failed\n"), "{markdown}");
    assert!(markdown.contains("| ❌ fail | `document.bleu.score` | min | 30 | 25.90 | – |"), "{markdown}");
    // --github does the same without the environment; neither means no annotations.
    let out = run(score_seed().arg("--gate").arg(&t).arg("--github"));
    assert!(out.stderr.starts_with("::error title=tqscore gate::"), "{}", out.stderr);
    let out = run(score_seed().arg("--gate").arg(&t));
    assert!(!out.stderr.contains("::error"), "{}", out.stderr);
}

#[test]
fn github_annotations_stop_at_ten_and_say_how_many_more() {
    let dir = tempfile::tempdir().unwrap();
    let rules: Vec<String> = (0..12).map(|i| format!("\"pairs.{i}.sys_len\": {{\"max\": 0}}")).collect();
    let t = write(dir.path(), "t.json", &format!("{{{}}}", rules.join(", ")));
    let out = run(score_seed().arg("--gate").arg(&t).arg("--github"));
    assert_eq!(out.code, 1);
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 11, "{}", out.stderr);
    assert!(lines[..10].iter().all(|l| l.starts_with("::error title=tqscore gate::pairs.")));
    assert_eq!(
        lines[10],
        "tqscore: 2 more failed assertions are not annotated (at most 10 per run); see the gate table"
    );
}

#[test]
fn gated_json_reports_conform_to_the_report_schema() {
    let dir = tempfile::tempdir().unwrap();
    let schema = common::read_json(&common::root().join("docs/report-schema.json"));
    let baseline = perfect_baseline(dir.path());
    let plain = write(dir.path(), "plain.json", r#"{"document.bleu.score": {"min": 30}}"#);
    let relative = write(
        dir.path(),
        "relative.json",
        r#"{"document.bleu.score": {"min": 30, "max_drop": 80}, "pairs.length": {"max": 30}}"#,
    );
    let gates: [Vec<&std::ffi::OsStr>; 2] =
        [vec![plain.as_ref()], vec![relative.as_ref(), "--baseline".as_ref(), baseline.as_ref()]];
    for gate in gates {
        let out = run(score_seed().args(["--format", "json", "--gate"]).args(&gate));
        assert_eq!(out.code, 1, "{}", out.stderr);
        let report: Value = serde_json::from_str(&out.stdout).unwrap();
        assert!(report["gate"]["assertions"].is_array());
        let errors = common::schema_violations(&report, &schema, "$");
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
}

#[test]
fn the_thresholds_schema_and_tqscore_accept_and_reject_the_same_files() {
    let dir = tempfile::tempdir().unwrap();
    let schema = common::read_json(&common::root().join("docs/thresholds-schema.json"));
    let report = dir.path().join("report.json");
    assert_eq!(run(score_seed().args(["--format", "json", "-o"]).arg(&report)).code, 0);
    let example = |name: &str| std::fs::read_to_string(common::root().join("docs/examples").join(name)).unwrap();
    let (absolute, regression) = (example("thresholds.json"), example("regression-thresholds.json"));
    let valid = [
        absolute.as_str(),
        regression.as_str(),
        r#"{"document.bleu.score": {"max": 100, "level": "warn"}}"#,
        r#"{"pairs.0.bleu": {"max_rise": 0}, "document.extra": {"min": 0, "max": 5, "level": "error"}}"#,
    ];
    let invalid = [
        r#"[{"document.bleu.score": {"min": 1}}]"#,
        r#"{"document.bleu.score": 20}"#,
        r#"{"document.bleu.score": {"mni": 20}}"#,
        r#"{"document.bleu.score": {"min": "20"}}"#,
        r#"{"document.bleu.score": {"level": "warn"}}"#,
        r#"{"document.bleu.score": {"min": 1, "level": "fatal"}}"#,
        r#"{"document.bleu.score": {"max_drop": -1}}"#,
        r#"{"$schema": 1, "document.bleu.score": {"min": 1}}"#,
    ];
    for (text, ok) in valid.iter().map(|t| (t, true)).chain(invalid.iter().map(|t| (t, false))) {
        let json: Value = serde_json::from_str(text).unwrap();
        let violations = common::schema_violations(&json, &schema, "$");
        assert_eq!(violations.is_empty(), ok, "schema on {text}: {violations:?}");
        let t = write(dir.path(), "t.json", text);
        let out = run(tqscore().arg("gate").arg(&report).arg(&t).arg("--baseline").arg(&report));
        assert_eq!(out.code != 2, ok, "tqscore on {text}: {}", out.stderr);
    }
}

#[test]
fn gate_help_teaches_with_examples() {
    let out = run(tqscore().args(["gate", "--help"]));
    assert_eq!(out.code, 0);
    for needle in ["Examples:", "tqscore gate report.json thresholds.json", "--baseline", "Exit codes: 0"] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
    let out = run(tqscore().args(["score", "--help"]));
    assert!(out.stdout.contains("--gate <THRESHOLDS>"), "{}", out.stdout);
}

#[test]
fn ter_gates_with_max_because_lower_is_better() {
    let dir = tempfile::tempdir().unwrap();
    let strict = dir.path().join("strict.json");
    let loose = dir.path().join("loose.json");
    std::fs::write(&strict, r#"{"document.ter.score": {"max": 60}}"#).unwrap();
    std::fs::write(&loose, r#"{"document.ter.score": {"max": 65}, "document.aligned.ter.score": {"max": 65}}"#)
        .unwrap();
    let run = |gate: &std::path::Path| {
        assert_cmd::Command::cargo_bin("tqscore")
            .unwrap()
            .current_dir(common::root())
            .args(["score", "fixtures/seed/reference.txt", "fixtures/seed/candidate.txt", "--bootstrap", "0", "--gate"])
            .arg(gate)
            .output()
            .unwrap()
    };
    // The seed pair's TER is 61.39.
    let failed = run(&strict);
    assert_eq!(failed.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&failed.stdout).contains("document.ter.score is 61.39, above the maximum 60"));
    assert_eq!(run(&loose).status.code(), Some(0));
}

#[test]
fn the_shipped_thresholds_run_as_documented_with_and_without_a_baseline() {
    let examples = common::root().join("docs/examples");
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    assert_eq!(run(score_seed().args(["--format", "json", "-o"]).arg(&baseline)).code, 0);
    // Absolute bounds only: a first run with no earlier report passes.
    let first = run(score_seed().arg("--gate").arg(examples.join("thresholds.json")));
    assert_eq!(first.code, 0, "{}", first.stderr);
    // max_drop rules: against the seed's own report they pass ...
    let regression = examples.join("regression-thresholds.json");
    let with = run(score_seed().arg("--gate").arg(&regression).arg("--baseline").arg(&baseline));
    assert_eq!(with.code, 0, "{}", with.stderr);
    // ... and without a baseline they cannot be checked: exit 2, naming the flag.
    let without = run(tqscore().arg("gate").arg(&baseline).arg(&regression));
    assert_eq!(without.code, 2);
    assert!(without.stderr.contains("max_drop") && without.stderr.contains("--baseline"), "{}", without.stderr);
}

#[test]
fn gate_outcomes_are_coloured_only_when_colour_is_on() {
    let dir = tempfile::tempdir().unwrap();
    let t = write(
        dir.path(),
        "t.json",
        r#"{"document.bleu.score": {"min": 30}, "summary.bleu.p10": {"min": 50, "level": "warn"}}"#,
    );
    let coloured = run(tqscore()
        .args(["--color", "always", "score"])
        .arg(common::fixture("seed/reference.txt"))
        .arg(common::fixture("seed/candidate.txt"))
        .args(["--bootstrap", "0", "--gate"])
        .arg(&t));
    assert_eq!(coloured.code, 1);
    assert!(coloured.stdout.contains("  \x1b[31mFAIL\x1b[0m     document.bleu.score"), "{}", coloured.stdout);
    assert!(coloured.stdout.contains("  \x1b[33mwarn\x1b[0m  summary.bleu.p10 is 8.18"), "{}", coloured.stdout);
    assert!(coloured.stdout.contains("\x1b[1;31mGate failed: 1 of 2 assertions failed"), "{}", coloured.stdout);
    let plain = run(score_seed().args(["--color", "never", "--gate"]).arg(&t));
    assert_eq!(plain.code, 1);
    assert!(plain.stdout.contains("  FAIL     document.bleu.score") && !plain.stdout.contains('\x1b'));
}
