//! Where results go: standard output, standard error and `-o` files, and what a
//! failure to write means for the exit code.
//!
//! Three rules live here:
//! - a reader that goes away (`tqscore … | head -1`) is not an error, and a
//!   closed standard error never stops tqscore (messages to it are best effort);
//! - once a gate has been evaluated, its verdict is the exit code whatever
//!   happens to the output ([`settle`]);
//! - an `-o` file is replaced atomically (written beside it, then renamed) and
//!   may not be one of the run's inputs ([`refuse_input_as_output`]).

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, EXIT_OK, EXIT_USAGE};
use crate::untrusted::defuse_workflow_commands;

/// Write `text` to standard output, mapping failures to an [`Error`]. No line
/// of it can be a GitHub workflow command (see [`defuse_workflow_commands`]).
pub(crate) fn write_stdout(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(defuse_workflow_commands(text).as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", "standard output", e))
}

/// Write `value` as pretty-printed JSON and a newline to standard output as it
/// is serialised, without building its text in memory. A pretty-printed JSON
/// line starts with a bracket, a brace, a quote or a scalar after its
/// indentation, never with `::`, so no workflow command can get through.
pub(crate) fn write_json_stdout(value: &impl serde::Serialize) -> Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)
        .map_err(io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", "standard output", e))
}

/// Write `text` to standard error, ignoring failures: a closed or full standard
/// error must not turn a result into a crash, and there is nowhere left to say so.
/// No line of it can be a GitHub workflow command.
pub(crate) fn write_stderr(text: &str) {
    write_workflow_commands(&defuse_workflow_commands(text));
}

/// Write tqscore's own GitHub workflow commands (annotations) to standard error,
/// as they are; failures are ignored as in [`write_stderr`].
pub(crate) fn write_workflow_commands(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// Whether `e` only says that standard output's reader went away.
fn is_broken_pipe(e: &Error) -> bool {
    matches!(e, Error::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
}

/// Print `e` as tqscore's error line and return its exit code; a broken pipe
/// (the reader went away) stops quietly with [`EXIT_OK`].
pub(crate) fn report_error(e: &Error) -> i32 {
    if is_broken_pipe(e) {
        return EXIT_OK;
    }
    write_stderr(&format!("tqscore: error: {e}\n"));
    e.exit_code()
}

/// The exit code of a gated run whose outputs met `errors`: the gate's `code`
/// survives every output error. A broken pipe is no error; any other is printed,
/// and turns a passed gate into [`EXIT_USAGE`] (the result was lost), while a
/// failed gate stays [`EXIT_GATE_FAILED`].
pub(crate) fn settle(code: i32, errors: &[Error]) -> i32 {
    let mut lost = false;
    for e in errors.iter().filter(|e| !is_broken_pipe(e)) {
        report_error(e);
        lost = true;
    }
    if lost && code == EXIT_OK {
        EXIT_USAGE
    } else {
        code
    }
}

/// The `-o` path that means standard output: the saved report is printed
/// instead of the command's own output.
pub(crate) const STDOUT: &str = "-";

/// Refuse an output path that is one of the run's `inputs` (`(role, path)`, e.g.
/// `("reference", …)`), directly, through a symbolic link or a hard link: writing
/// the report there would destroy the input.
pub(crate) fn refuse_input_as_output(output: &Path, inputs: &[(&str, &Path)]) -> Result<()> {
    if output == STDOUT {
        return Ok(());
    }
    let Some(out) = file_identity(output) else {
        return Ok(());
    };
    match inputs.iter().find(|(_, input)| file_identity(input) == Some(out)) {
        Some((role, input)) => Err(Error::Usage(format!(
            "-o {} is the {role} {}; writing the report there would destroy it\n  hint: write the report to \
             another file, e.g. -o report.json",
            output.display(),
            input.display()
        ))),
        None => Ok(()),
    }
}

/// A file's device and inode (links followed), if it exists.
#[cfg(unix)]
fn file_identity(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// A file's canonical path (links followed), if it exists.
#[cfg(not(unix))]
fn file_identity(path: &Path) -> Option<PathBuf> {
    fs::canonicalize(path).ok()
}

/// Write `bytes` to `path` so that the old file survives any failure: into a
/// temporary file in the same folder, flushed to disk, then renamed over `path`.
/// A path that exists and is not a regular file (`/dev/stdout`, a FIFO) is
/// written in place, as there is nothing to rename over.
pub(crate) fn save_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    replace_with(path, |file| file.write_all(bytes)).map_err(|e| Error::io("write", path.display(), e))
}

/// [`save_atomically`] with the writing done by `write`.
fn replace_with(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    let target = match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => return Err(io::ErrorKind::IsADirectory.into()),
        Ok(meta) if !meta.is_file() => return write(&mut File::create(path)?),
        // A link is replaced at its target, so the link stays.
        Ok(_) => fs::canonicalize(path)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(e),
    };
    let temporary = temporary_beside(&target)?;
    let written = File::create_new(&temporary).and_then(|mut file| {
        write(&mut file)?;
        file.sync_all()
    });
    match written.and_then(|()| fs::rename(&temporary, &target)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = fs::remove_file(&temporary);
            Err(e)
        }
    }
}

/// A name for a temporary file beside `target` (`.report.json.tqscore-PID.tmp`).
fn temporary_beside(target: &Path) -> io::Result<PathBuf> {
    let name = target.file_name().ok_or(io::ErrorKind::InvalidInput)?;
    let mut temporary = std::ffi::OsString::from(".");
    temporary.push(name);
    temporary.push(format!(".tqscore-{}.tmp", std::process::id()));
    Ok(target.with_file_name(temporary))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        fs::write(&path, "old").unwrap();
        let failed = replace_with(&path, |f| {
            f.write_all(b"{\"trunc")?;
            Err(io::Error::from(io::ErrorKind::StorageFull))
        });
        assert_eq!(failed.unwrap_err().kind(), io::ErrorKind::StorageFull);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
        save_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_inputs_are_refused_through_links() {
        let dir = tempfile::tempdir().unwrap();
        let (real, link) = (dir.path().join("real.json"), dir.path().join("link.json"));
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save_atomically(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let err = refuse_input_as_output(&link, &[("reference", &real)]).unwrap_err().to_string();
        assert!(err.contains("link.json is the reference") && err.contains("hint:"), "{err}");
        assert!(refuse_input_as_output(&dir.path().join("new.json"), &[("reference", &real)]).is_ok());
    }
}
