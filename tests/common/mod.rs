//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `fixtures/`.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// The real WMT data (`../shared/data/realmt`, or `$TQSCORE_REALMT_DIR`).
///
/// It is research-use data kept beside the repository, not inside it. CI always
/// has it; a test that needs it fails with a clear message when it is absent.
pub fn realmt_dir() -> PathBuf {
    let dir = std::env::var_os("TQSCORE_REALMT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/data/realmt"));
    assert!(dir.join("README.md").is_file(), "real MT data not found at {} (set TQSCORE_REALMT_DIR)", dir.display());
    dir
}

/// Read a JSON file.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The signature without tqscore's own trailing `|tqscore:x.y.z` entry.
pub fn sacrebleu_part(signature: &str) -> &str {
    signature.split("|tqscore:").next().unwrap()
}
