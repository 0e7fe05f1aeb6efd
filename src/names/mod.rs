//! Name fidelity: are the reference's people, places and organisations
//! rendered right in the candidate?
//!
//! Names are found in the reference by capitalisation, checked against an
//! English word list ([`extract`], [`lexicon`]); each aligned pair then decides
//! how every reference name token is rendered in the pair's candidate text
//! ([`render`]): correctly (exact, case, diacritics, alias, derivation), as a
//! *variant* (a different spelling: `Witkoff`/`Vikov`), as a *wrong* name
//! (`Orel`/`Eagle`), *missing* (dropped, or replaced by a pronoun), or
//! *unmatched* (no rendering found, but the name is made of common words that
//! a translation may put another way). See `docs/names.md`.

pub mod aliases;
pub mod extract;
pub mod lexicon;
pub mod matching;
pub mod render;

use std::collections::BTreeMap;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::{Deserialize, Serialize};

pub use aliases::Aliases;

use crate::align::Bead;
use crate::segment::Sentence;
use extract::{Mention, Word};

/// Fuzzy similarity at or above which an unmatched candidate word is a variant.
pub const VARIANT_THRESHOLD: f64 = 0.8;

/// How a reference name was rendered, or what happened to a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Identical.
    Exact,
    /// Same letters, different case (`TASS`/`Tass`, `Omicron`/`omicron`).
    Case,
    /// Same letters without diacritics (`Erdoğan`/`Erdogan`).
    Diacritics,
    /// A known alias, an acronym or its expansion, the other English spelling
    /// (`U.S.`/`United States`, `UN`/`United Nations`, `Labour`/`Labor`).
    Alias,
    /// An English derivation (`Ukraine`/`Ukrainian`, `Navy`/`naval`).
    Derivation,
    /// A misspelling or another transliteration (`Witkoff`/`Vikov`, `Stavropol`/`Stavropolskaya`).
    Variant,
    /// A different name or word in the name's place (`Orel`/`Eagle`, `Volodymyr`/`Vladimir` when spelt apart).
    Wrong,
    /// A reference name with no rendering: dropped, or replaced by a pronoun or a description.
    Missing,
    /// No rendering found, but the name's common words may be translated another way (`System`/`Directorate`).
    Unmatched,
    /// A candidate name with no counterpart in the pair.
    Added,
}

impl Tier {
    /// Whether the rendering counts as correct.
    pub fn is_correct(self) -> bool {
        matches!(self, Tier::Exact | Tier::Case | Tier::Diacritics | Tier::Alias | Tier::Derivation)
    }

    /// Whether the rendering is a finding worth a reader's attention (variant, wrong or missing).
    pub fn is_flag(self) -> bool {
        matches!(self, Tier::Variant | Tier::Wrong | Tier::Missing)
    }
}

/// How sure a flag is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Same transliteration skeleton, a Russian case form, or a proper name with nothing like it in the pair.
    High,
    /// Fuzzy similarity 0.9 or more; a common word of a name not rendered.
    Medium,
    /// Fuzzy similarity between the variant threshold and 0.9; a different word found only by its place.
    Low,
}

/// One matching decision, for auditing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MentionAudit {
    /// Index of the aligned pair (into the report's `pairs`); null for a name
    /// of an omitted reference sentence (see `sentence`).
    pub pair: Option<usize>,
    /// Index of the reference sentence, for a name of an omitted reference sentence.
    pub sentence: Option<usize>,
    /// The reference name token (null for an added name).
    pub reference: Option<String>,
    /// The candidate rendering (null for a missing or unmatched name).
    pub candidate: Option<String>,
    /// How they matched.
    pub tier: Tier,
    /// Skeleton/fuzzy similarity of a variant or wrong rendering (0..1).
    pub similarity: Option<f64>,
    /// NEWS transliteration F-score (LCS-based, 0..1) of a variant or wrong rendering: how far off it is.
    pub closeness: Option<f64>,
    /// How sure a flag (variant, wrong, missing) is.
    pub confidence: Option<Confidence>,
}

