//! Quality gates: a thresholds file decides whether a JSON report passes.
//!
//! A thresholds file maps dotted paths into a JSON report (`document.bleu.score`,
//! `summary.bleu.p10`, `unaligned.candidate.length`, or `bleu.score` for
//! `tqscore corpus`) to rules with `min`, `max` and, against a baseline report,
//! `max_drop` and `max_rise` bounds. Every bound becomes one assertion; all are
//! evaluated before the verdict, which fails only on error-level assertions
//! (`"level": "warn"` ones are reported but pass).
//!
//! The gate works on the report's JSON ([`serde_json::Value`]), not on Rust types,
//! so gating a run directly and gating the report it saved give the same result,
//! and any field a report has can be gated without code changes here.
//!
//! **Precision rule.** A float is compared after rounding it to the number of
//! decimals written in the bound, at least [`MIN_DECIMALS`] (`"min": 70` compares
//! `69.996` as `70.00` and passes; `"min": 25.386` compares `25.3854` as `25.385`
//! and fails). The rounded value is what is printed, so a table never says
//! "70.00 failed min 70". Fractions in [0, 1] are rounded to at least
//! [`MIN_FRACTION_DECIMALS`], finer than reports print them, so no fraction
//! passes that the report shows failing. Integers (counts, lengths) are compared exactly.
//! See `docs/ci.md`.

use std::collections::HashSet;
use std::fmt::{self, Write};

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::error::{Error, Result, EXIT_GATE_FAILED, EXIT_OK};
use crate::text::{pad_end, pad_start};
use crate::untrusted::for_terminal;

mod path;

use path::{child, member};
pub use path::{resolve, Found, Unresolved};

/// Fewest decimals a float is rounded to before comparing, whatever the bound's
/// spelling: scores are read at two decimals, as sacreBLEU prints them.
pub const MIN_DECIMALS: usize = 2;

/// Fewest decimals a fraction is rounded to (a value in [0, 1] checked against
/// a bound in [0, 1], like `document.coverage` or `names.recall`). Reports print
/// fractions with two decimals or as percentages with one (three decimals of
/// the fraction); one decimal more than either means a fraction the report shows
/// failing a bound fails it here too (coverage 0.999, "99.9%", fails `"min": 1`).
pub const MIN_FRACTION_DECIMALS: usize = 4;

/// Most decimals a float is rounded to: more is beyond an `f64`'s precision.
pub const MAX_DECIMALS: usize = 17;

/// Most GitHub annotations printed per run: GitHub shows only ten errors and
/// ten warnings per step, so more would be lost without notice.
pub const MAX_ANNOTATIONS: usize = 10;

/// The `level` key and the bound keys: every key a rule may have.
const RULE_KEYS: [&str; 6] = ["min", "max", "max_drop", "max_rise", "level", "significant"];

/// The prefix of a comparison's differences (`tqscore compare`), the only
/// paths `significant` applies to, and where their p-values are.
const DELTA_PREFIX: &str = "delta.";
const P_VALUE_PREFIX: &str = "p_value.";

/// Similarity (normalised Damerau-Levenshtein) from which a name is offered as
/// "did you mean": one edit in a short word, a few in a long one.
const SUGGEST_SIMILARITY: f64 = 0.5;

/// Whether a failed assertion fails the gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// A failure fails the gate (exit code 1); the default.
    Error,
    /// A failure is reported but the gate still passes.
    Warn,
}

/// The kind of a bound, as keyed in the thresholds file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// The value must be at least the bound.
    Min,
    /// The value must be at most the bound.
    Max,
    /// The value may be at most this much below the baseline's.
    MaxDrop,
    /// The value may be at most this much above the baseline's.
    MaxRise,
}

impl RuleKind {
    /// The key in the thresholds file (also the `rule` field of the JSON outcome).
    pub fn key(self) -> &'static str {
        match self {
            RuleKind::Min => "min",
            RuleKind::Max => "max",
            RuleKind::MaxDrop => "max_drop",
            RuleKind::MaxRise => "max_rise",
        }
    }

    /// The bound kind a thresholds-file key names, if it names one.
    fn from_key(key: &str) -> Option<RuleKind> {
        [RuleKind::Min, RuleKind::Max, RuleKind::MaxDrop, RuleKind::MaxRise].into_iter().find(|k| k.key() == key)
    }

    /// Whether the bound is relative to a baseline report.
    pub fn is_relative(self) -> bool {
        matches!(self, RuleKind::MaxDrop | RuleKind::MaxRise)
    }
}

/// A bound's number, kept as written so that it is printed as written and its
/// decimals set the comparison precision.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The number.
    pub value: f64,
    /// Its text in the thresholds file (`70`, `25.50`).
    pub written: String,
    /// Decimals a float is rounded to before comparing: those written, at least
    /// [`MIN_DECIMALS`] and at most [`MAX_DECIMALS`].
    pub decimals: usize,
}

impl Bound {
    /// Read a bound from its JSON text (which must be a JSON number).
    fn parse(written: &str) -> Option<Bound> {
        let value: f64 = written.parse().ok().filter(|v: &f64| v.is_finite())?;
        let decimals = decimals_written(written).max(MIN_DECIMALS);
        Some(Bound { value, written: written.to_string(), decimals })
    }
}

/// How many decimals a JSON number is written with (`25.50` → 2, `1e2` → 0,
/// `5e-3` → 3), at most [`MAX_DECIMALS`].
fn decimals_written(number: &str) -> usize {
    let (mantissa, exponent) = match number.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i64>().unwrap_or(0)),
        None => (number, 0),
    };
    let fraction = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i64;
    fraction.saturating_sub(exponent).clamp(0, MAX_DECIMALS as i64) as usize
}

/// One entry of a thresholds file: the bounds on the value at one report path.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Dotted path into the report (`document.bleu.score`).
    pub path: String,
    /// Whether a failure fails the gate.
    pub level: Level,
    /// The bounds, in the order written.
    pub bounds: Vec<(RuleKind, Bound)>,
    /// `significant`: a failed bound on a `delta.*` path of a comparison counts
    /// only when the difference's p-value (at `p_value.*`) is below this.
    pub significant: Option<f64>,
}

/// A parsed thresholds file.
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholds {
    /// The file's name, for messages.
    pub file: String,
    /// The rules, in file order.
    pub rules: Vec<Rule>,
}

/// The members of a JSON object in file order, each value as written; this keeps
/// bounds' spelling (for the precision rule) and duplicate keys (to reject them).
struct Members(Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Members, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Box<RawValue>>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// The first key that appears twice at the top level of a JSON object's text,
/// if any (JSON parsers keep only one of them, silently).
pub fn repeated_key(text: &str) -> Option<String> {
    let Members(members) = serde_json::from_str(text).ok()?;
    let mut seen = HashSet::new();
    members.into_iter().map(|(key, _)| key).find(|key| !seen.insert(key.clone()))
}

/// What kind of JSON value a raw text is, as a phrase for messages.
fn raw_kind(raw: &RawValue) -> &'static str {
    // Raw values come from parsed JSON; only a number beyond an f64's range fails here.
    serde_json::from_str::<Value>(raw.get()).map_or("a number out of range", |v| value_kind(&v))
}

/// What kind of JSON value `value` is, as a phrase for messages.
fn value_kind(value: &Value) -> &'static str {
    match value {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        Value::Bool(_) => "a boolean",
        Value::Null => "null",
        Value::Number(_) => "a number",
    }
}

/// The JSON path of a rule (`$["document.bleu.score"]`) or of one of its keys
/// (`$["document.bleu.score"].min`), as messages name places in the thresholds file.
fn json_path(rule: &str, key: Option<&str>) -> String {
    let path = format!("$[{}]", serde_json::to_string(rule).unwrap_or_else(|_| format!("\"{rule}\"")));
    key.map_or_else(|| path.clone(), |key| member(&path, key))
}

/// `options` ordered from most to least similar to `wanted` (ties keep their order).
fn ranked<'a>(wanted: &str, options: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> =
        options.into_iter().map(|o| (strsim::normalized_damerau_levenshtein(wanted, o), o)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().map(|(_, o)| o).collect()
}

/// The best of `ranked` options if it is close enough to `wanted` to suggest.
fn did_you_mean<'a>(wanted: &str, ranked: &[&'a str]) -> Option<&'a str> {
    ranked.first().copied().filter(|best| strsim::normalized_damerau_levenshtein(wanted, best) >= SUGGEST_SIMILARITY)
}

/// Most problems of one JSON file that are printed; the rest are counted, so a
/// huge bad file gives a screenful, not gigabytes, of messages.
pub const MAX_PROBLEMS: usize = 20;

