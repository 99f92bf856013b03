//! Reference-manager and table export formats, written one record at a time.
//!
//! Every format implements [`RecordWriter`]: `begin` once, `write` per [`ExportRecord`], `end`
//! once, so an export of any size streams in constant memory. [`writer_for`] picks the writer for
//! an [`ExportFormat`] (`evcat export --format ris|bibtex|csl-json|nbib|csv|jsonl`).
//!
//! What goes where, per format, is documented at the top of each format's module:
//! [`ris`], [`bibtex`], [`csl_json`], [`nbib`] and [`table`] (CSV and JSONL).
//!
//! Conventions shared by all formats:
//!
//! - Authors are kept in order; persons as "Last, Fore" (with the suffix where the format has a
//!   place for it), collective (group) authors as one literal name that is never split.
//! - Keywords then MeSH terms form the keyword list; a MeSH heading is written
//!   "Descriptor/qualifier/qualifier" like PubMed's MEDLINE `MH` lines (the `*` major-topic marks
//!   are kept only in NBIB, where they are part of the format).
//! - The evcat tag dimensions `condition`, `outcome`, `design` (with its evidence level), `route`
//!   and `intervention` get their own fields; any other dimension is written as "dim/tag".
//! - Deleted records (tombstones) carry "Deleted from PubMed", retracted ones "RETRACTED" (with
//!   the retraction notice when PubMed names it).
//! - Control characters (C0, DEL, C1, bidirectional overrides) are dropped from RIS, NBIB and
//!   BibTeX values and from CSV cells; CSV cells that would run as spreadsheet formulas are
//!   neutralised (see [`table`]). CSL-JSON and JSONL are data and keep the text as stored.

pub mod bibtex;
pub mod csl_json;
pub mod nbib;
pub mod ris;
pub mod table;

use std::io::{self, Write};

use super::ExportRecord;
use crate::output::text::is_control;
use crate::pubmed::{Abstract, Article, Author, PubDate};

pub use bibtex::bibtex_key;

/// The export formats of `evcat export --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
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

impl ExportFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Ris => "ris",
            ExportFormat::Bibtex => "bib",
            ExportFormat::CslJson => "json",
            ExportFormat::Nbib => "nbib",
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
        }
    }
}

/// A streaming writer of one export format.
pub trait RecordWriter {
    /// Writes what comes before the first record ("[" for CSL-JSON, the header row for CSV);
    /// nothing by default.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
    /// Writes one record.
    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()>;
    /// Writes what comes after the last record ("]" for CSL-JSON); nothing by default.
    fn end(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// The writer of a format.
pub fn writer_for(format: ExportFormat) -> Box<dyn RecordWriter> {
    match format {
        ExportFormat::Ris => Box::new(ris::RisWriter::default()),
        ExportFormat::Bibtex => Box::new(bibtex::BibtexWriter::default()),
        ExportFormat::CslJson => Box::new(csl_json::CslJsonWriter::default()),
        ExportFormat::Nbib => Box::new(nbib::NbibWriter::default()),
        ExportFormat::Csv => Box::new(table::CsvWriter::default()),
        ExportFormat::Jsonl => Box::new(table::JsonlWriter::default()),
    }
}

/// The tag dimensions with fields of their own in every format, in output order.
pub const DEFAULT_DIMENSIONS: [&str; 5] =
    ["condition", "outcome", "design", "route", "intervention"];

/// Collapses line breaks and tabs to single spaces, drops other control characters
/// ([`crate::output::text::is_control`]: a terminal showing the file would obey them) and trims
/// (for line-based formats).
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            space = true;
            continue;
        }
        if is_control(c) {
            continue;
        }
        if space {
            if !out.is_empty() && !out.ends_with(' ') && c != ' ' {
                out.push(' ');
            }
            space = false;
        }
        out.push(c);
    }
    out.trim().to_string()
}

