//! Every `tqscore …` (and `sacrebleu …`) command line in the shell blocks of
//! README.md and docs/*.md runs as written, in doc order, in a directory whose
//! files carry the docs' placeholder names (see `prepare`), and exits as the doc
//! means: 0, or 0 or 1 for a quality gate (`--gate`, `tqscore gate`), never 2.
//!
//! Blocks are fenced ```sh, ```bash, ```shell or ```console (`$ ` lines only).
//! Optional parts written `[...]` are run with their contents. A line that
//! needs inputs this test cannot provide says so with the marker
//! `# doc-test: skip (reason)` and is left out.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The marker that leaves a documented command line out of this test.
const SKIP: &str = "doc-test: skip";

/// The documents whose shell blocks are run.
fn documents() -> Vec<PathBuf> {
    let mut docs = vec![common::root().join("README.md")];
    let mut more: Vec<PathBuf> = std::fs::read_dir(common::root().join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// Where a line of a document is.
#[derive(Clone, Copy, PartialEq)]
enum Block {
    Outside,
    /// A shell block; `console` blocks mark commands with `$ `.
    Shell {
        console: bool,
    },
    /// Any other fenced block.
    Other,
}

/// The command lines of one document's shell blocks: continuations joined.
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block = Block::Outside;
    let mut pending = String::new();
    for line in text.lines() {
        if let Some(lang) = line.trim_start().strip_prefix("```") {
            block = match (block, lang.trim()) {
                (Block::Outside, "sh" | "bash" | "shell") => Block::Shell { console: false },
                (Block::Outside, "console") => Block::Shell { console: true },
                (Block::Outside, _) => Block::Other,
                _ => Block::Outside,
            };
            pending.clear();
            continue;
        }
        let Block::Shell { console } = block else { continue };
        let line = match (console, line.strip_prefix("$ ")) {
            (true, Some(command)) => command,
            (true, None) if pending.is_empty() => continue,
            _ => line,
        };
        let line = line.trim_end();
        match line.strip_suffix('\\') {
            Some(start) => pending.push_str(start),
            None => {
                pending.push_str(line);
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    out
}

/// `line` without a trailing `# comment` (a `#` after whitespace, outside quotes).
fn strip_comment(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && previous.is_whitespace() => return line[..i].trim_end(),
            _ => {}
        }
        previous = c;
    }
    line.trim_end()
}

/// Whether `line` runs tqscore (or its `sacrebleu` name) directly or at the end of a pipe.
fn runs_tqscore(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first == "tqscore" || first == "sacrebleu" || line.contains("| tqscore ") || line.contains("| sacrebleu ")
}

/// Files under the docs' placeholder names: the seed article pair (REFERENCE, CANDIDATE,
/// BASELINE, reference.txt, ...), 100 lines of a WMT test set for line-aligned files (ref.txt,
/// hyp.txt, system.txt, base.txt, sys1.txt, ...), docs/examples' thresholds files, test-set
/// lists and folders of the seed pair, and reports of it as baselines.
fn prepare(dir: &Path) {
    let seed = common::fixture("seed");
    let realmt = common::realmt_dir();
    let copy = |from: &Path, to: &str| {
        std::fs::copy(from, dir.join(to)).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    };
    for name in ["REFERENCE", "reference.txt"] {
        copy(&seed.join("reference.txt"), name);
    }
    for name in ["CANDIDATE", "BASELINE", "candidate.txt"] {
        copy(&seed.join("candidate.txt"), name);
    }
    // Line-aligned files: the first 100 lines of a WMT test set and its systems.
    let head = |file: &str, to: &str| {
        let text = std::fs::read_to_string(realmt.join(file)).unwrap();
        std::fs::write(dir.join(to), text.split_inclusive('\n').take(100).collect::<String>()).unwrap();
    };
    head("wmt21.ru-en.ref.txt", "ref.txt");
    head("wmt21.ru-en.refB.txt", "ref2.txt");
    for (system, names) in
        [("Online-B", &["hyp.txt", "system.txt", "base.txt"][..]), ("AFRL", &["sys1.txt"]), ("Manifold", &["sys2.txt"])]
    {
        for name in names {
            head(&format!("wmt21.ru-en.sys.{system}.txt"), name);
        }
    }
    // Every file of docs/examples, under its own name.
    for entry in std::fs::read_dir(common::root().join("docs/examples")).unwrap() {
        let path = entry.unwrap().path();
        copy(&path, path.file_name().unwrap().to_str().unwrap());
    }
    for folder in ["refs", "cands"] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    copy(&seed.join("reference.txt"), "refs/seed.txt");
    copy(&seed.join("candidate.txt"), "cands/seed.txt");
    for list in ["pairs.tsv", "part-1.tsv"] {
        std::fs::write(dir.join(list), "reference.txt\tcandidate.txt\tseed\n").unwrap();
    }
    let report = tqscore(dir, "tqscore score reference.txt candidate.txt --format json -o report.json");
    assert_eq!(report.status.code(), Some(0), "{}", String::from_utf8_lossy(&report.stderr));
    for name in ["old-report.json", "main-report.json"] {
        std::fs::copy(dir.join("report.json"), dir.join(name)).unwrap();
    }
    let set = tqscore(dir, "tqscore score --pairs pairs.tsv --format json -o main-set-report.json");
    assert_eq!(set.status.code(), Some(0), "{}", String::from_utf8_lossy(&set.stderr));
}

/// A `bin/` directory with `tqscore` and its `sacrebleu` name, for `$PATH`.
fn bin_dir() -> PathBuf {
    let bin = assert_cmd::cargo::cargo_bin("tqscore");
    let dir = std::env::temp_dir().join(format!("tqscore-doc-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["tqscore", "sacrebleu"] {
        let link = dir.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&bin, &link).unwrap();
    }
    dir
}

fn tqscore(dir: &Path, line: &str) -> std::process::Output {
    let path = format!("{}:{}", bin_dir().display(), std::env::var("PATH").unwrap_or_default());
    Command::new("sh").arg("-c").arg(line).current_dir(dir).env("PATH", path).env_remove("NO_COLOR").output().unwrap()
}

#[test]
fn every_documented_command_line_runs_as_written() {
    let dir = tempfile::tempdir().unwrap();
    prepare(dir.path());
    let mut ran = 0;
    let mut failures = Vec::new();
    for doc in documents() {
        let text = std::fs::read_to_string(&doc).unwrap();
        for line in commands(&text) {
            if line.contains(SKIP) {
                continue;
            }
            let command = strip_comment(&line).replace(['[', ']'], "");
            if !runs_tqscore(&command) {
                continue;
            }
            let out = tqscore(dir.path(), &command);
            let gated = command.contains("--gate") || command.starts_with("tqscore gate");
            let code = out.status.code().unwrap_or(-1);
            if !(code == 0 || (gated && code == 1)) {
                let name = doc.strip_prefix(common::root()).unwrap().display().to_string();
                failures.push(format!("{name}: `{command}` exited {code}:\n{}", String::from_utf8_lossy(&out.stderr)));
            }
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} documented command lines found");
    assert!(failures.is_empty(), "{} of {ran} documented commands fail:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn shell_blocks_are_read_as_a_reader_runs_them() {
    let doc = "text\n```sh\ntqscore a  # note\ntqscore b \\\n  --c\n```\n```json\ntqscore no\n```\n\
               ```console\n$ tqscore d\noutput\n```\n";
    assert_eq!(commands(doc), ["tqscore a  # note", "tqscore b   --c", "tqscore d"]);
    assert_eq!(strip_comment("tqscore a '#x' # note"), "tqscore a '#x'");
    assert!(runs_tqscore("cat hyp.txt | tqscore corpus") && !runs_tqscore("cargo run -- tqscore"));
}
