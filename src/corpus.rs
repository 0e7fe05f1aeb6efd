//! Scoring line-aligned corpora: streaming, chunked, parallel, exact.
//!
//! The candidate and reference streams are read in lockstep, a batch of chunks
//! at a time, so memory stays bounded by the batch (plus per-segment statistics
//! when they are asked for). Chunks are scored on a rayon pool; every chunk
//! yields integer statistics and their sum does not depend on how the work was
//! split, so any thread count gives bit-identical results.

use std::ops::Range;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::input::{BomPolicy, LineReader, Source};
use crate::metrics::{add_stats, stats_sources, Metric, SegmentScorer};

/// Lines per chunk: large enough to amortise scheduling, small enough to balance two cores.
const CHUNK_LINES: usize = 2048;

/// Segments held in one string: line `i` is `text[ends[i-1]..ends[i]]`.
#[derive(Debug, Default, Clone)]
pub struct LineBuffer {
    text: String,
    ends: Vec<usize>,
}

impl LineBuffer {
    /// Number of lines.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Line `i`.
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    /// Append a line.
    pub fn push(&mut self, line: &str) {
        self.text.push_str(line);
        self.ends.push(self.text.len());
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Append the next line of `reader`; `false` at its end.
    fn push_from(&mut self, reader: &mut LineReader) -> Result<bool> {
        let more = reader.read_line_into(&mut self.text)?;
        if more {
            self.ends.push(self.text.len());
        }
        Ok(more)
    }
}

/// A block of segments: hypotheses and, per reference stream, the references.
#[derive(Debug, Default, Clone)]
pub struct Segments {
    /// One hypothesis per line.
    pub hypotheses: LineBuffer,
    /// One buffer per reference stream, each as long as `hypotheses`.
    pub references: Vec<LineBuffer>,
}

impl Segments {
    /// Segments from in-memory hypotheses and reference streams (each as long as `hypotheses`).
    pub fn from_streams<S: AsRef<str>>(hypotheses: &[S], references: &[Vec<S>]) -> Segments {
        let mut segments = Segments::default();
        hypotheses.iter().for_each(|h| segments.hypotheses.push(h.as_ref()));
        for stream in references {
            let mut buffer = LineBuffer::default();
            stream.iter().for_each(|r| buffer.push(r.as_ref()));
            segments.references.push(buffer);
        }
        segments
    }

    /// Number of segments.
    pub fn len(&self) -> usize {
        self.hypotheses.len()
    }

    /// Whether there are no segments.
    pub fn is_empty(&self) -> bool {
        self.hypotheses.is_empty()
    }

    fn clear(&mut self) {
        self.hypotheses.clear();
        self.references.iter_mut().for_each(LineBuffer::clear);
    }
}

/// Summed (and optionally per-segment) statistics of every metric.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusStats {
    /// Number of segments scored.
    pub segments: usize,
    /// Per metric, the corpus statistics (the sum over segments).
    pub totals: Vec<Vec<u64>>,
    /// Per metric, every segment's statistics back to back (when requested).
    pub per_segment: Option<Vec<Vec<u64>>>,
}

impl CorpusStats {
    fn new(metrics: &[&dyn Metric], keep_segments: bool) -> CorpusStats {
        CorpusStats {
            segments: 0,
            totals: metrics.iter().map(|m| vec![0; m.stats_len()]).collect(),
            per_segment: keep_segments.then(|| vec![Vec::new(); metrics.len()]),
        }
    }

    /// The statistics of segment `index` for metric number `metric`.
    pub fn segment(&self, metric: usize, stats_len: usize, index: usize) -> Option<&[u64]> {
        let all = self.per_segment.as_ref()?.get(metric)?;
        all.get(index * stats_len..(index + 1) * stats_len)
    }

    fn absorb(&mut self, part: CorpusStats) {
        self.segments += part.segments;
        for (total, p) in self.totals.iter_mut().zip(&part.totals) {
            add_stats(total, p);
        }
        if let (Some(all), Some(p)) = (self.per_segment.as_mut(), part.per_segment) {
            for (a, p) in all.iter_mut().zip(p) {
                a.extend(p);
            }
        }
    }
}

/// How to run a corpus computation (default: one thread per core, no per-segment statistics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RunOptions {
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Keep every segment's statistics (sentence-level scores, bootstrap).
    pub keep_segments: bool,
}

/// A contiguous range of segments to score as one task.
type Slice<'a> = (&'a Segments, Range<usize>);

