//! Name fidelity: are the reference's people, places and organisations
//! rendered right in the candidate?
//!
//! Names are found by capitalisation ([`extract`]), then matched inside each
//! aligned pair in tiers: exact, case-folded, diacritic-folded
//! (`Erdoğan` = `Erdogan` is not an error), alias (`U.S.` = `United States`),
//! and finally *variant*: a different spelling that sounds alike (same
//! transliteration skeleton or fuzzy-similar, see [`matching`]). Guards keep
//! derivations (`Ukraine`/`Ukrainian`) and other reference names from being
//! called variants. See `docs/names.md`.

pub mod aliases;
pub mod extract;
pub mod matching;

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

pub use aliases::Aliases;

use crate::align::Bead;
use crate::segment::Sentence;

/// Fuzzy similarity at or above which an unmatched candidate name is a variant.
pub const VARIANT_THRESHOLD: f64 = 0.8;

/// How a reference name was rendered, or what happened to a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Identical.
    Exact,
    /// Same letters, different case (`TASS`/`Tass`).
    Case,
    /// Same letters without diacritics (`Erdoğan`/`Erdogan`).
    Diacritics,
    /// A known alias (`U.S.`/`United States`).
    Alias,
    /// A misspelling (`Witkoff`/`Vikov`).
    Variant,
    /// A reference name with no rendering in the pair.
    Missing,
    /// A candidate name with no counterpart in the pair.
    Added,
}

impl Tier {
    /// Whether the rendering counts as correct.
    pub fn is_correct(self) -> bool {
        matches!(self, Tier::Exact | Tier::Case | Tier::Diacritics | Tier::Alias)
    }
}

/// One matching decision, for auditing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MentionAudit {
    /// Index of the aligned pair (into the report's `pairs`).
    pub pair: usize,
    /// The reference name (null for an added name).
    pub reference: Option<String>,
    /// The candidate rendering (null for a missing name).
    pub candidate: Option<String>,
    /// How they matched.
    pub tier: Tier,
    /// Similarity of a variant (skeleton/fuzzy, 0..1).
    pub similarity: Option<f64>,
}

/// A candidate spelling of a reference name and how often it occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariantCount {
    /// The candidate's spelling.
    pub text: String,
    /// Occurrences.
    pub count: usize,
}

/// How one reference name was rendered across the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityReport {
    /// The reference name token (or alias phrase).
    pub name: String,
    /// The longest reference mention it occurs in (`Steve Witkoff`).
    pub full_name: String,
    /// Occurrences in aligned reference sentences.
    pub reference_count: usize,
    /// Correct renderings (exact, case, diacritics or alias).
    pub exact: usize,
    /// Misspelled renderings, most frequent first.
    pub variants: Vec<VariantCount>,
    /// Occurrences with no rendering.
    pub missing: usize,
}

/// Name counts of one aligned pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PairNames {
    /// Reference names in the pair.
    pub reference: usize,
    /// Correct renderings.
    pub correct: usize,
    /// Misspelled renderings.
    pub variants: usize,
    /// Reference names without rendering.
    pub missing: usize,
    /// Candidate names without counterpart.
    pub added: usize,
}

/// Name fidelity of a document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameReport {
    /// Correct renderings / reference names (null without reference names).
    pub recall: Option<f64>,
    /// Correct renderings / candidate names (null without candidate names).
    pub precision: Option<f64>,
    /// Harmonic mean of recall and precision.
    pub f1: Option<f64>,
    /// (Correct + variant renderings) / reference names.
    pub lenient_recall: Option<f64>,
    /// Variant renderings / (correct + variant renderings): how often a rendered name is misspelled.
    pub variant_rate: Option<f64>,
    /// Reference names in aligned pairs.
    pub reference_mentions: usize,
    /// Candidate names in aligned pairs.
    pub candidate_mentions: usize,
    /// Correct renderings.
    pub correct: usize,
    /// Misspelled renderings.
    pub variants: usize,
    /// Reference names not rendered.
    pub missing: usize,
    /// Candidate names without counterpart.
    pub added: usize,
    /// Per reference name, variants first.
    pub entities: Vec<EntityReport>,
    /// Candidate names without counterpart, with counts.
    pub added_names: Vec<VariantCount>,
    /// Every matching decision.
    pub mentions: Vec<MentionAudit>,
}