/// Report the problems of a JSON file together, each line naming the file: the
/// first [`MAX_PROBLEMS`] of them, then how many more there are.
fn problems_error(file: &str, problems: &[String]) -> Error {
    let mut message = problems[..problems.len().min(MAX_PROBLEMS)].join(&format!("\n{file}: "));
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        message.push_str(&format!(
            "\n{file}: and {more} more problem{} (only the first {MAX_PROBLEMS} are shown)\n  hint: fix these \
             and run again",
            if more == 1 { "" } else { "s" }
        ));
    }
    Error::Json { path: file.to_string(), message }
}

/// A JSON syntax error, with its line and column and what to do.
fn invalid_json(file: &str, e: &serde_json::Error, hint: &str) -> Error {
    let position = format!(" at line {} column {}", e.line(), e.column());
    let text = e.to_string();
    let what = text.strip_suffix(&position).unwrap_or(&text);
    Error::Json {
        path: file.to_string(),
        message: format!("invalid JSON at line {}, column {}: {what}\n  hint: {hint}", e.line(), e.column()),
    }
}

const THRESHOLDS_HINT: &str =
    "a thresholds file maps report paths to rules, like {\"document.bleu.score\": {\"min\": 25}} (see docs/ci.md)";

impl Thresholds {
    /// Parse a thresholds file's text; `file` names it in messages. Every problem
    /// in the file is reported at once, each with its JSON path.
    pub fn parse(file: &str, text: &str) -> Result<Thresholds> {
        let root: Value = serde_json::from_str(text).map_err(|e| invalid_json(file, &e, THRESHOLDS_HINT))?;
        if !root.is_object() {
            return Err(problems_error(
                file,
                &[format!("the file is {}, not a JSON object\n  hint: {THRESHOLDS_HINT}", value_kind(&root))],
            ));
        }
        if looks_like_report(&root) {
            return Err(problems_error(
                file,
                &["this is a JSON report, not a thresholds file: were the two files swapped?\n  hint: \
                   `tqscore gate REPORT THRESHOLDS` takes the report first; `--gate FILE` takes the thresholds \
                   (report paths mapped to rules, see docs/ci.md)"
                    .to_string()],
            ));
        }
        // Parsed again, keeping file order, duplicates and each value as written.
        let Members(members) = serde_json::from_str(text).map_err(|e| invalid_json(file, &e, THRESHOLDS_HINT))?;
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        let mut seen = HashSet::new();
        for (path, raw) in &members {
            if !seen.insert(path.as_str()) {
                problems.push(format!(
                    "{} appears more than once\n  hint: JSON keeps only one of them; merge the rules into one object",
                    json_path(path, None)
                ));
            } else if path == "$schema" {
                if serde_json::from_str::<String>(raw.get()).is_err() {
                    problems.push(format!(
                        "{} is {}; it must be a string (the location of docs/thresholds-schema.json, for editors)",
                        json_path(path, None),
                        raw_kind(raw)
                    ));
                }
            } else if let Some(rule) = parse_rule(path, raw, &mut problems) {
                rules.push(rule);
            }
        }
        if problems.is_empty() && rules.is_empty() {
            problems.push(format!("the file has no rules, so it would pass anything\n  hint: {THRESHOLDS_HINT}"));
        }
        if !problems.is_empty() {
            return Err(problems_error(file, &problems));
        }
        Ok(Thresholds { file: file.to_string(), rules })
    }
}

/// Parse one rule, adding what is wrong with it to `problems`.
fn parse_rule(path: &str, raw: &RawValue, problems: &mut Vec<String>) -> Option<Rule> {
    let before = problems.len();
    let here = json_path(path, None);
    if path.split('.').any(str::is_empty) {
        problems.push(format!(
            "{here}: `{path}` has an empty segment\n  hint: write report keys and array indices separated by \
             single dots, like `document.bleu.score` or `pairs.0.bleu`"
        ));
    }
    let stars = path.split('.').filter(|s| *s == "*").count();
    if stars > 1 || (stars == 1 && path::split_wildcard(path).is_none()) {
        problems.push(format!(
            "{here}: `{path}` must have at most one `*`, between two segments\n  hint: `*` stands for every item \
             of an array, as in `articles.*.document.bleu.score`"
        ));
    }
    let members = match serde_json::from_str::<Members>(raw.get()) {
        Ok(Members(members)) => members,
        Err(_) => {
            problems.push(format!(
                "{here} is {}; a rule must be an object\n  hint: write {{\"min\": 25}} (keys: {}), not a bare value",
                raw_kind(raw),
                RULE_KEYS.join(", ")
            ));
            return None;
        }
    };
    let mut level = Level::Error;
    let mut significant = None;
    let mut bounds: Vec<(RuleKind, Bound)> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for (key, value) in &members {
        let at = json_path(path, Some(key));
        if !seen.insert(key.as_str()) {
            problems.push(format!("{at} is given more than once\n  hint: keep one of them"));
        } else if key == "level" {
            match serde_json::from_str::<String>(value.get()).as_deref() {
                Ok("error") => level = Level::Error,
                Ok("warn") => level = Level::Warn,
                _ => problems.push(format!("{at} is {}; it must be \"error\" (the default) or \"warn\"", value.get())),
            }
        } else if key == "significant" {
            match Bound::parse(value.get()).map(|b| b.value) {
                Some(alpha) if alpha > 0.0 && alpha <= 1.0 && path.starts_with(DELTA_PREFIX) => {
                    significant = Some(alpha)
                }
                Some(alpha) if alpha > 0.0 && alpha <= 1.0 => problems.push(format!(
                    "{at}: `significant` applies to the differences of `tqscore compare` (paths `delta.*`, \
                     like `delta.bleu`), not to `{path}`"
                )),
                _ => problems.push(format!(
                    "{at} is {}; it must be a significance level above 0 and at most 1, like 0.05",
                    value.get()
                )),
            }
        } else if let Some(kind) = RuleKind::from_key(key) {
            match Bound::parse(value.get()) {
                Some(bound) if kind.is_relative() && bound.value < 0.0 => problems.push(format!(
                    "{at} is {}; it is how far the value may move {} the baseline, so it must be 0 or more",
                    bound.written,
                    if kind == RuleKind::MaxDrop { "below" } else { "above" }
                )),
                Some(_) if kind.is_relative() && path.split('.').any(|s| s == "*") => problems.push(format!(
                    "{at}: `{key}` cannot be combined with a `*` path (items are not matched to a baseline's)\n  \
                     hint: use min/max for every item, or `{key}` on a set-level path like `set.bleu.score`"
                )),
                Some(bound) => bounds.push((kind, bound)),
                None => problems.push(format!(
                    "{at} is {} ({}); a bound must be a finite number\n  hint: write a number without quotes, \
                     like 25 or 0.5",
                    raw_kind(value),
                    value.get()
                )),
            }
        } else {
            let order = ranked(key, RULE_KEYS);
            let hint = did_you_mean(key, &order).map_or_else(String::new, |k| format!("\n  hint: did you mean `{k}`?"));
            problems.push(format!("{at}: unknown key `{key}`; the valid keys are {}{hint}", RULE_KEYS.join(", ")));
        }
    }
    let bound_of = |kind| bounds.iter().find(|(k, _)| *k == kind).map(|(_, b)| b);
    if let (Some(min), Some(max)) = (bound_of(RuleKind::Min), bound_of(RuleKind::Max)) {
        if min.value > max.value {
            problems.push(format!("{here}: min {} is above max {}, so no value can pass", min.written, max.written));
        }
    }
    if bounds.is_empty() && problems.len() == before {
        problems.push(format!(
            "{here} has no bound\n  hint: give at least one of min, max, max_drop, max_rise, like {{\"min\": 25}}"
        ));
    }
    (problems.len() == before).then(|| Rule { path: path.to_string(), level, bounds, significant })
}

/// Parse a saved JSON report (`tqscore score --format json`, `tqscore corpus
/// --format json`); `file` names it in messages. A `gate` section from an earlier
/// gate is dropped, so gating a saved report sees what the run itself saw. The
/// values are checked against their ranges ([`check_ranges`]), so a changed
/// report cannot pass a gate with a score no run can have.
pub fn parse_report(file: &str, text: &str) -> Result<Value> {
    let hint = "pass a JSON report, written by `tqscore score --format json -o FILE` or `tqscore corpus --format json`";
    let mut report: Value = serde_json::from_str(text).map_err(|e| invalid_json(file, &e, hint))?;
    let Some(top) = report.as_object_mut() else {
        return Err(problems_error(
            file,
            &[format!("the file is {}, not a JSON report object\n  hint: {hint}", value_kind(&report))],
        ));
    };
    top.shift_remove("gate");
    if looks_like_thresholds(&report) {
        return Err(problems_error(
            file,
            &["this is a thresholds file (report paths mapped to rules), not a JSON report\n  hint: pass it as \
               THRESHOLDS (`--gate FILE`, or the second argument of `tqscore gate`); --baseline and the first \
               argument of `tqscore gate` take a JSON report (`tqscore score --format json -o FILE`)"
                .to_string()],
        ));
    }
    check_ranges(file, &report)?;
    Ok(report)
}

