//! The web workbench (`evcat serve`): server-rendered pages over the same catalogue and the same
//! operations as the command line. Handlers parse a request, call one operation in [`crate::ops`]
//! on a blocking thread and render its result; they hold no SQL and no rules of their own.
//!
//! - [`server`]: starting and stopping: the bind address and its token rule, the runtime,
//!   graceful shutdown on SIGINT/SIGTERM, the request log.
//! - [`app`]: the routes and the state every handler shares.
//! - [`security`]: the token login, CSRF tokens, the reviewer cookie, security headers.
//! - [`html`]: the page shell, forms, pagination and PubMed markup made safe (ammonia).
//! - [`pages`]: one module per page: search, record, claims, article check, evidence map,
//!   catalogue, errors.

pub mod app;
pub mod html;
pub mod pages;
pub mod security;
pub mod server;

pub use server::{ServeOptions, serve};
