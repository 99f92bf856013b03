//! NBIB export: PubMed's MEDLINE text format, as PubMed's "Send to: Citation manager" writes it
//! (`.nbib`, read by EndNote, Zotero, Mendeley, RefWorks). Each field is a 4-character tag
//! padded and followed by "- " ("TI  - "), long values wrap at 88 columns on word boundaries with
//! continuation lines indented 6 spaces, repeated fields repeat the tag, and records are
//! separated by a blank line.
//!
//! | field | NBIB tag |
//! |---|---|
//! | PMID, owner, status, dates | `PMID`, `OWN`, `STAT`, `DCOM` (completed), `LR` (revised), `EDAT`/`MHDA`/`CRDT` (pubmed/medline/entrez history dates), `PHST` (every history date) |
//! | ISSN | `IS` "2150-1149 (Electronic)", "1533-3159 (Linking)" |
//! | volume, issue, date | `VI`, `IP`, `DP` ("2012 Mar", the raw `MedlineDate` "1998 Dec-1999 Jan", "2003 Spring") |
//! | title | `TI` (plain text); book records also `BTI` (book title), `CTI` (collection) |
//! | pages | `PG` (`MedlinePgn`) |
//! | DOI and other locations | `LID` "10.xxx \[doi\]" / "xxx \[pii\]"; `AID` for every article id ("10.xxx \[doi\]") |
//! | abstract | `AB`, sections as "LABEL: text" on one paragraph; `CI` copyright |
//! | authors, in order | `FAU` "Last, Fore", `AU` "Last FI", `AUID` "ORCID: ...", `AD` affiliations; a collective author `CN` |
//! | editors (book) | `FED`, `ED` |
//! | investigators | `FIR`, `IR` |
//! | language | `LA` |
//! | publication types | `PT` |
//! | journal | `PL` (country), `TA` (MEDLINE abbreviation), `JT` (full title), `JID` (NLM id) |
//! | book publisher | `PB`, `PL` (place), `ISBN` |
//! | chemicals | `RN` "66H7ZZK23N (Ozone)" |
//! | MeSH | `MH` "Descriptor/qualifier", `*` marking major topics ("Low Back Pain/*drug therapy/etiology") |
//! | PMCID, NIHMSID | `PMC`, `MID` |
//! | keywords | `OTO` (owner), `OT` |
//! | conflict of interest | `COIS` |
//! | retraction and other corrections | `RIN`, `ROF`, `EIN`, `EFR`, `CIN`, `CON`, `UIN`, `UOF`, `ECI`, `ECF`, `RPI`, `RPF` "RefSource. PMID: NNN" |
//! | publication status, source | `PST`, `SO` ("Pain Physician. 2012 Mar;15(2):E115-29. doi: ...") |
//! | retraction / deletion warning | `GN` (General Note) "RETRACTED (...)" / "Deleted from PubMed" |
//!
//! Tags and the claim stance are **not** written: the MEDLINE format has no field for them, and
//! evcat does not invent tags (readers drop or misfile unknown ones). Use RIS, BibTeX, CSL-JSON,
//! CSV or JSONL for tags and stances.

use std::io::{self, Write};

use super::{RecordWriter, abstract_text, day_of, last_comma_fore, month_of, one_line, warnings};
use crate::export::ExportRecord;
use crate::pubmed::{Article, Author, PartialDate, PubDate};

/// Writes NBIB (MEDLINE format).
#[derive(Debug, Default)]
pub struct NbibWriter {
    written: usize,
}

/// Line width PubMed wraps at.
const WIDTH: usize = 88;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Writes one field, wrapped.
fn field(out: &mut dyn Write, tag: &str, value: &str) -> io::Result<()> {
    let value = one_line(value);
    if value.is_empty() {
        return Ok(());
    }
    let mut line = format!("{tag:<4}- ");
    let mut len = 6;
    let mut first_word = true;
    for word in value.split(' ').filter(|w| !w.is_empty()) {
        let wlen = word.chars().count();
        if !first_word && len + 1 + wlen > WIDTH {
            writeln!(out, "{line}")?;
            line = " ".repeat(6);
            len = 6;
            first_word = true;
        }
        if !first_word {
            line.push(' ');
            len += 1;
        }
        line.push_str(word);
        len += wlen;
        first_word = false;
    }
    writeln!(out, "{line}")
}

fn opt(out: &mut dyn Write, tag: &str, value: Option<&str>) -> io::Result<()> {
    match value {
        Some(v) => field(out, tag, v),
        None => Ok(()),
    }
}

fn ymd(d: &PartialDate) -> Option<String> {
    let y = d.year?;
    Some(format!(
        "{y:04}{:02}{:02}",
        d.month.unwrap_or(1),
        d.day.unwrap_or(1)
    ))
}

