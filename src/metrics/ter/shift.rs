//! The number of edits of TER: sacreBLEU 2.6.0's `translation_edit_rate`
//! (`sacrebleu/metrics/lib_ter.py`), on token ids.
//!
//! Edits are word insertions, deletions, substitutions and *shifts* (moving a
//! contiguous phrase of up to [`MAX_SHIFT_SIZE`] words elsewhere). Finding the
//! fewest edits is NP-hard, so TER shifts greedily, as Tercom does: in each
//! round, every admissible shift is tried, the one that lowers the edit
//! distance most is applied, and rounds stop when no shift helps or when
//! [`MAX_SHIFT_CANDIDATES`] candidates have been evaluated for the sentence.
//!
//! The edit distance is sacreBLEU's beam search: row `i` of the matrix
//! (hypothesis prefix of `i` words) is computed only within a band of
//! columns (reference prefixes) around the pseudo-diagonal `i * |ref| / |hyp|`,
//! and every cell outside the band counts as infinite. Shifts keep the
//! hypothesis length, so the bands are fixed for a sentence pair.
//!
//! sacreBLEU caches matrix rows by hypothesis prefix; a row depends only on
//! the prefix, so the cache never changes a result. Here the matrix of the
//! current hypothesis is kept instead: a candidate shift leaves the words
//! before its changed window as they are, so its rows start from the kept row
//! there, and once a row past the window equals the kept row plus a constant,
//! every later row does too, so the distance is known without computing them.
//! All buffers live in [`EditCounter`] and are reused: the per-candidate work
//! allocates nothing.

/// Longest phrase that one shift moves (Tercom's limit).
pub const MAX_SHIFT_SIZE: usize = 10;
/// Largest distance between a phrase's hypothesis and reference positions for it to be shifted.
pub const MAX_SHIFT_DIST: usize = 50;
/// Half the width of the band of computed cells around the pseudo-diagonal.
pub const BEAM_WIDTH: usize = 25;
/// Shift candidates evaluated per sentence pair at most (sacreBLEU's own limit). The round
/// during which the count reaches it is abandoned: its best shift is not applied.
pub const MAX_SHIFT_CANDIDATES: usize = 1000;

/// The cost of a cell outside the band (sacreBLEU uses 10^16; any value above
/// every real distance compares the same way).
const INFINITY: u32 = 1 << 30;

/// How a matrix cell was reached, with sacreBLEU's preference on ties: match or
/// substitution, then deletion, then insertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    /// Outside the band, or not reachable.
    Undefined,
    /// Hypothesis and reference words are equal (diagonal, cost 0).
    Match,
    /// Diagonal with different words (cost 1).
    Substitute,
    /// A reference word is missing from the hypothesis (from the left, cost 1).
    Insert,
    /// A hypothesis word is not in the reference (from above, cost 1).
    Delete,
}

/// Where one shift candidate moves a phrase: `length` words from `start` to
/// before the word at `target` (positions in the unshifted hypothesis).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// First word of the phrase.
    pub start: usize,
    /// Number of words in the phrase.
    pub length: usize,
    /// The phrase is inserted before this position.
    pub target: usize,
}

impl Shift {
    /// sacreBLEU's `_perform_shift`: write the shifted `words` into `out` and
    /// return the window `[from, to)` outside which `out` equals `words`.
    ///
    /// A target inside the phrase or just after it moves the phrase right by
    /// `target - start` words (at most to the end), as Python's slicing does.
    pub fn apply(self, words: &[u32], out: &mut Vec<u32>) -> (usize, usize) {
        let Shift { start, length, target } = self;
        let end = start + length;
        out.clear();
        let window = if target < start {
            out.extend_from_slice(&words[..target]);
            out.extend_from_slice(&words[start..end]);
            out.extend_from_slice(&words[target..start]);
            out.extend_from_slice(&words[end..]);
            (target, end)
        } else {
            let after = if target > end { target } else { (length + target).min(words.len()) };
            out.extend_from_slice(&words[..start]);
            out.extend_from_slice(&words[end..after]);
            out.extend_from_slice(&words[start..end]);
            out.extend_from_slice(&words[after..]);
            (start, after)
        };
        debug_assert_eq!(out.len(), words.len());
        window
    }
}

