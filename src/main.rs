//! The `evcat` binary: parses arguments, runs the command, maps errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use evcat::cli::{self, Cli, ExitError, exit};

// mimalloc: parsing allocates many small strings; it is measurably faster than the system
// allocator for that (see README, "Measured performance").
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let code = err
                .downcast_ref::<ExitError>()
                .map_or(exit::FAILURE, |e| e.code);
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
