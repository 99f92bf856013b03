//! Export formats: insta snapshots (`tests/snapshots/export_formats__records.<ext>.snap`) over
//! awkward fixture records (collective authors, no authors,
//! MedlineDate, season, non-ASCII names, title markup and LaTeX specials, a book record, a
//! retracted and a deleted record, the Magalhaes review with tags and a stance), plus round trips
//! through real readers (the `biblatex` crate, serde_json with the CSL data schema, a small RIS
//! reader, the `csv` crate) and BibTeX key uniqueness.
//!
//! Update the snapshots after an intended change with `INSTA_UPDATE=always cargo test --test
//! export_formats` or `cargo insta review`. The CSL data schema is `tests/data/csl-data.json`.

use std::collections::HashSet;
use std::path::PathBuf;

use biblatex::{Bibliography, ChunksExt};
use evcat::export::formats::{ExportFormat, bibtex_key, writer_for};
use evcat::export::{ExportRecord, ExportStance};
use evcat::pubmed::input::open_input;
use evcat::pubmed::{Article, PubDate, PubmedItem, PubmedReader};
use evcat::store::articles::StoredArticle;
use evcat::store::tags::StoredTag;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(file: &str) -> Vec<Article> {
    let input = open_input(&root().join("fixtures").join(file)).expect("fixture opens");
    let mut reader = PubmedReader::new(input.reader);
    let mut out = Vec::new();
    while let Some(item) = reader.next_item().expect("fixture parses") {
        if let PubmedItem::Article(a) = item {
            out.push(*a);
        }
    }
    out
}

fn article(file: &str, pmid: u64) -> Article {
    load(file)
        .into_iter()
        .find(|a| a.pmid == pmid)
        .unwrap_or_else(|| panic!("{pmid} in {file}"))
}

fn stored(article: Article) -> StoredArticle {
    StoredArticle {
        article,
        deleted: false,
        deleted_at: None,
        deleted_source: None,
        has_data: true,
        first_seen: "2025-01-01T00:00:00Z".into(),
        last_changed: "2025-01-01T00:00:00Z".into(),
        source: Some("fixtures".into()),
        revisions: 0,
    }
}

fn tag(dimension: &str, id: &str, level: Option<i64>) -> StoredTag {
    StoredTag {
        dimension: dimension.into(),
        tag: id.into(),
        source: "title".into(),
        text: None,
        start: None,
        end: None,
        level,
        negated: false,
        origin: "rule".into(),
        evidence: Vec::new(),
    }
}

fn record(article: Article, tags: Vec<StoredTag>) -> ExportRecord {
    ExportRecord {
        stored: stored(article),
        tags,
        stance: None,
        facts: Vec::new(),
    }
}

/// The awkward records, in a fixed order.
fn records() -> Vec<ExportRecord> {
    let mut out = Vec::new();

    // The Magalhaes review, fully tagged, with a stance.
    let mut magalhaes = record(
        article("ozone-back-pain.xml", 22430658),
        vec![
            tag("condition", "herniated-disc", None),
            tag("condition", "low-back-pain", None),
            tag("design", "meta-analysis", Some(1)),
            tag("design", "systematic-review", Some(1)),
            tag("intervention", "ozone", None),
            tag("outcome", "pain", None),
            tag("population", "adults", None),
            tag("route", "intradiscal", None),
        ],
    );
    magalhaes.stance = Some(ExportStance {
        claim: "ozone-disc-pain".into(),
        stance: "supports".into(),
        note: Some("pooled RCTs; low certainty".into()),
    });
    out.push(magalhaes);

    // Persons with a suffix, García, an invalid name, a collective author in the middle.
    out.push(record(
        article("collective-name.xml", 99000031),
        vec![
            tag("condition", "sciatica", None),
            tag("design", "rct", Some(2)),
        ],
    ));
    // Only a collective author.
    out.push(record(article("collective-name.xml", 99000032), Vec::new()));

    // No authors (and a season date).
    let mut no_authors = load("season.xml").remove(0);
    no_authors.authors.clear();
    out.push(record(no_authors, Vec::new()));

    // MedlineDate.
    out.push(record(article("medline-date.xml", 99000001), Vec::new()));

    // Title and abstract markup, non-ASCII names.
    out.push(record(article("markup-nested.xml", 99000021), Vec::new()));

    // LaTeX and RIS specials in a title.
    let mut specials = article("collective-name.xml", 99000032);
    specials.pmid = 99009999;
    specials.title.text =
        "Costs of 50% {dose} in $US: #1 test_case ~ 2^3 \\ path & the \"DNA\" of {unbalanced."
            .into();
    out.push(record(specials, Vec::new()));

    // Book record.
    out.push(record(
        article("book-article.xml", 28722852),
        vec![tag("condition", "herniated-disc", None)],
    ));

    // Retracted.
    out.push(record(
        article("retracted.xml", 99000101),
        vec![
            tag("intervention", "ozone", None),
            tag("design", "rct", Some(2)),
        ],
    ));

    // Deleted from PubMed.
    let mut deleted = record(article("medline-date.xml", 99000002), Vec::new());
    deleted.stored.deleted = true;
    deleted.stored.deleted_at = Some("2025-02-01T00:00:00Z".into());
    out.push(deleted);

    // Every element PubMed has: DOI, PMCID, keywords, chemicals, investigators, grants.
    out.push(record(
        load("full-elements.xml").remove(0),
        vec![
            tag("outcome", "function", None),
            tag("population", "older-adults", None),
        ],
    ));

    out
}