/// Columns `[lo, hi)` of each matrix row that are computed, and where each row starts in the cell arrays.
#[derive(Debug, Default)]
struct Bands {
    lo: Vec<usize>,
    hi: Vec<usize>,
    offset: Vec<usize>,
}

impl Bands {
    /// sacreBLEU's beam for a hypothesis of `hyp_len` and a reference of `ref_len` words: row 0
    /// is complete, row `i` spans `floor(i * ratio) ± beam`, the last row reaches the last column.
    fn set(&mut self, hyp_len: usize, ref_len: usize) {
        let ratio = if hyp_len > 0 { ref_len as f64 / hyp_len as f64 } else { 1.0 };
        // For very different lengths, a beam wide enough that consecutive rows overlap.
        let beam = if (BEAM_WIDTH as f64) < ratio / 2.0 {
            (ratio / 2.0 + BEAM_WIDTH as f64).ceil()
        } else {
            BEAM_WIDTH as f64
        };
        let beam = beam as usize;
        self.lo.clear();
        self.hi.clear();
        self.offset.clear();
        let mut offset = 0;
        for i in 0..=hyp_len {
            let (lo, hi) = if i == 0 {
                (0, ref_len + 1)
            } else {
                let diagonal = (i as f64 * ratio).floor() as usize;
                let hi = if i == hyp_len { ref_len + 1 } else { (diagonal + beam).min(ref_len + 1) };
                (diagonal.saturating_sub(beam).min(hi), hi)
            };
            self.lo.push(lo);
            self.hi.push(hi);
            self.offset.push(offset);
            offset += hi - lo;
        }
        self.offset.push(offset);
    }

    /// The cells of row `i` in an array laid out by these bands.
    fn row<'a, T>(&self, cells: &'a [T], i: usize) -> &'a [T] {
        &cells[self.offset[i]..self.offset[i + 1]]
    }
}

/// The cost of column `j` in a band row starting at column `lo` (infinite outside it; a `j`
/// left of `lo` wraps around to a huge index, which is outside too).
#[inline(always)]
fn cell(row: &[u32], lo: usize, j: usize) -> u32 {
    row.get(j.wrapping_sub(lo)).copied().unwrap_or(INFINITY)
}

/// Compute one matrix row (hypothesis word `word`) over columns `lo..lo + costs.len()` from
/// the previous row `prev` (starting at column `prev_lo`), with sacreBLEU's order of
/// preference. With `RECORD`, `ops` receives how each cell was reached (else it may be empty).
#[inline(always)]
fn fill_row<const RECORD: bool>(
    prev: &[u32],
    prev_lo: usize,
    lo: usize,
    word: u32,
    reference: &[u32],
    costs: &mut [u32],
    ops: &mut [Op],
) {
    if costs.is_empty() {
        return;
    }
    let last_column = lo + costs.len() - 1;
    let mut first = 0;
    let mut left = INFINITY;
    if lo == 0 {
        // Column 0: sacreBLEU assigns the deletion unconditionally.
        left = cell(prev, prev_lo, 0) + 1;
        costs[0] = left;
        if RECORD {
            ops[0] = Op::Delete;
        }
        first = 1;
    }
    // The diagonal of column j is the cell above column j - 1.
    let mut above_left = cell(prev, prev_lo, lo + first - 1);
    let columns = lo + first..=last_column;
    for ((k, j), &ref_word) in (first..).zip(columns).zip(&reference[lo + first - 1..last_column]) {
        let above = cell(prev, prev_lo, j);
        let same = ref_word == word;
        let diagonal = above_left + u32::from(!same);
        let (mut best, mut op) = (INFINITY, Op::Undefined);
        if best > diagonal {
            (best, op) = (diagonal, if same { Op::Match } else { Op::Substitute });
        }
        if best > above + 1 {
            (best, op) = (above + 1, Op::Delete);
        }
        if best > left + 1 {
            (best, op) = (left + 1, Op::Insert);
        }
        costs[k] = best;
        if RECORD {
            ops[k] = op;
        }
        left = best;
        above_left = above;
    }
}

