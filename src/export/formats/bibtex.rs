//! BibTeX / biblatex export (UTF-8; biber and the `biblatex` crate read UTF-8 directly, so
//! non-ASCII letters are written as they are).
//!
//! | field | BibTeX field |
//! |---|---|
//! | type | `@article`; a book record is `@incollection` |
//! | key | [`bibtex_key`]: "magalhaes2012ozone-22430658" (first author, year, first significant title word, PMID) |
//! | authors, in order | `author`: "Last, Fore" / "Last, Jr, Fore" joined by " and "; a collective name braced ("{SCIATICA-PRAG Trial Investigators}") so it is never split or abbreviated |
//! | editors (book) | `editor` |
//! | title | `title`, the whole title in double braces (`{{...}}`) so styles keep its capitals; PubMed's closing period is dropped (a final "?" or "!" stays) |
//! | journal | `journal`: the full title in title case ("Pain Physician" for PubMed's "Pain physician", see [`journal_title_case`](crate::export::journal_title_case); biber reads it as `journaltitle`); `shortjournal` ISO abbreviation |
//! | book | `booktitle`, `publisher`, `address`, `edition`, `series`, `isbn` |
//! | year | `year` (a `MedlineDate` gives its first year), `month` as a month macro (`mar`) when known |
//! | volume, issue, pages | `volume`, `number`, `pages` ("E115--E129") |
//! | DOI, PMID, PMCID | `doi`, `pmid`, `pmcid`; also `eprinttype = {pubmed}`, `eprint` (biblatex's standard PubMed link) |
//! | ISSN | `issn` |
//! | abstract | `abstract`, section labels kept ("BACKGROUND: ... METHODS: ...") |
//! | keywords and MeSH | `keywords`: keywords then MeSH "Descriptor/qualifier", comma-separated; a term containing a comma is braced |
//! | language | `language` (PubMed's ISO 639-2 codes, comma-separated) |
//! | publication types | `evcat-pubtype` (comma-separated; BibTeX has no field for them) |
//! | tags | `evcat-condition`, `evcat-outcome`, `evcat-design`, `evcat-level`, `evcat-route`, `evcat-intervention` (several tags comma-separated), `evcat-tags` ("dim/tag" for other dimensions) |
//! | claim stance | `evcat-stance` "claim-id: supports (note)" |
//! | retraction / deletion | `note`: "RETRACTED (retraction notice: ...)", "Deleted from PubMed" |
//!
//! Field values are braced; the characters `{ } \ % & $ # _ ~ ^` are escaped (`\%`, `\&`,
//! `\textbraceleft{}`, `\textbackslash{}`, `\textasciitilde{}`, ...), so every value's braces
//! balance even when counted literally (as BibTeX and biber count them) and nothing is read as a
//! LaTeX command. biblatex (with biber) accepts the `evcat-*`, `pmid` and `pmcid`
//! fields as unknown fields and keeps them; BibTeX ignores them.

use std::io::{self, Write};

use super::{
    Name, RecordWriter, abstract_text, ascii_fold, issn, keywords_and_mesh, month_of, name_of,
    one_line, other_tags, page_range, pmcid, stance_text, warnings,
};
use crate::export::{ExportRecord, journal_title_case};
use crate::pubmed::{Article, Author};

/// Writes BibTeX.
#[derive(Debug, Default)]
pub struct BibtexWriter {
    _private: (),
}

const STOPWORDS: [&str; 27] = [
    "a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "with", "by", "from", "as",
    "is", "are", "was", "were", "be", "its", "into", "versus", "vs", "via", "do", "does",
];

fn key_part(s: &str) -> String {
    ascii_fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The citation key of a record: first author's last name (a collective author: the first word
/// of the group name; no author: "anon"), ASCII-folded and lower-cased; the year ("nd" without
/// one); the first significant word of the title; and the PMID, which makes the key unique:
/// "magalhaes2012ozone-22430658". The key depends only on the record, so it is stable across
/// exports.
pub fn bibtex_key(record: &Article) -> String {
    let author = record
        .authors
        .iter()
        .find_map(|a| match name_of(a)? {
            Name::Literal(l) => Some(key_part(l.split_whitespace().next().unwrap_or(""))),
            Name::Person { family, .. } => Some(key_part(family)),
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "anon".to_string());
    let year = record
        .year()
        .map(|y| y.to_string())
        .unwrap_or_else(|| "nd".to_string());
    let folded = ascii_fold(&record.title.text).to_ascii_lowercase();
    let word = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| !w.is_empty() && !STOPWORDS.contains(w))
        .unwrap_or("");
    format!("{author}{year}{word}-{}", record.pmid)
}

/// Escapes LaTeX's special characters; the result has balanced braces.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in one_line(s).chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            // Not `\{`: BibTeX counts every brace, escaped or not, when it matches them.
            '{' => out.push_str("\\textbraceleft{}"),
            '}' => out.push_str("\\textbraceright{}"),
            '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            _ => out.push(c),
        }
    }
    out
}

