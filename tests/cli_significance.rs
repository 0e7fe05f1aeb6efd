//! `tqscore corpus` with several candidates and statistical tests: checks of the
//! options, the seed variable, the JSON shape, and results that do not depend
//! on the thread count. (Numbers against sacreBLEU: `significance_parity.rs`.)

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn tqscore() -> Command {
    let mut cmd = Command::cargo_bin("tqscore").unwrap();
    cmd.env_remove("SACREBLEU_SEED");
    cmd
}

/// Three small candidates of the same reference, in a temporary directory.
fn files() -> (tempfile::TempDir, [String; 4]) {
    let dir = tempfile::tempdir().unwrap();
    let texts = [
        "The cat sat on the mat.\nIt was a sunny day.\nWe went to the park.\nThe dog barked twice.\n",
        "The cat sat on a mat.\nIt was sunny.\nWe went to a park.\nThe dog barked.\n",
        "A cat is on the mat.\nThe day was sunny.\nWe walked to the park.\nA dog barked twice.\n",
        "The cat sat on the mat.\nIt was a sunny day.\nWe went to the park.\nThe dog barked twice.\n",
    ];
    let names = ["ref.txt", "base.txt", "sys.txt", "copy.txt"];
    let paths = names.map(|n| dir.path().join(n).to_str().unwrap().to_string());
    for (path, text) in paths.iter().zip(texts) {
        std::fs::write(path, text).unwrap();
    }
    (dir, paths)
}

fn json(cmd: &mut Command) -> Value {
    let out = cmd.args(["--format", "json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn options_are_checked_as_sacrebleu_checks_them() {
    let (_dir, [r, base, sys, _]) = files();
    let cases: [(&[&str], &str); 6] = [
        (&["-c", &base, "--paired-bs"], "paired test compares candidates"),
        (&["-c", &base, &base, "--paired-ar"], "paired test compares candidates"),
        (&["-c", &base, &sys, "--confidence"], "--confidence applies to one candidate"),
        (&["-c", &base, &sys, "--paired-bs", "--confidence"], "--confidence applies to one candidate"),
        (&["-c", &base, "--sentence-level", "--confidence"], "no statistical tests"),
        (&["-c", &base, &sys, &sys], "given twice"),
    ];
    for (args, message) in cases {
        tqscore()
            .args(["corpus", "-r", &r])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message))
            .stdout("");
    }
    tqscore()
        .args(["corpus", "-r", &r, "-c", &base, &sys, "--paired-bs", "--paired-ar"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}

#[test]
fn the_seed_variable_is_read_as_sacrebleu_reads_it() {
    let (_dir, [r, base, sys, _]) = files();
    let paired = |seed: &str| {
        json(tqscore().env("SACREBLEU_SEED", seed).args(["corpus", "-r", &r, "-c", &base, &sys, "--paired-bs"]))
    };
    let default = json(tqscore().args(["corpus", "-r", &r, "-c", &base, &sys, "--paired-bs"]));
    assert_eq!(default["test"]["seed"], "12345");
    // Python's int(): whitespace, sign, leading zeros, underscores.
    assert_eq!(paired(" +12_345\n"), default);
    assert_eq!(paired("7")["test"]["seed"], "7");
    let none = paired("None");
    assert_eq!(none["test"]["seed"], "none");
    assert!(none["systems"][0]["bleu"]["signature"].as_str().unwrap().starts_with("nrefs:1|bs:1000|seed:none|"));
    for bad in ["-1", "0x10", "seven", ""] {
        tqscore()
            .env("SACREBLEU_SEED", bad)
            .args(["corpus", "-r", &r, "-c", &base, &sys, "--paired-ar"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("SACREBLEU_SEED"));
    }
    // Without a test the variable is not read.
    tqscore().env("SACREBLEU_SEED", "seven").args(["corpus", "-r", &r, "-c", &base, &sys]).assert().success();
    // --confidence writes the text as given, lowercased.
    let one = json(tqscore().env("SACREBLEU_SEED", " 007").args(["corpus", "-r", &r, "-c", &base, "--confidence"]));
    assert!(one["bleu"]["signature"].as_str().unwrap().starts_with("nrefs:1|bs:1000|seed: 007|case:"));
}

#[test]
fn several_candidates_give_a_list_of_systems() {
    let (_dir, [r, base, sys, copy]) = files();
    let plain = json(tqscore().args(["corpus", "-r", &r, "-c", &base, &sys]));
    assert_eq!(plain["test"], Value::Null);
    let systems = plain["systems"].as_array().unwrap();
    assert_eq!(systems.len(), 2);
    assert_eq!((systems[0]["baseline"].clone(), systems[1]["baseline"].clone()), (true.into(), false.into()));
    assert!(systems[1]["bleu"].get("p_value").is_none());

    let ar = json(tqscore().args(["corpus", "-r", &r, "-c", &base, &sys, &copy, "--paired-ar", "--paired-ar-n", "0"]));
    assert_eq!(ar["test"], serde_json::json!({"method": "paired-ar", "samples": 10000, "seed": "12345"}));
    for (i, system) in ar["systems"].as_array().unwrap().iter().enumerate() {
        for metric in ["bleu", "chrf"] {
            let m = &system[metric];
            assert_eq!((m["mean"].clone(), m["ci"].clone()), (Value::Null, Value::Null));
            assert_eq!(m["p_value"].is_null(), i == 0);
            assert!(m["signature"].as_str().unwrap().starts_with("nrefs:1|ar:10000|seed:12345|"));
        }
    }
    // copy.txt repeats the reference: a real difference, with sacreBLEU's smallest p-value or more.
    assert!(ar["systems"][2]["bleu"]["p_value"].as_f64().unwrap() >= 1.0 / 10001.0);
}

#[test]
fn a_system_against_its_own_copy_gets_the_smallest_p_value() {
    let (dir, [r, base, _, _]) = files();
    let twin = dir.path().join("twin.txt");
    std::fs::copy(&base, &twin).unwrap();
    let twin = twin.to_str().unwrap();
    for (flag, n) in [("--paired-bs", 1000.0), ("--paired-ar", 10000.0)] {
        let out = json(tqscore().args(["corpus", "-r", &r, "-c", &base, twin, flag]));
        let (b, t) = (&out["systems"][0], &out["systems"][1]);
        for metric in ["bleu", "chrf"] {
            assert_eq!(b[metric]["score"], t[metric]["score"]);
            assert_eq!(t[metric]["p_value"].as_f64().unwrap(), 1.0 / (n + 1.0), "{flag} {metric}");
        }
    }
    // The baseline's own file name again is dropped, with a note.
    tqscore()
        .args(["corpus", "-r", &r, "-c", &base, &base, twin, "--paired-bs"])
        .assert()
        .success()
        .stderr(predicate::str::contains("it is the baseline already"));
}

#[test]
fn tests_on_real_data_do_not_depend_on_the_thread_count() {
    let dir = common::realmt_dir();
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let (r, a, b) =
        (file("wmt23.de-en.ref.txt"), file("wmt23.de-en.sys.AIRC.txt"), file("wmt23.de-en.sys.ONLINE-B.txt"));
    for flag in ["--paired-bs", "--paired-ar"] {
        let run = |threads: &str| {
            let out = tqscore()
                .args(["corpus", "-r", &r, "-c", &a, &b, flag, "-m", "bleu,chrf++", "--threads", threads])
                .output()
                .unwrap();
            assert!(out.status.success());
            out.stdout
        };
        assert_eq!(run("1"), run("2"), "{flag}");
    }
}