/// What the alignment of the current hypothesis says about each position.
#[derive(Debug, Default)]
struct Alignment {
    /// Per reference position, the hypothesis position aligned to it (or the
    /// last hypothesis position before it; -1 if none).
    hyp_of_ref: Vec<isize>,
    /// Prefix sums of "this hypothesis word is an error" (`[0]` = 0).
    hyp_errors: Vec<u32>,
    /// Prefix sums of "this reference word is an error" (`[0]` = 0).
    ref_errors: Vec<u32>,
}

impl Alignment {
    fn hyp_errors_in(&self, start: usize, length: usize) -> u32 {
        self.hyp_errors[start + length] - self.hyp_errors[start]
    }

    fn ref_errors_in(&self, start: usize, length: usize) -> u32 {
        self.ref_errors[start + length] - self.ref_errors[start]
    }
}

/// Ranking of shift candidates, Tercom's: the largest gain first, then the longest
/// phrase, then the earliest start, then the earliest target.
type Rank = (i64, usize, std::cmp::Reverse<usize>, std::cmp::Reverse<usize>);

/// Counts TER edits of token-id sequences; holds every buffer, so one per thread.
#[derive(Debug, Default)]
pub struct EditCounter {
    bands: Bands,
    /// The current hypothesis (the input with the shifts applied so far).
    words: Vec<u32>,
    /// Matrix of `words` against the reference, laid out by `bands`.
    costs: Vec<u32>,
    ops: Vec<Op>,
    /// A shift candidate's words.
    shifted: Vec<u32>,
    /// Rows of a candidate's matrix (previous and current).
    prev_row: Vec<u32>,
    row: Vec<u32>,
    trace: Vec<Op>,
    alignment: Alignment,
}

impl EditCounter {
    /// TER's number of edits (shifts plus edit distance) of `hypothesis` against
    /// `reference`, as sacreBLEU's `translation_edit_rate` counts them. An empty
    /// reference costs one edit per hypothesis word.
    pub fn edits(&mut self, hypothesis: &[u32], reference: &[u32]) -> u64 {
        if reference.is_empty() {
            return hypothesis.len() as u64;
        }
        self.start(hypothesis, reference);
        let mut shifts = 0;
        let mut checked = 0;
        loop {
            let best = self.best_shift(reference, &mut checked);
            if checked >= MAX_SHIFT_CANDIDATES {
                break;
            }
            match best {
                Some((gain, shift)) if gain > 0 => {
                    let (from, _) = shift.apply(&self.words, &mut self.shifted);
                    std::mem::swap(&mut self.words, &mut self.shifted);
                    self.fill_matrix(reference, from);
                    shifts += 1;
                }
                _ => break,
            }
        }
        shifts + u64::from(self.distance())
    }

    /// Take `hypothesis` as the current words and compute its matrix against `reference`.
    fn start(&mut self, hypothesis: &[u32], reference: &[u32]) {
        self.bands.set(hypothesis.len(), reference.len());
        let cells = *self.bands.offset.last().unwrap_or(&0);
        self.costs.resize(cells, INFINITY);
        self.ops.resize(cells, Op::Undefined);
        self.words.clear();
        self.words.extend_from_slice(hypothesis);
        self.fill_matrix(reference, 0);
    }

    /// The edit distance of `words` (the matrix's last cell; the last row always reaches the last column).
    fn distance(&self) -> u32 {
        self.bands.row(&self.costs, self.words.len()).last().copied().unwrap_or(INFINITY)
    }

    /// Recompute the matrix rows after row `from` (whose hypothesis prefix did not change).
    fn fill_matrix(&mut self, reference: &[u32], from: usize) {
        if from == 0 {
            let first = self.bands.offset[1];
            for (j, cost) in self.costs[..first].iter_mut().enumerate() {
                *cost = j as u32;
            }
            self.ops[..first].fill(Op::Insert);
        }
        let bands = &self.bands;
        for i in from + 1..=self.words.len() {
            let (before, rest) = self.costs.split_at_mut(bands.offset[i]);
            let prev = &before[bands.offset[i - 1]..];
            let width = bands.hi[i] - bands.lo[i];
            let ops = &mut self.ops[bands.offset[i]..bands.offset[i] + width];
            let lo = bands.lo[i];
            fill_row::<true>(prev, bands.lo[i - 1], lo, self.words[i - 1], reference, &mut rest[..width], ops);
        }
    }

