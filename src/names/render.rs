//! How each reference name of an aligned pair is rendered in the candidate.
//!
//! The reference side contributes name tokens ([`super::extract`]); the
//! candidate side contributes *every* word, since a name may be rendered in
//! lower case (`omicron`), as a derivation (`Russian` for `Russia`), as an
//! alias (`US` for `United States`) or as a common word (`Eagle` for the ship
//! `Orel`). Decisions are made in tiers, each consuming the candidate words it
//! uses, so every candidate word renders at most one name:
//!
//! 1. alias phrases (`United States` = `U.S.`), then the same key (case,
//!    diacritics and periods folded: exact, case, diacritics), occurrences
//!    paired by position when a key occurs more often on one side;
//! 2. English derivations (`Ukraine`/`Ukrainian`) and plurals;
//! 3. acronyms and their expansions (`UN` = `United Nations`);
//! 4. variants: a candidate word that sounds alike (same transliteration
//!    skeleton, or fuzzy similarity ≥ [`super::VARIANT_THRESHOLD`], more for a
//!    common word), most similar pairs first — unless both are common English
//!    words (a different word: `Maritime`/`Marine`) or one is an acronym and
//!    the other a word (`EMERCOM`/`Emergency`); the romanised original of an
//!    English word counts as correct (`Russian Knights` → `Russkiye Vityazi`);
//! 5. the name's *place*: words shared once by both sides anchor a monotone
//!    alignment of the two texts, which says where each reference word should
//!    land in the candidate. The proper tokens still open and the name-like
//!    candidate words near their places are paired in order (a translation
//!    keeps the order of a list of names): such a word renders the name wrongly
//!    (`Orel` → `Eagle`, `Pyotr Morgunov` → `Peter Morgunov`);
//! 6. what is left is *missing* when the evidence is clear — no token of the
//!    name is rendered, its place holds no name-like word (dropped, a pronoun,
//!    a description, or the candidate stops short), nothing similar is near,
//!    and no unexplained acronym or expansion could stand for it — and
//!    *unmatched* otherwise (`System` → `Directorate`: a common word of a name
//!    translated another way).
//!
//! Every tier looks only at candidate words near where a token should land
//! (at most [`WINDOW`] words away), so a pair with thousands of names costs
//! time linear in its length.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use super::aliases::Aliases;
use super::extract::{is_closed_class, is_name_like, Mention, Word};
use super::matching::{self, fold_diacritics};
use super::{Confidence, Tier, VARIANT_THRESHOLD};

/// Above this many (reference, candidate) occurrence pairs of one key, occurrences pair in order.
const MAX_POSITIONAL_PAIRS: usize = 4096;

/// Longest alias phrase looked for in candidate text, in words.
const MAX_ALIAS_WORDS: usize = 6;

/// The farthest, in candidate words, from where a token should land that any
/// tier looks for its rendering.
const WINDOW: usize = 64;

/// A different word renders a name only this near where the name should land:
/// at least this many words, or this share of the pair's candidate words
/// (and never more than [`WINDOW`]).
const PLACE_WORDS: usize = 6;
/// See [`PLACE_WORDS`].
const PLACE_SHARE: f64 = 0.3;

/// Anchors a name's slot (for the missing test) reaches beyond the nearest ones on each side.
const SLOT_WIDEN: usize = 1;

/// Similarity below the variant threshold that still makes "missing" uncertain.
const NEAR_MISS: f64 = 0.75;

/// Similarity a common English word needs to be a variant of a name.
const COMMON_WORD_VARIANT: f64 = 0.85;

/// How many words of distance a similar word in a name's place makes up for.
const SIMILARITY_BONUS: f64 = 3.0;

/// Worth of one more pair in the place pairing: more than any distance, so the
/// pairing first pairs as many tokens as it can.
const PAIR_VALUE: f64 = 1.0e6;

/// A word in a name's place is a variant (not a wrong name) from this similarity up.
const PLACE_VARIANT: f64 = 0.7;

/// At most this many tokens left over are paired in order with as many words left over.
const MAX_LEFTOVER_PAIRS: usize = 8;

/// The candidate stops short when, after the last word it shares with the
/// reference, it has less than a third of the reference's words left …
const STOPS_SHORT_RATIO: usize = 3;
/// … and the reference has at least this many left.
const STOPS_SHORT_WORDS: usize = 8;

/// One reference name token of a pair, with its context.
#[derive(Debug, Clone)]
pub struct RefToken<'a> {
    /// The word.
    pub word: &'a Word,
    /// Index of the word among the pair's reference words.
    pub index: usize,
    /// Index of its mention among the pair's mentions.
    pub mention: usize,
    /// The mention's alias key, when the whole mention is an alias.
    pub alias: Option<&'a str>,
    /// The full mention as written (`Steve Witkoff`).
    pub full: String,
}

/// The decision for one reference token.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendering {
    /// How it was rendered.
    pub tier: Tier,
    /// The candidate text that renders it (null when missing or unmatched).
    pub candidate: Option<String>,
    /// Skeleton/fuzzy similarity, for variants and wrong renderings.
    pub similarity: Option<f64>,
    /// How sure the decision is, for flags (variant, wrong, missing).
    pub confidence: Option<Confidence>,
}

impl Rendering {
    fn correct(tier: Tier, candidate: String) -> Rendering {
        Rendering { tier, candidate: Some(candidate), similarity: None, confidence: None }
    }

    fn flag(tier: Tier, candidate: Option<String>, similarity: Option<f64>, confidence: Confidence) -> Rendering {
        Rendering { tier, candidate, similarity, confidence: Some(confidence) }
    }

    fn unmatched() -> Rendering {
        Rendering { tier: Tier::Unmatched, candidate: None, similarity: None, confidence: None }
    }
}

/// The reference side of a pair: all its words, and its name tokens in order.
pub struct ReferenceSide<'a> {
    /// Every word of the pair's reference sentences.
    pub words: Vec<&'a Word>,
    /// The name tokens.
    pub tokens: Vec<RefToken<'a>>,
    /// The tokens of each mention (`tokens[range]`), in order.
    pub mentions: Vec<Range<usize>>,
}

