//! The command line: argument definitions, dispatch, and the mapping from
//! outcomes to exit codes (0 success, 1 quality gate failed, 2 usage or input error).

mod compare;
mod completions;
mod corpus;
mod gate;
mod merge;
mod output;
mod progress;
mod sacrebleu;
mod score;
mod spellings;
mod table;
mod tokenize;

use std::io::{self, IsTerminal};

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{EXIT_OK, EXIT_USAGE};
use output::{report_error, write_stderr};

pub use compare::CompareArgs;
pub use corpus::CorpusArgs;
pub use gate::GateArgs;
pub use merge::MergeArgs;
pub use score::ScoreArgs;
pub use tokenize::TokenizeFlags;

const EXAMPLES: &str = "\
Examples:
  Align and score a machine-translated article against a reference rendering:
    tqscore score reference.txt candidate.txt
  Score a system's line-aligned output like sacreBLEU (BLEU and chrF):
    tqscore corpus -r newstest.ref.txt -c system.txt
  Two references, chrF++ too, JSON for scripts:
    tqscore corpus -r ref.A.txt -r ref.B.txt -c system.txt -m bleu,chrf,chrf++ --format json
  Score a test set of article pairs (a TSV list, or two folders of same-named files):
    tqscore score --pairs pairs.tsv
    tqscore score refs/ cands/ --format json -o set-report.json
  Fail a CI job when a translation falls below thresholds (see docs/ci.md):
    tqscore score reference.txt candidate.txt --gate thresholds.json
    tqscore gate report.json thresholds.json --baseline main-report.json

Exit codes: 0 success, 1 a quality gate failed, 2 usage or input error.";

/// `tqscore --version`: the release, the git revision and the build profile it was built from
/// (`-V` prints the release alone).
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (git ",
    env!("TQSCORE_GIT_REVISION"),
    ", ",
    env!("TQSCORE_BUILD_PROFILE"),
    " build; metrics exact to sacreBLEU 2.6.0)"
);

/// tqscore: translation quality scores you can trust, from the terminal or CI.
#[derive(Debug, Parser)]
#[command(
    name = "tqscore",
    version,
    long_version = LONG_VERSION,
    about = "Score machine translation against a reference: sacreBLEU-exact BLEU, chrF, chrF++ and TER",
    long_about = "Score machine translation against a reference.\n\n\
        `tqscore corpus` scores line-aligned files and reproduces sacreBLEU 2.6.0's numbers exactly \
        (same tokenizers, smoothing and signatures), many times faster.",
    after_help = EXAMPLES,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print nothing but results and errors (no warnings or notes).
    #[arg(short, long, global = true)]
    quiet: bool,

    /// When to colour terminal output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
}

/// When to use colour in terminal output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
            }
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Align and score two versions of one article (the reference first).
    #[command(after_help = score::AFTER_HELP)]
    Score(ScoreArgs),
    /// Score line-aligned files exactly as sacreBLEU does (one segment per line).
    #[command(after_help = corpus::AFTER_HELP)]
    Corpus(CorpusArgs),
    /// Compare two candidates of the same reference (or test set): deltas, intervals, p-values.
    #[command(after_help = compare::AFTER_HELP)]
    Compare(CompareArgs),
    /// Merge the statistics of a test set scored in parts into one set report.
    #[command(after_help = merge::AFTER_HELP)]
    Merge(MergeArgs),
    /// Check a saved JSON report against a thresholds file (exit 1 if it fails).
    #[command(after_help = gate::AFTER_HELP)]
    Gate(GateArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = completions::COMPLETIONS_HELP)]
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff) to standard output.
    #[command(after_help = completions::MAN_HELP)]
    Man,
    /// sacreBLEU 2.6.0's own command line, the same output byte for byte (docs/sacrebleu-cli.md).
    #[command(disable_help_flag = true, after_help = SACREBLEU_HELP)]
    Sacrebleu {
        /// sacreBLEU's arguments: `REF... -i HYP... -m bleu chrf -tok intl -b ...`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "SACREBLEU_ARGS")]
        args: Vec<String>,
    },
}

const SACREBLEU_HELP: &str = "\
Also run when the binary is called `sacrebleu`: `ln -s \"$(command -v tqscore)\" ~/bin/sacrebleu`.

Examples:
  tqscore sacrebleu ref.txt -i hyp.txt
  tqscore sacrebleu ref.txt -i hyp.txt -m bleu chrf ter -tok intl -f text
  tqscore sacrebleu ref.txt -i base.txt sys1.txt sys2.txt --paired-bs";

/// The program's name without directory or extension (`sacrebleu` for the symlink).
fn invoked_as(arg0: &std::ffi::OsStr) -> Option<String> {
    std::path::Path::new(arg0).file_stem().map(|s| s.to_string_lossy().into_owned())
}

