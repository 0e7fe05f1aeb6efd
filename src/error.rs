//! tqscore's error type: every user-facing failure names the file (and line or
//! JSON path) and says what to do. All of them exit with code 2.

use std::fmt;
use std::io;

/// Exit code for success.
pub const EXIT_OK: i32 = 0;
/// Exit code when a quality gate failed.
pub const EXIT_GATE_FAILED: i32 = 1;
/// Exit code for a usage or input error.
pub const EXIT_USAGE: i32 = 2;

/// A failure that stops tqscore with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input file does not exist.
    #[error("cannot read {path}: no such file\n  hint: check the path (use '-' to read standard input)")]
    NotFound {
        /// The path as given.
        path: String,
    },
    /// The input path is a directory.
    #[error("cannot read {path}: it is a directory, not a text file\n  hint: pass a file inside it")]
    IsDirectory {
        /// The path as given.
        path: String,
    },
    /// Any other I/O failure while reading or writing a file.
    #[error("cannot {action} {path}: {source}\n  hint: {hint}")]
    Io {
        /// `read` or `write`.
        action: &'static str,
        /// The path as given.
        path: String,
        /// The operating system's error.
        source: io::Error,
        /// What to do about it.
        hint: &'static str,
    },
    /// A line is not valid UTF-8.
    #[error(
        "{path}:{line}: invalid UTF-8 at byte {column} of the line\n  hint: tqscore reads UTF-8 text; \
         convert the file first, e.g. `{}`",
        convert_command(path)
    )]
    InvalidUtf8 {
        /// File name.
        path: String,
        /// 1-based line number.
        line: usize,
        /// 1-based byte offset of the first invalid byte within the line.
        column: usize,
    },
    /// A NUL byte: the file is binary, not text.
    #[error("{path}:{line}: contains a NUL byte, so this looks like a binary file, not text\n  hint: pass the plain-text article or segment file")]
    Binary {
        /// File name.
        path: String,
        /// 1-based line number of the first NUL byte.
        line: usize,
    },
    /// An input is larger than tqscore reads (a stream without end, or a mistake).
    #[error(
        "{path}: {what} is larger than {limit_mb} MB, the most tqscore reads\n  hint: check that this is the \
         text you meant (a device like /dev/zero never ends); to read more, set TQSCORE_MAX_INPUT_MB to a \
         larger number of megabytes"
    )]
    TooLarge {
        /// File name.
        path: String,
        /// What is too large: `the file` or `line N`.
        what: String,
        /// The limit in megabytes.
        limit_mb: u64,
    },
    /// A file named `.gz` whose gzip data is corrupt, truncated, or not gzip at all.
    #[error(
        "{path}: {problem}\n  hint: tqscore reads a file whose name ends in .gz through gzip (as sacreBLEU \
         does); check it with `gzip -t {path}` and fetch or compress it again, or rename it if it is plain text"
    )]
    Gzip {
        /// File name.
        path: String,
        /// What is wrong with the gzip data.
        problem: String,
    },
    /// The input has nothing to score.
    #[error("{path}: {what}\n  hint: {hint}")]
    Empty {
        /// File name.
        path: String,
        /// What is empty.
        what: String,
        /// What to do.
        hint: String,
    },
    /// Candidate and references have different numbers of lines.
    #[error("{}", line_count_message(counts))]
    LineCountMismatch {
        /// (file, number of lines) for the candidate, then each reference.
        counts: Vec<(String, usize)>,
    },
    /// A JSON file (thresholds, report, aliases) is malformed or does not fit.
    #[error("{path}: {message}")]
    Json {
        /// File name.
        path: String,
        /// What is wrong, naming the JSON path.
        message: String,
    },
    /// Wrong use of the command line.
    #[error("{0}")]
    Usage(String),
}

/// A command that converts `path` from Windows-1252 to UTF-8 (decompressing a `.gz` first).
fn convert_command(path: &str) -> String {
    if path.ends_with(".gz") {
        format!("gunzip -c {path} | iconv -f WINDOWS-1252 -t UTF-8 > fixed.txt")
    } else {
        format!("iconv -f WINDOWS-1252 -t UTF-8 {path} > fixed.txt")
    }
}

fn line_count_message(counts: &[(String, usize)]) -> String {
    let mut msg =
        String::from("the candidate and the references must have the same number of lines (one segment per line):");
    for (path, n) in counts {
        msg.push_str(&format!("\n  {path}: {n} line{}", if *n == 1 { "" } else { "s" }));
    }
    msg.push_str("\n  hint: for whole articles that are not line-aligned, use `tqscore score REFERENCE CANDIDATE`");
    msg
}

impl Error {
    /// The process exit code for this error (always [`EXIT_USAGE`]).
    pub fn exit_code(&self) -> i32 {
        EXIT_USAGE
    }

    /// Wrap an I/O error on `path`, turning the common kinds into their own messages.
    /// An [`Error`] carried in `source` (by tqscore's own readers, such as the `.gz` decoder) is
    /// returned as it is.
    pub fn io(action: &'static str, path: impl fmt::Display, source: io::Error) -> Error {
        let source = match source.downcast::<Error>() {
            Ok(carried) => return carried,
            Err(source) => source,
        };
        let path = path.to_string();
        match source.kind() {
            io::ErrorKind::NotFound if action == "read" => Error::NotFound { path },
            io::ErrorKind::IsADirectory if action == "read" => Error::IsDirectory { path },
            kind => Error::Io { action, path, hint: io_hint(action, kind), source },
        }
    }
}

/// What to do about an I/O failure of the kind `kind` while doing `action`.
fn io_hint(action: &str, kind: io::ErrorKind) -> &'static str {
    match (action, kind) {
        ("write", io::ErrorKind::IsADirectory) => "that is a folder; name a file in it, like FOLDER/report.json",
        ("write", io::ErrorKind::NotFound) => "the folder does not exist; create it or write somewhere else",
        ("write", io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem) => {
            "choose a path in a folder you can write to"
        }
        ("write", _) => "check that the folder exists, is writable and has free space",
        (_, io::ErrorKind::PermissionDenied) => "check the file's permissions (e.g. `chmod u+r FILE`)",
        _ => "pass a regular, readable text file",
    }
}

/// Result with tqscore's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_say_what_to_do() {
        let denied = || io::Error::from(io::ErrorKind::PermissionDenied);
        let read = Error::io("read", "a.txt", denied()).to_string();
        assert!(
            read.starts_with("cannot read a.txt: ") && read.contains("hint: check the file's permissions"),
            "{read}"
        );
        let write = Error::io("write", "out/r.json", denied()).to_string();
        assert!(write.contains("hint: choose a path in a folder you can write to"), "{write}");
        let missing = Error::io("read", "b.txt", io::Error::from(io::ErrorKind::NotFound)).to_string();
        assert_eq!(missing, "cannot read b.txt: no such file\n  hint: check the path (use '-' to read standard input)");
    }
}
