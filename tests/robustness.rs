//! Bad and unusual input through the binary: every case is either scored
//! correctly or refused with exit code 2 and a message that names the file and
//! says what to do; never a panic. The cases also produce the table in
//! `docs/robustness.md` (refresh it with `TQSCORE_UPDATE_DOCS=1 cargo test --test robustness`).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

/// What a case must show.
enum Expect {
    /// Scored (exit 0) with this document BLEU, printed to two decimals (`None`: any score).
    Scored { bleu: Option<&'static str> },
    /// Ended with exit code `code` (2: refused, 1: a gate failed); standard error
    /// contains every one of `mentions`.
    Refused { code: i32, mentions: &'static [&'static str] },
}

/// One row of the table.
struct Case {
    input: &'static str,
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    /// Close standard output's reading end before tqscore writes (`tqscore … | head -1`).
    stdout_closed: bool,
    /// Environment variables set for the run.
    env: &'static [(&'static str, &'static str)],
    /// Further checks on the files in the folder and the output.
    check: fn(&Path, &Outcome),
    expect: Expect,
}

/// What the binary did.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// The GitHub Actions step summary the runs append to, in the cases' folder.
const STEP_SUMMARY: &str = "step-summary.md";

fn run(dir: &Path, case: &Case) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tqscore"))
        .args(&case.args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("GITHUB_ACTIONS")
        .env("GITHUB_STEP_SUMMARY", dir.join(STEP_SUMMARY))
        .envs(case.env.iter().copied())
        .stdin(if case.stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the tqscore binary starts");
    if case.stdout_closed {
        drop(child.stdout.take());
    }
    if let (Some(bytes), Some(mut pipe)) = (case.stdin.as_deref(), child.stdin.take()) {
        use std::io::Write;
        // tqscore may stop (refusing its arguments) before it reads all of its input.
        if let Err(e) = pipe.write_all(bytes) {
            assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "stdin is written: {e}");
        }
    }
    let out = child.wait_with_output().expect("tqscore finishes");
    Outcome {
        code: out.status.code().expect("tqscore exits by itself, not by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `score REFERENCE CANDIDATE --format json` plus quiet-free defaults, for scored cases.
fn score_json(reference: &str, candidate: &str) -> Vec<String> {
    args(&["score", reference, candidate, "--format", "json", "--bootstrap", "0"])
}

/// The files the cases read, written into `dir`.
fn write_inputs(dir: &Path) {
    let seed = |name: &str| std::fs::read(common::fixture(&format!("seed/{name}"))).unwrap();
    let (reference, candidate) = (seed("reference.txt"), seed("candidate.txt"));
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write("reference.txt", &reference);
    write("candidate.txt", &candidate);
    std::fs::create_dir(dir.join("articles")).unwrap();
    let mut latin1 = b"The Kremlin said on Friday.\nTalks went on.\nThe caf".to_vec();
    latin1.extend_from_slice(b"\xe9 was closed.\n");
    write("latin1.txt", &latin1);
    write("binary.bin", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00");
    write("empty.txt", b"");
    write("no-newline-2mb.txt", &b"word ".repeat(420_000));
    write("blank.txt", b"  \n\t\n\r\n   \n");
    write("bom.txt", &[b"\xEF\xBB\xBF".as_slice(), &candidate].concat());
    let text = String::from_utf8(candidate.clone()).unwrap();
    write("crlf.txt", text.replace('\n', "\r\n").as_bytes());
    write("cr.txt", text.replace('\n', "\r").as_bytes());
    // 10 MB on one line: the reference article repeated, without line breaks.
    let flat = String::from_utf8(reference.clone()).unwrap().replace('\n', " ");
    let big: String = flat.chars().cycle().take(10_000_000).collect();
    write("one-line-10mb.txt", big.as_bytes());
    let mixed = "Москва и Beijing (北京) signed a deal worth ¥3 billion. Переговоры were held in Tokyo 東京.\n\
                 The deal, says Ιωάννης Παπαδόπουλος, is \"historic\".\n";
    write("mixed.txt", mixed.as_bytes());
    let rtl = "قال الكرملين يوم الجمعة إن بوتين التقى المبعوث الأمريكي.\nהשיחות נמשכו שלוש שעות.\n";
    write("rtl.txt", rtl.as_bytes());
    // Emoji (with a zero-width joiner) and combining marks; the candidate has the
    // same text with decomposed accents (NFD), which normalisation (NFC) makes equal.
    let emoji = "The café in Zürich 👩‍💻 reopened on Monday. Crowds cheered 🎉 and São Paulo's mayor came.\n";
    write("emoji.txt", emoji.as_bytes());
    let decomposed = emoji.replace('é', "e\u{301}").replace('ü', "u\u{308}").replace('ã', "a\u{303}");
    write("emoji-nfd.txt", decomposed.as_bytes());
    let german =
        "Der Kreml sagte am Freitag, Putin habe den Gesandten empfangen.\nDie Gespräche dauerten drei Stunden.\n";
    write("german.txt", german.as_bytes());
    write("short.txt", b"One line only.\n");
    write("thresholds-bad.json", b"{\n  \"document.bleu.score\": {\"min\": 20,}\n}\n");
    write("thresholds-typo.json", b"{\"document.bleu.scor\": {\"min\": 20}}\n");
    write("fail.json", b"{\"document.bleu.score\": {\"min\": 99}}\n");
    write("ci-rule.json", b"{\"document.bleu.ci95.0\": {\"min\": 20}}\n");
    write("article-report.json", b"{\"tqscore_version\": \"0.1.0\", \"document\": {\"bleu\": {\"score\": 25.4}}}\n");
    write("corpus-fail.json", b"{\"bleu.score\": {\"min\": 99}}\n");
    write("report-low.json", b"{\"document\": {\"bleu\": {\"score\": 10.5}}}\n");
    // The reference with a word changed on every line: line-aligned with it, not equal.
    let edited = String::from_utf8(reference.clone()).unwrap().replace(" the ", " a ");
    write("reference-edited.txt", edited.as_bytes());
    // Many more reference sentences than candidate ones, none alike: alignment must stay linear.
    write("a-100000.txt", "a\n".repeat(100_000).as_bytes());
    write("b-50000.txt", "b\n".repeat(50_000).as_bytes());
    std::os::unix::fs::symlink("fail.json", dir.join("link-to-fail.json")).unwrap();
    // Table cells of 65,537 characters: a bound and a path longer than `format!` can pad.
    let zeros = "0".repeat(65_535);
    write("long-bound.json", format!("{{\"document.bleu.score\": {{\"max\": 1.{zeros}}}}}").as_bytes());
    write("long-path.json", format!("{{\"pairs.{zeros}0.bleu\": {{\"min\": 1}}}}").as_bytes());
    // A 1 MB word: a sentence of its own, then above the seed reference (where it is omitted).
    let word = "x".repeat(1_000_000);
    write("word-1mb.txt", format!("{word}.\n").as_bytes());
    write("word-1mb-then-reference.txt", &[format!("{word}.\n\n").as_bytes(), &reference].concat());
    write("coverage-report.json", b"{\"document\": {\"coverage\": 0.999}}\n");
    write("coverage-min.json", b"{\"document.coverage\": {\"min\": 1}}\n");
    let hostile = "::warning title=X::Injected by the article.\n\
                   The clipboard \x1b]52;c;aGVsbG8=\x07was written and \x1b[2Jthe screen cleared.\n\
                   A pixel <img src=https://t.example/p.png> and ![x](https://t.example/p.png) for @octocat.\n\
                   ::stop-commands::token\n";
    write("hostile.txt", hostile.as_bytes());
    write("old-report.json", b"{\"an\": \"older report\"}\n");
    // No names and no aligned pairs: names.recall and summary.bleu.p10 are null.
    write("nulls-report.json", b"{\"document\": {\"bleu\": {\"score\": 30.5}}, \"names\": {\"recall\": null}, \"summary\": {\"bleu\": {\"p10\": null}}}\n");
    write(
        "warn-on-null.json",
        b"{\"document.bleu.score\": {\"min\": 20}, \"names.recall\": {\"min\": 0.85, \"level\": \"warn\"}}\n",
    );
    write("error-on-null.json", b"{\"summary.bleu.p10\": {\"min\": 5}}\n");
    let signed = |tok: &str| {
        format!("{{\"document\": {{\"bleu\": {{\"score\": 30.5, \"signature\": \"nrefs:1|tok:{tok}\"}}}}}}\n")
    };
    write("report-13a.json", signed("13a").as_bytes());
    write("baseline-char.json", signed("char").as_bytes());
    write("drop.json", b"{\"document.bleu.score\": {\"max_drop\": 1}}\n");
    write("tampered.json", b"{\"document\": {\"bleu\": {\"score\": 1e308}}}\n");
    write("min20.json", b"{\"document.bleu.score\": {\"min\": 20}}\n");
    let bad: Vec<String> = (0..100_000).map(|i| format!("\"p{i}\": {{\"mni\": 1}}")).collect();
    write("many-bad.json", format!("{{{}}}", bad.join(",")).as_bytes());
    let utf16: Vec<u8> =
        "\u{feff}{\"document.bleu.score\": {\"min\": 20}}".encode_utf16().flat_map(u16::to_le_bytes).collect();
    write("utf16.json", &utf16);
    write("bom-min20.json", b"\xEF\xBB\xBF{\"document.bleu.score\": {\"min\": 20}}\n");
    write("dup-aliases.json", b"{\"Kyiv\": [\"Kiev\"], \"Kyiv\": [\"Kyjiw\"]}\n");
    // Names ending in .gz are read through gzip.
    write("candidate.txt.gz", &gzip(&candidate));
    write("crlf.txt.gz", &gzip(text.replace('\n', "\r\n").as_bytes()));
    write("latin1.txt.gz", &gzip(&latin1));
    let mut corrupt = gzip(&candidate);
    corrupt[40] ^= 0xFF;
    write("corrupt.txt.gz", &corrupt);
    let whole = gzip(&candidate);
    write("truncated.txt.gz", &whole[..whole.len() / 2]);
    write("plain-named.txt.gz", &candidate);
    // 3.2 MB of short lines in 6 KB.
    write("bomb-3mb.txt.gz", &gzip(&b"the same line\n".repeat(230_000)));
    write_test_sets(dir, &reference, &candidate, &latin1);
}

/// `bytes` gzip-compressed.
fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// Test sets: pairs lists with a bad pair, folders with unpaired files, and
/// shards (made by the binary) from two different signatures.
fn write_test_sets(dir: &Path, reference: &[u8], candidate: &[u8], latin1: &[u8]) {
    let set = dir.join("set");
    for sub in ["", "refs", "cands"] {
        std::fs::create_dir_all(set.join(sub)).unwrap();
    }
    let write = |name: &str, bytes: &[u8]| std::fs::write(set.join(name), bytes).unwrap();
    write("r.txt", reference);
    write("c.txt", candidate);
    write("empty.txt", b"");
    write("no-newline-2mb.txt", &b"word ".repeat(420_000));
    write("latin1.txt", latin1);
    let good: String = (1..=5).map(|i| format!("r.txt\tc.txt\tp{i}\n")).collect();
    write("good.tsv", good.as_bytes());
    write("missing.tsv", format!("# six pairs, the sixth missing\n{good}r.txt\tnope.txt\tp6\n").as_bytes());
    write("empty.tsv", format!("{good}r.txt\tempty.txt\tp6\n").as_bytes());
    write("latin1.tsv", b"r.txt\tlatin1.txt\n");
    write("dup.tsv", b"r.txt\tc.txt\tsame\nr.txt\tc.txt\tsame\n");
    write("spaces.tsv", b"r.txt c.txt\n");
    for name in ["a.txt", "b.txt"] {
        write(&format!("refs/{name}"), reference);
    }
    write("cands/a.txt", candidate);
    write("cands/z.txt", candidate);
    let shard = |args: &[&str], name: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_tqscore")).args(args).current_dir(&set).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        write(name, &out.stdout);
    };
    shard(&["score", "--pairs", "good.tsv", "--format", "stats", "--bootstrap", "0"], "fold.stats");
    write("other.tsv", b"r.txt\tc.txt\tother\n");
    shard(&["score", "--pairs", "other.tsv", "--format", "stats", "--bootstrap", "0", "--no-fold"], "nofold.stats");
}

/// A `--keep-going` JSON report marks the failed pair and scores the others.
fn failed_pair_is_marked(_: &Path, outcome: &Outcome) {
    let report: Value = serde_json::from_str(&outcome.stdout).expect("a JSON set report");
    assert_eq!(report["set"]["scored"], 5);
    assert_eq!(report["set"]["failed"], 1);
    let failed = &report["articles"][5];
    assert_eq!(failed["id"], "p6");
    assert_eq!(failed["error"]["listed_at"], "set/missing.tsv:7");
    assert!(failed["error"]["message"].as_str().unwrap().contains("no such file"));
}

/// Standard error stays a screenful whatever the number of problems.
fn stderr_is_bounded(_: &Path, outcome: &Outcome) {
    assert!(outcome.stderr.len() < 20_000, "standard error has {} bytes", outcome.stderr.len());
}

/// The GitHub step summary says the gate failed (and is removed for the next case).
fn summary_says_failed(dir: &Path, _: &Outcome) {
    let summary = std::fs::read_to_string(dir.join(STEP_SUMMARY)).expect("the step summary is written");
    assert!(summary.contains("### tqscore quality gate: failed"), "{summary}");
    std::fs::remove_file(dir.join(STEP_SUMMARY)).unwrap();
}

/// The text report stays about a screenful whatever the sentences' length.
fn report_is_bounded(_: &Path, outcome: &Outcome) {
    assert!(outcome.stdout.len() < 20_000, "the report has {} bytes", outcome.stdout.len());
    let start: String = outcome.stdout.chars().take(2000).collect();
    assert!(outcome.stdout.contains(" more characters; the JSON report has"), "{start}");
}

/// The default text report is one screen (40 lines of at most 100 columns, a pipe's width)
/// whatever the sentences' length: a long one is cut to a line ending in ` …`.
fn report_fits_a_screen(_: &Path, outcome: &Outcome) {
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert!(lines.len() <= 40, "the report has {} lines", lines.len());
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "a line is wider than 100 columns");
    assert!(lines.iter().any(|l| l.starts_with("  [0] xxx") && l.ends_with(" …")), "the long sentence is not cut");
}

/// Article text reached standard output inert: no workflow command, no escape
/// sequence, and in Markdown no HTML, image or mention.
fn output_is_inert(_: &Path, outcome: &Outcome) {
    let out = &outcome.stdout;
    assert!(!out.lines().any(|l| l.trim_start().starts_with("::")), "{out}");
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out}");
    assert!(out.contains("Injected") && out.contains("screen cleared"), "{out}");
    if out.contains("| metric |") {
        let bare = |active: &str| out.match_indices(active).any(|(i, _)| !out[..i].ends_with('\\'));
        for active in ["<img", "![", "@octocat"] {
            assert!(!bare(active), "{active} in the Markdown report:\n{out}");
        }
    }
}

/// No input was changed by a run that was told to write over it.
fn inputs_intact(dir: &Path, _: &Outcome) {
    let seed = std::fs::read(common::fixture("seed/reference.txt")).unwrap();
    assert_eq!(std::fs::read(dir.join("reference.txt")).unwrap(), seed, "reference.txt is intact");
    assert_eq!(std::fs::read(dir.join("fail.json")).unwrap(), b"{\"document.bleu.score\": {\"min\": 99}}\n");
}

/// A case that reads no standard input and needs no further check.
fn case(input: &'static str, args: Vec<String>, expect: Expect) -> Case {
    Case { input, args, stdin: None, stdout_closed: false, env: &[], check: |_, _| {}, expect }
}

fn cases() -> Vec<Case> {
    use Expect::*;
    let refused = |code, mentions| Refused { code, mentions };
    let closed = |case: Case| Case { stdout_closed: true, check: summary_says_failed, ..case };
    let annotated = &["::error title=tqscore gate::", "below the minimum 99"];
    vec![
        case(
            "missing file",
            args(&["score", "reference.txt", "missing.txt"]),
            refused(2, &["missing.txt", "no such file", "hint:"]),
        ),
        case(
            "a directory",
            args(&["score", "reference.txt", "articles"]),
            refused(2, &["articles", "directory", "hint:"]),
        ),
        case(
            "a file that cannot be read (`/proc/self/mem`: open succeeds, read fails)",
            args(&["score", "reference.txt", "/proc/self/mem"]),
            refused(2, &["cannot read /proc/self/mem", "hint:"]),
        ),
        case(
            "invalid UTF-8 (Latin-1 `é` on line 3)",
            args(&["score", "reference.txt", "latin1.txt"]),
            refused(2, &["latin1.txt:3:", "invalid UTF-8", "iconv"]),
        ),
        case(
            "a binary file (NUL bytes)",
            args(&["score", "reference.txt", "binary.bin"]),
            refused(2, &["binary.bin:1:", "NUL", "hint:"]),
        ),
        case(
            "an endless stream of NUL bytes as an article (`/dev/zero`)",
            args(&["score", "/dev/zero", "candidate.txt"]),
            refused(2, &["/dev/zero:1:", "NUL", "hint:"]),
        ),
        case(
            "`/dev/zero` as a corpus reference (an endless line)",
            args(&["corpus", "-r", "/dev/zero", "-c", "candidate.txt"]),
            refused(2, &["/dev/zero:1:", "NUL", "hint:"]),
        ),
        case(
            "`/dev/zero` as a thresholds file",
            args(&["gate", "reference.txt", "/dev/zero"]),
            refused(2, &["/dev/zero:1:", "NUL", "hint:"]),
        ),
        Case {
            env: &[("TQSCORE_MAX_INPUT_MB", "1")],
            ..case(
                "an article above the input limit (2 MB, `TQSCORE_MAX_INPUT_MB=1`)",
                args(&["score", "no-newline-2mb.txt", "candidate.txt"]),
                refused(2, &["no-newline-2mb.txt", "larger than 1 MB", "TQSCORE_MAX_INPUT_MB"]),
            )
        },
        Case {
            env: &[("TQSCORE_MAX_INPUT_MB", "1")],
            ..case(
                "a corpus line above the input limit (2 MB, `TQSCORE_MAX_INPUT_MB=1`)",
                args(&["corpus", "-r", "no-newline-2mb.txt", "-c", "candidate.txt"]),
                refused(2, &["no-newline-2mb.txt", "line 1 is larger than 1 MB", "TQSCORE_MAX_INPUT_MB"]),
            )
        },
        case(
            "a gzipped candidate (`.gz`)",
            score_json("reference.txt", "candidate.txt.gz"),
            Scored { bleu: Some("25.90") },
        ),
        case(
            "a gzipped corpus file with CRLF line ends",
            args(&["corpus", "-r", "crlf.txt.gz", "-c", "candidate.txt", "-m", "bleu"]),
            Scored { bleu: Some("100.00") },
        ),
        case(
            "invalid UTF-8 inside a .gz (Latin-1 `é` on line 3)",
            args(&["score", "reference.txt", "latin1.txt.gz"]),
            refused(2, &["latin1.txt.gz:3:", "invalid UTF-8", "gunzip -c latin1.txt.gz | iconv"]),
        ),
        case(
            "a corrupt .gz (one byte changed)",
            args(&["corpus", "-r", "reference.txt", "-c", "corrupt.txt.gz"]),
            refused(2, &["corrupt.txt.gz: the gzip data is corrupt", "gzip -t corrupt.txt.gz", "hint:"]),
        ),
        case(
            "a truncated .gz (its first half)",
            args(&["score", "reference.txt", "truncated.txt.gz"]),
            refused(2, &["truncated.txt.gz: the gzip data ends early", "gzip -t", "hint:"]),
        ),
        case(
            "plain text named .gz",
            args(&["score", "reference.txt", "plain-named.txt.gz"]),
            refused(2, &["plain-named.txt.gz: it is not gzip data", "rename it if it is plain text"]),
        ),
        Case {
            env: &[("TQSCORE_MAX_INPUT_MB", "1")],
            ..case(
                "a 6 KB .gz that expands to 3.2 MB of lines (`TQSCORE_MAX_INPUT_MB=1`)",
                args(&["corpus", "-r", "bomb-3mb.txt.gz", "-c", "bomb-3mb.txt.gz"]),
                refused(2, &["bomb-3mb.txt.gz: the decompressed text is larger than 1 MB", "TQSCORE_MAX_INPUT_MB"]),
            )
        },
        Case {
            env: &[("TQSCORE_MAX_INPUT_MB", "1")],
            ..case(
                "the same .gz as an article (`TQSCORE_MAX_INPUT_MB=1`)",
                args(&["score", "bomb-3mb.txt.gz", "candidate.txt"]),
                refused(2, &["bomb-3mb.txt.gz: the decompressed text is larger than 1 MB", "TQSCORE_MAX_INPUT_MB"]),
            )
        },
        case(
            "`tqscore gate` with its two files swapped (thresholds first, then the report)",
            args(&["gate", "fail.json", "article-report.json"]),
            refused(2, &["article-report.json", "were the two files swapped?", "hint:"]),
        ),
        case(
            "a negative resample count (`--bootstrap -5`)",
            args(&["score", "reference.txt", "candidate.txt", "--bootstrap", "-5"]),
            refused(2, &["--bootstrap", "cannot be negative", "pass 0"]),
        ),
        case(
            "a rule on a confidence interval when none was computed (`--bootstrap 0`)",
            args(&[
                "score",
                "reference.txt",
                "candidate.txt",
                "--bootstrap",
                "0",
                "--gate",
                "ci-rule.json",
                "-f",
                "json",
            ]),
            refused(1, &["document.bleu.ci95", "--bootstrap 0"]),
        ),
        case(
            "an empty article",
            args(&["score", "empty.txt", "candidate.txt"]),
            refused(2, &["empty.txt", "no text", "hint:"]),
        ),
        case(
            "an article of only whitespace",
            args(&["score", "reference.txt", "blank.txt"]),
            refused(2, &["blank.txt", "no text", "hint:"]),
        ),
        case(
            "a UTF-8 byte-order mark",
            args(&["score", "reference.txt", "bom.txt", "--bootstrap", "0"]),
            Scored { bleu: Some("25.90") },
        ),
        case("CRLF line ends", score_json("reference.txt", "crlf.txt"), Scored { bleu: Some("25.90") }),
        case("lone CR line ends", score_json("reference.txt", "cr.txt"), Scored { bleu: Some("25.90") }),
        case(
            "a single 10 MB line, as an article",
            score_json("one-line-10mb.txt", "candidate.txt"),
            Scored { bleu: None },
        ),
        case(
            "a single 10 MB line, as a corpus segment",
            args(&["corpus", "-r", "one-line-10mb.txt", "-c", "one-line-10mb.txt", "-m", "bleu"]),
            Scored { bleu: Some("100.00") },
        ),
        case(
            "mixed scripts (Latin, Cyrillic, Greek, CJK)",
            score_json("mixed.txt", "mixed.txt"),
            Scored { bleu: Some("100.00") },
        ),
        case("right-to-left text (Arabic, Hebrew)", score_json("rtl.txt", "rtl.txt"), Scored { bleu: Some("100.00") }),
        case(
            "emoji and combining marks (candidate in NFD)",
            score_json("emoji.txt", "emoji-nfd.txt"),
            Scored { bleu: Some("100.00") },
        ),
        case(
            "a candidate in another language (German for English)",
            score_json("reference.txt", "german.txt"),
            Scored { bleu: Some("0.00") },
        ),
        Case {
            stdin: Some(b"Some text.\n".to_vec()),
            ..case("`-` for both inputs", args(&["score", "-", "-"]), refused(2, &["standard input", "hint:"]))
        },
        case(
            "JSON report to an unwritable path",
            args(&["score", "reference.txt", "candidate.txt", "-o", "no-such-folder/report.json"]),
            refused(2, &["cannot write no-such-folder/report.json", "hint:"]),
        ),
        case(
            "corpus files with different line counts",
            args(&["corpus", "-r", "reference.txt", "-c", "short.txt"]),
            refused(2, &["short.txt: 1 line\n", "reference.txt: 12 lines", "hint:"]),
        ),
        case(
            "a malformed thresholds file",
            args(&["score", "reference.txt", "candidate.txt", "--gate", "thresholds-bad.json"]),
            refused(2, &["thresholds-bad.json", "line 2", "hint:"]),
        ),
        case(
            "a thresholds path not in the report",
            args(&["score", "reference.txt", "candidate.txt", "--gate", "thresholds-typo.json"]),
            refused(2, &["thresholds-typo.json", "document.bleu.scor", "document.bleu.score"]),
        ),
        closed(case(
            "a failing gate, standard output's reader gone",
            args(&["score", "reference.txt", "candidate.txt", "--gate", "fail.json", "--all", "--github"]),
            refused(1, annotated),
        )),
        closed(case(
            "a failing saved report, standard output's reader gone",
            args(&["gate", "report-low.json", "fail.json", "--github"]),
            refused(1, annotated),
        )),
        closed(case(
            "a failing corpus gate, standard output's reader gone",
            args(&[
                "corpus",
                "-r",
                "reference.txt",
                "-c",
                "reference-edited.txt",
                "--gate",
                "corpus-fail.json",
                "--github",
            ]),
            refused(1, &["::error title=tqscore gate::bleu.score is", "below the minimum 99"]),
        )),
        case(
            "100,000 reference sentences against 50,000 others",
            score_json("a-100000.txt", "b-50000.txt"),
            Scored { bleu: Some("0.00") },
        ),
        Case {
            check: inputs_intact,
            ..case(
                "`-o` naming the reference",
                args(&["score", "reference.txt", "candidate.txt", "-o", "reference.txt"]),
                refused(2, &["-o reference.txt is the reference reference.txt", "hint:"]),
            )
        },
        Case {
            check: inputs_intact,
            ..case(
                "`-o` naming the thresholds file through a symbolic link",
                args(&["score", "reference.txt", "candidate.txt", "--gate", "fail.json", "-o", "link-to-fail.json"]),
                refused(2, &["-o link-to-fail.json is the thresholds file fail.json", "hint:"]),
            )
        },
        case(
            "`-o` naming a folder",
            args(&["score", "reference.txt", "candidate.txt", "-o", "."]),
            refused(2, &["cannot write .", "name a file in it"]),
        ),
        Case {
            check: |dir, _| {
                let saved = common::read_json(&dir.join("old-report.json"));
                assert!(saved["document"]["bleu"]["score"].is_number(), "the old report is replaced whole");
                let names: Vec<String> =
                    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
                assert!(!names.iter().any(|n| n.contains(".tqscore-")), "no temporary file is left: {names:?}");
            },
            ..case(
                "`-o` over an existing report",
                args(&["score", "reference.txt", "candidate.txt", "--bootstrap", "0", "-o", "old-report.json"]),
                Scored { bleu: Some("25.90") },
            )
        },
        Case {
            check: report_is_bounded,
            ..case(
                "a 1 MB word in the text report's pairs",
                args(&["score", "word-1mb.txt", "word-1mb.txt", "--bootstrap", "0", "--all"]),
                Scored { bleu: Some("0.00") },
            )
        },
        Case {
            check: report_is_bounded,
            ..case(
                "a 1 MB word among the omitted sentences, every sentence shown",
                args(&["score", "word-1mb-then-reference.txt", "candidate.txt", "--bootstrap", "0", "--all"]),
                Scored { bleu: None },
            )
        },
        Case {
            check: report_fits_a_screen,
            ..case(
                "a 1 MB word among the omitted sentences",
                args(&["score", "word-1mb-then-reference.txt", "candidate.txt", "--bootstrap", "0"]),
                Scored { bleu: None },
            )
        },
        case(
            "coverage 0.999 (printed 99.9%) against min 1",
            args(&["gate", "coverage-report.json", "coverage-min.json", "-f", "json"]),
            refused(1, &["FAIL", "document.coverage is 0.9990, below the minimum 1"]),
        ),
        Case {
            check: output_is_inert,
            ..case(
                "workflow commands, escape sequences, HTML and a mention in the article (text)",
                args(&["score", "hostile.txt", "hostile.txt", "--bootstrap", "0", "--all"]),
                Scored { bleu: Some("100.00") },
            )
        },
        Case {
            check: output_is_inert,
            ..case(
                "the same article (Markdown)",
                args(&["score", "hostile.txt", "hostile.txt", "--bootstrap", "0", "--all", "-f", "markdown"]),
                Scored { bleu: None },
            )
        },
        case(
            "a bound of 65,537 characters",
            args(&["gate", "report-low.json", "long-bound.json", "-f", "json"]),
            refused(1, &["FAIL", "document.bleu.score is 10.50000000000000000, above the maximum 1.000"]),
        ),
        case(
            "a path with a 65,536-digit index",
            score_json("reference.txt", "candidate.txt")
                .into_iter()
                .chain(args(&["--gate", "long-path.json"]))
                .collect(),
            refused(2, &["long-path.json", "without sign or leading zeros", "pairs.0"]),
        ),
        case(
            "65,536 decimals",
            args(&["corpus", "-r", "reference.txt", "-c", "reference-edited.txt", "-w", "65536"]),
            refused(2, &["65536", "0..=100"]),
        ),
        case(
            "20,000 worker threads",
            args(&["score", "reference.txt", "candidate.txt", "--threads", "20000"]),
            refused(2, &["--threads 20000 is more than 1024", "hint:"]),
        ),
        case(
            "2^62 bootstrap replicates",
            args(&["score", "reference.txt", "candidate.txt", "--bootstrap", "4611686018427387904"]),
            refused(2, &["--bootstrap", "more than 1000000"]),
        ),
        case(
            "10^13 bootstrap replicates",
            args(&["score", "reference.txt", "candidate.txt", "--bootstrap", "10000000000000"]),
            refused(2, &["--bootstrap", "more than 1000000"]),
        ),
        case(
            "a NaN smoothing value",
            args(&[
                "corpus",
                "-r",
                "reference.txt",
                "-c",
                "reference-edited.txt",
                "--smooth",
                "floor",
                "--smooth-value",
                "NaN",
            ]),
            refused(2, &["--smooth-value NaN", "hint:"]),
        ),
        case(
            "a null report value under a warn-level rule (an article without names)",
            args(&["gate", "nulls-report.json", "warn-on-null.json", "-f", "json"]),
            refused(0, &["warn", "names.recall has no value, so the minimum 0.85 cannot be checked", "is null"]),
        ),
        case(
            "a null report value under an error-level rule (no aligned pairs)",
            args(&["gate", "nulls-report.json", "error-on-null.json", "-f", "json"]),
            refused(1, &["FAIL", "summary.bleu.p10 has no value", "nulls-report.json", "Gate failed"]),
        ),
        case(
            "`max_drop` without `--baseline`",
            args(&["gate", "report-13a.json", "drop.json"]),
            refused(2, &["drop.json", "max_drop", "none was given", "--baseline"]),
        ),
        case(
            "a baseline made with another tokenizer",
            args(&["gate", "report-13a.json", "drop.json", "--baseline", "baseline-char.json"]),
            refused(
                2,
                &["baseline-char.json", "made differently", "`tok` is `char` in the baseline and `13a`", "hint:"],
            ),
        ),
        case(
            "a thresholds file as `--baseline`",
            args(&["gate", "report-low.json", "fail.json", "--baseline", "fail.json"]),
            refused(2, &["fail.json: this is a thresholds file", "hint:"]),
        ),
        case(
            "a tampered report with BLEU 1e308",
            args(&["gate", "tampered.json", "min20.json"]),
            refused(2, &["tampered.json: $.document.bleu.score is 1e+308", "from 0 to 100", "hint:"]),
        ),
        Case {
            check: stderr_is_bounded,
            ..case(
                "a thresholds file with 100,000 bad rules",
                args(&["gate", "report-low.json", "many-bad.json"]),
                refused(2, &["many-bad.json: $[\"p19\"].mni", "and 99980 more problems", "hint:"]),
            )
        },
        case(
            "a UTF-16 thresholds file (PowerShell 5's `>`)",
            args(&["gate", "report-low.json", "utf16.json"]),
            refused(2, &["utf16.json", "UTF-16", "PowerShell", "hint:"]),
        ),
        case(
            "a thresholds file with a UTF-8 byte-order mark",
            args(&["gate", "report-low.json", "bom-min20.json", "-f", "json"]),
            refused(1, &["document.bleu.score is 10.50, below the minimum 20"]),
        ),
        case(
            "an aliases file with a key given twice",
            args(&["score", "reference.txt", "candidate.txt", "--aliases", "dup-aliases.json"]),
            refused(2, &["dup-aliases.json: $[\"Kyiv\"] appears more than once", "hint:"]),
        ),
        case(
            "a pairs list with a missing file on line 7",
            args(&["score", "--pairs", "set/missing.tsv"]),
            refused(2, &["set/missing.tsv:7 (pair `p6`): cannot read set/nope.txt: no such file", "hint:"]),
        ),
        Case {
            check: failed_pair_is_marked,
            ..case(
                "… with `--keep-going`",
                args(&["score", "--pairs", "set/missing.tsv", "--keep-going", "--format", "json", "--bootstrap", "0"]),
                refused(2, &["1 of 6 articles could not be scored"]),
            )
        },
        case(
            "a pairs list with an empty article",
            args(&["score", "--pairs", "set/empty.tsv"]),
            refused(2, &["set/empty.tsv:6 (pair `p6`): set/empty.txt: the article has no text", "hint:"]),
        ),
        case(
            "a pairs list with an article in Latin-1",
            args(&["score", "--pairs", "set/latin1.tsv"]),
            refused(2, &["set/latin1.tsv:1", "set/latin1.txt:3: invalid UTF-8", "hint:"]),
        ),
        case(
            "a pairs list with an id used twice",
            args(&["score", "--pairs", "set/dup.tsv"]),
            refused(2, &["set/dup.tsv:2: the id `same` is already used on line 1", "hint:"]),
        ),
        case(
            "a pairs list separated by spaces",
            args(&["score", "--pairs", "set/spaces.tsv"]),
            refused(2, &["set/spaces.tsv:1", "TAB character, not spaces"]),
        ),
        case(
            "two folders with unpaired files",
            args(&["score", "set/refs", "set/cands"]),
            refused(
                2,
                &["1 in set/refs with no file of the same name in set/cands: b.txt", "z.txt", "--allow-unpaired"],
            ),
        ),
        case(
            "… with `--allow-unpaired`",
            args(&["score", "set/refs", "set/cands", "--allow-unpaired", "--format", "json", "--bootstrap", "0"]),
            Expect::Scored { bleu: None },
        ),
        case(
            "a shard from another signature",
            args(&["merge", "set/fold.stats", "set/nofold.stats"]),
            refused(2, &["set/nofold.stats was made differently from set/fold.stats", "fold:no", "hint:"]),
        ),
        case(
            "a report that is not a shard",
            args(&["merge", "report-low.json"]),
            refused(2, &["report-low.json: $.format is not \"tqscore-stats\"", "hint:"]),
        ),
        Case {
            stdin: Some(b"{\"document\": {\"bleu\": {\"score\": 10.5}}}\n".to_vec()),
            ..case(
                "a report on standard input (`gate -`)",
                args(&["gate", "-", "min20.json", "-f", "json"]),
                refused(1, &["document.bleu.score is 10.50, below the minimum 20"]),
            )
        },
        case(
            "`compare` with a missing candidate",
            args(&["compare", "reference.txt", "candidate.txt", "nope.txt"]),
            refused(2, &["cannot read nope.txt: no such file", "hint:"]),
        ),
        case(
            "`compare --pairs` with a pairs list (two columns, not three)",
            args(&["compare", "--pairs", "set/latin1.tsv"]),
            refused(
                2,
                &["set/latin1.tsv:1: expected 3 or 4 TAB-separated fields (reference, baseline, candidate, id)"],
            ),
        ),
        case(
            "an unknown tokenizer",
            args(&["corpus", "-r", "reference.txt", "-c", "candidate.txt", "--tokenize", "14a"]),
            refused(2, &["14a", "13a"]),
        ),
    ]
}

/// The document BLEU a successful run printed (JSON report, corpus line, Markdown or text report).
fn printed_bleu(stdout: &str) -> Option<String> {
    if let Ok(report) = serde_json::from_str::<Value>(stdout) {
        let bleu = report.get("set").unwrap_or(&report["document"]);
        return bleu["bleu"]["score"].as_f64().map(|s| format!("{s:.2}"));
    }
    let after = [" = ", "| BLEU | ", "BLEU "].iter().find_map(|mark| stdout.split_once(mark).map(|(_, rest)| rest))?;
    after.split_whitespace().next().map(str::to_string)
}

/// Most characters of a message the table shows.
const CELL_CHARS: usize = 600;

/// One table cell: the message lines joined, Markdown-safe, runs of padding
/// squeezed (so that a wide table's words stay in view), at most [`CELL_CHARS`] of it.
fn cell(text: &str) -> String {
    let squeezed = |line: &str| line.trim_end().split("   ").filter(|p| !p.is_empty()).collect::<Vec<_>>().join("  ");
    let joined = text.trim().lines().map(squeezed).collect::<Vec<_>>().join("<br>");
    let shown: String = joined.chars().take(CELL_CHARS).collect();
    let more = joined.chars().count() - shown.chars().count();
    let cut = if more > 0 { format!(" … ({more} more characters)") } else { String::new() };
    format!("{}{cut}", shown.replace('|', "\\|"))
}

fn table_row(case: &Case, outcome: &Outcome, bleu: Option<&str>) -> String {
    let said = match (&case.expect, bleu) {
        (Expect::Scored { .. }, Some(bleu)) => {
            let mut said = format!("scored: BLEU {bleu}");
            if !outcome.stderr.trim().is_empty() {
                said.push_str("<br>");
                said.push_str(&cell(&outcome.stderr));
            }
            said
        }
        _ => cell(&outcome.stderr),
    };
    let pipe = if case.stdout_closed { " \\| true" } else { "" };
    format!("| {} | `tqscore {}{pipe}` | {} | {} |", case.input, case.args.join(" "), outcome.code, said)
}

#[test]
fn bad_input_is_scored_or_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let mut rows = Vec::new();
    for case in cases() {
        let outcome = run(dir.path(), &case);
        assert!(
            !outcome.stderr.contains("panicked") && !outcome.stderr.contains("RUST_BACKTRACE"),
            "{}: {}",
            case.input,
            outcome.stderr
        );
        let bleu = match &case.expect {
            Expect::Scored { bleu } => {
                assert_eq!(outcome.code, 0, "{}: {}", case.input, outcome.stderr);
                let printed = printed_bleu(&outcome.stdout).expect("a successful run prints a BLEU score");
                let value: f64 = printed.parse().unwrap();
                assert!((0.0..=100.0).contains(&value), "{}: BLEU {printed}", case.input);
                if let Some(bleu) = bleu {
                    assert_eq!(&printed, bleu, "{}", case.input);
                }
                Some(printed)
            }
            Expect::Refused { code, mentions } => {
                assert_eq!(outcome.code, *code, "{}: {}", case.input, outcome.stderr);
                for m in *mentions {
                    assert!(outcome.stderr.contains(m), "{}: message lacks {m:?}:\n{}", case.input, outcome.stderr);
                }
                None
            }
        };
        (case.check)(dir.path(), &outcome);
        rows.push(table_row(&case, &outcome, bleu.as_deref()));
    }
    let table = format!("| Input | Command | Exit | What tqscore says |\n|---|---|---|---|\n{}\n", rows.join("\n"));
    check_doc_table(&table);
}