fn export(format: ExportFormat, records: &[ExportRecord]) -> String {
    let mut out: Vec<u8> = Vec::new();
    let mut w = writer_for(format);
    w.begin(&mut out).unwrap();
    for r in records {
        w.write(&mut out, r).unwrap();
    }
    w.end(&mut out).unwrap();
    String::from_utf8(out).expect("UTF-8 output")
}

/// Compares an export with its snapshot. insta trims trailing whitespace before comparing, but
/// how a file ends is part of each format (RIS and BibTeX end with a blank line), so the ending is
/// checked exactly here.
fn check_snapshot(name: &str, actual: &str, ending: &str) {
    insta::assert_snapshot!(name, actual);
    assert_eq!(
        &actual[actual.trim_end().len()..],
        ending,
        "{name}: how the file ends"
    );
}

#[test]
fn snapshot_ris() {
    check_snapshot(
        "records.ris",
        &export(ExportFormat::Ris, &records()),
        " \n\n",
    );
}

#[test]
fn snapshot_bibtex() {
    check_snapshot(
        "records.bib",
        &export(ExportFormat::Bibtex, &records()),
        "\n\n",
    );
}

#[test]
fn snapshot_csl_json() {
    check_snapshot(
        "records.csl.json",
        &export(ExportFormat::CslJson, &records()),
        "\n",
    );
}

#[test]
fn snapshot_nbib() {
    check_snapshot(
        "records.nbib",
        &export(ExportFormat::Nbib, &records()),
        "\n",
    );
}

#[test]
fn snapshot_csv() {
    check_snapshot("records.csv", &export(ExportFormat::Csv, &records()), "\n");
}

#[test]
fn snapshot_jsonl() {
    check_snapshot(
        "records.jsonl",
        &export(ExportFormat::Jsonl, &records()),
        "\n",
    );
}

/// Expected authors: family name (or the collective name), in order.
fn family_names(a: &Article) -> Vec<String> {
    a.authors
        .iter()
        .filter_map(|au| au.collective.clone().or_else(|| au.last.clone()))
        .collect()
}