/// Whether a JSON object is one of tqscore's reports rather than a thresholds
/// file: an article, set or comparison report (`tqscore_version`), a corpus
/// report of several systems (`systems`), or one whose every member is a score
/// object (`{"bleu": {"score": …, "signature": …}}`).
fn looks_like_report(value: &Value) -> bool {
    let Some(top) = value.as_object() else { return false };
    let is_score = |v: &Value| v.get("score").is_some() && v.get("signature").is_some();
    top.contains_key("tqscore_version")
        || top.get("systems").is_some_and(Value::is_array)
        || (!top.is_empty() && top.values().all(is_score))
}

/// Whether a JSON object is a thresholds file: every member but `$schema` is
/// an object of rule keys only (`{"document.bleu.score": {"min": 20}}`).
fn looks_like_thresholds(value: &Value) -> bool {
    let Some(top) = value.as_object() else { return false };
    let mut rules = top.iter().filter(|(key, _)| *key != "$schema").peekable();
    rules.peek().is_some()
        && rules.all(|(_, rule)| {
            rule.as_object().is_some_and(|r| !r.is_empty() && r.keys().all(|k| RULE_KEYS.contains(&k.as_str())))
        })
}

/// The range a report value must be in, known by its key.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Range {
    /// A BLEU or chrF score, or a statistic of them: 0 to 100.
    Percent,
    /// A TER score (an edit rate, which may exceed 100) or a spread: 0 or more.
    NonNegative,
    /// A fraction such as coverage or recall: 0 to 1.
    Fraction,
    /// A count or length: a non-negative integer.
    Count,
}

/// How far a float may pass its range's ends: a score computed in doubles can
/// be 100.00000000000004.
const RANGE_SLACK: f64 = 1e-9;

/// Keys of scores and their statistics, whose range depends on the metric.
const SCORE_KEYS: [&str; 10] = ["score", "mean", "median", "min", "max", "p10", "p25", "p75", "p90", "ci95"];

/// Keys of fractions in [0, 1].
const FRACTION_KEYS: [&str; 10] = [
    "coverage",
    "similarity",
    "recall",
    "precision",
    "f1",
    "lenient_recall",
    "variant_rate",
    "entity_accuracy",
    "mean_closeness",
    "closeness",
];

/// Keys of counts and lengths.
const COUNT_KEYS: [&str; 23] = [
    "reference_sentences",
    "candidate_sentences",
    "pairs",
    "extra",
    "extra_in_body",
    "omitted",
    "low_confidence",
    "sys_len",
    "ref_len",
    "counts",
    "totals",
    "count",
    "correct",
    "variants",
    "wrong",
    "missing",
    "unmatched",
    "added",
    "reference_mentions",
    "candidate_mentions",
    "num_edits",
    "reference_count",
    "exact",
];

/// The range of the number at `key` (an array's items take the array's key),
/// inside the metric `metric` (`bleu`, `chrf`, `chrf++`, `ter`) if any.
fn range_of(key: &str, metric: Option<&str>) -> Option<Range> {
    let of_metric = |metric: &str| if metric == "ter" { Range::NonNegative } else { Range::Percent };
    if matches!(key, "bleu" | "chrf" | "chrf++" | "ter") {
        Some(of_metric(key))
    } else if SCORE_KEYS.contains(&key) || key == "precisions" {
        metric.map(of_metric)
    } else if key == "std" {
        Some(Range::NonNegative)
    } else if FRACTION_KEYS.contains(&key) {
        Some(Range::Fraction)
    } else if COUNT_KEYS.contains(&key) {
        Some(Range::Count)
    } else {
        None
    }
}

/// Check that every score, fraction and count of a report is in its range
/// (BLEU and chrF 0 to 100, TER 0 or more, fractions 0 to 1, counts
/// non-negative integers); the error names each value's JSON path.
pub fn check_ranges(file: &str, report: &Value) -> Result<()> {
    fn walk(value: &Value, path: &str, key: &str, metric: Option<&str>, problems: &mut Vec<String>) {
        match value {
            // A comparison's differences and their intervals may be negative.
            Value::Object(_) if key == "delta" || key == "ci95" => {}
            Value::Object(map) => {
                for (k, item) in map {
                    let inner = if matches!(k.as_str(), "bleu" | "chrf" | "chrf++" | "ter") {
                        Some(k.as_str())
                    } else {
                        metric
                    };
                    walk(item, &member(path, k), k, inner, problems);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{i}]"), key, metric, problems);
                }
            }
            Value::Number(n) => {
                let v = n.as_f64().unwrap_or(f64::NAN);
                let within = |low: f64, high: f64| (low - RANGE_SLACK..=high + RANGE_SLACK).contains(&v);
                let wrong = match range_of(key, metric) {
                    Some(Range::Percent) if !within(0.0, 100.0) => "a score from 0 to 100",
                    Some(Range::NonNegative) if !within(0.0, f64::INFINITY) => "0 or more",
                    Some(Range::Fraction) if !within(0.0, 1.0) => "a fraction from 0 to 1",
                    Some(Range::Count) if n.as_u64().is_none() => "a count (an integer, 0 or more)",
                    _ => return,
                };
                problems.push(format!("{path} is {n}, but it must be {wrong}"));
            }
            _ => {}
        }
    }
    let mut problems = Vec::new();
    walk(report, "$", "", None, &mut problems);
    if let Some(first) = problems.first_mut() {
        first.push_str(
            "\n  hint: the report was changed or damaged after tqscore wrote it; make it again with \
             `tqscore score --format json -o FILE` (or `tqscore corpus --format json`)",
        );
        return Err(problems_error(file, &problems));
    }
    Ok(())
}

/// A value as compared and as printed.
#[derive(Debug, Clone, PartialEq)]
struct Rounded {
    value: f64,
    text: String,
}

/// Round for comparison: to `decimals` places when given (the printed text,
/// read back, is the compared value), exactly otherwise (integers).
fn round(value: f64, decimals: Option<usize>) -> Rounded {
    let Some(d) = decimals else {
        return Rounded { value, text: value.to_string() };
    };
    let text = format!("{value:.d$}");
    let rounded: f64 = text.parse().unwrap_or(value);
    if rounded == 0.0 {
        // No "-0.00": a value that rounds to zero is zero.
        return Rounded { value: 0.0, text: format!("{:.d$}", 0.0) };
    }
    Rounded { value: rounded, text }
}

/// The baseline's value for a relative bound, or why it has none (it is null there).
type BaselineValue = std::result::Result<Found, String>;

/// What an armed bound compares with: the bound alone, or the baseline's value.
#[derive(Debug, Clone, PartialEq)]
enum Test {
    Min,
    Max,
    MaxDrop(BaselineValue),
    MaxRise(BaselineValue),
}

impl Test {
    /// The thresholds-file key this test came from.
    fn kind(&self) -> RuleKind {
        match self {
            Test::Min => RuleKind::Min,
            Test::Max => RuleKind::Max,
            Test::MaxDrop(_) => RuleKind::MaxDrop,
            Test::MaxRise(_) => RuleKind::MaxRise,
        }
    }

    /// The baseline's value, for relative tests.
    fn baseline(&self) -> Option<&BaselineValue> {
        match self {
            Test::Min | Test::Max => None,
            Test::MaxDrop(b) | Test::MaxRise(b) => Some(b),
        }
    }
}

/// A rule with its relative bounds bound to the baseline's values.
#[derive(Debug, Clone)]
struct ArmedRule {
    path: String,
    level: Level,
    checks: Vec<(Test, Bound)>,
    significant: Option<f64>,
}

/// Signature entries whose difference between baseline and report is only
/// warned about: they change no point score (the tqscore release, the
/// bootstrap's resamples and seed, which only move confidence intervals).
const SIGNATURE_WARN_ONLY: [&str; 3] = ["tqscore", "bootstrap", "seed"];

/// Deepest object level at which report signatures are looked for
/// (`document.aligned.bleu.signature`); arrays (pairs, segments) are skipped.
const SIGNATURE_DEPTH: usize = 4;

