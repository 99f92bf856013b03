//! A record's page (`/record/{pmid}`): title and abstract with PubMed's markup made safe and each
//! tag's evidence highlighted where it was found (with a legend); the tags with their evidence,
//! source and level, and forms to add or remove a tag by hand; the study's facts; warnings
//! (retraction, concern, erratum, deletion); the claims citing it; the citation in the four
//! styles; links to PubMed, the DOI and PMC; where the record came from and its revisions.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use super::shell;
use crate::export::cite::CitationStyle;
use crate::ops::OpsError;
use crate::ops::cite::{CiteOptions, cite};
use crate::ops::claim::show as show_claim;
use crate::ops::show::{ShownRecord, revision_history, show};
use crate::ops::tag::{ManualTagOptions, check_tag, set_manual};
use crate::store::tags::StoredTag;
use crate::web::app::{AppState, PageError};
use crate::web::html::{Shell, csrf_field, page as shell_page, pubmed_markup};
use crate::web::security::{CsrfToken, check_csrf, reviewer};

/// A claim citing the record, as the claim's assessment sees the record.
struct Citing {
    claim: String,
    stance: String,
    verdict: String,
    warnings: Vec<String>,
}

/// Everything the page shows.
struct RecordView {
    shown: ShownRecord,
    /// Each claim citing the record: its id, the record's stance, the claim's verdict, and what
    /// the claim's assessment warns of this record (a revision after the verdict among them).
    citing: Vec<Citing>,
    revisions: Vec<crate::store::articles::RevisionEntry>,
    citations: Vec<(CitationStyle, String)>,
}

fn parse_pmid(text: &str) -> Result<u64, PageError> {
    text.parse::<u64>()
        .ok()
        .filter(|&p| p > 0)
        .ok_or_else(|| PageError::NotFound(format!("{text:?} is not a PMID (a PMID is a number)")))
}

