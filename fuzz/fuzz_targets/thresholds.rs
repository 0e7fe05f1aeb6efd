//! The thresholds parser and the gate on arbitrary text: a file is either
//! refused with a message naming it, or armed and evaluated against a real
//! report (also as its own baseline) without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use tqscore::gate::{Gate, Thresholds};

static REPORT: OnceLock<serde_json::Value> = OnceLock::new();

fuzz_target!(|text: &str| {
    let report = REPORT
        .get_or_init(|| serde_json::from_str(include_str!("../report.json")).expect("fuzz/report.json is a report"));
    match Thresholds::parse("fuzz.json", text) {
        Ok(thresholds) => match Gate::new(thresholds, Some(("base.json", report))) {
            Ok(gate) => {
                if let Ok(outcome) = gate.evaluate(report, "report.json") {
                    assert!([0, 1].contains(&outcome.exit_code()));
                    let _ = (outcome.to_text(), outcome.to_markdown(), outcome.github_annotations());
                }
            }
            Err(e) => assert!(e.to_string().contains("fuzz.json"), "{e}"),
        },
        Err(e) => assert!(e.to_string().contains("fuzz.json"), "{e}"),
    }
});
