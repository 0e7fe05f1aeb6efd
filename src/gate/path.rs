//! Paths into a report: `document.bleu.score`, `pairs.0.bleu`,
//! `unaligned.candidate.length`, and `articles.*.document.bleu.score` (every
//! item of an array), with messages that name the deepest part that exists.

use serde_json::Value;

use super::{count, did_you_mean, ranked, value_kind};

/// The JSON path of `key` in the object at `path` (`$.document.bleu`, `$["chrf++"]`).
pub(super) fn member(path: &str, key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        format!("{path}.{key}")
    } else {
        format!("{path}[{}]", serde_json::to_string(key).unwrap_or_default())
    }
}

/// A number found in a report.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Found {
    /// Its value.
    pub value: f64,
    /// Whether it is an integer in the JSON (a count or a length): compared exactly.
    pub integer: bool,
}

/// The dotted path `prefix.key` (just `key` at the top level).
pub(super) fn child(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// `prefix` as messages name it.
fn place(prefix: &str) -> String {
    if prefix.is_empty() {
        "the top level".to_string()
    } else {
        format!("`{prefix}`")
    }
}

/// Why a path gave no number.
#[derive(Debug, Clone, PartialEq)]
pub enum Unresolved {
    /// The path fits reports of this kind, but this one has no value there: a
    /// null on the way or at the end (nothing was measured, like `names.recall`
    /// of an article without names), or an index past an array's end. The
    /// rule's level decides what that does.
    Absent(String),
    /// The path does not fit the report (a key it lacks, a value that is not a
    /// number): the thresholds file must change.
    Invalid(String),
}

impl Unresolved {
    /// The explanation, for messages.
    pub fn why(&self) -> &str {
        match self {
            Unresolved::Absent(why) | Unresolved::Invalid(why) => why,
        }
    }
}

/// Follow a dotted path into a report: segments are object keys or array
/// indices, and a final `length` on an array is its length. On failure, says
/// why, naming the deepest part of the path that exists and the valid paths
/// there, best matches first.
pub fn resolve(report: &Value, path: &str) -> std::result::Result<Found, Unresolved> {
    use Unresolved::{Absent, Invalid};
    let segments: Vec<&str> = path.split('.').collect();
    let mut here = report;
    for (i, segment) in segments.iter().copied().enumerate() {
        let prefix = segments[..i].join(".");
        let last = i + 1 == segments.len();
        here = match here {
            Value::Object(map) => match map.get(segment) {
                Some(value) => value,
                None => {
                    let order = ranked(segment, map.keys().map(String::as_str));
                    let paths: Vec<String> = order.iter().map(|k| child(&prefix, k)).collect();
                    let mut why = format!("{} has no key `{segment}`", place(&prefix));
                    if !paths.is_empty() {
                        why.push_str(&format!("\n  valid paths there, best matches first: {}", paths.join(", ")));
                    }
                    if let Some(best) = did_you_mean(segment, &order) {
                        why.push_str(&format!("\n  hint: did you mean `{}`?", child(&prefix, best)));
                    }
                    return Err(Invalid(why));
                }
            },
            Value::Array(items) if segment == "length" && last => {
                return Ok(Found { value: items.len() as f64, integer: true })
            }
            Value::Array(items) => match array_index(segment) {
                Some(k) if k < items.len() => &items[k],
                Some(_) => {
                    return Err(Absent(format!(
                        "`{prefix}` has {}, so it has no item {segment}",
                        count(items.len(), "item")
                    )))
                }
                None => {
                    return Err(Invalid(format!(
                        "`{segment}` is not an index of the array `{prefix}`\n  hint: write an index without sign \
                         or leading zeros (`{}`), or `{}` for its length",
                        child(&prefix, "0"),
                        child(&prefix, "length")
                    )))
                }
            },
            Value::Null => return Err(Absent(null_here(&prefix))),
            other => {
                return Err(Invalid(format!(
                    "`{prefix}` is {}, so nothing can follow it\n  hint: end the path at `{prefix}`",
                    value_kind(other)
                )))
            }
        };
    }
    match here {
        Value::Number(n) => n
            .as_f64()
            .map(|value| Found { value, integer: !n.is_f64() })
            .ok_or_else(|| Invalid(format!("`{path}` ({n}) is not representable as a number"))),
        Value::Null => Err(Absent(null_here(path))),
        Value::Array(_) => Err(Invalid(format!(
            "`{path}` is an array, not a number\n  hint: gate its length with `{}`, or an item with `{}`",
            child(path, "length"),
            child(path, "0")
        ))),
        Value::Object(map) => {
            let numeric: Vec<String> = map.iter().filter(|(_, v)| v.is_number()).map(|(k, _)| child(path, k)).collect();
            let hint = if numeric.is_empty() {
                format!("its keys: {}", map.keys().map(|k| child(path, k)).collect::<Vec<_>>().join(", "))
            } else {
                format!("its numbers: {}", numeric.join(", "))
            };
            Err(Invalid(format!("`{path}` is an object, not a number\n  hint: {hint}")))
        }
        other => Err(Invalid(format!("`{path}` is {}, not a number\n  hint: gate a numeric field", value_kind(other)))),
    }
}

/// A path segment as an array index: decimal digits without sign or leading
/// zeros, so that each item has one path (`pairs.0`, never `pairs.00` or `pairs.+0`).
pub(super) fn array_index(segment: &str) -> Option<usize> {
    let canonical = segment == "0" || (!segment.starts_with('0') && segment.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| segment.parse().ok()).flatten()
}

/// A path with a `*` segment, split around it: `articles.*.document.bleu.score`
/// → (`articles`, `document.bleu.score`).
pub(super) fn split_wildcard(path: &str) -> Option<(&str, &str)> {
    path.split_once(".*.")
}

/// The items of the array at `prefix`, which a `*` segment stands for.
pub(super) fn wildcard_items<'a>(report: &'a Value, prefix: &str) -> std::result::Result<&'a [Value], Unresolved> {
    let mut here = report;
    let mut walked = String::new();
    for segment in prefix.split('.') {
        let next = match here {
            Value::Object(map) => map.get(segment),
            Value::Array(items) => array_index(segment).and_then(|k| items.get(k)),
            _ => None,
        };
        walked = child(&walked, segment);
        here = next.ok_or_else(|| Unresolved::Invalid(format!("the report has no `{walked}`")))?;
    }
    match here {
        Value::Array(items) => Ok(items),
        other => Err(Unresolved::Invalid(format!(
            "`{prefix}` is {}, not an array, so `*` cannot follow it\n  hint: `*` stands for every item of an \
             array, as in `articles.*.document.bleu.score`",
            value_kind(other)
        ))),
    }
}

/// How messages name item `k` of a `*` path: by its `id` when it has one.
pub(super) fn item_label(item: &Value) -> Option<String> {
    item.get("id").and_then(Value::as_str).map(|id| format!("id `{id}`"))
}

/// Why `path` has no value: it is null, and for a confidence interval what makes one.
fn null_here(path: &str) -> String {
    let why = if path.ends_with("ci95") || path.contains(".ci95.") || path.ends_with(".ci") {
        "no interval was computed: the run had no bootstrap resamples (`--bootstrap 0`) or no pairs to resample"
    } else {
        "nothing was measured there"
    };
    format!("`{path}` is null ({why})")
}
