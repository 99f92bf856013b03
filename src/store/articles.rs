//! Writing one record to the catalogue's tables and reading it back exactly.
//!
//! A record's original XML (`articles.raw_xml`, compressed) is its one full copy: [`load_article`]
//! reads the record back by parsing it, so what a reader sees is what the import parsed (a test
//! checks this on every fixture and on the shared samples when present). [`insert_article`]
//! also writes what queries filter, order, list or compare by, and nothing more: the `articles`
//! row (title, journal names, dates, year, flags; the file that wrote it by id in
//! `record_sources`), and the child tables of the [`Part`]s (the first author's name, a book's
//! row, publication type names, MeSH headings by descriptor id in `mesh_descriptors`, the types
//! of comments and corrections). [`revision_history`] lists the earlier versions of a record
//! that revisions replaced.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use super::compression::decompress_xml;
use super::{Store, StoreError};
use crate::pubmed::*;

/// What the catalogue knows about one PMID: the record and its catalogue state.
#[derive(Debug, Clone, Serialize)]
pub struct StoredArticle {
    /// The record as last imported.
    pub article: Article,
    /// Whether PubMed deleted it (a `DeleteCitation` named it): a tombstone.
    pub deleted: bool,
    /// When the deletion was applied.
    pub deleted_at: Option<String>,
    /// The file or fetch that carried the deletion.
    pub deleted_source: Option<String>,
    /// Whether any data was ever imported (a deletion can name a PMID the catalogue never had).
    pub has_data: bool,
    /// When the PMID first entered the catalogue.
    pub first_seen: String,
    /// When its data last changed.
    pub last_changed: String,
    /// The file or fetch that last wrote it.
    pub source: Option<String>,
    /// Number of earlier revisions kept.
    pub revisions: u32,
}

impl StoredArticle {
    /// What a reader of this record must be told, one line each, in this order: retracted
    /// (a "Retracted Publication" type or a retraction notice), expressions of concern,
    /// errata, deleted from PubMed. Used wherever a record is shown as evidence (claim
    /// assessments, reports).
    pub fn warnings(&self) -> Vec<String> {
        let a = &self.article;
        let pmid = a.pmid;
        let source = |c: &CommentCorrection| c.ref_source.clone().unwrap_or_else(|| "?".into());
        let mut warnings = Vec::new();
        let retracted_pt = a
            .publication_types
            .iter()
            .any(|p| p.name.eq_ignore_ascii_case("Retracted Publication"));
        let retraction = a
            .comments_corrections
            .iter()
            .find(|c| c.ref_type == "RetractionIn");
        if retracted_pt || retraction.is_some() {
            let by = retraction
                .map(|c| {
                    format!(
                        " (retraction: {}{})",
                        source(c),
                        c.pmid.map(|p| format!(", PMID {p}")).unwrap_or_default()
                    )
                })
                .unwrap_or_default();
            warnings.push(format!("PMID {pmid} is RETRACTED{by}"));
        }
        for c in a
            .comments_corrections
            .iter()
            .filter(|c| c.ref_type == "ExpressionOfConcernIn")
        {
            warnings.push(format!(
                "PMID {pmid} has an EXPRESSION OF CONCERN ({})",
                source(c)
            ));
        }
        for c in a
            .comments_corrections
            .iter()
            .filter(|c| c.ref_type == "ErratumIn")
        {
            warnings.push(format!("PMID {pmid} has an erratum ({})", source(c)));
        }
        if self.deleted {
            warnings.push(format!(
                "PMID {pmid} was DELETED from PubMed ({})",
                self.deleted_at.as_deref().unwrap_or("?")
            ));
        }
        warnings
    }
}

/// The stored original XML of a record (empty for a tombstone without data).
pub fn raw_xml(store: &Store, pmid: Pmid) -> Result<Option<Vec<u8>>, StoreError> {
    let conn = store.conn();
    let blob: Option<Vec<u8>> = conn
        .query_row(
            "SELECT raw_xml FROM articles WHERE pmid = ?1",
            [pmid as i64],
            |r| r.get(0),
        )
        .optional()?;
    blob.map(|b| decompress_xml(conn, pmid, &b)).transpose()
}

