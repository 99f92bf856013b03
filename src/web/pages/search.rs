//! The search page (`/`): the `find` query language in a box, facets with counts (each a link
//! that narrows the search), results with citation, design and evidence level, tags and
//! warnings, sorting, pages, and the results exported in the four reference formats (`/export`).

use std::sync::Arc;

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::shell;
use crate::export::formats::ExportFormat;
use crate::ops::OpsError;
use crate::ops::export::{ExportOptions, export};
use crate::ops::find::{MAX_PER_PAGE, SearchPage, SearchPageOptions, search_page};
use crate::ops::select::{SelectionOptions, check_selection};
use crate::store::search::SearchOrder;
use crate::web::app::{AppState, PageError};
use crate::web::html::{field_error, page as shell_page, pagination, query_string};
use crate::web::security::CsrfToken;

/// Results per page.
pub const PER_PAGE: usize = 20;

/// A search as the page's address says it: `q`, `tag=DIMENSION:TAG` (repeatable), `year_from`,
/// `year_to`, `type`, `sort` (`relevance`, `newest`, `level`), `page`.
#[derive(Debug, Clone, Default)]
pub struct SearchParams {
    /// The query.
    pub q: String,
    /// Tag filters, `DIMENSION:TAG`.
    pub tags: Vec<String>,
    /// First year.
    pub year_from: String,
    /// Last year.
    pub year_to: String,
    /// Publication type.
    pub publication_type: String,
    /// Participants as a band, `50-199` or `1000-`.
    pub participants: String,
    /// Order.
    pub sort: String,
    /// Page (1-based).
    pub page: usize,
}

impl SearchParams {
    /// From the query string's pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> SearchParams {
        let mut p = SearchParams {
            page: 1,
            ..SearchParams::default()
        };
        for (k, v) in pairs {
            let v = v.trim().to_string();
            match k.as_str() {
                "q" => p.q = v,
                "tag" if !v.is_empty() && !p.tags.contains(&v) => p.tags.push(v),
                "year_from" => p.year_from = v,
                "year_to" => p.year_to = v,
                "type" => p.publication_type = v,
                "participants" => p.participants = v,
                "sort" => p.sort = v,
                "page" => p.page = v.parse().unwrap_or(1).max(1),
                _ => {}
            }
        }
        p
    }

    /// The pairs of this search, without its page (for links that keep the search).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = vec![("q", self.q.clone())];
        pairs.extend(self.tags.iter().map(|t| ("tag", t.clone())));
        pairs.push(("year_from", self.year_from.clone()));
        pairs.push(("year_to", self.year_to.clone()));
        pairs.push(("type", self.publication_type.clone()));
        pairs.push(("participants", self.participants.clone()));
        pairs.push(("sort", self.sort.clone()));
        pairs
    }

    fn with(&self, change: impl FnOnce(&mut SearchParams)) -> String {
        let mut p = self.clone();
        change(&mut p);
        format!("/{}", query_string(&p.pairs()))
    }

    /// The selection options these parameters ask for.
    pub fn selection(&self) -> SelectionOptions {
        let years = match (self.year_from.as_str(), self.year_to.as_str()) {
            ("", "") => None,
            (from, to) => Some(format!("{from}..{to}")),
        };
        let (min_participants, max_participants) = match self.participants.split_once('-') {
            Some((lo, hi)) => (
                Some(lo.to_string()).filter(|v| !v.is_empty()),
                Some(hi.to_string()).filter(|v| !v.is_empty()),
            ),
            None => (None, None),
        };
        SelectionOptions {
            query: self.q.clone(),
            years,
            min_participants,
            max_participants,
            publication_type: Some(self.publication_type.clone()).filter(|t| !t.is_empty()),
            dimension_tags: self.tags.clone(),
            ..SelectionOptions::default()
        }
    }

    fn order(&self) -> SearchOrder {
        match self.sort.as_str() {
            "newest" => SearchOrder::Newest,
            "level" => SearchOrder::Level,
            _ => SearchOrder::Relevance,
        }
    }
}

