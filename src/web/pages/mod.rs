//! One module per page of the workbench. Each handler reads its request, calls one operation
//! through [`AppState::run`] or [`AppState::write`], and renders the result with [`super::html`].

pub mod assets;
pub mod catalogue;
pub mod check;
pub mod claims;
pub mod errors;
pub mod map;
pub mod record;
pub mod search;

use axum::http::{HeaderMap, Uri};

use super::app::AppState;
use super::html::Shell;
use super::security::{CsrfToken, reviewer};

/// The shell of a page for this request.
pub fn shell(state: &AppState, csrf: &CsrfToken, headers: &HeaderMap, uri: &Uri) -> Shell {
    Shell {
        csrf: csrf.value.clone(),
        reviewer: reviewer(headers, state),
        read_only: state.read_only,
        here: uri.path_and_query().map_or("/", |p| p.as_str()).to_string(),
    }
}
