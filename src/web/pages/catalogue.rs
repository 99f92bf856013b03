//! The catalogue (`/catalogue`): what it holds (`evcat stats`), the saved searches a scheduled
//! refresh keeps current with their last refresh, and the run log (`evcat runs`); and
//! `/healthz`, for systemd or a container: 200 when the catalogue opens.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::shell;
use crate::ops::OpsError;
use crate::ops::runs::{RunsOptions, runs};
use crate::ops::saved::list as saved_searches;
use crate::ops::stats::{recent_imports, stats};
use crate::web::app::{AppState, PageError};
use crate::web::html::page as shell_page;
use crate::web::security::CsrfToken;

/// Runs shown.
pub const RUNS: usize = 20;

/// `GET /catalogue`.
pub async fn page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    let (report, saved, log, imports) = state
        .run(|ctx| {
            let store = ctx
                .open_store_read()
                .map_err(|e| OpsError::Failed(e.to_string()))?;
            Ok((
                stats(&store)?,
                saved_searches(&store)?,
                runs(
                    &store,
                    &RunsOptions {
                        search: None,
                        limit: RUNS,
                    },
                )?,
                recent_imports(&store, RUNS)?,
            ))
        })
        .await?;
    let body = html! {
        h1 { "Catalogue" }
        ul {
            li { (report.records) " records (" (report.tombstones) " deleted from PubMed, " (report.revisions) " earlier revisions kept)" }
            li { (report.imports) " imports; last " (report.last_import.as_deref().unwrap_or("never")) }
            li { "Database: " (report.database_bytes / 1024) " KB, schema version " (report.schema_version) }
        }
        h2 { "Saved searches" }
        @if saved.is_empty() { p.hint { "None yet: " code { "evcat saved add NAME QUERY" } ", then " code { "evcat refresh" } " keeps them current." } }
        @else {
            div.table-wrap { table {
                thead { tr { th { "Name" } th { "Query" } th { "Last refreshed" } } }
                tbody { @for s in &saved { tr { td { (s.name) } td { code { (s.query) } } td { (s.last_success_at.as_deref().unwrap_or("never")) } } } }
            } }
        }
        h2 { "Recent runs" }
        @if log.is_empty() { p.hint { "No fetch or refresh has run." } }
        @else {
            div.table-wrap { table {
                thead { tr { th { "Started" } th { "Kind" } th { "Search" } th { "Outcome" } th { "Found" } th { "New" } th { "Updated" } } }
                tbody { @for r in &log { tr {
                    td { (r.started_at) } td { (r.kind) } td { (r.search.as_deref().unwrap_or("")) }
                    td { (r.outcome.to_string()) } td { (r.found) } td { (r.inserted) } td { (r.updated) }
                } } }
            } }
        }
        h2 { "Recent imports" }
        @if imports.is_empty() { p.hint { "Nothing imported yet: " code { "evcat import FILE" } " or " code { "evcat fetch QUERY" } "." } }
        @else {
            div.table-wrap { table {
                thead { tr { th { "Finished" } th { "Source" } th { "New" } th { "Revised" } th { "Unchanged" } th { "Deleted" } } }
                tbody { @for i in &imports { tr {
                    td { (i.finished_at) } td { (i.source) } td { (i.inserted) } td { (i.updated) } td { (i.unchanged) } td { (i.deleted) }
                } } }
            } }
        }
        h2 { "Publication years" }
        p { @for y in report.by_year.iter().rev().take(15) { span.badge { (y.year.map(|y| y.to_string()).unwrap_or_else(|| "no year".into())) ": " (y.records) } } }
    };
    Ok(shell_page("Catalogue", "/catalogue", &shell, body))
}

/// `GET /healthz`: "ok" when the catalogue opens and answers, 503 otherwise.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state
        .run(|ctx| {
            // Opening checks that the catalogue is an undamaged evcat catalogue of a schema this
            // evcat knows; nothing is counted (a health check must stay cheap).
            ctx.open_store_read()
                .map(|_| ())
                .map_err(|e| OpsError::Failed(e.to_string()))
        })
        .await
    {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "catalogue unavailable\n").into_response(),
    }
}
