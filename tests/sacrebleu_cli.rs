//! `tqscore sacrebleu …` and the binary under the name `sacrebleu` against the
//! real sacreBLEU 2.6.0's standard output, byte for byte, over the command lines
//! recorded by scripts/oracle_sacrebleu_cli.py in fixtures/oracle/sacrebleu-cli/.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// A work directory like the oracle's: the realmt files a case names,
/// `head200.FILE` for the first 200 lines of FILE, `tabs.A+B` for the lines
/// of A and B joined by a tab, and `gz.FILE.gz` for FILE gzip-compressed.
fn prepare(dir: &Path, names: &[String]) {
    let realmt = common::realmt_dir();
    for name in names {
        let target = dir.join(name);
        if target.exists() {
            continue;
        }
        if let Some(file) = name.strip_prefix("head200.") {
            if let Ok(text) = std::fs::read_to_string(realmt.join(file)) {
                let head: String = text.split_inclusive('\n').take(200).collect();
                std::fs::write(&target, head).unwrap();
            }
        } else if let Some(parts) = name.strip_prefix("tabs.") {
            let streams: Vec<String> =
                parts.split('+').map(|p| std::fs::read_to_string(realmt.join(p)).unwrap()).collect();
            let mut lines: Vec<std::str::Lines<'_>> = streams.iter().map(|s| s.lines()).collect();
            let mut joined = String::new();
            while let Some(fields) = lines.iter_mut().map(Iterator::next).collect::<Option<Vec<&str>>>() {
                joined.push_str(&fields.join("\t"));
                joined.push('\n');
            }
            std::fs::write(&target, joined).unwrap();
        } else if let Some(file) = name.strip_prefix("gz.").and_then(|n| n.strip_suffix(".gz")) {
            let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&std::fs::read(realmt.join(file)).unwrap()).unwrap();
            std::fs::write(&target, encoder.finish().unwrap()).unwrap();
        } else if realmt.join(name).is_file() {
            std::fs::copy(realmt.join(name), &target).unwrap();
        }
    }
}

/// The binary under the name `sacrebleu`, through a symbolic link in `dir`.
fn symlink(dir: &Path) -> PathBuf {
    let link = dir.join("bin").join("sacrebleu");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(assert_cmd::cargo::cargo_bin("tqscore"), &link).unwrap();
    link
}

fn run(program: &Path, prefix: &[&str], case: &Value, dir: &Path) -> (String, i32) {
    let mut command = Command::new(program);
    command.args(prefix).current_dir(dir).env_remove("NO_COLOR").env_remove("SACREBLEU_FORMAT");
    command.env_remove("SACREBLEU_SEED");
    for arg in case["args"].as_array().unwrap() {
        command.arg(arg.as_str().unwrap());
    }
    for (k, v) in case["env"].as_object().unwrap() {
        command.env(k, v.as_str().unwrap());
    }
    command.stdin(match case["stdin"].as_str() {
        Some(file) => Stdio::from(std::fs::File::open(dir.join(file)).unwrap()),
        None => Stdio::null(),
    });
    let out = command.output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap_or(-1))
}

#[test]
fn every_recorded_command_line_prints_what_sacrebleu_prints() {
    let oracle = common::read_json(&common::fixture("oracle/sacrebleu-cli/cases.json"));
    let cases = oracle["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let dir = tempfile::tempdir().unwrap();
    let mut names: Vec<String> = Vec::new();
    for case in cases {
        names.extend(case["args"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()));
        names.extend(case["stdin"].as_str().map(String::from));
    }
    prepare(dir.path(), &names);
    let link = symlink(dir.path());
    let tqscore = assert_cmd::cargo::cargo_bin("tqscore");
    let mut failures = Vec::new();
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let expected = case["stdout"].as_str().unwrap();
        let code = case["exit"].as_i64().unwrap() as i32;
        for (how, program, prefix) in [("tqscore sacrebleu", &tqscore, &["sacrebleu"][..]), ("sacrebleu", &link, &[])] {
            let (stdout, exit) = run(program, prefix, case, dir.path());
            if case["note"].is_string() {
                // sacreBLEU crashed writing this JSON; tqscore writes it, with its scores.
                let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{id}: {e}\n{stdout}"));
                assert_eq!(exit, 0, "{id}");
                assert!(json[1]["BLEU"]["p_value"].as_f64().unwrap() < 0.05, "{id}: {json}");
                assert!(json[1]["chrF2"]["mean"].as_f64().unwrap() > 0.0, "{id}: {json}");
                continue;
            }
            if stdout != expected || exit != code {
                failures.push(format!(
                    "{id} ({how}): exit {exit} (sacreBLEU {code})\n--- sacreBLEU\n{expected}--- tqscore\n{stdout}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), 2 * cases.len(), failures.join("\n"));
}