fn bib_name(a: &Author) -> Option<String> {
    Some(match name_of(a)? {
        Name::Literal(l) => format!("{{{}}}", escape(l)),
        Name::Person {
            family,
            given,
            suffix,
        } => {
            // A family name with a space would be split by BibTeX ("Ngnitewe Massa"): the
            // "Last, First" form keeps it whole; lower-case particles stay as written.
            let mut s = escape(family);
            if let Some(x) = suffix {
                s.push_str(", ");
                s.push_str(&escape(x));
            }
            if let Some(g) = given {
                s.push_str(", ");
                s.push_str(&escape(g));
            }
            s
        }
    })
}

fn names(list: &[Author]) -> Option<String> {
    let v: Vec<String> = list.iter().filter_map(bib_name).collect();
    (!v.is_empty()).then(|| v.join(" and "))
}

fn field(out: &mut dyn Write, name: &str, value: &str) -> io::Result<()> {
    if value.trim().is_empty() {
        return Ok(());
    }
    writeln!(out, "  {name} = {{{value}}},")
}

fn text_field(out: &mut dyn Write, name: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(v) => field(out, name, &escape(v)),
        None => Ok(()),
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

impl RecordWriter for BibtexWriter {
    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()> {
        let a = &record.stored.article;
        let book = a.book.as_ref();
        let kind = if book.is_some() {
            "incollection"
        } else {
            "article"
        };
        writeln!(out, "@{kind}{{{},", bibtex_key(a))?;
        if let Some(n) = names(&a.authors) {
            field(out, "author", &n)?;
        }
        if let Some(n) = book.and_then(|b| names(&b.editors)) {
            field(out, "editor", &n)?;
        }
        let title = escape(super::title_without_period(&a.title.text));
        if !title.is_empty() {
            field(out, "title", &format!("{{{title}}}"))?;
        }
        match book {
            Some(b) => {
                text_field(out, "booktitle", b.title.as_deref())?;
                text_field(out, "publisher", b.publisher.as_deref())?;
                text_field(out, "address", b.publisher_location.as_deref())?;
                text_field(out, "edition", b.edition.as_deref())?;
                text_field(out, "series", b.collection_title.as_deref())?;
                text_field(out, "volume", b.volume.as_deref())?;
                if !b.isbn.is_empty() {
                    field(out, "isbn", &escape(&b.isbn.join(", ")))?;
                }
            }
            None => {
                let journal = a.journal.title.as_deref().map(journal_title_case);
                text_field(out, "journal", journal.as_deref())?;
                text_field(out, "shortjournal", a.journal.iso_abbrev.as_deref())?;
            }
        }
        if let Some(y) = a.year() {
            field(out, "year", &y.to_string())?;
        }
        if let Some(m) = month_of(a.pub_date()) {
            writeln!(out, "  month = {},", MONTHS[usize::from(m) - 1])?;
        }
        if book.is_none() {
            text_field(out, "volume", a.journal.volume.as_deref())?;
            text_field(out, "number", a.journal.issue.as_deref())?;
        }
        let pages = match page_range(a) {
            (Some(s), Some(e)) => Some(format!("{s}--{e}")),
            (Some(s), None) => Some(s),
            _ => None,
        };
        text_field(out, "pages", pages.as_deref())?;
        if book.is_none() {
            text_field(out, "issn", issn(a))?;
        }
        text_field(out, "doi", a.doi())?;
        field(out, "pmid", &a.pmid.to_string())?;
        text_field(out, "pmcid", pmcid(a))?;
        field(out, "eprinttype", "pubmed")?;
        field(out, "eprint", &a.pmid.to_string())?;
        if !a.languages.is_empty() {
            field(out, "language", &escape(&a.languages.join(", ")))?;
        }
        if let Some(abs) = &a.abstract_ {
            field(out, "abstract", &escape(&abstract_text(abs, " ")))?;
        }
        let keywords: Vec<String> = keywords_and_mesh(a)
            .iter()
            .map(|k| {
                if k.contains(',') {
                    format!("{{{}}}", escape(k))
                } else {
                    escape(k)
                }
            })
            .collect();
        if !keywords.is_empty() {
            field(out, "keywords", &keywords.join(", "))?;
        }
        let types: Vec<&str> = a
            .publication_types
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        if !types.is_empty() {
            field(out, "evcat-pubtype", &escape(&types.join(", ")))?;
        }
        for dim in ["condition", "outcome"] {
            text_field(
                out,
                &format!("evcat-{dim}"),
                record.tags_of(dim).join(", ").as_str().into(),
            )?;
        }
        if let Some((design, level)) = record.design() {
            let all = record.tags_of("design").join(", ");
            text_field(
                out,
                "evcat-design",
                Some(if all.is_empty() { design } else { &all }),
            )?;
            if let Some(l) = level {
                field(out, "evcat-level", &l.to_string())?;
            }
        }
        for dim in ["route", "intervention"] {
            text_field(
                out,
                &format!("evcat-{dim}"),
                record.tags_of(dim).join(", ").as_str().into(),
            )?;
        }
        let other = other_tags(record);
        if !other.is_empty() {
            field(out, "evcat-tags", &escape(&other.join(", ")))?;
        }
        text_field(out, "evcat-stance", stance_text(record).as_deref())?;
        let notes = warnings(record);
        if !notes.is_empty() {
            field(out, "note", &escape(&notes.join(". ")))?;
        }
        writeln!(out, "}}")?;
        writeln!(out)
    }
}