/// The reference words and name tokens of a pair's sentences (`(words, mentions)` each).
pub fn reference_side<'a>(sentences: &[(&'a [Word], &'a [Mention])]) -> ReferenceSide<'a> {
    let mut side = ReferenceSide { words: Vec::new(), tokens: Vec::new(), mentions: Vec::new() };
    for (words, mentions) in sentences {
        let offset = side.words.len();
        side.words.extend(words.iter());
        for m in mentions.iter() {
            let (first, last) = (m.words[0], m.words[m.words.len() - 1]);
            let full = words[first..=last]
                .iter()
                .filter(|w| !w.is_initial_letter())
                .map(|w| &*w.text)
                .collect::<Vec<_>>()
                .join(" ");
            let start = side.tokens.len();
            for &i in &m.words {
                side.tokens.push(RefToken {
                    word: &words[i],
                    index: offset + i,
                    mention: side.mentions.len(),
                    alias: m.alias.as_deref(),
                    full: full.clone(),
                });
            }
            side.mentions.push(start..side.tokens.len());
        }
    }
    side
}

/// What a pair's candidate side offers besides its own words.
pub struct Context<'a> {
    /// Alias table.
    pub aliases: &'a Aliases,
    /// Keys of every reference name of the document: a wrong rendering is never one of them.
    pub document_names: &'a HashSet<String>,
    /// For each key, how many more times the candidate sentences next to the
    /// pair hold it than the reference sentences next to it: a name the
    /// alignment put one sentence off may be rendered there.
    pub neighbour_surplus: HashMap<&'a str, isize>,
}

/// A candidate word and whether a decision has used it.
struct Slot<'a> {
    word: &'a Word,
    used: bool,
}

/// The state of one pair's matching.
struct Pair<'s, 'a> {
    tokens: &'s [RefToken<'a>],
    mentions: &'s [Range<usize>],
    slots: Vec<Slot<'a>>,
    out: Vec<Option<Rendering>>,
    /// The candidate words that render each decided token.
    at: Vec<Option<Range<usize>>>,
    /// Where each token should land among the candidate words.
    expected: Vec<usize>,
    /// Monotone anchors (reference word, candidate word).
    anchors: Vec<(usize, usize)>,
    /// Every word of the pair's reference sentences.
    reference: &'s [&'a Word],
}

/// Decide how each reference token of one pair is rendered in the pair's
/// candidate words; also returns which candidate words render a name.
pub fn render(
    reference: &ReferenceSide<'_>,
    candidate: &[&Word],
    context: &Context<'_>,
) -> (Vec<Rendering>, Vec<bool>) {
    let anchors = anchors(&reference.words, candidate);
    let ratio = candidate.len() as f64 / reference.words.len().max(1) as f64;
    let mut pair = Pair {
        tokens: &reference.tokens,
        mentions: &reference.mentions,
        slots: candidate.iter().map(|w| Slot { word: w, used: false }).collect(),
        out: vec![None; reference.tokens.len()],
        at: vec![None; reference.tokens.len()],
        expected: reference.tokens.iter().map(|t| expected_position(&anchors, t.index, ratio)).collect(),
        anchors,
        reference: &reference.words,
    };
    pair.match_aliases(context.aliases);
    pair.match_same_key();
    pair.match_split_words();
    pair.match_derivations();
    pair.match_acronyms();
    pair.match_variants();
    pair.match_in_places(context.document_names);
    pair.decide_leftovers(context);
    let used = pair.slots.iter().map(|s| s.used).collect();
    (pair.out.into_iter().map(|r| r.expect("every token decided")).collect(), used)
}

/// The tier of two texts with the same key.
fn same_key_tier(reference: &str, candidate: &str) -> Tier {
    if reference == candidate {
        Tier::Exact
    } else if reference.to_lowercase() == candidate.to_lowercase() {
        Tier::Case
    } else if fold_diacritics(reference) == fold_diacritics(candidate) {
        Tier::Diacritics
    } else {
        Tier::Alias
    }
}

/// Candidate words within `reach` of `centre`, among `len`.
fn around(centre: usize, reach: usize, len: usize) -> Range<usize> {
    let centre = centre.min(len);
    centre.saturating_sub(reach)..(centre + reach + 1).min(len)
}

/// The candidate words near where a name should land that may render it (see [`PLACE_WORDS`]).
fn place(centre: usize, len: usize) -> Range<usize> {
    around(centre, PLACE_WORDS.max((PLACE_SHARE * len as f64) as usize).min(WINDOW), len)
}

impl Pair<'_, '_> {
    fn text(&self, range: Range<usize>) -> String {
        self.slots[range].iter().map(|s| &*s.word.text).collect::<Vec<_>>().join(" ")
    }

    fn use_words(&mut self, range: Range<usize>) {
        self.slots[range].iter_mut().for_each(|s| s.used = true);
    }

    /// Decide token `k` as rendered by the candidate words `range`, which it uses.
    fn settle(&mut self, k: usize, range: Range<usize>, rendering: Rendering) {
        self.use_words(range.clone());
        self.at[k] = Some(range);
        self.out[k] = Some(rendering);
    }

    /// Decide every token of mention `m` as rendered by the candidate words `range`.
    fn decide_mention(&mut self, m: usize, range: Range<usize>, rendering: Rendering) {
        for k in self.mentions[m].clone() {
            self.settle(k, range.clone(), rendering.clone());
        }
    }

    /// Tier 1a: a reference alias mention rendered by any form of the same alias.
    fn match_aliases(&mut self, aliases: &Aliases) {
        if self.tokens.iter().all(|t| t.alias.is_none()) {
            return;
        }
        // Alias phrases of the candidate: key → (first word, length), the longest at each start.
        let mut found: HashMap<String, Vec<(usize, usize)>> = HashMap::default();
        for start in 0..self.slots.len() {
            for len in (1..=MAX_ALIAS_WORDS.min(self.slots.len() - start)).rev() {
                if let Some(key) = aliases.canonical(&self.text(start..start + len)) {
                    found.entry(key.to_string()).or_default().push((start, len));
                    break;
                }
            }
        }
        for m in 0..self.mentions.len() {
            let t = &self.tokens[self.mentions[m].start];
            let Some(alias) = t.alias else { continue };
            let free =
                found.get(alias).into_iter().flatten().find(|&&(s, l)| self.slots[s..s + l].iter().all(|w| !w.used));
            let Some(&(start, len)) = free else { continue };
            let text = self.text(start..start + len);
            let tier = if matching::key(&t.full) == matching::key(&text) {
                same_key_tier(&t.full, &text)
            } else {
                Tier::Alias
            };
            self.decide_mention(m, start..start + len, Rendering::correct(tier, text));
        }
    }