#[test]
fn bibtex_round_trips_through_biblatex() {
    let recs = records();
    let text = export(ExportFormat::Bibtex, &recs);
    let bib = Bibliography::parse(&text).unwrap_or_else(|e| panic!("biblatex parse error: {e:?}"));
    assert_eq!(bib.len(), recs.len());
    for r in &recs {
        let a = &r.stored.article;
        let key = bibtex_key(a);
        let entry = bib.get(&key).unwrap_or_else(|| panic!("entry {key}"));
        let authors = entry.author().unwrap_or_default();
        let names: Vec<String> = authors.iter().map(|p| p.name.clone()).collect();
        assert_eq!(names, family_names(a), "authors of {key}");
        let given: Vec<String> = authors.iter().map(|p| p.given_name.clone()).collect();
        let expected_given: Vec<String> = a
            .authors
            .iter()
            .filter(|au| au.collective.is_some() || au.last.is_some())
            .map(|au| {
                if au.collective.is_some() {
                    String::new()
                } else {
                    au.fore.clone().unwrap_or_default()
                }
            })
            .collect();
        assert_eq!(given, expected_given, "given names of {key}");
        let suffixes: Vec<String> = authors.iter().map(|p| p.suffix.clone()).collect();
        let expected_suffixes: Vec<String> = a
            .authors
            .iter()
            .filter(|au| au.collective.is_some() || au.last.is_some())
            .map(|au| {
                if au.collective.is_some() {
                    String::new()
                } else {
                    au.suffix.clone().unwrap_or_default()
                }
            })
            .collect();
        assert_eq!(suffixes, expected_suffixes, "suffixes of {key}");
        let title = entry
            .get("title")
            .map(|t| t.format_verbatim())
            .unwrap_or_default();
        assert_eq!(title, without_period(&a.title.text), "title of {key}");
        assert_eq!(
            entry.doi().ok(),
            a.doi().map(str::to_string),
            "DOI of {key}"
        );
        let pmid = entry.get("pmid").map(|t| t.format_verbatim());
        assert_eq!(pmid, Some(a.pmid.to_string()));
    }
    // Retraction and deletion notes.
    let retracted = bib.get(&bibtex_key(&recs[8].stored.article)).unwrap();
    assert!(
        retracted
            .get("note")
            .unwrap()
            .format_verbatim()
            .starts_with("RETRACTED")
    );
    let deleted = bib.get(&bibtex_key(&recs[9].stored.article)).unwrap();
    assert_eq!(
        deleted.get("note").unwrap().format_verbatim(),
        "Deleted from PubMed"
    );
    // Tags and stance in their fields.
    let m = bib.get("magalhaes2012ozone-22430658").unwrap();
    let f = |name: &str| m.get(name).map(|c| c.format_verbatim()).unwrap_or_default();
    assert_eq!(f("evcat-condition"), "herniated-disc, low-back-pain");
    assert_eq!(f("evcat-design"), "meta-analysis, systematic-review");
    assert_eq!(f("evcat-level"), "1");
    assert_eq!(
        f("evcat-stance"),
        "ozone-disc-pain: supports (pooled RCTs; low certainty)"
    );
    assert_eq!(f("shortjournal"), "Pain Physician");
    // The book record is a chapter in a book.
    let book = bib.get(&bibtex_key(&recs[7].stored.article)).unwrap();
    assert_eq!(book.entry_type.to_string(), "incollection");
    assert_eq!(
        book.get("booktitle").unwrap().format_verbatim(),
        "StatPearls"
    );
    assert_eq!(book.editors().unwrap()[0].0[0].name, "Mesfin");
}

#[test]
fn bibtex_braces_balance() {
    let text = export(ExportFormat::Bibtex, &records());
    // BibTeX matches braces literally: an escaped `\{` counts too.
    let mut depth = 0i64;
    for (i, c) in text.chars().enumerate() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        assert!(depth >= 0, "unbalanced at char {i}");
    }
    assert_eq!(depth, 0);
}

#[test]
fn bibtex_keys_examples() {
    let recs = records();
    let keys: Vec<String> = recs.iter().map(|r| bibtex_key(&r.stored.article)).collect();
    assert_eq!(keys[0], "magalhaes2012ozone-22430658");
    assert_eq!(keys[1], "smith2020injection-99000031");
    assert_eq!(keys[2], "example2020consensus-99000032");
    assert!(keys[3].starts_with("anon2003"), "{}", keys[3]);
    assert_eq!(keys[4], "rossi1998paravertebral-99000001");
    assert_eq!(keys[5], "muller2021effect-99000021");
    let mut undated = recs[4].stored.article.clone();
    undated.journal.pub_date = PubDate::default();
    undated.history.clear();
    undated.authors[0].last = Some("Núñez".into());
    assert_eq!(bibtex_key(&undated), "nunezndparavertebral-99000001");
}

#[test]
fn bibtex_keys_unique_and_stable_on_10000_records() {
    let base: Vec<Article> = records().into_iter().map(|r| r.stored.article).collect();
    let generate = || -> Vec<String> {
        (0..10_000u64)
            .map(|i| {
                let mut a = base[(i as usize) % base.len()].clone();
                a.pmid = 30_000_000 + i;
                bibtex_key(&a)
            })
            .collect()
    };
    let first = generate();
    let second = generate();
    assert_eq!(first, second, "keys are stable across runs");
    let distinct: HashSet<&String> = first.iter().collect();
    assert_eq!(distinct.len(), first.len(), "keys are unique");
    assert!(first.iter().all(|k| {
        k.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }));
}

