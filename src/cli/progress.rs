//! Progress bars on standard error: drawn only on a terminal and without `--quiet`.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::ops::Context;

/// Whether to draw progress bars: standard error is a terminal and not `--quiet`.
pub fn show_progress(ctx: &Context) -> bool {
    !ctx.quiet && std::io::stderr().is_terminal()
}

/// A bar counting records, hidden when progress is not shown.
pub fn records_bar(ctx: &Context, label: &str) -> ProgressBar {
    if !show_progress(ctx) {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} records {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_prefix(label.to_string());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
