//! Align and score two versions of an article and print the weakest sentence pairs:
//!
//!     cargo run --example score_article -- fixtures/seed/reference.txt fixtures/seed/candidate.txt

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [reference, candidate] = args.as_slice() else {
        eprintln!("usage: score_article REFERENCE CANDIDATE");
        return ExitCode::from(2);
    };
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let report = match (read(reference), read(candidate)) {
        (Ok(r), Ok(c)) => tqscore::score_article(&r, &c).map_err(|e| e.to_string()),
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let report = match report {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let document = &report.document;
    println!(
        "document BLEU {:.1}, chrF {:.1}, {} aligned pairs",
        document.bleu.score.score,
        document.chrf.score.score,
        report.pairs.len()
    );
    let mut pairs: Vec<_> = report.pairs.iter().collect();
    pairs.sort_by(|a, b| a.bleu.total_cmp(&b.bleu));
    for pair in pairs.iter().take(3) {
        println!("BLEU {:5.1}  chrF {:5.1}", pair.bleu, pair.chrf);
    }
    ExitCode::SUCCESS
}
