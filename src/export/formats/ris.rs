//! RIS (Research Information Systems) export, following the RIS specification (RefMan, 2011)
//! tags and reference types; one `TAG  - value` line per field, `ER  - ` ends a record, a blank
//! line separates records. Lines end in LF; text is UTF-8 without a byte-order mark. Line breaks
//! inside values (abstracts) are folded to spaces, since RIS values are single lines.
//!
//! | field | RIS tag |
//! |---|---|
//! | type | `TY` `JOUR` (journal article) or `CHAP` (book record: book section) |
//! | authors, in order | `AU` "Last, Fore" or "Last, Fore, Suffix"; a collective name as written |
//! | editors (book) | `A2` "Last, Fore" |
//! | title | `TI` (plain text) |
//! | journal / book title | `T2` (journal full title in title case: "Pain Physician" for PubMed's "Pain physician", see [`journal_title_case`](crate::export::journal_title_case); for `CHAP` the book title), `T3` series |
//! | ISO abbreviation | `J2` |
//! | year / date | `PY` year; `DA` "YYYY/MM/DD/" with the raw `MedlineDate` or season in the "other" part ("1998///1998 Dec-1999 Jan") |
//! | volume, issue, pages | `VL`, `IS`, `SP`/`EP` (abbreviated end pages expanded: "401-9" gives 401, 409) |
//! | publisher, place, edition (book) | `PB`, `CY`, `ET` |
//! | DOI, PMID, PMCID, NIHMSID | `DO`; `AN` (accession number) with `DB  - PubMed`, `UR` PubMed URL; `C2` (the spec's "PMCID" for `JOUR`); `C6` (the spec's "NIHMSID") |
//! | ISSN / ISBN | `SN` |
//! | abstract | `AB`, section labels kept ("BACKGROUND: ... METHODS: ...") |
//! | keywords and MeSH | `KW`, one per keyword then one per MeSH heading "Descriptor/qualifier" |
//! | language | `LA` (PubMed's ISO 639-2 code, one line per language) |
//! | publication types | `M3` ("Type of Work"), joined by "; " |
//! | condition tags | `C1` |
//! | outcome tags | `C3` |
//! | design tag and level | `C4` "rct (level 2)" |
//! | intervention tags | `C5` |
//! | route tags | `C8` |
//! | claim stance | `N1` "evcat stance: claim-id: supports (note)" |
//! | other tag dimensions | `N1` "evcat tags: dim/tag; dim/tag" |
//! | retraction / deletion | `N1` "RETRACTED (retraction notice: ...)" / "Deleted from PubMed" |
//!
//! Custom fields: the RIS specification gives `C1`..`C8` type-specific meanings. For `JOUR`,
//! `C1` is "Legal Note", `C2` "PMCID", `C6` "NIHMSID", `C7` "Article Number", and `C3`, `C4`,
//! `C5`, `C8` are unused; for `CHAP`, `C1` is "Section", `C3` "Title Prefix", `C4` "Reviewer",
//! `C5` "Packaging Method". So `C2` and `C6` keep the PMCID and NIHMSID (EndNote and other
//! readers expect them there), `C7` is left alone, and tags use `C1`, `C3`, `C4`, `C5`, `C8` (the same slots for both
//! types; a reader that shows the spec's labels will show them under those labels). RIS has
//! only eight custom fields and none left for the stance, which goes into a note (`N1`). Several
//! tags of one dimension are joined by "; " in one field.

use std::io::{self, Write};

use super::{
    Name, RecordWriter, abstract_text, day_of, dimension_text, issn, keywords_and_mesh, month_of,
    name_of, one_line, other_tags, page_range, pmcid, stance_text, warnings,
};
use crate::export::{ExportRecord, journal_title_case};
use crate::pubmed::{Author, PubDate};

/// Writes RIS.
#[derive(Debug, Default)]
pub struct RisWriter {
    _private: (),
}

fn line(out: &mut dyn Write, tag: &str, value: &str) -> io::Result<()> {
    let value = one_line(value);
    if value.is_empty() {
        return Ok(());
    }
    writeln!(out, "{tag}  - {value}")
}

fn opt(out: &mut dyn Write, tag: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(v) => line(out, tag, v),
        None => Ok(()),
    }
}