fn date_iso(d: &Option<PartialDate>) -> Option<String> {
    d.as_ref().and_then(PartialDate::iso)
}

/// The values of an `articles` row in the order both `insert_article` and `replace_article`
/// number them (?1 to ?39).
///
/// Only what a query filters, orders, lists or compares by is written: the title, the
/// journal's names, the dates a revision is compared by, the year, the flags. The record's other
/// fields (status and owner, markup, the abstract's copyright, ISSNs, country, volume, issue and
/// pages, the publication date's parts, the conflict-of-interest statement, the publication
/// status) are read from its XML ([`load_record`]) and left NULL: they took some 180 bytes a
/// record for nothing (a tombstone without data, the one record read from its row alone, never
/// had them). Rows written before keep theirs.
fn article_values(
    a: &Article,
    content_hash: &[u8],
    compressed_xml: &[u8],
    now: &str,
    source_id: i64,
) -> Vec<Value> {
    let j = &a.journal;
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::Text);
    let int = |v: Option<i64>| v.map_or(Value::Null, Value::Integer);
    let in_the_xml = || Value::Null;
    vec![
        Value::Integer(a.pmid as i64),
        Value::Integer(a.version.into()),
        Value::Text(a.kind.as_str().into()),
        in_the_xml(), // status
        in_the_xml(), // owner
        in_the_xml(), // date_completed
        text(&date_iso(&a.date_revised)),
        Value::Text(a.title.text.clone()),
        in_the_xml(), // title_markup
        in_the_xml(), // vernacular_title
        in_the_xml(), // abstract_copyright
        Value::Integer(a.abstract_.is_some().into()),
        text(&j.title),
        text(&j.iso_abbrev),
        in_the_xml(), // issn
        in_the_xml(), // issn_type
        in_the_xml(), // issn_linking
        in_the_xml(), // nlm_unique_id
        text(&j.medline_ta),
        in_the_xml(), // journal_country
        in_the_xml(), // volume
        in_the_xml(), // issue
        in_the_xml(), // cited_medium
        in_the_xml(), // pub_year
        in_the_xml(), // pub_month
        in_the_xml(), // pub_day
        in_the_xml(), // pub_season
        in_the_xml(), // pub_medline_date
        in_the_xml(), // medline_pgn
        in_the_xml(), // start_page
        in_the_xml(), // end_page
        Value::Integer(a.authors_complete.into()),
        in_the_xml(), // coi_statement
        in_the_xml(), // publication_status
        int(a.year().map(i64::from)),
        Value::Blob(content_hash.to_vec()),
        Value::Blob(compressed_xml.to_vec()),
        Value::Text(now.into()),
        Value::Integer(source_id),
    ]
}

/// The id of `source` (a file or fetch that writes records) in `record_sources`, added when the
/// catalogue does not hold it.
pub(super) fn record_source_id(tx: &Connection, source: &str) -> Result<i64, StoreError> {
    held_or_added(
        tx,
        "SELECT id FROM record_sources WHERE source = ?1",
        "INSERT INTO record_sources (source) VALUES (?1)",
        params![source],
    )
}

/// The id of the row `find` selects, or of the row `add` inserts (with the same `values`) when
/// there is none.
fn held_or_added(
    tx: &Connection,
    find: &str,
    add: &str,
    values: &[&dyn rusqlite::ToSql],
) -> Result<i64, StoreError> {
    let held: Option<i64> = tx
        .prepare_cached(find)?
        .query_row(values, |r| r.get(0))
        .optional()?;
    if let Some(id) = held {
        return Ok(id);
    }
    tx.prepare_cached(add)?.execute(values)?;
    Ok(tx.last_insert_rowid())
}

