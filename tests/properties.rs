//! Properties that must hold for any input (proptest): score ranges, self-scores,
//! additive statistics, TER's edit counts, well-formed alignments, name metrics,
//! and agreement of the multi-threaded and single-threaded paths.

use proptest::prelude::*;

use tqscore::align::{align, AlignParams, Bead};
use tqscore::article::{score_article, ArticleOptions};
use tqscore::corpus::{score_segments, CorpusStats, RunOptions, Segments};
use tqscore::input::Text;
use tqscore::metrics::{segment_stats, Bleu, Chrf, Metric, Ter};
use tqscore::segment::split_sentences;
use tqscore::tokenize::TokenizerKind;

/// Every metric configuration the properties run over.
fn metrics() -> Vec<Box<dyn Metric>> {
    let mut all: Vec<Box<dyn Metric>> = TokenizerKind::ALL
        .into_iter()
        .map(|tokenizer| Box::new(Bleu { tokenizer, ..Bleu::default() }) as Box<dyn Metric>)
        .collect();
    all.push(Box::new(Bleu { effective_order: true, lowercase: true, ..Bleu::default() }));
    all.push(Box::new(Chrf::default()));
    all.push(Box::new(Chrf { word_order: 2, ..Chrf::default() }));
    all
}

/// TER with its default options, each option alone, and all of them.
fn ter_metrics() -> Vec<Ter> {
    let d = Ter::DEFAULT;
    vec![
        d,
        Ter { case_sensitive: true, ..d },
        Ter { no_punct: true, ..d },
        Ter { normalized: true, ..d },
        Ter { asian_support: true, ..d },
        Ter { case_sensitive: true, no_punct: true, normalized: true, asian_support: true, ..d },
    ]
}

fn stats(segments: &Segments, threads: usize, keep: bool) -> CorpusStats {
    let owned = metrics();
    let refs: Vec<&dyn Metric> = owned.iter().map(|m| m.as_ref()).collect();
    score_segments(&refs, segments, RunOptions { threads, keep_segments: keep }).unwrap()
}

fn segments(pairs: &[(String, String)]) -> Segments {
    let hyps: Vec<&str> = pairs.iter().map(|(h, _)| h.as_str()).collect();
    let refs: Vec<&str> = pairs.iter().map(|(_, r)| r.as_str()).collect();
    Segments::from_streams(&hyps, &[refs])
}

/// Text with words, punctuation, numbers, several scripts and odd whitespace.
fn segment_text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        "[a-zA-Z]{1,8}",
        "[0-9]{1,4}([.,][0-9]{1,3})?",
        "[.,;:!?\"'()\\-/$%&]{1,2}",
        "[А-я]{1,6}",
        "[一-龥]{1,3}",
        "[é\u{301}ü👍]{1,2}",
    ];
    let gap = prop_oneof![Just(" "), Just("  "), Just("\t"), Just("\u{a0}"), Just("")];
    prop::collection::vec((word, gap), 0..20).prop_map(|parts| parts.into_iter().map(|(w, g)| w + g).collect())
}

/// A sentence from a small vocabulary (so that sentences of two articles overlap).
fn sentence() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "the",
        "talks",
        "Kremlin",
        "said",
        "Putin",
        "envoy",
        "met",
        "on",
        "Friday",
        "Witkoff",
        "peace",
        "deal",
        "Ukraine",
        "war",
        "would",
        "end",
        "soon",
        "officials",
        "Moscow",
        "Washington",
        "three",
        "hours",
    ]);
    prop::collection::vec(words, 3..12).prop_map(|w| {
        let mut s = w.join(" ");
        s[..1].make_ascii_uppercase();
        s + "."
    })
}

/// An article: paragraphs of sentences.
fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(sentence(), 1..4), 1..6)
        .prop_map(|paragraphs| paragraphs.into_iter().map(|p| p.join(" ")).collect::<Vec<_>>().join("\n"))
}

fn text(name: &str, body: &str) -> Text {
    Text { name: name.into(), text: body.into(), had_bom: false, had_cr: false }
}

