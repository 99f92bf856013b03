//! Who may use the workbench and how a change is proven to come from its own pages.
//!
//! - **Token** (any address other than loopback): every request carries a secret, entered once
//!   on `/login` and kept in an `HttpOnly`, `SameSite=Strict` cookie; without it a page
//!   redirects to the login form and anything else gets 401.
//! - **CSRF**: each browser gets a random token in a `SameSite=Strict` cookie; every form carries
//!   it in a hidden field and every POST handler checks the two agree ([`check_csrf`]), in
//!   constant time. A POST from another origin (its `Origin` header names another host) is
//!   refused before that.
//! - **Reviewer**: the name a browser reviews under, asked once and kept in a cookie; it
//!   defaults to the configured reviewer.
//! - **Headers** on every response: `Content-Security-Policy: default-src 'self';
//!   frame-ancestors 'none'` (no inline script or style), `X-Content-Type-Options: nosniff`,
//!   `Referrer-Policy: no-referrer`, `X-Frame-Options: DENY`.

use axum::Form;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::app::{AppState, PageError};
use super::html;

const TOKEN_COOKIE: &str = "evcat_token";
const CSRF_COOKIE: &str = "evcat_csrf";
const REVIEWER_COOKIE: &str = "evcat_reviewer";

/// The value of cookie `name` in a request's headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn random_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The security headers, on every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// This browser's CSRF token (from its cookie, or new).
#[derive(Debug, Clone)]
pub struct CsrfToken {
    /// The token every form of the page carries.
    pub value: String,
    /// Whether the browser sent it (a POST without the cookie proves nothing).
    pub from_cookie: bool,
}

/// Gives every request its browser's CSRF token; sets the cookie on a browser that has none.
/// A POST whose `Origin` names another host is refused here.
pub async fn csrf_cookie(mut request: Request, next: Next) -> Response {
    if request.method() == Method::POST && !same_origin(request.headers()) {
        return PageError::Forbidden(
            "this form was sent from another site; evcat accepts changes only from its own pages"
                .into(),
        )
        .into_response();
    }
    let existing = cookie(request.headers(), CSRF_COOKIE).filter(|v| v.len() == 32);
    let token = CsrfToken {
        value: existing.clone().unwrap_or_else(random_token),
        from_cookie: existing.is_some(),
    };
    request.extensions_mut().insert(token.clone());
    let mut response = next.run(request).await;
    if !token.from_cookie
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{CSRF_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
            token.value
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// Whether a request's `Origin` (when it names one) is the host it was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    // (A browser sends "null" under `Referrer-Policy: no-referrer`, as every page here has:
    // then the CSRF token alone decides.)
    let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
    else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    origin
        .split_once("://")
        .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host)
}

/// Checks a form's CSRF field against the browser's cookie.
pub fn check_csrf(token: &CsrfToken, field: &str) -> Result<(), PageError> {
    if !token.from_cookie || field.is_empty() || !same(&token.value, field) {
        return Err(PageError::Forbidden(
            "this form's security token is missing or out of date: reload the page and send it again"
                .into(),
        ));
    }
    Ok(())
}

/// Requires the token cookie when the server has a token; `/login`, `/healthz` and the assets
/// are open.
pub async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let Some(token) = &state.token else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if path == "/login" || path == "/healthz" || path.starts_with("/assets/") {
        return next.run(request).await;
    }
    if cookie(request.headers(), TOKEN_COOKIE).is_some_and(|c| same(&c, token)) {
        return next.run(request).await;
    }
    if request.method() == Method::GET {
        let target = request
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        let query = serde_urlencoded::to_string([("next", target)]).unwrap_or_default();
        return Redirect::to(&format!("/login?{query}")).into_response();
    }
    super::pages::errors::error_page(
        StatusCode::UNAUTHORIZED,
        "this workbench needs its access token: open /login first",
    )
}

/// Query of the login page.
#[derive(Debug, Deserialize, Default)]
pub struct LoginQuery {
    /// Where to go after logging in.
    #[serde(default)]
    pub next: Option<String>,
}

/// A path of this site to go back to ("/claims?verdict=supported"), never another site.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<LoginQuery>,
) -> Response {
    if state.token.is_none() {
        return Redirect::to("/").into_response();
    }
    html::login_page(&local_path(query.next.as_deref()), None).into_response()
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// The token typed.
    #[serde(default)]
    pub token: String,
    /// Where to go next.
    #[serde(default)]
    pub next: Option<String>,
}

/// `POST /login`: a right token sets the cookie and goes on; a wrong one shows the form again.
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let next = local_path(form.next.as_deref());
    let Some(token) = &state.token else {
        return Redirect::to("/").into_response();
    };
    if !same(form.token.trim(), token) {
        let mut page =
            html::login_page(&next, Some("That is not this workbench's token.")).into_response();
        *page.status_mut() = StatusCode::UNAUTHORIZED;
        return page;
    }
    let mut response = Redirect::to(&next).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The reviewer this browser named, else the server's default.
pub fn reviewer(headers: &HeaderMap, state: &AppState) -> Option<String> {
    cookie(headers, REVIEWER_COOKIE)
        .and_then(|v| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("r={v}"))
                .ok()
                .and_then(|pairs| pairs.into_iter().next().map(|(_, r)| r))
        })
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .or_else(|| state.default_reviewer.clone())
}

/// The reviewer form.
#[derive(Debug, Deserialize)]
pub struct ReviewerForm {
    /// The name.
    #[serde(default)]
    pub reviewer: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// The page to go back to.
    #[serde(default)]
    pub next: Option<String>,
}

/// Longest reviewer name, in characters.
pub const MAX_REVIEWER_CHARS: usize = 100;

/// `POST /reviewer`: remembers the reviewer's name in this browser.
pub async fn set_reviewer(
    axum::Extension(csrf): axum::Extension<CsrfToken>,
    Form(form): Form<ReviewerForm>,
) -> Result<Response, PageError> {
    check_csrf(&csrf, &form.csrf)?;
    let name = form.reviewer.trim();
    if name.is_empty()
        || name.chars().count() > MAX_REVIEWER_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(PageError::BadRequest(format!(
            "a reviewer's name is 1 to {MAX_REVIEWER_CHARS} characters, without control characters"
        )));
    }
    let encoded = serde_urlencoded::to_string([("r", name)]).unwrap_or_default();
    let value = encoded.trim_start_matches("r=");
    let mut response = Redirect::to(&local_path(form.next.as_deref())).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{REVIEWER_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Strict"
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(response)
}
