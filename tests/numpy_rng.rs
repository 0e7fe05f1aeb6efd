//! tqscore's numpy generator draws what `np.random.default_rng(seed)` draws:
//! 10,000 values of each kind for four seeds, from `fixtures/oracle/numpy_rng.json`
//! (made with numpy 2.4.6 by `scripts/oracle_significance.py`).

mod common;

use serde_json::Value;
use tqscore::numpy::random::{entropy_words, Generator, SeedSequence};
use tqscore::significance::Seed;

/// 64-bit FNV-1a, the fixture's checksum of the draws' bytes.
fn fnv1a64(bytes: impl IntoIterator<Item = u8>) -> String {
    let hash =
        bytes.into_iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("{hash:016x}")
}

fn int_checksum(values: &[i64]) -> String {
    fnv1a64(values.iter().flat_map(|v| v.to_le_bytes()))
}

/// Compare one draw with the fixture's record of it.
fn check(name: &str, seed: &Value, record: &Value, values: &[i64]) -> Vec<String> {
    let mut diffs = Vec::new();
    let label = format!("seed {} {name}", seed["seed"]);
    let n = record["n"].as_u64().unwrap() as usize;
    let first: Vec<i64> = record["first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().or_else(|| v.as_u64().map(|u| u as i64)).or_else(|| v.as_bool().map(i64::from)).unwrap())
        .collect();
    if values.len() != n || values[..first.len()] != first[..] {
        diffs.push(format!("{label}: first values {:?}, numpy {first:?}", &values[..first.len().min(values.len())]));
    }
    let checksum =
        if record["first"][0].is_boolean() { fnv1a64(values.iter().map(|&v| v as u8)) } else { int_checksum(values) };
    if checksum != record["fnv1a64"].as_str().unwrap() {
        diffs.push(format!("{label}: checksum {checksum}, numpy {}", record["fnv1a64"]));
    }
    diffs
}

#[test]
fn draws_equal_numpy_for_every_seed_and_kind() {
    let fixture = common::read_json(&common::fixture("oracle/numpy_rng.json"));
    let mut diffs = Vec::new();
    let mut checked = 0;
    for seed in fixture["seeds"].as_array().unwrap() {
        let value = seed["seed"].as_str().unwrap();
        let words: Vec<u32> = seed["entropy"].as_array().unwrap().iter().map(|w| w.as_u64().unwrap() as u32).collect();
        assert_eq!(Seed::parse(value).unwrap().entropy(), Some(&words[..]), "entropy words of {value}");
        if let Ok(small) = value.parse::<u128>() {
            assert_eq!(entropy_words(small), words, "entropy words of {value}");
        }
        let state: Vec<u64> = seed["state"].as_array().unwrap().iter().map(|w| w.as_u64().unwrap()).collect();
        assert_eq!(SeedSequence::new(&words).generate_state_u64(4), state, "generate_state of {value}");
        let draws = &seed["draws"];
        let n = draws["raw"]["n"].as_u64().unwrap() as usize;
        let fresh = || Generator::default_rng(&words);
        let ints = |low: i64, high: i64| {
            let mut out = vec![0i64; n];
            fresh().integers(low, high, &mut out);
            out
        };
        let mut rng = fresh();
        let raw: Vec<i64> = (0..n).map(|_| rng.bit_generator().next_u64() as i64).collect();
        let choice = |rng: &mut Generator| {
            let mut out = vec![0u32; n];
            rng.choice(2000, &mut out);
            out.into_iter().map(i64::from).collect::<Vec<_>>()
        };
        let bools: Vec<i64> = {
            let words = fresh().random_bools(n);
            (0..n).map(|i| i64::from((words[i / 32] >> (i % 32)) & 1)).collect()
        };
        let mut after_bools = fresh();
        after_bools.random_bools(20);
        let cases: Vec<(&str, Vec<i64>)> = vec![
            ("raw", raw),
            ("choice_2000", choice(&mut fresh())),
            ("integers_3x2e30", ints(0, 3 << 30)),
            ("integers_2e32", ints(0, 1 << 32)),
            ("integers_3x2e61", ints(-(1 << 62), (1 << 62) + (1 << 61))),
            ("bools", bools),
            ("bools_then_choice", choice(&mut after_bools)),
        ];
        for (name, values) in &cases {
            diffs.extend(check(name, seed, &draws[*name], values));
            checked += 1;
        }
    }
    assert_eq!(checked, 28, "7 kinds of draws for 4 seeds");
    assert!(diffs.is_empty(), "{} draws differ from numpy:\n{}", diffs.len(), diffs.join("\n"));
}
