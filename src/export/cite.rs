//! Formatted references (`evcat cite PMID... --style vancouver|ama|apa|harvard`), and the same
//! reference wherever a record is cited elsewhere ([`reference`]: `show`, `claim show`,
//! `claim suggest`, `audit`, reports), in the configured default style.
//!
//! References are produced by a maintained CSL processor, the [`hayagriva`] crate, with the CSL
//! styles and locales bundled in its archive (`hayagriva::archive`, CBOR copies of the official
//! `citation-style-language/styles` and `locales` repositories). Nothing is fetched at run time.
//!
//! # Which style comes from where
//!
//! | `--style`   | bundled CSL style (hayagriva `ArchivedStyle`)                    | CSL file                      |
//! |-------------|------------------------------------------------------------------|-------------------------------|
//! | `vancouver` | `NlmCitationSequence`: "NLM/Vancouver: Citing Medicine 2nd edition (citation-sequence)" | `nlm-citation-sequence.csl` |
//! | `ama`       | `AmericanMedicalAssociation`: "AMA Manual of Style 11th edition"  | `american-medical-association.csl` |
//! | `apa`       | `AmericanPsychologicalAssociation`: "APA Style 7th edition"       | `apa.csl`                     |
//! | `harvard`   | `HarvardCiteThemRight`: "Cite Them Right 12th edition (author-date/Harvard)" | `harvard-cite-them-right.csl` |
//!
//! Locale: en-US from the same archive. Each article is rendered as its own one-item
//! bibliography, so the output keeps the input order, carries no citation number and no
//! author-date disambiguation suffix ("2012a") between unrelated references.
//!
//! # How PubMed data is mapped
//!
//! - Authors: family name = `LastName`, given name = the PubMed `Initials` split into single
//!   letters ("FN" → "F N"), so every style initialises them itself (NLM/AMA "Magalhaes FN", APA
//!   "Magalhaes, F. N.", Harvard "Magalhaes, F.N."); `ForeName` is used only when `Initials` is
//!   missing. `CollectiveName` becomes a name with a family part only (a literal group author).
//!   No authors: the styles' own substitution applies (title first).
//! - Title: the plain text `article.title.text` (inline markup is dropped).
//! - Journal: a parent entry of type Periodical whose long title is `Journal/Title` in title case
//!   ([`journal_title_case`]: "Pain Physician" for PubMed's "Pain physician") and short
//!   title `ISOAbbreviation` (falling back to the title, then to `MedlineTA`); volume and issue on
//!   the parent. Vancouver and AMA print the short form (the ISO abbreviation), APA and Harvard
//!   the long form.
//! - Date: `PubDate` year, month, day or season. A `MedlineDate` ("1998 Dec-1999 Jan") gives its
//!   first year only (CSL dates cannot hold such ranges); see post-processing for Vancouver.
//! - Pages: `StartPage-EndPage` when both are present (one page when they are equal), else
//!   `MedlinePgn`; each style abbreviates per its `page-range-format` (NLM "minimal":
//!   "E115-29", as PubMed's `MedlinePgn`; AMA, APA and Harvard expand: "E115-E129").
//! - DOI (`ArticleIdList`, else a valid `ELocationID`), PMID and PMCID as serial numbers.
//!   No URL is set: the styles would then print access dates and "\[Internet\]".
//! - Book records (`PubmedBookArticle`): a chapter (type Chapter) whose parent is the book
//!   (type Book: title, editors, publisher, publisher location, date, edition, volume); a record
//!   whose title is the book's own title is cited as the whole book.
//!
//! # Changes to the bundled NLM style (Vancouver only)
//!
//! Made on the style's XML when it is loaded (see `patch_nlm_style`): the `author` macro call is
//! replaced by a bare `<names variable="author"/>` (hayagriva 0.10 renders that macro empty for
//! records without editors, so journal articles lost their authors), and the English locale of
//! the style gets `page-range-delimiter` "-" (NLM writes "E115-29", not an en dash).
//!
//! # Post-processing (applied to the plain text the CSL processor returns)
//!
//! - Vancouver: the CSL style prints "PubMed PMID: n; PubMed Central PMCID: PMCn." (Citing
//!   Medicine's older note form); it is rewritten to PubMed's current "PMID: n; PMCID: PMCn."
//!   (the form PubMed's own "Cite" shows), and "doi:10.x" to PubMed's "doi: 10.x.".
//! - Vancouver: the space hayagriva leaves after a date without day ("2012 Mar ;") is removed.
//! - Vancouver: a `MedlineDate` is put back verbatim in place of the year the CSL date holds
//!   ("J Spine Interv. 1998 Dec-1999 Jan;12(6):401-9."), as NLM cites it. A season is a CSL
//!   date part and needs no post-processing ("2003 Spring").
//! - AMA: the CSL style prints no PMID; " PMID: n." (and "; PMCID: PMCn") is appended, as
//!   PubMed does for its AMA form. AMA prints only the year for journal articles with a volume
//!   or issue (AMA 11th ed.), so a `MedlineDate` or a season shows as its year there; so do APA
//!   and Harvard, which cite journal articles by year.
//! - All styles: a retracted record (publication type "Retracted Publication" or a
//!   `RetractionIn` correction) gets " Retraction in: &lt;RefSource&gt;." appended (Citing
//!   Medicine's retraction note; one per `RetractionIn`), or " \[Retracted\]." when PubMed gives no
//!   source for the retraction.
//! - Whitespace is normalised (runs of spaces collapse; the result is trimmed).
//!
//! # Known differences from hand-made references
//!
//! - Harvard puts the journal in the author position of a record without authors (the style's
//!   own substitution rule); the others start with the title.
//! - Vancouver book chapters do not name the book's editors (a consequence of the `author`
//!   workaround's sibling problem in the `secondary-authors` macro); APA and Harvard do.

