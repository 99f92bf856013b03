//! Claims (`/claims`, `/claims/{id}`): the list with verdict, certainty, stale and warning flags
//! and filters, and a form to add a claim; a claim's page with its text, source, kind and tags,
//! the candidate evidence `claim suggest` ranks (each linked in one click as supports, refutes,
//! mixed or no evidence), the linked evidence table, the verdict form (a note is required) and
//! the append-only log as a timeline. Every change goes through the same operations, and into
//! the same log, as the command line's.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use super::shell;
use crate::claims::assess::ClaimFilter;
use crate::claims::record::LogEntry;
use crate::claims::values::{ClaimKind, Stance, Verdict};
use crate::ops::OpsError;
use crate::ops::claim::{
    AddOptions, AssessedClaim, LinkOptions, ReviewOptions, Suggestions, add as add_claim,
    link as link_record, list as list_claims, log, review as review_claim, show, suggest_kept,
    unlink as unlink_record,
};
use crate::web::app::{AppState, PageError};
use crate::web::html::{
    Shell, csrf_field, field_error, page as shell_page, pagination, section_pagination,
};
use crate::web::security::{CsrfToken, check_csrf, reviewer};

/// Claims per page of the list.
pub const PER_PAGE: usize = 25;
/// Candidates shown on a claim's page.
pub const CANDIDATES: usize = 10;

/// Filters of the list.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    /// A verdict, or `unreviewed`.
    #[serde(default)]
    pub status: String,
    /// Only claims whose evidence changed since their verdict.
    #[serde(default)]
    pub stale: String,
    /// Page.
    #[serde(default)]
    pub page: Option<usize>,
}

/// What was typed into the add form, and what was wrong with it.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AddForm {
    /// What the article claims.
    #[serde(default)]
    pub text: String,
    /// Where it claims it.
    #[serde(default)]
    pub source: String,
    /// Its kind.
    #[serde(default)]
    pub kind: String,
    /// Condition tag id.
    #[serde(default)]
    pub condition: String,
    /// Outcome tag id.
    #[serde(default)]
    pub outcome: String,
    /// Intervention tag id.
    #[serde(default)]
    pub intervention: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `GET /claims`.
pub async fn list(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    list_page(&state, &shell, query, AddForm::default(), None).await
}

