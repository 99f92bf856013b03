//! The record model: one [`Article`] per `PubmedArticle` or `PubmedBookArticle`, and the PMIDs of a
//! `DeleteCitation`. Every field evcat reads from PubMed XML lives here, named for what it is rather
//! than for its XML element; the XML element is given in each field's doc comment.
//!
//! The model is plain data. The reader (`pubmed::reader`) fills it (also when the store reads a
//! record back from its stored XML), the store writes the fields queries use to tables, and
//! `evcat show --format json` serialises it.

use serde::{Deserialize, Serialize};

/// A PubMed identifier. PMIDs are kept as 64-bit integers: nothing assumes they fit 32 bits.
pub type Pmid = u64;

/// One item of a PubMed XML file, in file order.
#[derive(Debug, Clone, PartialEq)]
pub enum PubmedItem {
    /// A `PubmedArticle` or `PubmedBookArticle`.
    Article(Box<Article>),
    /// A `DeleteCitation`: these PMIDs were withdrawn from PubMed.
    Deletion(Vec<Pmid>),
}

/// Whether a record is a journal article or a book (chapter) record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// `PubmedArticle`.
    #[default]
    Journal,
    /// `PubmedBookArticle`.
    Book,
}

impl RecordKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Journal => "journal",
            RecordKind::Book => "book",
        }
    }
    /// Parses the stored name.
    pub fn from_stored(name: &str) -> RecordKind {
        if name == "book" {
            RecordKind::Book
        } else {
            RecordKind::Journal
        }
    }
}

/// A text that may carry inline markup (`<i>`, `<b>`, `<sup>`, `<sub>`, `<u>`, MathML).
///
/// `text` is the plain text, every character of the source kept, used for search and plain
/// output. `markup` is the element's content exactly as the source wrote it (escaped XML), kept
/// only when it differs from `text` because elements were present.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MarkedText {
    /// Plain text with entity and character references decoded.
    pub text: String,
    /// The original XML content of the element, when it held inline elements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
}

/// A date given as separate parts (`Year`, `Month`, `Day`, optionally `Hour`, `Minute`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartialDate {
    /// Four-digit year.
    pub year: Option<i32>,
    /// Month number, 1-12 (month names such as "Mar" are converted).
    pub month: Option<u8>,
    /// Day of the month.
    pub day: Option<u8>,
    /// Hour, for PubMed history dates.
    pub hour: Option<u8>,
    /// Minute, for PubMed history dates.
    pub minute: Option<u8>,
}

impl PartialDate {
    /// ISO 8601 form: `2012-03-05`, `2012-03` or `2012`; `None` without a year.
    pub fn iso(&self) -> Option<String> {
        let year = self.year?;
        Some(match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{year:04}-{m:02}"),
            _ => format!("{year:04}"),
        })
    }

    /// Parses the ISO forms written by [`PartialDate::iso`].
    pub fn from_iso(s: &str) -> PartialDate {
        let mut parts = s.split('-');
        PartialDate {
            year: parts.next().and_then(|p| p.parse().ok()),
            month: parts.next().and_then(|p| p.parse().ok()),
            day: parts.next().and_then(|p| p.parse().ok()),
            hour: None,
            minute: None,
        }
    }
}

/// `PubDate` of a journal issue or a book: either parts, a season, or a free-form `MedlineDate`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PubDate {
    /// `Year`, or the first year found in `MedlineDate` ("1998 Dec-1999 Jan" gives 1998).
    pub year: Option<i32>,
    /// `Month` as written ("Mar", "03").
    pub month: Option<String>,
    /// `Day` as written.
    pub day: Option<String>,
    /// `Season` ("Spring", "Winter").
    pub season: Option<String>,
    /// `MedlineDate`, verbatim.
    pub raw: Option<String>,
}

/// A `PubMedPubDate` of the record's history (`received`, `accepted`, `entrez`, `pubmed`, ...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryDate {
    /// `PubStatus` attribute.
    pub status: String,
    /// The date.
    pub date: PartialDate,
}

