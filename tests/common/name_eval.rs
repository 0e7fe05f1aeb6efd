//! Scoring name-fidelity flags against hand labels, exactly as
//! `../shared/data/names-gold/README.md` ("Scoring a name-fidelity checker")
//! defines it: per (document, candidate), multiset matching that ignores line
//! numbers; a variant/wrong flag is a true positive on an unmatched gold
//! `variant`/`wrong` record with the same (`ref_token`, `cand_form`), a missing
//! flag on an unmatched gold `omitted` record with the same `ref_token`;
//! strings compared after NFKD, removal of combining marks, case folding, a
//! trailing possessive and surrounding punctuation.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use tqscore::article::{score_article, ArticleOptions};
use tqscore::input::Text;

/// One gold record.
#[derive(Debug, Clone)]
pub struct Record {
    pub doc: String,
    pub cand: String,
    pub ref_token: String,
    pub cand_form: Option<String>,
    pub verdict: String,
}

impl Record {
    /// A record from a `labels.jsonl` line.
    pub fn from_json(v: &Value) -> Record {
        let s = |k: &str| v[k].as_str().map(str::to_string);
        Record {
            doc: s("doc").unwrap(),
            cand: s("cand").unwrap(),
            ref_token: s("ref_token").unwrap(),
            cand_form: s("cand_form"),
            verdict: s("verdict").unwrap(),
        }
    }
}

/// What a flag says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A reference name rendered as a variant or as a wrong name.
    Misrendered,
    /// A reference name not rendered.
    Missing,
}

/// One flag raised by tqscore.
#[derive(Debug, Clone)]
pub struct Flag {
    pub doc: String,
    pub cand: String,
    pub ref_token: String,
    pub cand_form: Option<String>,
    pub kind: Kind,
    /// `variant`, `wrong` or `missing`, as tqscore reported it.
    pub tier: String,
    /// tqscore's similarity, for misrendering flags.
    pub similarity: Option<f64>,
    /// tqscore's confidence.
    pub confidence: String,
}

/// The flags of one scored article pair (variant, wrong and missing mentions).
pub fn flags_of(doc: &str, cand: &str, reference: &str, candidate: &str) -> Vec<Flag> {
    let text =
        |name: &str, body: &str| Text { name: name.to_string(), text: body.to_string(), had_bom: false, had_cr: false };
    let options = ArticleOptions { bootstrap: 0, threads: 1, ..ArticleOptions::default() };
    let report = score_article(&text("reference", reference), &text("candidate", candidate), &options).unwrap();
    let mut flags = Vec::new();
    for m in &report.names.mentions {
        let v = serde_json::to_value(m).unwrap();
        let tier = v["tier"].as_str().unwrap().to_string();
        let kind = match tier.as_str() {
            "variant" | "wrong" => Kind::Misrendered,
            "missing" => Kind::Missing,
            _ => continue,
        };
        flags.push(Flag {
            doc: doc.to_string(),
            cand: cand.to_string(),
            ref_token: v["reference"].as_str().unwrap_or_default().to_string(),
            cand_form: v["candidate"].as_str().map(str::to_string),
            kind,
            tier,
            similarity: v["similarity"].as_f64(),
            confidence: v["confidence"].as_str().unwrap_or("-").to_string(),
        });
    }
    flags
}

/// The README's string normalisation.
pub fn norm(s: &str) -> String {
    let folded: String = s.nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect();
    let folded = folded.to_lowercase();
    let folded = folded.trim();
    let folded = folded.strip_suffix("'s").or_else(|| folded.strip_suffix("’s")).unwrap_or(folded);
    folded.trim_matches(|c: char| " \"'“”«».,;:!?()".contains(c)).to_string()
}

/// Counts of one slice of the evaluation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Counts {
    pub flags: usize,
    pub true_positives: usize,
    pub gold: usize,
    /// Flags that landed on a token labelled exact, acceptable or not_a_name.
    pub on_ok_names: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        self.true_positives as f64 / self.flags.max(1) as f64
    }
    pub fn recall(&self) -> f64 {
        self.true_positives as f64 / self.gold.max(1) as f64
    }
}

/// The evaluation: per kind, per (candidate, kind), per flag band.
#[derive(Debug, Default)]
pub struct Evaluation {
    pub by_kind: BTreeMap<Kind, Counts>,
    pub by_candidate: BTreeMap<(String, Kind), Counts>,
    /// Misrendering flags by similarity band and tier: (flags, true positives).
    pub by_band: BTreeMap<String, (usize, usize)>,
    /// Flags by confidence: (flags, true positives).
    pub by_confidence: BTreeMap<String, (usize, usize)>,
    /// Gold records not found: `(doc, cand, ref_token, cand_form, verdict)`.
    pub missed: Vec<(String, String, String, Option<String>, String)>,
    /// Flags that matched no gold record.
    pub false_flags: Vec<Flag>,
}

fn band(flag: &Flag) -> String {
    match (flag.tier.as_str(), flag.similarity) {
        ("wrong", _) => "wrong (different name or word)".into(),
        (_, Some(s)) if s >= 1.0 => "variant, same skeleton (1.0)".into(),
        (_, Some(s)) if s >= 0.9 => "variant, similarity 0.90-0.99".into(),
        (_, Some(s)) if s >= 0.8 => "variant, similarity 0.80-0.89".into(),
        (_, Some(_)) => "variant in the name's place (< 0.80)".into(),
        (_, None) => "variant, compound written as one word".into(),
    }
}

