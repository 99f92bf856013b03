//! Error pages: 404 for unknown routes and records, the page every [`super::super::app::PageError`]
//! renders, and a layer that gives the plain-text refusals of the HTTP layer (a body too large,
//! a form that cannot be read) a page of their own.

use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use maud::html;

use crate::web::html::bare_page;

use crate::claims::audit::MAX_ARTICLE_BYTES;

/// A page saying what went wrong, with `status`.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::BAD_REQUEST => "Cannot do that",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::UNAUTHORIZED => "Sign in first",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        StatusCode::SERVICE_UNAVAILABLE => "Busy",
        _ => "Something went wrong",
    };
    let body = html! {
        p.error-message role="alert" { (message) }
        p { a href="/" { "Back to search" } " · " a href="/claims" { "Claims" } }
    };
    (status, bare_page(title, body)).into_response()
}

/// The fallback: no page at this address.
pub async fn not_found() -> Response {
    error_page(
        StatusCode::NOT_FOUND,
        "There is no page at this address. Search the catalogue, or open a record by its PMID.",
    )
}

/// Replaces a plain-text error response of the HTTP layer with an error page.
pub async fn error_pages(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !(status.is_client_error() || status.is_server_error()) || is_html {
        return response;
    }
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "What was sent is too large: an article may be at most {} MB, a form 64 KB.",
            MAX_ARTICLE_BYTES / (1024 * 1024)
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            "This address does not take that kind of request (a read-only workbench takes no changes)."
                .to_string()
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            "The form could not be read: send it again from the page.".to_string()
        }
        _ => "The request could not be served.".to_string(),
    };
    error_page(status, &message)
}
