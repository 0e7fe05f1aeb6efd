//! Reading text inputs: files or standard input, validated as UTF-8 line by line.
//!
//! Lines are split on `\n` only and each line loses its trailing (Python)
//! whitespace, including a `\r` from CRLF files, exactly as sacreBLEU's
//! command line reads files. A UTF-8 byte-order mark is either kept as the first
//! character of line 1 (as sacreBLEU does, for exact parity in `corpus` mode) or
//! dropped ([`BomPolicy`]); either way the reader reports that it saw one.
//!
//! A file whose name ends in `.gz` is read through gzip, as sacreBLEU's
//! `smart_open` reads it: every check below applies to the decompressed text,
//! which is bounded by [`max_input_bytes`] as a whole (a small file can expand
//! without end).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::text::py_rstrip;

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// The first two bytes of every gzip member.
const GZIP_MAGIC: &[u8] = b"\x1F\x8B";

/// Where a text comes from: a file, standard input (`-`), or bytes already read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file path.
    File(PathBuf),
    /// Bytes read before (one stream of several carried in one file or standard input, as
    /// sacreBLEU's tab-separated systems and references are), named for messages.
    Memory {
        /// The name used in messages.
        name: String,
        /// The text.
        bytes: std::sync::Arc<[u8]>,
    },
}

impl Source {
    /// `-` means standard input; anything else is a path.
    pub fn parse(arg: &str) -> Source {
        if arg == "-" {
            Source::Stdin
        } else {
            Source::File(PathBuf::from(arg))
        }
    }

    /// The name used in messages: the path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(p) => p.display().to_string(),
            Source::Memory { name, .. } => name.clone(),
        }
    }

    fn open(&self) -> Result<Box<dyn Read + Send>> {
        match self {
            Source::Stdin => Ok(Box::new(io::stdin())),
            Source::File(path) if is_gzip_name(path) => {
                let mut file = open_file(path)?;
                let mut magic = Vec::with_capacity(GZIP_MAGIC.len());
                (&mut file).take(2).read_to_end(&mut magic).map_err(|e| Error::io("read", self.name(), e))?;
                // An empty file is empty text, as Python's gzip reads it.
                if magic.is_empty() {
                    return Ok(Box::new(io::empty()));
                }
                if magic != GZIP_MAGIC {
                    let problem = "it is not gzip data (gzip data starts with the bytes 1f 8b)".to_string();
                    return Err(Error::Gzip { path: self.name(), problem });
                }
                Ok(Box::new(Gunzip::new(self.name(), io::Cursor::new(magic).chain(file), max_input_bytes())))
            }
            Source::File(path) => open_file(path).map(|f| Box::new(f) as Box<dyn Read + Send>),
            Source::Memory { bytes, .. } => Ok(Box::new(io::Cursor::new(bytes.clone()))),
        }
    }
}

fn open_file(path: &Path) -> Result<File> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Error::io("read", &name, e))?;
    if meta.is_dir() {
        return Err(Error::IsDirectory { path: name });
    }
    File::open(path).map_err(|e| Error::io("read", &name, e))
}

/// Whether `path` is read through gzip: its name ends in `.gz` (exactly, as sacreBLEU checks it).
fn is_gzip_name(path: &Path) -> bool {
    path.as_os_str().as_encoded_bytes().ends_with(b".gz")
}

/// A `.gz` file's decompressed bytes (any number of gzip members, as Python's
/// `gzip` reads them). Faults of the gzip data and more than `limit`
/// decompressed bytes are tqscore [`Error`]s carried in the `io::Error`
/// ([`Error::io`] takes them out), so that every reader reports them by name.
struct Gunzip {
    name: String,
    decoder: flate2::read::MultiGzDecoder<io::Chain<io::Cursor<Vec<u8>>, File>>,
    /// Decompressed bytes read so far.
    read: u64,
    limit: u64,
}

impl Gunzip {
    fn new(name: String, file: io::Chain<io::Cursor<Vec<u8>>, File>, limit: u64) -> Gunzip {
        Gunzip { name, decoder: flate2::read::MultiGzDecoder::new(file), read: 0, limit }
    }