    /// Tier 1b: the same key (exact, case-folded or diacritic-folded). When a
    /// key occurs a different number of times on the two sides, occurrences
    /// are paired by position, so the token left over is the one whose
    /// rendering is missing.
    fn match_same_key(&mut self) {
        let mut groups: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::default();
        for (k, t) in self.tokens.iter().enumerate().filter(|(k, _)| self.out[*k].is_none()) {
            groups.entry(&*t.word.key).or_default().0.push(k);
        }
        for (j, s) in self.slots.iter().enumerate().filter(|(_, s)| !s.used) {
            if let Some(group) = groups.get_mut(&*s.word.key) {
                group.1.push(j);
            }
        }
        let mut groups: Vec<(Vec<usize>, Vec<usize>)> = groups.into_values().collect();
        groups.sort_unstable(); // deterministic order
        for (refs, mut cands) in groups {
            // A short acronym is not rendered by the same letters in lower case (`US` by "us").
            let t = &self.tokens[refs[0]];
            if t.word.is_acronym() && t.word.text.chars().count() <= 3 {
                cands.retain(|&j| self.slots[j].word.is_capitalised());
            }
            let mut pairs: Vec<(usize, usize)> = Vec::new();
            if refs.len() == cands.len() || refs.len() * cands.len() > MAX_POSITIONAL_PAIRS {
                pairs.extend(refs.iter().copied().zip(cands.iter().copied()));
            } else {
                let expected = &self.expected;
                let mut options: Vec<(usize, usize, usize)> =
                    refs.iter().flat_map(|&k| cands.iter().map(move |&j| (expected[k].abs_diff(j), k, j))).collect();
                options.sort_unstable();
                let (mut ref_taken, mut cand_taken) = (HashSet::default(), HashSet::default());
                for (_, k, j) in options {
                    if !ref_taken.contains(&k) && !cand_taken.contains(&j) {
                        ref_taken.insert(k);
                        cand_taken.insert(j);
                        pairs.push((k, j));
                    }
                }
            }
            for (k, j) in pairs {
                let tier = same_key_tier(&self.tokens[k].word.text, &self.slots[j].word.text);
                self.settle(k, j..j + 1, Rendering::correct(tier, self.slots[j].word.text.to_string()));
            }
        }
    }

    /// Tier 1c: one reference word written as a hyphen compound in the
    /// candidate. An abbreviation with a hyphen is the same name, as `U.S.` is
    /// `US` (`G7` → `G-7`); a word split by a hyphen is a variant, as joining
    /// is (`Transbaikal` → `Trans-Baikal`; names-gold's decision 14).
    fn match_split_words(&mut self) {
        for k in 0..self.tokens.len() {
            if self.out[k].is_some() {
                continue;
            }
            let t = self.tokens[k].word;
            let compound_at = |j: usize| {
                let slots = &self.slots[j..];
                let parts = slots.iter().skip(1).take_while(|s| s.word.compound).count();
                if parts == 0 || slots[0].word.compound || slots[..=parts].iter().any(|s| s.used) {
                    return None;
                }
                let joined: String = slots[..=parts].iter().map(|s| &*s.word.key).collect();
                (joined == *t.key).then_some(j..j + 1 + parts)
            };
            let Some(range) = around(self.expected[k], WINDOW, self.slots.len()).find_map(compound_at) else {
                continue;
            };
            let written = self.slots[range.clone()].iter().map(|s| &*s.word.text).collect::<Vec<_>>().join("-");
            let rendering = if t.is_acronym() || has_digit(&t.text) {
                Rendering::correct(Tier::Alias, written)
            } else {
                Rendering::flag(Tier::Variant, Some(written), None, Confidence::High)
            };
            self.settle(k, range, rendering);
        }
    }

    /// Tier 2: English derivations (`Ukrainian` for `Ukraine`), plurals, and
    /// the other English spelling of a word (`Labor` for `Labour`, an alias).
    fn match_derivations(&mut self) {
        for k in 0..self.tokens.len() {
            if self.out[k].is_some() {
                continue;
            }
            let t = self.tokens[k].word;
            let found = around(self.expected[k], WINDOW, self.slots.len()).find_map(|j| {
                let c = self.slots[j].word;
                if self.slots[j].used || !c.key.chars().take(3).eq(t.key.chars().take(3)) {
                    return None;
                }
                if matching::is_spelling_variant(&t.text, &c.text) {
                    Some((j, Tier::Alias))
                } else {
                    (is_plural_pair(&t.key, &c.key) || matching::is_english_derivation(&t.text, &c.text))
                        .then_some((j, Tier::Derivation))
                }
            });
            if let Some((j, tier)) = found {
                self.settle(k, j..j + 1, Rendering::correct(tier, self.slots[j].word.text.to_string()));
            }
        }
    }

    /// Tier 3: an acronym rendered by its expansion, or a name by its acronym.
    fn match_acronyms(&mut self) {
        // A reference acronym spelled out in the candidate (`UN` → `United Nations`).
        for k in 0..self.tokens.len() {
            let t = self.tokens[k].word;
            if self.out[k].is_some() || !t.is_acronym() {
                continue;
            }
            let letters = t.text.chars().filter(|c| c.is_alphabetic()).count();
            for start in around(self.expected[k], WINDOW, self.slots.len()) {
                let Some(end) = self.expansion_at(start, letters) else { continue };
                let words: Vec<&str> = self.slots[start..end].iter().map(|s| &*s.word.text).collect();
                if matching::is_acronym_of(&t.text, &words) {
                    let text = words.join(" ");
                    self.settle(k, start..end, Rendering::correct(Tier::Alias, text));
                    break;
                }
            }
        }
        // A reference name of several words rendered by its acronym (`United Nations` → `UN`).
        for m in 0..self.mentions.len() {
            let range = self.mentions[m].clone();
            if range.len() < 2 || self.out[range.clone()].iter().any(Option::is_some) {
                continue;
            }
            let words: Vec<&str> = self.tokens[range.clone()].iter().map(|t| &*t.word.text).collect();
            let acronym = around(self.expected[range.start], WINDOW, self.slots.len()).find(|&j| {
                let s = &self.slots[j];
                !s.used && s.word.is_acronym() && matching::is_acronym_of(&s.word.text, &words)
            });
            if let Some(j) = acronym {
                self.decide_mention(m, j..j + 1, Rendering::correct(Tier::Alias, self.slots[j].word.text.to_string()));
            }
        }
    }

    /// The end of a run of unused capitalised words (and the small words of
    /// names) starting at `start` with `initials` capitalised words, if there is one.
    fn expansion_at(&self, start: usize, initials: usize) -> Option<usize> {
        if !self.slots[start].word.is_capitalised() || self.slots[start].used {
            return None;
        }
        let mut count = 0;
        for (j, s) in self.slots.iter().enumerate().skip(start) {
            if s.used {
                return None;
            }
            if s.word.is_capitalised() {
                count += 1;
                if count == initials {
                    return Some(j + 1);
                }
            } else if !matches!(&*s.word.text, "of" | "the" | "and" | "for" | "on" | "in") {
                return None;
            }
        }
        None
    }

