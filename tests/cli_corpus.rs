//! `tqscore corpus` over the command line: outputs, errors and exit codes.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

/// Standard output of a run that must succeed.
fn stdout_ok(command: &mut Command) -> String {
    let out = command.output().unwrap();
    assert!(out.status.success(), "{command:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn json_output_has_metric_keys_with_score_signature_and_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"The cat sat on the mat.\nIt was sunny.\n");
    let c = write(&dir, "hyp.txt", b"The cat sat on a mat.\nIt was sunny.\n");
    let out =
        tqscore().args(["corpus", "-r", &r, "-c", &c, "-m", "bleu,chrf,chrf++", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["bleu", "chrf", "chrf++"]);
    let bleu = &json["bleu"];
    assert!(bleu["score"].as_f64().unwrap() > 50.0);
    assert!(bleu["signature"]
        .as_str()
        .unwrap()
        .starts_with("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0|tqscore:"));
    for key in ["counts", "totals", "precisions", "bp", "sys_len", "ref_len"] {
        assert!(!bleu[key].is_null(), "bleu.{key} missing");
    }
    assert_eq!(bleu["sys_len"], 11);
    assert_eq!(json["chrf"]["statistics"].as_array().unwrap().len(), 6);
    assert_eq!(json["chrf++"]["statistics"].as_array().unwrap().len(), 8);
}

#[test]
fn stdin_candidate_gives_the_same_scores_as_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"One two three four.\nFive six seven.\n");
    let c = write(&dir, "hyp.txt", b"One two three.\nFive six seven eight.\n");
    let from_file = tqscore().args(["corpus", "-r", &r, "-c", &c]).output().unwrap();
    let from_stdin =
        tqscore().args(["corpus", "-r", &r, "-c", "-"]).write_stdin(std::fs::read(&c).unwrap()).output().unwrap();
    assert!(from_file.status.success());
    assert_eq!(from_file.stdout, from_stdin.stdout);
}

#[test]
fn thread_count_does_not_change_results() {
    let dir = common::realmt_dir();
    let r = dir.join("wmt22.zh-en.ref.txt");
    let r2 = dir.join("wmt22.zh-en.refB.txt");
    let c = dir.join("wmt22.zh-en.sys.Online-W.txt");
    let run = |threads: &str| {
        let out = tqscore()
            .args(["corpus", "-m", "bleu,chrf,chrf++,ter", "--format", "json", "--threads", threads])
            .arg("-r")
            .arg(&r)
            .arg("-r")
            .arg(&r2)
            .arg("-c")
            .arg(&c)
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn ter_prints_sacrebleus_line_per_corpus_and_per_segment_and_reports_its_statistics() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"the cat is on the mat\nhello there world\nsomething\n");
    let c = write(&dir, "hyp.txt", b"The cat sat on the mat\nhello world\n\n");
    let version = format!("|tqscore:{}", env!("CARGO_PKG_VERSION"));
    let text = |extra: &[&str]| {
        let out = tqscore().args(["corpus", "-r", &r, "-c", &c, "-m", "ter"]).args(extra).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().replace(&version, "")
    };
    // What `sacrebleu ref.txt -i hyp.txt -m ter -w 2 -f text [--sentence-level]` prints.
    let sig = "TER|nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0";
    assert_eq!(text(&[]), format!("{sig} = 30.00\n"));
    assert_eq!(text(&["--sentence-level"]), format!("{sig} = 16.67\n{sig} = 33.33\n{sig} = 100.00\n"));
    let flags = ["--ter-case-sensitive", "--ter-no-punct", "--ter-normalized", "--ter-asian-support"];
    assert!(text(&flags).starts_with("TER|nrefs:1|case:mixed|tok:tercom|norm:yes|punct:no|asian:yes|version:2.6.0 = "));

    let out = tqscore().args(["corpus", "-r", &r, "-c", &c, "-m", "ter", "-f", "json", "--sl"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ter = &json["ter"];
    assert_eq!((ter["name"].as_str(), ter["score"].as_f64()), (Some("TER"), Some(30.0)));
    assert_eq!((ter["num_edits"].as_u64(), ter["ref_length"].as_f64()), (Some(3), Some(10.0)));
    let edits: Vec<u64> =
        ter["segments"].as_array().unwrap().iter().map(|s| s["num_edits"].as_u64().unwrap()).collect();
    assert_eq!(edits, [1, 1, 1]);
    assert_eq!(ter["segments"][2]["ref_length"].as_f64(), Some(1.0));
}

#[test]
fn line_count_mismatch_names_both_files_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"a\nb\nc\n");
    let c = write(&dir, "hyp.txt", b"a\nb\n");
    tqscore()
        .args(["corpus", "-r", &r, "-c", &c])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("hyp.txt: 2 lines").and(predicate::str::contains("ref.txt: 3 lines")));
}

#[test]
fn missing_file_directory_and_bad_utf8_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"a b\nc d\n");
    let bad = write(&dir, "latin1.txt", b"a b\ncaf\xe9 d\n");
    tqscore()
        .args(["corpus", "-r", &r, "-c", "no/such/file.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read no/such/file.txt: no such file"));
    tqscore()
        .args(["corpus", "-r", &r, "-c", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a directory"));
    tqscore().args(["corpus", "-r", &r, "-c", &bad]).assert().code(2).stderr(
        predicate::str::contains("latin1.txt:2: invalid UTF-8 at byte 4").and(predicate::str::contains("iconv")),
    );
}

#[test]
fn unknown_tokenizer_and_empty_candidate_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"a\n");
    let empty = write(&dir, "empty.txt", b"");
    tqscore()
        .args(["corpus", "-r", &r, "-c", &r, "--tokenize", "13b"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("13b").and(predicate::str::contains("13a")));
    let r0 = write(&dir, "ref0.txt", b"");
    tqscore()
        .args(["corpus", "-r", &r0, "-c", &empty])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty.txt: the candidate has no lines"));
}

