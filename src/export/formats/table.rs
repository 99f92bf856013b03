//! Table exports: CSV (with a header row) and JSONL (one JSON object per line), one record per
//! row, with the same columns in the same order:
//!
//! | column | content | CSV | JSONL |
//! |---|---|---|---|
//! | `pmid` | PMID | text | number |
//! | `title` | title (plain text) | text | string |
//! | `authors` | "Last FI" / collective name, in order | joined by "; " | array |
//! | `journal` | journal full title (book title for a book record) | text | string or null |
//! | `iso_abbrev` | journal ISO abbreviation | text | string or null |
//! | `year` | year (a `MedlineDate` gives its first year) | text | number or null |
//! | `date` | publication date as PubMed writes it ("2012 Mar", "1998 Dec-1999 Jan") | text | string or null |
//! | `volume`, `issue`, `pages` | volume, issue, `MedlinePgn` | text | string or null |
//! | `doi`, `pmcid` | identifiers | text | string or null |
//! | `issn` | ISSN | text | string or null |
//! | `publication_types` | publication types | joined by "; " | array |
//! | `mesh` | MeSH "Descriptor/qualifier" | joined by "; " | array |
//! | `keywords` | author keywords | joined by "; " | array |
//! | `language` | ISO 639-2 codes | joined by ";" | array |
//! | `abstract` | abstract, one line per labelled section | text | string or null |
//! | `condition`, `outcome`, `design`, `route`, `intervention` | tag ids of each dimension | joined by ";" | array |
//! | `level` | evidence level of the design tag | text | number or null |
//! | `stance` | the claim's stance (supports, refutes, mixed, no-evidence) | text | string or null |
//! | `claim` | the claim id | text | string or null |
//! | `stance_note` | the link note | text | string or null |
//! | `deleted` | deleted from PubMed | true/false | boolean |
//! | `retracted` | retracted | true/false | boolean |
//! | `tags_other` | tags of other dimensions as "dim/tag" | joined by ";" | array |
//! | `participants` | participants stated (a range: its top) | text | number or null |
//! | `studies` | studies included (reviews) | text | number or null |
//! | `follow_up_days` | longest follow-up in whole days | text | number or null |
//! | `sessions` | sessions per patient as stated: "3" or "3-10" | text | string or null |
//! | `concentration_ug_ml` | concentration per injection, µg/mL, as stated | text | string or null |
//! | `volume_ml` | volume per injection, mL, as stated | text | string or null |
//!
//! The fact columns come last so that consumers of the older columns keep working.
//!
//! CSV quoting follows RFC 4180 (the `csv` crate); abstracts keep their line breaks inside
//! quoted cells. Control characters other than tab and line breaks are removed, and a cell that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return,
//! and not a plain number) gets a leading `'` ([`crate::output::text::csv_cell`]) unless the writer
//! is [`CsvWriter::new`]`(true)` (`export --csv-raw`).

use std::io::{self, Write};

use serde::Serialize;

use super::{RecordWriter, abstract_text, issn, mesh_terms, month_of, other_tags, pmcid};
use crate::abstracts::FactKind;
use crate::export::ExportRecord;
use crate::output::text::csv_cell;

/// The columns of CSV and JSONL, in order.
pub const COLUMNS: [&str; 36] = [
    "pmid",
    "title",
    "authors",
    "journal",
    "iso_abbrev",
    "year",
    "date",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmcid",
    "issn",
    "publication_types",
    "mesh",
    "keywords",
    "language",
    "abstract",
    "condition",
    "outcome",
    "design",
    "level",
    "route",
    "intervention",
    "stance",
    "claim",
    "stance_note",
    "deleted",
    "retracted",
    "tags_other",
    "participants",
    "studies",
    "follow_up_days",
    "sessions",
    "concentration_ug_ml",
    "volume_ml",
];

#[derive(Serialize)]
struct Row<'a> {
    pmid: u64,
    title: &'a str,
    authors: Vec<String>,
    journal: Option<&'a str>,
    iso_abbrev: Option<&'a str>,
    year: Option<i32>,
    date: Option<String>,
    volume: Option<&'a str>,
    issue: Option<&'a str>,
    pages: Option<String>,
    doi: Option<&'a str>,
    pmcid: Option<&'a str>,
    issn: Option<&'a str>,
    publication_types: Vec<&'a str>,
    mesh: Vec<String>,
    keywords: Vec<&'a str>,
    language: &'a [String],
    #[serde(rename = "abstract")]
    abstract_: Option<String>,
    condition: Vec<&'a str>,
    outcome: Vec<&'a str>,
    design: Vec<&'a str>,
    level: Option<i64>,
    route: Vec<&'a str>,
    intervention: Vec<&'a str>,
    stance: Option<&'a str>,
    claim: Option<&'a str>,
    stance_note: Option<&'a str>,
    deleted: bool,
    retracted: bool,
    tags_other: Vec<String>,
    participants: Option<serde_json::Value>,
    studies: Option<serde_json::Value>,
    follow_up_days: Option<serde_json::Value>,
    sessions: Option<String>,
    concentration_ug_ml: Option<String>,
    volume_ml: Option<String>,
}