/// A reader that goes away (`tqscore ... | head -1`) stops tqscore quietly with exit 0.
#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_tqscore"))
        .args(["score", "reference.txt", "candidate.txt", "--all"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // close the reading end before tqscore writes
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

/// A closed standard error loses the messages, not the exit code: no panic (101).
#[test]
fn a_closed_stderr_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    for (args, code) in [(&["score", "reference.txt", "missing.txt"][..], 2), (&["score", "bom.txt", "bom.txt"], 0)] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tqscore"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stderr.take()); // the error, or the BOM note, meets a closed pipe
        assert_eq!(child.wait().unwrap().code(), Some(code), "{args:?}");
    }
}

/// An absurd `COLUMNS` is ignored (the report keeps its 100 columns), not allocated.
#[test]
fn a_huge_columns_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    write_inputs(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_tqscore"))
        .args(["score", "reference.txt", "candidate.txt", "--bootstrap", "0"])
        .current_dir(dir.path())
        .env("COLUMNS", "100000000000")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.len() < 20_000, "{} bytes", out.stdout.len());
}

/// The table in `docs/robustness.md` is the one these cases produce.
fn check_doc_table(table: &str) {
    const START: &str = "<!-- robustness-table:start -->\n";
    const END: &str = "<!-- robustness-table:end -->";
    let path = common::root().join("docs/robustness.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) else {
        panic!("{} lacks the table markers {START:?} and {END:?}", path.display());
    };
    let current = &doc[a + START.len()..b];
    if current != table {
        if std::env::var_os("TQSCORE_UPDATE_DOCS").is_some() {
            let updated = format!("{}{START}{table}{}", &doc[..a], &doc[b..]);
            std::fs::write(&path, updated).unwrap();
        } else {
            panic!(
                "docs/robustness.md is out of date; run `TQSCORE_UPDATE_DOCS=1 cargo test --test robustness`\n\nnew table:\n{table}"
            );
        }
    }
}