/// The arguments after the program name, as UTF-8 (sacreBLEU's parser reads text).
fn text_args(args: &[std::ffi::OsString]) -> std::result::Result<Vec<String>, String> {
    args.iter().map(|a| a.clone().into_string().map_err(|a| a.to_string_lossy().into_owned())).collect()
}

/// Run sacreBLEU's command line on `args`, refusing arguments that are not UTF-8.
fn run_sacrebleu(args: &[std::ffi::OsString]) -> i32 {
    match text_args(args) {
        Ok(args) => sacrebleu::main(&args),
        Err(bad) => {
            write_stderr(&format!("sacrebleu: error: argument {bad:?} is not valid UTF-8\n"));
            EXIT_USAGE
        }
    }
}

/// Most resamples or trials a statistical test may ask for: a million gives
/// intervals and p-values to far more precision than their noise, and more would
/// only exhaust time or memory.
pub const MAX_RESAMPLES: usize = 1_000_000;

/// Parse a resample or trial count, at most [`MAX_RESAMPLES`] (clap's value parser).
fn resamples(arg: &str) -> std::result::Result<usize, String> {
    if arg.trim().starts_with('-') {
        return Err("a count of resamples cannot be negative; pass 0 to skip resampling, or a positive number".into());
    }
    let n: usize = arg.parse().map_err(|e| format!("{e}"))?;
    if n > MAX_RESAMPLES {
        return Err(format!("{n} is more than {MAX_RESAMPLES}, the most resamples tqscore draws"));
    }
    Ok(n)
}

/// The `--color` choice on a command line that clap could not parse (the last one given).
fn requested_color(args: impl Iterator<Item = String>) -> Option<ColorChoice> {
    let args: Vec<String> = args.collect();
    let mut choice = None;
    for (i, arg) in args.iter().enumerate() {
        let value = match arg.strip_prefix("--color=") {
            Some(value) => Some(value),
            None if arg == "--color" => args.get(i + 1).map(String::as_str),
            None => None,
        };
        if let Some(value) = value {
            choice = ColorChoice::from_str(value, true).ok().or(choice);
        }
    }
    choice
}

/// Settings shared by every command.
#[derive(Debug, Clone, Copy)]
pub struct Global {
    /// Suppress warnings and notes.
    pub quiet: bool,
    /// Colour terminal output.
    pub color: bool,
}

impl Global {
    /// Print a note to standard error unless quiet.
    pub fn note(&self, message: &str) {
        if !self.quiet {
            write_stderr(&format!("tqscore: note: {message}\n"));
        }
    }

    /// Print a warning to standard error unless quiet.
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            write_stderr(&format!("tqscore: warning: {message}\n"));
        }
    }
}

/// Run tqscore with the process arguments; returns the exit code.
pub fn main() -> i32 {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.first().and_then(|a| invoked_as(a)).as_deref() == Some("sacrebleu") {
        return run_sacrebleu(&args[1..]);
    }
    if args.get(1).is_some_and(|a| a == "sacrebleu") {
        return run_sacrebleu(&args[2..]);
    }
    let args = spellings::accept_sacrebleu_spellings(args);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            // clap's own messages follow --color too (it cannot parse it when the rest fails).
            match requested_color(std::env::args()) {
                Some(ColorChoice::Never) if e.use_stderr() => write_stderr(&e.render().to_string()),
                Some(ColorChoice::Always) if e.use_stderr() => write_stderr(&e.render().ansi().to_string()),
                _ => {
                    let _ = e.print();
                }
            }
            if e.use_stderr() {
                if let Some(hint) = spellings::hint(&args) {
                    write_stderr(&hint);
                }
            }
            return code;
        }
    };
    let global = Global { quiet: cli.quiet, color: cli.color.enabled() };
    let result = match cli.command {
        Command::Score(args) => score::run(&args, global),
        Command::Corpus(args) => corpus::run(&args, global),
        Command::Compare(args) => compare::run(&args, global),
        Command::Merge(args) => merge::run(&args, global),
        Command::Gate(args) => gate::run(&args, global),
        Command::Completions(args) => completions::completions(&args),
        Command::Man => completions::man(),
        Command::Sacrebleu { args } => return sacrebleu::main(&args),
    };
    match result {
        Ok(code) => code,
        Err(e) => report_error(&e),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap's own consistency checks (unique ids, valid conflicts), which
    /// otherwise run only in debug builds and only when a command is parsed.
    #[test]
    fn the_long_version_names_the_matched_sacrebleu_release() {
        assert!(super::LONG_VERSION.contains(&format!("sacreBLEU {}", crate::metrics::SACREBLEU_VERSION)));
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
