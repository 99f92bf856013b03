//! The routes of the workbench and the state its handlers share; running an operation on a
//! blocking thread ([`AppState::run`], [`AppState::write`]) and turning its failure into a page
//! ([`PageError`]).

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::pages;
use super::security;
use crate::claims::audit::MAX_ARTICLE_BYTES;
use crate::ops::cache::CatalogueGeneration;
use crate::ops::claim::SuggestionCache;
use crate::ops::find::SearchCache;
use crate::ops::{Context, OpsError};
use crate::store::cancel::Cancellation;

/// Most searches (and, apart, claims' suggestions) whose answers are kept: each a few hundred KB
/// at most (the first 5,000 PMIDs of a search and its facets).
const KEPT_ANSWERS: usize = 64;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Settings, catalogue and tagger.
    pub ctx: Arc<Context>,
    /// No forms, no POST.
    pub read_only: bool,
    /// The secret every request must carry (off loopback).
    pub token: Option<Arc<str>>,
    /// Log one line per request.
    pub verbose: bool,
    /// The reviewer a browser gets until it names one (settings, then the user name).
    pub default_reviewer: Option<String>,
    /// Changes made through this server, one at a time (other processes wait on SQLite's busy
    /// timeout).
    write_lock: Arc<Mutex<()>>,
    /// Catalogue work running at once: one per core and two more (a request waiting for an
    /// answer another is computing, such as the search index or a phrase's matches, holds its
    /// turn without using a core, and the cores should not idle meanwhile); more requests wait
    /// their turn instead of sharing the cores (and memory) between more searches than can run.
    workers: Arc<tokio::sync::Semaphore>,
    /// Search rankings and facets kept for the catalogue's current generation.
    pub searches: Arc<SearchCache>,
    /// Claims' candidate evidence kept for the catalogue's current generation.
    pub suggestions: Arc<SuggestionCache>,
}

impl AppState {
    /// The state of one server.
    pub fn new(
        ctx: Arc<Context>,
        read_only: bool,
        token: Option<String>,
        verbose: bool,
        default_reviewer: Option<String>,
    ) -> AppState {
        let generation = Arc::new(CatalogueGeneration::default());
        AppState {
            ctx,
            read_only,
            token: token.map(Arc::from),
            verbose,
            default_reviewer,
            write_lock: Arc::new(Mutex::new(())),
            workers: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()) + 2,
            )),
            searches: Arc::new(SearchCache::new(Arc::clone(&generation), KEPT_ANSWERS)),
            suggestions: Arc::new(SuggestionCache::new(generation, KEPT_ANSWERS)),
        }
    }

    /// Waits for a free worker (see [`AppState::workers`]); the worker is free again when the
    /// permit is dropped (by the blocking work that holds it).
    async fn turn(&self) -> Result<tokio::sync::OwnedSemaphorePermit, PageError> {
        Arc::clone(&self.workers)
            .acquire_owned()
            .await
            .map_err(|e| PageError::Internal(format!("the workers are gone: {e}")))
    }

    /// Runs a reading operation on a blocking thread.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Context) -> Result<T, OpsError> + Send + 'static,
    ) -> Result<T, PageError> {
        let ctx = Arc::clone(&self.ctx);
        let turn = self.turn().await?;
        // (When the browser goes away, axum drops this future: the guard then stops the
        // request's queries, and the worker is free again soon after, not when they end.)
        let cancellation = Cancellation::new();
        let guard = CancelOnDrop(Some(cancellation.clone()));
        let done = tokio::task::spawn_blocking(move || {
            let _turn = turn;
            cancellation.scope(|| work(&ctx))
        })
        .await;
        guard.disarm();
        done.map_err(|e| PageError::Internal(format!("a request's worker failed: {e}")))?
            .map_err(PageError::from)
    }

    /// Runs a changing operation on a blocking thread, one at a time; refused when read-only.
    pub async fn write<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Context) -> Result<T, OpsError> + Send + 'static,
    ) -> Result<T, PageError> {
        if self.read_only {
            return Err(PageError::ReadOnly);
        }
        let ctx = Arc::clone(&self.ctx);
        let lock = Arc::clone(&self.write_lock);
        let searches = Arc::clone(&self.searches);
        let turn = self.turn().await?;
        // (A change runs to its end even if the browser goes away meanwhile.)
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let _one_at_a_time = lock.lock().unwrap_or_else(|p| p.into_inner());
            let done = work(&ctx);
            // (The reviewer's next search shows the change.)
            searches.note_change(&ctx);
            done
        })
        .await
        .map_err(|e| PageError::Internal(format!("a request's worker failed: {e}")))?
        .map_err(PageError::from)
    }
}

