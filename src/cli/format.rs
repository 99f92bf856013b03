//! The `--format` values of every command, in one place: [`TextOrJson`] for the commands that
//! print text or JSON, and an enum of its own only where a command's set differs
//! ([`ShowFormat`], [`FindFormat`], [`MatrixFormat`]). `evcat export --format` and the
//! `--style` of `cite` and `report` mirror the library's [`ExportFormat`] and [`CitationStyle`]
//! ([`ExportFormatArg`], [`CitationStyleArg`]), so that the library knows nothing of clap; their
//! `From` impls match every variant, so a variant added to the library enum fails to compile
//! until it is added here.
//!
//! Two commands (`cite`, `summary`) list their values without a description per value in
//! `--help`; they parse through [`text_or_json_parser`] and [`matrix_format_parser`], which
//! accept the same words and keep that help as it is.

use clap::builder::{PossibleValuesParser, TypedValueParser};

use crate::export::cite::CitationStyle;
use crate::export::formats::ExportFormat;

/// Text or JSON: the format of most commands' output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    /// Human-readable lines.
    Text,
    /// JSON (schema in README).
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
    /// Aligned columns (`table` is still accepted).
    #[value(name = "text", alias = "table")]
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

/// `text` (aligned columns; `table` is still accepted), `csv`, `json` or `markdown` as a
/// [`MatrixFormat`], listed in `--help` without a description per value.
pub fn matrix_format_parser() -> impl TypedValueParser<Value = MatrixFormat> {
    use clap::builder::PossibleValue;
    PossibleValuesParser::new([
        PossibleValue::new("text").alias("table"),
        PossibleValue::new("csv"),
        PossibleValue::new("json"),
        PossibleValue::new("markdown"),
    ])
    .map(|s| match s.as_str() {
        "csv" => MatrixFormat::Csv,
        "json" => MatrixFormat::Json,
        "markdown" => MatrixFormat::Markdown,
        _ => MatrixFormat::Table,
    })
}

/// The export formats of `evcat export --format` ([`ExportFormat`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormatArg {
    /// RIS (Research Information Systems), for EndNote, Zotero, Mendeley, Rayyan.
    Ris,
    /// BibTeX / biblatex (UTF-8).
    Bibtex,
    /// CSL-JSON (citeproc input; Zotero, Pandoc), an array of items.
    CslJson,
    /// PubMed's MEDLINE text format as downloaded from PubMed ("Citation manager", `.nbib`).
    Nbib,
    /// CSV with a header row, one record per row.
    Csv,
    /// JSON Lines: one JSON object per record.
    Jsonl,
}

impl From<ExportFormatArg> for ExportFormat {
    fn from(arg: ExportFormatArg) -> ExportFormat {
        match arg {
            ExportFormatArg::Ris => ExportFormat::Ris,
            ExportFormatArg::Bibtex => ExportFormat::Bibtex,
            ExportFormatArg::CslJson => ExportFormat::CslJson,
            ExportFormatArg::Nbib => ExportFormat::Nbib,
            ExportFormatArg::Csv => ExportFormat::Csv,
            ExportFormatArg::Jsonl => ExportFormat::Jsonl,
        }
    }
}

impl From<ExportFormat> for ExportFormatArg {
    fn from(format: ExportFormat) -> ExportFormatArg {
        match format {
            ExportFormat::Ris => ExportFormatArg::Ris,
            ExportFormat::Bibtex => ExportFormatArg::Bibtex,
            ExportFormat::CslJson => ExportFormatArg::CslJson,
            ExportFormat::Nbib => ExportFormatArg::Nbib,
            ExportFormat::Csv => ExportFormatArg::Csv,
            ExportFormat::Jsonl => ExportFormatArg::Jsonl,
        }
    }
}

/// The citation styles of `--style` ([`CitationStyle`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CitationStyleArg {
    /// NLM/Vancouver (Citing Medicine 2nd ed.), as PubMed cites.
    Vancouver,
    /// AMA Manual of Style 11th ed.
    Ama,
    /// APA 7th ed.
    Apa,
    /// Harvard (Cite Them Right 12th ed.).
    Harvard,
}

impl From<CitationStyleArg> for CitationStyle {
    fn from(arg: CitationStyleArg) -> CitationStyle {
        match arg {
            CitationStyleArg::Vancouver => CitationStyle::Vancouver,
            CitationStyleArg::Ama => CitationStyle::Ama,
            CitationStyleArg::Apa => CitationStyle::Apa,
            CitationStyleArg::Harvard => CitationStyle::Harvard,
        }
    }
}

impl From<CitationStyle> for CitationStyleArg {
    fn from(style: CitationStyle) -> CitationStyleArg {
        match style {
            CitationStyle::Vancouver => CitationStyleArg::Vancouver,
            CitationStyle::Ama => CitationStyleArg::Ama,
            CitationStyle::Apa => CitationStyleArg::Apa,
            CitationStyle::Harvard => CitationStyleArg::Harvard,
        }
    }
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
        let p = Probe::try_parse_from(["probe", "--matrix", "text"]).unwrap();
        assert_eq!(p.matrix, MatrixFormat::Table);
        assert!(Probe::try_parse_from(["probe", "--matrix", "xml"]).is_err());
    }

    #[test]
    fn mirrored_enums_map_every_library_variant_both_ways() {
        use clap::ValueEnum;
        for arg in ExportFormatArg::value_variants() {
            assert_eq!(ExportFormatArg::from(ExportFormat::from(*arg)), *arg);
        }
        for style in CitationStyle::ALL {
            assert_eq!(CitationStyle::from(CitationStyleArg::from(style)), style);
        }
        let names: Vec<String> = ExportFormatArg::value_variants()
            .iter()
            .map(|v| v.to_possible_value().unwrap().get_name().to_string())
            .collect();
        assert_eq!(names, ["ris", "bibtex", "csl-json", "nbib", "csv", "jsonl"]);
        assert_eq!(
            ExportFormat::from(ExportFormatArg::CslJson).extension(),
            "json"
        );
    }
}