/// A figure as a JSON number: an integer when it is whole ("120", not "120.0").
fn number(x: f64) -> serde_json::Value {
    if x.fract() == 0.0 && x.abs() < 9e15 {
        serde_json::Value::from(x as i64)
    } else {
        serde_json::Value::from(x)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn row(record: &ExportRecord) -> Row<'_> {
    let a = &record.stored.article;
    let d = a.pub_date();
    let date = d.raw.clone().or_else(|| {
        let mut s = d.year?.to_string();
        if let Some(season) = &d.season {
            s = format!("{s} {season}");
        } else if let Some(m) = month_of(d) {
            s = format!("{s} {}", MONTHS[usize::from(m) - 1]);
            if let Some(day) = super::day_of(d) {
                s = format!("{s} {day}");
            }
        }
        Some(s)
    });
    Row {
        pmid: a.pmid,
        title: a.title.text.trim(),
        authors: a
            .authors
            .iter()
            .map(|au| au.short_name())
            .filter(|s| !s.trim().is_empty())
            .collect(),
        journal: match &a.book {
            Some(b) => b.title.as_deref(),
            None => a.journal.title.as_deref(),
        },
        iso_abbrev: a.journal.iso_abbrev.as_deref(),
        year: a.year(),
        date,
        volume: a
            .journal
            .volume
            .as_deref()
            .or(a.book.as_ref().and_then(|b| b.volume.as_deref())),
        issue: a.journal.issue.as_deref(),
        pages: a.pages(),
        doi: a.doi(),
        pmcid: pmcid(a),
        issn: issn(a),
        publication_types: a
            .publication_types
            .iter()
            .map(|p| p.name.as_str())
            .collect(),
        mesh: mesh_terms(a),
        keywords: a.keywords.iter().map(|k| k.text.as_str()).collect(),
        language: &a.languages,
        abstract_: a
            .abstract_
            .as_ref()
            .map(|abs| abstract_text(abs, "\n"))
            .filter(|s| !s.is_empty()),
        condition: record.tags_of("condition"),
        outcome: record.tags_of("outcome"),
        design: record.tags_of("design"),
        level: record.design().and_then(|(_, l)| l),
        route: record.tags_of("route"),
        intervention: record.tags_of("intervention"),
        stance: record.stance.as_ref().map(|s| s.stance.as_str()),
        claim: record.stance.as_ref().map(|s| s.claim.as_str()),
        stance_note: record.stance.as_ref().and_then(|s| s.note.as_deref()),
        deleted: record.stored.deleted,
        retracted: record.retracted(),
        tags_other: other_tags(record),
        participants: record.participants().map(number),
        studies: record
            .fact(FactKind::Studies)
            .and_then(|f| f.value.or(f.max).or(f.min))
            .map(number),
        follow_up_days: record
            .fact(FactKind::FollowUp)
            .and_then(|f| f.follow_up_days())
            .map(|d| number(d.round())),
        sessions: record.fact(FactKind::Sessions).map(|f| f.figure()),
        concentration_ug_ml: record
            .fact(FactKind::Concentration)
            .filter(|f| f.unit == "ug/mL")
            .map(|f| f.figure()),
        volume_ml: record
            .fact(FactKind::Volume)
            .filter(|f| f.unit == "mL")
            .map(|f| f.figure()),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn csv_fields(r: &Row<'_>) -> Vec<String> {
    vec![
        r.pmid.to_string(),
        r.title.to_string(),
        r.authors.join("; "),
        opt(r.journal),
        opt(r.iso_abbrev),
        opt(r.year),
        opt(r.date.as_deref()),
        opt(r.volume),
        opt(r.issue),
        opt(r.pages.as_deref()),
        opt(r.doi),
        opt(r.pmcid),
        opt(r.issn),
        r.publication_types.join("; "),
        r.mesh.join("; "),
        r.keywords.join("; "),
        r.language.join(";"),
        opt(r.abstract_.as_deref()),
        r.condition.join(";"),
        r.outcome.join(";"),
        r.design.join(";"),
        opt(r.level),
        r.route.join(";"),
        r.intervention.join(";"),
        opt(r.stance),
        opt(r.claim),
        opt(r.stance_note),
        r.deleted.to_string(),
        r.retracted.to_string(),
        r.tags_other.join(";"),
        opt(r.participants.as_ref()),
        opt(r.studies.as_ref()),
        opt(r.follow_up_days.as_ref()),
        opt(r.sessions.as_deref()),
        opt(r.concentration_ug_ml.as_deref()),
        opt(r.volume_ml.as_deref()),
    ]
}

fn csv_row<I, T>(out: &mut dyn Write, fields: I) -> io::Result<()>
where
    I: IntoIterator<Item = T>,
    T: AsRef<[u8]>,
{
    let mut w = csv::WriterBuilder::new()
        .buffer_capacity(4096)
        .from_writer(&mut *out);
    w.write_record(fields).map_err(io::Error::other)?;
    w.flush()
}

/// Writes CSV.
#[derive(Debug, Default)]
pub struct CsvWriter {
    raw: bool,
}

impl CsvWriter {
    /// A CSV writer; `raw` writes cells without neutralising formulas.
    pub fn new(raw: bool) -> CsvWriter {
        CsvWriter { raw }
    }
}

impl RecordWriter for CsvWriter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        csv_row(out, COLUMNS)
    }

    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()> {
        let fields = csv_fields(&row(record));
        let cells: Vec<_> = fields.iter().map(|f| csv_cell(f, self.raw)).collect();
        csv_row(out, cells.iter().map(|c| c.as_bytes()))
    }
}

/// Writes JSON Lines.
#[derive(Debug, Default)]
pub struct JsonlWriter {
    _private: (),
}

impl RecordWriter for JsonlWriter {
    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()> {
        serde_json::to_writer(&mut *out, &row(record)).map_err(io::Error::other)?;
        out.write_all(b"\n")
    }
}