/// `GET /`.
pub async fn page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    let params = SearchParams::from_pairs(&pairs);
    let asked = params.clone();
    let searches = Arc::clone(&state.searches);
    let result = state
        .run(move |ctx| {
            let selection = check_selection(ctx, &asked.selection())?;
            let store = ctx
                .open_store_read()
                .map_err(|e| OpsError::Failed(e.to_string()))?;
            search_page(
                ctx,
                &store,
                &SearchPageOptions {
                    selection,
                    page: asked.page,
                    per_page: PER_PAGE,
                    order: asked.order(),
                },
                &searches,
            )
        })
        .await;
    let (found, error, status) = match result {
        Ok(found) => (Some(found), None, StatusCode::OK),
        Err(PageError::BadRequest(message)) => (None, Some(message), StatusCode::BAD_REQUEST),
        Err(other) => return Err(other),
    };
    let title = if params.q.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {}", params.q)
    };
    let body = html! {
        h1 { "Search the catalogue" }
        (search_form(&params, error.as_deref()))
        @if let Some(found) = &found {
            div.layout {
                aside.facets aria-label="Narrow the results" { (facets(&params, found)) }
                section aria-label="Results" { (results(&params, found)) }
            }
        }
    };
    let mut response = shell_page(&title, "/", &shell, body);
    *response.status_mut() = status;
    Ok(response)
}

fn search_form(params: &SearchParams, error: Option<&str>) -> Markup {
    html! {
        form.search method="get" action="/" role="search" {
            div.search-box {
                label.visually-hidden for="q" { "Search" }
                input id="q" name="q" type="search" value=(params.q)
                    placeholder="e.g. ozone \"herniated disc\"" aria-describedby=(if error.is_some() { "q-error q-help" } else { "q-help" });
                @for t in &params.tags { input type="hidden" name="tag" value=(t); }
                @if !params.year_from.is_empty() { input type="hidden" name="year_from" value=(params.year_from); }
                @if !params.year_to.is_empty() { input type="hidden" name="year_to" value=(params.year_to); }
                @if !params.publication_type.is_empty() { input type="hidden" name="type" value=(params.publication_type); }
                @if !params.participants.is_empty() { input type="hidden" name="participants" value=(params.participants); }
                label for="sort" { "Sort" }
                select id="sort" name="sort" {
                    @for (value, label) in [("relevance", "Relevance"), ("newest", "Newest first"), ("level", "Evidence level")] {
                        option value=(value) selected[params.sort == value || (params.sort.is_empty() && value == "relevance")] { (label) }
                    }
                }
                button type="submit" { "Search" }
            }
            (field_error("q-error", error))
            details id="q-help" {
                summary { "How to search" }
                p.hint { "Words must all match. Use \"quoted phrases\", OR, AND, NOT, -word to exclude, prefix* and (grouping). "
                    "Search one field with title:, abstract:, keywords:, mesh:, author: or journal:, e.g. "
                    code { "title:ozone journal:\"pain physician\"" } "." }
            }
        }
    }
}

/// The facets: each taxonomy dimension, then years and publication types.
fn facets(params: &SearchParams, found: &SearchPage) -> Markup {
    let mut dimensions: Vec<&str> = Vec::new();
    for (d, _, _) in &found.facets {
        if !dimensions.contains(&d.as_str()) {
            dimensions.push(d);
        }
    }
    let active = !params.tags.is_empty()
        || !params.year_from.is_empty()
        || !params.year_to.is_empty()
        || !params.publication_type.is_empty()
        || !params.participants.is_empty();
    html! {
        @if active {
            h2 { "Filters" }
            ul {
                @for t in &params.tags {
                    li { (t) " " a href=(params.with(|p| { p.tags.retain(|x| x != t); p.page = 1; })) aria-label=(format!("Remove filter {t}")) { "remove" } }
                }
                @if !params.year_from.is_empty() || !params.year_to.is_empty() {
                    li { "years " (params.year_from) "–" (params.year_to) " "
                        a href=(params.with(|p| { p.year_from.clear(); p.year_to.clear(); })) { "remove" } }
                }
                @if !params.publication_type.is_empty() {
                    li { (params.publication_type) " " a href=(params.with(|p| p.publication_type.clear())) { "remove" } }
                }
                @if !params.participants.is_empty() {
                    li { (params.participants) " participants " a href=(params.with(|p| p.participants.clear())) { "remove" } }
                }
            }
        }
        form method="get" action="/" {
            @for (k, v) in params.pairs() { @if k != "year_from" && k != "year_to" && !v.is_empty() { input type="hidden" name=(k) value=(v); } }
            h2 { "Years" }
            label for="year_from" { "From" } " "
            input id="year_from" name="year_from" type="number" min="1800" max="2100" value=(params.year_from) .year;
            " " label for="year_to" { "to" } " "
            input id="year_to" name="year_to" type="number" min="1800" max="2100" value=(params.year_to) .year;
            " " button.secondary type="submit" { "Apply" }
        }
        @if let Some(n) = found.facets_of_first {
            p.hint { "Counts below are of the first " (n) " results of " (found.total) "." }
        }
        @for d in dimensions.iter().filter(|d| **d != "year") {
            h2 { (facet_title(d)) }
            ul {
                @for (_, value, n) in found.facets.iter().filter(|(x, _, _)| x == d).take(12) {
                    li {
                        @if *d == "participants" {
                            a href=(params.with(|p| { p.participants = value.clone(); p.page = 1; })) { (value) " participants" }
                        } @else if *d == "type" {
                            a href=(params.with(|p| { p.publication_type = value.clone(); p.page = 1; })) { (value) }
                        } @else {
                            a href=(params.with(|p| { let t = format!("{d}:{value}"); if !p.tags.contains(&t) { p.tags.push(t); } p.page = 1; })) { (value) }
                        }
                        span.count { (n) }
                    }
                }
            }
        }
    }
}