use std::fmt::Write as _;
use std::sync::OnceLock;

use hayagriva::archive::{ArchivedStyle, LOCALES as LOCALES_ARCHIVED};
use hayagriva::citationberg::taxonomy::Season;
use hayagriva::citationberg::{IndependentStyle, Locale, LocaleCode, Style};
use hayagriva::types::{
    ChunkedString, Date, EntryType, FormatString, MaybeTyped, Numeric, PageRanges, Person,
    Publisher, StringChunk,
};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest, Entry,
};

use super::journal_title_case;
use crate::pubmed::{Article, Author, PubDate};

/// A citation style for `evcat cite` and the setting `citation_style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CitationStyle {
    /// NLM/Vancouver (Citing Medicine 2nd ed.), as PubMed cites. The default.
    #[default]
    Vancouver,
    /// AMA Manual of Style 11th ed.
    Ama,
    /// APA 7th ed.
    Apa,
    /// Harvard (Cite Them Right 12th ed.).
    Harvard,
}

impl CitationStyle {
    /// All styles, in CLI order.
    pub const ALL: [CitationStyle; 4] = [
        CitationStyle::Vancouver,
        CitationStyle::Ama,
        CitationStyle::Apa,
        CitationStyle::Harvard,
    ];

    /// The CLI name ("vancouver").
    pub fn name(self) -> &'static str {
        match self {
            CitationStyle::Vancouver => "vancouver",
            CitationStyle::Ama => "ama",
            CitationStyle::Apa => "apa",
            CitationStyle::Harvard => "harvard",
        }
    }

    /// The style of a CLI name ("vancouver", any case); `None` for an unknown name.
    pub fn from_name(name: &str) -> Option<CitationStyle> {
        let name = name.trim();
        CitationStyle::ALL
            .into_iter()
            .find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// The bundled hayagriva style used.
    fn archived(self) -> ArchivedStyle {
        match self {
            CitationStyle::Vancouver => ArchivedStyle::NlmCitationSequence,
            CitationStyle::Ama => ArchivedStyle::AmericanMedicalAssociation,
            CitationStyle::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
            CitationStyle::Harvard => ArchivedStyle::HarvardCiteThemRight,
        }
    }
}

