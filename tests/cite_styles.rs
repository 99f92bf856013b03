//! Formatted references (`evcat::export::cite`): an insta snapshot per style over the fixtures
//! (`tests/snapshots/cite_styles__<style>.snap`), and explicit checks of the NLM author form, the
//! "et al." rules and the key Magalhaes reference.
//!
//! Update the snapshots after an intended change with `INSTA_UPDATE=always cargo test --test
//! cite_styles` or `cargo insta review`.

use std::path::Path;

use evcat::export::cite::{CitationStyle, format_references, style_source};
use evcat::pubmed::{Article, Author, PubmedItem, PubmedReader};

/// The fixtures the snapshots cover, in order.
const FIXTURES: &[&str] = &[
    "fixtures/ozone-back-pain.xml",
    "fixtures/collective-name.xml",
    "fixtures/medline-date.xml",
    "fixtures/season.xml",
    "fixtures/book-article.xml",
    "fixtures/retracted.xml",
    "fixtures/markup-nested.xml",
];

const MAGALHAES_VANCOUVER: &str = "Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET. Ozone therapy as a treatment for low back pain secondary to herniated disc: a systematic review and meta-analysis of randomized controlled trials. Pain Physician. 2012 Mar;15(2):E115-29. PMID: 22430658.";

fn read_fixture(path: &str) -> Vec<Article> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let input = evcat::pubmed::input::open_input(&root.join(path)).unwrap();
    let mut reader = PubmedReader::new(input.reader);
    let mut out = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let PubmedItem::Article(a) = item {
            out.push(*a);
        }
    }
    out
}

fn article(pmid: u64) -> Article {
    FIXTURES
        .iter()
        .flat_map(|f| read_fixture(f))
        .find(|a| a.pmid == pmid)
        .unwrap_or_else(|| panic!("PMID {pmid} not in the fixtures"))
}

fn one(a: &Article, style: CitationStyle) -> String {
    format_references(std::slice::from_ref(a), style)
        .unwrap()
        .remove(0)
}

/// Magalhaes with `n` authors (the five real ones, then numbered extra ones).
fn with_authors(n: usize) -> Article {
    let mut a = article(22430658);
    let base = a.authors.clone();
    a.authors = (0..n)
        .map(|i| {
            if i < base.len() {
                base[i].clone()
            } else {
                Author {
                    last: Some(format!("Extra{}", i + 1)),
                    initials: Some("XY".into()),
                    fore: Some("Xavier Y".into()),
                    valid: true,
                    ..Author::default()
                }
            }
        })
        .collect();
    a
}

/// Records covered by the snapshots: every fixture record, then synthetic author counts.
fn snapshot_records() -> Vec<(String, Article)> {
    let mut out = Vec::new();
    for f in FIXTURES {
        for a in read_fixture(f) {
            out.push((format!("{f} {}", a.pmid), a));
        }
    }
    for n in [6, 7, 8] {
        let mut a = with_authors(n);
        a.pmid = 90_000_000 + n as u64;
        out.push((format!("synthetic: Magalhaes with {n} authors"), a));
    }
    let mut a = article(22430658);
    a.authors.clear();
    a.pmid = 90_000_000;
    out.push(("synthetic: Magalhaes without authors".to_string(), a));
    let mut a = article(22430658);
    a.pmid = 90_000_001;
    a.journal.volume = None;
    a.journal.issue = None;
    a.pagination = Default::default();
    a.ids.push(evcat::pubmed::ArticleId {
        id_type: "doi".into(),
        value: "10.1000/example.1".into(),
    });
    a.ids.push(evcat::pubmed::ArticleId {
        id_type: "pmc".into(),
        value: "PMC1234567".into(),
    });
    a.authors[0].last = Some("García".into());
    out.push((
        "synthetic: no volume/issue/pages, DOI, PMCID, García".to_string(),
        a,
    ));
    out
}

#[test]
fn every_style_matches_its_snapshot() {
    let records = snapshot_records();
    let articles: Vec<Article> = records.iter().map(|(_, a)| a.clone()).collect();
    for style in CitationStyle::ALL {
        let refs = format_references(&articles, style).unwrap();
        assert_eq!(refs.len(), articles.len(), "one reference per article");
        let mut text = format!("# {}\n", style_source(style));
        for ((label, _), r) in records.iter().zip(&refs) {
            text.push_str(&format!("\n## {label}\n{r}\n"));
        }
        insta::assert_snapshot!(style.name(), text);
    }
}

#[test]
fn magalhaes_vancouver_is_the_pubmed_form() {
    assert_eq!(
        one(&article(22430658), CitationStyle::Vancouver),
        MAGALHAES_VANCOUVER
    );
}

#[test]
fn magalhaes_other_styles() {
    let a = article(22430658);
    let ama = one(&a, CitationStyle::Ama);
    assert!(
        ama.starts_with("Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET. Ozone therapy"),
        "{ama}"
    );
    assert!(
        ama.contains("Pain Physician. 2012;15(2):E115-E129."),
        "{ama}"
    );
    assert!(ama.ends_with(" PMID: 22430658."), "{ama}");
    let apa = one(&a, CitationStyle::Apa);
    assert!(
        apa.starts_with(
            "Magalhaes, F. N., Dotta, L., Sasse, A., Teixeira, M. J., & Fonoff, E. T. (2012)."
        ),
        "{apa}"
    );
    assert!(apa.contains("15(2), E115–E129"), "{apa}");
    let harvard = one(&a, CitationStyle::Harvard);
    assert!(harvard.starts_with("Magalhaes, F.N."), "{harvard}");
    assert!(harvard.contains("(2012)"), "{harvard}");
}

