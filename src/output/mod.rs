//! Output that an attacker may have shaped: files written atomically without ever following a
//! symlink ([`file`]), and text made safe for terminals, spreadsheets and Markdown ([`text`]).

pub mod file;
pub mod text;
