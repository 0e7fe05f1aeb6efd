//! The document rule (`doc:paragraphs`): which segments an article's document
//! scores are computed over.
//!
//! A reference laid out one paragraph per line is scored line by line: each
//! line is one segment, whatever number of sentences it holds. The alignment
//! pairs *sentences*, so the document scores regroup them: a **unit** is a
//! run of consecutive beads whose reference sentences share a reference
//! paragraph, scored as one segment (the reference sentences joined by a
//! space against the candidate sentences aligned to them). Scoring sentences
//! instead would lose every n-gram that crosses a sentence boundary inside a
//! line ("…goods. Hearty sandwiches."), which on short documents is worth
//! several BLEU points.
//!
//! An omitted reference sentence belongs to its paragraph's unit (it costs
//! recall and brevity), and an unaligned candidate sentence inside the body
//! (between the first and the last aligned candidate sentence) belongs to the
//! unit it falls in, or is a unit of its own with an empty reference when it
//! falls between two units (additions cost precision). Boilerplate outside
//! the body stays out. (The `aligned` figure is sacreBLEU over the aligned
//! sentence pairs, one segment each: what the pairs of the report give.)
//!
//! A unit grows by whole beads up to [`MAX_UNIT_BYTES`] of reference text: a
//! longer paragraph is cut between beads, so that no segment (and TER's cost on
//! it) grows with the article.

use std::ops::Range;

use crate::align::Bead;
use crate::segment::Sentence;

/// Bytes of reference text (each sentence counting a space) a unit grows to at
/// most by joining beads (a long news paragraph); a longer paragraph is scored
/// in pieces cut between beads.
pub const MAX_UNIT_BYTES: usize = 1000;

/// One segment of the document score: reference and candidate sentence
/// indices, each ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Unit {
    /// Reference sentence indices.
    pub reference: Vec<usize>,
    /// Candidate sentence indices.
    pub candidate: Vec<usize>,
}

impl Unit {
    /// The unit of one bead alone.
    pub fn of(bead: &Bead) -> Unit {
        Unit { reference: bead.reference.clone().collect(), candidate: bead.candidate.clone().collect() }
    }

    /// The segment's (reference, hypothesis) texts, from the two articles' sentences.
    pub fn texts<R: AsRef<str>, C: AsRef<str>>(&self, reference: &[R], candidate: &[C]) -> (String, String) {
        (joined(reference, &self.reference), joined(candidate, &self.candidate))
    }
}

/// The sentences `indices` of `sentences`, joined by a space: how one side of a
/// bead, a pair or a unit reads as a segment.
pub fn joined<S: AsRef<str>>(sentences: &[S], indices: &[usize]) -> String {
    indices.iter().map(|&i| sentences[i].as_ref()).collect::<Vec<_>>().join(" ")
}

/// The units of an article's `beads` (in order, covering both sides), given
/// its `reference` sentences and the candidate `body`.
pub fn units(beads: &[Bead], reference: &[Sentence], body: &Range<usize>) -> Vec<Unit> {
    let mut units = Vec::new();
    // The open unit, the last reference paragraph it reaches and its reference bytes.
    let mut open: Option<(Unit, usize, usize)> = None;
    // Additions inside the body since the last bead with reference sentences.
    let mut added: Vec<usize> = Vec::new();
    for bead in beads {
        if bead.reference.is_empty() {
            added.extend(bead.candidate.clone().filter(|c| body.contains(c)));
            continue;
        }
        let first = reference[bead.reference.start].paragraph;
        let last = reference[bead.reference.end - 1].paragraph;
        let bytes: usize = reference[bead.reference.clone()].iter().map(|s| s.text.len() + 1).sum();
        let joins = open.as_ref().is_some_and(|(_, reaches, size)| first <= *reaches && size + bytes <= MAX_UNIT_BYTES);
        if !joins {
            units.extend(open.take().map(|(unit, ..)| unit));
            units.extend(added.drain(..).map(|c| Unit { reference: Vec::new(), candidate: vec![c] }));
        }
        let (unit, reaches, size) = open.get_or_insert_with(|| (Unit::default(), last, 0));
        unit.candidate.append(&mut added);
        unit.reference.extend(bead.reference.clone());
        unit.candidate.extend(bead.candidate.clone());
        *reaches = (*reaches).max(last);
        *size += bytes;
    }
    units.extend(open.map(|(unit, ..)| unit));
    units.extend(added.into_iter().map(|c| Unit { reference: Vec::new(), candidate: vec![c] }));
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(paragraphs: &[usize]) -> Vec<Sentence> {
        paragraphs.iter().map(|&paragraph| Sentence { text: String::new(), paragraph }).collect()
    }

    fn bead(reference: Range<usize>, candidate: Range<usize>) -> Bead {
        Bead { reference, candidate, similarity: 0.5, low_confidence: false }
    }

    fn shape(units: &[Unit]) -> Vec<(Vec<usize>, Vec<usize>)> {
        units.iter().map(|u| (u.reference.clone(), u.candidate.clone())).collect()
    }

    #[test]
    fn beads_sharing_a_reference_paragraph_are_one_unit() {
        // Reference paragraphs: [0, 1] in paragraph 0, [2] in 1, [3, 4] in 2.
        let reference = sentences(&[0, 0, 1, 2, 2]);
        // A header (c0), then the body: 0-1, 1-(2,3) with an addition c4 inside, 2-5,
        // reference 3 omitted, 4-6; a footer c7.
        let beads = [
            bead(0..0, 0..1),
            bead(0..1, 1..2),
            bead(1..2, 2..4),
            bead(2..2, 4..5),
            bead(2..3, 5..6),
            bead(3..4, 6..6),
            bead(4..5, 6..7),
            bead(5..5, 7..8),
        ];
        let body = 1..7;
        assert_eq!(
            shape(&units(&beads, &reference, &body)),
            [(vec![0, 1], vec![1, 2, 3]), (vec![], vec![4]), (vec![2], vec![5]), (vec![3, 4], vec![6])]
        );
    }

    #[test]
    fn an_addition_inside_a_paragraph_joins_its_unit_and_long_paragraphs_are_cut_between_beads() {
        let reference = sentences(&[0, 0]);
        let beads = [bead(0..1, 0..1), bead(1..1, 1..2), bead(1..2, 2..3)];
        assert_eq!(shape(&units(&beads, &reference, &(0..3))), [(vec![0, 1], vec![0, 1, 2])]);
        // One paragraph of 20 sentences of 299 bytes, aligned 1-1: units of at most
        // MAX_UNIT_BYTES (each sentence counts its bytes and a space).
        let mut reference = sentences(&[0; 20]);
        reference.iter_mut().for_each(|s| s.text = "x".repeat(299));
        let beads: Vec<Bead> = (0..20).map(|i| bead(i..i + 1, i..i + 1)).collect();
        let sizes: Vec<usize> = units(&beads, &reference, &(0..20)).iter().map(|u| u.reference.len()).collect();
        let per_unit = MAX_UNIT_BYTES / 300;
        let expected: Vec<usize> = (0..20).collect::<Vec<_>>().chunks(per_unit).map(<[usize]>::len).collect();
        assert_eq!(sizes, expected);
        assert!(sizes.len() > 1);
    }
}