    /// The error to report for `e`, a failure of the decoder: the operating system's own
    /// errors (reading the file) stay what they are.
    fn fault(&self, e: io::Error) -> io::Error {
        let problem = match e.kind() {
            _ if e.raw_os_error().is_some() => return e,
            io::ErrorKind::UnexpectedEof => "the gzip data ends early (the file is truncated)".to_string(),
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => format!("the gzip data is corrupt ({e})"),
            _ => return e,
        };
        io::Error::other(Error::Gzip { path: self.name.clone(), problem })
    }
}

impl Read for Gunzip {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.decoder.read(buf).map_err(|e| self.fault(e))?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(io::Error::other(Error::TooLarge {
                path: self.name.clone(),
                what: "the decompressed text".into(),
                limit_mb: self.limit >> 20,
            }));
        }
        Ok(n)
    }
}

/// What to do with a UTF-8 byte-order mark at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BomPolicy {
    /// Keep it as the first character of line 1 (sacreBLEU's behaviour).
    Keep,
    /// Drop it (it is an encoding marker, not text).
    Strip,
}

/// A line-by-line reader of one source that checks encoding and reports line numbers.
pub struct LineReader {
    source_name: String,
    reader: BufReader<Box<dyn Read + Send>>,
    raw: Vec<u8>,
    line_no: usize,
    bom: BomPolicy,
    saw_bom: bool,
    saw_cr: bool,
    /// The longest line read ([`max_input_bytes`], read once).
    max_line: u64,
}

impl LineReader {
    /// Open `source` for reading.
    pub fn open(source: &Source, bom: BomPolicy) -> Result<LineReader> {
        Ok(LineReader::from_reader(source.name(), source.open()?, bom))
    }

    /// Read lines from any reader; `name` is used in messages.
    pub fn from_reader(name: impl Into<String>, reader: Box<dyn Read + Send>, bom: BomPolicy) -> LineReader {
        LineReader {
            source_name: name.into(),
            reader: BufReader::with_capacity(1 << 20, reader),
            raw: Vec::new(),
            line_no: 0,
            bom,
            saw_bom: false,
            saw_cr: false,
            max_line: max_input_bytes(),
        }
    }

    /// The source's name for messages.
    pub fn name(&self) -> &str {
        &self.source_name
    }

    /// Number of lines read so far.
    pub fn lines_read(&self) -> usize {
        self.line_no
    }

    /// Whether the text started with a UTF-8 byte-order mark.
    pub fn saw_bom(&self) -> bool {
        self.saw_bom
    }

    /// Whether any line ended in `\r` (CRLF line ends).
    pub fn saw_cr(&self) -> bool {
        self.saw_cr
    }

    /// Append the next line (right-stripped) to `out`; `false` at end of input.
    pub fn read_line_into(&mut self, out: &mut String) -> Result<bool> {
        self.raw.clear();
        if !self.read_raw_line()? {
            return Ok(false);
        }
        self.line_no += 1;
        let mut bytes = &self.raw[..];
        if bytes.last() == Some(&b'\n') {
            bytes = &bytes[..bytes.len() - 1];
        }
        if bytes.last() == Some(&b'\r') {
            self.saw_cr = true;
        }
        if self.line_no == 1 && bytes.starts_with(BOM) {
            self.saw_bom = true;
            if self.bom == BomPolicy::Strip {
                bytes = &bytes[BOM.len()..];
            }
        }
        // `read_raw_line` stops at a NUL byte, so only the last byte can be one.
        let line = decode_line_without_nul(bytes, &self.source_name, self.line_no, bytes.last() == Some(&0))?;
        out.push_str(py_rstrip(line));
        Ok(true)
    }

