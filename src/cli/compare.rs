//! `tqscore compare REFERENCE BASELINE CANDIDATE`: is the candidate better or
//! worse than the baseline, beyond noise? (See [`crate::compare`].)

use std::path::{Path, PathBuf};

use clap::Args;

use super::gate::{GateFlags, LoadedGate};
use super::output::refuse_input_as_output;
use super::score::{emit, to_json, ArticleFlags, Rendering, ReportFormat};
use super::Global;
use crate::article::{article_signature, score_article, ArticleOptions};
use crate::compare::{article_unit, article_units, compare, CompareInputs, CompareReport, PairedUnits};
use crate::error::{Error, Result};
use crate::gate::RUN_REPORT;
use crate::input::{read_text, Source};
use crate::testset::pairs::parse_listing;
use crate::testset::{score_set, PairSpec};

pub(super) const AFTER_HELP: &str = "\
What it does: aligns both candidates to the same reference and compares them with a paired
bootstrap over the units they share: for one article, the smallest blocks of reference sentences
that no aligned pair of either candidate crosses; for a test set (--pairs), the articles. For BLEU,
chrF, TER (whole-reference document scores) and name fidelity (recall, variant rate) it reports
candidate − baseline, its 95% interval and a p-value (sacreBLEU's paired-bootstrap formula), and
the units where the candidate gains or loses most BLEU, both renderings side by side.

Gate on it: {\"delta.bleu\": {\"min\": -1.0, \"significant\": 0.05}} fails only when BLEU dropped by
more than 1 point *and* the drop is significant at 5% (docs/ci.md). Significance says the difference
would replicate, not that it matters.

Examples:
  tqscore compare reference.txt last-release.txt candidate.txt
  tqscore compare --pairs triples.tsv --format json -o compare.json   # REFERENCE<TAB>BASELINE<TAB>CANDIDATE[<TAB>ID]
  tqscore compare reference.txt base.txt new.txt --gate compare-thresholds.json";

/// Options of `tqscore compare`.
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The trusted rendering of the article.
    #[arg(required_unless_present = "pairs", conflicts_with = "pairs", value_name = "REFERENCE")]
    reference: Option<PathBuf>,

    /// The candidate to compare against (e.g. the last release's output).
    #[arg(id = "baseline_candidate", required_unless_present = "pairs", value_name = "BASELINE")]
    baseline: Option<PathBuf>,

    /// The new candidate.
    #[arg(required_unless_present = "pairs", value_name = "CANDIDATE")]
    candidate: Option<PathBuf>,

    /// Compare two candidate test sets: REFERENCE<TAB>BASELINE<TAB>CANDIDATE[<TAB>ID] per line.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,

    /// Output format on standard output.
    #[arg(short, long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,

    #[arg(short, long, value_name = "FILE", help = super::score::OUTPUT_HELP)]
    output: Option<PathBuf>,

    #[command(flatten)]
    article: ArticleFlags,

    #[command(flatten)]
    gate: GateFlags,
}

/// The paired units of a test set of triples: one per article, in list order.
fn set_units(list: &Path, options: &ArticleOptions) -> Result<(PairedUnits, CompareInputs)> {
    let text = read_text(&Source::File(list.to_path_buf()))?;
    let base = list.parent().map(Path::to_path_buf).unwrap_or_default();
    let listed = parse_listing(&text.name, &text.text, &base, &["reference", "baseline", "candidate"])?;
    let side = |column: usize| -> Vec<PairSpec> {
        listed
            .iter()
            .map(|l| PairSpec {
                id: l.id.clone(),
                reference: l.paths[0].clone(),
                candidate: l.paths[column].clone(),
                listed_at: Some(l.listed_at.clone()),
            })
            .collect()
    };
    // Per-article intervals are not shown in a comparison: skip them.
    let quick = ArticleOptions { bootstrap: 0, ..options.clone() };
    let (baseline, candidate) =
        (score_set(&side(1), &quick, false, &|| {})?, score_set(&side(2), &quick, false, &|| {})?);
    let mut units = PairedUnits { baseline: Vec::new(), candidate: Vec::new(), shown: Vec::new() };
    for (b, c) in baseline.iter().zip(&candidate) {
        let (Some(rb), Some(rc)) = (b.report(), c.report()) else { continue };
        units.baseline.push(article_unit(rb));
        units.candidate.push(article_unit(rc));
        units.shown.push((b.id.clone(), String::new(), String::new(), String::new()));
    }
    let inputs = CompareInputs { reference: text.name, baseline: "-".into(), candidate: "-".into() };
    Ok((units, inputs))
}

/// Run `tqscore compare`.
pub(super) fn run(args: &CompareArgs, global: Global) -> Result<i32> {
    if let Some(output) = &args.output {
        let mut inputs: Vec<(&str, &Path)> = [("reference", &args.reference), ("baseline", &args.baseline)]
            .into_iter()
            .chain([("candidate", &args.candidate), ("triples list", &args.pairs)])
            .filter_map(|(role, p)| p.as_deref().map(|p| (role, p)))
            .collect();
        inputs.extend(args.gate.inputs());
        refuse_input_as_output(output, &inputs)?;
    }
    if args.format == ReportFormat::Stats {
        return Err(Error::Usage(
            "--format stats is for test sets of `tqscore score`\n  hint: use text, json, markdown or html".into(),
        ));
    }
    let gate = args.gate.load()?;
    let options = args.article.options()?;
    let (units, inputs, unit) = match (&args.pairs, &args.reference, &args.baseline, &args.candidate) {
        (Some(list), ..) => {
            let (units, inputs) = set_units(list, &options)?;
            (units, inputs, "article")
        }
        (None, Some(reference), Some(baseline), Some(candidate)) => {
            let read = |p: &PathBuf| read_text(&Source::File(p.clone()));
            let (reference_text, baseline_text, candidate_text) = (read(reference)?, read(baseline)?, read(candidate)?);
            let quick = ArticleOptions { bootstrap: 0, ..options.clone() };
            let b = score_article(&reference_text, &baseline_text, &quick)?;
            let c = score_article(&reference_text, &candidate_text, &quick)?;
            let inputs = CompareInputs {
                reference: reference_text.name,
                baseline: baseline_text.name,
                candidate: candidate_text.name,
            };
            (article_units(&b, &c, &options), inputs, "block")
        }
        _ => return Err(Error::Usage("give REFERENCE BASELINE CANDIDATE, or --pairs FILE".into())),
    };
    if units.baseline.is_empty() {
        return Err(Error::Usage("no article of the list could be scored with both candidates".into()));
    }
    let mut report: CompareReport = compare(&units, inputs, unit, &article_signature(&options), &options)?;
    let verdict = gate.as_ref().map(|g: &LoadedGate| g.evaluate(&to_json(&report), RUN_REPORT)).transpose()?;
    report.gate = verdict.as_ref().map(|v| v.report.clone());
    let rendering = Rendering { format: args.format, output: args.output.as_deref(), all: false };
    emit(&report, &rendering, verdict.as_ref(), None, global)
}