/// Errors of citation formatting.
#[derive(Debug, thiserror::Error)]
pub enum CiteError {
    /// The bundled style could not be used (not an independent style, or it has no
    /// bibliography).
    #[error("citation style {style}: {message}")]
    Style {
        /// The style's CLI name.
        style: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Rendering produced no reference for a record.
    #[error("PMID {pmid}: the {style} style rendered no reference")]
    Empty {
        /// The record.
        pmid: u64,
        /// The style's CLI name.
        style: &'static str,
    },
}

/// Which CSL style from where, for `--help`, logs and reports.
pub fn style_source(style: CitationStyle) -> &'static str {
    match style {
        CitationStyle::Vancouver => {
            "hayagriva archive: NLM/Vancouver: Citing Medicine 2nd edition (citation-sequence) (citation-style-language/styles nlm-citation-sequence.csl); author macro inlined and page-range delimiter \"-\" (hayagriva workarounds); PMID/DOI notes rewritten to PubMed's \"doi: x. PMID: n\"; MedlineDate kept verbatim"
        }
        CitationStyle::Ama => {
            "hayagriva archive: AMA Manual of Style 11th edition (citation-style-language/styles american-medical-association.csl); \"PMID: n\" appended"
        }
        CitationStyle::Apa => {
            "hayagriva archive: APA Style 7th edition (citation-style-language/styles apa.csl)"
        }
        CitationStyle::Harvard => {
            "hayagriva archive: Cite Them Right 12th edition (author-date/Harvard) (citation-style-language/styles harvard-cite-them-right.csl)"
        }
    }
}

/// Decodes, once per process, the style and the locales that formatting a reference in `style`
/// needs (the first reference's cost), so that a caller can have it done on another thread
/// while it does something else.
pub fn prepare(style: CitationStyle) {
    if let Ok(csl) = bundled_style(style) {
        let _ = style_locales(style, csl);
    }
}

/// The bundled locales `style` (whose CSL is `csl`) can use, in the archive's order: those whose
/// language is the style's default locale (en-US when it names none), that locale's fallback,
/// or en-US, the only ones hayagriva looks a bibliography's terms up in when no locale is asked
/// for. The first locale of each language is the same one in this list as in the whole archive,
/// so a reference reads the same; only these are decoded (decoding the archive's 60-odd
/// locales, once per process, cost more than formatting the references `claim suggest` shows).
fn style_locales(style: CitationStyle, csl: &IndependentStyle) -> &'static [Locale] {
    static LOCALES: [OnceLock<Vec<Locale>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    LOCALES[style as usize].get_or_init(|| {
        let own = csl.default_locale.clone().unwrap_or_else(LocaleCode::en_us);
        let languages: Vec<LocaleCode> =
            [Some(own.clone()), own.fallback(), Some(LocaleCode::en_us())]
                .into_iter()
                .flatten()
                .collect();
        // A locale's CBOR holds its language code as a text string: a locale whose bytes do
        // not contain one of the codes cannot be of that language, and is not decoded.
        let may_be = |bytes: &[u8]| {
            languages
                .iter()
                .any(|code| memchr::memmem::find(bytes, code.0.as_bytes()).is_some())
        };
        LOCALES_ARCHIVED
            .iter()
            .filter(|bytes| may_be(bytes))
            .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
            .filter(|locale| locale.lang.as_ref().is_some_and(|l| languages.contains(l)))
            .collect()
    })
}

/// The bundled style, decoded once per style.
fn bundled_style(style: CitationStyle) -> Result<&'static IndependentStyle, CiteError> {
    static STYLES: [OnceLock<Option<IndependentStyle>>; 4] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let slot = &STYLES[style as usize];
    slot.get_or_init(|| match style.archived().get() {
        Style::Independent(s) if style == CitationStyle::Vancouver => Some(patch_nlm_style(s)),
        Style::Independent(s) => Some(s),
        Style::Dependent(_) => None,
    })
    .as_ref()
    .ok_or(CiteError::Style {
        style: style.name(),
        message: "the bundled style is a dependent style".into(),
    })
}

