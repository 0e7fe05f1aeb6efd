//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod name_eval;

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

/// A Chinese article pair of real text in `dir` (`ref.zh`, `cand.zh`): `take` source
/// lines of wmt22 zh-en from line `skip` as the reference, and as the candidate the same
/// lines without every `nth` character (same segmentation, worse text).
pub fn chinese_pair(dir: &Path, skip: usize, take: usize, nth: usize) -> (PathBuf, PathBuf) {
    let source = std::fs::read_to_string(realmt_dir().join("wmt22.zh-en.src.txt")).unwrap();
    let reference: Vec<&str> = source.lines().skip(skip).take(take).collect();
    let candidate: Vec<String> = reference
        .iter()
        .map(|l| l.chars().enumerate().filter(|(i, _)| i % nth != nth - 1).map(|(_, c)| c).collect())
        .collect();
    let (ref_path, cand_path) = (dir.join("ref.zh"), dir.join("cand.zh"));
    std::fs::write(&ref_path, reference.join("\n") + "\n").unwrap();
    std::fs::write(&cand_path, candidate.join("\n") + "\n").unwrap();
    (ref_path, cand_path)
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

/// One bead of a gold alignment file: reference and candidate sentence texts.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldBead {
    pub reference: Vec<String>,
    pub candidate: Vec<String>,
}

/// Parse a gold alignment (`fixtures/align/README.md`): blocks of `R| ` and `C| ` lines.
pub fn read_gold(path: &Path) -> Vec<GoldBead> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut beads = Vec::new();
    let mut bead = GoldBead { reference: Vec::new(), candidate: Vec::new() };
    for line in text.lines().chain(std::iter::once("")) {
        if line.starts_with('#') {
            continue;
        }
        if let Some(r) = line.strip_prefix("R| ") {
            bead.reference.push(r.to_string());
        } else if let Some(c) = line.strip_prefix("C| ") {
            bead.candidate.push(c.to_string());
        } else if line.trim().is_empty() {
            if !bead.reference.is_empty() || !bead.candidate.is_empty() {
                beads.push(std::mem::replace(&mut bead, GoldBead { reference: Vec::new(), candidate: Vec::new() }));
            }
        } else {
            panic!("{}: unexpected line {line:?}", path.display());
        }
    }
    beads
}

/// The case folders under `fixtures/<dir>` that hold `file`, sorted.
fn cases_with(dir: &str, file: &str) -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixture(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join(file).is_file())
        .collect();
    cases.sort();
    cases
}

/// Every article pair with a gold alignment: the seed and `fixtures/align/*`.
pub fn gold_cases() -> Vec<PathBuf> {
    let mut cases = vec![fixture("seed")];
    cases.extend(cases_with("align", "gold.txt"));
    cases
}

/// Check `value` against a JSON Schema subset (type, properties, required,
/// additionalProperties (false or a schema), items, minItems, maxItems, enum,
/// minimum, anyOf, and `$ref` to another file of `docs/`, like
/// `report-schema.json#/properties/document`); returns the JSON paths that do
/// not conform. Our schemas use only this subset, so the check keeps them and
/// the real output in sync in both directions.
pub fn schema_violations(value: &serde_json::Value, schema: &serde_json::Value, path: &str) -> Vec<String> {
    use serde_json::Value;
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let document = read_json(&root().join("docs").join(file));
        let target = document.pointer(pointer).unwrap_or_else(|| panic!("{path}: $ref {reference} points nowhere"));
        return schema_violations(value, target, path);
    }
    let mut errors = Vec::new();
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = allowed.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "number" => value.is_number(),
            "integer" => value.is_u64() || value.is_i64(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{path}: {value} is not of type {types}"));
            return errors;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(x)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64()) {
        if x < min {
            errors.push(format!("{path}: {value} is below the minimum {min}"));
        }
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        if options.iter().all(|option| !schema_violations(value, option, path).is_empty()) {
            errors.push(format!("{path}: matches none of the anyOf schemas"));
        }
    }
    if let Value::Object(map) = value {
        let props = schema.get("properties").and_then(Value::as_object);
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !map.contains_key(key.as_str().unwrap()) {
                errors.push(format!("{path}.{}: required but missing", key.as_str().unwrap()));
            }
        }
        for (k, v) in map {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => errors.extend(schema_violations(v, sub, &format!("{path}.{k}"))),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{path}.{k}: not declared in the schema")),
                    Some(sub @ Value::Object(_)) => errors.extend(schema_violations(v, sub, &format!("{path}.{k}"))),
                    _ => {}
                },
            }
        }
    }
    if let Value::Array(items) = value {
        if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
            if (items.len() as u64) < min {
                errors.push(format!("{path}: fewer than {min} items"));
            }
        }
        if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
            if items.len() as u64 > max {
                errors.push(format!("{path}: more than {max} items"));
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                errors.extend(schema_violations(item, item_schema, &format!("{path}[{i}]")));
            }
        }
    }
    errors
}

