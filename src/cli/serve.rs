//! `evcat serve`: the web workbench on this catalogue. Only fills [`ServeOptions`] and calls
//! [`crate::web::serve`]; says where it listens on standard error.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::ops_error;
use crate::ops::Context;
use crate::web::{ServeOptions, serve};

/// Arguments of `evcat serve`.
#[derive(Debug, clap::Args)]
#[command(
    help_template = examples!("evcat serve", "evcat serve --open", "evcat serve --read-only --bind 127.0.0.1:9000", "evcat serve --bind 0.0.0.0:8420 --token-file /etc/evcat/token"),
    after_help = "The workbench listens on 127.0.0.1 (this computer only) unless told otherwise. Any other
address needs --token-file: a file whose first line is a secret (16 characters or more) that each
browser enters once. Stop it with Ctrl-C (or SIGTERM): requests in flight finish first."
)]
pub struct ServeArgs {
    /// Address and port to listen on (port 0: any free port).
    #[arg(long, default_value = "127.0.0.1:8420", value_name = "ADDRESS:PORT")]
    pub bind: SocketAddr,
    /// Serve pages only: no forms, no changes.
    #[arg(long)]
    pub read_only: bool,
    /// A file holding the access token (required for any address but loopback).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Open the workbench in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Runs `evcat serve` until SIGINT or SIGTERM.
pub fn run(args: &ServeArgs, ctx: &Context) -> anyhow::Result<u8> {
    let options = ServeOptions {
        bind: args.bind,
        read_only: args.read_only,
        token_file: args.token_file.clone(),
        open: args.open,
    };
    let quiet = ctx.quiet;
    let read_only = args.read_only;
    serve(ctx.options.clone(), &options, |address| {
        if !quiet {
            let mode = if read_only { " (read-only)" } else { "" };
            eprintln!("evcat serve: listening on http://{address}/{mode} (Ctrl-C to stop)");
        }
    })
    .map_err(ops_error)?;
    Ok(super::exit::SUCCESS)
}
