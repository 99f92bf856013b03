//! Full-text search: the user query language, its safe translation to FTS5, and `find` with
//! its filters.
//!
//! The query language: plain words (all must match), `"quoted phrases"`, `OR`, `AND`, `NOT`
//! (between two terms), `prefix*`, parentheses for grouping, and column prefixes `title:`,
//! `abstract:`, `keywords:`, `mesh:`. Every term is re-quoted before it reaches FTS5, so user
//! text can never inject FTS5 syntax: a stray quote closes at the end of the query, unbalanced
//! parentheses are ignored, punctuation-only terms are dropped.

use rusqlite::types::Value;
use serde::Serialize;

use super::{Store, StoreError};

/// A query that cannot be turned into a search.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    /// `NOT` with nothing before it.
    #[error("NOT needs a term before it (write 'ozone NOT cervical', not 'NOT cervical')")]
    LeadingNot,
    /// A year range that does not parse.
    #[error("invalid year range {0:?}: use 2015, 2010..2020, 2010.. or ..2020")]
    YearRange(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Term {
        column: Option<&'static str>,
        text: String,
        phrase: bool,
        prefix: bool,
    },
    Or,
    And,
    Not,
    Open,
    Close,
}

const COLUMNS: [&str; 4] = ["title", "abstract", "keywords", "mesh"];

fn tokenize(query: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = query.chars().peekable();
    let mut pending_column: Option<&'static str> = None;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        if c == '"' {
            chars.next();
            let mut text = String::new();
            for c in chars.by_ref() {
                if c == '"' {
                    break;
                }
                text.push(c);
            }
            let prefix = chars.peek() == Some(&'*');
            if prefix {
                chars.next();
            }
            tokens.push(Token::Term {
                column: pending_column.take(),
                text,
                phrase: true,
                prefix,
            });
            continue;
        }
        if c == '(' || c == ')' {
            chars.next();
            tokens.push(if c == '(' { Token::Open } else { Token::Close });
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || c == '"' || c == '(' || c == ')' {
                break;
            }
            word.push(c);
            chars.next();
        }
        match word.as_str() {
            "OR" => tokens.push(Token::Or),
            "AND" => tokens.push(Token::And),
            "NOT" => tokens.push(Token::Not),
            _ => {
                if let Some((col, rest)) = word.split_once(':')
                    && let Some(column) = COLUMNS.iter().find(|k| k.eq_ignore_ascii_case(col))
                {
                    if rest.is_empty() {
                        pending_column = Some(column);
                        continue;
                    }
                    word = rest.to_string();
                    pending_column = Some(column);
                }
                let prefix = word.ends_with('*');
                let text = word.trim_end_matches('*').to_string();
                tokens.push(Token::Term {
                    column: pending_column.take(),
                    text,
                    phrase: false,
                    prefix,
                });
            }
        }
    }
    tokens
}