/// The journal an article appeared in (`Article/Journal` and `MedlineJournalInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Journal {
    /// `Journal/Title`.
    pub title: Option<String>,
    /// `ISOAbbreviation`.
    pub iso_abbrev: Option<String>,
    /// `ISSN`.
    pub issn: Option<String>,
    /// `ISSN/@IssnType` ("Print", "Electronic").
    pub issn_type: Option<String>,
    /// `MedlineJournalInfo/ISSNLinking`.
    pub issn_linking: Option<String>,
    /// `MedlineJournalInfo/NlmUniqueID`.
    pub nlm_unique_id: Option<String>,
    /// `MedlineJournalInfo/MedlineTA`.
    pub medline_ta: Option<String>,
    /// `MedlineJournalInfo/Country`.
    pub country: Option<String>,
    /// `JournalIssue/Volume`.
    pub volume: Option<String>,
    /// `JournalIssue/Issue`.
    pub issue: Option<String>,
    /// `JournalIssue/@CitedMedium`.
    pub cited_medium: Option<String>,
    /// `JournalIssue/PubDate`.
    pub pub_date: PubDate,
}

/// `Pagination`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Pagination {
    /// `MedlinePgn` ("E115-29").
    pub medline_pgn: Option<String>,
    /// `StartPage`.
    pub start_page: Option<String>,
    /// `EndPage`.
    pub end_page: Option<String>,
}

/// An `ELocationID`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ELocation {
    /// `EIdType` ("doi", "pii").
    #[serde(rename = "type")]
    pub id_type: String,
    /// `ValidYN`.
    pub valid: bool,
    /// The identifier.
    pub value: String,
}

/// One `AbstractText` section.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AbstractSection {
    /// `Label` ("BACKGROUND").
    pub label: Option<String>,
    /// `NlmCategory` ("OBJECTIVE", "UNASSIGNED").
    pub category: Option<String>,
    /// The section's plain text.
    pub text: String,
    /// The section's original XML when it held inline markup.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub markup: Option<String>,
}

/// An `Abstract` or an `OtherAbstract`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Abstract {
    /// `OtherAbstract/@Type` ("Publisher", "plain-language-summary"); `None` for `Abstract`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub abstract_type: Option<String>,
    /// `OtherAbstract/@Language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The sections in order; an unstructured abstract has one section without label.
    pub sections: Vec<AbstractSection>,
    /// `CopyrightInformation`.
    pub copyright: Option<String>,
}

impl Abstract {
    /// The whole abstract as plain text: sections joined by blank lines, each prefixed by its label.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for section in &self.sections {
            if !out.is_empty() {
                out.push('\n');
            }
            if let Some(label) = &section.label {
                out.push_str(label);
                out.push_str(": ");
            }
            out.push_str(&section.text);
        }
        out
    }
}

/// An author, editor or investigator (`Author`, `Investigator`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Author {
    /// `LastName`.
    pub last: Option<String>,
    /// `ForeName`.
    pub fore: Option<String>,
    /// `Initials`.
    pub initials: Option<String>,
    /// `Suffix` ("Jr").
    pub suffix: Option<String>,
    /// `CollectiveName`, for group authors.
    pub collective: Option<String>,
    /// ORCID iD in its bare form `0000-0002-1825-0097`, whichever form the source used.
    pub orcid: Option<String>,
    /// Other `Identifier`s as (source, value).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub identifiers: Vec<(String, String)>,
    /// `AffiliationInfo/Affiliation`, in order.
    pub affiliations: Vec<String>,
    /// `@ValidYN`: false for an author name PubMed marks invalid.
    pub valid: bool,
    /// `@EqualContrib`.
    pub equal_contrib: bool,
}

impl Author {
    /// "Magalhaes FN", or the collective name.
    pub fn short_name(&self) -> String {
        if let Some(c) = &self.collective {
            return c.clone();
        }
        let mut s = self.last.clone().unwrap_or_default();
        if let Some(i) = &self.initials {
            s.push(' ');
            s.push_str(i);
        }
        if let Some(suffix) = &self.suffix {
            s.push(' ');
            s.push_str(suffix);
        }
        s
    }
}

/// An `ArticleId` of `ArticleIdList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleId {
    /// `IdType` ("pubmed", "doi", "pmc", "pii", "mid", "bookaccession", ...).
    pub id_type: String,
    /// The identifier.
    pub value: String,
}

/// A `PublicationType`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationType {
    /// MeSH publication type UI ("D016428").
    pub ui: Option<String>,
    /// Name ("Journal Article").
    pub name: String,
}

/// A MeSH `QualifierName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshQualifier {
    /// Qualifier name ("therapy").
    pub name: String,
    /// Qualifier UI ("Q000628").
    pub ui: Option<String>,
    /// `MajorTopicYN`.
    pub major: bool,
}

