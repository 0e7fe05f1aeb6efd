//! sacreBLEU's spellings on `tqscore corpus`'s command line: the single-dash
//! options sacreBLEU users type (`-tok`, `-lc`, `-sl`, `-cin`, ...) are read as
//! corpus's own options, since clap would otherwise split them into letters
//! (`-lc` would be `-l c`, `-ci` a candidate named `i`); the few with no
//! counterpart get a hint naming what to write instead.

use std::ffi::OsString;

/// sacreBLEU's single-dash spellings and the corpus option each means.
const SAME_MEANING: &[(&str, &str)] = &[
    ("-tok", "--tokenize"),
    ("-lc", "--lowercase"),
    ("-sl", "--sentence-level"),
    ("-ci", "--confidence"),
    ("-cin", "--confidence-n"),
    ("-pbs", "--paired-bs"),
    ("-pbsn", "--paired-bs-n"),
    ("-par", "--paired-ar"),
    ("-parn", "--paired-ar-n"),
    ("-cc", "--chrf-char-order"),
    ("-cw", "--chrf-word-order"),
    ("-sh", "--short"),
    ("-s", "--smooth"),
    ("-sv", "--smooth-value"),
    ("-nc", "--color=never"),
    ("--no-color", "--color=never"),
];

/// sacreBLEU options `corpus` has no counterpart for, and what to do instead.
const NO_COUNTERPART: &[(&[&str], &str)] = &[
    (&["-nr", "--num-refs"], "one -r FILE per reference (split a tab-separated file first, e.g. with cut)"),
    (&["-e", "--encoding"], "nothing: tqscore reads UTF-8 (convert with iconv first)"),
    (&["-j", "--paired-jobs"], "--threads"),
    (&["-V"], "--version"),
    (
        &[
            "-t",
            "--test-set",
            "--download",
            "--echo",
            "--list",
            "--citation",
            "-ol",
            "--origlang",
            "--subset",
            "-d",
            "--detail",
        ],
        "nothing: tqscore has no test-set downloads; pass the reference file with -r",
    ),
];

/// Where the `corpus` subcommand is in `args` (after the program name and global options).
fn corpus_position(args: &[OsString]) -> Option<usize> {
    let mut i = 1;
    while let Some(arg) = args.get(i).and_then(|a| a.to_str()) {
        match arg {
            "corpus" => return Some(i),
            "-q" | "--quiet" => i += 1,
            "--color" => i += 2,
            _ if arg.starts_with("--color=") => i += 1,
            _ => return None,
        }
    }
    None
}

/// `args` with sacreBLEU's single-dash spellings after `corpus` replaced by corpus's own.
pub(super) fn accept_sacrebleu_spellings(mut args: Vec<OsString>) -> Vec<OsString> {
    if let Some(at) = corpus_position(&args) {
        for arg in &mut args[at + 1..] {
            if let Some((_, ours)) = SAME_MEANING.iter().find(|(theirs, _)| arg.to_str() == Some(theirs)) {
                *arg = OsString::from(ours);
            }
        }
    }
    args
}

/// A hint for the first sacreBLEU option without a counterpart in a `corpus` command line clap refused.
pub(super) fn hint(args: &[OsString]) -> Option<String> {
    let at = corpus_position(args)?;
    args[at + 1..].iter().filter_map(|a| a.to_str()).find_map(|arg| {
        let name = arg.split('=').next().unwrap_or(arg);
        let (_, instead) = NO_COUNTERPART.iter().find(|(spellings, _)| spellings.contains(&name))?;
        Some(format!(
            "\n  hint: `{name}` is sacreBLEU's option; in tqscore corpus write {instead}\n  \
             hint: or run `tqscore sacrebleu …` to use sacreBLEU's own command line\n"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn sacrebleu_spellings_become_corpus_options_after_corpus_only() {
        let args =
            accept_sacrebleu_spellings(os(&["tqscore", "-q", "corpus", "-r", "r", "-c", "c", "-lc", "-tok", "intl"]));
        assert_eq!(args, os(&["tqscore", "-q", "corpus", "-r", "r", "-c", "c", "--lowercase", "--tokenize", "intl"]));
        let score = os(&["tqscore", "score", "a", "b", "-lc"]);
        assert_eq!(accept_sacrebleu_spellings(score.clone()), score);
        assert!(hint(&os(&["tqscore", "--color", "never", "corpus", "-nr", "2"])).unwrap().contains("one -r FILE"));
        assert_eq!(hint(&os(&["tqscore", "score", "-nr", "2"])), None);
    }
}