/// A candidate rendering of a reference name and how often it occurred.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantCount {
    /// The candidate's spelling.
    pub text: String,
    /// Occurrences.
    pub count: usize,
}

/// How one reference name was rendered across the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityReport {
    /// The reference name token (or alias phrase).
    pub name: String,
    /// The longest reference mention it occurs in (`Steve Witkoff`).
    pub full_name: String,
    /// Occurrences in aligned reference sentences.
    pub reference_count: usize,
    /// Correct renderings (exact, case, diacritics, alias or derivation).
    pub exact: usize,
    /// Misspelled renderings, most frequent first.
    pub variants: Vec<VariantCount>,
    /// Renderings as a different name or word, most frequent first.
    pub wrong: Vec<VariantCount>,
    /// Occurrences with no rendering.
    pub missing: usize,
    /// Occurrences whose rendering was not found (not counted as errors).
    pub unmatched: usize,
    /// The highest confidence among the entity's flags (variant, wrong, missing).
    pub confidence: Option<Confidence>,
}

/// Name counts of one aligned pair.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairNames {
    /// Reference names in the pair.
    pub reference: usize,
    /// Correct renderings.
    pub correct: usize,
    /// Misspelled renderings.
    pub variants: usize,
    /// Renderings as a different name or word.
    pub wrong: usize,
    /// Reference names without rendering.
    pub missing: usize,
    /// Reference names whose rendering was not found.
    pub unmatched: usize,
    /// Candidate names without counterpart.
    pub added: usize,
}

/// Name fidelity of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NameReport {
    /// Correct renderings / reference names (null without reference names).
    pub recall: Option<f64>,
    /// Correct renderings / candidate names (null without candidate names).
    pub precision: Option<f64>,
    /// Harmonic mean of recall and precision.
    pub f1: Option<f64>,
    /// (Correct + variant renderings) / reference names.
    pub lenient_recall: Option<f64>,
    /// (Variant + wrong) / (correct + variant + wrong renderings): how often a rendered name is rendered wrong.
    pub variant_rate: Option<f64>,
    /// Entity accuracy as SemEval-2025 Task 2 (EA-MT) M-ETA counts it: reference name
    /// mentions found, case-folded, in the candidate pair (or rendered by an alias) / all mentions.
    pub entity_accuracy: Option<f64>,
    /// Mean NEWS F-score of the variant and wrong renderings (null without any): how far off they are.
    pub mean_closeness: Option<f64>,
    /// Reference name tokens in aligned pairs.
    pub reference_mentions: usize,
    /// Candidate renderings and added names in aligned pairs (correct + variant + wrong + added).
    pub candidate_mentions: usize,
    /// Correct renderings.
    pub correct: usize,
    /// Misspelled renderings.
    pub variants: usize,
    /// Renderings as a different name or word.
    pub wrong: usize,
    /// Reference names not rendered.
    pub missing: usize,
    /// Reference names whose rendering was not found.
    pub unmatched: usize,
    /// Candidate names without counterpart.
    pub added: usize,
    /// Reference name mentions (a multi-word name counts once): the denominator of `entity_accuracy`.
    pub entity_mentions: usize,
    /// Of `entity_mentions`, those found in the candidate: the numerator of `entity_accuracy`.
    pub entity_mentions_found: usize,
    /// Per reference name, findings first.
    pub entities: Vec<EntityReport>,
    /// Candidate names without counterpart (proper names only), with counts.
    pub added_names: Vec<VariantCount>,
    /// Every matching decision.
    pub mentions: Vec<MentionAudit>,
}

/// Words, headline flag and name mentions of every sentence of one article.
struct Article {
    words: Vec<Vec<Word>>,
    mentions: Vec<Vec<Mention>>,
}

impl Article {
    /// The words of `sentences`, spellings looked up through `cache` (shared by both articles, whose words mostly repeat).
    fn words(sentences: &[Sentence], cache: &mut extract::SpellingCache) -> (Vec<Vec<Word>>, Vec<bool>) {
        let words: Vec<Vec<Word>> = sentences.iter().map(|s| extract::words_cached(&s.text, cache)).collect();
        let headlines = sentences.iter().zip(&words).map(|(s, w)| extract::is_headline(&s.text, w)).collect();
        (words, headlines)
    }

