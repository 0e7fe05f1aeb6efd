//! Properties of the statistical tests on random statistics: a system compared
//! with itself has difference 0 and sacreBLEU's smallest p-value, `1 / (n + 1)`
//! (no resample or trial differs by more than 0, and the count gets its +1);
//! results do not depend on the number of threads; unseeded runs still work.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use tqscore::metrics::{Bleu, Chrf, Metric};
use tqscore::significance::{confidence, paired_test, Estimate, PairedTest, Seed};

/// Per-segment statistics of one system for BLEU and chrF: BLEU's
/// `[sys_len, ref_len, correct_1..4, total_1..4]`, chrF's 6 `[hyp, ref, match]` triples.
fn system(segments: usize) -> impl Strategy<Value = Vec<Vec<u64>>> {
    let bleu = prop::collection::vec((0u64..40, 1u64..40, 0u64..30), segments).prop_map(|segs| {
        segs.iter()
            .flat_map(|&(len, ref_len, hits)| {
                let totals: Vec<u64> = (0..4).map(|k| len.saturating_sub(k)).collect();
                let correct: Vec<u64> = totals.iter().map(|&t| hits.min(t)).collect();
                [len, ref_len].into_iter().chain(correct).chain(totals).collect::<Vec<_>>()
            })
            .collect::<Vec<u64>>()
    });
    let chrf = prop::collection::vec((0u64..200, 1u64..200, 0u64..150), segments * 6).prop_map(|triples| {
        triples.iter().flat_map(|&(hyp, reference, hits)| [hyp, reference, hits.min(hyp).min(reference)]).collect()
    });
    (bleu, chrf).prop_map(|(b, c)| vec![b, c])
}

fn metrics() -> (Bleu, Chrf) {
    (Bleu::default(), Chrf::default())
}

fn run(
    test: &PairedTest,
    systems: &[Vec<Vec<u64>>],
    segments: usize,
    seed: &Seed,
    threads: usize,
) -> Vec<Vec<Estimate>> {
    let (bleu, chrf) = metrics();
    let metrics: [&dyn Metric; 2] = [&bleu, &chrf];
    let stats: Vec<Vec<&[u64]>> = systems.iter().map(|s| s.iter().map(|v| v.as_slice()).collect()).collect();
    let views: Vec<&[&[u64]]> = stats.iter().map(|v| v.as_slice()).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| paired_test(&metrics, &views, segments, test, seed))
}

const TESTS: [PairedTest; 3] = [
    PairedTest::Bootstrap { samples: 60 },
    PairedTest::ApproximateRandomization { trials: 90, confidence: None },
    PairedTest::ApproximateRandomization { trials: 50, confidence: Some(40) },
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_system_against_itself_differs_by_nothing(
        (segments, stats) in (1usize..60).prop_flat_map(|n| (Just(n), system(n))),
        seed in 0u64..1000,
    ) {
        let seed = Seed::parse(&(seed + 1).to_string()).unwrap();
        for test in &TESTS {
            let n = match test {
                PairedTest::Bootstrap { samples } => *samples,
                PairedTest::ApproximateRandomization { trials, .. } => *trials,
            };
            let result = run(test, &[stats.clone(), stats.clone()], segments, &seed, 2);
            for (base, same) in result[0].iter().zip(&result[1]) {
                prop_assert_eq!(base.score, same.score);
                prop_assert_eq!(same.p_value, Some(1.0 / (n + 1) as f64));
                if let PairedTest::Bootstrap { .. } = test {
                    // The same indices resample both: identical intervals.
                    prop_assert_eq!((base.mean, base.ci), (same.mean, same.ci));
                }
            }
        }
    }

    #[test]
    fn one_thread_or_two_give_the_same_numbers(
        (segments, systems) in (1usize..80).prop_flat_map(|n| (Just(n), prop::collection::vec(system(n), 3))),
        seed in 0u64..1000,
    ) {
        let seed = Seed::parse(&(seed + 1).to_string()).unwrap();
        for test in &TESTS {
            prop_assert_eq!(run(test, &systems, segments, &seed, 1), run(test, &systems, segments, &seed, 2));
        }
        let (bleu, chrf) = metrics();
        let metrics: [&dyn Metric; 2] = [&bleu, &chrf];
        let views: Vec<&[u64]> = systems[0].iter().map(|v| v.as_slice()).collect();
        let once = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| confidence(&metrics, &views, segments, 50, &seed))
        };
        prop_assert_eq!(once(1), once(2));
    }
}

#[test]
fn unseeded_and_zero_seeded_runs_report_every_value() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let systems: Vec<Vec<Vec<u64>>> = (0..3).map(|_| system(30).new_tree(&mut runner).unwrap().current()).collect();
    for text in ["none", "0"] {
        let seed = Seed::parse(text).unwrap();
        for test in &TESTS {
            let result = run(test, &systems, 30, &seed, 2);
            assert!(result[1..].iter().flatten().all(|e| e.p_value.is_some()), "{text} {test:?}");
            let with_ci = !matches!(test, PairedTest::ApproximateRandomization { confidence: None, .. });
            assert!(result.iter().flatten().all(|e| e.ci.is_some() == with_ci), "{text} {test:?}");
        }
    }
}