/// A title without PubMed's closing period ("Ozone therapy." → "Ozone therapy"); "?", "!" and an
/// ellipsis stay. Trimmed.
pub(crate) fn title_without_period(title: &str) -> &str {
    let t = title.trim();
    t.strip_suffix('.')
        .filter(|s| !s.ends_with('.'))
        .unwrap_or(t)
        .trim_end()
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A name as the formats need it: a person or a collective (group) name.
pub(crate) enum Name<'a> {
    Person {
        family: &'a str,
        given: Option<&'a str>,
        suffix: Option<&'a str>,
    },
    Literal(&'a str),
}

pub(crate) fn name_of(a: &Author) -> Option<Name<'_>> {
    if let Some(c) = non_empty(&a.collective) {
        return Some(Name::Literal(c));
    }
    let family = non_empty(&a.last)?;
    Some(Name::Person {
        family,
        given: non_empty(&a.fore).or_else(|| non_empty(&a.initials)),
        suffix: non_empty(&a.suffix),
    })
}

/// "Last, Fore" (persons) or the collective name; the suffix is not included.
pub(crate) fn last_comma_fore(a: &Author) -> Option<String> {
    Some(match name_of(a)? {
        Name::Literal(l) => l.to_string(),
        Name::Person {
            family,
            given: Some(g),
            ..
        } => format!("{family}, {g}"),
        Name::Person {
            family,
            given: None,
            ..
        } => family.to_string(),
    })
}