/// Score one range of segments with one scorer per metric. A metric whose
/// statistics another one contains ([`stats_sources`]) copies them from it.
fn score_block(
    metrics: &[&dyn Metric],
    scorers: &mut [Box<dyn SegmentScorer + '_>],
    (block, range): &Slice<'_>,
    keep_segments: bool,
) -> CorpusStats {
    let mut stats = CorpusStats::new(metrics, keep_segments);
    stats.segments = range.len();
    let sources = stats_sources(metrics, block.references.len());
    // Sources first, so that a derived metric finds its source's statistics.
    let mut order: Vec<usize> = (0..metrics.len()).collect();
    order.sort_by_key(|&m| sources[m].is_some());
    let mut refs: Vec<&str> = Vec::with_capacity(block.references.len());
    let mut segment: Vec<Vec<u64>> = metrics.iter().map(|m| vec![0; m.stats_len()]).collect();
    for i in range.clone() {
        refs.clear();
        refs.extend(block.references.iter().map(|r| r.get(i)));
        let hyp = block.hypotheses.get(i);
        for &m in &order {
            let (mut own, rest) = (std::mem::take(&mut segment[m]), &segment);
            match sources[m] {
                Some(j) => {
                    let len = own.len();
                    own.copy_from_slice(&rest[j][..len]);
                }
                None => {
                    own.fill(0);
                    scorers[m].add_segment(hyp, &refs, &mut own);
                }
            }
            add_stats(&mut stats.totals[m], &own);
            if let Some(per_segment) = stats.per_segment.as_mut() {
                per_segment[m].extend_from_slice(&own);
            }
            segment[m] = own;
        }
    }
    stats
}

/// Score ranges of segments in parallel on the current rayon pool, preserving their order in the result.
fn score_blocks(metrics: &[&dyn Metric], blocks: &[Slice<'_>], keep_segments: bool) -> CorpusStats {
    let parts: Vec<CorpusStats> = blocks
        .par_iter()
        .map_init(
            || metrics.iter().map(|m| m.scorer()).collect::<Vec<_>>(),
            |scorers, block| score_block(metrics, scorers, block, keep_segments),
        )
        .collect();
    let mut total = CorpusStats::new(metrics, keep_segments);
    parts.into_iter().for_each(|p| total.absorb(p));
    total
}

/// A pool of `threads` workers (0: one per core).
pub(crate) fn build_pool(threads: usize) -> Result<rayon::ThreadPool> {
    if threads > MAX_THREADS {
        return Err(Error::Usage(format!(
            "--threads {threads} is more than {MAX_THREADS} worker threads\n  hint: pass 0 (one per core, the \
             default) or a number up to {MAX_THREADS}; results are the same for any number"
        )));
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start {threads} worker threads: {e}")))
}

/// Most worker threads a run may ask for: far more than cores, so useless, and
/// tens of thousands stall the machine starting them.
pub const MAX_THREADS: usize = 1024;

/// Score in-memory segments (used for aligned article pairs and tests).
pub fn score_segments(metrics: &[&dyn Metric], segments: &Segments, options: RunOptions) -> Result<CorpusStats> {
    let pool = build_pool(options.threads)?;
    Ok(pool.install(|| score_segments_in_current_pool(metrics, segments, options.keep_segments)))
}

/// [`score_segments`] on the current rayon pool (for callers that run a whole
/// pipeline in one pool). Ranges are small enough to keep every worker busy.
pub(crate) fn score_segments_in_current_pool(
    metrics: &[&dyn Metric],
    segments: &Segments,
    keep_segments: bool,
) -> CorpusStats {
    let chunk = segments.len().div_ceil(4 * rayon::current_num_threads()).clamp(1, CHUNK_LINES);
    let blocks: Vec<Slice<'_>> = (0..segments.len())
        .step_by(chunk)
        .map(|start| (segments, start..(start + chunk).min(segments.len())))
        .collect();
    score_blocks(metrics, &blocks, keep_segments)
}

/// What the readers noticed about the files, for warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputNotes {
    /// Files that started with a UTF-8 byte-order mark.
    pub bom: Vec<String>,
    /// Files with CRLF line ends.
    pub crlf: Vec<String>,
    /// Candidate lines ending in a tokenized period (` .`), a sign of tokenized input.
    pub tokenized_period_lines: usize,
}

/// Reads candidate and reference lines in lockstep, a batch of blocks at a time.
struct BatchReader {
    hyp: LineReader,
    refs: Vec<LineReader>,
    notes: InputNotes,
    finished: bool,
}

impl BatchReader {
    /// Fill `batch` (blocks of up to `CHUNK_LINES` segments); returns how many blocks hold segments.
    fn fill(&mut self, batch: &mut Vec<Segments>, blocks: usize) -> Result<usize> {
        let refs = self.refs.len();
        batch.resize_with(blocks, || Segments {
            hypotheses: LineBuffer::default(),
            references: vec![LineBuffer::default(); refs],
        });
        let mut filled = 0;
        for block in batch.iter_mut() {
            block.clear();
            while !self.finished && block.len() < CHUNK_LINES {
                let hyp_more = block.hypotheses.push_from(&mut self.hyp)?;
                if hyp_more && block.hypotheses.get(block.len() - 1).ends_with(" .") {
                    self.notes.tokenized_period_lines += 1;
                }
                for (buffer, reader) in block.references.iter_mut().zip(self.refs.iter_mut()) {
                    if buffer.push_from(reader)? != hyp_more {
                        return Err(line_count_mismatch(&mut self.hyp, &mut self.refs));
                    }
                }
                self.finished = !hyp_more;
            }
            if block.is_empty() {
                break;
            }
            filled += 1;
        }
        Ok(filled)
    }

    /// What the readers noticed, once everything was read.
    fn into_notes(mut self) -> InputNotes {
        for reader in std::iter::once(&self.hyp).chain(&self.refs) {
            if reader.saw_bom() {
                self.notes.bom.push(reader.name().to_string());
            }
            if reader.saw_cr() {
                self.notes.crlf.push(reader.name().to_string());
            }
        }
        self.notes
    }
}

/// Stream a candidate file and its reference files and score them.
///
/// A reader thread fills the next batch while the pool scores the current
/// one; batches are recycled, so memory stays at two batches.
pub fn score_files(
    metrics: &[&dyn Metric],
    candidate: &Source,
    references: &[Source],
    bom: BomPolicy,
    options: RunOptions,
) -> Result<(CorpusStats, InputNotes)> {
    let pool = build_pool(options.threads)?;
    let mut reader = BatchReader {
        hyp: LineReader::open(candidate, bom)?,
        refs: references.iter().map(|r| LineReader::open(r, bom)).collect::<Result<Vec<_>>>()?,
        notes: InputNotes::default(),
        finished: false,
    };
    let blocks = 4 * pool.current_num_threads().max(1);
    let mut total = CorpusStats::new(metrics, options.keep_segments);
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Result<(Vec<Segments>, usize)>>(1);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<Segments>>();
    // A second batch for the reader to fill while the first is scored (double buffering).
    let _ = empty_tx.send(Vec::new());
    let candidate_name = candidate.name();
    let notes = std::thread::scope(|scope| {
        let producer = scope.spawn(move || {
            let mut batch = Vec::new();
            loop {
                let filled = reader.fill(&mut batch, blocks);
                let done = !matches!(filled, Ok(n) if n > 0) || reader.finished;
                if full_tx.send(filled.map(|n| (batch, n))).is_err() || done {
                    break;
                }
                batch = empty_rx.recv().unwrap_or_default();
            }
            reader.into_notes()
        });
        let mut outcome = Ok(());
        for message in full_rx {
            match message {
                Ok((batch, filled)) => {
                    let blocks: Vec<Slice<'_>> = batch[..filled].iter().map(|b| (b, 0..b.len())).collect();
                    total.absorb(pool.install(|| score_blocks(metrics, &blocks, options.keep_segments)));
                    let _ = empty_tx.send(batch);
                }
                Err(e) => outcome = Err(e),
            }
        }
        drop(empty_tx);
        let notes = producer.join().map_err(|_| Error::Usage("the input reader stopped unexpectedly".into()))?;
        outcome.map(|()| notes)
    })?;
    if total.segments == 0 {
        return Err(Error::Empty {
            path: candidate_name,
            what: "the candidate has no lines to score".into(),
            hint: "pass a file with one segment per line".into(),
        });
    }
    Ok((total, notes))
}

fn line_count_mismatch(hyp: &mut LineReader, refs: &mut [LineReader]) -> Error {
    let mut counts = Vec::new();
    for reader in std::iter::once(hyp).chain(refs.iter_mut()) {
        // A read error while counting still leaves the lines seen so far.
        let _ = reader.count_remaining();
        counts.push((reader.name().to_string(), reader.lines_read()));
    }
    Error::LineCountMismatch { counts }
}