    /// Tier 4: variants, most similar first; and compounds written as one word.
    fn match_variants(&mut self) {
        let mut options: Vec<(f64, usize, usize)> = Vec::new();
        for (k, t) in self.tokens.iter().enumerate() {
            if self.out[k].is_some() || t.alias.is_some() {
                continue;
            }
            for j in around(self.expected[k], WINDOW, self.slots.len()) {
                let c = self.slots[j].word;
                if self.slots[j].used || !variant_eligible(c) || !may_be_variant(t.word, c) {
                    continue;
                }
                let sim = t.word.likeness(c);
                if sim >= variant_threshold(c) || matching::is_russian_form(&t.word.text, &c.text) {
                    options.push((sim, k, j));
                }
            }
        }
        options.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (sim, k, j) in options {
            if self.out[k].is_some() || self.slots[j].used {
                continue;
            }
            let (r, c) = (self.tokens[k].word, self.slots[j].word);
            if romanises(r, c) {
                // The romanised original of an English word is a correct rendering.
                self.settle(k, j..j + 1, Rendering::correct(Tier::Alias, c.text.to_string()));
                continue;
            }
            let confidence = if sim == 1.0 || matching::is_russian_form(&r.text, &c.text) {
                Confidence::High
            } else if sim >= 0.9 {
                Confidence::Medium
            } else {
                Confidence::Low
            };
            self.settle(k, j..j + 1, Rendering::flag(Tier::Variant, Some(c.text.to_string()), Some(sim), confidence));
        }
        // Two or more tokens of one mention written as one word (`Super-Production` → `Superproduction`).
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::default();
        for (j, s) in self.slots.iter().enumerate().filter(|(_, s)| !s.used) {
            by_key.entry(&*s.word.key).or_default().push(j);
        }
        for m in 0..self.mentions.len() {
            let range = self.mentions[m].clone();
            if range.len() < 2 || self.out[range.clone()].iter().any(Option::is_some) {
                continue;
            }
            let joined: String = self.tokens[range].iter().map(|t| &*t.word.key).collect();
            let free = by_key.get(joined.as_str()).into_iter().flatten().copied().find(|&j| !self.slots[j].used);
            if let Some(j) = free {
                let text = self.slots[j].word.text.to_string();
                self.decide_mention(m, j..j + 1, Rendering::flag(Tier::Variant, Some(text), None, Confidence::High));
            }
        }
    }

    /// Whether the other tokens of token `k`'s mention are all decided (or it is alone).
    fn lone(&self, k: usize) -> bool {
        self.mentions[self.tokens[k].mention].clone().all(|i| i == k || self.out[i].is_some())
    }

    /// Whether a token is open to a different rendering in its place: a
    /// proper word, or a common word inside a name whose proper part is
    /// rendered (`Maxim Petronevich` → `Mikhail Petronevich`).
    fn open(&self, k: usize) -> bool {
        let t = &self.tokens[k];
        let proper_part_rendered =
            || self.mentions[t.mention].clone().any(|i| i != k && self.out[i].is_some() && !self.tokens[i].word.common);
        self.out[k].is_none() && t.alias.is_none() && (!t.word.purely_common() || proper_part_rendered())
    }

    /// Whether the unused candidate word `j` may render token `k` as another name or word.
    fn eligible(&self, k: usize, j: usize, lone: bool, document_names: &HashSet<String>) -> bool {
        let (r, c) = (self.tokens[k].word, self.slots[j].word);
        let fits = if r.purely_common() {
            c.proper && !c.common // `Maxim` → `Mikhail`
        } else if r.known {
            // `Lithuania` → `Latvia`, `Pyotr` → `Peter`, but not `Russian` → `Marine`.
            c.proper && (!c.common || lone || matching::news_f_score(&r.text, &c.text) >= 0.5)
        } else {
            // A foreign name translated (`Orel` → `Eagle`) only when it is all that is left of its name.
            !c.common || lone
        };
        !self.slots[j].used
            && is_name_like(c)
            && !document_names.contains(&*c.key)
            && r.is_acronym() == c.is_acronym()
            && fits
    }

    /// Whether reference token `k` opens a title that goes on in lower case
    /// (`Zolotaya nit`): its translation then spans that many words, of which
    /// the token renders only the first (`Golden` of `Golden Thread`).
    fn title_goes_on(&self, k: usize) -> bool {
        let i = self.tokens[k].index;
        self.reference.get(i + 1).is_some_and(|w| w.joined && !w.is_capitalised() && !is_closed_class(&w.text))
    }

    /// Render token `k` by the candidate words `range`.
    fn render_as(&mut self, k: usize, range: Range<usize>) {
        let text = self.text(range.clone());
        let sim = matching::similarity(&self.tokens[k].word.text, &text);
        let tier = if sim >= PLACE_VARIANT { Tier::Variant } else { Tier::Wrong };
        // Position is weaker evidence than spelling: on held-out data about one
        // such flag in five was right (docs/names.md), so they are all `Low`.
        self.settle(k, range, Rendering::flag(tier, Some(text), Some(sim), Confidence::Low));
    }