#[test]
fn bom_is_scored_like_sacrebleu_with_a_warning_unless_stripped() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"The cat sat.\n");
    let c = write(&dir, "hyp.txt", b"\xEF\xBB\xBFThe cat sat.\n");
    let kept = tqscore().args(["corpus", "-r", &r, "-c", &c, "-m", "bleu", "--format", "json"]).output().unwrap();
    assert!(String::from_utf8_lossy(&kept.stderr).contains("byte-order mark"));
    let kept: serde_json::Value = serde_json::from_slice(&kept.stdout).unwrap();
    assert_eq!(kept["bleu"]["counts"][0], 3, "\\u{{feff}}The does not match The");
    let stripped = tqscore()
        .args(["corpus", "-r", &r, "-c", &c, "-m", "bleu", "--format", "json", "--strip-bom"])
        .output()
        .unwrap();
    let stripped: serde_json::Value = serde_json::from_slice(&stripped.stdout).unwrap();
    assert_eq!(stripped["bleu"]["counts"][0], 4);
    let quiet = tqscore().args(["corpus", "-r", &r, "-c", &c, "--quiet"]).output().unwrap();
    assert!(quiet.stderr.is_empty());
}

#[test]
fn help_teaches_the_options() {
    tqscore().args(["corpus", "--help"]).assert().success().stdout(
        predicate::str::contains("--tokenize")
            .and(predicate::str::contains("--sentence-level"))
            .and(predicate::str::contains("Examples:")),
    );
}

#[test]
fn sacrebleu_spellings_that_do_not_clash_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"The cat sat on the mat.\nIt was sunny today.\n");
    let c = write(&dir, "hyp.txt", b"The cat sat on a mat.\nIt was sunny.\n");
    // A command line written out, REF and HYP standing for the files.
    let run = |line: &str| {
        let args = line.split(' ').map(|a| match a {
            "REF" => r.as_str(),
            "HYP" => c.as_str(),
            a => a,
        });
        stdout_ok(tqscore().args(args))
    };
    // Positional reference, -i, space-separated metrics, --chrf-word-order, --smooth-method, -b.
    let sacre_style = run("corpus REF -i HYP -m bleu chrf --chrf-word-order 2 --smooth-method floor -b");
    let native = run("corpus -r REF -c HYP -m bleu,chrf++ --smooth floor --score-only");
    assert_eq!(sacre_style, native);
    assert_eq!(sacre_style.lines().count(), 2);
    assert!(sacre_style.lines().all(|l| l.parse::<f64>().is_ok()), "{sacre_style}");
    // The same numbers sacreBLEU's own front end prints with the same width.
    let front_end = run("sacrebleu REF -i HYP -m bleu chrf -cw 2 -s floor -b -w 2 -f text");
    assert_eq!(front_end, sacre_style);
    // --short gives sacreBLEU's abbreviated signature, tqscore's mark kept.
    let short = run("corpus -r REF -c HYP -m bleu --short");
    assert!(short.starts_with("BLEU|#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0|tqscore:"), "{short}");
    // --chrf-lowercase lowercases chrF only.
    let lc = run("corpus -r REF -c HYP -m chrf --chrf-lowercase");
    assert!(lc.contains("case:lc"), "{lc}");
}

#[test]
fn sacrebleus_single_dash_spellings_mean_what_they_mean_in_sacrebleu() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"The Cat sat on the mat.\nIt was sunny today.\n");
    let c = write(&dir, "hyp.txt", b"The cat sat on a mat.\nIt was Sunny.\n");
    let run = |args: &[&str]| stdout_ok(tqscore().args(["corpus", "-r", &r, "-c", &c]).args(args));
    // `-lc` would otherwise be `-l c`, and `-ci` a candidate named `i`.
    assert_eq!(run(&["-lc", "-tok", "intl", "-sh"]), run(&["--lowercase", "--tokenize", "intl", "--short"]));
    assert!(run(&["-lc"]).contains("case:lc"));
    assert_eq!(run(&["-ci", "-cin", "50"]), run(&["--confidence", "--confidence-n", "50"]));
    assert_eq!(
        run(&["-sl", "-s", "floor", "-sv", "0.2"]),
        run(&["--sentence-level", "--smooth", "floor", "--smooth-value", "0.2"])
    );
    assert_eq!(
        run(&["-m", "chrf", "-cc", "4", "-cw", "1", "-nc"]),
        run(&["-m", "chrf", "--chrf-char-order", "4", "--chrf-word-order", "1"])
    );
}

#[test]
fn a_sacrebleu_option_corpus_has_no_counterpart_for_gets_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let r = write(&dir, "ref.txt", b"One two three.\n");
    for (args, instead) in [
        (&["-nr", "2"][..], "one -r FILE per reference"),
        (&["-t", "wmt21"], "no test-set downloads"),
        (&["-e", "latin-1"], "tqscore reads UTF-8"),
        (&["-j", "2"], "--threads"),
    ] {
        tqscore()
            .args(["corpus", "-r", &r, "-c", &r])
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!("`{}` is sacreBLEU's option; in tqscore corpus write", args[0])))
            .stderr(predicate::str::contains(instead))
            .stderr(predicate::str::contains("tqscore sacrebleu"));
    }
    // clap no longer suggests --chrf-char-order for sacreBLEU's --chrf-word-order.
    tqscore().args(["corpus", "-r", &r, "-c", &r, "--chrf-word-order", "2"]).assert().success();
}