/// Cancels a request's catalogue work when dropped before [`CancelOnDrop::disarm`].
struct CancelOnDrop(Option<Cancellation>);

impl CancelOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.cancel();
        }
    }
}

/// Why a page could not be served; each renders as an error page with its status.
#[derive(Debug)]
pub enum PageError {
    /// The request is wrong (a query, a value): 400, with what to fix.
    BadRequest(String),
    /// No such record, claim or page: 404.
    NotFound(String),
    /// The form's CSRF token is missing or wrong: 403.
    Forbidden(String),
    /// A change was asked of a read-only server: 403.
    ReadOnly,
    /// What was sent is larger than allowed: 413, with the limit.
    TooLarge(String),
    /// The catalogue stayed busy past the busy timeout: 503, try again.
    Busy,
    /// Anything else: 500. The detail goes to the server's log, never to the page.
    Internal(String),
}

impl From<OpsError> for PageError {
    fn from(e: OpsError) -> PageError {
        if e.is_busy() {
            return PageError::Busy;
        }
        match e {
            OpsError::Usage(m) => PageError::BadRequest(m),
            OpsError::NotFound(m) => PageError::NotFound(m),
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            PageError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            PageError::ReadOnly => (
                StatusCode::FORBIDDEN,
                "this workbench is read-only (started with --read-only): nothing can be changed here"
                    .to_string(),
            ),
            PageError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m),
            PageError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "the catalogue is busy (an import or refresh is writing to it): try again in a moment"
                    .to_string(),
            ),
            PageError::Internal(detail) => {
                eprintln!("evcat serve: error: {detail}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "something went wrong on the server; the server's log says what".to_string(),
                )
            }
        };
        pages::errors::error_page(status, &message)
    }
}

/// Longest form body (claims, notes, verdicts), in bytes.
pub const MAX_FORM_BYTES: usize = 64 * 1024;

/// The workbench's routes.
pub fn router(state: AppState) -> Router {
    // Uploads up to this size are read and, when over the article limit, answered with a page
    // saying so; a larger body is cut off (the connection closes after a 413).
    let upload_limit = 3 * MAX_ARTICLE_BYTES;
    let mut app = Router::new()
        .route("/", get(pages::search::page))
        .route("/export", get(pages::search::export_results))
        .route("/record/{pmid}", get(pages::record::page))
        .route("/claims", get(pages::claims::list))
        .route("/claims/{id}", get(pages::claims::page))
        .route("/check", get(pages::check::form))
        .route("/map", get(pages::map::page))
        .route("/catalogue", get(pages::catalogue::page))
        .route("/healthz", get(pages::catalogue::healthz))
        .route("/login", get(security::login_form).post(security::login))
        .route("/assets/{name}", get(pages::assets::asset));
    if !state.read_only {
        app = app
            .route("/reviewer", post(security::set_reviewer))
            .route("/record/{pmid}/tags", post(pages::record::set_tag))
            .route("/claims", post(pages::claims::add))
            .route("/claims/{id}/link", post(pages::claims::link))
            .route("/claims/{id}/unlink", post(pages::claims::unlink))
            .route("/claims/{id}/review", post(pages::claims::review))
            .route(
                "/check",
                post(pages::check::check).layer(DefaultBodyLimit::max(upload_limit)),
            )
            .route(
                "/check/save",
                post(pages::check::save).layer(DefaultBodyLimit::max(upload_limit)),
            );
    }
    app.fallback(pages::errors::not_found)
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::require_token,
        ))
        .layer(middleware::from_fn(security::csrf_cookie))
        .layer(middleware::from_fn(pages::errors::error_pages))
        .layer(middleware::from_fn(security::headers))
        .layer(middleware::from_fn_with_state(state.clone(), log_request))
        .with_state(state)
}

/// One line per request at `--verbose`: method, path (no query: it may hold a search), status
/// and time.
async fn log_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.verbose {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    eprintln!(
        "evcat serve: {method} {path} {} {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