async fn list_page(
    state: &AppState,
    shell: &Shell,
    query: ListQuery,
    form: AddForm,
    error: Option<String>,
) -> Result<Response, PageError> {
    let filter = ClaimFilter {
        removed: false,
        status: Some(query.status.clone()).filter(|s| !s.is_empty()),
        tags: Vec::new(),
        stale: query.stale == "1",
    };
    let claims = state
        .run(move |ctx| list_claims(ctx, &filter).map_err(OpsError::from))
        .await?;
    let page_no = query.page.unwrap_or(1).max(1);
    let total = claims.len() as u64;
    let shown: Vec<&AssessedClaim> = claims
        .iter()
        .skip((page_no - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let base = vec![
        ("status", query.status.clone()),
        ("stale", query.stale.clone()),
    ];
    let body = html! {
        h1 { "Claims" }
        form method="get" action="/claims" .search-box {
            label for="status" { "Verdict" }
            select id="status" name="status" {
                option value="" { "Any" }
                option value="unreviewed" selected[query.status == "unreviewed"] { "Unreviewed" }
                @for v in Verdict::ALL { option value=(v.as_str()) selected[query.status == v.as_str()] { (v.as_str()) } }
            }
            label { input type="checkbox" name="stale" value="1" checked[query.stale == "1"]; " Evidence changed since the verdict" }
            button.secondary type="submit" { "Filter" }
        }
        p.meta { (total) " claim(s)" }
        @if !shown.is_empty() {
            div.table-wrap {
                table {
                    thead { tr { th { "Claim" } th { "Verdict" } th { "Certainty" } th { "Evidence" } th { "Flags" } } }
                    tbody {
                        @for c in &shown {
                            tr {
                                td { a href=(format!("/claims/{}", c.claim.id)) { (c.claim.text) } br; span.meta { (c.claim.id) } }
                                td { (c.assessment.status) }
                                td { (c.assessment.certainty.level.as_str()) }
                                td { @for (stance, n) in &c.assessment.by_stance { (stance) ": " (n) br; } }
                                td {
                                    @if c.assessment.stale.is_some() { span.badge.warn { "stale" } }
                                    @if !c.assessment.warnings.is_empty() { span.badge.bad { (c.assessment.warnings.len()) " warning(s)" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        (pagination(&base, page_no, PER_PAGE, total))
        @if !shell.read_only {
            h2 id="add" { "Add a claim" }
            (add_form(shell, &form, error.as_deref()))
        }
    };
    let mut response = shell_page("Claims", "/claims", shell, body);
    if error.is_some() {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

fn add_form(shell: &Shell, form: &AddForm, error: Option<&str>) -> Markup {
    html! {
        form method="post" action="/claims" {
            (csrf_field(shell))
            div.field {
                label for="claim-text" { "What the article claims" }
                textarea id="claim-text" name="text" rows="3" required maxlength="4000"
                    aria-describedby=[error.map(|_| "claim-text-error")] { (form.text) }
                (field_error("claim-text-error", error))
            }
            div.field { label for="claim-source" { "Where (URL or citation of the article)" }
                input id="claim-source" name="source" type="text" maxlength="2000" value=(form.source); }
            div.field { label for="claim-kind" { "Kind" }
                select id="claim-kind" name="kind" {
                    option value="" { "—" }
                    @for k in ClaimKind::ALL { option value=(k.as_str()) selected[form.kind == k.as_str()] { (k.as_str()) } }
                }
            }
            div.field { label for="claim-condition" { "Condition tag (optional, else read from the text)" }
                input id="claim-condition" name="condition" type="text" value=(form.condition) placeholder="e.g. herniated-disc"; }
            div.field { label for="claim-outcome" { "Outcome tag (optional)" }
                input id="claim-outcome" name="outcome" type="text" value=(form.outcome) placeholder="e.g. pain"; }
            div.field { label for="claim-intervention" { "Intervention tag (optional)" }
                input id="claim-intervention" name="intervention" type="text" value=(form.intervention) placeholder="e.g. ozone"; }
            button type="submit" { "Add claim" }
        }
    }
}

/// `POST /claims`.
pub async fn add(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<AddForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let shell = shell(&state, &csrf, &headers, &uri);
    let kind = match form.kind.as_str() {
        "" => None,
        k => Some(
            k.parse::<ClaimKind>()
                .map_err(|_| PageError::BadRequest(format!("unknown claim kind {k:?}")))?,
        ),
    };
    let mut tags = Vec::new();
    for (dimension, value) in [
        ("condition", &form.condition),
        ("outcome", &form.outcome),
        ("intervention", &form.intervention),
    ] {
        if !value.trim().is_empty() {
            tags.push((dimension.to_string(), value.trim().to_string()));
        }
    }
    let options = AddOptions {
        id: None,
        text: form.text.trim().to_string(),
        source: Some(form.source.trim().to_string()).filter(|s| !s.is_empty()),
        tags,
        reviewer: reviewer(&headers, &state),
        kind,
    };
    match state
        .write(move |ctx| add_claim(ctx, &options).map_err(OpsError::from))
        .await
    {
        Ok(claim) => Ok(Redirect::to(&format!("/claims/{}", claim.id)).into_response()),
        Err(PageError::BadRequest(message)) => {
            list_page(&state, &shell, ListQuery::default(), form, Some(message)).await
        }
        Err(other) => Err(other),
    }
}

/// Everything a claim's page shows.
struct ClaimView {
    assessed: AssessedClaim,
    suggestions: Arc<Suggestions>,
    log: Vec<LogEntry>,
}

/// Errors of the verdict form, shown beside its fields.
#[derive(Debug, Default, Clone)]
struct ReviewErrors {
    note: Option<String>,
    verdict: Option<String>,
    reviewer: Option<String>,
}

/// `GET /claims/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    let lists = ClaimLists::from_pairs(&pairs);
    claim_page(&state, &shell, id, ReviewErrors::default(), None, lists).await
}

/// The claim's page again after a refused verdict form: its errors beside the fields, what was
/// typed kept, the lists on their first pages.
async fn claim_page_again(
    state: &AppState,
    shell: &Shell,
    id: String,
    errors: ReviewErrors,
    form: ReviewForm,
) -> Result<Response, PageError> {
    claim_page(state, shell, id, errors, Some(form), ClaimLists::default()).await
}

/// Which page of each of a claim page's lists: its linked evidence and its history (from 1; a
/// missing or unreadable number is the first page, one past the end the last).
#[derive(Debug, Clone, Copy)]
pub struct ClaimLists {
    evidence: usize,
    history: usize,
}

impl Default for ClaimLists {
    fn default() -> Self {
        ClaimLists {
            evidence: 1,
            history: 1,
        }
    }
}

impl ClaimLists {
    fn from_pairs(pairs: &[(String, String)]) -> ClaimLists {
        let page = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(1)
        };
        ClaimLists {
            evidence: page("evidence"),
            history: page("history"),
        }
    }
}

/// Rows per page of a claim's linked evidence and of its history.
pub const CLAIM_LIST_ROWS: usize = 25;

/// The `page`th (from 1) run of [`CLAIM_LIST_ROWS`] items of `items`; an out-of-range page is
/// the last one.
fn page_of<T>(items: &[T], page: usize) -> (usize, &[T]) {
    let pages = items.len().div_ceil(CLAIM_LIST_ROWS).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * CLAIM_LIST_ROWS;
    (
        page,
        &items[start.min(items.len())..(start + CLAIM_LIST_ROWS).min(items.len())],
    )
}

async fn claim_page(
    state: &AppState,
    shell: &Shell,
    id: String,
    errors: ReviewErrors,
    typed: Option<ReviewForm>,
    lists: ClaimLists,
) -> Result<Response, PageError> {
    let suggestions = Arc::clone(&state.suggestions);
    let view = state
        .run(move |ctx| {
            Ok(ClaimView {
                assessed: show(ctx, &id)?,
                suggestions: suggest_kept(ctx, &id, CANDIDATES, &suggestions)?,
                log: log(ctx, &id)?,
            })
        })
        .await?;
    let failed = errors.note.is_some() || errors.verdict.is_some() || errors.reviewer.is_some();
    let title = view.assessed.claim.text.clone();
    let mut response = shell_page(
        &title,
        "/claims",
        shell,
        claim_body(&view, shell, &errors, typed.as_ref(), lists),
    );
    if failed {
        *response.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(response)
}

fn claim_body(
    view: &ClaimView,
    shell: &Shell,
    errors: &ReviewErrors,
    typed: Option<&ReviewForm>,
    lists: ClaimLists,
) -> Markup {
    let (evidence_page, evidence) = page_of(&view.assessed.assessment.evidence, lists.evidence);
    let newest_first: Vec<&LogEntry> = view.log.iter().rev().collect();
    let (history_page, history) = page_of(&newest_first, lists.history);
    let kept = [
        ("evidence", evidence_page.to_string()),
        ("history", history_page.to_string()),
    ];
    let claim = &view.assessed.claim;
    let a = &view.assessed.assessment;
    let linked: Vec<u64> = claim.links.iter().map(|l| l.pmid).collect();
    html! {
        p.meta { a href="/claims" { "← All claims" } }
        h1.visually-hidden { "Claim " (claim.id) }
        p.claim-text { (claim.text) }
        p.meta {
            "Id " (claim.id)
            @if let Some(k) = claim.kind { " · kind " (k.as_str()) }
            @if let Some(s) = &claim.source { " · source: " (s) }
            @if claim.removed_at.is_some() { " · " span.badge.bad { "removed" } }
        }
        p { @for t in &claim.tags { span.badge { (t.dimension) ": " (t.tag) @if t.inferred { " (read from the text)" } } } }
        @if !a.warnings.is_empty() {
            div.warnings role="alert" { strong { "Warnings" } ul { @for w in &a.warnings { li { (w) } } } }
        }
        @if let Some(stale) = &a.stale {
            p.warnings { "The evidence changed since the verdict: " (stale.new_records) " new matching record(s) since " (stale.since) "." }
        }
        h2 { "Verdict: " (a.status) }
        @if let Some(note) = &claim.verdict_note { p { "“" (note) "”" @if let Some(by) = &claim.verdict_by { " — " (by) } } }
        p { "Certainty of the evidence: " strong { (a.certainty.level.as_str()) } }
        @if !a.certainty.reasons.is_empty() {
            details { summary { "Why this certainty" }
                ul { @for r in &a.certainty.reasons { li { (r.domain) " (" (r.effect) "): " (r.why) } } }
            }
        }
        h2 id="evidence" { "Linked evidence" }
        @if a.evidence.is_empty() { p.hint { "No record is linked yet: link one of the candidates below." } }
        @else {
            div.table-wrap { table {
                thead { tr { th { "Record" } th { "Stance" } th { "Design" } th { "Level" } th { "Year" } th { "Warnings" } @if !shell.read_only { th { span.visually-hidden { "Actions" } } } } }
                tbody { @for e in evidence { tr {
                    td { a href=(format!("/record/{}", e.pmid)) { (e.citation) } @if let Some(f) = &e.finding { br; span.meta { (f) } } }
                    td { (e.stance) @if e.suggested { " (suggested)" } }
                    td { (e.design.as_deref().unwrap_or("not stated")) }
                    td { @if let Some(l) = e.level { (l) } }
                    td { @if let Some(y) = e.year { (y) } }
                    td { @for w in &e.warnings { span.badge.bad { (w) } } }
                    @if !shell.read_only { td {
                        form.inline-form method="post" action=(format!("/claims/{}/unlink", claim.id)) {
                            (csrf_field(shell))
                            input type="hidden" name="pmid" value=(e.pmid);
                            button.secondary type="submit" aria-label=(format!("Unlink PMID {}", e.pmid)) { "Unlink" }
                        }
                    } }
                } } }
            } }
            (section_pagination(&kept, ("evidence", "#evidence"), evidence_page, CLAIM_LIST_ROWS, a.evidence.len() as u64, "Pages of linked evidence"))
        }
        h2 id="candidates" { "Candidate evidence" }
        @let candidates: Vec<_> = view.suggestions.candidates.iter().filter(|c| !linked.contains(&c.pmid)).collect();
        @if candidates.is_empty() { p.hint { "No other record in the catalogue matches this claim." } }
        ol.results { @for c in &candidates { li {
            a href=(format!("/record/{}", c.pmid)) { (c.citation) }
            div.meta { "score " (format!("{:.2}", c.score)) @if !c.reasons.is_empty() { " · " (c.reasons.join("; ")) } }
            @if let Some(s) = c.stance { p { "Suggested stance: " strong { (s.as_str()) } @if let Some(r) = &c.stance_reason { " — " (r) } } }
            @if !shell.read_only {
                form.inline-form method="post" action=(format!("/claims/{}/link", claim.id)) {
                    (csrf_field(shell))
                    input type="hidden" name="pmid" value=(c.pmid);
                    "Link as: "
                    @for s in Stance::ALL { button.secondary type="submit" name="stance" value=(s.as_str()) aria-label=(format!("Link PMID {} as {}", c.pmid, s.as_str())) { (s.as_str()) } " " }
                }
            }
        } } }
        @if !shell.read_only {
            h2 id="verdict" { "Give a verdict" }
            form method="post" action=(format!("/claims/{}/review", claim.id)) {
                (csrf_field(shell))
                div.field {
                    label for="verdict" { "Verdict" }
                    select id="verdict" name="verdict" aria-describedby=[errors.verdict.as_ref().map(|_| "verdict-error")] {
                        @for v in Verdict::ALL { option value=(v.as_str()) selected[typed.is_some_and(|t| t.verdict == v.as_str())] { (v.as_str()) } }
                    }
                    (field_error("verdict-error", errors.verdict.as_deref()))
                }
                div.field {
                    label for="verdict-note" { "Note (required: why this verdict)" }
                    textarea id="verdict-note" name="note" rows="3" maxlength="4000" aria-describedby=[errors.note.as_ref().map(|_| "note-error")] { (typed.map(|t| t.note.as_str()).unwrap_or("")) }
                    (field_error("note-error", errors.note.as_deref()))
                }
                div.field {
                    label for="risk" { "Risk of bias of the evidence (optional)" }
                    select id="risk" name="risk_of_bias" {
                        option value="" { "—" }
                        @for r in ["low", "some-concerns", "high"] { option value=(r) { (r) } }
                    }
                }
                div.field {
                    label for="verdict-reviewer" { "Reviewer" }
                    input id="verdict-reviewer" name="reviewer" type="text" maxlength="100" required
                        value=[typed.map(|t| t.reviewer.as_str()).filter(|r| !r.is_empty()).or(shell.reviewer.as_deref())]
                        aria-describedby=[errors.reviewer.as_ref().map(|_| "reviewer-error")];
                    (field_error("reviewer-error", errors.reviewer.as_deref()))
                }
                button type="submit" { "Save verdict" }
            }
        }
        h2 id="log" { "History" }
        (timeline(history))
        (section_pagination(&kept, ("history", "#log"), history_page, CLAIM_LIST_ROWS, view.log.len() as u64, "Pages of the history"))
    }
}

/// Log entries, in the order given (newest first on a claim's page).
fn timeline(entries: &[&LogEntry]) -> Markup {
    html! {
        ol.timeline {
            @for e in entries {
                li {
                    time datetime=(e.at) { (e.at) }
                    strong { (e.action) } " by " (e.reviewer.as_deref().unwrap_or("someone"))
                    @if let Some(after) = &e.after { " — " span.meta { (summary_of(after)) } }
                }
            }
        }
    }
}

/// A few words of a log entry's "after" object (its verdict, stance or note).
fn summary_of(after: &serde_json::Value) -> String {
    let mut parts = Vec::new();
    for key in ["verdict", "stance", "pmid", "note", "text"] {
        if let Some(v) = after.get(key).filter(|v| !v.is_null()) {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            parts.push(format!("{key}: {v}"));
        }
    }
    parts.join(" · ")
}

/// The link form.
#[derive(Debug, Deserialize)]
pub struct LinkForm {
    /// The record.
    #[serde(default)]
    pub pmid: String,
    /// Its stance (the suggested one when empty).
    #[serde(default)]
    pub stance: String,
    /// Why.
    #[serde(default)]
    pub note: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

fn pmid_of(text: &str) -> Result<u64, PageError> {
    text.trim()
        .parse::<u64>()
        .map_err(|_| PageError::BadRequest(format!("{text:?} is not a PMID")))
}

/// `POST /claims/{id}/link`.
pub async fn link(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let stance = match form.stance.as_str() {
        "" => None,
        s => Some(
            s.parse::<Stance>()
                .map_err(|_| PageError::BadRequest(format!("unknown stance {s:?}")))?,
        ),
    };
    let options = LinkOptions {
        id: id.clone(),
        pmid: pmid_of(&form.pmid)?,
        stance,
        note: Some(form.note.trim().to_string()).filter(|n| !n.is_empty()),
        reviewer: reviewer(&headers, &state),
    };
    state
        .write(move |ctx| link_record(ctx, &options).map_err(OpsError::from))
        .await?;
    Ok(Redirect::to(&format!("/claims/{id}#evidence")).into_response())
}

/// `POST /claims/{id}/unlink`.
pub async fn unlink(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let pmid = pmid_of(&form.pmid)?;
    let who = reviewer(&headers, &state);
    let claim = id.clone();
    state
        .write(move |ctx| unlink_record(ctx, &claim, pmid, who.as_deref()).map_err(OpsError::from))
        .await?;
    Ok(Redirect::to(&format!("/claims/{id}#evidence")).into_response())
}

/// The verdict form.
#[derive(Debug, Deserialize, Clone)]
pub struct ReviewForm {
    /// The verdict.
    #[serde(default)]
    pub verdict: String,
    /// Why.
    #[serde(default)]
    pub note: String,
    /// Risk of bias.
    #[serde(default)]
    pub risk_of_bias: String,
    /// Who gives the verdict (the browser's reviewer when empty).
    #[serde(default)]
    pub reviewer: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /claims/{id}/review`: a missing note or an unknown verdict shows the form again with
/// the error beside the field.
pub async fn review(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<String>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let shell = shell(&state, &csrf, &headers, &uri);
    let mut errors = ReviewErrors::default();
    let verdict = form.verdict.parse::<Verdict>().ok();
    if verdict.is_none() {
        errors.verdict = Some("Choose a verdict.".into());
    }
    if form.note.trim().is_empty() {
        errors.note = Some("Say why: a verdict needs a note.".into());
    }
    let who = Some(form.reviewer.trim().to_string())
        .filter(|r| !r.is_empty())
        .or_else(|| reviewer(&headers, &state));
    if who.is_none() {
        errors.reviewer = Some("Say who gives the verdict.".into());
    }
    let Some(verdict) = verdict.filter(|_| errors.note.is_none() && errors.reviewer.is_none())
    else {
        return claim_page_again(&state, &shell, id, errors, form).await;
    };
    let options = ReviewOptions {
        id: id.clone(),
        verdict,
        note: form.note.trim().to_string(),
        reviewer: who,
        risk_of_bias: Some(form.risk_of_bias.clone()).filter(|r| !r.is_empty()),
    };
    match state
        .write(move |ctx| review_claim(ctx, &options).map_err(OpsError::from))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/claims/{id}#log")).into_response()),
        Err(PageError::BadRequest(message)) => {
            let errors = ReviewErrors {
                note: Some(message),
                ..ReviewErrors::default()
            };
            claim_page_again(&state, &shell, id, errors, form).await
        }
        Err(other) => Err(other),
    }
}