fn has_word_chars(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Translates a user query to an FTS5 MATCH expression; `Ok(None)` when it holds no terms.
pub fn fts_query(query: &str) -> Result<Option<String>, QueryError> {
    let mut tokens: Vec<Token> = tokenize(query)
        .into_iter()
        .filter(|t| !matches!(t, Token::Term { text, .. } if !has_word_chars(text)))
        .collect();
    // Parentheses are kept only when balanced.
    let mut depth = 0i32;
    let mut balanced = true;
    for t in &tokens {
        match t {
            Token::Open => depth += 1,
            Token::Close => {
                depth -= 1;
                if depth < 0 {
                    balanced = false;
                }
            }
            _ => {}
        }
    }
    if !balanced || depth != 0 {
        tokens.retain(|t| !matches!(t, Token::Open | Token::Close));
    }
    // Build, dropping operators that have no term on one side.
    let mut out: Vec<String> = Vec::new();
    let mut expect_operand = true; // at the start, after an operator, after '('
    let mut pending_op: Option<&'static str> = None;
    let mut terms = 0usize;
    for t in tokens {
        match t {
            Token::Term {
                column,
                text,
                phrase: _,
                prefix,
            } => {
                if let Some(op) = pending_op.take()
                    && !expect_operand
                {
                    out.push(op.to_string());
                }
                let mut s = String::new();
                if let Some(c) = column {
                    s.push_str(c);
                    s.push_str(" : ");
                }
                s.push('"');
                s.push_str(&text.replace('"', "\"\""));
                s.push('"');
                if prefix {
                    s.push('*');
                }
                out.push(s);
                expect_operand = false;
                terms += 1;
            }
            Token::Or | Token::And | Token::Not => {
                let op = match t {
                    Token::Or => "OR",
                    Token::And => "AND",
                    _ => "NOT",
                };
                if expect_operand {
                    if op == "NOT" {
                        return Err(QueryError::LeadingNot);
                    }
                    continue; // a leading or doubled OR/AND means nothing
                }
                pending_op = Some(op);
            }
            Token::Open => {
                if let Some(op) = pending_op.take() {
                    out.push(op.to_string());
                }
                out.push("(".into());
                expect_operand = true;
            }
            Token::Close => {
                if out.last().map(String::as_str) == Some("(") {
                    out.pop(); // "()" holds nothing
                } else {
                    out.push(")".into());
                }
                expect_operand = false;
            }
        }
        if pending_op.is_some() && matches!(out.last().map(String::as_str), Some("(")) {
            pending_op = None;
        }
    }
    if terms == 0 {
        return Ok(None);
    }
    Ok(Some(out.join(" ")))
}

/// An inclusive year range; either end may be open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearRange {
    /// First year, inclusive.
    pub from: Option<i32>,
    /// Last year, inclusive.
    pub to: Option<i32>,
}

impl std::str::FromStr for YearRange {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || QueryError::YearRange(s.to_string());
        let parse = |p: &str| -> Result<Option<i32>, QueryError> {
            let p = p.trim();
            if p.is_empty() {
                Ok(None)
            } else {
                p.parse().map(Some).map_err(|_| bad())
            }
        };
        let range = match s.split_once("..") {
            Some((a, b)) => YearRange {
                from: parse(a)?,
                to: parse(b)?,
            },
            None => {
                let y = parse(s)?.ok_or_else(bad)?;
                YearRange {
                    from: Some(y),
                    to: Some(y),
                }
            }
        };
        if range.from.is_none() && range.to.is_none() {
            return Err(bad());
        }
        Ok(range)
    }
}

/// Filters of `evcat find` (and of exports later).
#[derive(Debug, Clone, Default)]
pub struct FindFilters {
    /// Publication year range.
    pub years: Option<YearRange>,
    /// Journal title, ISO abbreviation or MEDLINE abbreviation contains this (case-insensitive).
    pub journal: Option<String>,
    /// Has this publication type (case-insensitive, exact name).
    pub publication_type: Option<String>,
    /// Has this MeSH descriptor (name or UI, case-insensitive).
    pub mesh: Option<String>,
    /// Leave tombstones out.
    pub exclude_deleted: bool,
    /// Must have every one of these (dimension, tag) effective tags.
    pub tags: Vec<(String, String)>,
    /// Must have a design tag of at least this evidence level.
    pub min_level: Option<i64>,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct FindHit {
    /// PMID.
    pub pmid: u64,
    /// Plain title.
    pub title: String,
    /// Publication year.
    pub year: Option<i32>,
    /// Journal ISO abbreviation (or title, or book title).
    pub journal: Option<String>,
    /// First author, "Magalhaes FN".
    pub first_author: Option<String>,
    /// Publication types.
    pub publication_types: Vec<String>,
    /// Tombstone.
    pub deleted: bool,
    /// BM25 rank (lower is better); `None` without a text query.
    pub score: Option<f64>,
}

fn like_pattern(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// Builds the WHERE conditions for `filters` over `articles a`, appending parameters.
pub fn filter_conditions(filters: &FindFilters, params: &mut Vec<Value>) -> Vec<String> {
    let mut conds = Vec::new();
    if let Some(r) = filters.years {
        if let Some(from) = r.from {
            params.push(Value::Integer(from.into()));
            conds.push(format!("a.year >= ?{}", params.len()));
        }
        if let Some(to) = r.to {
            params.push(Value::Integer(to.into()));
            conds.push(format!("a.year <= ?{}", params.len()));
        }
    }
    if let Some(j) = &filters.journal {
        params.push(Value::Text(like_pattern(j)));
        let n = params.len();
        conds.push(format!(
            "(a.journal_title LIKE ?{n} ESCAPE '\\' OR a.journal_iso LIKE ?{n} ESCAPE '\\' OR a.medline_ta LIKE ?{n} ESCAPE '\\')"
        ));
    }
    if let Some(t) = &filters.publication_type {
        params.push(Value::Text(t.clone()));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM publication_types p WHERE p.pmid = a.pmid AND p.name = ?{} COLLATE NOCASE)",
            params.len()
        ));
    }
    if let Some(m) = &filters.mesh {
        params.push(Value::Text(m.clone()));
        let n = params.len();
        conds.push(format!(
            "EXISTS (SELECT 1 FROM mesh_headings m WHERE m.pmid = a.pmid AND (m.descriptor = ?{n} COLLATE NOCASE OR m.ui = ?{n}))"
        ));
    }
    if filters.exclude_deleted {
        conds.push("a.deleted = 0".into());
    }
    for (dimension, tag) in &filters.tags {
        params.push(Value::Text(dimension.clone()));
        params.push(Value::Text(tag.clone()));
        let n = params.len();
        conds.push(format!(
            "EXISTS (SELECT 1 FROM effective_tags t WHERE t.pmid = a.pmid AND t.dimension = ?{} AND t.tag = ?{n})",
            n - 1
        ));
    }
    if let Some(level) = filters.min_level {
        params.push(Value::Integer(level));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM effective_tags t WHERE t.pmid = a.pmid AND t.dimension = 'design' AND t.level >= ?{})",
            params.len()
        ));
    }
    conds
}