fn csl_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/data/csl-data.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("CSL schema compiles")
}

#[test]
fn csl_json_validates_and_round_trips() {
    let recs = records();
    let text = export(ExportFormat::CslJson, &recs);
    let value: serde_json::Value = serde_json::from_str(&text).expect("CSL-JSON parses");
    let validator = csl_validator();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "schema errors: {errors:#?}");
    let items = value.as_array().unwrap();
    assert_eq!(items.len(), recs.len());
    for (item, r) in items.iter().zip(&recs) {
        let a = &r.stored.article;
        assert_eq!(item["id"], format!("pmid:{}", a.pmid));
        assert_eq!(item["PMID"], a.pmid.to_string());
        assert_eq!(
            item["title"].as_str().unwrap_or(""),
            without_period(&a.title.text)
        );
        assert_eq!(item["DOI"].as_str(), a.doi());
        let names: Vec<String> = item["author"]
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|n| {
                        n.get("literal")
                            .or_else(|| n.get("family"))
                            .and_then(|s| s.as_str())
                            .unwrap()
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(names, family_names(a));
    }
    assert_eq!(items[0]["type"], "article-journal");
    assert_eq!(items[0]["container-title-short"], "Pain Physician");
    assert_eq!(
        items[0]["issued"]["date-parts"],
        serde_json::json!([[2012, 3]])
    );
    let note = items[0]["note"].as_str().unwrap();
    assert!(
        note.contains("design=meta-analysis (level 1), systematic-review (level 1)"),
        "{note}"
    );
    assert!(note.contains("stance=ozone-disc-pain: supports"), "{note}");
    assert_eq!(
        items[2]["author"],
        serde_json::json!([{"literal": "Example Spine Injection Reporting Working Group"}])
    );
    assert_eq!(
        items[4]["issued"],
        serde_json::json!({"date-parts": [[1998]], "raw": "1998 Dec-1999 Jan"})
    );
    assert_eq!(items[7]["type"], "chapter");
    assert_eq!(items[7]["container-title"], "StatPearls");
    assert_eq!(items[7]["publisher"], "StatPearls Publishing");
    assert!(items[8]["note"].as_str().unwrap().contains("RETRACTED"));
    assert!(
        items[9]["note"]
            .as_str()
            .unwrap()
            .contains("Deleted from PubMed")
    );
}

#[test]
fn csl_json_empty_export_is_an_empty_array() {
    let text = export(ExportFormat::CslJson, &[]);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value, serde_json::json!([]));
    assert!(csl_validator().is_valid(&value));
}

/// A small RIS reader: records end at "ER  -", fields are "XX  - value".
fn read_ris(text: &str) -> Vec<Vec<(String, String)>> {
    let mut records = Vec::new();
    let mut current = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        assert!(
            line.len() >= 6 && &line[2..6] == "  - ",
            "bad RIS line {line:?}"
        );
        let tag = &line[..2];
        let value = line[6..].to_string();
        if tag == "ER" {
            records.push(std::mem::take(&mut current));
        } else {
            current.push((tag.to_string(), value));
        }
    }
    assert!(current.is_empty(), "unterminated record");
    records
}