/// A `MeshHeading`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshHeading {
    /// Descriptor name ("Low Back Pain").
    pub descriptor: String,
    /// Descriptor UI ("D017116").
    pub ui: Option<String>,
    /// `MajorTopicYN` of the descriptor.
    pub major: bool,
    /// `DescriptorName/@Type` ("Geographic").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub descriptor_type: Option<String>,
    /// Qualifiers in order.
    pub qualifiers: Vec<MeshQualifier>,
}

/// A `Chemical`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chemical {
    /// `RegistryNumber` ("66H7ZZK23N").
    pub registry_number: Option<String>,
    /// `NameOfSubstance`.
    pub name: String,
    /// `NameOfSubstance/@UI`.
    pub ui: Option<String>,
}

/// A `SupplMeshName`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupplMesh {
    /// The name.
    pub name: String,
    /// `@UI`.
    pub ui: Option<String>,
    /// `@Type` ("Disease", "Protocol", "Organism").
    pub mesh_type: Option<String>,
}

/// A `Keyword`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Keyword {
    /// The keyword text.
    pub text: String,
    /// `KeywordList/@Owner` ("NOTNLM", "NLM").
    pub owner: Option<String>,
    /// `MajorTopicYN`.
    pub major: bool,
}

/// A `Grant`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Grant {
    /// `GrantID`.
    pub grant_id: Option<String>,
    /// `Acronym`.
    pub acronym: Option<String>,
    /// `Agency`.
    pub agency: Option<String>,
    /// `Country`.
    pub country: Option<String>,
}

/// A `CommentsCorrections` entry (retractions, errata, comments, updates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentCorrection {
    /// `RefType` ("RetractionIn", "ErratumIn", "ExpressionOfConcernIn", "UpdateIn", ...).
    #[serde(rename = "type")]
    pub ref_type: String,
    /// `RefSource` ("Pain Physician. 2013;16(1):E1").
    pub ref_source: Option<String>,
    /// `PMID` of the related record.
    pub pmid: Option<Pmid>,
}

/// A `Reference` of `ReferenceList`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `Citation` text.
    pub citation: String,
    /// The ids the reference names.
    pub ids: Vec<ArticleId>,
}

/// Book data of a `PubmedBookArticle` (`BookDocument/Book` and its siblings).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Book {
    /// `BookTitle`.
    pub title: Option<String>,
    /// `BookTitle/@book` (the NCBI Bookshelf id).
    pub book_id: Option<String>,
    /// `Publisher/PublisherName`.
    pub publisher: Option<String>,
    /// `Publisher/PublisherLocation`.
    pub publisher_location: Option<String>,
    /// `PubDate` of the book.
    pub pub_date: PubDate,
    /// `Volume`.
    pub volume: Option<String>,
    /// `Edition`.
    pub edition: Option<String>,
    /// `CollectionTitle`.
    pub collection_title: Option<String>,
    /// `Isbn`, in order.
    pub isbn: Vec<String>,
    /// `Medium`.
    pub medium: Option<String>,
    /// `ReportNumber`.
    pub report_number: Option<String>,
    /// Editors (`Book/AuthorList[@Type="editors"]`).
    pub editors: Vec<Author>,
    /// `LocationLabel` ("Chapter 3").
    pub location_label: Option<String>,
    /// `Sections/Section/SectionTitle`, in order.
    pub sections: Vec<String>,
}