/// A matchable name unit: a token, or a whole alias phrase.
#[derive(Debug, Clone)]
struct Unit {
    surface: String,
    alias: Option<String>,
    full: String,
}

/// The name units of each sentence.
fn units_per_sentence(sentences: &[Sentence], memory: &HashSet<String>, aliases: &Aliases) -> Vec<Vec<Unit>> {
    sentences
        .iter()
        .map(|s| {
            let mut units = Vec::new();
            for m in extract::mentions(&s.text, memory, aliases) {
                let full = m.tokens.join(" ");
                for t in m.tokens {
                    units.push(Unit { surface: t, alias: m.alias.clone(), full: full.clone() });
                }
            }
            units
        })
        .collect()
}

/// The tier at which `r` and `c` match without fuzziness, if any.
fn strict_tier(r: &Unit, c: &Unit) -> Option<Tier> {
    if r.surface == c.surface {
        Some(Tier::Exact)
    } else if r.alias.is_some() && r.alias == c.alias {
        Some(Tier::Alias)
    } else if r.surface.to_lowercase() == c.surface.to_lowercase() {
        Some(Tier::Case)
    } else if matching::fold_diacritics(&r.surface) == matching::fold_diacritics(&c.surface) {
        Some(Tier::Diacritics)
    } else {
        None
    }
}

const STRICT_TIERS: [Tier; 4] = [Tier::Exact, Tier::Alias, Tier::Case, Tier::Diacritics];