    /// Trace the matrix back from its last cell and derive the alignment
    /// (sacreBLEU's `_flip_trace` then `trace_to_alignment`).
    fn align(&mut self, ref_len: usize) {
        let bands = &self.bands;
        let (mut i, mut j) = (self.words.len(), ref_len);
        self.trace.clear();
        while i > 0 || j > 0 {
            let op = j.checked_sub(bands.lo[i]).and_then(|k| bands.row(&self.ops, i).get(k)).copied();
            let op = op.unwrap_or(Op::Undefined);
            self.trace.push(op);
            match op {
                Op::Match | Op::Substitute => (i, j) = (i - 1, j - 1),
                Op::Insert => j -= 1,
                Op::Delete => i -= 1,
                // Every cell inside the bands is reachable, so the trace never leaves them.
                Op::Undefined => break,
            }
        }
        let a = &mut self.alignment;
        a.hyp_of_ref.clear();
        a.hyp_errors.clear();
        a.ref_errors.clear();
        a.hyp_errors.push(0);
        a.ref_errors.push(0);
        let mut hyp_pos: isize = -1;
        for &op in self.trace.iter().rev() {
            let (hyp_error, ref_error) = match op {
                Op::Match => (Some(0), Some(0)),
                Op::Substitute => (Some(1), Some(1)),
                Op::Delete => (Some(1), None),
                Op::Insert => (None, Some(1)),
                Op::Undefined => (None, None),
            };
            if let Some(e) = hyp_error {
                hyp_pos += 1;
                a.hyp_errors.push(a.hyp_errors.last().unwrap_or(&0) + e);
            }
            if let Some(e) = ref_error {
                a.hyp_of_ref.push(hyp_pos);
                a.ref_errors.push(a.ref_errors.last().unwrap_or(&0) + e);
            }
        }
    }

    /// The edit distance of the candidate in `shifted`, which equals `words` outside `[from, to)`.
    fn candidate_distance(&mut self, reference: &[u32], (from, to): (usize, usize)) -> u32 {
        let bands = &self.bands;
        let n = self.words.len();
        let base_distance = i64::from(self.distance());
        // Both rows have room for the widest band (the first and the last row span every column).
        self.prev_row.resize(reference.len() + 1, INFINITY);
        self.row.resize(reference.len() + 1, INFINITY);
        let base_row = bands.row(&self.costs, from);
        self.prev_row[..base_row.len()].copy_from_slice(base_row);
        let mut prev_width = base_row.len();
        for i in from + 1..=n {
            let (lo, width) = (bands.lo[i], bands.hi[i] - bands.lo[i]);
            let prev = &self.prev_row[..prev_width];
            fill_row::<false>(
                prev,
                bands.lo[i - 1],
                lo,
                self.shifted[i - 1],
                reference,
                &mut self.row[..width],
                &mut [],
            );
            if i >= to && i < n {
                if let Some(offset) = constant_offset(&self.row[..width], bands.row(&self.costs, i)) {
                    return (base_distance + offset) as u32;
                }
            }
            std::mem::swap(&mut self.prev_row, &mut self.row);
            prev_width = width;
        }
        self.prev_row[prev_width - 1]
    }

    /// sacreBLEU's `_shift`: evaluate every admissible shift of `words` in its
    /// order and return the best (with its gain in edit distance), counting the
    /// candidates in `checked`. Stops early once `checked` reaches the cap.
    fn best_shift(&mut self, reference: &[u32], checked: &mut usize) -> Option<(i64, Shift)> {
        self.align(reference.len());
        let pre_score = i64::from(self.distance());
        let (hyp_len, ref_len) = (self.words.len(), reference.len());
        let mut best: Option<(Rank, Shift)> = None;
        for start_h in 0..hyp_len {
            let first_r = start_h.saturating_sub(MAX_SHIFT_DIST);
            let last_r = (start_h + MAX_SHIFT_DIST).min(ref_len - 1);
            for start_r in first_r..=last_r {
                let mut length = 0;
                while length < MAX_SHIFT_SIZE && self.words[start_h + length] == reference[start_r + length] {
                    length += 1;
                    if self.admissible(start_h, start_r, length) {
                        self.try_targets(reference, pre_score, (start_h, start_r, length), checked, &mut best);
                        if *checked >= MAX_SHIFT_CANDIDATES {
                            return best.map(|((gain, ..), shift)| (gain, shift));
                        }
                    }
                    if start_h + length == hyp_len || start_r + length == ref_len {
                        break;
                    }
                }
            }
        }
        best.map(|((gain, ..), shift)| (gain, shift))
    }

