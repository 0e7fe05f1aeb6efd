//! Which article pairs a test set holds: a pairs list (`PAIRS.tsv`) or two
//! folders whose files of the same name pair up.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// One article pair of a test set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairSpec {
    /// The pair's id in reports and gate messages (unique in the set).
    pub id: String,
    /// The reference article's path.
    pub reference: PathBuf,
    /// The candidate article's path.
    pub candidate: PathBuf,
    /// Where the pair was listed (`pairs.tsv:7`), for messages; none for folder pairs.
    pub listed_at: Option<String>,
}

/// One line of a list of files: its id, its paths (relative ones resolved
/// against the list's folder) and where it is (`pairs.tsv:7`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The id (the last column, or the last path as written).
    pub id: String,
    /// The paths, in column order.
    pub paths: Vec<PathBuf>,
    /// `list:line`.
    pub listed_at: String,
}

/// Parse a TAB-separated list of files: per line, one path per name in
/// `columns` (`["reference", "candidate"]`), optionally then an id; relative
/// paths are relative to `base` (the list's folder); blank lines and lines
/// starting with `#` are skipped. The id defaults to the last path as written
/// and must be unique. Every problem names its line of `list`.
pub fn parse_listing(list: &str, text: &str, base: &Path, columns: &[&str]) -> Result<Vec<Listed>> {
    let layout = columns.iter().map(|c| c.to_uppercase()).collect::<Vec<_>>().join("<TAB>");
    let mut listed: Vec<Listed> = Vec::new();
    let mut first_line_of_id = std::collections::HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let at = format!("{list}:{}", i + 1);
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        if !(columns.len()..=columns.len() + 1).contains(&fields.len()) {
            let hint = if fields.len() == 1 && line.contains(' ') {
                "separate the fields with a TAB character, not spaces".to_string()
            } else {
                format!("write {layout}, optionally <TAB>ID, one per line (`#` starts a comment)")
            };
            return Err(Error::Usage(format!(
                "{at}: expected {} or {} TAB-separated fields ({}, id), found {}\n  hint: {hint}",
                columns.len(),
                columns.len() + 1,
                columns.join(", "),
                fields.len()
            )));
        }
        if let Some(k) = fields.iter().position(|f| f.trim().is_empty()) {
            let which = columns.get(k).map_or_else(|| "id".to_string(), |c| format!("{c} path"));
            return Err(Error::Usage(format!(
                "{at}: the {which} is empty\n  hint: write {layout}[<TAB>ID] with no empty field"
            )));
        }
        let id = fields.get(columns.len()).unwrap_or(&fields[columns.len() - 1]).trim().to_string();
        if let Some(first) = first_line_of_id.insert(id.clone(), i + 1) {
            return Err(Error::Usage(format!(
                "{at}: the id `{id}` is already used on line {first}\n  hint: give each line a unique id in \
                 its last column"
            )));
        }
        let path = |field: &str| {
            let path = Path::new(field.trim());
            if path.is_absolute() {
                path.to_path_buf()
            } else {
                base.join(path)
            }
        };
        listed.push(Listed { id, paths: fields[..columns.len()].iter().map(|f| path(f)).collect(), listed_at: at });
    }
    if listed.is_empty() {
        return Err(Error::Empty {
            path: list.to_string(),
            what: "the list has no entry (only blank or comment lines)".into(),
            hint: format!("write one {layout}[<TAB>ID] line per article"),
        });
    }
    Ok(listed)
}

/// Parse a pairs list: `REFERENCE<TAB>CANDIDATE[<TAB>ID]` per line (see [`parse_listing`]).
pub fn parse_pairs(list: &str, text: &str, base: &Path) -> Result<Vec<PairSpec>> {
    let listed = parse_listing(list, text, base, &["reference", "candidate"])?;
    Ok(listed
        .into_iter()
        .map(|l| {
            let [reference, candidate]: [PathBuf; 2] = l.paths.try_into().unwrap_or_default();
            PairSpec { id: l.id, reference, candidate, listed_at: Some(l.listed_at) }
        })
        .collect())
}

/// Pairs of two folders: the files of the same name, in byte order of their
/// names, with the files that have no partner on the other side.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderPairs {
    /// Files present in both folders (id: the file name).
    pub pairs: Vec<PairSpec>,
    /// Reference files with no candidate of the same name.
    pub reference_only: Vec<String>,
    /// Candidate files with no reference of the same name.
    pub candidate_only: Vec<String>,
}

/// The regular files of `dir` (links followed), by name; hidden files (`.name`) are skipped.
fn file_names(dir: &Path) -> Result<BTreeSet<String>> {
    let entries = fs::read_dir(dir).map_err(|e| Error::io("read", dir.display(), e))?;
    let mut names = BTreeSet::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read", dir.display(), e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            return Err(Error::Usage(format!(
                "{}: the file name {:?} is not valid UTF-8\n  hint: rename it, or list the pairs in a PAIRS.tsv \
                 (--pairs)",
                dir.display(),
                entry.file_name()
            )));
        };
        if !name.starts_with('.') && fs::metadata(entry.path()).is_ok_and(|m| m.is_file()) {
            names.insert(name.to_string());
        }
    }
    Ok(names)
}

/// Pair the files of `reference_dir` and `candidate_dir` by name.
pub fn pair_folders(reference_dir: &Path, candidate_dir: &Path) -> Result<FolderPairs> {
    let (references, candidates) = (file_names(reference_dir)?, file_names(candidate_dir)?);
    let pairs = references
        .intersection(&candidates)
        .map(|name| PairSpec {
            id: name.clone(),
            reference: reference_dir.join(name),
            candidate: candidate_dir.join(name),
            listed_at: None,
        })
        .collect();
    Ok(FolderPairs {
        pairs,
        reference_only: references.difference(&candidates).cloned().collect(),
        candidate_only: candidates.difference(&references).cloned().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pairs_list_resolves_paths_and_ids() {
        let text = "# set of two\nref/a.txt\tcand/a.txt\n\n/abs/r.txt\t/abs/c.txt\tsecond\n";
        let pairs = parse_pairs("set/pairs.tsv", text, Path::new("set")).unwrap();
        assert_eq!(pairs.len(), 2);
        assert_eq!(pairs[0].id, "cand/a.txt");
        assert_eq!(pairs[0].reference, Path::new("set/ref/a.txt"));
        assert_eq!(pairs[0].listed_at.as_deref(), Some("set/pairs.tsv:2"));
        assert_eq!((pairs[1].id.as_str(), pairs[1].candidate.as_path()), ("second", Path::new("/abs/c.txt")));
    }

    #[test]
    fn bad_lines_are_named_with_what_to_do() {
        let err = |text: &str| parse_pairs("p.tsv", text, Path::new(".")).unwrap_err().to_string();
        assert!(err("a.txt b.txt\n").starts_with("p.tsv:1: expected 2 or 3"), "{}", err("a.txt b.txt\n"));
        assert!(err("a.txt b.txt\n").contains("TAB character, not spaces"));
        assert!(err("r\tc\tx\nr2\tc2\tx\n").starts_with("p.tsv:2: the id `x` is already used on line 1"));
        let triples = parse_listing("t.tsv", "r\tb\tc\n", Path::new("d"), &["reference", "baseline", "candidate"]);
        assert_eq!(triples.unwrap()[0].paths[2], Path::new("d/c"));
        assert!(err("r\t\n").contains("p.tsv:1: the candidate path is empty"));
        assert!(err("# nothing\n").contains("the list has no entry"));
    }
}