    /// The next line's bytes (with its `\n`, if any) into `raw`; `false` at
    /// end of input. Stops at a NUL byte (a binary file; the caller's check
    /// names the line) and refuses a line longer than [`max_input_bytes`], so
    /// that an endless stream without line breaks is never read into memory.
    fn read_raw_line(&mut self) -> Result<bool> {
        let limit = self.max_line;
        loop {
            let buf = self.reader.fill_buf().map_err(|e| Error::io("read", &self.source_name, e))?;
            if buf.is_empty() {
                return Ok(!self.raw.is_empty());
            }
            let (take, done) = match memchr::memchr2(b'\n', 0, buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            self.raw.extend_from_slice(&buf[..take]);
            self.reader.consume(take);
            if self.raw.len() as u64 > limit {
                return Err(Error::TooLarge {
                    path: self.source_name.clone(),
                    what: format!("line {}", self.line_no + 1),
                    limit_mb: limit >> 20,
                });
            }
            if done {
                return Ok(true);
            }
        }
    }

    /// Count the lines left without keeping them (used to report line-count mismatches).
    pub fn count_remaining(&mut self) -> Result<usize> {
        let mut count = 0;
        let mut ended_with_newline = true;
        loop {
            let buf = self.reader.fill_buf().map_err(|e| Error::io("read", &self.source_name, e))?;
            if buf.is_empty() {
                break;
            }
            count += buf.iter().filter(|&&b| b == b'\n').count();
            ended_with_newline = buf.last() == Some(&b'\n');
            let len = buf.len();
            self.reader.consume(len);
        }
        if !ended_with_newline {
            count += 1;
        }
        self.line_no += count;
        Ok(count)
    }
}

/// Validate one line's bytes as UTF-8 text (no NUL bytes), naming the place of any fault.
pub fn decode_line<'a>(bytes: &'a [u8], source: &str, line: usize) -> Result<&'a str> {
    decode_line_without_nul(bytes, source, line, bytes.contains(&0))
}

/// [`decode_line`] for a caller who knows whether the line holds a NUL byte
/// (`has_nul`) without searching it again.
fn decode_line_without_nul<'a>(bytes: &'a [u8], source: &str, line: usize, has_nul: bool) -> Result<&'a str> {
    if has_nul {
        return Err(Error::Binary { path: source.to_string(), line });
    }
    std::str::from_utf8(bytes).map_err(|e| Error::InvalidUtf8 {
        path: source.to_string(),
        line,
        column: e.valid_up_to() + 1,
    })
}

/// A whole text read into memory (for articles), with what was noticed while reading.
#[derive(Debug, Clone)]
pub struct Text {
    /// The source's name for messages.
    pub name: String,
    /// The text with `\r\n` and lone `\r` turned into `\n` and any BOM removed.
    pub text: String,
    /// Whether a byte-order mark was removed.
    pub had_bom: bool,
    /// Whether CR line ends were turned into LF.
    pub had_cr: bool,
}

/// The most bytes tqscore reads from one input (a whole article or JSON file,
/// or one line of a corpus file): `TQSCORE_MAX_INPUT_MB` megabytes, 1,024 by default.
pub fn max_input_bytes() -> u64 {
    const DEFAULT_MB: u64 = 1024;
    let mb =
        std::env::var("TQSCORE_MAX_INPUT_MB").ok().and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(DEFAULT_MB);
    mb.saturating_mul(1 << 20)
}

/// All of `reader`'s bytes, at most [`max_input_bytes`]. With `stop_at_nul`
/// reading ends at the first NUL byte (the caller's check then calls the text
/// binary), so a device like `/dev/zero` costs one read.
pub fn read_bounded(name: &str, mut reader: impl Read, stop_at_nul: bool) -> Result<Vec<u8>> {
    let limit = max_input_bytes();
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io("read", name, e)),
        };
        bytes.extend_from_slice(&chunk[..n]);
        if stop_at_nul && chunk[..n].contains(&0) {
            return Ok(bytes);
        }
        if bytes.len() as u64 > limit {
            return Err(Error::TooLarge { path: name.to_string(), what: "the file".into(), limit_mb: limit >> 20 });
        }
    }
}

/// Read a whole article: UTF-8 checked with line numbers, BOM removed, CRLF and CR made LF.
pub fn read_text(source: &Source) -> Result<Text> {
    let name = source.name();
    let bytes = read_bounded(&name, source.open()?, true)?;
    decode_text(name, &bytes)
}

