//! Score a system's output file against a reference file, as `sacrebleu REF -i HYP -m bleu chrf`:
//!
//!     cargo run --example corpus_bleu -- REF.txt HYP.txt
//!
//! (without arguments it scores a built-in pair of sentences).

use std::process::ExitCode;

fn lines(path: &str) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Ok(text.lines().map(|l| l.trim_end().to_string()).collect())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (hyps, refs) = match args.as_slice() {
        [reference, hypothesis] => match (lines(hypothesis), lines(reference)) {
            (Ok(h), Ok(r)) => (h, r),
            (Err(e), _) | (_, Err(e)) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        _ => (vec!["The cat sat on a mat.".to_string()], vec!["The cat sat on the mat.".to_string()]),
    };
    let refs = vec![refs];
    match (tqscore::corpus_bleu(&hyps, &refs), tqscore::corpus_chrf(&hyps, &refs)) {
        (Ok(bleu), Ok(chrf)) => {
            println!("{}", bleu.format_line(1));
            println!("{}", chrf.format_line(1));
            ExitCode::SUCCESS
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
