//! The evidence map (`/map`): the condition × outcome matrix of records (`evcat summary`), for
//! all designs or one; every cell links to the search for its records.

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::shell;
use crate::ops::OpsError;
use crate::ops::summary::{SummaryOptions, summary};
use crate::web::app::{AppState, PageError};
use crate::web::html::{page as shell_page, query_string};
use crate::web::security::CsrfToken;

/// The design filter.
#[derive(Debug, Deserialize, Default)]
pub struct MapQuery {
    /// Only records of this design.
    #[serde(default)]
    pub design: String,
}

/// `GET /map`.
pub async fn page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<MapQuery>,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    let design = Some(query.design.clone()).filter(|d| !d.is_empty());
    let asked = design.clone();
    let (found, designs) = state
        .run(move |ctx| {
            let store = ctx
                .open_store_read()
                .map_err(|e| OpsError::Failed(e.to_string()))?;
            let designs: Vec<String> = ctx
                .taxonomy()?
                .tags_of("design")
                .map(|t| t.id.clone())
                .collect();
            let found = summary(
                ctx,
                &store,
                &SummaryOptions {
                    design: asked,
                    ..SummaryOptions::default()
                },
            )?;
            Ok((found, designs))
        })
        .await?;
    let link = |condition: &str, outcome: Option<&str>| {
        let mut pairs = vec![("tag", format!("condition:{condition}"))];
        if let Some(o) = outcome {
            pairs.push(("tag", format!("outcome:{o}")));
        }
        if let Some(d) = &design {
            pairs.push(("tag", format!("design:{d}")));
        }
        format!("/{}", query_string(&pairs))
    };
    let body = html! {
        h1 { "Evidence map" }
        p { "Records in the catalogue for each condition and outcome. Open a cell to see its records." }
        form method="get" action="/map" .search-box {
            label for="design" { "Design" }
            select id="design" name="design" {
                option value="" { "All designs" }
                @for d in &designs { option value=(d) selected[query.design == *d] { (d) } }
            }
            button.secondary type="submit" { "Show" }
        }
        @for m in &found.matrices {
            p.meta { (m.records) " records in scope" @if let Some(d) = &m.design { " (design " (d) ")" } }
            div.table-wrap {
                table.matrix {
                    caption.visually-hidden { "Records by condition (rows) and outcome (columns)" }
                    thead { tr { th scope="col" { "Condition" } @for c in &m.columns { th scope="col" { (c) } } th scope="col" { "All" } } }
                    tbody {
                        @for (r, row) in m.rows.iter().enumerate() {
                            tr {
                                th scope="row" { (row) }
                                @for (c, col) in m.columns.iter().enumerate() {
                                    td.n { @if m.cells[r][c] > 0 { a href=(link(row, Some(col))) aria-label=(format!("{} records: {row}, {col}", m.cells[r][c])) { (m.cells[r][c]) } } @else { "·" } }
                                }
                                td.n { @if m.row_totals[r] > 0 { a href=(link(row, None)) { (m.row_totals[r]) } } @else { "0" } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(shell_page("Evidence map", "/map", &shell, body))
}
