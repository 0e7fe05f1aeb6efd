//! Alignment by sentence length, for a reference and a candidate written in
//! different scripts ([`crate::script::mismatch`]), which share no words for
//! the lexical programme to find. Gale and Church's model (1993): the
//! candidate side of a bead is about `c` times as long as its reference side
//! (`c` the ratio of the articles' lengths), with a variance proportional to
//! the length; a bead costs the negative log of its kind's prior probability
//! and of its length difference, and each paragraph break inside it costs
//! like an unlikely bead. Candidate sentences before the first reference
//! sentence and after the last cost little (page furniture sits there), so a
//! site header, a repeated headline or a footer stays out.
//!
//! The programme runs in the same band as the lexical one (around the
//! diagonal: there are no anchors), so it is linear in the article length.

use std::ops::Range;

use statrs::function::erf::erfc;

use super::{guessed, trace_back, AlignParams, Band, Bead, Side, MOVES};

/// Variance of the candidate's length per character of a bead (Gale and Church's 6.8).
const VARIANCE_PER_CHAR: f64 = 6.8;

/// Prior probability of a bead of `dr` reference and `dc` candidate sentences
/// (Gale and Church's, with 1-3 and 3-1 made as rare as 2-2); an unaligned
/// candidate sentence at an article edge is as likely as a split sentence.
fn prior(dr: usize, dc: usize) -> f64 {
    match (dr, dc) {
        (1, 1) => 0.89,
        (1, 2) | (2, 1) => 0.0445,
        (1, 0) | (0, 1) => 0.005,
        _ => 0.011,
    }
}

/// Probability that a candidate sentence before the first or after the last
/// reference sentence is page furniture rather than part of the body.
const EDGE_EXTRA: f64 = 0.3;

/// Probability of a paragraph break inside a bead, per break.
const PARAGRAPH_BREAK: f64 = 0.01;

/// Non-space characters of each sentence of `side`.
fn lengths(side: &Side<'_>) -> Vec<f64> {
    side.sentences.iter().map(|s| s.text.chars().filter(|c| !c.is_whitespace()).count() as f64).collect()
}

/// How long the candidate side of a bead should be for its reference side:
/// the sentences' lengths in non-space characters, and the ratio of the
/// articles' lengths.
pub(super) struct LengthModel {
    /// `reference[i]`: the length of reference sentences `0..i`.
    reference: Vec<f64>,
    /// `candidate[j]`: the length of candidate sentences `0..j`.
    candidate: Vec<f64>,
    /// Candidate characters per reference character, over the whole articles.
    ratio: f64,
}

impl LengthModel {
    /// The model of two articles, the ratio over the whole of them.
    pub(super) fn new(refs: &Side<'_>, cands: &Side<'_>) -> LengthModel {
        let (reference, candidate) = (prefix_sums(&lengths(refs)), prefix_sums(&lengths(cands)));
        let ratio = candidate.last().copied().unwrap_or(0.0) / reference.last().copied().unwrap_or(0.0).max(1.0);
        LengthModel { reference, candidate, ratio }
    }

    /// The model with the ratio over the aligned pairs of `beads`, if any: a
    /// sentence the candidate dropped does not shorten what is expected of the others.
    pub(super) fn of_pairs(refs: &Side<'_>, cands: &Side<'_>, beads: &[Bead]) -> LengthModel {
        let mut model = LengthModel::new(refs, cands);
        let length = |sums: &[f64], range: &Range<usize>| sums[range.end] - sums[range.start];
        let pairs = beads.iter().filter(|b| b.is_pair());
        let (r, c) = pairs.fold((0.0, 0.0), |(r, c), b| {
            (r + length(&model.reference, &b.reference), c + length(&model.candidate, &b.candidate))
        });
        if r > 0.0 {
            model.ratio = c / r;
        }
        model
    }