/// The author list of a Vancouver/AMA reference: everything before the first ". ".
fn nlm_authors(r: &str) -> &str {
    &r[..r.find(". ").unwrap()]
}

#[test]
fn vancouver_et_al_after_six() {
    let six = one(&with_authors(6), CitationStyle::Vancouver);
    assert_eq!(
        nlm_authors(&six),
        "Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET, Extra6 XY"
    );
    let seven = one(&with_authors(7), CitationStyle::Vancouver);
    assert_eq!(
        nlm_authors(&seven),
        "Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET, Extra6 XY, et al"
    );
    assert!(
        seven.starts_with(
            "Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET, Extra6 XY, et al. Ozone"
        ),
        "{seven}"
    );
    assert!(!seven.contains("Extra7"), "{seven}");
}

#[test]
fn ama_all_up_to_six_then_three_et_al() {
    let six = one(&with_authors(6), CitationStyle::Ama);
    assert_eq!(
        nlm_authors(&six),
        "Magalhaes FN, Dotta L, Sasse A, Teixeira MJ, Fonoff ET, Extra6 XY"
    );
    let seven = one(&with_authors(7), CitationStyle::Ama);
    assert!(
        seven.starts_with("Magalhaes FN, Dotta L, Sasse A, et al. Ozone"),
        "{seven}"
    );
    let eight = one(&with_authors(8), CitationStyle::Ama);
    assert!(
        eight.starts_with("Magalhaes FN, Dotta L, Sasse A, et al. Ozone"),
        "{eight}"
    );
}

#[test]
fn collective_author_is_literal() {
    let a = article(99000031);
    let v = one(&a, CitationStyle::Vancouver);
    assert!(v.contains("SCIATICA-PRAG Trial Investigators"), "{v}");
    let apa = one(&a, CitationStyle::Apa);
    assert!(apa.contains("SCIATICA-PRAG Trial Investigators"), "{apa}");
}

#[test]
fn medline_date_kept_in_vancouver_year_in_author_date() {
    let a = article(99000001);
    let v = one(&a, CitationStyle::Vancouver);
    assert!(v.contains("J Spine Interv. 1998 Dec-1999 Jan;"), "{v}");
    let apa = one(&a, CitationStyle::Apa);
    assert!(apa.contains("(1998)"), "{apa}");
    let harvard = one(&a, CitationStyle::Harvard);
    assert!(harvard.contains("(1998)"), "{harvard}");
}

#[test]
fn no_authors_title_first() {
    let mut a = article(22430658);
    a.authors.clear();
    for style in [
        CitationStyle::Vancouver,
        CitationStyle::Ama,
        CitationStyle::Apa,
    ] {
        let r = one(&a, style);
        assert!(r.starts_with("Ozone therapy"), "{style:?}: {r}");
    }
    // Cite Them Right substitutes the journal for a missing author (the style's own rule).
    let r = one(&a, CitationStyle::Harvard);
    assert!(r.starts_with("Pain Physician (2012) “Ozone therapy"), "{r}");
}

#[test]
fn season_kept_in_vancouver_only() {
    let a = article(99000011);
    let v = one(&a, CitationStyle::Vancouver);
    assert!(v.contains("J Spine Interv. 2003 Spring;7(2):55-61."), "{v}");
    let apa = one(&a, CitationStyle::Apa);
    assert!(apa.contains("(2003)."), "{apa}");
}

#[test]
fn doi_and_pmcid_in_pubmed_form() {
    let a = article(29633741);
    let v = one(&a, CitationStyle::Vancouver);
    assert!(v.ends_with("Acta Biomed. 2018 Jan 16;89(1):41-6. doi: 10.23750/abm.v89i1.5315. PMID: 29633741; PMCID: PMC6357609."), "{v}");
    let ama = one(&a, CitationStyle::Ama);
    assert!(
        ama.ends_with("doi:10.23750/abm.v89i1.5315. PMID: 29633741; PMCID: PMC6357609."),
        "{ama}"
    );
}

#[test]
fn markup_dropped_and_non_ascii_kept() {
    let a = article(99000021);
    for style in CitationStyle::ALL {
        let r = one(&a, style);
        assert!(!r.contains('<') || r.contains("<test>"), "{style:?}: {r}");
        assert!(
            !r.contains("<i>") && !r.contains("<sup>") && !r.contains('*'),
            "{style:?}: {r}"
        );
        assert!(r.contains("α-synuclein"), "{style:?}: {r}");
    }
}

#[test]
fn retracted_records_say_so() {
    let a = article(99000101);
    for style in CitationStyle::ALL {
        let r = one(&a, style);
        assert!(
            r.contains("Retraction in:") || r.contains("[Retracted]"),
            "{style:?}: {r}"
        );
    }
}

#[test]
fn book_chapter_names_the_book() {
    let a = article(28722852);
    for style in CitationStyle::ALL {
        let r = one(&a, style);
        assert!(
            r.contains("Disc Herniation") || r.contains("Disc herniation"),
            "{style:?}: {r}"
        );
        assert!(r.contains("StatPearls"), "{style:?}: {r}");
    }
}

#[test]
fn input_order_is_kept() {
    let articles = read_fixture("fixtures/ozone-back-pain.xml");
    let refs = format_references(&articles, CitationStyle::Apa).unwrap();
    assert_eq!(refs.len(), articles.len());
    for (a, r) in articles.iter().zip(&refs) {
        let last = a
            .authors
            .first()
            .and_then(|x| x.last.clone().or(x.collective.clone()));
        if let Some(last) = last {
            assert!(r.starts_with(&last), "{r} should start with {last}");
        }
    }
}