/// Inserts the article row and all child rows. The caller has removed any previous rows.
pub(super) fn insert_article(
    tx: &Connection,
    a: &Article,
    content_hash: &[u8],
    compressed_xml: &[u8],
    now: &str,
    source_id: i64,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO articles (pmid, version, kind, status, owner, date_completed, date_revised, title,
            title_markup, vernacular_title, abstract_copyright, has_abstract, journal_title, journal_iso, issn,
            issn_type, issn_linking, nlm_unique_id, medline_ta, journal_country, volume, issue, cited_medium,
            pub_year, pub_month, pub_day, pub_season, pub_medline_date, medline_pgn, start_page, end_page,
            authors_complete, coi_statement, publication_status, year, content_hash, raw_xml, deleted,
            first_seen, last_changed, source_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
            ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, 0, ?38, ?38, ?39)",
    )?
    .execute(rusqlite::params_from_iter(article_values(a, content_hash, compressed_xml, now, source_id)))?;
    insert_children(tx, a)?;
    Ok(())
}

/// The parts of a record stored in child tables (for queries: a record is read back from its
/// XML), in the order a new record's rows are written. A revision rewrites only the parts it
/// changes (see [`replace_article`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `books` (a book's title names it in a list of hits).
    Book,
    /// `authors`: the first author, who names a hit.
    FirstAuthor,
    /// `publication_types`.
    PublicationTypes,
    /// `mesh_headings`.
    Mesh,
    /// `comments_corrections` (retractions, errata, expressions of concern).
    CommentsCorrections,
}

impl Part {
    /// Every part, in the order a new record's rows are written.
    pub const ALL: [Part; 5] = [
        Part::Book,
        Part::FirstAuthor,
        Part::PublicationTypes,
        Part::Mesh,
        Part::CommentsCorrections,
    ];

    /// Whether two versions of a record hold the same data for this part's rows.
    pub fn same_in(self, old: &Article, new: &Article) -> bool {
        match self {
            Part::Book => old.book.as_ref().map(book_row) == new.book.as_ref().map(book_row),
            Part::FirstAuthor => {
                old.authors.first().map(author_row) == new.authors.first().map(author_row)
            }
            Part::PublicationTypes => old
                .publication_types
                .iter()
                .map(|p| &p.name)
                .eq(new.publication_types.iter().map(|p| &p.name)),
            Part::Mesh => old
                .mesh
                .iter()
                .map(mesh_row)
                .eq(new.mesh.iter().map(mesh_row)),
            Part::CommentsCorrections => old
                .comments_corrections
                .iter()
                .map(|c| (&c.ref_type, c.pmid))
                .eq(new
                    .comments_corrections
                    .iter()
                    .map(|c| (&c.ref_type, c.pmid))),
        }
    }

