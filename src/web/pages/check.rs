//! Checking an article (`/check`): paste its text or upload a Markdown, HTML or text file; the
//! document is shown with each evidence claim highlighted and numbered, and under it every claim
//! with its kind, the catalogue's candidate evidence and whether a reviewed claim covers it;
//! "save as claims" records the uncovered ones, as `evcat audit --save` does.

use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use super::shell;
use crate::claims::audit::{AuditedSentence, MAX_ARTICLE_BYTES};
use crate::ops::OpsError;
use crate::ops::audit::{Audit, AuditOptions, SaveOptions, audit};
use crate::web::app::{AppState, PageError};
use crate::web::html::{Shell, csrf_field, field_error, page};
use crate::web::security::{CsrfToken, check_csrf, reviewer};

/// Candidates shown per claim.
pub const CANDIDATES: usize = 3;

/// Claims (with their evidence) listed per page under the article.
pub const CLAIMS_PER_PAGE: usize = 25;

/// `GET /check`.
pub async fn form(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let shell = shell(&state, &csrf, &headers, &uri);
    page(
        "Check an article",
        "/check",
        &shell,
        check_form(&shell, "", None),
    )
}

fn check_form(shell: &Shell, text: &str, error: Option<&str>) -> Markup {
    html! {
        h1 { "Check an article" }
        p { "Paste a health article, or upload it (Markdown, HTML or text, at most "
            (MAX_ARTICLE_BYTES / (1024 * 1024)) " MB). evcat finds each evidence claim it makes and the studies in the catalogue that bear on it." }
        @if shell.read_only {
            p.hint { "This workbench is read-only: use " code { "evcat audit FILE" } " on the command line." }
        } @else {
            form method="post" action="/check" enctype="multipart/form-data" {
                (csrf_field(shell))
                div.field {
                    label for="article-text" { "Article text" }
                    textarea id="article-text" name="text" rows="12" aria-describedby=[error.map(|_| "article-error")] { (text) }
                }
                div.field {
                    label for="article-file" { "…or a file" }
                    input id="article-file" name="file" type="file" accept=".md,.markdown,.html,.htm,.txt,text/plain,text/html,text/markdown";
                }
                (field_error("article-error", error))
                button type="submit" { "Check the article" }
            }
        }
    }
}

/// An article as sent: its name and text, and which page of its claims to list (the page
/// buttons send the article again: nothing of it is kept on the server).
struct Sent {
    name: String,
    text: String,
    csrf: String,
    page: usize,
}