    /// Tercom's conditions for shifting the matched phrase: some of its
    /// hypothesis words and some of its reference words are errors, and the
    /// reference start is not aligned inside the phrase itself.
    fn admissible(&self, start_h: usize, start_r: usize, length: usize) -> bool {
        let a = &self.alignment;
        let aligned = a.hyp_of_ref[start_r];
        a.hyp_errors_in(start_h, length) > 0
            && a.ref_errors_in(start_r, length) > 0
            && !(start_h as isize <= aligned && aligned < (start_h + length) as isize)
    }

    /// Evaluate the targets of the phrase `words[start_h..][..length]` matched at
    /// `reference[start_r..]`: before the hypothesis word aligned just after each
    /// reference position from `start_r - 1` to the phrase's end (sacreBLEU
    /// inserts *before* the index, Tercom after), skipping repeats of the
    /// previous target.
    fn try_targets(
        &mut self,
        reference: &[u32],
        pre_score: i64,
        (start_h, start_r, length): (usize, usize, usize),
        checked: &mut usize,
        best: &mut Option<(Rank, Shift)>,
    ) {
        let mut prev_target = None;
        for ref_pos in start_r as isize - 1..(start_r + length) as isize {
            let target = if ref_pos < 0 { 0 } else { (self.alignment.hyp_of_ref[ref_pos as usize] + 1) as usize };
            if prev_target == Some(target) {
                continue;
            }
            prev_target = Some(target);
            let shift = Shift { start: start_h, length, target };
            let window = shift.apply(&self.words, &mut self.shifted);
            let gain = pre_score - i64::from(self.candidate_distance(reference, window));
            *checked += 1;
            let rank = (gain, length, std::cmp::Reverse(start_h), std::cmp::Reverse(target));
            if best.as_ref().is_none_or(|(best_rank, _)| rank > *best_rank) {
                *best = Some((rank, shift));
            }
        }
    }
}