    /// The statement that deletes a record's rows of this part (`?1` is the PMID).
    fn delete(self) -> &'static str {
        match self {
            Part::Book => "DELETE FROM books WHERE pmid = ?1",
            Part::FirstAuthor => "DELETE FROM authors WHERE pmid = ?1",
            Part::PublicationTypes => "DELETE FROM publication_types WHERE pmid = ?1",
            Part::Mesh => "DELETE FROM mesh_headings WHERE pmid = ?1",
            Part::CommentsCorrections => "DELETE FROM comments_corrections WHERE pmid = ?1",
        }
    }

    /// Writes a record's rows of this part.
    fn insert(self, tx: &Connection, a: &Article) -> Result<(), StoreError> {
        let pmid = a.pmid as i64;
        match self {
            Part::Book => {
                if let Some(book) = &a.book {
                    let (
                        title,
                        book_id,
                        publisher,
                        publisher_location,
                        pub_date,
                        volume,
                        edition,
                        collection_title,
                        medium,
                        report_number,
                        location_label,
                    ) = book_row(book);
                    tx.prepare_cached(
                        "INSERT INTO books (pmid, title, book_id, publisher, publisher_location, pub_year, pub_month, pub_day,
                            pub_season, pub_medline_date, volume, edition, collection_title, medium, report_number, location_label)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
                    )?
                    .execute(params![
                        pmid,
                        title,
                        book_id,
                        publisher,
                        publisher_location,
                        pub_date.year,
                        pub_date.month,
                        pub_date.day,
                        pub_date.season,
                        pub_date.raw,
                        volume,
                        edition,
                        collection_title,
                        medium,
                        report_number,
                        location_label,
                    ])?;
                }
            }
            Part::FirstAuthor => {
                // (What names a hit: the first author's last name and initials, or the group's
                // name. The rest of the author is read from the XML.)
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO authors (pmid, role, position, last_name, initials, collective, valid, equal_contrib)
                     VALUES (?1, 'author', ?2, ?3, ?4, ?5, ?6, ?7)",
                )?;
                for (i, au) in a.authors.iter().enumerate().take(1) {
                    let (last, initials, collective) = author_row(au);
                    stmt.execute(params![
                        pmid,
                        i,
                        last,
                        initials,
                        collective,
                        au.valid,
                        au.equal_contrib
                    ])?;
                }
            }
            Part::PublicationTypes => {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO publication_types (pmid, position, name) VALUES (?1, ?2, ?3)",
                )?;
                // (The type's UI is read from the XML: queries go by name.)
                for (i, p) in a.publication_types.iter().enumerate() {
                    stmt.execute(params![pmid, i, p.name])?;
                }
            }
            Part::Mesh => {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO mesh_headings (pmid, position, descriptor, major) VALUES (?1, ?2, ?3, ?4)",
                )?;
                for (i, m) in a.mesh.iter().enumerate() {
                    let (descriptor, ui, major, descriptor_type) = mesh_row(m);
                    let id = mesh_descriptor_id(tx, descriptor, ui, descriptor_type)?;
                    stmt.execute(params![pmid, i, id, major])?;
                }
            }
            Part::CommentsCorrections => {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO comments_corrections (pmid, position, ref_type, ref_pmid) VALUES (?1, ?2, ?3, ?4)",
                )?;
                // (The citation of the comment or correction is read from the XML: queries go
                // by its type, e.g. a retraction's.)
                for (i, c) in a.comments_corrections.iter().enumerate() {
                    stmt.execute(params![pmid, i, c.ref_type, c.pmid.map(|p| p as i64)])?;
                }
            }
        }
        Ok(())
    }
}

/// The columns of a book's `books` row.
#[allow(clippy::type_complexity)]
fn book_row(
    b: &Book,
) -> (
    &Option<String>,
    &Option<String>,
    &Option<String>,
    &Option<String>,
    &PubDate,
    &Option<String>,
    &Option<String>,
    &Option<String>,
    &Option<String>,
    &Option<String>,
    &Option<String>,
) {
    (
        &b.title,
        &b.book_id,
        &b.publisher,
        &b.publisher_location,
        &b.pub_date,
        &b.volume,
        &b.edition,
        &b.collection_title,
        &b.medium,
        &b.report_number,
        &b.location_label,
    )
}

/// The columns of an author's `authors` row that queries read (the rest is read from the XML).
fn author_row(au: &Author) -> (&Option<String>, &Option<String>, &Option<String>) {
    (&au.last, &au.initials, &au.collective)
}

/// The id of a MeSH descriptor in `mesh_descriptors`, added when the catalogue does not hold it.
fn mesh_descriptor_id(
    tx: &Connection,
    descriptor: &str,
    ui: &Option<String>,
    descriptor_type: &Option<String>,
) -> Result<i64, StoreError> {
    held_or_added(
        tx,
        "SELECT id FROM mesh_descriptors WHERE descriptor = ?1 AND ifnull(ui, '') = ifnull(?2, '')
           AND ifnull(descriptor_type, '') = ifnull(?3, '')",
        "INSERT INTO mesh_descriptors (descriptor, ui, descriptor_type) VALUES (?1, ?2, ?3)",
        params![descriptor, ui, descriptor_type],
    )
}