/// Two adjustments to the bundled NLM style, made on its XML text:
///
/// - Works around a hayagriva 0.10 rendering problem: the style's `author` macro
///   (`<names variable="author">` holding a `<label>` and a `<substitute>` list) renders nothing
///   for a record without editors, so every journal article lost its authors (a bare
///   `<names variable="author"/>` renders them). The macro call in the bibliography is replaced
///   by that bare element. What is lost: the editor substitution for a record without authors
///   (such a record then starts with its title, as NLM cites it anyway).
/// - Adds the term `page-range-delimiter` = "-" to the style's English locale (as the bundled
///   AMA style does), so page ranges read "E115-29" as in Citing Medicine and PubMed instead of
///   the en-US locale's en dash.
///
/// Should the archive's XML change shape, the style is used as it is (and the tests fail).
fn patch_nlm_style(style: IndependentStyle) -> IndependentStyle {
    let patched = (|| {
        let xml = Style::Independent(style.clone()).to_xml().ok()?;
        let call = r#"<text macro="author" quotes="false" strip-periods="false"/>"#;
        let terms = r#"<locale xml:lang="en"><terms>"#;
        if !xml.contains(call) || !xml.contains(terms) {
            return None;
        }
        let xml = xml.replace(call, r#"<names variable="author"/>"#).replacen(
            terms,
            &format!(r#"{terms}<term name="page-range-delimiter" form="long">-</term>"#),
            1,
        );
        IndependentStyle::from_xml(&xml).ok()
    })();
    patched.unwrap_or(style)
}

/// Formats each article as a reference in the style; returns one plain-text string per article
/// (in input order), free of HTML or markdown (italics are dropped).
///
/// See the module documentation for the bundled CSL style behind each [`CitationStyle`] and the
/// post-processing applied on top of it.
pub fn format_references(
    articles: &[Article],
    style: CitationStyle,
) -> Result<Vec<String>, CiteError> {
    let csl = bundled_style(style)?;
    format_with(articles, style, csl, style_locales(style, csl))
}

/// [`format_references`] with the style's CSL and the locales to look its terms up in.
fn format_with(
    articles: &[Article],
    style: CitationStyle,
    csl: &IndependentStyle,
    locales: &[Locale],
) -> Result<Vec<String>, CiteError> {
    let mut out = Vec::with_capacity(articles.len());
    for article in articles {
        let entry = to_entry(article, style);
        let mut driver = BibliographyDriver::new();
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry(&entry)],
            csl,
            locales,
        ));
        let rendered = driver.finish(BibliographyRequest {
            style: csl,
            locale: None,
            locale_files: locales,
        });
        let bibliography = rendered.bibliography.ok_or(CiteError::Style {
            style: style.name(),
            message: "the style defines no bibliography".into(),
        })?;
        let item = bibliography
            .items
            .into_iter()
            .next()
            .ok_or(CiteError::Empty {
                pmid: article.pmid,
                style: style.name(),
            })?;
        let mut text = String::new();
        // `first_field` is the citation number of numeric styles ("1."): left out.
        item.content
            .write_buf(&mut text, BufWriteFormat::Plain)
            .expect("writing to a String");
        let text = post_process(normalise_space(&text), article, style);
        if text.is_empty() {
            return Err(CiteError::Empty {
                pmid: article.pmid,
                style: style.name(),
            });
        }
        out.push(text);
    }
    Ok(out)
}