/// `c` if every cell of `row` is the cell of `base` plus `c` (cells that are
/// infinite in `base` must be identical): then all later rows differ by `c` too.
fn constant_offset(row: &[u32], base: &[u32]) -> Option<i64> {
    let mut offset = None;
    for (&new, &old) in row.iter().zip(base) {
        if old >= INFINITY || new >= INFINITY {
            if new != old {
                return None;
            }
            continue;
        }
        let d = i64::from(new) - i64::from(old);
        match offset {
            None => offset = Some(d),
            Some(c) if c != d => return None,
            Some(_) => {}
        }
    }
    Some(offset.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Token ids of space-separated single letters.
    fn ids(text: &str) -> Vec<u32> {
        text.split_whitespace().map(|w| w.bytes().fold(0, |acc, b| acc * 256 + u32::from(b))).collect()
    }

    fn edits(hyp: &str, reference: &str) -> u64 {
        EditCounter::default().edits(&ids(hyp), &ids(reference))
    }

    #[test]
    fn shifts_follow_python_slicing() {
        let words: Vec<u32> = (0..8).collect();
        let mut out = Vec::new();
        // Before the phrase: [5 6] moves before word 1.
        assert_eq!(Shift { start: 5, length: 2, target: 1 }.apply(&words, &mut out), (1, 7));
        assert_eq!(out, [0, 5, 6, 1, 2, 3, 4, 7]);
        // After the phrase: [1 2] moves before word 6.
        assert_eq!(Shift { start: 1, length: 2, target: 6 }.apply(&words, &mut out), (1, 6));
        assert_eq!(out, [0, 3, 4, 5, 1, 2, 6, 7]);
        // Inside or right after the phrase: moved right by target - start, at most to the end.
        assert_eq!(Shift { start: 1, length: 3, target: 3 }.apply(&words, &mut out), (1, 6));
        assert_eq!(out, [0, 4, 5, 1, 2, 3, 6, 7]);
        assert_eq!(Shift { start: 5, length: 3, target: 7 }.apply(&words, &mut out), (5, 8));
        assert_eq!(out, words);
    }

    #[test]
    fn one_shift_fixes_a_moved_phrase() {
        // sacreBLEU's test_ter: a single shift fixes the hypothesis.
        assert_eq!(edits("d e f g h a b c", "a b c d e f g h"), 1);
        assert_eq!(edits("a b c d", "a b c d"), 0);
        assert_eq!(edits("", "a b"), 2);
        assert_eq!(edits("a b", ""), 2);
    }

    #[test]
    fn a_shift_must_gain_to_be_applied() {
        // Moving "b" to the front would cost a shift and save a substitution pair; the edit
        // distance alone is 2 (delete + insert) and a shift makes it 1.
        assert_eq!(edits("a b", "b a"), 1);
        // No common word: only substitutions.
        assert_eq!(edits("x y z", "a b c"), 3);
    }

    /// An `EditCounter` holding `hypothesis` and its matrix against `reference`, before any shift.
    fn prepared(hypothesis: &[u32], reference: &[u32]) -> EditCounter {
        let mut counter = EditCounter::default();
        counter.start(hypothesis, reference);
        counter
    }

    #[test]
    fn equal_gains_prefer_the_earliest_start_and_insert_before_the_index() {
        // "b a c" -> "a b c": "b" can move right past "a" (target 1, inserted before index 1 of
        // the phrase-less order) and "a" to the front (target 0); both gain 2. The earliest
        // start wins, then the earliest target. sacreBLEU's `_shift` also checks 4 candidates.
        let (hyp, reference) = (ids("b a c"), ids("a b c"));
        let mut counter = prepared(&hyp, &reference);
        let mut checked = 0;
        let best = counter.best_shift(&reference, &mut checked);
        assert_eq!(best, Some((2, Shift { start: 0, length: 1, target: 1 })));
        assert_eq!(checked, 4);
        assert_eq!(counter.edits(&hyp, &reference), 1);
    }

    #[test]
    fn bands_follow_the_pseudo_diagonal() {
        let mut bands = Bands::default();
        bands.set(100, 200);
        assert_eq!((bands.lo[0], bands.hi[0]), (0, 201));
        // Row 50: diagonal 100, beam 25.
        assert_eq!((bands.lo[50], bands.hi[50]), (75, 125));
        assert_eq!((bands.lo[100], bands.hi[100]), (175, 201));
        // A reference 200 times longer: the beam widens to ceil(100 + 25).
        bands.set(2, 400);
        assert_eq!((bands.lo[1], bands.hi[1]), (75, 325));
    }

    #[test]
    fn candidates_stop_at_the_cap_and_the_last_round_is_dropped() {
        // A long hypothesis with many repeated words yields more than 1,000 shift
        // candidates; the count stops at the cap within the round that reaches it.
        let reference: Vec<u32> = (0..120).map(|i| i % 7).collect();
        let hypothesis: Vec<u32> = (0..120).map(|i| (i * 3 + 1) % 7).collect();
        let mut counter = prepared(&hypothesis, &reference);
        let mut checked = 0;
        let best = counter.best_shift(&reference, &mut checked);
        // The round stops after the phrase whose targets reach the cap (at most length + 1 of them).
        assert!((MAX_SHIFT_CANDIDATES..=MAX_SHIFT_CANDIDATES + MAX_SHIFT_SIZE).contains(&checked), "{checked}");
        assert!(best.is_some());
        // With the cap reached in the first round, no shift is applied: the edits are the plain distance.
        let distance = u64::from(counter.distance());
        assert_eq!(counter.edits(&hypothesis, &reference), distance);
        // sacreBLEU's translation_edit_rate gives the same for these lists.
        assert_eq!(distance, 103);
    }

    #[test]
    fn constant_offset_needs_the_same_difference_everywhere() {
        assert_eq!(constant_offset(&[3, 4, 5], &[2, 3, 4]), Some(1));
        assert_eq!(constant_offset(&[3, 4, 6], &[2, 3, 4]), None);
        assert_eq!(constant_offset(&[1, INFINITY], &[2, INFINITY]), Some(-1));
        assert_eq!(constant_offset(&[1, 5], &[2, INFINITY]), None);
    }
}