/// Every `signature` string in a report's objects, with its dotted path.
fn signatures(report: &Value) -> Vec<(String, String)> {
    fn walk(value: &Value, prefix: &str, depth: usize, out: &mut Vec<(String, String)>) {
        let Value::Object(map) = value else { return };
        for (key, item) in map {
            match item {
                Value::String(text) if key == "signature" => out.push((child(prefix, key), text.clone())),
                Value::Object(_) if depth < SIGNATURE_DEPTH => walk(item, &child(prefix, key), depth + 1, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(report, "", 1, &mut out);
    out
}

/// A signature's entries (`tok:13a|case:mixed` → `tok` → `13a`), in order.
fn signature_entries(signature: &str) -> Vec<(&str, &str)> {
    signature.split('|').map(|entry| entry.split_once(':').unwrap_or((entry, ""))).collect()
}

/// How a baseline's signatures differ from a report's, each differing entry
/// once with the first signature it is in: `(entry, baseline's, report's, path)`.
fn signature_differences<'a>(
    baseline: &'a [(String, String)],
    report: &'a [(String, String)],
) -> Vec<(&'a str, &'a str, &'a str, &'a str)> {
    let mut differences: Vec<(&str, &str, &str, &str)> = Vec::new();
    for (path, theirs) in baseline {
        let Some((_, ours)) = report.iter().find(|(p, _)| p == path) else { continue };
        let (theirs, ours) = (signature_entries(theirs), signature_entries(ours));
        let keys = theirs.iter().chain(&ours).map(|(k, _)| *k);
        for key in keys {
            let value =
                |entries: &[(&'a str, &'a str)]| entries.iter().find(|(k, _)| *k == key).map_or("", |(_, v)| *v);
            let (before, now) = (value(&theirs), value(&ours));
            if before != now && !differences.iter().any(|d| d.0 == key) {
                differences.push((key, before, now, path.as_str()));
            }
        }
    }
    differences
}

/// One signature difference, for a message: `tok is char in the baseline and 13a here (document.bleu.signature)`.
fn describe_difference((key, before, now, path): (&str, &str, &str, &str), report_name: &str) -> String {
    let shown = |v: &str| if v.is_empty() { "absent".to_string() } else { format!("`{v}`") };
    format!("`{key}` is {} in the baseline and {} in {report_name} ({path})", shown(before), shown(now))
}

/// Thresholds ready to evaluate reports: relative bounds already hold the
/// baseline's values, so every problem with the thresholds and the baseline is
/// found before anything is scored.
#[derive(Debug, Clone)]
pub struct Gate {
    thresholds: String,
    baseline: Option<String>,
    /// The baseline's signatures, to check that the report was made the same way.
    baseline_signatures: Vec<(String, String)>,
    rules: Vec<ArmedRule>,
}

/// The name a run's own report has in messages (it is not a file yet).
pub const RUN_REPORT: &str = "this run's report";

impl Gate {
    /// Arm `thresholds`, reading relative bounds' baselines from `baseline`
    /// (`(file name, report)`). Fails if a `max_drop`/`max_rise` rule has no
    /// baseline or its path does not fit the baseline; a null there is kept and
    /// makes the assertion unanswerable (see [`Gate::evaluate`]).
    pub fn new(thresholds: Thresholds, baseline: Option<(&str, &Value)>) -> Result<Gate> {
        let base = |key: &str, path: &str| -> std::result::Result<BaselineValue, String> {
            let Some((file, report)) = baseline else {
                return Err(format!(
                    "{}: `{key}` compares with a baseline report, but none was given\n  hint: pass \
                     --baseline OLD_REPORT.json (the JSON report of an earlier run), or use min/max",
                    json_path(path, Some(key))
                ));
            };
            match resolve(report, path) {
                Ok(found) => Ok(Ok(found)),
                Err(Unresolved::Absent(why)) => Ok(Err(format!("in the baseline {file}, {why}"))),
                Err(Unresolved::Invalid(why)) => Err(format!(
                    "{}: in the baseline {file}, {why}\n  hint: use a baseline made the same way as the \
                     report (same command and format)",
                    json_path(path, None)
                )),
            }
        };
        let mut problems = Vec::new();
        let mut rules = Vec::new();
        'rules: for rule in thresholds.rules {
            let mut checks = Vec::new();
            for (kind, bound) in rule.bounds {
                let test = match kind {
                    RuleKind::Min => Test::Min,
                    RuleKind::Max => Test::Max,
                    RuleKind::MaxDrop | RuleKind::MaxRise => match base(kind.key(), &rule.path) {
                        Ok(found) if kind == RuleKind::MaxDrop => Test::MaxDrop(found),
                        Ok(found) => Test::MaxRise(found),
                        Err(problem) => {
                            problems.push(problem);
                            continue 'rules;
                        }
                    },
                };
                checks.push((test, bound));
            }
            rules.push(ArmedRule { path: rule.path, level: rule.level, checks, significant: rule.significant });
        }
        if !problems.is_empty() {
            return Err(problems_error(&thresholds.file, &problems));
        }
        Ok(Gate {
            thresholds: thresholds.file,
            baseline: baseline.map(|(file, _)| file.to_string()),
            baseline_signatures: baseline.map_or_else(Vec::new, |(_, report)| signatures(report)),
            rules,
        })
    }

    /// Evaluate every assertion against `report` (named `report_name` in
    /// messages). A null value (or an index past an array's end) makes an
    /// assertion unanswerable: it fails at error level and warns at warn level.
    /// Fails, naming every bad path, if a path does not fit the report, and
    /// refuses a baseline whose signatures say it was made differently (other
    /// tokenizer, case, folding, sacreBLEU version, ...); a different tqscore
    /// release, bootstrap or seed is only a warning in the outcome.
    pub fn evaluate(&self, report: &Value, report_name: &str) -> Result<GateReport> {
        let ours = signatures(report);
        let (warned, refused): (Vec<_>, Vec<_>) = signature_differences(&self.baseline_signatures, &ours)
            .into_iter()
            .partition(|d| SIGNATURE_WARN_ONLY.contains(&d.0));
        let baseline = self.baseline.as_deref().unwrap_or_default();
        if !refused.is_empty() {
            let lines: Vec<String> = refused.into_iter().map(|d| describe_difference(d, report_name)).collect();
            return Err(problems_error(
                baseline,
                &[format!(
                    "the baseline was made differently from {report_name}, so their scores do not compare:\n  {}\n  \
                     hint: make the baseline with the same command and options as the report (or make a new one)",
                    lines.join("\n  ")
                )],
            ));
        }
        let warnings = warned
            .into_iter()
            .map(|d| {
                format!(
                    "{baseline}: {}; the scores compare, confidence intervals may not",
                    describe_difference(d, report_name)
                )
            })
            .collect();
        let mut problems = Vec::new();
        let mut assertions = Vec::new();
        for rule in &self.rules {
            if let Some((prefix, rest)) = path::split_wildcard(&rule.path) {
                match every_item(rule, report, (prefix, rest), report_name) {
                    Ok(found) => assertions.extend(found),
                    Err(problem) => problems.push(format!(
                        "{}: in {report_name}, {problem}\n  hint: fix the path in {}; the JSON report \
                         (--format json) shows every path",
                        json_path(&rule.path, None),
                        self.thresholds
                    )),
                }
                continue;
            }
            let actual = match resolve(report, &rule.path) {
                Ok(found) => Ok(found),
                Err(Unresolved::Absent(why)) => Err(format!("in {report_name}, {why}")),
                Err(Unresolved::Invalid(why)) => {
                    problems.push(format!(
                        "{}: in {report_name}, {why}\n  hint: fix the path in {}; the JSON report \
                         (--format json) shows every path",
                        json_path(&rule.path, None),
                        self.thresholds
                    ));
                    continue;
                }
            };
            for (test, bound) in &rule.checks {
                let assertion = match (&actual, test.baseline()) {
                    (Err(why), _) | (Ok(_), Some(Err(why))) => unanswerable(rule, test.kind(), bound, why),
                    (Ok(found), base) => judge(rule, test.kind(), bound, *found, base.and_then(|b| b.as_ref().ok())),
                };
                assertions.push(match rule.significant {
                    Some(alpha) => only_if_significant(assertion, alpha, report, report_name),
                    None => assertion,
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems_error(&self.thresholds, &problems));
        }
        Ok(GateReport {
            passed: assertions.iter().all(|a| a.outcome != Outcome::Fail),
            thresholds: self.thresholds.clone(),
            baseline: self.baseline.clone(),
            assertions,
            warnings,
        })
    }
}

/// The assertions of a rule whose path has a `*` (`articles.*.document.bleu.score`):
/// every item of the array at `prefix` is checked at `prefix.K.rest`. Each item
/// that fails (or warns, or has no value there) is an assertion of its own,
/// named by its id; when all pass, one assertion for the whole rule reports
/// the item closest to the bound. Fails (with why) when `rest` fits no item.
fn every_item(
    rule: &ArmedRule,
    report: &Value,
    (prefix, rest): (&str, &str),
    report_name: &str,
) -> std::result::Result<Vec<Assertion>, String> {
    let items = path::wildcard_items(report, prefix).map_err(|u| u.why().to_string())?;
    let mut per_item = Vec::with_capacity(items.len());
    let mut invalid = None;
    for (k, item) in items.iter().enumerate() {
        let at = format!("{prefix}.{k}.{rest}");
        let failure = item.get("error").and_then(|e| e.get("message")).and_then(Value::as_str);
        let found = match (resolve(report, &at), failure) {
            (Ok(found), _) => Ok(found),
            // An item that could not be made (an article that failed) has no value anywhere.
            (Err(_), Some(failure)) => {
                Err(format!("it was not scored: {}", failure.lines().next().unwrap_or_default()))
            }
            (Err(Unresolved::Absent(why)), None) => Err(why),
            (Err(Unresolved::Invalid(why)), None) => {
                invalid.get_or_insert_with(|| why.clone());
                Err(why)
            }
        };
        let item_rule = ArmedRule { path: at, level: rule.level, checks: Vec::new(), significant: None };
        per_item.push((item_rule, path::item_label(item), found));
    }
    if let Some(why) = invalid.filter(|_| per_item.iter().all(|(_, _, f)| f.is_err())) {
        return Err(why);
    }
    let mut out = Vec::new();
    for (test, bound) in &rule.checks {
        if per_item.is_empty() {
            out.push(unanswerable(rule, test.kind(), bound, &format!("in {report_name}, `{prefix}` is empty")));
            continue;
        }
        let mut judged: Vec<Assertion> = per_item
            .iter()
            .map(|(item_rule, label, found)| {
                let mut a = match found {
                    Ok(found) => judge(item_rule, test.kind(), bound, *found, None),
                    Err(why) => unanswerable(item_rule, test.kind(), bound, &format!("in {report_name}, {why}")),
                };
                if let Some(label) = label {
                    a.message = format!("{label}: {}", a.message);
                }
                a
            })
            .collect();
        if judged.iter().any(|a| a.outcome != Outcome::Pass) {
            out.extend(judged.into_iter().filter(|a| a.outcome != Outcome::Pass));
            continue;
        }
        // All pass: the closest to the bound speaks for the rule.
        let closeness = |a: &Assertion| a.actual.map_or(f64::INFINITY, |v| (v - bound.value).abs());
        let closest = (0..judged.len()).min_by(|&i, &j| closeness(&judged[i]).total_cmp(&closeness(&judged[j])));
        let mut a = judged.swap_remove(closest.unwrap_or(0));
        a.message = format!("every one of {}: the closest is {}", count(per_item.len(), "item"), a.message);
        a.path = rule.path.clone();
        out.push(a);
    }
    Ok(out)
}

/// A failed bound on a comparison's difference counts only when the
/// difference is significant: its p-value (the `p_value.*` twin of the
/// `delta.*` path) is below `alpha`; otherwise it passes, saying why. A
/// missing p-value (no bootstrap) leaves the failure standing.
fn only_if_significant(mut assertion: Assertion, alpha: f64, report: &Value, report_name: &str) -> Assertion {
    if assertion.outcome == Outcome::Pass {
        return assertion;
    }
    let p_path = assertion.path.replacen(DELTA_PREFIX, P_VALUE_PREFIX, 1);
    match resolve(report, &p_path) {
        Ok(p) if p.value >= alpha => {
            assertion.outcome = Outcome::Pass;
            assertion.message =
                format!("{}, but not significantly (p = {:.4}, at least {alpha})", assertion.message, p.value);
        }
        Ok(p) => assertion.message = format!("{}, significantly (p = {:.4} < {alpha})", assertion.message, p.value),
        Err(why) => {
            assertion.message =
                format!("{}; its significance is unknown: in {report_name}, {}", assertion.message, why.why())
        }
    }
    assertion
}

/// The outcome of a failed check at `level`.
fn failed_at(level: Level) -> Outcome {
    match level {
        Level::Warn => Outcome::Warn,
        Level::Error => Outcome::Fail,
    }
}

/// An assertion that cannot be checked because the report or the baseline has
/// no value (`why` says where): it fails (or warns, at warn level) with the reason.
fn unanswerable(rule: &ArmedRule, kind: RuleKind, bound: &Bound, why: &str) -> Assertion {
    let what = match kind {
        RuleKind::Min => "minimum",
        RuleKind::Max => "maximum",
        RuleKind::MaxDrop => "allowed drop",
        RuleKind::MaxRise => "allowed rise",
    };
    Assertion {
        path: rule.path.clone(),
        rule: kind,
        bound: bound.value,
        actual: None,
        baseline: None,
        level: rule.level,
        outcome: failed_at(rule.level),
        message: format!("{} has no value, so the {what} {} cannot be checked: {why}", rule.path, bound.written),
        shown: Shown { bound: bound.written.clone(), actual: "–".into(), baseline: None },
    }
}

/// Compare one value with one bound (and, for relative bounds, the baseline's
/// value), following the precision rule.
fn judge(rule: &ArmedRule, kind: RuleKind, bound: &Bound, actual: Found, baseline: Option<&Found>) -> Assertion {
    let exact = actual.integer && baseline.is_none_or(|b| b.integer);
    let fraction = |v: f64| (0.0..=1.0).contains(&v);
    let fractions = fraction(actual.value) && fraction(bound.value) && baseline.is_none_or(|b| fraction(b.value));
    let least = if fractions { MIN_FRACTION_DECIMALS } else { MIN_DECIMALS };
    let decimals = (!exact).then_some(bound.decimals.max(least));
    let a = round(actual.value, decimals);
    let b = baseline.map(|b| round(b.value, decimals));
    let path = &rule.path;
    let (passed, message) = match (kind, &b) {
        (RuleKind::Min, _) => {
            let passed = a.value >= bound.value;
            let relation = if passed { "at least" } else { "below" };
            (passed, format!("{path} is {}, {relation} the minimum {}", a.text, bound.written))
        }
        (RuleKind::Max, _) | (_, None) => {
            let passed = a.value <= bound.value;
            let relation = if passed { "at most" } else { "above" };
            (passed, format!("{path} is {}, {relation} the maximum {}", a.text, bound.written))
        }
        (RuleKind::MaxDrop | RuleKind::MaxRise, Some(base)) => {
            // Rounded again: the difference of two rounded values is exact at `decimals`.
            let rise = round(a.value - base.value, decimals);
            let drop = round(base.value - a.value, decimals);
            let (moved, allowed) = if kind == RuleKind::MaxDrop { (&drop, "drop") } else { (&rise, "rise") };
            let direction = if drop.value > 0.0 {
                format!("{} below", drop.text)
            } else if rise.value > 0.0 {
                format!("{} above", rise.text)
            } else {
                "equal to".to_string()
            };
            (
                moved.value <= bound.value,
                format!(
                    "{path} is {}, {direction} the baseline {}; the allowed {allowed} is {}",
                    a.text, base.text, bound.written
                ),
            )
        }
    };
    Assertion {
        path: path.clone(),
        rule: kind,
        bound: bound.value,
        actual: Some(a.value),
        baseline: b.as_ref().map(|b| b.value),
        level: rule.level,
        outcome: if passed { Outcome::Pass } else { failed_at(rule.level) },
        message,
        shown: Shown { bound: bound.written.clone(), actual: a.text, baseline: b.map(|b| b.text) },
    }
}

/// The result of one assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The bound holds.
    Pass,
    /// A warn-level bound does not hold (the gate still passes).
    Warn,
    /// An error-level bound does not hold (the gate fails).
    Fail,
}

impl Outcome {
    /// The outcome in the text table (`FAIL` in capitals, to stand out).
    fn label(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Warn => "warn",
            Outcome::Fail => "FAIL",
        }
    }
}

/// The texts a table shows for an assertion (bound as written, values as compared).
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    bound: String,
    actual: String,
    baseline: Option<String>,
}

/// One bound checked against one report value: an entry of the `gate` section.
#[derive(Debug, Clone, Serialize)]
pub struct Assertion {
    /// Dotted path into the report.
    pub path: String,
    /// Which bound.
    pub rule: RuleKind,
    /// The bound's value.
    pub bound: f64,
    /// The report's value as compared (rounded by the precision rule); none
    /// when the report has no value there (null), which fails the assertion.
    pub actual: Option<f64>,
    /// The baseline's value as compared, for `max_drop` and `max_rise`.
    pub baseline: Option<f64>,
    /// The rule's level.
    pub level: Level,
    /// Pass, warn or fail.
    pub outcome: Outcome,
    /// One sentence saying what was found, for people.
    pub message: String,
    #[serde(skip)]
    shown: Shown,
}

/// The outcome of a gate: the `gate` section of a JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    /// Whether no error-level assertion failed.
    pub passed: bool,
    /// The thresholds file.
    pub thresholds: String,
    /// The baseline report, if one was given.
    pub baseline: Option<String>,
    /// Every assertion, in thresholds-file order.
    pub assertions: Vec<Assertion>,
    /// How the baseline was made differently in ways that change no point
    /// score (another tqscore release, bootstrap or seed), for warnings.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// `n` and the noun, plural unless `n` is 1.
fn count(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// GitHub's escaping of a workflow command's message: `%`, CR and LF.
pub fn escape_workflow_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

impl GateReport {
    /// The process exit code: [`EXIT_GATE_FAILED`] if an error-level assertion failed.
    pub fn exit_code(&self) -> i32 {
        if self.passed {
            EXIT_OK
        } else {
            EXIT_GATE_FAILED
        }
    }

    /// How many assertions had `outcome`.
    fn tally(&self, outcome: Outcome) -> usize {
        self.assertions.iter().filter(|a| a.outcome == outcome).count()
    }

    /// The one-line verdict, e.g. `gate failed: 1 of 3 assertions failed (error level); 1 warning`.
    pub fn verdict(&self) -> String {
        let total = count(self.assertions.len(), "assertion");
        let (failed, warned) = (self.tally(Outcome::Fail), self.tally(Outcome::Warn));
        let warnings = if warned > 0 { format!("; {}", count(warned, "warning")) } else { String::new() };
        if !self.passed {
            format!("gate failed: {failed} of {total} failed (error level){warnings}")
        } else if warned > 0 {
            format!("gate passed with {}: {total}, no error-level failure", count(warned, "warning"))
        } else {
            format!("gate passed: all {total} hold")
        }
    }

    /// The files the gate read: `thresholds t.json, baseline b.json`.
    fn source_line(&self) -> String {
        let baseline = self.baseline.as_ref().map_or_else(String::new, |b| format!(", baseline {b}"));
        format!("thresholds {}{baseline}", self.thresholds)
    }

    /// The assertion table for a terminal, with a line for each warning and
    /// failure and the verdict last.
    pub fn to_text(&self) -> String {
        let mut header = vec!["outcome", "path", "rule", "bound", "actual"];
        if self.baseline.is_some() {
            header.push("baseline");
        }
        let rows: Vec<Vec<String>> = self
            .assertions
            .iter()
            .map(|a| {
                let mut row = vec![
                    a.outcome.label().to_string(),
                    a.path.clone(),
                    a.rule.key().to_string(),
                    a.shown.bound.clone(),
                    a.shown.actual.clone(),
                ];
                if self.baseline.is_some() {
                    row.push(a.shown.baseline.clone().unwrap_or_else(|| "–".into()));
                }
                row
            })
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|c| rows.iter().map(|r| r[c].chars().count()).chain([header[c].len()]).max().unwrap_or(0))
            .collect();
        let line = |cells: Vec<&str>| {
            let padded: Vec<String> = cells
                .iter()
                .zip(&widths)
                .enumerate()
                .map(|(c, (cell, &w))| if c >= 3 { pad_start(cell, w) } else { pad_end(cell, w) })
                .collect();
            format!("  {}\n", padded.join("  ").trim_end())
        };
        let mut out = format!("Quality gate ({})\n", self.source_line());
        out.push_str(&line(header));
        for row in &rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        let noted: Vec<&Assertion> = self.assertions.iter().filter(|a| a.outcome != Outcome::Pass).collect();
        if !noted.is_empty() {
            out.push('\n');
            for a in noted {
                let _ = writeln!(out, "  {}  {}", a.outcome.label(), a.message);
            }
        }
        let _ = writeln!(out, "{}", capitalize(&self.verdict()));
        // A saved report's keys are input: shown, never run by the terminal.
        for_terminal(&out).into_owned()
    }

    /// [`to_text`](Self::to_text) for a terminal that shows colour when `color`:
    /// `FAIL` red, `warn` yellow, the verdict bold red or green. The colour codes
    /// are added after the text was made inert, and only at line starts tqscore wrote.
    pub fn to_terminal(&self, color: bool) -> String {
        let text = self.to_text();
        if !color {
            return text;
        }
        let paint = |code: &str, text: &str| format!("\x1b[{code}m{text}\x1b[0m");
        let verdict = capitalize(&self.verdict());
        let mut out = String::with_capacity(text.len() + 256);
        for line in text.split_inclusive('\n') {
            let (body, newline) = line.strip_suffix('\n').map_or((line, ""), |body| (body, "\n"));
            let painted = if let Some(rest) = body.strip_prefix("  FAIL") {
                format!("  {}{rest}", paint("31", "FAIL"))
            } else if let Some(rest) = body.strip_prefix("  warn") {
                format!("  {}{rest}", paint("33", "warn"))
            } else if body == verdict {
                paint(if self.passed { "1;32" } else { "1;31" }, body)
            } else {
                body.to_string()
            };
            out.push_str(&painted);
            out.push_str(newline);
        }
        out
    }

    /// The assertion table in GitHub-flavoured Markdown (pull requests, job
    /// summaries). Paths and messages need no escaping: every path in a gate
    /// report is a path that exists in a report, and report keys hold no `|`.
    pub fn to_markdown(&self) -> String {
        let icon = |o: Outcome| match o {
            Outcome::Pass => "✅ pass",
            Outcome::Warn => "⚠️ warn",
            Outcome::Fail => "❌ fail",
        };
        let mut out = format!("### tqscore quality gate: {}\n\n", if self.passed { "passed" } else { "failed" });
        let _ = writeln!(out, "{} ({}).\n", capitalize(&self.verdict()), self.source_line());
        let _ = writeln!(out, "| outcome | path | rule | bound | actual | baseline | message |");
        let _ = writeln!(out, "|---|---|---|---:|---:|---:|---|");
        for a in &self.assertions {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} | {} | {} |",
                icon(a.outcome),
                a.path,
                a.rule.key(),
                a.shown.bound,
                a.shown.actual,
                a.shown.baseline.as_deref().unwrap_or("–"),
                a.message
            );
        }
        out
    }

    /// GitHub Actions workflow commands for the failed assertions, error level
    /// first (`::error title=tqscore gate::…`, `::warning …`), at most
    /// [`MAX_ANNOTATIONS`], then a plain line saying how many were left out.
    pub fn github_annotations(&self) -> String {
        let failed = self.assertions.iter().filter(|a| a.outcome == Outcome::Fail);
        let warned = self.assertions.iter().filter(|a| a.outcome == Outcome::Warn);
        let noted: Vec<&Assertion> = failed.chain(warned).collect();
        let mut out = String::new();
        for a in noted.iter().take(MAX_ANNOTATIONS) {
            let command = if a.outcome == Outcome::Fail { "error" } else { "warning" };
            let message = format!("{} ({})", a.message, self.thresholds);
            let _ = writeln!(out, "::{command} title=tqscore gate::{}", escape_workflow_data(&message));
        }
        if noted.len() > MAX_ANNOTATIONS {
            let _ = writeln!(
                out,
                "tqscore: {} more failed {} not annotated (at most {MAX_ANNOTATIONS} per run); see the gate table",
                noted.len() - MAX_ANNOTATIONS,
                if noted.len() - MAX_ANNOTATIONS == 1 { "assertion is" } else { "assertions are" }
            );
        }
        out
    }
}