/// The abstract as one text, each section prefixed by its label, sections joined by `sep`.
pub(crate) fn abstract_text(abs: &Abstract, sep: &str) -> String {
    abs.sections
        .iter()
        .map(|s| match non_empty(&s.label) {
            Some(label) => format!("{label}: {}", s.text.trim()),
            None => s.text.trim().to_string(),
        })
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// MeSH headings as "Descriptor/qualifier/qualifier" (no major-topic marks).
pub(crate) fn mesh_terms(a: &Article) -> Vec<String> {
    a.mesh
        .iter()
        .map(|m| {
            let mut s = m.descriptor.clone();
            for q in &m.qualifiers {
                s.push('/');
                s.push_str(&q.name);
            }
            s
        })
        .collect()
}

/// Author keywords, then MeSH terms.
pub(crate) fn keywords_and_mesh(a: &Article) -> Vec<String> {
    let mut out: Vec<String> = a
        .keywords
        .iter()
        .map(|k| one_line(&k.text))
        .filter(|k| !k.is_empty())
        .collect();
    out.extend(mesh_terms(a));
    out
}

/// The PMC id ("PMC1234567").
pub(crate) fn pmcid(a: &Article) -> Option<&str> {
    a.id("pmc").or_else(|| a.id("pmcid"))
}

/// The ISSN: the journal's, else the linking ISSN.
pub(crate) fn issn(a: &Article) -> Option<&str> {
    non_empty(&a.journal.issn).or_else(|| non_empty(&a.journal.issn_linking))
}

/// Month number of a publication date.
pub(crate) fn month_of(d: &PubDate) -> Option<u8> {
    d.month
        .as_deref()
        .and_then(crate::pubmed::model::month_number)
}

/// Day of a publication date.
pub(crate) fn day_of(d: &PubDate) -> Option<u8> {
    d.day
        .as_deref()
        .and_then(|s| s.trim().parse().ok())
        .filter(|d| (1..=31).contains(d))
}

/// First and last page: `StartPage`/`EndPage`, else `MedlinePgn` split at its first hyphen with
/// an abbreviated last page expanded ("401-9" gives 401 and 409, "E115-29" gives E115 and E129).
pub(crate) fn page_range(a: &Article) -> (Option<String>, Option<String>) {
    let p = &a.pagination;
    if let Some(start) = non_empty(&p.start_page) {
        let end = non_empty(&p.end_page)
            .filter(|e| *e != start)
            .map(str::to_string);
        return (Some(start.to_string()), end);
    }
    let Some(pgn) = non_empty(&p.medline_pgn) else {
        return (None, None);
    };
    // Only the first range of "1-5, 7-9".
    let first = pgn.split([',', ';']).next().unwrap_or(pgn).trim();
    match first.split_once('-') {
        Some((s, e)) => (
            Some(s.trim().to_string()),
            Some(expand_end_page(s.trim(), e.trim())),
        ),
        None => (Some(first.to_string()), None),
    }
}

fn expand_end_page(start: &str, end: &str) -> String {
    let digits_at = start.find(|c: char| c.is_ascii_digit());
    let (Some(i), true) = (
        digits_at,
        !end.is_empty() && end.chars().all(|c| c.is_ascii_digit()),
    ) else {
        return end.to_string();
    };
    let (prefix, num) = start.split_at(i);
    if !num.chars().all(|c| c.is_ascii_digit()) || end.len() >= num.len() {
        return format!("{prefix}{end}");
    }
    format!("{prefix}{}{end}", &num[..num.len() - end.len()])
}

/// The warnings every format carries: deletion from PubMed and retraction.
pub(crate) fn warnings(record: &ExportRecord) -> Vec<String> {
    let mut out = Vec::new();
    if record.retracted() {
        let a = &record.stored.article;
        let notice = a
            .comments_corrections
            .iter()
            .find(|c| c.ref_type == "RetractionIn");
        let mut s = "RETRACTED".to_string();
        if let Some(c) = notice {
            let mut parts = Vec::new();
            if let Some(src) = non_empty(&c.ref_source) {
                parts.push(src.to_string());
            }
            if let Some(p) = c.pmid {
                parts.push(format!("PMID {p}"));
            }
            if !parts.is_empty() {
                s.push_str(&format!(" (retraction notice: {})", parts.join(", ")));
            }
        }
        out.push(s);
    }
    if record.stored.deleted {
        out.push("Deleted from PubMed".to_string());
    }
    out
}

/// Tags of one dimension joined by `sep`; the design dimension gets " (level N)" appended to the
/// tag that carries the level.
pub(crate) fn dimension_text(record: &ExportRecord, dimension: &str, sep: &str) -> Option<String> {
    let tags: Vec<String> = record
        .tags
        .iter()
        .filter(|t| t.dimension == dimension)
        .map(|t| match (dimension, t.level) {
            ("design", Some(level)) => format!("{} (level {level})", t.tag),
            _ => t.tag.clone(),
        })
        .collect();
    (!tags.is_empty()).then(|| tags.join(sep))
}

/// Tags of the dimensions without a field of their own, as "dim/tag".
pub(crate) fn other_tags(record: &ExportRecord) -> Vec<String> {
    record
        .tags
        .iter()
        .filter(|t| !DEFAULT_DIMENSIONS.contains(&t.dimension.as_str()))
        .map(|t| format!("{}/{}", t.dimension, t.tag))
        .collect()
}

/// The stance as "claim-id: supports", with the link note in parentheses.
pub(crate) fn stance_text(record: &ExportRecord) -> Option<String> {
    let s = record.stance.as_ref()?;
    let mut out = format!("{}: {}", s.claim, s.stance);
    if let Some(note) = non_empty(&s.note) {
        out.push_str(&format!(" ({})", one_line(note)));
    }
    Some(out)
}

/// The evcat summary "evcat: condition=a, b; outcome=...; design=rct (level 2); stance=claim: supports";
/// `None` without tags and stance.
pub(crate) fn evcat_summary(record: &ExportRecord) -> Option<String> {
    let mut parts = Vec::new();
    for dim in DEFAULT_DIMENSIONS {
        if let Some(t) = dimension_text(record, dim, ", ") {
            parts.push(format!("{dim}={t}"));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for t in &record.tags {
        let d = t.dimension.as_str();
        if DEFAULT_DIMENSIONS.contains(&d) || seen.contains(&d) {
            continue;
        }
        seen.push(d);
        parts.push(format!("{d}={}", record.tags_of(d).join(", ")));
    }
    if let Some(s) = stance_text(record) {
        parts.push(format!("stance={s}"));
    }
    (!parts.is_empty()).then(|| format!("evcat: {}", parts.join("; ")))
}

/// Folds Latin letters with diacritics to ASCII ("García" gives "Garcia", "Straße" "Strasse");
/// other non-ASCII characters are dropped.
pub fn ascii_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let folded = match c {
            'À'..='Å' | 'Ā' | 'Ă' | 'Ą' => "A",
            'à'..='å' | 'ā' | 'ă' | 'ą' => "a",
            'Æ' => "AE",
            'æ' => "ae",
            'Ç' | 'Ć' | 'Č' | 'Ĉ' | 'Ċ' => "C",
            'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
            'Ð' | 'Đ' | 'Ď' => "D",
            'ð' | 'đ' | 'ď' => "d",
            'È'..='Ë' | 'Ē' | 'Ĕ' | 'Ė' | 'Ę' | 'Ě' => "E",
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'Ĝ' | 'Ğ' | 'Ġ' | 'Ģ' => "G",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'Ĥ' | 'Ħ' => "H",
            'ĥ' | 'ħ' => "h",
            'Ì'..='Ï' | 'Ĩ' | 'Ī' | 'Ĭ' | 'Į' | 'İ' => "I",
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'Ĵ' => "J",
            'ĵ' => "j",
            'Ķ' => "K",
            'ķ' => "k",
            'Ĺ' | 'Ļ' | 'Ľ' | 'Ŀ' | 'Ł' => "L",
            'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
            'Ñ' | 'Ń' | 'Ņ' | 'Ň' => "N",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'Ò'..='Ö' | 'Ø' | 'Ō' | 'Ŏ' | 'Ő' => "O",
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'Œ' => "OE",
            'œ' => "oe",
            'Ŕ' | 'Ŗ' | 'Ř' => "R",
            'ŕ' | 'ŗ' | 'ř' => "r",
            'Ś' | 'Ŝ' | 'Ş' | 'Š' | 'Ș' => "S",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ß' => "ss",
            'Ţ' | 'Ť' | 'Ŧ' | 'Ț' => "T",
            'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
            'Þ' => "TH",
            'þ' => "th",
            'Ù'..='Ü' | 'Ũ' | 'Ū' | 'Ŭ' | 'Ů' | 'Ű' | 'Ų' => "U",
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'Ŵ' => "W",
            'ŵ' => "w",
            'Ý' | 'Ÿ' | 'Ŷ' => "Y",
            'ý' | 'ÿ' | 'ŷ' => "y",
            'Ź' | 'Ż' | 'Ž' => "Z",
            'ź' | 'ż' | 'ž' => "z",
            _ => "",
        };
        out.push_str(folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_abbreviated_end_pages() {
        assert_eq!(expand_end_page("401", "9"), "409");
        assert_eq!(expand_end_page("E115", "29"), "E129");
        assert_eq!(expand_end_page("e1001", "e1003"), "e1003");
        assert_eq!(expand_end_page("99", "105"), "105");
    }

    #[test]
    fn folds_to_ascii() {
        assert_eq!(
            ascii_fold("García Núñez Müller Łukasz Straße"),
            "Garcia Nunez Muller Lukasz Strasse"
        );
        assert_eq!(ascii_fold("α-synuclein"), "-synuclein");
    }

    #[test]
    fn one_line_collapses_breaks() {
        assert_eq!(one_line("a\nb\r\n c\t"), "a b c");
        assert_eq!(one_line("a\u{1b}[2J\u{9b}b\u{7f}\u{202e}c"), "a[2Jbc");
    }
}