    /// Tier 5: open tokens and the name-like candidate words near their places,
    /// paired monotonically: as many pairs as possible, then the cheapest,
    /// where a pair costs its distance from where the token should land less a
    /// bonus for sounding alike (`Dauden` takes `Dowden`, not the nearer
    /// `State`). Then the tokens still left and the words still left, paired
    /// in order when they are as few and as many.
    fn match_in_places(&mut self, document_names: &HashSet<String>) {
        let open: Vec<usize> = (0..self.tokens.len()).filter(|&k| self.open(k)).collect();
        let lone: Vec<bool> = (0..self.tokens.len()).map(|k| self.lone(k)).collect();
        let mut edges: Vec<Vec<(usize, f64)>> = Vec::with_capacity(open.len());
        for &k in &open {
            let centre = self.expected[k];
            let mut mine = Vec::new();
            for j in place(centre, self.slots.len()) {
                if self.eligible(k, j, lone[k], document_names) {
                    let sim = self.tokens[k].word.likeness(self.slots[j].word);
                    let likeness = if sim >= PLACE_VARIANT { SIMILARITY_BONUS * sim } else { 0.0 };
                    mine.push((j, PAIR_VALUE - (centre.abs_diff(j) as f64 - likeness)));
                }
            }
            edges.push(mine);
        }
        for (a, best) in heaviest_chain(&edges, self.slots.len()) {
            let k = open[a];
            let range = place(self.expected[k], self.slots.len());
            // A name rendered as several proper words renders as all of them
            // (`Minsk` → `M Polodin`); a one-word name translated as a title
            // renders as the whole title (`Podyom` → `Lift Up`, `Severomorsk` →
            // `North Sea`); a word of a longer name translated is its one common
            // word (`System` → `Directorate`).
            let (mut first, mut end) = (best, best + 1);
            let one_word_name = self.mentions[self.tokens[k].mention].len() == 1 && !self.title_goes_on(k);
            if !self.slots[best].word.common || one_word_name {
                let extends = |p: &Self, j: usize| {
                    (one_word_name || !p.slots[j].word.common) && p.eligible(k, j, lone[k], document_names)
                };
                while first > range.start && self.slots[first].word.joined && extends(self, first - 1) {
                    first -= 1;
                }
                while end < range.end && self.slots[end].word.joined && extends(self, end) {
                    end += 1;
                }
            }
            // A title's article capitalised mid-sentence is part of it (`The Rise`; names-gold's decision 3).
            if one_word_name && first > 0 && self.slots[first].word.joined {
                let before = &self.slots[first - 1];
                if !before.used && !before.word.initial && matches!(&*before.word.text, "The" | "A" | "An") {
                    first -= 1;
                }
            }
            self.render_as(k, first..end);
        }
        let left: Vec<usize> = (0..self.tokens.len()).filter(|&k| self.open(k)).collect();
        if left.is_empty() || left.len() > MAX_LEFTOVER_PAIRS {
            return;
        }
        let free: Vec<usize> = (0..self.slots.len())
            .filter(|&j| left.iter().any(|&k| self.eligible(k, j, lone[k], document_names)))
            .take(MAX_LEFTOVER_PAIRS + 1)
            .collect();
        if left.len() == free.len()
            && left.iter().zip(&free).all(|(&k, &j)| self.eligible(k, j, lone[k], document_names))
        {
            for (&k, &j) in left.iter().zip(&free) {
                self.render_as(k, j..j + 1);
            }
        }
    }

    /// Tier 6: every token still undecided is missing when that is clear, unmatched otherwise.
    fn decide_leftovers(&mut self, context: &Context<'_>) {
        let decided: Vec<bool> = self.out.iter().map(Option::is_some).collect();
        let unused_acronym = self.slots.iter().any(|s| !s.used && s.word.is_acronym());
        let unused_name = self.slots.iter().any(|s| !s.used && is_name_like(s.word));
        for k in 0..self.tokens.len() {
            if self.out[k].is_none() {
                let rendering = self.leftover(k, &decided, unused_acronym, unused_name, context);
                self.out[k] = Some(rendering);
            }
        }
    }

    fn leftover(
        &self,
        k: usize,
        decided: &[bool],
        unused_acronym: bool,
        unused_name: bool,
        context: &Context<'_>,
    ) -> Rendering {
        let t = &self.tokens[k];
        let mention = self.mentions[t.mention].clone();
        if context.neighbour_surplus.get(&*t.word.key).is_some_and(|&n| n > 0) {
            return Rendering::unmatched(); // rendered in a neighbouring sentence
        }
        if self.stops_short_of(k, context) {
            return Rendering::flag(Tier::Missing, None, None, Confidence::High);
        }
        let head_dropped = self.head_dropped(k);
        if mention.clone().any(|i| decided[i]) && !head_dropped {
            return Rendering::unmatched(); // a name partly rendered: the rest may be a short form or translated
        }
        // A token joined to a name of another mention is not alone (`Saint` of `Saint Petersburg`, an alias by itself).
        let joined_to_name = |o: &RefToken<'_>| {
            o.mention != t.mention
                && (o.index + 1 == t.index && t.word.joined || o.index == t.index + 1 && o.word.joined)
        };
        let alone = mention.len() == 1
            && !self.tokens[k.saturating_sub(1)..(k + 2).min(self.tokens.len())].iter().any(joined_to_name);
        if alone && t.word.purely_common() {
            return Rendering::unmatched(); // a lone capitalised common word (`Great`, a title's `Hard`) may be paraphrased
        }
        let near = around(self.expected[k], WINDOW, self.slots.len());
        let designation = is_designation(t.word) && !head_dropped;
        let spelled_out = t.word.is_acronym()
            && self.slots[near.clone()].iter().any(|s| !s.used && abbreviates(&t.word.text, &s.word.text));
        if designation || spelled_out {
            return Rendering::unmatched(); // a model designation (`S1`), or an abbreviation spelled out (`TV` → "television")
        }
        let slot = slot_range(&self.anchors, t.index, self.slots.len(), SLOT_WIDEN);
        let similar = self.slots[slot.clone()]
            .iter()
            .any(|s| !s.used && variant_eligible(s.word) && t.word.likeness(s.word) >= NEAR_MISS);
        // An acronym or an expansion the matching could not place may well render it.
        let unexplained = (mention.len() >= 2 && unused_acronym) || (t.word.is_acronym() && unused_name);
        if similar || unexplained {
            return Rendering::unmatched();
        }
        // A name-like word left in its place, or a proper name left near it
        // (not another name of the document), may be a rendering no rule
        // recognises (`Knights` → `Vityazi`). An acronym only stands for an
        // acronym or for a name of several words.
        let could_render = |j: usize| {
            let w = self.slots[j].word;
            self.unexplained_name(j, context) && (w.is_acronym() == t.word.is_acronym() || mention.len() >= 2)
        };
        let unplaced_nearby =
            place(self.expected[k], self.slots.len()).any(|j| could_render(j) && !self.slots[j].word.common);
        if slot.into_iter().any(could_render) || unplaced_nearby {
            return Rendering::unmatched();
        }
        let confidence = if t.word.common { Confidence::Medium } else { Confidence::High };
        Rendering::flag(Tier::Missing, None, None, confidence)
    }
}

impl Pair<'_, '_> {
    /// Whether candidate word `j` may stand for a reference name no rule
    /// recognised: an unused name-like word that is not another name of the document.
    fn unexplained_name(&self, j: usize, context: &Context<'_>) -> bool {
        let s = &self.slots[j];
        !s.used && is_name_like(s.word) && !context.document_names.contains(&*s.word.key)
    }