fn facet_title(dimension: &str) -> String {
    match dimension {
        "type" => "Publication type".into(),
        "participants" => "Participants (as the abstract reports)".into(),
        "design" => "Design (evidence level)".into(),
        other => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
    }
}

fn results(params: &SearchParams, found: &SearchPage) -> Markup {
    let shown = found.hits.len();
    let first = (params.page - 1) * PER_PAGE + 1;
    html! {
        @if found.from_before_a_change {
            p.notice role="status" {
                "The catalogue changed a moment ago (an import or a refresh): these results are from just before the change. Search again in a few seconds for the catalogue as it is now."
            }
        }
        p.meta {
            @if found.total == 0 { "No record matches. Try fewer words or remove a filter." }
            @else { (found.total) " records · showing " (first) "–" (first + shown - 1) }
        }
        @if found.total > 0 {
            p.hint { "Export these results: "
                @for (format, label) in [("ris", "RIS"), ("bibtex", "BibTeX"), ("csl-json", "CSL-JSON"), ("csv", "CSV")] {
                    a href=(format!("/export{}", query_string(&{ let mut p = params.pairs(); p.push(("format", format.to_string())); p }))) { (label) } " "
                }
            }
        }
        ol.results start=(first) {
            @for (hit, tags) in &found.hits {
                li {
                    a.title href=(format!("/record/{}", hit.pmid)) { (hit.title) }
                    div.meta {
                        (hit.first_author.as_deref().unwrap_or("")) " · " (hit.journal.as_deref().unwrap_or("")) " · "
                        (hit.year.map(|y| y.to_string()).unwrap_or_default()) " · PMID " (hit.pmid)
                    }
                    div {
                        @for t in tags.iter().filter(|t| t.dimension == "design") {
                            span.badge.design { (t.tag) @if let Some(l) = t.level { " · level " (l) } }
                        }
                        @for t in tags.iter().filter(|t| t.dimension != "design") {
                            span.badge { (t.dimension) ": " (t.tag) }
                        }
                        @if hit.deleted { span.badge.bad { "deleted from PubMed" } }
                        @if hit.publication_types.iter().any(|p| p.eq_ignore_ascii_case("Retracted Publication")) {
                            span.badge.bad { "retracted" }
                        }
                    }
                }
            }
        }
        (pagination(&params.pairs(), params.page, PER_PAGE, found.total))
        p.hint { "At most " (MAX_PER_PAGE) " per page on request; " (PER_PAGE) " shown." }
    }
}

/// `GET /export?format=ris&...`: the search's records as a download.
pub async fn export_results(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let params = SearchParams::from_pairs(&pairs);
    let format = match pairs
        .iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.as_str())
    {
        Some("ris") => ExportFormat::Ris,
        Some("bibtex") => ExportFormat::Bibtex,
        Some("csl-json") => ExportFormat::CslJson,
        Some("csv") => ExportFormat::Csv,
        _ => {
            return Err(PageError::BadRequest(
                "choose an export format: ris, bibtex, csl-json or csv".into(),
            ));
        }
    };
    let bytes = state
        .run(move |ctx| {
            let mut out = Vec::new();
            export(
                ctx,
                &ExportOptions {
                    selection: params.selection(),
                    format,
                    csv_raw: false,
                    include_deleted: false,
                },
                &mut out,
                &mut (),
            )
            .map_err(|e| match e {
                crate::ops::export::ExportError::Select(e) => e,
                other => OpsError::Failed(other.to_string()),
            })?;
            Ok(out)
        })
        .await?;
    let kind = match format {
        ExportFormat::Ris => "application/x-research-info-systems",
        ExportFormat::Bibtex => "application/x-bibtex; charset=utf-8",
        ExportFormat::CslJson => "application/vnd.citationstyles.csl+json",
        _ => "text/csv; charset=utf-8",
    };
    let disposition = format!(
        "attachment; filename=\"evcat-search.{}\"",
        format.extension()
    );
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
