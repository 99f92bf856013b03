//! Views of stored records for output: the documented JSON schema of `evcat show --format json`
//! and the human-readable text form. The JSON field names are a public contract (README,
//! "JSON output"): add fields, never rename or remove them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{Value, json};

use crate::export::cite::{CitationStyle, reference};
use crate::pubmed::*;
use crate::store::articles::StoredArticle;

fn author_json(a: &Author) -> Value {
    json!({
        "last": a.last,
        "fore": a.fore,
        "initials": a.initials,
        "suffix": a.suffix,
        "collective": a.collective,
        "orcid": a.orcid,
        "affiliations": a.affiliations,
        "valid": a.valid,
        "equal_contrib": a.equal_contrib,
        "identifiers": a.identifiers.iter().map(|(s, v)| json!({"source": s, "value": v})).collect::<Vec<_>>(),
    })
}

fn pub_date_json(d: &PubDate) -> Value {
    json!({"year": d.year, "month": d.month, "day": d.day, "season": d.season, "raw": d.raw})
}

fn abstract_json(abs: &Abstract) -> Value {
    json!({
        "text": abs.plain_text(),
        "sections": abs.sections.iter().map(|s| {
            let mut v = json!({"label": s.label, "category": s.category, "text": s.text});
            if let Some(m) = &s.markup { v["markup"] = json!(m); }
            v
        }).collect::<Vec<_>>(),
        "copyright": abs.copyright,
        "type": abs.abstract_type,
        "language": abs.language,
    })
}

fn iso(d: Option<&PartialDate>) -> Option<String> {
    d.and_then(PartialDate::iso)
}

/// Catalogue state shown with a record.
#[derive(Debug, Serialize)]
struct CatalogueState<'a> {
    first_seen: &'a str,
    last_changed: &'a str,
    source: Option<&'a str>,
    revisions: u32,
    deleted_at: Option<&'a str>,
    deleted_source: Option<&'a str>,
}

