//! The `--format` values of every command, in one place: [`TextOrJson`] for the commands that
//! print text or JSON, and an enum of its own only where a command's set differs
//! ([`ShowFormat`], [`FindFormat`], [`MatrixFormat`]). `evcat export`'s formats are the export
//! module's [`crate::export::formats::ExportFormat`].
//!
//! Two commands (`cite`, `summary`) list their values without a description per value in
//! `--help`; they parse through [`text_or_json_parser`] and [`matrix_format_parser`], which
//! accept the same words and keep that help as it is.

use clap::builder::{PossibleValuesParser, TypedValueParser};

/// Text or JSON: the format of most commands' output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    /// Human-readable lines.
    Text,
    /// One JSON object (schema in README).
    Json,
}

/// `text` or `json` as a [`TextOrJson`], listed in `--help` without a description per value.
pub fn text_or_json_parser() -> impl TypedValueParser<Value = TextOrJson> {
    PossibleValuesParser::new(["text", "json"]).map(|s| match s.as_str() {
        "json" => TextOrJson::Json,
        _ => TextOrJson::Text,
    })
}

/// Formats of `evcat show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// Human-readable.
    Text,
    /// JSON object.
    Json,
    /// The original XML.
    Xml,
}

/// Formats of `evcat find`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FindFormat {
    /// Aligned columns.
    Table,
    /// JSON array (schema in README).
    Json,
    /// CSV with a header row.
    Csv,
}

/// Formats of `evcat summary`'s condition-by-outcome matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixFormat {
    /// Aligned columns.
    Table,
    /// CSV with a header row.
    Csv,
    /// JSON array of matrices.
    Json,
    /// Markdown tables.
    Markdown,
}

/// `table`, `csv`, `json` or `markdown` as a [`MatrixFormat`], listed in `--help` without a
/// description per value.
pub fn matrix_format_parser() -> impl TypedValueParser<Value = MatrixFormat> {
    PossibleValuesParser::new(["table", "csv", "json", "markdown"]).map(|s| match s.as_str() {
        "csv" => MatrixFormat::Csv,
        "json" => MatrixFormat::Json,
        "markdown" => MatrixFormat::Markdown,
        _ => MatrixFormat::Table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Probe {
        #[arg(long, value_parser = text_or_json_parser(), default_value = "text")]
        plain: TextOrJson,
        #[arg(long, value_parser = matrix_format_parser(), default_value = "table")]
        matrix: MatrixFormat,
    }

    #[test]
    fn plain_parsers_map_every_word_and_refuse_others() {
        let p = Probe::try_parse_from(["probe"]).unwrap();
        assert_eq!((p.plain, p.matrix), (TextOrJson::Text, MatrixFormat::Table));
        let p =
            Probe::try_parse_from(["probe", "--plain", "json", "--matrix", "markdown"]).unwrap();
        assert_eq!(
            (p.plain, p.matrix),
            (TextOrJson::Json, MatrixFormat::Markdown)
        );
        let p = Probe::try_parse_from(["probe", "--matrix", "csv"]).unwrap();
        assert_eq!(p.matrix, MatrixFormat::Csv);
        let p = Probe::try_parse_from(["probe", "--matrix", "json"]).unwrap();
        assert_eq!(p.matrix, MatrixFormat::Json);
        assert!(Probe::try_parse_from(["probe", "--plain", "xml"]).is_err());
        assert!(Probe::try_parse_from(["probe", "--matrix", "text"]).is_err());
    }
}