fn history_stamp(d: &PartialDate) -> Option<String> {
    let y = d.year?;
    Some(format!(
        "{y:04}/{:02}/{:02} {:02}:{:02}",
        d.month.unwrap_or(1),
        d.day.unwrap_or(1),
        d.hour.unwrap_or(0),
        d.minute.unwrap_or(0)
    ))
}

/// `DP`: "2012 Mar 5", the raw `MedlineDate`, or "2003 Spring".
fn dp(d: &PubDate, year: Option<i32>) -> Option<String> {
    if let Some(raw) = d.raw.as_deref().filter(|r| !r.trim().is_empty()) {
        return Some(raw.to_string());
    }
    let mut s = d.year.or(year)?.to_string();
    if let Some(season) = d.season.as_deref().filter(|r| !r.trim().is_empty()) {
        s.push(' ');
        s.push_str(season);
    } else if let Some(m) = month_of(d) {
        s.push(' ');
        s.push_str(MONTHS[usize::from(m) - 1]);
        if let Some(day) = day_of(d) {
            s.push_str(&format!(" {day}"));
        }
    }
    Some(s)
}

fn correction_tag(ref_type: &str) -> Option<&'static str> {
    Some(match ref_type {
        "RetractionIn" => "RIN",
        "RetractionOf" => "ROF",
        "ErratumIn" => "EIN",
        "ErratumFor" => "EFR",
        "CommentIn" => "CIN",
        "CommentOn" => "CON",
        "UpdateIn" => "UIN",
        "UpdateOf" => "UOF",
        "ExpressionOfConcernIn" => "ECI",
        "ExpressionOfConcernFor" => "ECF",
        "RepublishedIn" => "RPI",
        "RepublishedFrom" => "RPF",
        _ => return None,
    })
}

fn people(out: &mut dyn Write, list: &[Author], full: &str, short: &str) -> io::Result<()> {
    for au in list {
        if let Some(c) = au.collective.as_deref().filter(|c| !c.trim().is_empty()) {
            field(out, "CN", c)?;
            continue;
        }
        opt(out, full, last_comma_fore(au).as_deref())?;
        let s = au.short_name();
        if !s.trim().is_empty() {
            field(out, short, &s)?;
        }
        if let Some(o) = &au.orcid {
            field(out, "AUID", &format!("ORCID: {o}"))?;
        }
        for aff in &au.affiliations {
            field(out, "AD", aff)?;
        }
    }
    Ok(())
}

/// `SO`: "Pain Physician. 2012 Mar;15(2):E115-29. doi: 10.x."
fn source(a: &Article, dp: Option<&str>) -> String {
    let mut s = String::new();
    if let Some(b) = &a.book {
        if let Some(t) = &b.title {
            s.push_str(t.trim_end_matches('.'));
            s.push_str(". ");
        }
        if let Some(l) = &b.publisher_location {
            s.push_str(l);
            s.push_str(": ");
        }
        if let Some(p) = &b.publisher {
            s.push_str(p);
            s.push_str("; ");
        }
        if let Some(d) = dp {
            s.push_str(d);
            s.push('.');
        }
        return s.trim_end().to_string();
    }
    let j = &a.journal;
    if let Some(ta) = j
        .medline_ta
        .as_ref()
        .or(j.iso_abbrev.as_ref())
        .or(j.title.as_ref())
    {
        s.push_str(ta.trim_end_matches('.'));
        s.push_str(". ");
    }
    if let Some(d) = dp {
        s.push_str(d);
    }
    if j.volume.is_some() || j.issue.is_some() || a.pages().is_some() {
        s.push(';');
        s.push_str(j.volume.as_deref().unwrap_or(""));
        if let Some(i) = &j.issue {
            s.push_str(&format!("({i})"));
        }
        if let Some(p) = a.pages() {
            s.push(':');
            s.push_str(&p);
        }
    }
    s.push('.');
    if let Some(doi) = a.doi() {
        s.push_str(&format!(" doi: {doi}."));
    }
    s
}