    fn new(words: Vec<Vec<Word>>, headlines: &[bool], memory: &HashSet<String>, aliases: &Aliases) -> Article {
        let mentions = words.iter().zip(headlines).map(|(w, &h)| extract::mentions(w, h, memory, aliases)).collect();
        Article { words, mentions }
    }
}

/// Whether the mention's keys occur as consecutive candidate words (M-ETA's case-folded match).
fn mention_found(keys: &[&str], candidate: &[&Word], first_key_positions: &HashMap<&str, Vec<usize>>) -> bool {
    let Some(positions) = keys.first().and_then(|k| first_key_positions.get(k)) else { return false };
    positions
        .iter()
        .any(|&p| candidate.len() >= p + keys.len() && keys.iter().zip(&candidate[p..]).all(|(k, w)| *k == &*w.key))
}

/// The sentences just before and just after `range`, among `len`.
fn neighbours(range: &std::ops::Range<usize>, len: usize) -> impl Iterator<Item = usize> {
    range.start.checked_sub(1).into_iter().chain((range.end < len).then_some(range.end))
}

/// Match the names of each aligned pair (`pairs` are beads with both sides).
pub fn analyze(
    reference: &[Sentence],
    candidate: &[Sentence],
    pairs: &[&Bead],
    aliases: &Aliases,
) -> (NameReport, Vec<PairNames>) {
    let mut cache = extract::SpellingCache::default();
    let (ref_words, ref_headlines) = Article::words(reference, &mut cache);
    let (cand_words, cand_headlines) = Article::words(candidate, &mut cache);
    let memory = extract::case_memory(
        ref_words
            .iter()
            .zip(&ref_headlines)
            .chain(cand_words.iter().zip(&cand_headlines))
            .map(|(w, &h)| (w.as_slice(), h)),
    );
    let (reference, candidate) = rayon::join(
        || Article::new(ref_words, &ref_headlines, &memory, aliases),
        || Article::new(cand_words, &cand_headlines, &memory, aliases),
    );
    let document_names: HashSet<String> = reference
        .mentions
        .iter()
        .zip(&reference.words)
        .flat_map(|(ms, words)| ms.iter().flat_map(move |m| m.words.iter().map(move |&i| words[i].key.to_string())))
        .collect();

    // Alias keys of the reference's names: a candidate's `American` is no addition where the reference has `U.S.`.
    let alias_keys: HashSet<&str> = reference.mentions.iter().flatten().filter_map(|m| m.alias.as_deref()).collect();
    let mut audits = Vec::new();
    let mut per_pair = Vec::with_capacity(pairs.len());
    let mut entity_of: BTreeMap<String, (String, String)> = BTreeMap::new(); // key -> (name, full)
    let (mut mentions_total, mut mentions_found) = (0usize, 0usize);
    for (p, bead) in pairs.iter().enumerate() {
        let sentences: Vec<(&[Word], &[Mention])> =
            bead.reference.clone().map(|i| (reference.words[i].as_slice(), reference.mentions[i].as_slice())).collect();
        let side = render::reference_side(&sentences);
        let tokens = &side.tokens;
        let cand_words: Vec<&Word> = bead.candidate.clone().flat_map(|i| candidate.words[i].iter()).collect();
        // Only the keys of this pair's names matter.
        let mut neighbour_surplus: HashMap<&str, isize> = tokens.iter().map(|t| (&*t.word.key, 0)).collect();
        for i in neighbours(&bead.candidate, candidate.words.len()) {
            for w in &candidate.words[i] {
                if let Some(n) = neighbour_surplus.get_mut(&*w.key) {
                    *n += 1;
                }
            }
        }
        for i in neighbours(&bead.reference, reference.words.len()) {
            for w in &reference.words[i] {
                if let Some(n) = neighbour_surplus.get_mut(&*w.key) {
                    *n -= 1;
                }
            }
        }
        let context = render::Context { aliases, document_names: &document_names, neighbour_surplus };
        let (renderings, used) = render::render(&side, &cand_words, &context);

        // Where the first key of each mention occurs among the candidate words.
        let mut first_key_positions: HashMap<&str, Vec<usize>> =
            side.mentions.iter().map(|m| (&*tokens[m.start].word.key, Vec::new())).collect();
        for (j, w) in cand_words.iter().enumerate() {
            if let Some(positions) = first_key_positions.get_mut(&*w.key) {
                positions.push(j);
            }
        }
        let mut k = 0;
        while k < tokens.len() {
            let end = (k..tokens.len()).find(|&e| tokens[e].mention != tokens[k].mention).unwrap_or(tokens.len());
            let keys: Vec<&str> = tokens[k..end].iter().map(|t| &*t.word.key).collect();
            mentions_total += 1;
            let by_alias = tokens[k].alias.is_some() && renderings[k].tier.is_correct();
            if by_alias || mention_found(&keys, &cand_words, &first_key_positions) {
                mentions_found += 1;
            }
            k = end;
        }

        let mut counts = PairNames { reference: tokens.len(), ..PairNames::default() };
        for (t, r) in tokens.iter().zip(&renderings) {
            let key = t.alias.map_or_else(|| t.word.text.to_string(), str::to_string);
            let name = if t.alias.is_some() { t.full.clone() } else { t.word.text.to_string() };
            let entry = entity_of.entry(key).or_insert_with(|| (name, t.full.clone()));
            if t.full.chars().count() > entry.1.chars().count() {
                entry.1 = t.full.clone();
            }
            match r.tier {
                Tier::Variant => counts.variants += 1,
                Tier::Wrong => counts.wrong += 1,
                Tier::Missing => counts.missing += 1,
                Tier::Unmatched => counts.unmatched += 1,
                _ => counts.correct += 1,
            }
            let closeness = matches!(r.tier, Tier::Variant | Tier::Wrong)
                .then(|| r.candidate.as_deref().map(|c| matching::news_f_score(&t.word.text, c)))
                .flatten();
            audits.push(MentionAudit {
                pair: Some(p),
                sentence: None,
                reference: Some(if t.alias.is_some() { t.full.clone() } else { t.word.text.to_string() }),
                candidate: r.candidate.clone(),
                tier: r.tier,
                similarity: r.similarity,
                closeness,
                confidence: r.confidence,
            });
        }
        // Candidate names no reference name accounts for: only proper names, so the list stays worth reading.
        let mut offset = 0;
        for i in bead.candidate.clone() {
            for m in &candidate.mentions[i] {
                for &w in &m.words {
                    let word = &candidate.words[i][w];
                    let alias_of_reference_name =
                        aliases.canonical(&word.text).is_some_and(|key| alias_keys.contains(key));
                    let is_added = !used[offset + w]
                        && !lexicon::is_common_word(&word.text)
                        && !document_names.contains(&*word.key)
                        && !alias_of_reference_name
                        && !tokens.iter().any(|t| matching::is_english_derivation(&t.word.text, &word.text));
                    if is_added {
                        counts.added += 1;
                        audits.push(MentionAudit {
                            pair: Some(p),
                            sentence: None,
                            reference: None,
                            candidate: Some(word.text.to_string()),
                            tier: Tier::Added,
                            similarity: None,
                            closeness: None,
                            confidence: None,
                        });
                    }
                }
            }
            offset += candidate.words[i].len();
        }
        per_pair.push(counts);
    }
    // Names of reference sentences with no counterpart at all are missing too.
    let mut aligned = vec![false; reference.words.len()];
    pairs.iter().flat_map(|b| b.reference.clone()).for_each(|i| aligned[i] = true);
    for i in (0..reference.words.len()).filter(|&i| !aligned[i]) {
        let side = render::reference_side(&[(reference.words[i].as_slice(), reference.mentions[i].as_slice())]);
        for t in &side.tokens {
            let key = t.alias.map_or_else(|| t.word.text.to_string(), str::to_string);
            let name = if t.alias.is_some() { t.full.clone() } else { t.word.text.to_string() };
            entity_of.entry(key).or_insert_with(|| (name.clone(), t.full.clone()));
            mentions_total += 1;
            audits.push(MentionAudit {
                pair: None,
                sentence: Some(i),
                reference: Some(name),
                candidate: None,
                tier: Tier::Missing,
                similarity: None,
                closeness: None,
                confidence: Some(Confidence::Medium),
            });
        }
    }
    let mut report = summarise(&audits, &entity_of, aliases);
    (report.entity_mentions, report.entity_mentions_found) = (mentions_total, mentions_found);
    report.set_rates();
    (report, per_pair)
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

fn f1(recall: Option<f64>, precision: Option<f64>) -> Option<f64> {
    match (recall, precision) {
        (Some(r), Some(p)) if r + p > 0.0 => Some(2.0 * r * p / (r + p)),
        (Some(_), Some(_)) => Some(0.0),
        _ => None,
    }
}

fn counted(map: BTreeMap<String, usize>) -> Vec<VariantCount> {
    let mut v: Vec<VariantCount> = map.into_iter().map(|(text, count)| VariantCount { text, count }).collect();
    v.sort_by(|a, b| b.count.cmp(&a.count).then(a.text.cmp(&b.text)));
    v
}

fn summarise(audits: &[MentionAudit], entity_of: &BTreeMap<String, (String, String)>, aliases: &Aliases) -> NameReport {
    let count = |pred: &dyn Fn(&MentionAudit) -> bool| audits.iter().filter(|a| pred(a)).count();
    let correct = count(&|a| a.tier.is_correct());
    let variants = count(&|a| a.tier == Tier::Variant);
    let wrong = count(&|a| a.tier == Tier::Wrong);
    let missing = count(&|a| a.tier == Tier::Missing);
    let unmatched = count(&|a| a.tier == Tier::Unmatched);
    let added = count(&|a| a.tier == Tier::Added);
    let reference_mentions = correct + variants + wrong + missing + unmatched;
    let closeness: Vec<f64> = audits.iter().filter_map(|a| a.closeness).collect();

    // Audits grouped by entity key (the alias key for alias units), in one pass.
    let mut by_key: BTreeMap<&str, Vec<&MentionAudit>> = BTreeMap::new();
    for a in audits {
        if let Some(r) = a.reference.as_deref() {
            by_key.entry(aliases.canonical(r).unwrap_or(r)).or_default().push(a);
        }
    }
    let renderings = |mine: &[&MentionAudit], tier: Tier| {
        let mut counts = BTreeMap::new();
        for a in mine.iter().filter(|a| a.tier == tier) {
            *counts.entry(a.candidate.clone().unwrap_or_default()).or_insert(0) += 1;
        }
        counted(counts)
    };
    let mut entities: Vec<EntityReport> = Vec::new();
    for (key, (name, full)) in entity_of {
        let mine = by_key.get(key.as_str()).cloned().unwrap_or_default();
        entities.push(EntityReport {
            name: name.clone(),
            full_name: full.clone(),
            reference_count: mine.len(),
            exact: mine.iter().filter(|a| a.tier.is_correct()).count(),
            variants: renderings(&mine, Tier::Variant),
            wrong: renderings(&mine, Tier::Wrong),
            missing: mine.iter().filter(|a| a.tier == Tier::Missing).count(),
            unmatched: mine.iter().filter(|a| a.tier == Tier::Unmatched).count(),
            confidence: mine.iter().filter_map(|a| a.confidence).min(),
        });
    }
    sort_entities(&mut entities);
    let mut added_names = BTreeMap::new();
    for a in audits.iter().filter(|a| a.tier == Tier::Added) {
        *added_names.entry(a.candidate.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    let mut report = NameReport {
        mean_closeness: mean(&closeness),
        reference_mentions,
        candidate_mentions: correct + variants + wrong + added,
        correct,
        variants,
        wrong,
        missing,
        unmatched,
        added,
        entities,
        added_names: counted(added_names),
        mentions: audits.to_vec(),
        ..NameReport::default()
    };
    report.set_rates();
    report
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Confident findings first (`High` orders before `Medium`, entities without findings last).
fn sort_entities(entities: &mut [EntityReport]) {
    let findings = |e: &EntityReport| e.variants.iter().chain(&e.wrong).map(|v| v.count).sum::<usize>();
    let rank = |e: &EntityReport| e.confidence.map_or(3, |c| c as u8);
    entities.sort_by(|a, b| {
        rank(a)
            .cmp(&rank(b))
            .then(findings(b).cmp(&findings(a)))
            .then(b.missing.cmp(&a.missing))
            .then(b.reference_count.cmp(&a.reference_count))
            .then(a.name.cmp(&b.name))
    });
}

/// Occurrences per spelling of a rendering.
type RenderingCounts = BTreeMap<String, usize>;

/// Add `more` renderings into `into` (same spelling: counts summed).
fn add_counts(into: &mut RenderingCounts, more: &[VariantCount]) {
    for v in more {
        *into.entry(v.text.clone()).or_insert(0) += v.count;
    }
}

impl NameReport {
    /// Fill the ratios from the counts.
    fn set_rates(&mut self) {
        let (correct, variants, wrong) = (self.correct, self.variants, self.wrong);
        self.recall = ratio(correct, self.reference_mentions);
        self.precision = ratio(correct, self.candidate_mentions);
        self.f1 = f1(self.recall, self.precision);
        self.lenient_recall = ratio(correct + variants, self.reference_mentions);
        self.variant_rate = ratio(variants + wrong, correct + variants + wrong);
        self.entity_accuracy = ratio(self.entity_mentions_found, self.entity_mentions);
    }

    /// Name fidelity pooled over several articles (a test set): counts summed
    /// and ratios recomputed from them (so a set's recall weighs every name
    /// mention alike, not every article), entities of the same name merged
    /// with their renderings counted together. The per-mention audit stays in
    /// each article's report: `mentions` is empty here.
    pub fn pooled<'a>(reports: impl IntoIterator<Item = &'a NameReport>) -> NameReport {
        let mut entities: BTreeMap<&str, (EntityReport, RenderingCounts, RenderingCounts)> = BTreeMap::new();
        let (mut added_names, mut closeness) = (BTreeMap::new(), Vec::new());
        let mut pooled = NameReport::default();
        for report in reports {
            pooled.reference_mentions += report.reference_mentions;
            pooled.candidate_mentions += report.candidate_mentions;
            pooled.correct += report.correct;
            pooled.variants += report.variants;
            pooled.wrong += report.wrong;
            pooled.missing += report.missing;
            pooled.unmatched += report.unmatched;
            pooled.added += report.added;
            pooled.entity_mentions += report.entity_mentions;
            pooled.entity_mentions_found += report.entity_mentions_found;
            closeness.extend(report.mentions.iter().filter_map(|a| a.closeness));
            add_counts(&mut added_names, &report.added_names);
            for e in &report.entities {
                let (merged, variants, wrong) = entities.entry(&e.name).or_insert_with(|| {
                    let empty = EntityReport { reference_count: 0, exact: 0, missing: 0, unmatched: 0, ..e.clone() };
                    (empty, BTreeMap::new(), BTreeMap::new())
                });
                if e.full_name.chars().count() > merged.full_name.chars().count() {
                    merged.full_name = e.full_name.clone();
                }
                merged.reference_count += e.reference_count;
                merged.exact += e.exact;
                merged.missing += e.missing;
                merged.unmatched += e.unmatched;
                merged.confidence = merged.confidence.into_iter().chain(e.confidence).min();
                add_counts(variants, &e.variants);
                add_counts(wrong, &e.wrong);
            }
        }
        pooled.mean_closeness = mean(&closeness);
        pooled.entities = entities
            .into_values()
            .map(|(e, variants, wrong)| EntityReport { variants: counted(variants), wrong: counted(wrong), ..e })
            .collect();
        sort_entities(&mut pooled.entities);
        pooled.added_names = counted(added_names);
        pooled.set_rates();
        pooled
    }
}