/// Collapses whitespace runs to one space and trims.
fn normalise_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The documented post-processing of the CSL output.
fn post_process(mut text: String, article: &Article, style: CitationStyle) -> String {
    match style {
        CitationStyle::Vancouver => {
            // Citing Medicine's note form → PubMed's current form.
            text = text
                .replace("PubMed PMID: ", "PMID: ")
                .replace("PubMed Central PMCID: ", "PMCID: ");
            // hayagriva leaves the date-part delimiter after a date without day ("2012 Mar ;").
            text = text.replace(" ;", ";");
            // The style writes "doi:10.x PubMed PMID"; PubMed writes "doi: 10.x. PMID".
            if let Some(doi) = article.doi() {
                text = text.replace(&format!("doi:{doi} "), &format!("doi: {doi}. "));
                if let Some(stripped) = text.strip_suffix(&format!("doi:{doi}")) {
                    text = format!("{stripped}doi: {doi}.");
                }
            }
            // A MedlineDate replaces the single year the CSL date holds.
            let date = article.pub_date();
            if let (Some(raw), Some(year), Some(container)) =
                (date.raw.as_deref(), date.year, container_short(article))
            {
                let container = container.replace('.', "");
                let from = format!("{container}. {year}");
                if let Some(at) = text.find(&from) {
                    text.replace_range(at..at + from.len(), &format!("{container}. {raw}"));
                }
            }
        }
        CitationStyle::Ama => {
            if !text.ends_with('.') {
                text.push('.');
            }
            let _ = write!(text, " PMID: {}", article.pmid);
            if let Some(pmc) = article.id("pmc") {
                let _ = write!(text, "; PMCID: {pmc}");
            }
            text.push('.');
        }
        CitationStyle::Apa | CitationStyle::Harvard => {}
    }
    if retracted(article) {
        let sources: Vec<&str> = article
            .comments_corrections
            .iter()
            .filter(|c| c.ref_type == "RetractionIn")
            .filter_map(|c| c.ref_source.as_deref())
            .collect();
        if !text.ends_with('.') {
            text.push('.');
        }
        if sources.is_empty() {
            text.push_str(" [Retracted].");
        } else {
            for source in sources {
                let source = source.trim_end_matches('.');
                let _ = write!(text, " Retraction in: {source}.");
            }
        }
    }
    text
}

/// Whether the record is retracted (publication type or a `RetractionIn` correction).
fn retracted(article: &Article) -> bool {
    article
        .publication_types
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("Retracted Publication"))
        || article
            .comments_corrections
            .iter()
            .any(|c| c.ref_type == "RetractionIn")
}

/// The journal's short (ISO) title: `ISOAbbreviation`, else `MedlineTA`, else the title.
fn container_short(article: &Article) -> Option<&str> {
    let j = &article.journal;
    j.iso_abbrev
        .as_deref()
        .or(j.medline_ta.as_deref())
        .or(j.title.as_deref())
        .filter(|s| !s.trim().is_empty())
}

/// Builds the hayagriva entry of one record.
fn to_entry(article: &Article, style: CitationStyle) -> Entry {
    let key = format!("pmid{}", article.pmid);
    let mut entry = match &article.book {
        Some(book) => book_entry(&key, article, book, style),
        None => journal_entry(&key, article),
    };
    let title = plain_title(article);
    if !title.is_empty() && entry.title().is_none() {
        entry.set_title(FormatString::with_value(title));
    }
    let authors: Vec<Person> = article.authors.iter().filter_map(person).collect();
    if !authors.is_empty() {
        entry.set_authors(authors);
    }
    if entry.date().is_none()
        && let Some(date) = csl_date(article.pub_date(), style)
    {
        entry.set_date(date);
    }
    if let Some(doi) = article.doi() {
        entry.set_doi(doi.to_string());
    }
    entry.set_pmid(article.pmid.to_string());
    if let Some(pmc) = article.id("pmc") {
        entry.set_pmcid(pmc.to_string());
    }
    entry
}

/// A journal article: the article with the journal as its Periodical parent.
fn journal_entry(key: &str, article: &Article) -> Entry {
    let j = &article.journal;
    let mut entry = Entry::new(key, EntryType::Article);
    // Title case for the full title ("Pain Physician", not PubMed's "Pain physician"): Harvard
    // prints it as given.
    let long = j
        .title
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|t| journal_title_case(t.trim()));
    let long = long.as_deref();
    let short = container_short(article);
    let mut journal = Entry::new(&format!("{key}-journal"), EntryType::Periodical);
    match (long, short) {
        (Some(long), Some(short)) => {
            journal.set_title(FormatString::with_short(long.trim(), short.trim()))
        }
        (Some(one), None) | (None, Some(one)) => {
            journal.set_title(FormatString::with_value(one.trim()))
        }
        (None, None) => {}
    }
    if let Some(volume) = non_empty(&j.volume) {
        journal.set_volume(numeric(volume));
    }
    if let Some(issue) = non_empty(&j.issue) {
        journal.set_issue(numeric(issue));
    }
    entry.set_parents(vec![journal]);
    let p = &article.pagination;
    // Full ranges (StartPage-EndPage) when PubMed has them: each style abbreviates per its
    // page-range-format (NLM "minimal": E115-29; AMA/APA/Harvard "expanded": E115-E129).
    let pages = match (non_empty(&p.start_page), non_empty(&p.end_page)) {
        (Some(s), Some(e)) if s == e => Some(s.to_string()),
        (Some(s), Some(e)) => Some(format!("{s}-{e}")),
        _ => article.pages(),
    };
    if let Some(pages) = pages.filter(|s| !s.trim().is_empty()) {
        let pages = pages.trim();
        entry.set_page_range(match pages.parse::<PageRanges>() {
            Ok(p) => MaybeTyped::Typed(p),
            Err(_) => MaybeTyped::String(pages.to_string()),
        });
    }
    entry
}