/// `text` with its first letter upper-case.
fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({
            "document": {"bleu": {"score": 25.385442721050385, "ci95": null}, "extra": 5, "coverage": 1.0},
            "pairs": [{"bleu": 69.996}, {"bleu": 69.994}],
            "unaligned": {"reference": []},
            "signature": "nrefs:1"
        })
    }

    fn gate_on(thresholds: &str, report: &Value, baseline: Option<&Value>) -> Result<GateReport> {
        let thresholds = Thresholds::parse("t.json", thresholds)?;
        Gate::new(thresholds, baseline.map(|b| ("base.json", b)))?.evaluate(report, "r.json")
    }

    fn only(thresholds: &str, report: &Value, baseline: Option<&Value>) -> Assertion {
        let mut outcome = gate_on(thresholds, report, baseline).unwrap();
        assert_eq!(outcome.assertions.len(), 1);
        outcome.assertions.remove(0)
    }

    fn problem(thresholds: &str) -> String {
        gate_on(thresholds, &report(), None).unwrap_err().to_string()
    }

    #[test]
    fn a_report_given_as_thresholds_asks_whether_the_files_were_swapped() {
        for report in [
            r#"{"tqscore_version": "0.1.0", "document": {"bleu": {"score": 20}}}"#,
            r#"{"bleu": {"name": "BLEU", "score": 20.5, "signature": "nrefs:1"}}"#,
            r#"{"test": null, "systems": []}"#,
        ] {
            let err = Thresholds::parse("t.json", report).unwrap_err().to_string();
            assert!(err.contains("were the two files swapped?") && err.lines().count() == 2, "{err}");
        }
        assert!(Thresholds::parse("t.json", r#"{"bleu.score": {"min": 20}}"#).is_ok());
    }

    #[test]
    fn paths_follow_keys_indices_and_final_length() {
        let r = report();
        assert_eq!(resolve(&r, "document.bleu.score"), Ok(Found { value: 25.385442721050385, integer: false }));
        assert_eq!(resolve(&r, "document.extra"), Ok(Found { value: 5.0, integer: true }));
        assert_eq!(resolve(&r, "pairs.1.bleu"), Ok(Found { value: 69.994, integer: false }));
        assert_eq!(resolve(&r, "pairs.length"), Ok(Found { value: 2.0, integer: true }));
        assert_eq!(resolve(&r, "unaligned.reference.length"), Ok(Found { value: 0.0, integer: true }));
    }

    #[test]
    fn a_missing_key_lists_the_keys_where_the_path_leaves_the_report_best_first() {
        let why = resolve(&report(), "document.bleu.scor").unwrap_err().why().to_string();
        assert!(why.starts_with("`document.bleu` has no key `scor`"), "{why}");
        assert!(why.contains("best matches first: document.bleu.score, document.bleu.ci95"), "{why}");
        assert!(why.contains("did you mean `document.bleu.score`?"), "{why}");
        let why = resolve(&report(), "documnet.extra").unwrap_err().why().to_string();
        assert!(why.starts_with("the top level has no key `documnet`"), "{why}");
        assert!(why.contains("did you mean `document`?"), "{why}");
        assert!(!resolve(&report(), "zzz").unwrap_err().why().contains("did you mean"));
        assert!(!resolve(&report(), "document.bleu.zzzzz").unwrap_err().why().contains("did you mean"));
    }

    #[test]
    fn bad_indices_and_values_that_are_not_numbers_say_what_to_do() {
        let r = report();
        let invalid = |path: &str| match resolve(&r, path) {
            Err(Unresolved::Invalid(why)) => why,
            other => panic!("{path}: {other:?}"),
        };
        let absent = |path: &str| match resolve(&r, path) {
            Err(Unresolved::Absent(why)) => why,
            other => panic!("{path}: {other:?}"),
        };
        assert_eq!(absent("pairs.2.bleu"), "`pairs` has 2 items, so it has no item 2");
        assert_eq!(absent("unaligned.reference.0"), "`unaligned.reference` has 0 items, so it has no item 0");
        assert!(invalid("pairs").contains("`pairs.length`"));
        for odd in ["00", "+0", "-0", "01", " 1", ""] {
            let why = invalid(&format!("pairs.{odd}.bleu"));
            assert!(why.contains("without sign or leading zeros"), "{odd}: {why}");
        }
        assert!(invalid("document.bleu").contains("its numbers: document.bleu.score"));
        assert!(absent("document.bleu.ci95").contains("is null"));
        assert!(absent("document.bleu.ci95.0").contains("`document.bleu.ci95` is null"));
        assert!(invalid("signature.x").contains("`signature` is a string, so nothing can follow"));
    }

    #[test]
    fn a_null_fails_an_error_rule_and_warns_a_warn_rule() {
        let outcome = gate_on(
            r#"{"document.bleu.ci95.0": {"min": 1, "level": "warn"}, "pairs.5.bleu": {"min": 1}}"#,
            &report(),
            None,
        )
        .unwrap();
        assert!(!outcome.passed);
        let [warned, failed] = &outcome.assertions[..] else { panic!("{:?}", outcome.assertions) };
        assert_eq!((warned.outcome, warned.actual), (Outcome::Warn, None));
        assert!(warned.message.starts_with("document.bleu.ci95.0 has no value, so the minimum 1 cannot be checked: in r.json, `document.bleu.ci95` is null"), "{}", warned.message);
        assert_eq!(failed.outcome, Outcome::Fail);
        // A null in the baseline makes a relative bound unanswerable too.
        let base = json!({"document": {"bleu": {"score": null}}});
        let a = only(r#"{"document.bleu.score": {"max_drop": 1}}"#, &report(), Some(&base));
        assert_eq!(a.outcome, Outcome::Fail);
        assert!(
            a.message
                .ends_with("in the baseline base.json, `document.bleu.score` is null (nothing was measured there)"),
            "{}",
            a.message
        );
    }

    #[test]
    fn a_baseline_made_differently_is_refused_or_warned_about() {
        let made =
            |sig: &str, top: &str| json!({"signature": top, "document": {"bleu": {"score": 20.0, "signature": sig}}});
        let ours = made("tok:13a|case:mixed", "fold:yes|seed:1|tqscore:0.2.0");
        let thresholds = r#"{"document.bleu.score": {"max_drop": 1}}"#;
        let err = gate_on(thresholds, &ours, Some(&made("tok:char|case:lc", "fold:no|seed:1|tqscore:0.2.0")))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("base.json: the baseline was made differently from r.json"), "{err}");
        assert!(err.contains("`tok` is `char` in the baseline and `13a` in r.json (document.bleu.signature)"), "{err}");
        assert!(
            err.contains("`case` is `lc`")
                && err.contains("`fold` is `no` in the baseline and `yes` in r.json (signature)"),
            "{err}"
        );
        let outcome =
            gate_on(thresholds, &ours, Some(&made("tok:13a|case:mixed", "fold:yes|seed:2|tqscore:0.1.0"))).unwrap();
        assert!(outcome.passed);
        assert_eq!(outcome.warnings.len(), 2, "{:?}", outcome.warnings);
        assert!(
            outcome.warnings[0].starts_with("base.json: `seed` is `2` in the baseline and `1` in r.json"),
            "{:?}",
            outcome.warnings
        );
    }

    #[test]
    fn reports_with_values_out_of_range_or_thresholds_are_refused() {
        let err = parse_report("r.json", r#"{"document": {"bleu": {"score": 1e308}, "coverage": 1.5, "pairs": -1}, "pairs": [{"ter": 150, "chrf": 101}]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("r.json: $.document.bleu.score is 1e+308, but it must be a score from 0 to 100"),
            "{err}"
        );
        assert!(err.contains("r.json: $.document.coverage is 1.5, but it must be a fraction from 0 to 1"), "{err}");
        assert!(err.contains("$.document.pairs is -1, but it must be a count"), "{err}");
        assert!(err.contains("$.pairs[0].chrf is 101") && !err.contains("].ter"), "{err}");
        assert!(parse_report("r.json", r#"{"pairs": [{"bleu": 100.00000000000004}]}"#).is_ok());
        let err =
            parse_report("t.json", r#"{"$schema": "x", "document.bleu.score": {"min": 20}}"#).unwrap_err().to_string();
        assert!(err.contains("this is a thresholds file"), "{err}");
    }

    #[test]
    fn the_problem_list_is_capped() {
        let rules: Vec<String> = (0..1000).map(|i| format!("\"p{i}\": {{\"mni\": 1}}")).collect();
        let err = problem(&format!("{{{}}}", rules.join(", ")));
        assert_eq!(err.lines().filter(|l| l.contains("unknown key")).count(), MAX_PROBLEMS, "{err}");
        assert!(err.contains("t.json: and 980 more problems (only the first 20 are shown)"), "{err}");
    }

    #[test]
    fn bounds_set_the_precision_by_the_decimals_written_at_least_two() {
        assert_eq!(decimals_written("70"), 0);
        assert_eq!(decimals_written("25.50"), 2);
        assert_eq!(decimals_written("-0.125"), 3);
        assert_eq!(decimals_written("1e2"), 0);
        assert_eq!(decimals_written("5E-3"), 3);
        assert_eq!(decimals_written("1.5e-40"), MAX_DECIMALS);
        assert_eq!(Bound::parse("70").unwrap().decimals, MIN_DECIMALS);
        assert_eq!(Bound::parse("25.386").unwrap().decimals, 3);
        assert_eq!(Bound::parse("70.100").unwrap().decimals, 3);
    }

    #[test]
    fn the_printed_value_is_the_compared_value() {
        let r = report();
        // 69.996 prints as 70.00 and so passes min 70: never "70.00 failed min 70".
        let a = only(r#"{"pairs.0.bleu": {"min": 70}}"#, &r, None);
        assert_eq!((a.outcome, a.actual, a.shown.actual.as_str()), (Outcome::Pass, Some(70.0), "70.00"));
        let a = only(r#"{"pairs.1.bleu": {"min": 70}}"#, &r, None);
        assert_eq!((a.outcome, a.shown.actual.as_str()), (Outcome::Fail, "69.99"));
        assert_eq!(a.message, "pairs.1.bleu is 69.99, below the minimum 70");
        // More decimals in the bound, more in the comparison.
        let a = only(r#"{"document.bleu.score": {"min": 25.39}}"#, &r, None);
        assert_eq!((a.outcome, a.shown.actual.as_str()), (Outcome::Pass, "25.39"));
        let a = only(r#"{"document.bleu.score": {"min": 25.386}}"#, &r, None);
        assert_eq!((a.outcome, a.shown.actual.as_str()), (Outcome::Fail, "25.385"));
        // Trailing zeros count: the bound is shown, and compared, as written.
        let a = only(r#"{"pairs.1.bleu": {"max": 69.990}}"#, &r, None);
        assert_eq!((a.outcome, a.shown.actual.as_str(), a.shown.bound.as_str()), (Outcome::Fail, "69.994", "69.990"));
    }

    #[test]
    fn integers_are_compared_and_printed_exactly() {
        let a = only(r#"{"document.extra": {"max": 4.5}}"#, &report(), None);
        assert_eq!((a.outcome, a.shown.actual.as_str()), (Outcome::Fail, "5"));
        let a = only(r#"{"document.coverage": {"min": 1}}"#, &report(), None);
        assert_eq!((a.outcome, a.shown.actual.as_str()), (Outcome::Pass, "1.0000"));
    }

    #[test]
    fn fractions_are_compared_finer_than_reports_print_them() {
        let at = |coverage: f64, rule: &str| {
            only(&format!(r#"{{"document.coverage": {rule}}}"#), &json!({"document": {"coverage": coverage}}), None)
        };
        // 0.999 prints as "99.9%": it must not pass min 1 as "1.00".
        let a = at(0.999, r#"{"min": 1}"#);
        assert_eq!(
            (a.outcome, a.message.as_str()),
            (Outcome::Fail, "document.coverage is 0.9990, below the minimum 1")
        );
        assert_eq!(at(0.99996, r#"{"min": 1}"#).outcome, Outcome::Pass);
        assert_eq!(at(0.9449, r#"{"min": 0.945}"#).shown.actual, "0.9449");
        // A score is no fraction: 0.5 against min 20 stays at two decimals.
        assert_eq!(at(0.5, r#"{"min": 20}"#).shown.actual, "0.50");
    }

    #[test]
    fn relative_bounds_compare_rounded_values_with_the_baseline() {
        let base = json!({"document": {"bleu": {"score": 25.4915}, "extra": 3}});
        // 25.39 against 25.49: a drop of exactly 0.10, though 25.4915 - 25.3854 is more.
        let a = only(r#"{"document.bleu.score": {"max_drop": 0.1}}"#, &report(), Some(&base));
        assert_eq!((a.outcome, a.baseline), (Outcome::Pass, Some(25.49)), "{}", a.message);
        assert_eq!(a.message, "document.bleu.score is 25.39, 0.10 below the baseline 25.49; the allowed drop is 0.1");
        let a = only(r#"{"document.bleu.score": {"max_drop": 0.09}}"#, &report(), Some(&base));
        assert_eq!(a.outcome, Outcome::Fail);
        let a = only(r#"{"document.extra": {"max_rise": 1, "level": "warn"}}"#, &report(), Some(&base));
        assert_eq!(
            (a.outcome, a.message.as_str()),
            (Outcome::Warn, "document.extra is 5, 2 above the baseline 3; the allowed rise is 1")
        );
        assert!(gate_on(r#"{"document.bleu.score": {"max_rise": 0}}"#, &report(), Some(&report())).unwrap().passed);
    }

    #[test]
    fn relative_bounds_need_a_baseline_that_has_the_path() {
        let err = problem(r#"{"document.bleu.score": {"min": 1, "max_drop": 1}}"#);
        assert!(err.contains(r#"$["document.bleu.score"].max_drop"#) && err.contains("--baseline"), "{err}");
        let err = gate_on(r#"{"document.extra": {"max_drop": 1}}"#, &report(), Some(&json!({"bleu": {}}))).unwrap_err();
        assert!(err.to_string().contains("in the baseline base.json, the top level has no key `document`"), "{err}");
    }

    #[test]
    fn every_problem_in_a_thresholds_file_names_its_json_path() {
        let err =
            problem(r#"{"document.bleu.score": {"mni": 20}, "x": 3, "y": {"min": "20"}, "z": {"level": "warn"}}"#);
        let lines: Vec<&str> = err.lines().filter(|l| l.starts_with("t.json: ")).collect();
        assert_eq!(lines.len(), 4, "{err}");
        assert!(err.contains(r#"$["document.bleu.score"].mni: unknown key `mni`; the valid keys are min, max, max_drop, max_rise, level"#), "{err}");
        assert!(err.contains("did you mean `min`?"), "{err}");
        assert!(err.contains(r#"$["x"] is a number; a rule must be an object"#), "{err}");
        assert!(err.contains(r#"$["y"].min is a string ("20")"#), "{err}");
        assert!(err.contains(r#"$["z"] has no bound"#), "{err}");
        let err = problem("{\n  \"a\": {\"min\": 1,}\n}");
        assert!(err.starts_with("t.json: invalid JSON at line 2, column 18: "), "{err}");
        assert!(problem("[1]").contains("the file is an array"));
        assert!(problem(r#"{"$schema": "x"}"#).contains("no rules"));
        assert!(problem(r#"{"a": {"min": 2, "max": 1}}"#).contains("min 2 is above max 1"));
        assert!(problem(r#"{"a": {"max_rise": -1}}"#).contains("must be 0 or more"));
        assert!(problem(r#"{"a": {"min": 1}, "a": {"max": 2}}"#).contains("appears more than once"));
        assert!(problem(r#"{"a": {"min": 1, "level": "fatal"}}"#).contains(r#"$["a"].level is "fatal""#));
        assert!(problem(r#"{"a..b": {"min": 1}}"#).contains("empty segment"));
        assert!(problem(r#"{"a": {"min": 1, "odd key": 2}}"#).contains(r#"$["a"]["odd key"]: unknown key"#));
    }

    #[test]
    fn a_report_must_be_a_json_object_and_loses_an_earlier_gate_section() {
        let report = parse_report("r.json", r#"{"bleu": {"score": 1.5}, "gate": {"passed": false}}"#).unwrap();
        assert_eq!(report, json!({"bleu": {"score": 1.5}}));
        let err = parse_report("r.json", "[]").unwrap_err().to_string();
        assert!(err.starts_with("r.json: the file is an array"), "{err}");
        let err = parse_report("r.json", "{\"bleu\": }").unwrap_err().to_string();
        assert!(err.starts_with("r.json: invalid JSON at line 1, column 10"), "{err}");
    }

    #[test]
    fn workflow_messages_escape_percent_and_line_breaks() {
        assert_eq!(escape_workflow_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_workflow_data("%0A"), "%250A");
    }

    #[test]
    fn annotations_cover_failures_then_warnings_and_stop_at_ten() {
        let many: Value = json!({ "v": (0..12).collect::<Vec<i32>>(), "w": 1 });
        let rules: Vec<String> = (0..12).map(|i| format!("\"v.{i}\": {{\"max\": -1}}")).collect();
        let thresholds = format!("{{{}, \"w\": {{\"max\": 0, \"level\": \"warn\"}}}}", rules.join(", "));
        let outcome = gate_on(&thresholds, &many, None).unwrap();
        assert!(!outcome.passed);
        assert_eq!(outcome.exit_code(), EXIT_GATE_FAILED);
        let text = outcome.github_annotations();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), MAX_ANNOTATIONS + 1, "{text}");
        assert!(lines[..MAX_ANNOTATIONS].iter().all(|l| l.starts_with("::error title=tqscore gate::v.")), "{text}");
        assert_eq!(lines[0], "::error title=tqscore gate::v.0 is 0, above the maximum -1 (t.json)");
        assert!(lines[MAX_ANNOTATIONS].contains("3 more failed assertions are not annotated"), "{text}");
    }

    #[test]
    fn tables_show_bounds_as_written_and_the_verdict() {
        let outcome = gate_on(
            r#"{"document.bleu.score": {"min": 25.0, "max": 30}, "document.extra": {"max": 4, "level": "warn"}}"#,
            &report(),
            None,
        )
        .unwrap();
        assert!(outcome.passed);
        let text = outcome.to_text();
        assert!(text.contains("  pass     document.bleu.score  min    25.0   25.39\n"), "{text}");
        assert!(text.contains("  warn  document.extra is 5, above the maximum 4\n"), "{text}");
        assert!(text.ends_with("Gate passed with 1 warning: 3 assertions, no error-level failure\n"), "{text}");
        let markdown = outcome.to_markdown();
        assert!(markdown.contains("| ⚠️ warn | `document.extra` | max | 4 | 5 | – |"), "{markdown}");
    }
}