/// One PubMed record: a journal article or a book record, with everything evcat reads of it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Article {
    /// `PMID`.
    pub pmid: Pmid,
    /// `PMID/@Version` (1 unless versioned).
    pub version: u32,
    /// Journal article or book record.
    pub kind: RecordKind,
    /// `MedlineCitation/@Status` ("MEDLINE", "PubMed-not-MEDLINE", "In-Process", "Publisher").
    pub status: Option<String>,
    /// `MedlineCitation/@Owner` ("NLM", "PIP").
    pub owner: Option<String>,
    /// `DateCompleted`.
    pub date_completed: Option<PartialDate>,
    /// `DateRevised`.
    pub date_revised: Option<PartialDate>,
    /// `ArticleDate` (electronic publication dates) as (type, date).
    pub article_dates: Vec<(String, PartialDate)>,
    /// `ArticleTitle` (for a book record: the section or chapter title).
    pub title: MarkedText,
    /// `VernacularTitle`.
    pub vernacular_title: Option<String>,
    /// `Abstract`.
    pub abstract_: Option<Abstract>,
    /// `OtherAbstract`s.
    pub other_abstracts: Vec<Abstract>,
    /// The journal (empty for a book record).
    pub journal: Journal,
    /// `Pagination`.
    pub pagination: Pagination,
    /// `ELocationID`s.
    pub elocations: Vec<ELocation>,
    /// `AuthorList` (authors; for a book record, the section's authors).
    pub authors: Vec<Author>,
    /// `AuthorList/@CompleteYN`: false when PubMed lists only some authors.
    pub authors_complete: bool,
    /// `InvestigatorList`.
    pub investigators: Vec<Author>,
    /// `ArticleIdList` of `PubmedData` / `BookDocument`.
    pub ids: Vec<ArticleId>,
    /// `Language`s.
    pub languages: Vec<String>,
    /// `PublicationTypeList`.
    pub publication_types: Vec<PublicationType>,
    /// `MeshHeadingList`.
    pub mesh: Vec<MeshHeading>,
    /// `ChemicalList`.
    pub chemicals: Vec<Chemical>,
    /// `SupplMeshList`.
    pub suppl_mesh: Vec<SupplMesh>,
    /// `KeywordList`s, flattened.
    pub keywords: Vec<Keyword>,
    /// `GrantList`.
    pub grants: Vec<Grant>,
    /// `CommentsCorrectionsList`.
    pub comments_corrections: Vec<CommentCorrection>,
    /// `CoiStatement`.
    pub coi_statement: Option<String>,
    /// `ReferenceList`.
    pub references: Vec<Reference>,
    /// `History/PubMedPubDate`.
    pub history: Vec<HistoryDate>,
    /// `PublicationStatus` ("ppublish", "epublish", "aheadofprint").
    pub publication_status: Option<String>,
    /// Book data, for a `PubmedBookArticle`.
    pub book: Option<Book>,
    /// The record's original XML, byte for byte as it stood in the input.
    #[serde(skip)]
    pub raw_xml: Vec<u8>,
}

impl Article {
    /// The first id of the given type in `ArticleIdList` ("doi", "pmc", "pii").
    pub fn id(&self, id_type: &str) -> Option<&str> {
        self.ids
            .iter()
            .find(|i| i.id_type == id_type)
            .map(|i| i.value.as_str())
    }

    /// The DOI: from `ArticleIdList`, else from a valid `ELocationID`.
    pub fn doi(&self) -> Option<&str> {
        self.id("doi").or_else(|| {
            self.elocations
                .iter()
                .find(|e| e.id_type == "doi" && e.valid)
                .map(|e| e.value.as_str())
        })
    }

    /// The publication date: the journal issue's, or the book's.
    pub fn pub_date(&self) -> &PubDate {
        match &self.book {
            Some(book) if self.journal.pub_date.year.is_none() => &book.pub_date,
            _ => &self.journal.pub_date,
        }
    }

    /// Publication year, falling back to the entrez date when the issue date has none.
    pub fn year(&self) -> Option<i32> {
        self.pub_date()
            .year
            .or_else(|| self.history_date("entrez").and_then(|d| d.year))
    }

    /// The history date with the given status ("entrez", "pubmed", "medline").
    pub fn history_date(&self, status: &str) -> Option<&PartialDate> {
        self.history
            .iter()
            .find(|h| h.status == status)
            .map(|h| &h.date)
    }

    /// Pages as cited: `MedlinePgn`, else `StartPage-EndPage`.
    pub fn pages(&self) -> Option<String> {
        let p = &self.pagination;
        if let Some(pgn) = &p.medline_pgn {
            return Some(pgn.clone());
        }
        match (&p.start_page, &p.end_page) {
            (Some(s), Some(e)) => Some(format!("{s}-{e}")),
            (Some(s), None) => Some(s.clone()),
            _ => None,
        }
    }
}

/// Month number from a PubMed date's month: "03", "3", "Mar" or "March".
pub fn month_number(s: &str) -> Option<u8> {
    if let Ok(n) = s.trim().parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = s.trim().get(..3)?.to_ascii_lowercase();
    NAMES.iter().position(|m| *m == lower).map(|i| i as u8 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_by_number_abbreviation_or_name() {
        assert_eq!(month_number("Mar"), Some(3));
        assert_eq!(month_number("March"), Some(3));
        assert_eq!(month_number(" 03 "), Some(3));
        assert_eq!(month_number("11"), Some(11));
        assert_eq!(month_number("13"), None);
        assert_eq!(month_number("0"), None);
        assert_eq!(month_number("Ma"), None);
    }
}