/// "Last, Fore, Suffix" for persons, the collective name as written.
fn ris_name(a: &Author) -> Option<String> {
    Some(match name_of(a)? {
        Name::Literal(l) => l.to_string(),
        Name::Person {
            family,
            given,
            suffix,
        } => {
            let mut s = family.to_string();
            if given.is_some() || suffix.is_some() {
                s.push_str(", ");
                s.push_str(given.unwrap_or(""));
            }
            if let Some(x) = suffix {
                s.push_str(", ");
                s.push_str(x);
            }
            s
        }
    })
}

/// RIS `DA`: "YYYY/MM/DD/other".
fn ris_date(d: &PubDate, year: Option<i32>) -> Option<String> {
    let year = d.year.or(year)?;
    let month = month_of(d).map(|m| format!("{m:02}")).unwrap_or_default();
    let day = day_of(d).map(|x| format!("{x:02}")).unwrap_or_default();
    let other = d.raw.as_deref().or(d.season.as_deref()).unwrap_or("");
    Some(format!("{year:04}/{month}/{day}/{other}"))
}

impl RecordWriter for RisWriter {
    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()> {
        let a = &record.stored.article;
        let book = a.book.as_ref();
        line(out, "TY", if book.is_some() { "CHAP" } else { "JOUR" })?;
        for au in &a.authors {
            opt(out, "AU", ris_name(au).as_deref())?;
        }
        if let Some(b) = book {
            for ed in &b.editors {
                opt(out, "A2", ris_name(ed).as_deref())?;
            }
        }
        line(out, "TI", &a.title.text)?;
        match book {
            Some(b) => {
                opt(out, "T2", b.title.as_deref())?;
                opt(out, "T3", b.collection_title.as_deref())?;
            }
            None => {
                let title = a.journal.title.as_deref().map(journal_title_case);
                opt(out, "T2", title.as_deref())?;
                opt(out, "J2", a.journal.iso_abbrev.as_deref())?;
            }
        }
        if let Some(y) = a.year() {
            line(out, "PY", &y.to_string())?;
        }
        opt(out, "DA", ris_date(a.pub_date(), a.year()).as_deref())?;
        match book {
            Some(b) => opt(out, "VL", b.volume.as_deref())?,
            None => {
                opt(out, "VL", a.journal.volume.as_deref())?;
                opt(out, "IS", a.journal.issue.as_deref())?;
            }
        }
        let (sp, ep) = page_range(a);
        opt(out, "SP", sp.as_deref())?;
        opt(out, "EP", ep.as_deref())?;
        if let Some(b) = book {
            opt(out, "PB", b.publisher.as_deref())?;
            opt(out, "CY", b.publisher_location.as_deref())?;
            opt(out, "ET", b.edition.as_deref())?;
            for isbn in &b.isbn {
                line(out, "SN", isbn)?;
            }
        } else {
            opt(out, "SN", issn(a))?;
        }
        opt(out, "DO", a.doi())?;
        line(out, "AN", &a.pmid.to_string())?;
        line(out, "DB", "PubMed")?;
        line(
            out,
            "UR",
            &format!("https://pubmed.ncbi.nlm.nih.gov/{}/", a.pmid),
        )?;
        opt(out, "C2", pmcid(a))?;
        opt(out, "C6", a.id("mid"))?;
        if let Some(abs) = &a.abstract_ {
            line(out, "AB", &abstract_text(abs, " "))?;
        }
        for kw in keywords_and_mesh(a) {
            line(out, "KW", &kw)?;
        }
        for lang in &a.languages {
            line(out, "LA", lang)?;
        }
        let types: Vec<&str> = a
            .publication_types
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        if !types.is_empty() {
            line(out, "M3", &types.join("; "))?;
        }
        opt(
            out,
            "C1",
            dimension_text(record, "condition", "; ").as_deref(),
        )?;
        opt(
            out,
            "C3",
            dimension_text(record, "outcome", "; ").as_deref(),
        )?;
        opt(out, "C4", dimension_text(record, "design", "; ").as_deref())?;
        opt(
            out,
            "C5",
            dimension_text(record, "intervention", "; ").as_deref(),
        )?;
        opt(out, "C8", dimension_text(record, "route", "; ").as_deref())?;
        if let Some(s) = stance_text(record) {
            line(out, "N1", &format!("evcat stance: {s}"))?;
        }
        let other = other_tags(record);
        if !other.is_empty() {
            line(out, "N1", &format!("evcat tags: {}", other.join("; ")))?;
        }
        for w in warnings(record) {
            line(out, "N1", &w)?;
        }
        writeln!(out, "ER  - ")?;
        writeln!(out)
    }
}