/// Beads cover every sentence of both sides exactly once, in order.
fn assert_well_formed(beads: &[Bead], n_ref: usize, n_cand: usize) {
    let (mut r, mut c) = (0, 0);
    for bead in beads {
        assert_eq!((bead.reference.start, bead.candidate.start), (r, c), "beads are monotonic and contiguous");
        assert!(!bead.reference.is_empty() || !bead.candidate.is_empty());
        assert!((0.0..=1.0).contains(&bead.similarity));
        (r, c) = (bead.reference.end, bead.candidate.end);
    }
    assert_eq!((r, c), (n_ref, n_cand), "every sentence is used once");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn scores_stay_within_their_ranges(pairs in prop::collection::vec((segment_text(), segment_text()), 1..6)) {
        let owned = metrics();
        let all = stats(&segments(&pairs), 1, true);
        for (m, metric) in owned.iter().enumerate() {
            let corpus = metric.score(&all.totals[m], 1).score;
            prop_assert!((0.0..=100.0).contains(&corpus), "{} corpus {corpus}", metric.key());
            for i in 0..pairs.len() {
                let one = metric.score(all.segment(m, metric.stats_len(), i).unwrap(), 1).score;
                prop_assert!((0.0..=100.0).contains(&one), "{} segment {one}", metric.key());
            }
        }
    }

    #[test]
    fn a_text_against_itself_scores_100(line in segment_text()) {
        // Corpus BLEU needs a 4-gram (as in sacreBLEU, one word against itself
        // scores 0): every tokenizer gives at least as many tokens as words.
        prop_assume!(tqscore::text::py_split(&line).count() >= 4);
        let owned = metrics();
        let all = stats(&segments(&[(line.clone(), line.clone())]), 1, false);
        for (m, metric) in owned.iter().enumerate() {
            let score = metric.score(&all.totals[m], 1).score;
            prop_assert!((score - 100.0).abs() < 1e-9, "{} = {score} for {line:?}", metric.key());
        }
    }

    #[test]
    fn corpus_statistics_are_additive(
        a in prop::collection::vec((segment_text(), segment_text()), 0..5),
        b in prop::collection::vec((segment_text(), segment_text()), 0..5),
    ) {
        let both: Vec<(String, String)> = a.iter().chain(&b).cloned().collect();
        prop_assume!(!both.is_empty());
        let (sa, sb, sab) = (stats(&segments(&a), 1, false), stats(&segments(&b), 1, false), stats(&segments(&both), 1, false));
        for m in 0..sab.totals.len() {
            let summed: Vec<u64> = sa.totals[m].iter().zip(&sb.totals[m]).map(|(x, y)| x + y).collect();
            prop_assert_eq!(&sab.totals[m], &summed);
        }
    }

    #[test]
    fn threads_do_not_change_statistics(pairs in prop::collection::vec((segment_text(), segment_text()), 1..40)) {
        let one = stats(&segments(&pairs), 1, true);
        let two = stats(&segments(&pairs), 2, true);
        prop_assert_eq!(one.totals, two.totals);
        prop_assert_eq!(one.per_segment, two.per_segment);
    }

    #[test]
    fn alignment_is_monotonic_and_uses_each_sentence_once(reference in article(), candidate in article()) {
        let (r, c) = (split_sentences(&reference), split_sentences(&candidate));
        assert_well_formed(&align(&r, &c, &AlignParams::default()), r.len(), c.len());
    }

    #[test]
    fn an_edited_article_still_aligns_well_formed(reference in article(), drop in 0usize..5, insert in sentence()) {
        // The candidate loses a sentence, gains one, and has two sentences merged.
        let mut sentences: Vec<String> = split_sentences(&reference).into_iter().map(|s| s.text).collect();
        if sentences.len() > 1 {
            sentences.remove(drop % sentences.len());
        }
        sentences.insert(0, insert);
        let candidate = sentences.join("\n");
        let (r, c) = (split_sentences(&reference), split_sentences(&candidate));
        assert_well_formed(&align(&r, &c, &AlignParams::default()), r.len(), c.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn ter_of_a_text_against_itself_is_0_unless_normalized(line in segment_text()) {
        // With normalization, sacreBLEU tokenizes references twice and hypotheses once, so a
        // text can differ from itself (`2000's.`; see src/metrics/ter.rs).
        for ter in ter_metrics().into_iter().filter(|t| !t.normalized) {
            let stats = segment_stats(ter.scorer().as_mut(), ter.stats_len(), &line, &[&line]);
            prop_assert_eq!(stats[0], 0, "{:?} {:?}", ter, line);
            prop_assert_eq!(ter.score(&stats, 1).score, 0.0);
        }
    }

    #[test]
    fn one_inserted_word_costs_exactly_one_edit(line in segment_text(), word in "[a-z]{1,8}", at in 0usize..64) {
        let mut words: Vec<&str> = tqscore::text::py_split(&line).collect();
        let reference_words = words.len() as u64;
        words.insert(at % (words.len() + 1), &word);
        let hypothesis = words.join(" ");
        let ter = Ter::DEFAULT;
        let stats = segment_stats(ter.scorer().as_mut(), ter.stats_len(), &hypothesis, &[&line]);
        prop_assert_eq!(stats, vec![1, reference_words], "{:?} vs {:?}", hypothesis, line);
    }

    #[test]
    fn ter_is_never_negative_and_threads_do_not_change_it(
        pairs in prop::collection::vec((segment_text(), segment_text(), segment_text()), 1..30),
    ) {
        let hyps: Vec<&str> = pairs.iter().map(|(h, _, _)| h.as_str()).collect();
        let refs: Vec<Vec<&str>> = vec![
            pairs.iter().map(|(_, r, _)| r.as_str()).collect(),
            pairs.iter().map(|(_, _, r)| r.as_str()).collect(),
        ];
        let segments = Segments::from_streams(&hyps, &refs);
        let owned = ter_metrics();
        let metrics: Vec<&dyn Metric> = owned.iter().map(|m| m as &dyn Metric).collect();
        let run = |threads| score_segments(&metrics, &segments, RunOptions { threads, keep_segments: true }).unwrap();
        let (one, two) = (run(1), run(2));
        prop_assert_eq!(&one, &two);
        for (m, ter) in owned.iter().enumerate() {
            prop_assert!(ter.score(&one.totals[m], 2).score >= 0.0);
            for i in 0..pairs.len() {
                prop_assert!(ter.score(one.segment(m, 2, i).unwrap(), 2).score >= 0.0);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn name_metrics_are_fractions_and_perfect_for_identical_text(reference in article(), candidate in article()) {
        let options = ArticleOptions { bootstrap: 0, threads: 1, ..ArticleOptions::default() };
        let report = score_article(&text("r", &reference), &text("c", &candidate), &options).unwrap();
        let names = &report.names;
        for value in [names.recall, names.precision, names.f1, names.lenient_recall, names.variant_rate].into_iter().flatten() {
            prop_assert!((0.0..=1.0).contains(&value), "{value}");
        }
        let same = score_article(&text("r", &reference), &text("r", &reference), &options).unwrap();
        prop_assert!((same.document.bleu.score.score - 100.0).abs() < 1e-9);
        if same.names.reference_mentions > 0 {
            prop_assert_eq!((same.names.recall, same.names.precision, same.names.f1), (Some(1.0), Some(1.0), Some(1.0)));
            prop_assert_eq!(same.names.variant_rate, Some(0.0));
        }
    }

    #[test]
    fn article_reports_do_not_depend_on_threads(reference in article(), candidate in article()) {
        let run = |threads| {
            let options = ArticleOptions { bootstrap: 50, threads, ..ArticleOptions::default() };
            let report = score_article(&text("r", &reference), &text("c", &candidate), &options).unwrap();
            serde_json::to_string(&report).unwrap()
        };
        prop_assert_eq!(run(1), run(2));
    }
}