/// A book record: a chapter in its book, or the whole book.
fn book_entry(
    key: &str,
    article: &Article,
    book: &crate::pubmed::Book,
    style: CitationStyle,
) -> Entry {
    let title = plain_title(article);
    let book_title = book
        .title
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let whole_book = title.is_empty() || book_title.is_none() || book_title == Some(title);
    if whole_book {
        // `to_entry` adds the authors, the title (when the book has none) and identifiers.
        return book_data(Entry::new(key, EntryType::Book), book, book_title, style);
    }
    let mut chapter = Entry::new(key, EntryType::Chapter);
    chapter.set_title(FormatString::with_value(title));
    if let Some(date) = csl_date(&book.pub_date, style) {
        chapter.set_date(date);
    }
    chapter.set_parents(vec![book_data(
        Entry::new(&format!("{key}-book"), EntryType::Book),
        book,
        book_title,
        style,
    )]);
    chapter
}

/// Sets a book's own data (title, editors, publisher, place, date, edition, volume, ISBN).
fn book_data(
    mut b: Entry,
    book: &crate::pubmed::Book,
    title: Option<&str>,
    style: CitationStyle,
) -> Entry {
    if let Some(t) = title {
        // Verbatim: a book title is cited as its publisher writes it ("StatPearls"); a style's
        // title casing would turn it into "Statpearls".
        b.set_title(FormatString {
            value: ChunkedString(vec![StringChunk::verbatim(t)]),
            short: None,
        });
    }
    let editors: Vec<Person> = book.editors.iter().filter_map(person).collect();
    if !editors.is_empty() {
        b.set_editors(editors);
    }
    let publisher = non_empty(&book.publisher).map(FormatString::with_value);
    let location = non_empty(&book.publisher_location).map(FormatString::with_value);
    if publisher.is_some() || location.is_some() {
        b.set_publisher(Publisher::new(publisher, location));
    }
    if let Some(date) = csl_date(&book.pub_date, style) {
        b.set_date(date);
    }
    if let Some(edition) = non_empty(&book.edition) {
        b.set_edition(numeric(edition));
    }
    if let Some(volume) = non_empty(&book.volume) {
        b.set_volume(numeric(volume));
    }
    if let Some(isbn) = book.isbn.first() {
        b.set_isbn(isbn.clone());
    }
    b
}

/// The plain title without its final period: PubMed ends every `ArticleTitle` with one, and the
/// styles add their own punctuation (Harvard would print "trials.,").
fn plain_title(article: &Article) -> &str {
    let t = article.title.text.trim();
    t.strip_suffix('.')
        .filter(|s| !s.ends_with('.'))
        .unwrap_or(t)
        .trim_end()
}

/// A PubMed author as a CSL name; `None` for an empty author.
fn person(author: &Author) -> Option<Person> {
    if let Some(collective) = non_empty(&author.collective) {
        return Some(Person {
            name: collective.to_string(),
            given_name: None,
            prefix: None,
            suffix: None,
            comma_suffix: false,
            alias: None,
        });
    }
    let last = non_empty(&author.last)?;
    let given = match non_empty(&author.initials) {
        Some(initials) => Some(split_initials(initials)),
        None => non_empty(&author.fore).map(str::to_string),
    };
    Some(Person {
        name: last.to_string(),
        given_name: given,
        prefix: None,
        suffix: non_empty(&author.suffix).map(str::to_string),
        comma_suffix: false,
        alias: None,
    })
}