/// The columns of a heading's `mesh_headings` row, its descriptor's in `mesh_descriptors`
/// (qualifiers are read from the XML).
fn mesh_row(m: &MeshHeading) -> (&String, &Option<String>, bool, &Option<String>) {
    (&m.descriptor, &m.ui, m.major, &m.descriptor_type)
}

/// A set of [`Part`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts(u32);

impl Parts {
    /// Every part.
    pub const ALL: Parts = Parts((1 << Part::ALL.len()) - 1);

    /// The parts whose data differ between two versions of a record.
    pub fn changed_between(old: &Article, new: &Article) -> Parts {
        Parts(
            Part::ALL
                .iter()
                .filter(|p| !p.same_in(old, new))
                .fold(0, |bits, p| bits | 1 << *p as u32),
        )
    }

    /// Whether the set holds `part`.
    pub fn contains(self, part: Part) -> bool {
        self.0 & (1 << part as u32) != 0
    }
}

/// Replaces the data of an existing row and the child rows of the `changed` parts (the others
/// are left as they are: the caller knows they hold the same data). The row itself is updated
/// in place, never deleted, so nothing that refers to the PMID (revisions, tags, claims) is
/// touched; `first_seen` and the deletion flag are kept.
pub(super) fn replace_article(
    tx: &Connection,
    a: &Article,
    content_hash: &[u8],
    compressed_xml: &[u8],
    now: &str,
    source_id: i64,
    changed: Parts,
) -> Result<(), StoreError> {
    let pmid = a.pmid as i64;
    for part in Part::ALL.into_iter().filter(|p| changed.contains(*p)) {
        tx.prepare_cached(part.delete())?.execute([pmid])?;
    }
    tx.prepare_cached(
        "UPDATE articles SET version = ?2, kind = ?3, status = ?4, owner = ?5, date_completed = ?6,
            date_revised = ?7, title = ?8, title_markup = ?9, vernacular_title = ?10, abstract_copyright = ?11,
            has_abstract = ?12, journal_title = ?13, journal_iso = ?14, issn = ?15, issn_type = ?16,
            issn_linking = ?17, nlm_unique_id = ?18, medline_ta = ?19, journal_country = ?20, volume = ?21,
            issue = ?22, cited_medium = ?23, pub_year = ?24, pub_month = ?25, pub_day = ?26, pub_season = ?27,
            pub_medline_date = ?28, medline_pgn = ?29, start_page = ?30, end_page = ?31, authors_complete = ?32,
            coi_statement = ?33, publication_status = ?34, year = ?35, content_hash = ?36, raw_xml = ?37,
            last_changed = ?38, source = NULL, source_id = ?39
         WHERE pmid = ?1",
    )?
    .execute(rusqlite::params_from_iter(article_values(a, content_hash, compressed_xml, now, source_id)))?;
    for part in Part::ALL.into_iter().filter(|p| changed.contains(*p)) {
        part.insert(tx, a)?;
    }
    Ok(())
}

fn insert_children(tx: &Connection, a: &Article) -> Result<(), StoreError> {
    for part in Part::ALL {
        part.insert(tx, a)?;
    }
    Ok(())
}