/// The JSON object of `evcat show --format json` (schema in README).
pub fn article_json(stored: &StoredArticle) -> Value {
    let a = &stored.article;
    let mut ids = BTreeMap::new();
    for id in &a.ids {
        ids.entry(id.id_type.clone())
            .or_insert_with(|| id.value.clone());
    }
    if let Some(doi) = a.doi() {
        ids.entry("doi".to_string())
            .or_insert_with(|| doi.to_string());
    }
    let mut dates = serde_json::Map::new();
    dates.insert("entrez".into(), json!(iso(a.history_date("entrez"))));
    dates.insert("pubmed".into(), json!(iso(a.history_date("pubmed"))));
    dates.insert("medline".into(), json!(iso(a.history_date("medline"))));
    dates.insert("completed".into(), json!(iso(a.date_completed.as_ref())));
    dates.insert("revised".into(), json!(iso(a.date_revised.as_ref())));
    for h in &a.history {
        dates
            .entry(h.status.clone())
            .or_insert_with(|| json!(h.date.iso()));
    }
    let journal = if a.kind == RecordKind::Book && a.journal.title.is_none() {
        Value::Null
    } else {
        let j = &a.journal;
        json!({
            "title": j.title, "iso_abbrev": j.iso_abbrev, "issn": j.issn, "issn_type": j.issn_type,
            "issn_linking": j.issn_linking, "nlm_unique_id": j.nlm_unique_id, "medline_ta": j.medline_ta,
            "country": j.country, "volume": j.volume, "issue": j.issue, "cited_medium": j.cited_medium,
            "pub_date": pub_date_json(&j.pub_date),
        })
    };
    let book = a.book.as_ref().map(|b| {
        json!({
            "title": b.title, "book_id": b.book_id, "publisher": b.publisher,
            "publisher_location": b.publisher_location, "pub_date": pub_date_json(&b.pub_date),
            "volume": b.volume, "edition": b.edition, "collection_title": b.collection_title,
            "isbn": b.isbn, "medium": b.medium, "report_number": b.report_number,
            "editors": b.editors.iter().map(author_json).collect::<Vec<_>>(),
            "location_label": b.location_label, "sections": b.sections,
        })
    });
    let state = CatalogueState {
        first_seen: &stored.first_seen,
        last_changed: &stored.last_changed,
        source: stored.source.as_deref(),
        revisions: stored.revisions,
        deleted_at: stored.deleted_at.as_deref(),
        deleted_source: stored.deleted_source.as_deref(),
    };
    json!({
        "pmid": a.pmid,
        "version": a.version,
        "kind": a.kind,
        "title": a.title.text,
        "title_markup": a.title.markup,
        "vernacular_title": a.vernacular_title,
        "abstract": a.abstract_.as_ref().map(abstract_json),
        "other_abstracts": a.other_abstracts.iter().map(abstract_json).collect::<Vec<_>>(),
        "journal": journal,
        "book": book,
        "year": a.year(),
        "pages": a.pages(),
        "pagination": {"medline_pgn": a.pagination.medline_pgn, "start_page": a.pagination.start_page, "end_page": a.pagination.end_page},
        "elocation": a.elocations.iter().map(|e| json!({"type": e.id_type, "value": e.value, "valid": e.valid})).collect::<Vec<_>>(),
        "ids": ids,
        "authors": a.authors.iter().map(author_json).collect::<Vec<_>>(),
        "authors_complete": a.authors_complete,
        "investigators": a.investigators.iter().map(author_json).collect::<Vec<_>>(),
        "languages": a.languages,
        "publication_types": a.publication_types.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        "publication_type_uis": a.publication_types.iter().map(|p| p.ui.clone()).collect::<Vec<_>>(),
        "mesh": a.mesh.iter().map(|m| json!({
            "descriptor": m.descriptor, "ui": m.ui, "major": m.major, "type": m.descriptor_type,
            "qualifiers": m.qualifiers.iter().map(|q| json!({"name": q.name, "ui": q.ui, "major": q.major})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "chemicals": a.chemicals,
        "suppl_mesh": a.suppl_mesh,
        "keywords": a.keywords.iter().map(|k| k.text.clone()).collect::<Vec<_>>(),
        "keyword_list": a.keywords,
        "grants": a.grants,
        "comments_corrections": a.comments_corrections,
        "coi_statement": a.coi_statement,
        "references": a.references.iter().map(|r| json!({
            "citation": r.citation,
            "ids": r.ids.iter().map(|i| json!({"type": i.id_type, "value": i.value})).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "dates": dates,
        "history": a.history.iter().map(|h| json!({
            "status": h.status, "date": h.date.iso(),
            "time": h.date.hour.map(|hh| format!("{hh:02}:{:02}", h.date.minute.unwrap_or(0))),
        })).collect::<Vec<_>>(),
        "article_dates": a.article_dates.iter().map(|(t, d)| json!({"type": t, "date": d.iso()})).collect::<Vec<_>>(),
        "status": a.status,
        "owner": a.owner,
        "publication_status": a.publication_status,
        "deleted": stored.deleted,
        "catalogue": state,
    })
}

/// The human-readable form of `evcat show`; the citation in `style` (as `cite` prints it).
pub fn article_text(stored: &StoredArticle, style: CitationStyle) -> String {
    let a = &stored.article;
    let mut out = String::new();
    if stored.deleted {
        let _ = writeln!(
            out,
            "*** DELETED FROM PUBMED (tombstone since {}, by {}) ***",
            stored.deleted_at.as_deref().unwrap_or("?"),
            stored.deleted_source.as_deref().unwrap_or("?")
        );
        if !stored.has_data {
            let _ = writeln!(
                out,
                "PMID {}: no record data was ever imported for this PMID.",
                a.pmid
            );
            return out;
        }
    }
    let _ = writeln!(
        out,
        "PMID {} (version {}){}",
        a.pmid,
        a.version,
        if a.kind == RecordKind::Book {
            " [book]"
        } else {
            ""
        }
    );
    let _ = writeln!(out, "{}", a.title.text);
    if let Some(v) = &a.vernacular_title {
        let _ = writeln!(out, "{v}");
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Citation:  {}", reference(a, style));
    if let Some(doi) = a.doi() {
        let _ = writeln!(out, "DOI:       {doi}");
    }
    if let Some(pmc) = a.id("pmc") {
        let _ = writeln!(out, "PMC:       {pmc}");
    }
    if !a.authors.is_empty() {
        let _ = writeln!(out, "Authors:");
        for au in &a.authors {
            let mut line = format!("  - {}", full_name(au));
            if let Some(o) = &au.orcid {
                let _ = write!(line, " (ORCID {o})");
            }
            if au.equal_contrib {
                line.push_str(" [equal contribution]");
            }
            if !au.valid {
                line.push_str(" [invalid name]");
            }
            let _ = writeln!(out, "{line}");
            for aff in &au.affiliations {
                let _ = writeln!(out, "      {aff}");
            }
        }
        if !a.authors_complete {
            let _ = writeln!(out, "  (author list incomplete in PubMed)");
        }
    }
    if !a.investigators.is_empty() {
        let names: Vec<String> = a.investigators.iter().map(full_name).collect();
        let _ = writeln!(out, "Investigators: {}", names.join("; "));
    }
    if let Some(book) = &a.book {
        let _ = writeln!(
            out,
            "Book:      {} ({}{})",
            book.title.as_deref().unwrap_or("?"),
            book.publisher.as_deref().unwrap_or("?"),
            book.publisher_location
                .as_deref()
                .map(|l| format!(", {l}"))
                .unwrap_or_default()
        );
        if !book.editors.is_empty() {
            let names: Vec<String> = book.editors.iter().map(full_name).collect();
            let _ = writeln!(out, "Editors:   {}", names.join("; "));
        }
    }
    let types: Vec<&str> = a
        .publication_types
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    if !types.is_empty() {
        let _ = writeln!(out, "Type:      {}", types.join("; "));
    }
    if !a.languages.is_empty() {
        let _ = writeln!(out, "Language:  {}", a.languages.join(", "));
    }
    let _ = writeln!(
        out,
        "Status:    {} / {}",
        a.status.as_deref().unwrap_or("-"),
        a.publication_status.as_deref().unwrap_or("-")
    );
    for cc in &a.comments_corrections {
        let flag = match cc.ref_type.as_str() {
            "RetractionIn" => "RETRACTED: ",
            "ExpressionOfConcernIn" => "EXPRESSION OF CONCERN: ",
            "ErratumIn" => "ERRATUM: ",
            _ => "",
        };
        let _ = writeln!(
            out,
            "{flag}{} {}{}",
            cc.ref_type,
            cc.ref_source.as_deref().unwrap_or(""),
            cc.pmid.map(|p| format!(" (PMID {p})")).unwrap_or_default()
        );
    }
    if let Some(abs) = &a.abstract_ {
        let _ = writeln!(out, "\nAbstract:");
        for s in &abs.sections {
            match &s.label {
                Some(l) => {
                    let _ = writeln!(out, "  {l}: {}", s.text);
                }
                None => {
                    let _ = writeln!(out, "  {}", s.text);
                }
            }
        }
        if let Some(c) = &abs.copyright {
            let _ = writeln!(out, "  {c}");
        }
    }
    for other in &a.other_abstracts {
        let _ = writeln!(
            out,
            "\nOther abstract ({}, {}):\n  {}",
            other.abstract_type.as_deref().unwrap_or("-"),
            other.language.as_deref().unwrap_or("-"),
            other.plain_text()
        );
    }
    if !a.mesh.is_empty() {
        let _ = writeln!(out, "\nMeSH:");
        for m in &a.mesh {
            let quals: Vec<String> = m
                .qualifiers
                .iter()
                .map(|q| format!("{}{}", q.name, if q.major { "*" } else { "" }))
                .collect();
            let _ = writeln!(
                out,
                "  {}{}{}{}",
                m.descriptor,
                if m.major { "*" } else { "" },
                m.ui.as_deref()
                    .map(|u| format!(" [{u}]"))
                    .unwrap_or_default(),
                if quals.is_empty() {
                    String::new()
                } else {
                    format!(" / {}", quals.join(", "))
                }
            );
        }
    }
    if !a.keywords.is_empty() {
        let kw: Vec<&str> = a.keywords.iter().map(|k| k.text.as_str()).collect();
        let _ = writeln!(out, "\nKeywords:  {}", kw.join("; "));
    }
    if !a.chemicals.is_empty() {
        let c: Vec<&str> = a.chemicals.iter().map(|c| c.name.as_str()).collect();
        let _ = writeln!(out, "Chemicals: {}", c.join("; "));
    }
    if !a.grants.is_empty() {
        let _ = writeln!(out, "Grants:    {}", a.grants.len());
    }
    if let Some(coi) = &a.coi_statement {
        let _ = writeln!(out, "\nConflicts of interest: {coi}");
    }
    if !a.references.is_empty() {
        let _ = writeln!(out, "\nReferences: {}", a.references.len());
    }
    let _ = writeln!(out, "\nDates:");
    for h in &a.history {
        let _ = writeln!(
            out,
            "  {:<10} {}",
            h.status,
            h.date.iso().unwrap_or_default()
        );
    }
    // The history's "revised" is the manuscript's; MEDLINE's completed and revised dates are
    // the MEDLINE record's, on one line of their own so that no label appears twice.
    let medline: Vec<String> = [
        ("completed", iso(a.date_completed.as_ref())),
        ("last revised", iso(a.date_revised.as_ref())),
    ]
    .into_iter()
    .filter_map(|(label, d)| d.map(|d| format!("{label} {d}")))
    .collect();
    if !medline.is_empty() {
        let _ = writeln!(out, "  {:<10} {}", "record", medline.join(", "));
    }
    let _ = writeln!(
        out,
        "\nCatalogue: first seen {}, last changed {} by {}, {} earlier revision(s) kept",
        stored.first_seen,
        stored.last_changed,
        stored.source.as_deref().unwrap_or("?"),
        stored.revisions
    );
    out
}

/// "Fonoff, Erich Talamoni" style full name (or the collective name).
pub fn full_name(a: &Author) -> String {
    if let Some(c) = &a.collective {
        return c.clone();
    }
    let mut s = a.last.clone().unwrap_or_default();
    if let Some(f) = a.fore.as_ref().or(a.initials.as_ref()) {
        s.push_str(", ");
        s.push_str(f);
    }
    if let Some(x) = &a.suffix {
        s.push_str(", ");
        s.push_str(x);
    }
    s
}

/// A fact's figure with its unit, as `show`, reports and exports write it: "120", "14",
/// "12 months", "3-10", "20 ug/mL", "10 mL" (participants, studies and sessions are named by
/// the kind, so their unit is not repeated).
pub fn fact_figure(fact: &crate::abstracts::Fact) -> String {
    use crate::abstracts::FactKind;
    let figure = fact.figure();
    match fact.kind {
        FactKind::Participants | FactKind::Studies | FactKind::Sessions => figure,
        FactKind::FollowUp => {
            let plural = fact.largest().is_none_or(|x| x != 1.0);
            format!("{figure} {}{}", fact.unit, if plural { "s" } else { "" })
        }
        FactKind::Concentration | FactKind::Volume => format!("{figure} {}", fact.unit),
    }
}

/// The facts section of `show`: one line per fact with its evidence,
/// `participants: 120 (abstract: "One hundred and twenty adults were randomly assigned")`.
pub fn facts_text(facts: &[crate::abstracts::Fact]) -> String {
    let mut out = String::new();
    if facts.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nFacts:");
    for f in facts {
        let _ = writeln!(
            out,
            "  {}: {} ({}: {:?} @{})",
            f.kind.label(),
            fact_figure(f),
            f.source.as_str(),
            f.text,
            f.start
        );
    }
    out
}

/// The findings section of `show`: what the authors conclude overall, then one line per
/// outcome with its direction, comparator, significance and sentence,
/// `pain: benefit vs steroid, significant (abstract: "Pain fell more..." @412)`.
pub fn findings_text(findings: &crate::abstracts::findings::Findings) -> String {
    let mut out = String::new();
    if findings.findings.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nFindings:");
    if let Some(d) = findings.direction {
        let _ = writeln!(out, "  the authors conclude: {}", d.as_str());
    }
    for f in &findings.findings {
        let mut how = f.direction.as_str().to_string();
        if let Some(c) = &f.comparator {
            how.push_str(if c == "baseline" { " from " } else { " vs " });
            how.push_str(c);
        }
        if let Some(sig) = f.significance {
            how.push_str(", ");
            how.push_str(sig.as_str());
        }
        let _ = writeln!(
            out,
            "  {}: {} ({}: {:?} @{})",
            f.outcome.as_deref().unwrap_or("unspecific"),
            how,
            f.source.as_str(),
            f.text,
            f.start
        );
        if let Some(note) = &f.note {
            let _ = writeln!(out, "    note: {note}");
        }
    }
    out
}