/// "FN" → "F N" so a style initialises each letter; lower-case letters stay with the letter
/// before them ("Ch" stays "Ch").
fn split_initials(initials: &str) -> String {
    let mut out = String::new();
    for c in initials.chars().filter(|c| c.is_alphanumeric()) {
        if !out.is_empty() && !c.is_lowercase() {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// A PubDate as a CSL date: year, month, day, or season; a MedlineDate gives its first year.
/// The season is kept for Vancouver only ("2003 Spring"): AMA, APA and Harvard cite a journal
/// article by its year (and hayagriva would render a season there as "Spring/2003").
fn csl_date(date: &PubDate, style: CitationStyle) -> Option<Date> {
    let year = date.year?;
    let mut d = Date::from_year(year);
    if date.raw.is_some() {
        return Some(d);
    }
    if let Some(month) = date.month.as_deref().and_then(parse_month) {
        d.month = Some(month - 1);
        if let Some(day) = date
            .day
            .as_deref()
            .and_then(|s| s.trim().parse::<u8>().ok())
            .filter(|d| (1..=31).contains(d))
        {
            d.day = Some(day - 1);
        }
    } else if let Some(season) = date
        .season
        .as_deref()
        .filter(|_| style == CitationStyle::Vancouver)
    {
        d.season = match season.trim().to_ascii_lowercase().as_str() {
            "spring" => Some(Season::Spring),
            "summer" => Some(Season::Summer),
            "autumn" | "fall" => Some(Season::Autumn),
            "winter" => Some(Season::Winter),
            _ => None,
        };
    }
    Some(d)
}

/// "Mar", "March", "03", "3" → 3.
fn parse_month(s: &str) -> Option<u8> {
    let s = s.trim();
    if let Ok(n) = s.parse::<u8>() {
        return (1..=12).contains(&n).then_some(n);
    }
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = s.to_ascii_lowercase();
    NAMES
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u8 + 1)
}

/// The trimmed value of an optional field, `None` when missing or blank.
fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A number when it parses as one ("15", "3-4"), else the text ("Suppl 1").
fn numeric(s: &str) -> MaybeTyped<Numeric> {
    match s.parse::<Numeric>() {
        Ok(n) => MaybeTyped::Typed(n),
        Err(_) => MaybeTyped::String(s.to_string()),
    }
}

/// One record's reference in `style`, exactly as `evcat cite` prints it: the one citation form of
/// every place a reader sees a record cited (`show`, `claim show`, `claim suggest`, `audit`,
/// reports), in the configured style (`citation_style`, Vancouver by default). Should the style
/// render nothing (it does not for any stored record), "PMID n" stands in.
pub fn reference(article: &Article, style: CitationStyle) -> String {
    format_references(std::slice::from_ref(article), style)
        .ok()
        .and_then(|mut v| v.pop())
        .unwrap_or_else(|| format!("PMID {}", article.pmid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pubmed::{PubmedItem, PubmedReader};

    #[test]
    fn a_style_s_own_locales_format_references_as_the_whole_archive_does() {
        let mut articles = Vec::new();
        for xml in [
            include_str!("../../fixtures/ozone-back-pain.xml"),
            include_str!("../../fixtures/full-elements.xml"),
        ] {
            let mut reader = PubmedReader::new(xml.as_bytes());
            while let Some(item) = reader.next_item().unwrap() {
                if let PubmedItem::Article(a) = item {
                    articles.push(*a);
                }
            }
        }
        assert!(articles.len() > 10, "{} fixture records", articles.len());
        let every = hayagriva::archive::locales();
        for style in CitationStyle::ALL {
            let csl = bundled_style(style).unwrap();
            let own = style_locales(style, csl);
            assert!(!own.is_empty() && own.len() < every.len(), "{style:?}");
            assert_eq!(
                format_with(&articles, style, csl, own).unwrap(),
                format_with(&articles, style, csl, &every).unwrap(),
                "{style:?}"
            );
        }
    }
}