/// The six FTS5 columns for a record: title, abstract, keywords, MeSH (descriptors,
/// qualifiers, chemicals, supplementary concepts), authors (last name, fore name and initials,
/// collective names; book editors too) and journal (title, ISO and MEDLINE abbreviations).
pub fn fts_columns(a: &Article) -> [String; 6] {
    let mut title = a.title.text.clone();
    if let Some(v) = &a.vernacular_title {
        title.push('\n');
        title.push_str(v);
    }
    if let Some(book) = &a.book
        && let Some(t) = &book.title
    {
        title.push('\n');
        title.push_str(t);
    }
    let mut abstract_text = String::new();
    for abs in a.abstract_.iter().chain(&a.other_abstracts) {
        if !abstract_text.is_empty() {
            abstract_text.push('\n');
        }
        abstract_text.push_str(&abs.plain_text());
    }
    let keywords = a
        .keywords
        .iter()
        .map(|k| k.text.as_str())
        .collect::<Vec<_>>()
        .join("; ");
    let mut mesh = String::new();
    for m in &a.mesh {
        mesh.push_str(&m.descriptor);
        for q in &m.qualifiers {
            mesh.push_str(" / ");
            mesh.push_str(&q.name);
        }
        mesh.push_str("; ");
    }
    for c in &a.chemicals {
        mesh.push_str(&c.name);
        mesh.push_str("; ");
    }
    for s in &a.suppl_mesh {
        mesh.push_str(&s.name);
        mesh.push_str("; ");
    }
    let mut authors = String::new();
    let book_editors = a.book.iter().flat_map(|b| &b.editors);
    for au in a.authors.iter().chain(book_editors) {
        let parts = [&au.last, &au.fore, &au.initials, &au.collective];
        for part in parts.into_iter().flatten() {
            authors.push_str(part);
            authors.push(' ');
        }
        authors.push_str("; ");
    }
    let mut journal = String::new();
    let j = &a.journal;
    for part in [&j.title, &j.iso_abbrev, &j.medline_ta]
        .into_iter()
        .flatten()
    {
        journal.push_str(part);
        journal.push_str("; ");
    }
    [title, abstract_text, keywords, mesh, authors, journal]
}

/// Rewrites the FTS row of a record.
pub(super) fn index_article(tx: &Connection, a: &Article) -> Result<(), StoreError> {
    write_index_row(tx, a.pmid as i64, true, &fts_columns(a))
}