/// Match the names of each aligned pair (`pairs` are beads with both sides).
pub fn analyze(
    reference: &[Sentence],
    candidate: &[Sentence],
    pairs: &[&Bead],
    aliases: &Aliases,
) -> (NameReport, Vec<PairNames>) {
    let memory = extract::case_memory(reference.iter().chain(candidate).map(|s| s.text.as_str()));
    let reference_units = units_per_sentence(reference, &memory, aliases);
    let candidate_units = units_per_sentence(candidate, &memory, aliases);
    let all_reference_names: HashSet<String> =
        reference_units.iter().flatten().map(|u| matching::fold_diacritics(&u.surface)).collect();

    let mut audits = Vec::new();
    let mut per_pair = Vec::with_capacity(pairs.len());
    let mut entity_of: BTreeMap<String, (String, String)> = BTreeMap::new(); // key -> (name, full)
    for (p, bead) in pairs.iter().enumerate() {
        let refs: Vec<&Unit> = reference_units[bead.reference.clone()].iter().flatten().collect();
        let cands: Vec<&Unit> = candidate_units[bead.candidate.clone()].iter().flatten().collect();
        let mut ref_done = vec![false; refs.len()];
        let mut cand_done = vec![false; cands.len()];
        let mut found = Vec::new();
        for tier in STRICT_TIERS {
            for (i, r) in refs.iter().enumerate() {
                if ref_done[i] {
                    continue;
                }
                if let Some(j) = (0..cands.len()).find(|&j| !cand_done[j] && strict_tier(r, cands[j]) == Some(tier)) {
                    ref_done[i] = true;
                    cand_done[j] = true;
                    found.push((i, Some(j), tier, None));
                }
            }
        }
        // Variants: the most similar remaining pairs first, one-to-one.
        let mut options = Vec::new();
        for (i, r) in refs.iter().enumerate().filter(|(i, r)| !ref_done[*i] && r.alias.is_none()) {
            for (j, c) in cands.iter().enumerate().filter(|(j, c)| !cand_done[*j] && c.alias.is_none()) {
                if all_reference_names.contains(&matching::fold_diacritics(&c.surface))
                    || matching::is_derivation(&r.surface, &c.surface)
                {
                    continue;
                }
                let sim = matching::similarity(&r.surface, &c.surface);
                if sim >= VARIANT_THRESHOLD {
                    options.push((sim, i, j));
                }
            }
        }
        options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (sim, i, j) in options {
            if !ref_done[i] && !cand_done[j] {
                ref_done[i] = true;
                cand_done[j] = true;
                found.push((i, Some(j), Tier::Variant, Some(sim)));
            }
        }
        for (i, done) in ref_done.iter().enumerate() {
            if !done {
                found.push((i, None, Tier::Missing, None));
            }
        }
        found.sort_by_key(|f| f.0);

        let mut counts = PairNames { reference: refs.len(), ..PairNames::default() };
        for (i, j, tier, similarity) in found {
            let r = &refs[i];
            let key = r.alias.clone().unwrap_or_else(|| r.surface.clone());
            let entry = entity_of.entry(key).or_insert_with(|| (r.surface.clone(), r.full.clone()));
            if r.full.chars().count() > entry.1.chars().count() {
                entry.1 = r.full.clone();
            }
            match tier {
                Tier::Variant => counts.variants += 1,
                Tier::Missing => counts.missing += 1,
                _ => counts.correct += 1,
            }
            audits.push(MentionAudit {
                pair: p,
                reference: Some(r.surface.clone()),
                candidate: j.map(|j| cands[j].surface.clone()),
                tier,
                similarity,
            });
        }
        for c in cands.iter().zip(&cand_done).filter(|(_, done)| !**done).map(|(c, _)| c) {
            counts.added += 1;
            audits.push(MentionAudit {
                pair: p,
                reference: None,
                candidate: Some(c.surface.clone()),
                tier: Tier::Added,
                similarity: None,
            });
        }
        per_pair.push(counts);
    }
    (summarise(&audits, &entity_of, aliases), per_pair)
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn counted(mut map: BTreeMap<String, usize>) -> Vec<VariantCount> {
    let mut v: Vec<VariantCount> =
        std::mem::take(&mut map).into_iter().map(|(text, count)| VariantCount { text, count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    v
}

fn summarise(audits: &[MentionAudit], entity_of: &BTreeMap<String, (String, String)>, aliases: &Aliases) -> NameReport {
    let count = |pred: &dyn Fn(&MentionAudit) -> bool| audits.iter().filter(|a| pred(a)).count();
    let correct = count(&|a| a.tier.is_correct());
    let variants = count(&|a| a.tier == Tier::Variant);
    let missing = count(&|a| a.tier == Tier::Missing);
    let added = count(&|a| a.tier == Tier::Added);
    let reference_mentions = correct + variants + missing;
    let candidate_mentions = correct + variants + added;
    let recall = ratio(correct, reference_mentions);
    let precision = ratio(correct, candidate_mentions);
    let f1 = match (recall, precision) {
        (Some(r), Some(p)) if r + p > 0.0 => Some(2.0 * r * p / (r + p)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    };

    // Audits grouped by entity key (the alias key for alias units), in one pass.
    let mut by_key: BTreeMap<&str, Vec<&MentionAudit>> = BTreeMap::new();
    for a in audits {
        if let Some(r) = a.reference.as_deref() {
            by_key.entry(aliases.canonical(r).unwrap_or(r)).or_default().push(a);
        }
    }
    let mut entities: Vec<EntityReport> = Vec::new();
    for (key, (name, full)) in entity_of {
        let mine = by_key.get(key.as_str()).cloned().unwrap_or_default();
        let mut variant_counts = BTreeMap::new();
        for a in mine.iter().filter(|a| a.tier == Tier::Variant) {
            *variant_counts.entry(a.candidate.clone().unwrap_or_default()).or_insert(0) += 1;
        }
        entities.push(EntityReport {
            name: name.clone(),
            full_name: full.clone(),
            reference_count: mine.len(),
            exact: mine.iter().filter(|a| a.tier.is_correct()).count(),
            variants: counted(variant_counts),
            missing: mine.iter().filter(|a| a.tier == Tier::Missing).count(),
        });
    }
    entities.sort_by(|a, b| {
        let av: usize = a.variants.iter().map(|v| v.count).sum();
        let bv: usize = b.variants.iter().map(|v| v.count).sum();
        bv.cmp(&av)
            .then(b.missing.cmp(&a.missing))
            .then(b.reference_count.cmp(&a.reference_count))
            .then(a.name.cmp(&b.name))
    });
    let mut added_names = BTreeMap::new();
    for a in audits.iter().filter(|a| a.tier == Tier::Added) {
        *added_names.entry(a.candidate.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    NameReport {
        recall,
        precision,
        f1,
        lenient_recall: ratio(correct + variants, reference_mentions),
        variant_rate: ratio(variants, correct + variants),
        reference_mentions,
        candidate_mentions,
        correct,
        variants,
        missing,
        added,
        entities,
        added_names: counted(added_names),
        mentions: audits.to_vec(),
    }
}
