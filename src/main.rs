//! The `evcat` binary: parses arguments, runs the command, maps errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use evcat::cli::{self, Cli};

// mimalloc: parsing allocates many small strings; it is measurably faster than the system
// allocator for that (see README, "Measured performance"). Built without transparent huge pages
// (Cargo.toml: they inflated the resident set by 50-70 MB).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ignore_file_size_signal();
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let code = cli::exit_code_of(&err);
            let mut stderr = std::io::stderr().lock();
            let _ = write!(stderr, "evcat: error: {err}");
            for cause in err.chain().skip(1) {
                let _ = write!(stderr, ": {cause}");
            }
            let _ = writeln!(stderr);
            ExitCode::from(code)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A file-size limit (`ulimit -f`) sends SIGXFSZ, whose default action kills the process with no
/// message. Ignored, the write fails with EFBIG instead and is reported like a full disk: the
/// transaction rolls back and the command says what happened.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to SIG_IGN at startup, before any thread exists.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