    /// Whether the candidate stops before token `k` (MT output cut off
    /// mid-sentence): `k` lies after the last word both sides share, the
    /// candidate has less than a third of the reference's words left after
    /// that word, fewer than lie between it and `k`, and none of them could
    /// render a name; and the reference's content words after that word are
    /// mostly absent from the candidate (not merely said earlier, as when a
    /// translation moves a clause to the front).
    fn stops_short_of(&self, k: usize, context: &Context<'_>) -> bool {
        let Some(&(r, c)) = self.anchors.last() else { return false };
        let index = self.tokens[k].index;
        let (reference_left, candidate_left) = (self.reference.len() - r - 1, self.slots.len() - c - 1);
        if index <= r
            || reference_left < STOPS_SHORT_WORDS
            || candidate_left * STOPS_SHORT_RATIO >= reference_left
            || candidate_left >= index - r
            || (c + 1..self.slots.len()).any(|j| self.unexplained_name(j, context))
        {
            return false;
        }
        // Occurrences the candidate has beyond those of the reference up to the anchor.
        let mut surplus: HashMap<&str, isize> = HashMap::default();
        self.slots.iter().for_each(|s| *surplus.entry(&*s.word.key).or_default() += 1);
        self.reference[..=r].iter().for_each(|w| *surplus.entry(&*w.key).or_default() -= 1);
        let (mut content, mut said) = (0, 0);
        for w in self.reference[r + 1..].iter().filter(|w| !is_closed_class(&w.text)) {
            content += 1;
            if let Some(n) = surplus.get_mut(&*w.key).filter(|n| **n > 0) {
                *n -= 1;
                said += 1;
            }
        }
        said * STOPS_SHORT_RATIO < content
    }

    /// Whether token `k` is the head word of a name whose other tokens are
    /// rendered (or are common words that may be translated in their place:
    /// `Joint Forces Staff` → "the United Forces have begun"), and the
    /// rendering has no word in the head's place: the head is a common word
    /// or a model designation (`Pantsir-S1` → `Pantsir`), the rendering is
    /// not interrupted by another word, and a closed-class word or clause
    /// break follows it (and precedes it, for a common head), so nothing next
    /// to it can translate the head (unlike `Khabarovsk Krai` → `Khabarovsk
    /// Region`, `Seleznev Street` → `ulitsa Selezneva`).
    fn head_dropped(&self, k: usize) -> bool {
        let t = &self.tokens[k];
        let mention = self.mentions[t.mention].clone();
        let designation = is_designation(t.word);
        if mention.len() < 2 || k + 1 != mention.end || !(t.word.purely_common() || designation) {
            return false;
        }
        let Some(previous) = &self.at[k - 1] else { return false };
        // What is left of a name made of common words names something less
        // specific (`Joint Forces`); a proper word left may be a short form (`Bolshoi Theatre` → `the Bolshoi`).
        let left_ok = |i: usize| {
            i == k
                || (self.at[i].is_some() || self.tokens[i].word.purely_common())
                    && (designation || self.tokens[i].word.purely_common())
        };
        if !mention.clone().all(left_ok) {
            return false;
        }
        let Some(first) = mention.clone().find_map(|i| self.at[i].as_ref()) else { return false };
        let closed = |j: usize| is_closed_class(&self.slots[j].word.text);
        let breaks = |j: usize| j == self.slots.len() || !self.slots[j].word.joined;
        // A designation's place holds no other designation (`Pantsir anti-aircraft`, `Buyan-class`).
        let no_designation = |j: usize| !has_digit(&self.slots[j].word.text) && !self.slots[j].word.is_acronym();
        let opens = designation
            || self.at[mention.start].is_none()
            || first.start == 0
            || breaks(first.start)
            || closed(first.start - 1);
        let together = (first.start..previous.end).all(|j| self.slots[j].used || closed(j));
        let closes = breaks(previous.end) || closed(previous.end) || (designation && no_designation(previous.end));
        opens && together && closes
    }
}

/// Whether a word holds a digit (`S1`, `GT4`, `27`).
fn has_digit(text: &str) -> bool {
    text.chars().any(|c| c.is_ascii_digit())
}

/// Whether a word is a model designation: it holds a digit (`S1`, `GT4`),
/// or is a capital letter ending a compound (`M` of `Buyan-M`).
fn is_designation(word: &Word) -> bool {
    has_digit(&word.text)
        || (word.compound && word.text.chars().all(char::is_uppercase) && word.text.chars().count() == 1)
}

/// Whether two keys differ by an English plural ending only (`Pantsirs`/`Pantsir`, `Caymans`/`Cayman`).
fn is_plural_pair(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.chars().count() >= 4
        && !short.ends_with('s')
        && long.strip_prefix(short).is_some_and(|ending| ending == "s" || ending == "es")
}

/// Whether a candidate word may render a name as a variant: a word of
/// letters (and digits), capitalised or not a common word (`kanayevsky`).
fn variant_eligible(word: &Word) -> bool {
    word.text.chars().all(|c| c.is_alphanumeric() || c == '\'' || c == '’' || c == '.')
        && (word.is_capitalised() || !word.common)
}

/// Endings of transliterated Russian adjectives (`Russkiye`, `Admiralteyskaya`, `Severnaya`).
const RUSSIAN_ADJECTIVE_ENDINGS: &[&str] = &["iye", "yye", "ye", "aya", "oye", "iy", "yy", "sky", "skiy", "ky"];

/// Whether `candidate` romanises the Russian original of an English word
/// (`Russian` → `Russkiye`, `Admiralty` → `Admiralteyskaya`): the reference is
/// listed English, the candidate is not and ends like a Russian adjective,
/// without being a Russian form of the reference itself (`Khabarovsky`).
fn romanises(reference: &Word, candidate: &Word) -> bool {
    reference.known
        && !candidate.known
        && RUSSIAN_ADJECTIVE_ENDINGS.iter().any(|e| candidate.key.ends_with(e))
        && !matching::is_russian_form(&reference.text, &candidate.text)
}

/// Whether `candidate` can be a variant spelling of `reference` at all (see
/// the module documentation, tier 4). Two spellings of one skeleton always
/// can (`Krai`/`Kray`).
fn may_be_variant(reference: &Word, candidate: &Word) -> bool {
    reference.skeleton == candidate.skeleton
        || !(reference.purely_common() && candidate.common) && is_abbreviation(reference) == is_abbreviation(candidate)
}

/// An acronym, or an abbreviation at least half in capitals (`RoPS`, not `McDonald` or `MinTsifry`).
fn is_abbreviation(word: &Word) -> bool {
    let letters = word.text.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = word.text.chars().filter(|c| c.is_uppercase()).count();
    word.is_acronym() || (capitals >= 2 && capitals * 2 >= letters)
}

