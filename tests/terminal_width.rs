//! The default `tqscore score` report in a real terminal (a pty made by util-linux
//! `script`, with `$COLUMNS` and `$LINES` unset, so the shape comes from the terminal
//! itself): no line is wider than 80 columns, the report uses the width, and it fits
//! one 80×40 screen; Chinese text is wrapped and padded by the columns it takes.

mod common;

use std::process::Command;

/// Display columns of `line` without colour codes: East Asian wide characters take two,
/// combining marks none (written out here, independently of the `unicode-width` tables
/// tqscore wraps by).
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

/// The seed report in a pty of `cols`×`rows`, with `extra` arguments: its lines.
fn seed_report_in_terminal(cols: u16, rows: u16, extra: &str) -> Vec<String> {
    let bin = assert_cmd::cargo::cargo_bin("tqscore");
    let seed = common::fixture("seed");
    let command = format!(
        "stty cols {cols} rows {rows} && exec '{}' score '{}' '{}' {extra}",
        bin.display(),
        seed.join("reference.txt").display(),
        seed.join("candidate.txt").display()
    );
    let out = Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .env_remove("NO_COLOR")
        .env("TERM", "xterm-256color")
        .output()
        .expect("util-linux `script` runs the report in a pty; install it (apt-get install bsdutils)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // It is a terminal: the report is coloured.
    assert!(text.contains("\x1b["), "no colour in a terminal");
    let text = text.replace('\r', "");
    text.strip_suffix('\n').unwrap_or(&text).split('\n').map(str::to_string).collect()
}

/// Lines of `lines` wider than `width` columns.
fn wider_than(lines: &[String], width: usize) -> Vec<&String> {
    lines.iter().filter(|l| columns(l) > width).collect()
}

#[test]
fn the_seed_report_fits_an_80_column_terminal() {
    let lines = seed_report_in_terminal(80, 24, "");
    assert!(lines.len() > 20, "{lines:#?}");
    let too_wide = wider_than(&lines, 80);
    assert!(too_wide.is_empty(), "{} lines wider than 80 columns:\n{too_wide:#?}", too_wide.len());
    // The terminal's width was used (a pipe gets 100 columns), not a narrow default.
    let widest = lines.iter().map(|l| columns(l)).max().unwrap();
    assert!(widest > 70, "the widest line has {widest} columns");
}

#[test]
fn the_default_report_fits_one_80_by_40_screen_and_says_how_to_see_more() {
    let lines = seed_report_in_terminal(80, 40, "");
    assert!(lines.len() <= 40, "{} lines:\n{}", lines.len(), lines.join("\n"));
    assert!(wider_than(&lines, 80).is_empty());
    let text = lines.join("\n");
    // What was left out is named, with the flag that shows it.
    assert!(text.contains("Weakest 1 of 20 pairs by BLEU (--all for every pair in full)"), "{text}");
    assert!(text.contains("… and 2 more (--all)"), "{text}");
    // The figures and the signatures are never cut.
    for kept in ["Document", "Per pair", "Names", "Witkoff (Steve Witkoff)", "BLEU: nrefs:1", "TER:  nrefs:1"] {
        assert!(text.contains(kept), "{kept} missing:\n{text}");
    }
    // A taller terminal shows more of the weakest pairs, --all every pair in full.
    let tall = seed_report_in_terminal(80, 60, "").join("\n");
    assert!(tall.contains("Weakest 5 of 20 pairs"), "{tall}");
    let all = seed_report_in_terminal(80, 40, "--all");
    assert!(all.len() > 120, "{} lines with --all", all.len());
    assert!(all.join("\n").contains("[25] × How can I help you?"));
    assert!(wider_than(&all, 80).is_empty());
}

#[test]
fn chinese_text_is_wrapped_and_padded_by_the_columns_it_takes() {
    // Real Chinese text: 30 source lines of wmt22 zh-en as the reference, the
    // candidate without every fifth character; scored as Chinese.
    let dir = tempfile::tempdir().unwrap();
    let (ref_path, cand_path) = common::chinese_pair(dir.path(), 100, 30, 5);
    let out = Command::new(assert_cmd::cargo::cargo_bin("tqscore"))
        .arg("score")
        .arg(&ref_path)
        .arg(&cand_path)
        .args(["-l", "en-zh", "--all", "--bootstrap", "0"])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let too_wide = wider_than(&lines, 80);
    assert!(too_wide.is_empty(), "{} lines wider than 80 columns:\n{too_wide:#?}", too_wide.len());
    // Side by side, the bar between the two renderings is in the same column on every line.
    let bars: std::collections::BTreeSet<usize> =
        lines.iter().filter_map(|l| l.find(" │ ").map(|at| columns(&l[..at]))).collect();
    assert_eq!(bars.len(), 1, "the bar moves between columns {bars:?}");
    let cjk_lines = lines.iter().filter(|l| l.contains(" │ ") && l.chars().any(|c| c > '\u{2e80}')).count();
    assert!(cjk_lines > 30, "only {cjk_lines} side-by-side lines of Chinese");
}

#[test]
fn the_set_report_of_107_real_articles_fits_one_80_by_40_screen() {
    // wmt21 ru-en, one article per document id: the reference and Online-B's output.
    let realmt = common::realmt_dir();
    let read = |name: &str| std::fs::read_to_string(realmt.join(name)).unwrap();
    let (ids, reference, system) =
        (read("wmt21.ru-en.docids.txt"), read("wmt21.ru-en.ref.txt"), read("wmt21.ru-en.sys.Online-B.txt"));
    let dir = tempfile::tempdir().unwrap();
    let (refs, cands) = (dir.path().join("ref"), dir.path().join("cand"));
    std::fs::create_dir_all(&refs).unwrap();
    std::fs::create_dir_all(&cands).unwrap();
    let mut documents: std::collections::BTreeMap<&str, (String, String)> = Default::default();
    for ((id, r), c) in ids.lines().zip(reference.lines()).zip(system.lines()) {
        let (r_text, c_text) = documents.entry(id).or_default();
        r_text.push_str(r);
        r_text.push('\n');
        c_text.push_str(c);
        c_text.push('\n');
    }
    for (id, (r, c)) in &documents {
        std::fs::write(refs.join(format!("{id}.txt")), r).unwrap();
        std::fs::write(cands.join(format!("{id}.txt")), c).unwrap();
    }
    let out = Command::new(assert_cmd::cargo::cargo_bin("tqscore"))
        .arg("score")
        .arg(&refs)
        .arg(&cands)
        .args(["--bootstrap", "0", "-q"])
        .env("COLUMNS", "80")
        .env_remove("LINES")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert_eq!(documents.len(), 107);
    assert!(lines.len() <= 40, "{} lines:\n{text}", lines.len());
    assert!(wider_than(&lines, 80).is_empty(), "{text}");
    // The long names lists are cut to a line each, the long ids in the middle.
    assert!(text.contains("more names with findings (--all)"), "{text}");
    assert!(text.contains("of 107 articles by BLEU (--all for every article)"), "{text}");
    assert!(text.contains("gazeta.ru…51354.txt"), "{text}");
}