/// `GET /record/{pmid}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    uri: Uri,
    Path(pmid): Path<String>,
) -> Result<Response, PageError> {
    let shell = shell(&state, &csrf, &headers, &uri);
    let pmid = parse_pmid(&pmid)?;
    let view = state
        .run(move |ctx| {
            let store = ctx
                .open_store_read()
                .map_err(|e| OpsError::Failed(e.to_string()))?;
            let matcher = ctx.matcher()?;
            let shown = show(&store, pmid, &matcher)?;
            let citations = if shown.stored.has_data {
                CitationStyle::ALL
                    .iter()
                    .map(|&style| {
                        cite(
                            &store,
                            &CiteOptions {
                                pmids: vec![pmid],
                                style,
                            },
                        )
                        .map(|c| {
                            (
                                style,
                                c.references
                                    .into_iter()
                                    .next()
                                    .map(|r| r.reference)
                                    .unwrap_or_default(),
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?
            } else {
                Vec::new()
            };
            let revisions = revision_history(&store, pmid)?;
            let own_warnings = shown.stored.warnings();
            let citing = shown
                .cited_by
                .iter()
                .map(|(claim, stance)| {
                    let assessed = show_claim(ctx, claim)?;
                    let warnings = assessed
                        .assessment
                        .evidence
                        .iter()
                        .filter(|e| e.pmid == pmid)
                        .flat_map(|e| e.warnings.clone())
                        .filter(|w| !own_warnings.contains(w))
                        .collect();
                    Ok(Citing {
                        claim: claim.clone(),
                        stance: stance.clone(),
                        verdict: assessed.assessment.status,
                        warnings,
                    })
                })
                .collect::<Result<Vec<_>, OpsError>>()?;
            Ok(RecordView {
                citing,
                shown,
                revisions,
                citations,
            })
        })
        .await?;
    let title = view.shown.stored.article.title.text.clone();
    Ok(shell_page(&title, "/", &shell, record_body(&view, &shell)))
}

fn record_body(view: &RecordView, shell: &Shell) -> Markup {
    let stored = &view.shown.stored;
    let a = &stored.article;
    let pmid = a.pmid;
    let id = |kind: &str| {
        a.ids
            .iter()
            .find(|i| i.id_type == kind)
            .map(|i| i.value.clone())
    };
    let doi = id("doi");
    let pmc = id("pmc");
    let tags = &view.shown.tags;
    let title_marks = marks(tags, "title");
    let abstract_marks = marks(tags, "abstract");
    // What the record says of itself, then a revision after a citing claim's verdict.
    let mut warnings = stored.warnings();
    for c in &view.citing {
        for w in &c.warnings {
            warnings.push(format!("{w} (claim {})", c.claim));
        }
    }
    html! {
        @if !warnings.is_empty() {
            div.warnings role="alert" {
                strong { "Read with care: " }
                ul { @for w in &warnings { li { (w) } } }
            }
        }
        // PubMed's own markup wins over highlighting (a field with `sub`/`sup` shows them; its
        // evidence is still listed in the tags table).
        h1 {
            @if title_marks.is_empty() || a.title.markup.is_some() { (pubmed_markup(&a.title.text, a.title.markup.as_deref())) }
            @else { (highlighted(&a.title.text, 0, &title_marks)) }
        }
        p.meta {
            (authors_line(a)) br;
            (a.journal.title.as_deref().or(a.journal.iso_abbrev.as_deref()).unwrap_or(""))
            @if let Some(y) = a.journal.pub_date.year { " · " (y) }
            " · PMID " (pmid)
        }
        p {
            a href=(format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")) rel="noopener noreferrer" { "PubMed" }
            @if let Some(d) = &doi { " · " a href=(format!("https://doi.org/{d}")) rel="noopener noreferrer" { "DOI " (d) } }
            @if let Some(p) = &pmc { " · " a href=(format!("https://www.ncbi.nlm.nih.gov/pmc/articles/{p}/")) rel="noopener noreferrer" { "PMC " (p) } }
        }
        @if !tags.is_empty() {
            p.legend aria-label="Highlight legend" { "Highlighted evidence: "
                @for d in ["condition", "outcome", "design", "intervention", "route"] { mark data-dimension=(d) { (d) } " " }
            }
        }
        h2 { "Abstract" }
        div.abstract {
            @match &a.abstract_ {
                None => p.hint { "This record has no abstract." },
                Some(abs) => {
                    @for (section, text_start, inside) in section_marks(abs, &abstract_marks) {
                        p {
                            @if let Some(l) = &section.label { span.label { (l) ": " } }
                            @if inside.is_empty() || section.markup.is_some() { (pubmed_markup(&section.text, section.markup.as_deref())) }
                            @else { (highlighted(&section.text, text_start, &inside)) }
                        }
                    }
                }
            }
        }
        h2 { "Tags and their evidence" }
        (tags_table(pmid, tags, shell))
        @if !view.shown.facts.is_empty() {
            h2 { "Facts of the study" }
            ul { @for f in &view.shown.facts { li { (f.describe()) " — “" (f.text) "”" } } }
        }
        h2 { "Claims citing this record" }
        @if view.shown.cited_by.is_empty() { p.hint { "No claim cites it yet." } }
        @else {
            ul { @for c in &view.citing { li {
                a href=(format!("/claims/{}", c.claim)) { (c.claim) } " — " (c.stance) " · verdict " (c.verdict)
                @for w in &c.warnings { " " span.badge.warn { (w) } }
            } } }
        }
        @if !view.citations.is_empty() {
            h2 { "Cite" }
            @for (style, text) in &view.citations {
                @let id = format!("cite-{}", style.name());
                h3 { (style_label(*style)) }
                p.citation id=(id) { (text) }
                button.secondary type="button" data-copy=(id) hidden { "Copy" }
            }
        }
        h2 { "In this catalogue" }
        p.meta {
            "First seen " (stored.first_seen) " · last changed " (stored.last_changed)
            @if let Some(s) = &stored.source { " from " (s) }
            " · " (stored.revisions) " earlier revision(s) kept"
            @if stored.deleted { " · deleted from PubMed" @if let Some(at) = &stored.deleted_at { " on " (at) } }
        }
        @if !view.revisions.is_empty() {
            h3 { "Revision history" }
            ul { @for r in &view.revisions {
                li { "Version " (r.version) @if let Some(d) = &r.date_revised { " (revised " (d) ")" }
                    ", replaced " (r.replaced_at) @if let Some(by) = &r.replaced_by { " by " (by) } }
            } }
        }
    }
}

fn style_label(style: CitationStyle) -> &'static str {
    match style {
        CitationStyle::Vancouver => "Vancouver (NLM)",
        CitationStyle::Ama => "AMA",
        CitationStyle::Apa => "APA",
        CitationStyle::Harvard => "Harvard",
    }
}

fn authors_line(a: &crate::pubmed::model::Article) -> String {
    let names: Vec<String> = a
        .authors
        .iter()
        .take(6)
        .map(|au| {
            au.collective.clone().unwrap_or_else(|| {
                format!(
                    "{} {}",
                    au.last.as_deref().unwrap_or(""),
                    au.initials.as_deref().unwrap_or("")
                )
                .trim()
                .to_string()
            })
        })
        .collect();
    let more = if a.authors.len() > 6 { ", et al." } else { "" };
    format!("{}{more}", names.join(", "))
}

/// A stretch of a field to highlight: character offsets in the field, and the tag.
#[derive(Debug, Clone)]
struct Mark {
    start: usize,
    end: usize,
    dimension: String,
    tag: String,
}

/// Every evidence span of `source` ("title", "abstract"), in text order, overlaps dropped.
fn marks(tags: &[StoredTag], source: &str) -> Vec<Mark> {
    let mut all: Vec<Mark> = tags
        .iter()
        .flat_map(|t| {
            t.evidence
                .iter()
                .filter(|e| e.source == source && !e.negated)
                .filter_map(|e| {
                    Some(Mark {
                        start: usize::try_from(e.start?).ok()?,
                        end: usize::try_from(e.end?).ok()?,
                        dimension: t.dimension.clone(),
                        tag: t.tag.clone(),
                    })
                })
        })
        .filter(|m| m.start < m.end)
        .collect();
    all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut kept: Vec<Mark> = Vec::new();
    for m in all {
        if kept.last().is_none_or(|k| m.start >= k.end) {
            kept.push(m);
        }
    }
    kept
}

/// Each section of an abstract with where its text starts in the abstract's plain text (as
/// [`crate::pubmed::model::Abstract::plain_text`] joins it: "LABEL: text", sections on lines of
/// their own) and the marks that fall inside it.
fn section_marks<'a>(
    abs: &'a crate::pubmed::model::Abstract,
    marks: &[Mark],
) -> Vec<(&'a crate::pubmed::model::AbstractSection, usize, Vec<Mark>)> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (i, section) in abs.sections.iter().enumerate() {
        let start = if i == 0 { 0 } else { offset + 1 };
        let text_start = start + section.label.as_ref().map_or(0, |l| l.chars().count() + 2);
        let text_end = text_start + section.text.chars().count();
        let inside = marks
            .iter()
            .filter(|m| m.start >= text_start && m.end <= text_end)
            .cloned()
            .collect();
        out.push((section, text_start, inside));
        offset = text_end;
    }
    out
}

/// `text` (which starts at character `base` of its field) with `marks` highlighted; every
/// piece escaped.
fn highlighted(text: &str, base: usize, marks: &[Mark]) -> Markup {
    let chars: Vec<char> = text.chars().collect();
    let piece = |from: usize, to: usize| -> String {
        chars[from.min(chars.len())..to.min(chars.len())]
            .iter()
            .collect()
    };
    let mut at = 0usize;
    let mut parts: Vec<(String, Option<&Mark>)> = Vec::new();
    for m in marks {
        let (s, e) = (m.start.saturating_sub(base), m.end.saturating_sub(base));
        if s < at || s >= chars.len() {
            continue;
        }
        parts.push((piece(at, s), None));
        parts.push((piece(s, e), Some(m)));
        at = e;
    }
    parts.push((piece(at, chars.len()), None));
    html! {
        @for (text, mark) in &parts {
            @match mark {
                Some(m) => mark data-dimension=(m.dimension) title=(format!("{}: {}", m.dimension, m.tag)) { (text) },
                None => (text),
            }
        }
    }
}

fn tags_table(pmid: u64, tags: &[StoredTag], shell: &Shell) -> Markup {
    html! {
        @if tags.is_empty() { p.hint { "No tags." } }
        @else {
            div.table-wrap {
                table {
                    thead { tr { th { "Dimension" } th { "Tag" } th { "Level" } th { "Evidence" } th { "Source" } @if !shell.read_only { th { span.visually-hidden { "Actions" } } } } }
                    tbody {
                        @for t in tags {
                            tr {
                                td { (t.dimension) }
                                td { (t.tag) }
                                td { @if let Some(l) = t.level { (l) } }
                                td { @if let Some(text) = &t.text { "“" (text) "”" } @if t.negated { " (negated)" } }
                                td { (t.source) " · " (t.origin) }
                                @if !shell.read_only {
                                    td {
                                        form.inline-form method="post" action=(format!("/record/{pmid}/tags")) {
                                            (csrf_field(shell))
                                            input type="hidden" name="action" value="remove";
                                            input type="hidden" name="dimension" value=(t.dimension);
                                            input type="hidden" name="tag" value=(t.tag);
                                            button.secondary type="submit" aria-label=(format!("Remove tag {}: {}", t.dimension, t.tag)) { "Remove" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @if !shell.read_only {
            details {
                summary { "Add a tag by hand" }
                form method="post" action=(format!("/record/{pmid}/tags")) {
                    (csrf_field(shell))
                    input type="hidden" name="action" value="add";
                    div.field { label for="dimension" { "Dimension" }
                        select id="dimension" name="dimension" {
                            @for d in ["condition", "outcome", "design", "route", "intervention"] { option value=(d) { (d) } }
                        }
                    }
                    div.field { label for="tag" { "Tag id" } input id="tag" name="tag" type="text" required placeholder="e.g. sciatica"; }
                    div.field { label for="note" { "Note (why)" } input id="note" name="note" type="text" maxlength="500"; }
                    button type="submit" { "Add tag" }
                }
            }
        }
    }
}

/// The manual tag form.
#[derive(Debug, Deserialize)]
pub struct TagForm {
    /// `add` or `remove`.
    #[serde(default)]
    pub action: String,
    /// Dimension id.
    #[serde(default)]
    pub dimension: String,
    /// Tag id.
    #[serde(default)]
    pub tag: String,
    /// Why.
    #[serde(default)]
    pub note: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /record/{pmid}/tags`: a manual decision, as `evcat tag add/remove` records it.
pub async fn set_tag(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    headers: HeaderMap,
    Path(pmid): Path<String>,
    Form(form): Form<TagForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let pmid = parse_pmid(&pmid)?;
    let add = match form.action.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(PageError::BadRequest("a tag is added or removed".into())),
    };
    let who = reviewer(&headers, &state);
    state
        .write(move |ctx| {
            let checked = check_tag(ctx, form.dimension.trim(), form.tag.trim())?;
            let mut store = ctx
                .open_store()
                .map_err(|e| OpsError::Failed(e.to_string()))?;
            set_manual(
                ctx,
                &mut store,
                &ManualTagOptions {
                    pmid,
                    dimension: form.dimension.trim().to_string(),
                    tag: form.tag.trim().to_string(),
                    add,
                    note: Some(form.note.trim().to_string()).filter(|n| !n.is_empty()),
                    reviewer: who,
                },
                checked,
            )
        })
        .await?;
    Ok(Redirect::to(&format!("/record/{pmid}")).into_response())
}
