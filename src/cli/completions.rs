//! `tqscore completions SHELL` and `tqscore man`: generated from the clap
//! definitions of [`super::Cli`], so they always list exactly the options `--help` does.

use std::io::Write;

use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::error::{Error, Result, EXIT_OK};

pub(super) const COMPLETIONS_HELP: &str = "\
Install, for example:
  bash:  tqscore completions bash > ~/.local/share/bash-completion/completions/tqscore
  zsh:   tqscore completions zsh > ~/.zfunc/_tqscore     (with fpath+=~/.zfunc before compinit)
  fish:  tqscore completions fish > ~/.config/fish/completions/tqscore.fish";

pub(super) const MAN_HELP: &str = "\
Install, for example:
  tqscore man > ~/.local/share/man/man1/tqscore.1 && man tqscore";

/// Options of `tqscore completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Write the completion script for `args.shell` to standard output.
pub(super) fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::Cli::command(), "tqscore", &mut script);
    write_stdout(&script)
}

/// Write the man page (roff) to standard output.
pub(super) fn man() -> Result<i32> {
    let mut page = Vec::new();
    clap_mangen::Man::new(super::Cli::command())
        .render(&mut page)
        .map_err(|e| Error::io("write", "the man page", e))?;
    write_stdout(&page)
}

/// Standard output, where a reader that went away is not an error.
fn write_stdout(bytes: &[u8]) -> Result<i32> {
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::io("write", "standard output", e)),
        _ => Ok(EXIT_OK),
    }
}
