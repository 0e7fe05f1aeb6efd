//! `tqscore merge SHARD...`: turn the statistics of a test set scored in parts
//! (`tqscore score … --format stats`) into the report one run over all the
//! pairs would give, byte for byte (see [`crate::testset::shard`]).

use std::path::{Path, PathBuf};

use clap::Args;

use super::gate::GateFlags;
use super::output::refuse_input_as_output;
use super::score::{finish_set, Rendering, ReportFormat};
use super::Global;
use crate::error::Result;
use crate::testset::aggregate::Resampling;
use crate::testset::shard::{merge, Shard};

pub(super) const AFTER_HELP: &str = "\
What it does: reads shards (the per-article statistics of parts of a test set, written by
`tqscore score --pairs PART.tsv --format stats`), checks that they were made the same way (same
signature: tqscore release, normalisation, tokenizer, bootstrap and seed) and that no article id
occurs twice, and writes the set report of all their articles, in the order the shards are given.
Merging the shards of consecutive parts of a PAIRS.tsv, in order, gives exactly the report of one
run over the whole list. `--format stats` writes the merged shard instead (merge in stages).

Examples:
  split -l 250 -d pairs.tsv part-          # parts beside pairs.tsv (paths stay relative to it)
  ls part-* | xargs -P 2 -I{} sh -c 'tqscore score --pairs {} --format stats > {}.stats'
  tqscore merge part-*.stats --gate thresholds.json
  tqscore merge part-*.stats --format json -o set-report.json

Recipe for many machines: docs/scale.md.";

/// Options of `tqscore merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shards written by `tqscore score … --format stats`, in list order.
    #[arg(required = true, value_name = "SHARD")]
    shards: Vec<PathBuf>,

    /// Output format on standard output.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    #[arg(short, long, value_name = "FILE", help = super::score::OUTPUT_HELP)]
    output: Option<PathBuf>,

    /// List every article, each with its report (text), instead of the weakest ten.
    #[arg(long)]
    all: bool,

    #[command(flatten)]
    gate: GateFlags,
}

/// Run `tqscore merge`.
pub(super) fn run(args: &MergeArgs, global: Global) -> Result<i32> {
    if let Some(output) = &args.output {
        let mut inputs: Vec<(&str, &Path)> = args.shards.iter().map(|s| ("shard", s.as_path())).collect();
        inputs.extend(args.gate.inputs());
        refuse_input_as_output(output, &inputs)?;
    }
    let gate = args.gate.load()?;
    let mut shards = Vec::with_capacity(args.shards.len());
    for path in &args.shards {
        let (name, text) = super::gate::read(path)?;
        let shard = Shard::parse(&name, &text)?;
        shards.push((name, shard));
    }
    let resampling = Resampling { bootstrap: shards[0].1.bootstrap, seed: shards[0].1.seed };
    let report = merge(shards)?;
    let rendering = Rendering { format: args.format, output: args.output.as_deref(), all: args.all };
    finish_set(report, resampling, &rendering, gate.as_ref(), global)
}