#[test]
fn ris_round_trips() {
    let recs = records();
    let text = export(ExportFormat::Ris, &recs);
    let parsed = read_ris(&text);
    assert_eq!(parsed.len(), recs.len());
    for (fields, r) in parsed.iter().zip(&recs) {
        let a = &r.stored.article;
        let all = |t: &str| {
            fields
                .iter()
                .filter(|(k, _)| k == t)
                .map(|(_, v)| v.clone())
                .collect::<Vec<_>>()
        };
        let one = |t: &str| all(t).into_iter().next();
        assert_eq!(fields[0].0, "TY");
        let families: Vec<String> = all("AU")
            .iter()
            .map(|v| v.split(", ").next().unwrap().to_string())
            .collect();
        assert_eq!(families, family_names(a));
        assert_eq!(one("TI").unwrap_or_default(), a.title.text);
        assert_eq!(one("DO").as_deref(), a.doi());
        assert_eq!(one("AN"), Some(a.pmid.to_string()));
    }
    let m = &parsed[0];
    let get = |t: &str| {
        m.iter()
            .filter(|(k, _)| k == t)
            .map(|(_, v)| v.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(get("TY"), ["JOUR"]);
    assert_eq!(get("C1"), ["herniated-disc; low-back-pain"]);
    assert_eq!(
        get("C4"),
        ["meta-analysis (level 1); systematic-review (level 1)"]
    );
    assert_eq!(get("SP"), ["E115"]);
    assert_eq!(get("EP"), ["E129"]);
    assert!(get("KW").contains(&"Low Back Pain/drug therapy/etiology"));
    assert!(
        get("N1").contains(&"evcat stance: ozone-disc-pain: supports (pooled RCTs; low certainty)")
    );
    let smith = &parsed[1];
    assert_eq!(
        smith.iter().find(|(k, _)| k == "AU").unwrap().1,
        "Smith, John, Jr"
    );
    let book = &parsed[7];
    assert!(book.contains(&("TY".into(), "CHAP".into())));
    assert!(book.contains(&("T2".into(), "StatPearls".into())));
    assert!(book.contains(&("PB".into(), "StatPearls Publishing".into())));
    assert!(book.contains(&("CY".into(), "Treasure Island (FL)".into())));
    assert!(parsed[4].contains(&("DA".into(), "1998///1998 Dec-1999 Jan".into())));
    assert!(parsed[4].contains(&("EP".into(), "409".into())));
    assert!(
        parsed[8]
            .iter()
            .any(|(k, v)| k == "N1" && v.starts_with("RETRACTED"))
    );
    assert!(parsed[9].contains(&("N1".into(), "Deleted from PubMed".into())));
    let full = &parsed[10];
    assert!(full.contains(&("DO".into(), "10.9999/fjmr.2024.0001".into())));
    assert!(full.contains(&("C2".into(), "PMC9999999".into())));
    assert!(full.contains(&("C6".into(), "NIHMS9999999".into())));
}

#[test]
fn nbib_lines_wrap_and_records_separate() {
    let recs = records();
    let text = export(ExportFormat::Nbib, &recs);
    for line in text.lines() {
        assert!(line.chars().count() <= 88, "line too long: {line:?}");
        assert!(
            line.is_empty()
                || line.starts_with("      ")
                || (line.len() >= 6 && &line[4..6] == "- "),
            "bad NBIB line {line:?}"
        );
    }
    let blocks: Vec<&str> = text.split("\n\n").collect();
    assert_eq!(blocks.len(), recs.len());
    for (block, r) in blocks.iter().zip(&recs) {
        assert!(block.starts_with(&format!("PMID- {}\n", r.stored.article.pmid)));
    }
    assert!(blocks[0].contains("\nMH  - Low Back Pain/*drug therapy/etiology\n"));
    assert!(blocks[0].contains("\nFAU - Magalhaes, Francisco N de Oliveira\nAU  - Magalhaes FN\n"));
    assert!(blocks[2].contains("\nCN  - Example Spine Injection Reporting Working Group\n"));
    assert!(blocks[4].contains("\nDP  - 1998 Dec-1999 Jan\n"));
    assert!(blocks[8].contains("\nRIN - J Spine Interv. 2024 Jan;26(1):77. PMID: 99000102\n"));
    assert!(blocks[8].contains("\nGN  - RETRACTED"));
    assert!(blocks[9].contains("\nGN  - Deleted from PubMed\n"));
    // Unwrapping continuation lines gives back the abstract.
    let ab: String = blocks[0]
        .lines()
        .skip_while(|l| !l.starts_with("AB  - "))
        .take_while(|l| l.starts_with("AB  - ") || l.starts_with("      "))
        .map(|l| &l[6..])
        .collect::<Vec<_>>()
        .join(" ");
    assert!(ab.starts_with("BACKGROUND: "), "{ab}");
}

#[test]
fn csv_and_jsonl_have_the_same_columns() {
    let recs = records();
    let csv_text = export(ExportFormat::Csv, &recs);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers, evcat::export::formats::table::COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), recs.len());
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(&rows[0][col("pmid")], "22430658");
    assert_eq!(
        &rows[0][col("authors")],
        "Magalhaes FN; Dotta L; Sasse A; Teixeira MJ; Fonoff ET"
    );
    assert_eq!(&rows[0][col("condition")], "herniated-disc;low-back-pain");
    assert_eq!(&rows[0][col("level")], "1");
    assert_eq!(&rows[0][col("stance")], "supports");
    assert_eq!(&rows[0][col("claim")], "ozone-disc-pain");
    assert_eq!(&rows[0][col("tags_other")], "population/adults");
    assert_eq!(&rows[8][col("retracted")], "true");
    assert_eq!(&rows[9][col("deleted")], "true");

    let jsonl = export(ExportFormat::Jsonl, &recs);
    let lines: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), recs.len());
    for v in &lines {
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        let mut expected: Vec<&str> = evcat::export::formats::table::COLUMNS.to_vec();
        expected.sort_unstable();
        let mut got: Vec<&str> = keys.iter().map(|k| k.as_str()).collect();
        got.sort_unstable();
        assert_eq!(got, expected);
    }
    assert_eq!(
        lines[0]["condition"],
        serde_json::json!(["herniated-disc", "low-back-pain"])
    );
    assert_eq!(lines[0]["pmid"], 22430658);
    assert_eq!(lines[8]["retracted"], true);

    let empty = export(ExportFormat::Csv, &[]);
    assert_eq!(empty.lines().count(), 1);
}

