//! Progress on long runs: a bar on standard error (articles done / total, rate,
//! ETA) that appears only on a terminal, only once the run has taken about a
//! second, and never with `--quiet`; pipes and CI logs get nothing.

use std::io::IsTerminal;
use std::sync::Once;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress is shown.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Progress of `total` units of work; call [`Progress::advance`] after each.
pub(super) struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: Once,
}

impl Progress {
    /// Progress of `total` `units` (`articles`), drawn only when standard error
    /// is a terminal and `quiet` is off.
    pub(super) fn new(total: usize, units: &str, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
            let template = format!("{{bar:30}} {{pos}}/{{len}} {units}  {{per_sec}}  ETA {{eta}}");
            if let Ok(style) = ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar
        });
        Progress { bar, started: Instant::now(), shown: Once::new() }
    }

    /// One more unit done (callable from any thread).
    pub(super) fn advance(&self) {
        let Some(bar) = &self.bar else { return };
        if self.started.elapsed() >= SHOW_AFTER {
            self.shown.call_once(|| bar.set_draw_target(ProgressDrawTarget::stderr()));
        }
        bar.inc(1);
    }
}

impl Drop for Progress {
    /// The bar is cleared when the work ends, so results print on a clean line.
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
