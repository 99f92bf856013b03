//! Starting the workbench: where it listens and who may use it (a loopback address, or any
//! address with a token every request must carry), the runtime (two worker threads; catalogue
//! work on blocking threads), the request log (`--verbose`) and a graceful stop on SIGINT or
//! SIGTERM: requests in flight finish, new connections are refused.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use super::app::{AppState, router};
use crate::ops::context::ContextOptions;
use crate::ops::{Context, OpsError};

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen (`127.0.0.1:8420` by default; port 0 picks a free port).
    pub bind: SocketAddr,
    /// Serve no forms and accept no POST.
    pub read_only: bool,
    /// A file holding the secret every request must carry (required off loopback).
    pub token_file: Option<PathBuf>,
    /// Open the first page in the default browser once listening.
    pub open: bool,
}

/// Shortest token accepted: a guessable secret protects nothing.
pub const MIN_TOKEN_CHARS: usize = 16;

/// Reads the token file: its first line, trimmed, at least [`MIN_TOKEN_CHARS`] long.
fn read_token(path: &std::path::Path) -> Result<String, OpsError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        OpsError::Usage(format!(
            "--token-file {}: cannot read it: {e}",
            path.display()
        ))
    })?;
    let token = text.lines().next().unwrap_or("").trim().to_string();
    if token.chars().count() < MIN_TOKEN_CHARS {
        return Err(OpsError::Usage(format!(
            "--token-file {}: the token on its first line must be at least {MIN_TOKEN_CHARS} characters \
             (e.g. `openssl rand -hex 24 > {}`)",
            path.display(),
            path.display()
        )));
    }
    Ok(token)
}

/// Serves until SIGINT or SIGTERM. `on_listening` is told the address once the socket is bound
/// (port 0 becomes the port chosen).
pub fn serve(
    context: ContextOptions,
    options: &ServeOptions,
    on_listening: impl FnOnce(SocketAddr),
) -> Result<(), OpsError> {
    if !options.bind.ip().is_loopback() && options.token_file.is_none() {
        return Err(OpsError::Usage(format!(
            "--bind {} is not a loopback address: anyone who can reach it could read and change \
             the catalogue. Give --token-file FILE (a secret every browser must enter once), or bind \
             127.0.0.1",
            options.bind
        )));
    }
    let token = options.token_file.as_deref().map(read_token).transpose()?;
    let verbose = context.verbose;
    let ctx = Arc::new(Context::new(context));
    // The catalogue is created and migrated once, before the first request.
    ctx.open_store()
        .map_err(|e| OpsError::Failed(format!("cannot open the catalogue: {e}")))?;
    let default_reviewer = ctx.reviewer(None)?;
    let state = AppState::new(ctx, options.read_only, token, verbose, default_reviewer);
    // Searches are answered from an index of the catalogue read now, before the first request
    // (when it cannot be read now, the first search reads it).
    if let Err(e) = crate::ops::find::prepare_searches(&state.ctx, &state.searches) {
        eprintln!("evcat serve: the search index will be read at the first search ({e})");
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| OpsError::Failed(format!("cannot start the server's runtime: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.bind)
            .await
            .map_err(|e| OpsError::Usage(format!("cannot listen on {}: {e}", options.bind)))?;
        let address = listener
            .local_addr()
            .map_err(|e| OpsError::Failed(format!("cannot read the bound address: {e}")))?;
        on_listening(address);
        if options.open {
            open_browser(&format!("http://{address}/"));
        }
        axum::serve(listener, router(state))
            .with_graceful_shutdown(stop_signal())
            .await
            .map_err(|e| OpsError::Failed(format!("the server stopped: {e}")))
    })
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (systemd, a container).
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// Opens `url` in the desktop's browser; says so when it cannot (a server without one).
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_err()
    {
        eprintln!("evcat serve: could not start a browser ({opener}); open {url} yourself");
    }
}
