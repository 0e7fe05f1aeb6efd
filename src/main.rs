//! The `tqscore` binary: everything lives in the library; see `tqscore::cli`.

fn main() {
    std::process::exit(tqscore::cli::main());
}
