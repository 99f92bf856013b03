//! CSL-JSON export: an array of CSL items that validates against the CSL data schema
//! (`csl-data.json` of citation-style-language/schema). Written streaming: "[", one item per
//! record, "]". Only standard CSL variables are used, plus `custom` (the schema's place for
//! key-value pairs without a CSL variable).
//!
//! | field | CSL variable |
//! |---|---|
//! | type | `type`: "article-journal"; a book record is "chapter" |
//! | id | `id`: "pmid:22430658" |
//! | authors, in order | `author`: `{family, given, suffix}`; a collective name `{literal}` |
//! | editors (book) | `editor` |
//! | title | `title` (plain text, without PubMed's closing period; a final "?" or "!" stays) |
//! | journal / book | `container-title` (journal full title in title case: "Pain Physician" for PubMed's "Pain physician", see [`journal_title_case`](crate::export::journal_title_case); or the book title as registered), `container-title-short` (ISO abbreviation), `collection-title` (book series), `publisher`, `publisher-place`, `edition`, `ISBN` |
//! | date | `issued`: `{"date-parts": [[y, m, d]]}`; a `MedlineDate` adds `raw` ("1998 Dec-1999 Jan") to the year, a season adds `season` |
//! | volume, issue, pages | `volume`, `issue`, `page` (the range expanded: "E115-E129" for `MedlinePgn` "E115-29"; several ranges as PubMed writes them), `page-first` |
//! | DOI, PMID, PMCID, ISSN | `DOI`, `PMID`, `PMCID`, `ISSN` |
//! | abstract | `abstract`, one line per section with its label ("BACKGROUND: ...") |
//! | language | `language`: the BCP 47 code for PubMed's ISO 639-2 code ("eng" gives "en"); unmapped codes as given |
//! | keywords and MeSH | `keyword`: keywords then MeSH "Descriptor/qualifier", joined by "; " (CSL wants one string; a MeSH heading such as "Injections, Intramuscular" holds a comma, never a semicolon) |
//! | publication types | `custom.evcat.publication_types` (CSL has no variable for them) |
//! | tags, level, stance | `note`: "evcat: condition=...; outcome=...; design=rct (level 2); route=...; intervention=...; stance=claim-id: supports"; the same structured in `custom.evcat` (`tags` by dimension, `level`, `stance`) |
//! | retraction / deletion | `note` lines "RETRACTED (retraction notice: ...)", "Deleted from PubMed"; `custom.evcat.retracted` / `deleted` |
//!
//! `note` lines are separated by "\n". The object keys are written in a fixed order.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{
    Name, RecordWriter, abstract_text, day_of, evcat_summary, issn, keywords_and_mesh, month_of,
    name_of, pmcid, warnings,
};
use crate::export::{ExportRecord, ExportStance, journal_title_case};
use crate::pubmed::{Author, PubDate};

/// Joins the `keyword` list. CSL's `keyword` is one string; a MeSH heading holds commas
/// ("Injections, Intramuscular") but never a semicolon, so "; " keeps PubMed's list recoverable.
pub const KEYWORD_SEPARATOR: &str = "; ";

/// Writes a CSL-JSON array.
#[derive(Debug, Default)]
pub struct CslJsonWriter {
    written: usize,
}

#[derive(Serialize)]
struct CslName<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    family: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    given: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suffix: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    literal: Option<&'a str>,
}

#[derive(Serialize)]
struct CslDate<'a> {
    #[serde(rename = "date-parts", skip_serializing_if = "Vec::is_empty")]
    date_parts: Vec<Vec<i64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    season: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    raw: Option<&'a str>,
}

#[derive(Serialize)]
struct Evcat<'a> {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: BTreeMap<&'a str, Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    stance: Option<&'a ExportStance>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    publication_types: Vec<&'a str>,
    retracted: bool,
    deleted: bool,
}

#[derive(Serialize)]
struct Custom<'a> {
    evcat: Evcat<'a>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    editor: Vec<CslName<'a>>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<String>,
    #[serde(
        rename = "container-title-short",
        skip_serializing_if = "Option::is_none"
    )]
    container_title_short: Option<&'a str>,
    #[serde(rename = "collection-title", skip_serializing_if = "Option::is_none")]
    collection_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(rename = "publisher-place", skip_serializing_if = "Option::is_none")]
    publisher_place: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edition: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    volume: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issue: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<String>,
    #[serde(rename = "page-first", skip_serializing_if = "Option::is_none")]
    page_first: Option<String>,
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    doi: Option<&'a str>,
    #[serde(rename = "PMID")]
    pmid: String,
    #[serde(rename = "PMCID", skip_serializing_if = "Option::is_none")]
    pmcid: Option<&'a str>,
    #[serde(rename = "ISSN", skip_serializing_if = "Option::is_none")]
    issn: Option<&'a str>,
    #[serde(rename = "ISBN", skip_serializing_if = "Option::is_none")]
    isbn: Option<String>,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    abstract_: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    source: &'static str,
    custom: Custom<'a>,
}

fn csl_name(a: &Author) -> Option<CslName<'_>> {
    Some(match name_of(a)? {
        Name::Literal(l) => CslName {
            family: None,
            given: None,
            suffix: None,
            literal: Some(l),
        },
        Name::Person {
            family,
            given,
            suffix,
        } => CslName {
            family: Some(family),
            given,
            suffix,
            literal: None,
        },
    })
}

