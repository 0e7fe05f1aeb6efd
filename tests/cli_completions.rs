//! `tqscore completions SHELL` and `tqscore man`: generated from the same
//! definitions as `--help`, so every subcommand and option is in them.

use assert_cmd::Command;

fn stdout_of(args: &[&str]) -> String {
    let out = Command::cargo_bin("tqscore").unwrap().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn completion_scripts_know_every_subcommand_and_option() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for word in ["score", "corpus", "gate", "tokenize", "paired-bs", "ter-normalized", "baseline"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // The bash script is valid bash.
    let script = stdout_of(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tqscore.bash");
    std::fs::write(&path, script).unwrap();
    let check = std::process::Command::new("bash").arg("-n").arg(&path).status().unwrap();
    assert!(check.success(), "bash -n rejects the completion script");
    // And the zsh script is valid zsh.
    let path = dir.path().join("_tqscore");
    std::fs::write(&path, stdout_of(&["completions", "zsh"])).unwrap();
    let check = std::process::Command::new("zsh").arg("-n").arg(&path).status();
    let check =
        check.unwrap_or_else(|e| panic!("cannot run zsh ({e}): scripts/test.sh installs it (apt-get install zsh)"));
    assert!(check.success(), "zsh -n rejects the completion script");
}

#[test]
fn man_renders_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tqscore.1");
    std::fs::write(&path, stdout_of(&["man"])).unwrap();
    let out = std::process::Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .unwrap_or_else(|e| panic!("cannot run man ({e}): scripts/test.sh installs it (apt-get install man-db)"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "man -l fails: {}", String::from_utf8_lossy(&out.stderr));
    for heading in ["NAME", "SYNOPSIS", "tqscore-score", "tqscore-corpus"] {
        assert!(text.contains(heading), "the rendered page lacks {heading}:\n{text}");
    }
}

#[test]
fn man_page_is_roff_with_the_commands() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH tqscore 1"), "{}", &page[..page.len().min(200)]);
    for word in ["score", "corpus", "gate", "completions"] {
        assert!(page.contains(word), "man page lacks {word}");
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    Command::cargo_bin("tqscore").unwrap().args(["completions", "tcsh"]).assert().code(2);
}