/// Every article pair with a gold list of name errors: `fixtures/names/*`.
pub fn name_cases() -> Vec<PathBuf> {
    cases_with("names", "gold.json")
}

/// TER with each of sacreBLEU's four options (`case_sensitive`, `no_punct`,
/// `normalized`, `asian_support`) as `flag` gives it.
pub fn ter_with(flag: impl Fn(&str) -> bool) -> tqscore::metrics::Ter {
    tqscore::metrics::Ter {
        case_sensitive: flag("case_sensitive"),
        no_punct: flag("no_punct"),
        normalized: flag("normalized"),
        asian_support: flag("asian_support"),
        ..tqscore::metrics::Ter::DEFAULT
    }
}

/// The text that tries to run a script in a report: a `<script>` element and
/// an image whose error handler would run, each setting `window.__pwned`.
pub const HOSTILE: &str =
    "Hostile text <script>window.__pwned=1</script> and <img src=x onerror=\"window.__pwned=2\"> ends here.";

/// The seed pair with a paragraph of [`HOSTILE`] text appended to both sides,
/// written into `dir`: (reference, candidate).
pub fn hostile_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let write = |name: &str| {
        let text = std::fs::read_to_string(fixture(&format!("seed/{name}"))).unwrap();
        let path = dir.join(format!("hostile-{name}"));
        std::fs::write(&path, format!("{text}\n\n{HOSTILE}\n")).unwrap();
        path
    };
    (write("reference.txt"), write("candidate.txt"))
}

/// A real WMT document as an article pair, written into `dir`: the first
/// wmt21 ru-en document of at least 12 lines (grouped by `docids.txt`), the
/// reference and the Facebook-AI system, one paragraph per line: (reference, candidate).
pub fn wmt_document(dir: &Path) -> (PathBuf, PathBuf) {
    let realmt = realmt_dir();
    let read = |name: &str| std::fs::read_to_string(realmt.join(format!("wmt21.ru-en.{name}.txt"))).unwrap();
    let (docids, reference, candidate) = (read("docids"), read("ref"), read("sys.Facebook-AI"));
    let ids: Vec<&str> = docids.lines().collect();
    let (reference, candidate): (Vec<&str>, Vec<&str>) = (reference.lines().collect(), candidate.lines().collect());
    let mut start = 0;
    while start < ids.len() {
        let end = start + ids[start..].iter().take_while(|id| **id == ids[start]).count();
        if end - start >= 12 {
            let write = |side: &str, lines: &[&str]| {
                let path = dir.join(format!("wmt21-{}-{side}.txt", ids[start].replace(['/', ' '], "_")));
                std::fs::write(&path, lines.join("\n\n") + "\n").unwrap();
                path
            };
            return (write("reference", &reference[start..end]), write("candidate", &candidate[start..end]));
        }
        start = end;
    }
    panic!("no wmt21 ru-en document of 12 lines in {}", realmt.display());
}