/// The similarity a candidate word needs to be a variant: a common English
/// word needs more (`Paine`/`Pain`, but not `Dauden`/`State`, which
/// Jaro-Winkler rates 0.82 on skeletons).
fn variant_threshold(candidate: &Word) -> f64 {
    if candidate.common {
        COMMON_WORD_VARIANT
    } else {
        VARIANT_THRESHOLD
    }
}

/// Where reference word `index` should land among the candidate words:
/// interpolated between the anchors around it, or by the length ratio.
fn expected_position(anchors: &[(usize, usize)], index: usize, ratio: f64) -> usize {
    let after = anchors.partition_point(|&(r, _)| r < index);
    match (after.checked_sub(1).map(|a| anchors[a]), anchors.get(after)) {
        (_, Some(&(r, c))) if r == index => c,
        (Some((r0, c0)), Some(&(r1, c1))) => {
            c0 + ((index - r0) as f64 * (c1 - c0) as f64 / (r1 - r0) as f64).round() as usize
        }
        (Some((r0, c0)), None) => c0 + ((index - r0) as f64 * ratio) as usize,
        (None, Some(&(r1, c1))) => c1.saturating_sub(((r1 - index) as f64 * ratio) as usize),
        (None, None) => (index as f64 * ratio) as usize,
    }
}

/// Monotone anchors between the two sides: `(reference word, candidate word)`
/// index pairs of words whose key occurs exactly once on each side, the
/// longest chain increasing on both sides (patience sorting, O(n log n)).
fn anchors(reference: &[&Word], candidate: &[&Word]) -> Vec<(usize, usize)> {
    // Per reference key: (occurrences, first index) on each side; candidate-only keys are never anchors.
    let mut counts: HashMap<&str, [(usize, usize); 2]> =
        HashMap::with_capacity_and_hasher(reference.len(), Default::default());
    for (i, w) in reference.iter().enumerate() {
        counts.entry(&*w.key).or_insert([(0, i), (0, 0)])[0].0 += 1;
    }
    for (j, w) in candidate.iter().enumerate() {
        if let Some([_, (n, first)]) = counts.get_mut(&*w.key) {
            if *n == 0 {
                *first = j;
            }
            *n += 1;
        }
    }
    let pairs: Vec<(usize, usize)> =
        counts.values().filter(|[r, c]| r.0 == 1 && c.0 == 1).map(|&[(_, i), (_, j)]| (i, j)).collect();
    crate::align::longest_increasing_chain(pairs)
}

/// The candidate words between the anchors around reference word `index`,
/// reaching `widen` anchors further on each side (translations reorder
/// neighbouring phrases: "the Orel submarine" → "submarine \"Eagle\"").
fn slot_range(anchors: &[(usize, usize)], index: usize, candidate_len: usize, widen: usize) -> Range<usize> {
    let after = anchors.partition_point(|&(r, _)| r < index);
    let next = after + usize::from(anchors.get(after).is_some_and(|&(r, _)| r == index));
    let start = after.checked_sub(1 + widen).map_or(0, |a| anchors[a].1 + 1);
    let end = anchors.get(next + widen).map_or(candidate_len, |&(_, c)| c);
    start..end.max(start)
}

/// Whether `acronym`'s letters appear in order in `word`, starting with its
/// first letter (`TV` in "television"): the acronym may be spelled out.
fn abbreviates(acronym: &str, word: &str) -> bool {
    let mut letters = acronym.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase);
    let word: Vec<char> = word.chars().flat_map(char::to_lowercase).collect();
    let Some(first) = letters.next() else { return false };
    if word.first() != Some(&first) || word.len() <= acronym.len() {
        return false;
    }
    let mut rest = word[1..].iter();
    letters.all(|l| rest.any(|&c| c == l))
}