fn csl_date(d: &PubDate, year: Option<i32>) -> Option<CslDate<'_>> {
    let raw = d.raw.as_deref().filter(|s| !s.trim().is_empty());
    let season = d.season.as_deref().filter(|s| !s.trim().is_empty());
    let mut parts = Vec::new();
    if let Some(y) = d.year.or(year) {
        parts.push(i64::from(y));
        // A MedlineDate's month and day are in `raw`; only whole dates give parts.
        if let (None, Some(m)) = (raw, month_of(d)) {
            parts.push(i64::from(m));
            if let Some(day) = day_of(d) {
                parts.push(i64::from(day));
            }
        }
    }
    if parts.is_empty() && raw.is_none() {
        return None;
    }
    Some(CslDate {
        date_parts: if parts.is_empty() {
            Vec::new()
        } else {
            vec![parts]
        },
        season,
        raw,
    })
}

/// BCP 47 for PubMed's ISO 639-2/B language codes (the common ones).
fn bcp47(code: &str) -> String {
    let mapped = match code {
        "eng" => "en",
        "fre" => "fr",
        "ger" => "de",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "jpn" => "ja",
        "chi" => "zh",
        "rus" => "ru",
        "dut" => "nl",
        "pol" => "pl",
        "swe" => "sv",
        "dan" => "da",
        "nor" => "no",
        "fin" => "fi",
        "tur" => "tr",
        "kor" => "ko",
        "heb" => "he",
        "gre" => "el",
        "hun" => "hu",
        "cze" => "cs",
        "ara" => "ar",
        "per" => "fa",
        _ => code,
    };
    mapped.to_string()
}

impl RecordWriter for CslJsonWriter {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.written = 0;
        out.write_all(b"[")
    }

    fn write(&mut self, out: &mut dyn Write, record: &ExportRecord) -> io::Result<()> {
        let a = &record.stored.article;
        let book = a.book.as_ref();
        let keywords = keywords_and_mesh(a);
        let mut note: Vec<String> = evcat_summary(record).into_iter().collect();
        note.extend(warnings(record));
        let mut tags: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for t in &record.tags {
            tags.entry(t.dimension.as_str())
                .or_default()
                .push(t.tag.as_str());
        }
        let (first, last) = super::page_range(a);
        // Expanded ranges ("401-409", not PubMed's "401-9"): styles abbreviate as they wish.
        let page = match (&first, &last, a.pages()) {
            (_, _, Some(p)) if p.contains([',', ';']) => Some(p),
            (Some(f), Some(l), _) => Some(format!("{f}-{l}")),
            (_, _, p) => p,
        };
        let item = Item {
            id: format!("pmid:{}", a.pmid),
            kind: if book.is_some() {
                "chapter"
            } else {
                "article-journal"
            },
            title: Some(super::title_without_period(&a.title.text)).filter(|t| !t.is_empty()),
            author: a.authors.iter().filter_map(csl_name).collect(),
            editor: book
                .map(|b| b.editors.iter().filter_map(csl_name).collect())
                .unwrap_or_default(),
            container_title: match book {
                Some(b) => b.title.clone(),
                None => a.journal.title.as_deref().map(journal_title_case),
            },
            container_title_short: if book.is_none() {
                a.journal.iso_abbrev.as_deref()
            } else {
                None
            },
            collection_title: book.and_then(|b| b.collection_title.as_deref()),
            publisher: book.and_then(|b| b.publisher.as_deref()),
            publisher_place: book.and_then(|b| b.publisher_location.as_deref()),
            edition: book.and_then(|b| b.edition.as_deref()),
            issued: csl_date(a.pub_date(), a.year()),
            volume: match book {
                Some(b) => b.volume.as_deref(),
                None => a.journal.volume.as_deref(),
            },
            issue: if book.is_none() {
                a.journal.issue.as_deref()
            } else {
                None
            },
            page,
            page_first: first,
            doi: a.doi(),
            pmid: a.pmid.to_string(),
            pmcid: pmcid(a),
            issn: if book.is_none() { issn(a) } else { None },
            isbn: book
                .filter(|b| !b.isbn.is_empty())
                .map(|b| b.isbn.join(", ")),
            abstract_: a
                .abstract_
                .as_ref()
                .map(|abs| abstract_text(abs, "\n"))
                .filter(|s| !s.is_empty()),
            language: a.languages.first().map(|l| bcp47(l)),
            keyword: (!keywords.is_empty()).then(|| keywords.join(KEYWORD_SEPARATOR)),
            note: (!note.is_empty()).then(|| note.join("\n")),
            source: "PubMed",
            custom: Custom {
                evcat: Evcat {
                    tags,
                    level: record.design().and_then(|(_, l)| l),
                    stance: record.stance.as_ref(),
                    publication_types: a
                        .publication_types
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect(),
                    retracted: record.retracted(),
                    deleted: record.stored.deleted,
                },
            },
        };
        out.write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer_pretty(&mut *out, &item).map_err(io::Error::other)?;
        self.written += 1;
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"\n]\n")
    }
}
