//! Progress bars on standard error: drawn only on a terminal and without `--quiet`.
//!
//! A records bar draws no bar until its total is known (a bar of 0/0 would be drawn full, as if
//! the work were done before it started): until then it shows the count alone.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::ops::Context;

/// Whether to draw progress bars: standard error is a terminal and not `--quiet`.
pub fn show_progress(ctx: &Context) -> bool {
    !ctx.quiet && std::io::stderr().is_terminal()
}

/// A bar counting records, hidden when progress is not shown. Its length is unknown until the
/// caller sets it.
pub fn records_bar(ctx: &Context, label: &str) -> ProgressBar {
    if !show_progress(ctx) {
        return ProgressBar::hidden();
    }
    let bar = records_bar_to(ProgressDrawTarget::stderr(), label);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Width of the bar, in characters.
const BAR_WIDTH: usize = 30;

/// A records bar drawn to `target` (without the steady tick).
fn records_bar_to(target: ProgressDrawTarget, label: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, target);
    bar.set_style(
        ProgressStyle::with_template("{prefix} {records} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("records", draw_records),
    );
    bar.set_prefix(label.to_string());
    bar
}

/// `[=====>    ] 12/40 records` once the total is known (and not zero), `12 records` before.
fn draw_records(state: &ProgressState, w: &mut dyn std::fmt::Write) {
    let pos = state.pos();
    match state.len().filter(|&len| len > 0) {
        Some(len) => {
            let filled = ((pos.min(len) as f64 / len as f64) * BAR_WIDTH as f64) as usize;
            let mut bar = "=".repeat(filled);
            if filled < BAR_WIDTH {
                bar.push(if filled > 0 { '>' } else { ' ' });
                bar.push_str(&" ".repeat(BAR_WIDTH - filled - 1));
            }
            let _ = write!(
                w,
                "[{bar}] {pos}/{len} {}",
                crate::output::text::plural(len, "record", "records")
            );
        }
        None => {
            let _ = write!(
                w,
                "{pos} {}",
                crate::output::text::plural(pos, "record", "records")
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::sync::{Arc, Mutex};

    /// A terminal that keeps every line drawn.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<Vec<String>>>);

    impl indicatif::TermLike for Screen {
        fn width(&self) -> u16 {
            120
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.0.lock().unwrap().push(s.to_string());
            Ok(())
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.write_line(s)
        }
        fn clear_line(&self) -> io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn frames(screen: &Screen) -> String {
        screen.0.lock().unwrap().join("\n")
    }

    #[test]
    fn no_bar_is_drawn_until_the_total_is_known() {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like_with_hz(Box::new(screen.clone()), 100);
        let bar = records_bar_to(target, "fetch");
        bar.tick();
        let first = frames(&screen);
        assert!(first.contains("fetch 0 records"), "{first:?}");
        assert!(!first.contains('[') && !first.contains("0/0"), "{first:?}");
        // A total of zero is not drawn as a full bar either.
        std::thread::sleep(Duration::from_millis(20));
        bar.set_length(0);
        bar.tick();
        assert!(!frames(&screen).contains("0/0"), "{:?}", frames(&screen));
        std::thread::sleep(Duration::from_millis(20));
        bar.set_length(40);
        bar.set_position(4);
        std::thread::sleep(Duration::from_millis(20));
        bar.tick();
        let all = frames(&screen);
        assert!(all.contains("fetch [===> "), "{all:?}");
        assert!(all.contains("] 4/40 records"), "{all:?}");
    }
}