/// Score `flags` against `records`.
pub fn evaluate(records: &[Record], flags: &[Flag]) -> Evaluation {
    let bad = |v: &str| v == "variant" || v == "wrong";
    let mut pools: BTreeMap<(String, String), Vec<(Record, bool)>> = BTreeMap::new();
    for r in records {
        pools.entry((r.doc.clone(), r.cand.clone())).or_default().push((r.clone(), false));
    }
    let mut e = Evaluation::default();
    for f in flags {
        let pool = pools.entry((f.doc.clone(), f.cand.clone())).or_default();
        let (rt, cf) = (norm(&f.ref_token), f.cand_form.as_deref().map(norm));
        let hit = pool.iter().position(|(g, used)| {
            !used
                && norm(&g.ref_token) == rt
                && match f.kind {
                    Kind::Missing => g.verdict == "omitted",
                    Kind::Misrendered => bad(&g.verdict) && cf == g.cand_form.as_deref().map(norm),
                }
        });
        let on_ok = pool.iter().any(|(g, _)| {
            norm(&g.ref_token) == rt && matches!(g.verdict.as_str(), "exact" | "acceptable" | "not_a_name")
        });
        let tp = hit.is_some();
        if let Some(i) = hit {
            pool[i].1 = true;
        } else {
            e.false_flags.push(f.clone());
        }
        for counts in
            [e.by_kind.entry(f.kind).or_default(), e.by_candidate.entry((f.cand.clone(), f.kind)).or_default()]
        {
            counts.flags += 1;
            counts.true_positives += usize::from(tp);
            counts.on_ok_names += usize::from(!tp && on_ok);
        }
        if f.kind == Kind::Misrendered {
            let b = e.by_band.entry(band(f)).or_default();
            b.0 += 1;
            b.1 += usize::from(tp);
        }
        let c = e.by_confidence.entry(format!("{:?} {}", f.kind, f.confidence)).or_default();
        c.0 += 1;
        c.1 += usize::from(tp);
    }
    for ((_, _), pool) in &pools {
        for (g, used) in pool {
            let kind = if bad(&g.verdict) {
                Kind::Misrendered
            } else if g.verdict == "omitted" {
                Kind::Missing
            } else {
                continue;
            };
            e.by_kind.entry(kind).or_default().gold += 1;
            e.by_candidate.entry((g.cand.clone(), kind)).or_default().gold += 1;
            if !used {
                e.missed.push((
                    g.doc.clone(),
                    g.cand.clone(),
                    g.ref_token.clone(),
                    g.cand_form.clone(),
                    g.verdict.clone(),
                ));
            }
        }
    }
    e
}

impl Evaluation {
    /// A plain-text table of the figures, for the test log and docs/names.md.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let row = |out: &mut String, name: &str, c: &Counts| {
            let _ = writeln!(
                out,
                "{name:<28} {:>6} {:>5} {:>5} {:>6.3} {:>6.3} {:>6}",
                c.flags,
                c.true_positives,
                c.gold,
                c.precision(),
                c.recall(),
                c.on_ok_names
            );
        };
        let _ =
            writeln!(out, "{:<28} {:>6} {:>5} {:>5} {:>6} {:>6} {:>6}", "", "flags", "TP", "gold", "P", "R", "on-ok");
        for (kind, c) in &self.by_kind {
            row(&mut out, &format!("{kind:?}"), c);
        }
        for ((cand, kind), c) in &self.by_candidate {
            row(&mut out, &format!("  {cand} {kind:?}"), c);
        }
        let _ = writeln!(out, "misrendering flags by band:");
        for (b, (n, tp)) in &self.by_band {
            let _ = writeln!(out, "  {b:<40} {n:>4} flags, precision {:.3}", *tp as f64 / (*n).max(1) as f64);
        }
        let _ = writeln!(out, "flags by confidence:");
        for (b, (n, tp)) in &self.by_confidence {
            let _ = writeln!(out, "  {b:<40} {n:>4} flags, precision {:.3}", *tp as f64 / (*n).max(1) as f64);
        }
        out
    }

    /// The false flags and the missed gold records, one per line, when
    /// `TQSCORE_SHOW_WRONG` is set (`=PREFIX` keeps the documents or candidates whose name starts so).
    pub fn print_errors_if_asked(&self) {
        let Ok(prefix) = std::env::var("TQSCORE_SHOW_WRONG") else { return };
        let keep = |doc: &str, cand: &str| {
            prefix.is_empty() || prefix == "1" || doc.starts_with(&prefix) || cand.starts_with(&prefix)
        };
        for f in self.false_flags.iter().filter(|f| keep(&f.doc, &f.cand)) {
            println!(
                "false {:?} {} {}: {} -> {:?} ({}, {:?}, {})",
                f.kind, f.doc, f.cand, f.ref_token, f.cand_form, f.tier, f.similarity, f.confidence
            );
        }
        for (doc, cand, token, form, verdict) in self.missed.iter().filter(|m| keep(&m.0, &m.1)) {
            println!("missed {verdict} {doc} {cand}: {token} -> {form:?}");
        }
    }
}