    /// The negative log probability of a length difference at least as large
    /// as that of reference sentences `r` and candidate sentences `c` (both non-empty).
    pub(super) fn mismatch_cost(&self, r: Range<usize>, c: Range<usize>) -> f64 {
        let expected = self.ratio * (self.reference[r.end] - self.reference[r.start]);
        let found = self.candidate[c.end] - self.candidate[c.start];
        let spread = (VARIANCE_PER_CHAR * (expected + found) / 2.0).max(1.0).sqrt();
        -erfc((found - expected).abs() / spread / std::f64::consts::SQRT_2).max(f64::MIN_POSITIVE).ln()
    }
}

/// Beads of `refs` and `cands` by length ([module](self)); every pair is low-confidence.
pub(super) fn align_by_length(refs: &Side<'_>, cands: &Side<'_>, params: &AlignParams) -> Vec<Bead> {
    let (n, m) = (refs.sentences.len(), cands.sentences.len());
    let model = LengthModel::new(refs, cands);
    let band = Band::new(n, m, &[], params.min_band);
    // The cost of a bead over reference `ri..ri+dr` and candidate `cj..cj+dc`.
    let cost = |ri: usize, dr: usize, cj: usize, dc: usize| {
        if dr == 0 {
            let at_edge = ri == 0 || ri == n;
            return -(if at_edge { EDGE_EXTRA } else { prior(0, 1) }).ln();
        }
        if dc == 0 {
            return -prior(1, 0).ln();
        }
        let breaks = (refs.breaks(ri, dr) + cands.breaks(cj, dc)) as f64;
        -prior(dr, dc).ln() + model.mismatch_cost(ri..ri + dr, cj..cj + dc) - breaks * PARAGRAPH_BREAK.ln()
    };
    let mut total = vec![f64::INFINITY; band.cells()];
    let mut back = vec![u8::MAX; band.cells()];
    total[0] = 0.0;
    for i in 0..=n {
        for j in band.columns(i) {
            let Some(here) = band.index(i, j).filter(|_| i + j > 0) else { continue };
            for (k, &(dr, dc)) in MOVES.iter().enumerate() {
                let Some(from) = (dr <= i && dc <= j).then(|| band.index(i - dr, j - dc)).flatten() else { continue };
                let value = total[from] + cost(i - dr, dr, j - dc, dc);
                if value < total[here] {
                    total[here] = value;
                    back[here] = k as u8;
                }
            }
        }
    }
    trace_back(&band, &back, (n, m), |r, c| guessed(refs, cands, r, c, params))
}

/// `[0, v₀, v₀+v₁, …]`: the length of sentences `a..b` is `sums[b] − sums[a]`.
fn prefix_sums(values: &[f64]) -> Vec<f64> {
    std::iter::once(0.0)
        .chain(values.iter().scan(0.0, |sum, v| {
            *sum += v;
            Some(*sum)
        }))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::align::{align, AlignParams};
    use crate::segment::split_sentences;

    #[test]
    fn a_reference_in_another_script_aligns_by_length_and_page_furniture_stays_out() {
        let reference = split_sentences(
            "Сомнолог назвала причины проблем со сном\nВрач рассказала о продуктах и привычках, которые мешают здоровому сну.\nНегативно влияет на сон и алкоголь.\nВрач также напомнила, что недосып влияет на качество жизни и привычную деятельность.",
        );
        let candidate = split_sentences(
            "Moscow Daily News | World | Politics\nA sleep doctor named the causes of sleep problems\nA sleep doctor named the causes of sleep problems\nThe doctor talked about foods and habits that interfere with healthy sleep.\nAlcohol also affects sleep.\nThe doctor also reminded that lack of sleep affects the quality of life and usual activities.\nRelated Articles\nLeave a Reply",
        );
        let beads = align(&reference, &candidate, &AlignParams::default());
        let pairs: Vec<_> =
            beads.iter().filter(|b| b.is_pair()).map(|b| (b.reference.clone(), b.candidate.clone())).collect();
        assert_eq!(pairs, [(0..1, 2..3), (1..2, 3..4), (2..3, 4..5), (3..4, 5..6)], "{beads:?}");
        assert!(beads.iter().filter(|b| b.is_pair()).all(|b| b.low_confidence));
    }
}