/// Writes record `pmid`'s FTS row with `columns` ([`fts_columns`]), deleting the one it had
/// first when `replace`. (A record the catalogue never had has no row: a row is written only
/// with a record's data. Deleting first would cost a lookup in the index for every new record.)
pub(super) fn write_index_row(
    tx: &Connection,
    pmid: i64,
    replace: bool,
    columns: &[String; 6],
) -> Result<(), StoreError> {
    if replace {
        tx.prepare_cached("DELETE FROM article_fts WHERE rowid = ?1")?
            .execute([pmid])?;
    }
    let [title, abstract_text, keywords, mesh, authors, journal] = columns;
    tx.prepare_cached("INSERT INTO article_fts (rowid, title, abstract, keywords, mesh, author, journal) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?
        .execute(params![pmid, title, abstract_text, keywords, mesh, authors, journal])?;
    Ok(())
}

/// Writes the FTS row of every record with data again, from the stored records (the index is
/// contentless: nothing can be read back from it). Used by the migration that changes its
/// columns, inside that migration's transaction.
pub(super) fn reindex_all(conn: &Connection) -> Result<usize, StoreError> {
    let pmids: Vec<i64> = conn
        .prepare("SELECT pmid FROM articles WHERE length(raw_xml) > 0 ORDER BY pmid")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    // (From the XML alone: the migration runs on the schema of its day, which may lack what a
    // record's row is read with today.)
    for &pmid in &pmids {
        if let Some(article) = load_record(conn, pmid_of(pmid))? {
            index_article(conn, &article)?;
        }
    }
    Ok(pmids.len())
}

fn pmid_of(v: i64) -> Pmid {
    v as Pmid
}

fn pub_date_from(row: &Row<'_>, base: usize) -> rusqlite::Result<PubDate> {
    Ok(PubDate {
        year: row.get(base)?,
        month: row.get(base + 1)?,
        day: row.get(base + 2)?,
        season: row.get(base + 3)?,
        raw: row.get(base + 4)?,
    })
}

/// Reads a record back (from its stored XML, see [`load_record`]); `None` when the PMID is not in the catalogue.
pub fn load_article(store: &Store, pmid: Pmid) -> Result<Option<StoredArticle>, StoreError> {
    load_article_from(store.conn(), pmid)
}

fn load_article_from(conn: &Connection, pmid: Pmid) -> Result<Option<StoredArticle>, StoreError> {
    let key = pmid as i64;
    let row = conn
        .prepare_cached(
            "SELECT version, kind, status, owner, date_completed, date_revised, title, title_markup, vernacular_title,
                abstract_copyright, has_abstract, journal_title, journal_iso, issn, issn_type, issn_linking,
                nlm_unique_id, medline_ta, journal_country, volume, issue, cited_medium, pub_year, pub_month,
                pub_day, pub_season, pub_medline_date, medline_pgn, start_page, end_page, authors_complete,
                coi_statement, publication_status, deleted, deleted_at, deleted_source, first_seen, last_changed,
                coalesce((SELECT s.source FROM record_sources s WHERE s.id = articles.source_id), source),
                length(raw_xml) > 0,
                (SELECT count(*) FROM revisions r WHERE r.pmid = articles.pmid)
             FROM articles WHERE pmid = ?1",
        )?
        .query_row([key], |r| {
            let article = Article {
                pmid,
                version: r.get(0)?,
                kind: RecordKind::from_stored(&r.get::<_, String>(1)?),
                status: r.get(2)?,
                owner: r.get(3)?,
                date_completed: r.get::<_, Option<String>>(4)?.map(|d| PartialDate::from_iso(&d)),
                date_revised: r.get::<_, Option<String>>(5)?.map(|d| PartialDate::from_iso(&d)),
                title: MarkedText { text: r.get(6)?, markup: r.get(7)? },
                vernacular_title: r.get(8)?,
                abstract_: if r.get::<_, bool>(10)? {
                    Some(Abstract { copyright: r.get(9)?, ..Abstract::default() })
                } else {
                    None
                },
                journal: Journal {
                    title: r.get(11)?,
                    iso_abbrev: r.get(12)?,
                    issn: r.get(13)?,
                    issn_type: r.get(14)?,
                    issn_linking: r.get(15)?,
                    nlm_unique_id: r.get(16)?,
                    medline_ta: r.get(17)?,
                    country: r.get(18)?,
                    volume: r.get(19)?,
                    issue: r.get(20)?,
                    cited_medium: r.get(21)?,
                    pub_date: pub_date_from(r, 22)?,
                },
                pagination: Pagination { medline_pgn: r.get(27)?, start_page: r.get(28)?, end_page: r.get(29)? },
                authors_complete: r.get(30)?,
                coi_statement: r.get(31)?,
                publication_status: r.get(32)?,
                ..Article::default()
            };
            Ok(StoredArticle {
                article,
                deleted: r.get(33)?,
                deleted_at: r.get(34)?,
                deleted_source: r.get(35)?,
                first_seen: r.get(36)?,
                last_changed: r.get(37)?,
                source: r.get(38)?,
                has_data: r.get(39)?,
                revisions: r.get(40)?,
            })
        })
        .optional()?;
    let Some(mut stored) = row else {
        return Ok(None);
    };
    // A record with data is read from its XML; the row's columns above serve a tombstone the
    // catalogue never had data for.
    if stored.has_data
        && let Some(article) = load_record(conn, pmid)?
    {
        stored.article = article;
    }
    Ok(Some(stored))
}

/// Reads record `pmid` from its stored original XML (`None`: no such record, or one without
/// data). This is the record as the import parsed it: the XML is its one full copy.
pub(super) fn load_record(conn: &Connection, pmid: Pmid) -> Result<Option<Article>, StoreError> {
    let blob: Option<Vec<u8>> = conn
        .prepare_cached("SELECT raw_xml FROM articles WHERE pmid = ?1 AND length(raw_xml) > 0")?
        .query_row([pmid as i64], |r| r.get(0))
        .optional()?;
    blob.map(|b| parse_stored(conn, pmid, &b)).transpose()
}

/// Parses a record's stored (compressed) XML.
fn parse_stored(conn: &Connection, pmid: Pmid, stored: &[u8]) -> Result<Article, StoreError> {
    let raw = decompress_xml(conn, pmid, stored)?;
    let damaged = |reason: String| StoreError::Damaged { pmid, reason };
    match PubmedReader::new(&raw[..]).next_item() {
        Ok(Some(PubmedItem::Article(article))) if article.pmid == pmid => {
            let mut article = *article;
            article.raw_xml = Vec::new();
            Ok(article)
        }
        Ok(Some(PubmedItem::Article(article))) => Err(damaged(format!(
            "its stored XML is the record of PMID {}",
            article.pmid
        ))),
        Ok(_) => Err(damaged("its stored XML holds no record".into())),
        Err(e) => Err(damaged(format!("its stored XML does not parse: {e}"))),
    }
}

/// An earlier version of a record, kept when a revision replaced it.
#[derive(Debug, Clone, Serialize)]
pub struct RevisionEntry {
    /// `PMID/@Version` of the replaced record.
    pub version: i64,
    /// Its `DateRevised`.
    pub date_revised: Option<String>,
    /// When it was replaced.
    pub replaced_at: String,
    /// The file or fetch that replaced it.
    pub replaced_by: Option<String>,
}

/// The earlier versions of record `pmid`, newest first.
pub fn revision_history(store: &Store, pmid: u64) -> Result<Vec<RevisionEntry>, StoreError> {
    let mut stmt = store.conn().prepare(
        "SELECT version, date_revised, replaced_at, replaced_by FROM revisions
           WHERE pmid = ?1 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map([pmid as i64], |r| {
        Ok(RevisionEntry {
            version: r.get(0)?,
            date_revised: r.get(1)?,
            replaced_at: r.get(2)?,
            replaced_by: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(article: Article) -> StoredArticle {
        StoredArticle {
            article,
            deleted: false,
            deleted_at: None,
            deleted_source: None,
            has_data: true,
            first_seen: "2024-01-01T00:00:00Z".into(),
            last_changed: "2024-01-01T00:00:00Z".into(),
            source: None,
            revisions: 0,
        }
    }

    fn notice(ref_type: &str, ref_source: Option<&str>, pmid: Option<Pmid>) -> CommentCorrection {
        CommentCorrection {
            ref_type: ref_type.into(),
            ref_source: ref_source.map(str::to_string),
            pmid,
        }
    }

    fn article(pmid: Pmid) -> Article {
        Article {
            pmid,
            ..Article::default()
        }
    }

    #[test]
    fn a_plain_record_has_no_warnings() {
        let mut a = article(1);
        a.comments_corrections
            .push(notice("CommentIn", Some("J. 2020"), Some(2)));
        assert!(stored(a).warnings().is_empty());
    }

    #[test]
    fn a_retraction_notice_names_itself_and_a_retracted_type_alone_does_not() {
        let mut a = article(1);
        a.comments_corrections
            .push(notice("RetractionIn", Some("J. 2021"), Some(9)));
        assert_eq!(
            stored(a).warnings(),
            ["PMID 1 is RETRACTED (retraction: J. 2021, PMID 9)"]
        );
        let mut a = article(2);
        a.publication_types.push(PublicationType {
            ui: None,
            name: "retracted publication".into(),
        });
        assert_eq!(stored(a).warnings(), ["PMID 2 is RETRACTED"]);
    }

    #[test]
    fn concerns_errata_and_deletion_are_each_a_line_in_order() {
        let mut a = article(3);
        a.comments_corrections.extend([
            notice("ErratumIn", Some("J. 2022;1:2"), None),
            notice("ExpressionOfConcernIn", None, None),
        ]);
        let mut s = stored(a);
        s.deleted = true;
        s.deleted_at = Some("2024-05-01".into());
        assert_eq!(
            s.warnings(),
            [
                "PMID 3 has an EXPRESSION OF CONCERN (?)",
                "PMID 3 has an erratum (J. 2022;1:2)",
                "PMID 3 was DELETED from PubMed (2024-05-01)",
            ]
        );
    }
}