/// Searches the catalogue: BM25-ranked when `query` has terms, newest first otherwise.
pub fn find(
    store: &Store,
    query: &str,
    filters: &FindFilters,
    limit: usize,
) -> Result<Vec<FindHit>, FindError> {
    let selection = Selection::build(query, filters, Some(limit))?;
    let sql = format!(
        "SELECT a.pmid, a.title, a.year, coalesce(a.journal_iso, a.journal_title, (SELECT b.title FROM books b WHERE b.pmid = a.pmid)),
            (SELECT coalesce(au.collective, au.last_name || coalesce(' ' || au.initials, ''))
               FROM authors au WHERE au.pmid = a.pmid AND au.role = 'author' ORDER BY au.position LIMIT 1),
            (SELECT group_concat(p.name, '; ') FROM publication_types p WHERE p.pmid = a.pmid),
            a.deleted, {} AS score
         {}",
        selection.score, selection.tail
    );
    let params = selection.params;
    let conn = store.conn();
    let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params.iter()), |r| {
            Ok(FindHit {
                pmid: r.get::<_, i64>(0)? as u64,
                title: r.get(1)?,
                year: r.get(2)?,
                journal: r.get(3)?,
                first_author: r.get(4)?,
                publication_types: r
                    .get::<_, Option<String>>(5)?
                    .map(|s| s.split("; ").map(str::to_string).collect())
                    .unwrap_or_default(),
                deleted: r.get(6)?,
                score: r.get(7)?,
            })
        })
        .map_err(StoreError::from)?;
    let hits = rows
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| FindError::Store(e.into()))?;
    Ok(hits)
}

/// The FROM ... WHERE ... ORDER BY ... LIMIT part of a search, shared by `find` and exports.
struct Selection {
    score: &'static str,
    tail: String,
    params: Vec<Value>,
}

