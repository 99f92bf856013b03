//! The page shell every page shares (title, navigation, the reviewer's name, the stylesheet and
//! script embedded in the binary), small pieces of forms, pagination, and PubMed's inline markup
//! made safe to show.
//!
//! Every value reaches a page through maud, which escapes it; the only HTML not written here is
//! PubMed's own markup of titles and abstracts, which [`pubmed_markup`] passes through a
//! whitelist (`sub`, `sup`, `i`, `b`, `u`; no attributes), everything else escaped or dropped.

use std::collections::HashSet;
use std::sync::LazyLock;

use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// What the shell of a page needs to know about the request.
#[derive(Debug, Clone, Default)]
pub struct Shell {
    /// This browser's CSRF token, for the forms.
    pub csrf: String,
    /// Who this browser reviews as.
    pub reviewer: Option<String>,
    /// No forms.
    pub read_only: bool,
    /// This page's path and query (to come back to after a form).
    pub here: String,
}

/// The sections of the navigation: (path, label).
const NAV: &[(&str, &str)] = &[
    ("/", "Search"),
    ("/claims", "Claims"),
    ("/check", "Check an article"),
    ("/map", "Evidence map"),
    ("/catalogue", "Catalogue"),
];

/// A whole page: `title`, the navigation with `section` current, and `body`.
pub fn page(title: &str, section: &str, shell: &Shell, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, true))
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "evcat" }
                    nav aria-label="Sections" {
                        ul {
                            @for (path, label) in NAV {
                                li {
                                    @if *path == section {
                                        a href=(path) aria-current="page" { (label) }
                                    } @else {
                                        a href=(path) { (label) }
                                    }
                                }
                            }
                        }
                    }
                    (reviewer_box(shell))
                }
                main id="main" { (body) }
                footer.bottom {
                    p { "evcat workbench · evidence from PubMed records in this catalogue" }
                }
            }
        }
    };
    Html(markup.into_string()).into_response()
}

fn reviewer_box(shell: &Shell) -> Markup {
    if shell.read_only {
        return html! { p.reviewer { "Read-only" } };
    }
    html! {
        form.reviewer method="post" action="/reviewer" {
            (csrf_field(shell))
            input type="hidden" name="next" value=(shell.here);
            label for="reviewer-name" { "Reviewer" }
            input id="reviewer-name" name="reviewer" type="text" maxlength="100" required
                value=[shell.reviewer.as_deref()] placeholder="Your name";
            button type="submit" { "Save" }
        }
    }
}

/// The hidden CSRF field every form carries.
pub fn csrf_field(shell: &Shell) -> Markup {
    html! { input type="hidden" name="csrf" value=(shell.csrf); }
}

/// A field's error, shown beside it (with the id the field's `aria-describedby` names).
pub fn field_error(id: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error {
            p.field-error id=(id) role="alert" { (e) }
        }
    }
}

/// A query string from pairs, empty values left out ("?q=ozone&page=2").
pub fn query_string(pairs: &[(&str, String)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    format!("?{}", serde_urlencoded::to_string(kept).unwrap_or_default())
}

/// Links to the pages of a list: previous, "page N of M", next.
pub fn pagination(base: &[(&str, String)], page: usize, per_page: usize, total: u64) -> Markup {
    section_pagination(base, ("page", ""), page, per_page, total, "Pages")
}

/// [`pagination`] of one of several lists on a page: the page number goes in the query
/// parameter `param.0`, and the links lead to the list's anchor `param.1` (e.g. `#log`); `label`
/// names the list for screen readers.
pub fn section_pagination(
    base: &[(&str, String)],
    param: (&'static str, &str),
    page: usize,
    per_page: usize,
    total: u64,
    label: &str,
) -> Markup {
    let pages = (total as usize).div_ceil(per_page.max(1)).max(1);
    let link = |n: usize| {
        // (The page number replaces the list's own parameter where it stands, if it does.)
        let mut pairs = base.to_vec();
        match pairs.iter_mut().find(|(k, _)| *k == param.0) {
            Some(own) => own.1 = n.to_string(),
            None => pairs.push((param.0, n.to_string())),
        }
        format!("{}{}", query_string(&pairs), param.1)
    };
    html! {
        @if pages > 1 {
            nav.pagination aria-label=(label) {
                @if page > 1 { a rel="prev" href=(link(page - 1)) { "← Previous" } }
                span { "Page " (page) " of " (pages) }
                @if page < pages { a rel="next" href=(link(page + 1)) { "Next →" } }
            }
        }
    }
}

static MARKUP_CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    b.tags(HashSet::from(["sub", "sup", "i", "b", "u"]));
    b.clean_content_tags(HashSet::from(["script", "style"]));
    b
});

/// PubMed's inline markup (`markup`, as the record wrote it) with only `sub`, `sup`, `i`, `b`,
/// `u` kept; the plain `text` when the record had none.
pub fn pubmed_markup(text: &str, markup: Option<&str>) -> Markup {
    match markup {
        Some(m) => PreEscaped(MARKUP_CLEANER.clean(m).to_string()),
        None => html! { (text) },
    }
}

/// A page's `head`: its title, the stylesheet and (for pages with forms) the script.
fn head(title: &str, script: bool) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · evcat" }
            link rel="stylesheet" href="/assets/style.css";
            @if script { script src="/assets/app.js" defer {} }
        }
    }
}

/// A page without the navigation (sign-in, errors): `title` as its heading, then `body`.
pub fn bare_page(title: &str, body: Markup) -> Html<String> {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, false))
            body {
                main id="main" .narrow {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    Html(markup.into_string())
}

/// The login form of a workbench with a token.
pub fn login_page(next: &str, error: Option<&str>) -> Html<String> {
    bare_page(
        "evcat workbench",
        html! {
            p { "This workbench is shared on the network. Enter its access token (the secret in the file given to "
                code { "--token-file" } ")." }
            form method="post" action="/login" {
                input type="hidden" name="next" value=(next);
                label for="token" { "Access token" }
                input id="token" name="token" type="password" required autocomplete="current-password"
                    aria-describedby=[error.map(|_| "token-error")];
                (field_error("token-error", error))
                button type="submit" { "Sign in" }
            }
        },
    )
}