impl RecordWriter for NbibWriter {
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        self.written = 0;
        Ok(())
    }

    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()> {
        let a = &record.stored.article;
        if self.written > 0 {
            writeln!(out)?;
        }
        self.written += 1;
        let book = a.book.as_ref();
        field(out, "PMID", &a.pmid.to_string())?;
        opt(out, "OWN", a.owner.as_deref())?;
        opt(out, "STAT", a.status.as_deref())?;
        opt(
            out,
            "DCOM",
            a.date_completed.as_ref().and_then(ymd).as_deref(),
        )?;
        opt(out, "LR", a.date_revised.as_ref().and_then(ymd).as_deref())?;
        if let Some(issn) = &a.journal.issn {
            match &a.journal.issn_type {
                Some(t) => field(out, "IS", &format!("{issn} ({t})"))?,
                None => field(out, "IS", issn)?,
            }
        }
        if let Some(l) = &a.journal.issn_linking {
            field(out, "IS", &format!("{l} (Linking)"))?;
        }
        if let Some(b) = book {
            for isbn in &b.isbn {
                field(out, "ISBN", isbn)?;
            }
        }
        opt(
            out,
            "VI",
            a.journal
                .volume
                .as_deref()
                .or(book.and_then(|b| b.volume.as_deref())),
        )?;
        opt(out, "IP", a.journal.issue.as_deref())?;
        let date = dp(a.pub_date(), a.year());
        opt(out, "DP", date.as_deref())?;
        field(out, "TI", &a.title.text)?;
        if let Some(b) = book {
            opt(out, "BTI", b.title.as_deref())?;
            opt(out, "CTI", b.collection_title.as_deref())?;
        }
        opt(out, "PG", a.pages().as_deref())?;
        for e in &a.elocations {
            field(out, "LID", &format!("{} [{}]", e.value, e.id_type))?;
        }
        if let Some(abs) = &a.abstract_ {
            field(out, "AB", &abstract_text(abs, " "))?;
            opt(out, "CI", abs.copyright.as_deref())?;
        }
        if let Some(b) = book {
            people(out, &b.editors, "FED", "ED")?;
        }
        people(out, &a.authors, "FAU", "AU")?;
        for l in &a.languages {
            field(out, "LA", l)?;
        }
        for p in &a.publication_types {
            field(out, "PT", &p.name)?;
        }
        for (kind, d) in &a.article_dates {
            if kind.eq_ignore_ascii_case("Electronic") {
                opt(out, "DEP", ymd(d).as_deref())?;
            }
        }
        match book {
            Some(b) => {
                opt(out, "PL", b.publisher_location.as_deref())?;
                opt(out, "PB", b.publisher.as_deref())?;
            }
            None => {
                opt(out, "PL", a.journal.country.as_deref())?;
                opt(
                    out,
                    "TA",
                    a.journal
                        .medline_ta
                        .as_deref()
                        .or(a.journal.iso_abbrev.as_deref()),
                )?;
                opt(out, "JT", a.journal.title.as_deref())?;
                opt(out, "JID", a.journal.nlm_unique_id.as_deref())?;
            }
        }
        for c in &a.chemicals {
            let rn = c.registry_number.as_deref().unwrap_or("0");
            field(out, "RN", &format!("{rn} ({})", c.name))?;
        }
        for c in &a.comments_corrections {
            if let Some(tag) = correction_tag(&c.ref_type) {
                let mut v = c.ref_source.clone().unwrap_or_default();
                if let Some(p) = c.pmid {
                    if !v.is_empty() {
                        v.push_str(". ");
                    }
                    v.push_str(&format!("PMID: {p}"));
                }
                field(out, tag, &v)?;
            }
        }
        for m in &a.mesh {
            let mut s = String::new();
            if m.major {
                s.push('*');
            }
            s.push_str(&m.descriptor);
            for q in &m.qualifiers {
                s.push('/');
                if q.major {
                    s.push('*');
                }
                s.push_str(&q.name);
            }
            field(out, "MH", &s)?;
        }
        opt(out, "PMC", super::pmcid(a))?;
        opt(out, "MID", a.id("mid"))?;
        people(out, &a.investigators, "FIR", "IR")?;
        if let Some(owner) = a.keywords.iter().find_map(|k| k.owner.as_deref()) {
            field(out, "OTO", owner)?;
        }
        for k in &a.keywords {
            field(out, "OT", &k.text)?;
        }
        opt(out, "COIS", a.coi_statement.as_deref())?;
        for w in warnings(record) {
            field(out, "GN", &w)?;
        }
        let stamp = |status: &str| a.history_date(status).and_then(history_stamp);
        opt(out, "EDAT", stamp("pubmed").as_deref())?;
        opt(out, "MHDA", stamp("medline").as_deref())?;
        opt(out, "CRDT", stamp("entrez").as_deref())?;
        for h in &a.history {
            if let Some(s) = history_stamp(&h.date) {
                field(out, "PHST", &format!("{s} [{}]", h.status))?;
            }
        }
        for id in &a.ids {
            if id.id_type != "pubmed" {
                field(out, "AID", &format!("{} [{}]", id.value, id.id_type))?;
            }
        }
        opt(out, "PST", a.publication_status.as_deref())?;
        if a.pmid != 0 && (a.journal.title.is_some() || book.is_some()) {
            field(out, "SO", &source(a, date.as_deref()))?;
        }
        Ok(())
    }
}
