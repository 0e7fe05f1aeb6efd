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
const RULE_KEYS: [&str; 5] = ["min", "max", "max_drop", "max_rise", "level"];

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
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
    let mut path = format!("$[{}]", quote(rule));
    if let Some(key) = key {
        if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            path.push('.');
            path.push_str(key);
        } else {
            path.push_str(&format!("[{}]", quote(key)));
        }
    }
    path
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

/// Report every problem of a JSON file at once, each line naming the file.
fn problems_error(file: &str, problems: &[String]) -> Error {
    Error::Json { path: file.to_string(), message: problems.join(&format!("\n{file}: ")) }
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
        } else if let Some(kind) = RuleKind::from_key(key) {
            match Bound::parse(value.get()) {
                Some(bound) if kind.is_relative() && bound.value < 0.0 => problems.push(format!(
                    "{at} is {}; it is how far the value may move {} the baseline, so it must be 0 or more",
                    bound.written,
                    if kind == RuleKind::MaxDrop { "below" } else { "above" }
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
    (problems.len() == before).then(|| Rule { path: path.to_string(), level, bounds })
}

/// Parse a saved JSON report (`tqscore score --format json`, `tqscore corpus
/// --format json`); `file` names it in messages. A `gate` section from an earlier
/// gate is dropped, so gating a saved report sees what the run itself saw.
pub fn parse_report(file: &str, text: &str) -> Result<Value> {
    let hint = "pass a JSON report, written by `tqscore score --format json -o FILE` or `tqscore corpus --format json`";
    let mut report: Value = serde_json::from_str(text).map_err(|e| invalid_json(file, &e, hint))?;
    match report.as_object_mut() {
        Some(top) => {
            top.shift_remove("gate");
            Ok(report)
        }
        None => Err(problems_error(
            file,
            &[format!("the file is {}, not a JSON report object\n  hint: {hint}", value_kind(&report))],
        )),
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
fn child(prefix: &str, key: &str) -> String {
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

/// Follow a dotted path into a report: segments are object keys or array
/// indices, and a final `length` on an array is its length. On failure, says
/// why, naming the deepest part of the path that exists and the valid paths
/// there, best matches first.
pub fn resolve(report: &Value, path: &str) -> std::result::Result<Found, String> {
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
                    return Err(why);
                }
            },
            Value::Array(items) if segment == "length" && last => {
                return Ok(Found { value: items.len() as f64, integer: true })
            }
            Value::Array(items) => match array_index(segment).and_then(|k| items.get(k)) {
                Some(value) => value,
                None if items.is_empty() => {
                    return Err(format!(
                        "`{prefix}` is an empty array, so `{segment}` is not in it\n  hint: only `{}` is valid there",
                        child(&prefix, "length")
                    ))
                }
                None => {
                    return Err(format!(
                        "`{prefix}` is an array of {} items, so `{segment}` is not in it\n  hint: use an index \
                         0 to {}, written without sign or leading zeros (`{}`), or `{}` for its length",
                        items.len(),
                        items.len() - 1,
                        child(&prefix, "0"),
                        child(&prefix, "length")
                    ))
                }
            },
            other => {
                return Err(format!(
                    "`{prefix}` is {}, so nothing can follow it\n  hint: end the path at `{prefix}`",
                    value_kind(other)
                ))
            }
        };
    }
    match here {
        Value::Number(n) => n
            .as_f64()
            .map(|value| Found { value, integer: !n.is_f64() })
            .ok_or_else(|| format!("`{path}` ({n}) is not representable as a number")),
        Value::Array(_) => Err(format!(
            "`{path}` is an array, not a number\n  hint: gate its length with `{}`, or an item with `{}`",
            child(path, "length"),
            child(path, "0")
        )),
        Value::Object(map) => {
            let numeric: Vec<String> = map.iter().filter(|(_, v)| v.is_number()).map(|(k, _)| child(path, k)).collect();
            let hint = if numeric.is_empty() {
                format!("its keys: {}", map.keys().map(|k| child(path, k)).collect::<Vec<_>>().join(", "))
            } else {
                format!("its numbers: {}", numeric.join(", "))
            };
            Err(format!("`{path}` is an object, not a number\n  hint: {hint}"))
        }
        other => Err(format!("`{path}` is {}, not a number\n  hint: gate a numeric field", value_kind(other))),
    }
}

/// A path segment as an array index: decimal digits without sign or leading
/// zeros, so that each item has one path (`pairs.0`, never `pairs.00` or `pairs.+0`).
fn array_index(segment: &str) -> Option<usize> {
    let canonical = segment == "0" || (!segment.starts_with('0') && segment.bytes().all(|b| b.is_ascii_digit()));
    canonical.then(|| segment.parse().ok()).flatten()
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

/// What an armed bound compares with: the bound alone, or the baseline's value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Test {
    Min,
    Max,
    MaxDrop(Found),
    MaxRise(Found),
}

impl Test {
    /// The thresholds-file key this test came from.
    fn kind(self) -> RuleKind {
        match self {
            Test::Min => RuleKind::Min,
            Test::Max => RuleKind::Max,
            Test::MaxDrop(_) => RuleKind::MaxDrop,
            Test::MaxRise(_) => RuleKind::MaxRise,
        }
    }

    /// The baseline's value, for relative tests.
    fn baseline(self) -> Option<Found> {
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
}

/// Thresholds ready to evaluate reports: relative bounds already hold the
/// baseline's values, so every problem with the thresholds and the baseline is
/// found before anything is scored.
#[derive(Debug, Clone)]
pub struct Gate {
    thresholds: String,
    baseline: Option<String>,
    rules: Vec<ArmedRule>,
}

/// The name a run's own report has in messages (it is not a file yet).
pub const RUN_REPORT: &str = "this run's report";

impl Gate {
    /// Arm `thresholds`, reading relative bounds' baselines from `baseline`
    /// (`(file name, report)`). Fails if a `max_drop`/`max_rise` rule has no
    /// baseline or its path is not a number in the baseline.
    pub fn new(thresholds: Thresholds, baseline: Option<(&str, &Value)>) -> Result<Gate> {
        let base = |key: &str, path: &str| -> std::result::Result<Found, String> {
            let Some((file, report)) = baseline else {
                return Err(format!(
                    "{}: `{key}` compares with a baseline report, but none was given\n  hint: pass \
                     --baseline OLD_REPORT.json (the JSON report of an earlier run), or use min/max",
                    json_path(path, Some(key))
                ));
            };
            resolve(report, path).map_err(|why| {
                format!(
                    "{}: in the baseline {file}, {why}\n  hint: use a baseline made the same way as the \
                     report (same command and format)",
                    json_path(path, None)
                )
            })
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
            rules.push(ArmedRule { path: rule.path, level: rule.level, checks });
        }
        if !problems.is_empty() {
            return Err(problems_error(&thresholds.file, &problems));
        }
        Ok(Gate { thresholds: thresholds.file, baseline: baseline.map(|(file, _)| file.to_string()), rules })
    }

    /// Evaluate every assertion against `report` (named `report_name` in
    /// messages). Fails, naming every bad path, if a path is not a number in the report.
    pub fn evaluate(&self, report: &Value, report_name: &str) -> Result<GateReport> {
        let mut problems = Vec::new();
        let mut assertions = Vec::new();
        for rule in &self.rules {
            match resolve(report, &rule.path) {
                Ok(actual) => {
                    assertions.extend(rule.checks.iter().map(|(test, bound)| judge(rule, *test, bound, actual)))
                }
                Err(why) => problems.push(format!(
                    "{}: in {report_name}, {why}\n  hint: fix the path in {}; the JSON report \
                     (--format json) shows every path",
                    json_path(&rule.path, None),
                    self.thresholds
                )),
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
        })
    }
}

/// Compare one value with one bound, following the precision rule.
fn judge(rule: &ArmedRule, test: Test, bound: &Bound, actual: Found) -> Assertion {
    let exact = actual.integer && test.baseline().is_none_or(|b| b.integer);
    let fraction = |v: f64| (0.0..=1.0).contains(&v);
    let fractions =
        fraction(actual.value) && fraction(bound.value) && test.baseline().is_none_or(|b| fraction(b.value));
    let least = if fractions { MIN_FRACTION_DECIMALS } else { MIN_DECIMALS };
    let decimals = (!exact).then_some(bound.decimals.max(least));
    let a = round(actual.value, decimals);
    let b = test.baseline().map(|b| round(b.value, decimals));
    let path = &rule.path;
    let (passed, message) = match test {
        Test::Min => {
            let passed = a.value >= bound.value;
            let relation = if passed { "at least" } else { "below" };
            (passed, format!("{path} is {}, {relation} the minimum {}", a.text, bound.written))
        }
        Test::Max => {
            let passed = a.value <= bound.value;
            let relation = if passed { "at most" } else { "above" };
            (passed, format!("{path} is {}, {relation} the maximum {}", a.text, bound.written))
        }
        Test::MaxDrop(base) | Test::MaxRise(base) => {
            let base = round(base.value, decimals);
            // Rounded again: the difference of two rounded values is exact at `decimals`.
            let rise = round(a.value - base.value, decimals);
            let drop = round(base.value - a.value, decimals);
            let (moved, allowed) = if test.kind() == RuleKind::MaxDrop { (&drop, "drop") } else { (&rise, "rise") };
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
    let outcome = match (passed, rule.level) {
        (true, _) => Outcome::Pass,
        (false, Level::Warn) => Outcome::Warn,
        (false, Level::Error) => Outcome::Fail,
    };
    Assertion {
        path: path.clone(),
        rule: test.kind(),
        bound: bound.value,
        actual: a.value,
        baseline: b.as_ref().map(|b| b.value),
        level: rule.level,
        outcome,
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
    /// The report's value as compared (rounded by the precision rule).
    pub actual: f64,
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
        let why = resolve(&report(), "document.bleu.scor").unwrap_err();
        assert!(why.starts_with("`document.bleu` has no key `scor`"), "{why}");
        assert!(why.contains("best matches first: document.bleu.score, document.bleu.ci95"), "{why}");
        assert!(why.contains("did you mean `document.bleu.score`?"), "{why}");
        let why = resolve(&report(), "documnet.extra").unwrap_err();
        assert!(why.starts_with("the top level has no key `documnet`"), "{why}");
        assert!(why.contains("did you mean `document`?"), "{why}");
        assert!(!resolve(&report(), "zzz").unwrap_err().contains("did you mean"));
        assert!(!resolve(&report(), "document.bleu.zzzzz").unwrap_err().contains("did you mean"));
    }

    #[test]
    fn bad_indices_and_values_that_are_not_numbers_say_what_to_do() {
        let r = report();
        let why = resolve(&r, "pairs.2.bleu").unwrap_err();
        assert!(why.contains("`pairs` is an array of 2 items") && why.contains("index 0 to 1"), "{why}");
        assert!(resolve(&r, "unaligned.reference.0").unwrap_err().contains("only `unaligned.reference.length`"));
        assert!(resolve(&r, "pairs").unwrap_err().contains("`pairs.length`"));
        for odd in ["00", "+0", "-0", "01", " 1", ""] {
            let why = resolve(&r, &format!("pairs.{odd}.bleu")).unwrap_err();
            assert!(why.contains("without sign or leading zeros"), "{odd}: {why}");
        }
        assert!(resolve(&r, "document.bleu").unwrap_err().contains("its numbers: document.bleu.score"));
        assert!(resolve(&r, "document.bleu.ci95").unwrap_err().contains("is null, not a number"));
        assert!(resolve(&r, "signature.x").unwrap_err().contains("`signature` is a string, so nothing can follow"));
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
        assert_eq!((a.outcome, a.actual, a.shown.actual.as_str()), (Outcome::Pass, 70.0, "70.00"));
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