/// The heaviest chain of edges increasing on both sides: `edges[a]` lists
/// `(b, weight)` for item `a`, `b < width`; returns the chosen `(a, b)` in
/// order. Items are taken in order and each keeps, for every `b`, the best
/// chain ending there, in a Fenwick tree of prefix maxima: O(E log width).
fn heaviest_chain(edges: &[Vec<(usize, f64)>], width: usize) -> Vec<(usize, usize)> {
    // tree[i]: (chain weight, edge id) best among a range of b's; edge ids index `ends`.
    let mut tree: Vec<(f64, usize)> = vec![(0.0, usize::MAX); width + 1];
    let mut ends: Vec<(usize, usize, usize)> = Vec::new(); // (a, b, previous edge id or MAX)
    let prefix_best = |tree: &[(f64, usize)], mut i: usize| {
        let mut best = (0.0, usize::MAX);
        while i > 0 {
            if tree[i].0 > best.0 {
                best = tree[i];
            }
            i &= i - 1;
        }
        best
    };
    let mut overall = (0.0, usize::MAX);
    for (a, mine) in edges.iter().enumerate() {
        // Query every edge of `a` first, so `a` is used at most once in a chain.
        let found: Vec<(usize, f64, usize)> = mine
            .iter()
            .map(|&(b, w)| {
                let (before, previous) = prefix_best(&tree, b);
                (b, before + w, previous)
            })
            .collect();
        for (b, weight, previous) in found {
            let id = ends.len();
            ends.push((a, b, previous));
            if weight > overall.0 {
                overall = (weight, id);
            }
            let mut i = b + 1;
            while i <= width {
                if weight > tree[i].0 {
                    tree[i] = (weight, id);
                }
                i += i & i.wrapping_neg();
            }
        }
    }
    let mut chain = Vec::new();
    let mut at = overall.1;
    while at != usize::MAX {
        let (a, b, previous) = ends[at];
        chain.push((a, b));
        at = previous;
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::names::extract::{is_headline, mentions, words};

    /// Renderings of every name token of `reference` in `candidate`, as `(token, tier, rendering)`.
    fn renderings(reference: &str, candidate: &str) -> Vec<(String, Tier, Option<String>)> {
        let (rw, cw) = (words(reference), words(candidate));
        let memory = HashSet::default();
        let aliases = Aliases::builtin();
        let ms = mentions(&rw, is_headline(reference, &rw), &memory, &aliases);
        let side = reference_side(&[(rw.as_slice(), ms.as_slice())]);
        let document_names: HashSet<String> = side.tokens.iter().map(|t| t.word.key.to_string()).collect();
        let context =
            Context { aliases: &aliases, document_names: &document_names, neighbour_surplus: HashMap::default() };
        let candidate: Vec<&Word> = cw.iter().collect();
        let (out, _) = render(&side, &candidate, &context);
        side.tokens.iter().zip(out).map(|(t, r)| (t.word.text.to_string(), r.tier, r.candidate)).collect()
    }

    fn tier_of(reference: &str, candidate: &str, token: &str) -> (Tier, Option<String>) {
        let all = renderings(reference, candidate);
        let (_, tier, rendering) =
            all.into_iter().find(|(t, _, _)| t == token).unwrap_or_else(|| panic!("no token {token}"));
        (tier, rendering)
    }

    #[test]
    fn tiers_from_exact_to_missing() {
        let r = "Mr. Witkoff met Vladimir Putin in the United States on Friday.";
        assert_eq!(tier_of(r, "Mr. Witkoff met Vladimir Putin in the US on Friday.", "United").0, Tier::Alias);
        assert_eq!(tier_of(r, "Mr. Vikov met Vladimir Putin in the US on Friday.", "Witkoff").0, Tier::Variant);
        assert_eq!(tier_of(r, "He met Vladimir Putin in the US on Friday.", "Witkoff").0, Tier::Missing);
        assert_eq!(tier_of("The Ukrainian army held.", "The army of Ukraine held.", "Ukrainian").0, Tier::Derivation);
        assert_eq!(tier_of("Omicron spread fast.", "The omicron variant spread fast.", "Omicron").0, Tier::Case);
    }

    #[test]
    fn a_word_split_by_a_hyphen_is_a_variant_an_abbreviation_is_not() {
        let (tier, form) = tier_of(
            "Transbaikal writer Nina Belomestnova won.",
            "Trans-Baikal writer Nina Belomestnova won.",
            "Transbaikal",
        );
        assert_eq!((tier, form.as_deref()), (Tier::Variant, Some("Trans-Baikal")));
        let (tier, form) =
            tier_of("It was confirmed by G7 on Sunday.", "It was confirmed by G-7 officials on Sunday.", "G7");
        assert_eq!((tier, form.as_deref()), (Tier::Alias, Some("G-7")));
    }

    #[test]
    fn an_abbreviation_in_mixed_case_is_a_variant_of_an_acronym() {
        let (tier, form) = tier_of("The RoPS said so on Monday.", "The RPS said so on Monday.", "RoPS");
        assert_eq!((tier, form.as_deref()), (Tier::Variant, Some("RPS")));
    }

    #[test]
    fn a_one_word_title_translated_renders_as_the_whole_title() {
        let r = "said Stephen Ochsner in an interview with the publication Podyom.";
        let (tier, form) = tier_of(r, "Stephen Ochsner said in an interview with The Rise.", "Podyom");
        assert_eq!((tier, form.as_deref()), (Tier::Wrong, Some("The Rise")));
        let r = "Nina Belomestnova and her \"Zolotaya nit\" won the prize.";
        let (tier, form) = tier_of(r, "Nina Belomestnova and her \"Golden Thread\" won the prize.", "Zolotaya");
        assert_eq!((tier, form.as_deref()), (Tier::Wrong, Some("Golden")));
    }

    #[test]
    fn a_translated_ship_name_is_wrong_and_a_translated_common_word_is_not_flagged() {
        let (tier, rendering) = tier_of("They saw the Orel submarine.", "They saw the submarine \"Eagle\".", "Orel");
        assert_eq!((tier, rendering.as_deref()), (Tier::Wrong, Some("Eagle")));
        let (tier, _) = tier_of(
            "The National Civil Protection System warned.",
            "The National Directorate of Civil Defense warned.",
            "System",
        );
        assert_eq!(tier, Tier::Unmatched);
    }

    #[test]
    fn romanised_originals_and_plain_translations_are_not_variants() {
        let r = "The Russian Knights team flew.";
        assert!(tier_of(r, "The Russkiye Vityazi team flew.", "Russian").0.is_correct());
        assert_eq!(tier_of("The Maritime Bureau met.", "The Marine Bureau met.", "Maritime").0, Tier::Unmatched);
    }

    #[test]
    fn a_dropped_head_word_or_designation_is_missing_a_translated_one_is_not() {
        let r = "A unit from the Joint Forces Staff began preparations for a ceasefire.";
        let c = "A division of the Joint Forces has begun preparations for a ceasefire.";
        assert_eq!(tier_of(r, c, "Staff").0, Tier::Missing);
        let r = "The governor of Khabarovsk Krai spoke to the press today.";
        assert_eq!(
            tier_of(r, "The governor of Khabarovsk Region spoke to the press today.", "Krai").0,
            Tier::Unmatched
        );
        let r = "Two Pantsir-S1 systems were destroyed.";
        assert_eq!(tier_of(r, "Two Pantsir anti-aircraft systems were destroyed.", "S1").0, Tier::Missing);
        let r = "The Buyan-M ships took part.";
        assert_eq!(tier_of(r, "The Buyan-class corvettes took part.", "M").0, Tier::Missing);
        // A proper word left is a short form of the same name.
        assert_eq!(
            tier_of("They sang at the Bolshoi Theatre last night.", "They sang at the Bolshoi last night.", "Theatre")
                .0,
            Tier::Unmatched
        );
    }

    #[test]
    fn names_after_where_the_candidate_stops_are_missing_even_common_ones() {
        let r = "During the flight of aircraft flown by the aerobatic teams Russian Knights and Swifts, the camera flew out of a plane's engine exit.";
        let c = "During the flight of aircraft from the groups";
        assert_eq!(tier_of(r, c, "Swifts").0, Tier::Missing);
        assert_eq!(tier_of(r, c, "Knights").0, Tier::Missing);
        // The same words moved to the front are no cut.
        let r = "Only four graduates have received 400 points during the history of the Unified State Exam in Russia.";
        let c = "In the history of the Uniform State Exam in Russia, only four graduates have received 400 points.";
        assert_ne!(tier_of(r, c, "Unified").0, Tier::Missing);
    }

    #[test]
    fn a_word_split_off_a_name_as_an_alias_is_not_alone() {
        let r = "The ship was launched in Saint Petersburg on May 27, 2018.";
        assert_eq!(tier_of(r, "The ship took to the waters again on May 27, 2018.", "Saint").0, Tier::Missing);
    }

    #[test]
    fn heaviest_chain_keeps_order_and_pairs_as_many_as_it_can() {
        // Item 0 prefers word 1, item 1 only fits word 0: crossing is not allowed, so one pair.
        let edges = vec![vec![(1, 10.0)], vec![(0, 10.0)]];
        assert_eq!(heaviest_chain(&edges, 2).len(), 1);
        let edges = vec![vec![(0, 5.0), (1, 9.0)], vec![(1, 5.0), (2, 1.0)]];
        assert_eq!(heaviest_chain(&edges, 3), [(0, 0), (1, 1)]);
    }
}