/// [`read_text`] of bytes already in memory; `name` is used in messages.
pub fn decode_text(name: String, bytes: &[u8]) -> Result<Text> {
    let had_bom = bytes.starts_with(BOM);
    let body = if had_bom { &bytes[BOM.len()..] } else { bytes };
    let text = match std::str::from_utf8(body) {
        Ok(s) if !s.contains('\0') => s,
        _ => {
            // Name the first bad line; `\n` never occurs inside a multi-byte character,
            // so some line fails exactly when the whole text does.
            for (i, line) in body.split(|&b| b == b'\n').enumerate() {
                decode_line(line, &name, i + 1)?;
            }
            return Err(Error::InvalidUtf8 { path: name, line: 1, column: 1 });
        }
    };
    let had_cr = text.contains('\r');
    let text = if had_cr { text.replace("\r\n", "\n").replace('\r', "\n") } else { text.to_string() };
    Ok(Text { name, text, had_bom, had_cr })
}

/// The text of a JSON file (thresholds, report, baseline, aliases): a UTF-8
/// byte-order mark is dropped (PowerShell's `Out-File -Encoding utf8` writes
/// one); UTF-16 (PowerShell 5's `>` writes it) and other non-UTF-8 text are
/// refused with a hint on converting it.
pub fn decode_json(name: &str, mut bytes: Vec<u8>) -> Result<String> {
    // UTF-16 without a byte-order mark: ASCII text has a NUL in every other byte.
    let utf16 = bytes.starts_with(b"\xFF\xFE")
        || bytes.starts_with(b"\xFE\xFF")
        || bytes.get(..2).is_some_and(|b| (b[0] == 0) != (b[1] == 0));
    if utf16 {
        return Err(Error::Json {
            path: name.to_string(),
            message:
                "the file is UTF-16 text, but JSON files must be UTF-8\n  hint: PowerShell 5's `>` writes UTF-16; \
                      write the file with `| Out-File -Encoding utf8 FILE`, or convert it with \
                      `iconv -f UTF-16 -t UTF-8 FILE > fixed.json`"
                    .to_string(),
        });
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::Binary { path: name.to_string(), line });
    }
    if bytes.starts_with(BOM) {
        bytes.drain(..BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| Error::Json {
        path: name.to_string(),
        message: format!(
            "invalid UTF-8 at byte {} of the file; JSON files must be UTF-8\n  hint: convert it, e.g. \
             `iconv -f WINDOWS-1252 -t UTF-8 FILE > fixed.json`",
            e.utf8_error().valid_up_to() + 1
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn reader_over(bytes: &[u8], bom: BomPolicy) -> LineReader {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        // The open handle keeps the data readable after the temporary file is removed.
        LineReader::open(&Source::File(f.path().to_path_buf()), bom).unwrap()
    }

    fn all_lines(r: &mut LineReader) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        loop {
            let mut s = String::new();
            if !r.read_line_into(&mut s)? {
                return Ok(lines);
            }
            lines.push(s);
        }
    }

    #[test]
    fn crlf_and_trailing_whitespace_are_stripped_like_sacrebleu() {
        let mut r = reader_over(b"a b \r\n\r\nc\x1f\n d", BomPolicy::Keep);
        assert_eq!(all_lines(&mut r).unwrap(), ["a b", "", "c", " d"]);
        assert!(r.saw_cr());
    }

    #[test]
    fn bom_is_kept_or_stripped_on_request() {
        let mut keep = reader_over(b"\xEF\xBB\xBFx\n", BomPolicy::Keep);
        assert_eq!(all_lines(&mut keep).unwrap(), ["\u{feff}x"]);
        assert!(keep.saw_bom());
        let mut strip = reader_over(b"\xEF\xBB\xBFx\n", BomPolicy::Strip);
        assert_eq!(all_lines(&mut strip).unwrap(), ["x"]);
    }

    #[test]
    fn invalid_utf8_and_nul_name_the_line() {
        let mut r = reader_over(b"ok\nbad \xff here\n", BomPolicy::Keep);
        let err = all_lines(&mut r).unwrap_err().to_string();
        assert!(err.contains(":2: invalid UTF-8 at byte 5"), "{err}");
        let mut r = reader_over(b"ok\nok\n\x00\x01", BomPolicy::Keep);
        let err = all_lines(&mut r).unwrap_err().to_string();
        assert!(err.contains(":3: contains a NUL byte"), "{err}");
    }

    /// `bytes` gzip-compressed, in a temporary folder as `name` (kept alive by the folder).
    fn gz_file(bytes: &[u8], name: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        std::fs::write(&path, encoder.finish().unwrap()).unwrap();
        (dir, path)
    }

    #[test]
    fn gz_files_are_read_decompressed_with_every_check() {
        let (_dir, path) = gz_file(b"\xEF\xBB\xBFa b \r\n\r\nc\n d", "t.txt.gz");
        let mut r = LineReader::open(&Source::File(path.clone()), BomPolicy::Keep).unwrap();
        assert_eq!(all_lines(&mut r).unwrap(), ["\u{feff}a b", "", "c", " d"]);
        assert!(r.saw_cr() && r.saw_bom());
        let text = read_text(&Source::File(path)).unwrap();
        assert_eq!(text.text, "a b \n\nc\n d");
        let (_dir, path) = gz_file(b"ok\nbad \xff here\n", "latin1.gz");
        let err = read_text(&Source::File(path)).unwrap_err().to_string();
        assert!(err.contains("latin1.gz:2: invalid UTF-8 at byte 5"), "{err}");
        // Only a name ending in `.gz` is decompressed, as sacreBLEU decides.
        let (_dir, path) = gz_file(b"x\n", "t.GZ");
        let err = read_text(&Source::File(path)).unwrap_err().to_string();
        assert!(err.contains("t.GZ:1: "), "{err}");
    }

    #[test]
    fn gz_members_follow_each_other_and_an_empty_file_is_empty() {
        let (_dir, first) = gz_file(b"one\n", "a.gz");
        let (_other, second) = gz_file(b"two\n", "b.gz");
        let both = [std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap()].concat();
        std::fs::write(&first, both).unwrap();
        assert_eq!(read_text(&Source::File(first.clone())).unwrap().text, "one\ntwo\n");
        std::fs::write(&first, b"").unwrap();
        assert_eq!(read_text(&Source::File(first)).unwrap().text, "");
    }

    #[test]
    fn bad_gz_data_is_an_error_naming_the_file() {
        let (_dir, path) = gz_file(&b"a line of text\n".repeat(1000), "c.gz");
        let good = std::fs::read(&path).unwrap();
        let mut corrupt = good.clone();
        corrupt[20] ^= 0xFF;
        let cases: [(&[u8], &str); 5] = [
            (&corrupt, "the gzip data is corrupt"),
            (&good[..good.len() / 2], "the gzip data ends early"),
            (b"plain text\n", "it is not gzip data"),
            (b"\x1F", "it is not gzip data"),
            (b"\x1F\x8B\x08", "the gzip data ends early"),
        ];
        for (bytes, problem) in cases {
            std::fs::write(&path, bytes).unwrap();
            let source = Source::File(path.clone());
            let name = path.display().to_string();
            for err in [
                read_text(&source).unwrap_err(),
                LineReader::open(&source, BomPolicy::Keep).and_then(|mut r| all_lines(&mut r)).unwrap_err(),
            ] {
                assert!(matches!(err, Error::Gzip { .. }), "{err:?}");
                let message = err.to_string();
                assert!(message.starts_with(&format!("{name}: {problem}")) && message.contains("gzip -t"), "{message}");
            }
        }
    }

    #[test]
    fn gz_text_is_bounded_as_a_whole() {
        let (_dir, path) = gz_file(&b"a\n".repeat(3 << 19), "bomb.gz");
        let file = io::Cursor::new(Vec::new()).chain(File::open(&path).unwrap());
        let gunzip = Gunzip::new("bomb.gz".into(), file, 1 << 20);
        let mut r = LineReader::from_reader("bomb.gz", Box::new(gunzip), BomPolicy::Keep);
        let err = all_lines(&mut r).unwrap_err();
        assert!(
            matches!(&err, Error::TooLarge { what, limit_mb: 1, .. } if what == "the decompressed text"),
            "{err:?}"
        );
        assert!(r.lines_read() <= 1 << 19, "{} lines", r.lines_read());
    }

    #[test]
    fn counting_remaining_lines_matches_python_line_iteration() {
        let mut r = reader_over(b"a\nb\nc", BomPolicy::Keep);
        let mut s = String::new();
        r.read_line_into(&mut s).unwrap();
        assert_eq!(r.count_remaining().unwrap(), 2);
        assert_eq!(r.lines_read(), 3);
    }
}