impl Selection {
    fn build(
        query: &str,
        filters: &FindFilters,
        limit: Option<usize>,
    ) -> Result<Selection, FindError> {
        let fts = fts_query(query)?;
        let mut params: Vec<Value> = Vec::new();
        let mut conds = Vec::new();
        let (from, score, order) = if let Some(q) = &fts {
            params.push(Value::Text(q.clone()));
            conds.push("article_fts MATCH ?1".to_string());
            (
                "article_fts JOIN articles a ON a.pmid = article_fts.rowid",
                "bm25(article_fts, 10.0, 2.0, 4.0, 4.0)",
                "score, a.pmid",
            )
        } else {
            ("articles a", "NULL", "a.year DESC, a.pmid DESC")
        };
        conds.extend(filter_conditions(filters, &mut params));
        conds.push("(length(a.raw_xml) > 0 OR a.deleted = 1)".into());
        let mut tail = format!("FROM {from} WHERE {} ORDER BY {order}", conds.join(" AND "));
        if let Some(limit) = limit {
            params.push(Value::Integer(limit as i64));
            tail.push_str(&format!(" LIMIT ?{}", params.len()));
        }
        Ok(Selection {
            score,
            tail,
            params,
        })
    }
}

/// The PMIDs a search selects, in its order (ranked, or newest first without a query): what
/// exports iterate over, one record at a time.
pub fn find_pmids(
    store: &Store,
    query: &str,
    filters: &FindFilters,
) -> Result<Vec<u64>, FindError> {
    let selection = Selection::build(query, filters, None)?;
    let sql = format!(
        "SELECT a.pmid, {} AS score {}",
        selection.score, selection.tail
    );
    let mut stmt = store.conn().prepare(&sql).map_err(StoreError::from)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(selection.params.iter()), |r| {
            r.get::<_, i64>(0).map(|p| p as u64)
        })
        .map_err(StoreError::from)?;
    rows.collect::<Result<Vec<_>, _>>()
        .map_err(|e| FindError::Store(e.into()))
}

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// The query is not valid.
    #[error("{0}")]
    Query(#[from] QueryError),
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_operators_and_prefixes() {
        assert_eq!(
            fts_query("ozone disc").unwrap().unwrap(),
            r#""ozone" "disc""#
        );
        assert_eq!(
            fts_query(r#""low back pain" OR sciatica"#)
                .unwrap()
                .unwrap(),
            r#""low back pain" OR "sciatica""#
        );
        assert_eq!(
            fts_query("ozone NOT cervical").unwrap().unwrap(),
            r#""ozone" NOT "cervical""#
        );
        assert_eq!(fts_query("herniat*").unwrap().unwrap(), r#""herniat"*"#);
        assert_eq!(
            fts_query("title:ozone").unwrap().unwrap(),
            r#"title : "ozone""#
        );
        assert_eq!(
            fts_query("(ozone OR oxygen) disc").unwrap().unwrap(),
            r#"( "ozone" OR "oxygen" ) "disc""#
        );
    }

    #[test]
    fn stray_syntax_is_literal_or_dropped() {
        assert_eq!(
            fts_query(r#"ozone "disc"#).unwrap().unwrap(),
            r#""ozone" "disc""#
        );
        assert_eq!(
            fts_query("ozone (disc").unwrap().unwrap(),
            r#""ozone" "disc""#
        );
        assert_eq!(fts_query("ozone) OR").unwrap().unwrap(), r#""ozone""#);
        assert_eq!(fts_query(r#"a"b"#).unwrap().unwrap(), r#""a" "b""#);
        assert_eq!(fts_query("OR ozone").unwrap().unwrap(), r#""ozone""#);
        assert_eq!(fts_query("-- ; :").unwrap(), None);
        assert_eq!(fts_query("NOT ozone"), Err(QueryError::LeadingNot));
        assert_eq!(fts_query("x:y").unwrap().unwrap(), r#""x:y""#);
    }

    #[test]
    fn year_ranges() {
        assert_eq!(
            "2010..2020".parse::<YearRange>().unwrap(),
            YearRange {
                from: Some(2010),
                to: Some(2020)
            }
        );
        assert_eq!(
            "2010..".parse::<YearRange>().unwrap(),
            YearRange {
                from: Some(2010),
                to: None
            }
        );
        assert_eq!(
            "..2020".parse::<YearRange>().unwrap(),
            YearRange {
                from: None,
                to: Some(2020)
            }
        );
        assert_eq!(
            "2015".parse::<YearRange>().unwrap(),
            YearRange {
                from: Some(2015),
                to: Some(2015)
            }
        );
        assert!("x..y".parse::<YearRange>().is_err());
        assert!("..".parse::<YearRange>().is_err());
    }
}
