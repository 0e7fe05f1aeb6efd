//! The default `tqscore score` report in a real terminal of 80×24 (a pty made by
//! util-linux `script`, with `$COLUMNS` unset, so the width comes from the terminal
//! itself): no line is wider than 80 columns, and the report uses the width.

mod common;

use std::process::Command;

/// Display columns of `line` without colour codes: East Asian wide characters take two,
/// combining marks none (enough for the seed report; tqscore wraps by characters).
fn columns(line: &str) -> usize {
    let mut width = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        let code = c as u32;
        width += match code {
            0x1b => {
                chars.by_ref().take_while(|c| !c.is_ascii_alphabetic()).for_each(drop);
                0
            }
            0x0300..=0x036f | 0x200b..=0x200f => 0,
            0x1100..=0x115f | 0x2e80..=0xa4cf | 0xac00..=0xd7a3 | 0xf900..=0xfaff | 0xfe30..=0xfe4f => 2,
            0xff00..=0xff60 | 0xffe0..=0xffe6 | 0x1f300..=0x1f64f | 0x20000..=0x3fffd => 2,
            _ => 1,
        };
    }
    width
}

#[test]
fn the_seed_report_fits_an_80_column_terminal() {
    let bin = assert_cmd::cargo::cargo_bin("tqscore");
    let seed = common::fixture("seed");
    let command = format!(
        "stty cols 80 rows 24 && exec '{}' score '{}' '{}'",
        bin.display(),
        seed.join("reference.txt").display(),
        seed.join("candidate.txt").display()
    );
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .expect("util-linux `script` runs the report in a pty; install it (apt-get install bsdutils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    assert!(lines.len() > 20, "{text}");
    let widest = lines.iter().map(|l| columns(l)).max().unwrap();
    let too_wide: Vec<&&str> = lines.iter().filter(|l| columns(l) > 80).collect();
    assert!(too_wide.is_empty(), "{} lines wider than 80 columns:\n{too_wide:#?}", too_wide.len());
    // The terminal's width was used (a pipe gets 100 columns), not a narrow default.
    assert!(widest > 70, "the widest line has {widest} columns");
    // It is a terminal: the report is coloured.
    assert!(text.contains("\x1b["), "no colour in a terminal");
}