#[test]
fn tombstone_without_data_exports_everywhere() {
    let mut tomb = record(
        Article {
            pmid: 12345,
            ..Article::default()
        },
        Vec::new(),
    );
    tomb.stored.deleted = true;
    tomb.stored.has_data = false;
    let recs = vec![tomb];
    for format in [
        ExportFormat::Ris,
        ExportFormat::Bibtex,
        ExportFormat::CslJson,
        ExportFormat::Nbib,
        ExportFormat::Csv,
        ExportFormat::Jsonl,
    ] {
        let text = export(format, &recs);
        assert!(text.contains("12345"), "{format:?}: {text}");
    }
    let bib = Bibliography::parse(&export(ExportFormat::Bibtex, &recs)).unwrap();
    assert!(bib.get("anonnd-12345").is_some());
    let csl: serde_json::Value =
        serde_json::from_str(&export(ExportFormat::CslJson, &recs)).unwrap();
    assert!(csl_validator().is_valid(&csl));
}

/// Item 13 of issue 11: the full journal title in title case (PubMed registers "Pain physician"),
/// the ISO abbreviation where a short form is wanted, titles without PubMed's closing period,
/// and CSL `keyword` joined so that a MeSH heading with a comma stays one keyword.
#[test]
fn journal_titles_title_cased_titles_without_period_keywords_kept_whole() {
    let records = vec![
        record(article("ozone-back-pain.xml", 22430658), vec![]),
        record(article("ozone-back-pain.xml", 17209164), vec![]),
    ];
    let ris = export(ExportFormat::Ris, &records);
    assert!(ris.contains("T2  - Pain Physician\n"), "{ris}");
    assert!(ris.contains("J2  - Pain Physician\n"), "{ris}");
    let bib = export(ExportFormat::Bibtex, &records);
    assert!(bib.contains("journal = {Pain Physician},"), "{bib}");
    assert!(
        bib.contains("randomized controlled trials}},") && !bib.contains("trials.}}"),
        "{bib}"
    );
    let csl: serde_json::Value =
        serde_json::from_str(&export(ExportFormat::CslJson, &records)).unwrap();
    assert_eq!(csl[0]["container-title"], "Pain Physician");
    assert_eq!(csl[0]["container-title-short"], "Pain Physician");
    let title = csl[0]["title"].as_str().unwrap();
    assert!(title.ends_with("randomized controlled trials"), "{title}");
    let keywords: Vec<&str> = csl[1]["keyword"].as_str().unwrap().split("; ").collect();
    assert!(
        keywords.contains(&"Injections, Spinal/methods"),
        "{keywords:?}"
    );
    assert!(
        keywords.contains(&"Tomography, X-Ray Computed"),
        "{keywords:?}"
    );
}

/// PubMed's title without its closing period (README: BibTeX and CSL `title`).
fn without_period(t: &str) -> &str {
    let t = t.trim();
    t.strip_suffix('.')
        .filter(|s| !s.ends_with('.'))
        .unwrap_or(t)
        .trim_end()
}