async fn read_multipart(mut multipart: Multipart) -> Result<Sent, PageError> {
    let mut sent = Sent {
        name: "pasted article".into(),
        text: String::new(),
        csrf: String::new(),
        page: 1,
    };
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| PageError::BadRequest(format!("the upload could not be read: {e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| PageError::BadRequest(format!("the upload could not be read: {e}")))?;
        match name.as_str() {
            "csrf" => sent.csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "text" => sent.text = String::from_utf8_lossy(&bytes).into_owned(),
            "name" if !bytes.is_empty() => sent.name = String::from_utf8_lossy(&bytes).into_owned(),
            "page" => sent.page = String::from_utf8_lossy(&bytes).trim().parse().unwrap_or(1),
            "file" if !bytes.is_empty() => {
                file = Some((file_name.unwrap_or_else(|| "upload".into()), bytes.to_vec()))
            }
            _ => {}
        }
    }
    let too_large = |what: &str, bytes: usize| {
        PageError::TooLarge(format!(
            "{what} is too large: {:.1} MB; an article may be at most {} MB",
            bytes as f64 / (1024.0 * 1024.0),
            MAX_ARTICLE_BYTES / (1024 * 1024)
        ))
    };
    if sent.text.len() > MAX_ARTICLE_BYTES {
        return Err(too_large("The pasted text", sent.text.len()));
    }
    if let Some((name, bytes)) = &file
        && bytes.len() > MAX_ARTICLE_BYTES
    {
        return Err(too_large(name, bytes.len()));
    }
    if let Some((name, bytes)) = file {
        sent.text = String::from_utf8(bytes).map_err(|_| {
            PageError::BadRequest(format!(
                "{name}: the file is not UTF-8 text; save it as UTF-8 and upload it again"
            ))
        })?;
        sent.name = name;
    }
    Ok(sent)
}

/// `POST /check` (multipart: `text` or `file`).
pub async fn check(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    multipart: Multipart,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    let sent = read_multipart(multipart).await?;
    check_csrf(&csrf, &sent.csrf)?;
    if sent.text.trim().is_empty() {
        let mut r = page(
            "Check an article",
            "/check",
            &shell,
            check_form(
                &shell,
                "",
                Some("Paste the article's text or choose a file."),
            ),
        );
        *r.status_mut() = StatusCode::BAD_REQUEST;
        return Ok(r);
    }
    run_audit(&state, &shell, sent.name, sent.text, None, sent.page).await
}

async fn run_audit(
    state: &AppState,
    shell: &Shell,
    name: String,
    text: String,
    save: Option<SaveOptions>,
    page_no: usize,
) -> Result<Response, PageError> {
    if text.len() > MAX_ARTICLE_BYTES {
        return Err(PageError::BadRequest(format!(
            "the article is {} bytes; at most {MAX_ARTICLE_BYTES} are read",
            text.len()
        )));
    }
    let options = AuditOptions {
        name: name.clone(),
        content: text.clone(),
        candidates: CANDIDATES,
        save: save.clone(),
    };
    let work = move |ctx: &crate::ops::Context| {
        let mut store = if options.save.is_some() {
            ctx.open_store()
        } else {
            ctx.open_store_read()
        }
        .map_err(|e| OpsError::Failed(e.to_string()))?;
        audit(ctx, &mut store, &options)
    };
    let done = if save.is_some() {
        state.write(work).await?
    } else {
        state.run(work).await?
    };
    Ok(page(
        &format!("Check: {name}"),
        "/check",
        shell,
        result_body(shell, &name, &text, &done, page_no),
    ))
}

fn result_body(shell: &Shell, name: &str, text: &str, done: &Audit, page_no: usize) -> Markup {
    let pages = done.sentences.len().div_ceil(CLAIMS_PER_PAGE).max(1);
    let page_no = page_no.clamp(1, pages);
    let listed =
        (page_no - 1) * CLAIMS_PER_PAGE..(page_no * CLAIMS_PER_PAGE).min(done.sentences.len());
    let uncovered = done
        .sentences
        .iter()
        .filter(|s| s.covered_by.is_none())
        .count();
    html! {
        h1 { "Evidence claims in " (name) }
        @if !done.saved.is_empty() {
            p.notice role="status" { (done.saved.len()) " claim(s) saved: "
                @for id in &done.saved { a href=(format!("/claims/{id}")) { (id) } " " } }
        }
        p.meta { (done.sentences.len()) " claim(s) found · " (uncovered) " not covered by a reviewed claim" }
        @if !shell.read_only && uncovered > 0 && done.saved.is_empty() {
            form method="post" action="/check/save" {
                (csrf_field(shell))
                input type="hidden" name="name" value=(name);
                textarea name="text" hidden aria-hidden="true" { (text) }
                button type="submit" { "Save the " (uncovered) " uncovered claim(s) as claims" }
            }
        }
        h2 { "The article" }
        div.doc aria-label="The article with its claims highlighted" { (document_with_marks(text, &done.sentences, &listed)) }
        h2 id="claims" { "Each claim and its evidence" }
        @if pages > 1 {
            p.meta { "Claims " (listed.start + 1) "–" (listed.end) " of " (done.sentences.len()) }
        }
        ol.results start=(listed.start + 1) {
            @for (i, s) in done.sentences.iter().enumerate().skip(listed.start).take(listed.len()) {
                li id=(format!("claim-{}", i + 1)) {
                    p.title { (s.claim) }
                    p.meta { "kind " (s.kind.as_str()) @if let Some(sec) = &s.section { " · section “" (sec) "”" }
                        @if !s.tags.is_empty() { " · " (s.tags.join(", ")) } }
                    @match &s.covered_by {
                        Some(c) => p { span.badge.good { "covered" } " by claim " a href=(format!("/claims/{}", c.claim)) { (c.claim) } " — verdict " (c.verdict) },
                        None => p { span.badge.warn { "not covered by a reviewed claim" } },
                    }
                    @if s.candidates.is_empty() { p.hint { "No candidate evidence in the catalogue." } }
                    ul { @for c in &s.candidates { li {
                        a href=(format!("/record/{}", c.pmid)) { (c.citation) }
                        @if let Some(st) = c.stance { " — suggested stance " strong { (st.as_str()) } }
                        @if !c.facts.is_empty() { br; span.meta { (c.facts.join("; ")) } }
                    } } }
                }
            }
        }
        @if pages > 1 {
            // (Each page button sends the article again, with the page it asks for.)
            form.pagination method="post" action="/check#claims" enctype="multipart/form-data" aria-label="Pages of claims" {
                (csrf_field(shell))
                input type="hidden" name="name" value=(name);
                textarea name="text" hidden aria-hidden="true" { (text) }
                @if page_no > 1 { button.secondary type="submit" name="page" value=(page_no - 1) { "← Previous claims" } }
                span { "Page " (page_no) " of " (pages) }
                @if page_no < pages { button.secondary type="submit" name="page" value=(page_no + 1) { "Next claims →" } }
            }
        }
    }
}

/// The document's text with each claim's sentence marked (by character offsets), all escaped;
/// the marks of the claims `listed` on this page link to their entry.
fn document_with_marks(
    text: &str,
    sentences: &[AuditedSentence],
    listed: &std::ops::Range<usize>,
) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize, usize)> = sentences
        .iter()
        .enumerate()
        .map(|(i, s)| (s.start.min(chars.len()), s.end.min(chars.len()), i + 1))
        .filter(|(s, e, _)| s < e)
        .collect();
    spans.sort();
    let mut parts: Vec<(String, Option<usize>)> = Vec::new();
    let mut at = 0;
    for (s, e, n) in spans {
        if s < at {
            continue;
        }
        parts.push((chars[at..s].iter().collect(), None));
        parts.push((chars[s..e].iter().collect(), Some(n)));
        at = e;
    }
    parts.push((chars[at..].iter().collect(), None));
    html! {
        @for (piece, n) in &parts {
            @match n {
                Some(n) if listed.contains(&(n - 1)) => mark title=(format!("Claim {n}")) { (piece) sup { a href=(format!("#claim-{n}")) { "[" (n) "]" } } },
                Some(n) => mark title=(format!("Claim {n}, listed on page {}", (n - 1) / CLAIMS_PER_PAGE + 1)) { (piece) sup { "[" (n) "]" } },
                None => (piece),
            }
        }
    }
}

/// The save form.
#[derive(Debug, Deserialize)]
pub struct SaveForm {
    /// The article's name.
    #[serde(default)]
    pub name: String,
    /// Its text.
    #[serde(default)]
    pub text: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /check/save`: saves the uncovered claims, as `evcat audit --save`.
pub async fn save(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<SaveForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let shell = shell(&state, &csrf, &headers, &uri);
    let name = if form.name.trim().is_empty() {
        "pasted article".to_string()
    } else {
        form.name.trim().to_string()
    };
    let save = SaveOptions {
        source: Some(name.clone()),
        reviewer: reviewer(&headers, &state),
    };
    run_audit(&state, &shell, name, form.text, Some(save), 1).await
}
