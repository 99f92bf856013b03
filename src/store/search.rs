//! Full-text search: the user query language, its safe translation to FTS5, and `find` with
//! its filters.
//!
//! The query language: plain words (all must match), `"quoted phrases"`, `OR`, `AND`, `NOT`
//! (between two terms), `prefix*`, parentheses for grouping, and column prefixes `title:`,
//! `abstract:`, `keywords:`, `mesh:` (on a term or a group). The query is parsed into a tree
//! (side by side binds tightest, then `NOT`, `AND`, `OR`, as in FTS5) and written back as FTS5
//! syntax with every term re-quoted, so user text can never inject FTS5 syntax: a stray quote
//! closes at the end of the query, unbalanced parentheses are ignored, punctuation-only terms
//! and control characters are dropped. Parsing is linear; the `MAX_*` limits bound what FTS5
//! must parse and rank.

use rusqlite::params;
use rusqlite::types::Value;
use serde::Serialize;

use super::{Store, StoreError};

mod all_phrases;
mod halves;
mod shared_view;

/// Longest query accepted, in bytes. PubMed-style boolean queries of a few hundred terms fit
/// comfortably; anything longer is a pasted document, not a search.
pub const MAX_QUERY_BYTES: usize = 10_000;
/// Most terms (words and quoted phrases) in one query. FTS5's BM25 ranking does work
/// proportional to the square of the number of terms for every matching record, so the limit
/// keeps every search fast.
pub const MAX_QUERY_TERMS: usize = 250;
/// Deepest nesting of parentheses in one query; FTS5's parser has a fixed-size stack.
pub const MAX_QUERY_DEPTH: usize = 10;
/// Longest `--journal`, `--type` or `--mesh` filter text, in bytes (journal titles and MeSH
/// names are under 300).
pub const MAX_FILTER_BYTES: usize = 1_000;

/// A query that cannot be turned into a search.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QueryError {
    /// `NOT` with nothing before it.
    #[error("NOT needs a term before it (write 'ozone NOT cervical', not 'NOT cervical')")]
    LeadingNot,
    /// A query that is not blank but has no word to search for.
    #[error(
        "nothing to search for: the query has no words, only punctuation or operators \
         (leave it out to list every record)"
    )]
    NoWords,
    /// A query made only of `-term` exclusions.
    #[error(
        "the query only excludes terms: add a term to search for ('ozone -cervical'), or use \
         filters without a query"
    )]
    OnlyExclusions,
    /// `name:` before a term where `name` is not a column.
    #[error(
        "unknown column {0:?}: the columns are title, abstract, keywords, mesh, author, journal \
         (put the term in double quotes to search the text as written)"
    )]
    UnknownColumn(String),
    /// A year range whose first year is after its last.
    #[error(
        "year range {0:?} ends before it starts: write the earlier year first, e.g. 2010..2020"
    )]
    InvertedYears(String),
    /// A year range that does not parse.
    #[error("invalid year range {0:?}: use 2015, 2010..2020, 2010.. or ..2020")]
    YearRange(String),
    /// The query is longer than [`MAX_QUERY_BYTES`].
    #[error(
        "query is {} bytes long; the limit is {} bytes: shorten it or split it into several searches",
        thousands(.bytes),
        thousands(.limit)
    )]
    TooLong {
        /// Its length.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// The query has more than [`MAX_QUERY_TERMS`] terms.
    #[error(
        "query has {} terms; the limit is {}: split it into several searches",
        thousands(.terms),
        thousands(.limit)
    )]
    TooManyTerms {
        /// Its number of terms.
        terms: usize,
        /// The limit.
        limit: usize,
    },
    /// The query nests parentheses deeper than [`MAX_QUERY_DEPTH`].
    #[error("query nests parentheses {depth} deep; the limit is {limit}: remove some grouping")]
    TooDeep {
        /// Its deepest nesting.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// SQLite FTS5 cannot parse the query's mix of operators and parentheses.
    #[error(
        "query mixes too many operators inside nested parentheses for SQLite FTS5 (its parser \
         stack holds 100 entries): remove some grouping or split it into several searches"
    )]
    TooIntricate,
    /// A filter text is longer than [`MAX_FILTER_BYTES`].
    #[error(
        "--{filter} is {} bytes long; the limit is {} bytes: shorten it",
        thousands(.bytes),
        thousands(.limit)
    )]
    FilterTooLong {
        /// The filter's option name.
        filter: &'static str,
        /// Its length.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
}

/// `12345` as `"12,345"`.
fn thousands(n: &usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Term {
        column: Option<&'static str>,
        text: String,
        prefix: bool,
        /// Written with a leading `-`: records with it are excluded.
        negated: bool,
    },
    Or,
    And,
    Not,
    /// `(`, with the column prefix written right before it (`title:(...)`) and whether a `-`
    /// excludes the group.
    Open(Option<&'static str>, bool),
    Close,
}

/// The columns a query may name, as `column:term` or `column:(group)`.
pub const COLUMNS: [&str; 6] = ["title", "abstract", "keywords", "mesh", "author", "journal"];

/// BM25 weights of [`COLUMNS`], in order: a title match ranks above a keyword or MeSH match,
/// above an abstract match, above an author or journal match.
pub const BM25: &str = "bm25(article_fts, 10.0, 2.0, 4.0, 4.0, 1.0, 1.0)";

/// [`BM25`] for a search that keeps its first `k` records: the records not among them are
/// not all ranked (see [`super::rank`]).
fn bm25_of_the_best(k: usize) -> String {
    format!("evcat_bm25(article_fts, {k}, 10.0, 2.0, 4.0, 4.0, 1.0, 1.0)")
}

fn tokenize(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    // Control characters (NUL among them) separate words: FTS5 would cut a string at a NUL.
    let chars: Vec<char> = query
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut i = 0;
    let mut pending_column: Option<&'static str> = None;
    let mut pending_negated = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        // A `-` right before a word, a phrase or a column prefix excludes it (`-cervical`,
        // `-"low back"`, `-title:x`); inside a word (`low-back`, `COVID-19`) it is text.
        let mut negated = c == '-'
            && chars
                .get(i + 1)
                .is_some_and(|&n| n == '"' || n == '(' || n.is_alphanumeric());
        if negated {
            i += 1;
        }
        negated |= std::mem::take(&mut pending_negated);
        let c = chars[i];
        if c == '"' {
            i += 1;
            let mut text = String::new();
            while i < chars.len() {
                let c = chars[i];
                i += 1;
                if c == '"' {
                    break;
                }
                text.push(c);
            }
            let prefix = chars.get(i) == Some(&'*');
            if prefix {
                i += 1;
            }
            tokens.push(Token::Term {
                column: pending_column.take(),
                text,
                prefix,
                negated,
            });
            continue;
        }
        if c == '(' || c == ')' {
            i += 1;
            tokens.push(if c == '(' {
                Token::Open(pending_column.take(), negated)
            } else {
                Token::Close
            });
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.get(i) {
            if c.is_whitespace() || c == '"' || c == '(' || c == ')' {
                break;
            }
            word.push(c);
            i += 1;
        }
        match word.as_str() {
            "OR" if !negated => tokens.push(Token::Or),
            "AND" if !negated => tokens.push(Token::And),
            "NOT" if !negated => tokens.push(Token::Not),
            _ => {
                if let Some((col, rest)) = word.split_once(':')
                    && !col.is_empty()
                    && col.chars().all(|c| c.is_ascii_alphabetic())
                {
                    let column = COLUMNS
                        .iter()
                        .find(|k| k.eq_ignore_ascii_case(col))
                        .ok_or_else(|| QueryError::UnknownColumn(col.to_string()))?;
                    pending_column = Some(column);
                    if rest.is_empty() {
                        // `-title:"x"` or `-title:(x)`: the `-` applies to what follows.
                        pending_negated |= negated;
                        continue;
                    }
                    word = rest.to_string();
                }
                let prefix = word.ends_with('*');
                let text = word.trim_end_matches('*').to_string();
                tokens.push(Token::Term {
                    column: pending_column.take(),
                    text,
                    prefix,
                    negated,
                });
            }
        }
    }
    Ok(tokens)
}

fn has_word_chars(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// A parsed query. `OR`, `AND` and adjacency lists are flat, so the tree is only as deep as
/// the parentheses.
#[derive(Debug)]
enum Node {
    Phrase {
        column: Option<&'static str>,
        text: String,
        prefix: bool,
    },
    /// `title:( ... )`.
    Column(&'static str, Box<Node>),
    /// Terms or groups written side by side: all must match.
    Adjacent(Vec<Node>),
    /// The first, without any of the rest.
    Not(Box<Node>, Vec<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
}

#[derive(Debug, Clone, Copy)]
enum Op {
    Or,
    And,
    Not,
}

/// The operands of one parenthesised group (or of the whole query) as they are read, each with
/// the operator written before it (`None`: side by side).
#[derive(Default)]
struct Group {
    column: Option<&'static str>,
    /// Written `-( ... )`: the group is excluded from its parent.
    negated: bool,
    operands: Vec<(Option<Op>, Node)>,
    pending: Option<Op>,
    /// Terms and groups written with a leading `-`: excluded from the whole group.
    excluded: Vec<Node>,
}

impl Group {
    fn push(&mut self, node: Node) {
        let op = self.pending.take().filter(|_| !self.operands.is_empty());
        self.operands.push((op, node));
    }

    /// The group as one node with the query language's precedence: side by side binds
    /// tightest, then `NOT`, `AND`, `OR` (as in FTS5), and its `-` exclusions applied to the
    /// whole. With no term to search for, `None` and the exclusions, for the parent group.
    fn finish(mut self) -> (Option<Node>, Vec<Node>) {
        let column = self.column;
        let with_column = |node: Node| match column {
            Some(c) => Node::Column(c, Box::new(node)),
            None => node,
        };
        match self.combine() {
            Some(node) if self.excluded.is_empty() => (Some(with_column(node)), vec![]),
            Some(node) => (
                Some(with_column(Node::Not(Box::new(node), self.excluded))),
                vec![],
            ),
            None => (None, self.excluded.into_iter().map(with_column).collect()),
        }
    }

    /// The operands as one node; `None` when there are none.
    fn combine(&mut self) -> Option<Node> {
        fn one_or(mut nodes: Vec<Node>, many: fn(Vec<Node>) -> Node) -> Node {
            if nodes.len() == 1 {
                nodes.swap_remove(0)
            } else {
                many(nodes)
            }
        }
        fn not(nodes: Vec<Node>) -> Node {
            let mut nodes = nodes.into_iter();
            let first = nodes.next().expect("a NOT list starts with an operand");
            let rest: Vec<Node> = nodes.collect();
            if rest.is_empty() {
                first
            } else {
                Node::Not(Box::new(first), rest)
            }
        }
        let (mut ors, mut ands, mut nots, mut adjacent) = (vec![], vec![], vec![], vec![]);
        for (op, node) in std::mem::take(&mut self.operands) {
            if let Some(op) = op {
                nots.push(one_or(std::mem::take(&mut adjacent), Node::Adjacent));
                if matches!(op, Op::And | Op::Or) {
                    ands.push(not(std::mem::take(&mut nots)));
                }
                if matches!(op, Op::Or) {
                    ors.push(one_or(std::mem::take(&mut ands), Node::And));
                }
            }
            adjacent.push(node);
        }
        if adjacent.is_empty() {
            return None;
        }
        nots.push(one_or(adjacent, Node::Adjacent));
        ands.push(not(nots));
        ors.push(one_or(ands, Node::And));
        Some(one_or(ors, Node::Or))
    }
}

/// How tightly a node's FTS5 text binds: a node is parenthesised where its parent needs more.
fn binding(node: &Node) -> u8 {
    match node {
        Node::Phrase { .. } | Node::Column(..) => 5,
        // FTS5 allows side by side only between phrases; otherwise this is written with AND.
        Node::Adjacent(v) if v.iter().all(|n| matches!(n, Node::Phrase { .. })) => 4,
        Node::Not(..) => 3,
        Node::Adjacent(_) | Node::And(_) => 2,
        Node::Or(_) => 1,
    }
}

fn write_fts(node: &Node, min_binding: u8, out: &mut String) {
    let wrap = binding(node) < min_binding;
    if wrap {
        out.push_str("( ");
    }
    let list = |nodes: &[Node], sep: &str, min: u8, out: &mut String| {
        for (i, n) in nodes.iter().enumerate() {
            if i > 0 {
                out.push_str(sep);
            }
            write_fts(n, min, out);
        }
    };
    match node {
        Node::Phrase {
            column,
            text,
            prefix,
        } => {
            if let Some(c) = column {
                out.push_str(c);
                out.push_str(" : ");
            }
            out.push('"');
            out.push_str(&text.replace('"', "\"\""));
            out.push('"');
            if *prefix {
                out.push('*');
            }
        }
        Node::Column(c, inner) => {
            out.push_str(c);
            out.push_str(" : ( ");
            write_fts(inner, 0, out);
            out.push_str(" )");
        }
        Node::Adjacent(v) if binding(node) == 4 => list(v, " ", 5, out),
        Node::Adjacent(v) | Node::And(v) => list(v, " AND ", 2, out),
        Node::Or(v) => list(v, " OR ", 1, out),
        Node::Not(first, rest) => {
            write_fts(first, 3, out);
            out.push_str(" NOT ");
            if let [one] = rest.as_slice() {
                write_fts(one, 4, out);
            } else {
                // `a NOT b NOT c` as `a NOT ( b OR c )`: the same records and the same
                // phrases for ranking, without a tree as deep as the chain is long.
                out.push_str("( ");
                list(rest, " OR ", 1, out);
                out.push_str(" )");
            }
        }
    }
    if wrap {
        out.push_str(" )");
    }
}

/// Translates a user query to an FTS5 MATCH expression; `Ok(None)` when it is blank (every
/// record). A query that is not blank but holds no word to search for (`"`, `***`, `title:`)
/// is an error, as is one that only excludes (`-cervical`).
///
/// Work is linear in the query's length, and the limits ([`MAX_QUERY_BYTES`],
/// [`MAX_QUERY_TERMS`], [`MAX_QUERY_DEPTH`]) keep what reaches FTS5 within what it parses and
/// ranks quickly.
pub fn fts_query(query: &str) -> Result<Option<String>, QueryError> {
    Ok(parse(query)?.map(|root| {
        let mut out = String::new();
        write_fts(&root, 0, &mut out);
        out
    }))
}

/// How a query's records are found from the records of each of its phrases: what
/// [`fts_query`]'s expression means, for a caller that holds each phrase's matches itself
/// (`store::search_index`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// The records of phrase `n` of [`QueryPlan::phrases`].
    Phrase(usize),
    /// The records every one of these matches.
    All(Vec<Match>),
    /// The records any of these matches.
    Any(Vec<Match>),
    /// The records of the first that none of the rest matches.
    Without(Box<Match>, Vec<Match>),
}

/// A query as its phrases and how they combine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPlan {
    /// Each phrase as an FTS5 expression of its own (with the columns it is limited to), in
    /// the order FTS5 numbers the phrases of the whole expression: a record's BM25 rank for the
    /// query is the sum, in this order, of its rank for each phrase it contains.
    pub phrases: Vec<String>,
    /// How the phrases' records combine.
    pub root: Match,
}

/// The query as a [`QueryPlan`]; `Ok(None)` when it is blank. Errors as [`fts_query`]'s.
pub fn query_plan(query: &str) -> Result<Option<QueryPlan>, QueryError> {
    fn plan(node: &Node, columns: &mut Vec<&'static str>, phrases: &mut Vec<String>) -> Match {
        let all = |nodes: &[Node], columns: &mut Vec<&'static str>, phrases: &mut Vec<String>| {
            nodes
                .iter()
                .map(|n| plan(n, columns, phrases))
                .collect::<Vec<_>>()
        };
        match node {
            Node::Phrase { .. } => {
                let mut text = String::new();
                for c in columns.iter() {
                    text.push_str(c);
                    text.push_str(" : ( ");
                }
                write_fts(node, 0, &mut text);
                for _ in columns.iter() {
                    text.push_str(" )");
                }
                phrases.push(text);
                Match::Phrase(phrases.len() - 1)
            }
            Node::Column(c, inner) => {
                columns.push(c);
                let m = plan(inner, columns, phrases);
                columns.pop();
                m
            }
            Node::Adjacent(v) | Node::And(v) => Match::All(all(v, columns, phrases)),
            Node::Or(v) => Match::Any(all(v, columns, phrases)),
            Node::Not(first, rest) => {
                let first = plan(first, columns, phrases);
                Match::Without(Box::new(first), all(rest, columns, phrases))
            }
        }
    }
    Ok(parse(query)?.map(|root| {
        let mut phrases = Vec::new();
        let root = plan(&root, &mut Vec::new(), &mut phrases);
        QueryPlan { phrases, root }
    }))
}

/// For a query that has an `OR` and no `NOT` and two phrases or more, the FTS5 expression that
/// selects the records holding all of its phrases: its phrases joined by `AND`, in its order,
/// so that FTS5 numbers them as it numbers the query's and ranks a record holding them all
/// alike by both. Such a query selects every record that holds them all (without `NOT`, a
/// record holding every phrase satisfies every `AND` and `OR` of them).
fn all_phrases_of(plan: &QueryPlan) -> Option<String> {
    fn has(m: &Match, any: &mut bool, without: &mut bool) {
        match m {
            Match::Phrase(_) => {}
            Match::All(v) => v.iter().for_each(|m| has(m, any, without)),
            Match::Any(v) => {
                *any = true;
                v.iter().for_each(|m| has(m, any, without));
            }
            Match::Without(..) => *without = true,
        }
    }
    let (mut any, mut without) = (false, false);
    has(&plan.root, &mut any, &mut without);
    (any && !without && plan.phrases.len() >= 2).then(|| plan.phrases.join(" AND "))
}

/// The query as a tree; `Ok(None)` when it is blank (see [`fts_query`]).
fn parse(query: &str) -> Result<Option<Node>, QueryError> {
    if query.len() > MAX_QUERY_BYTES {
        return Err(QueryError::TooLong {
            bytes: query.len(),
            limit: MAX_QUERY_BYTES,
        });
    }
    let mut tokens: Vec<Token> = tokenize(query)?
        .into_iter()
        .filter(|t| !matches!(t, Token::Term { text, .. } if !has_word_chars(text)))
        .collect();
    // Parentheses are kept only when balanced; a column written before a dropped '(' goes to
    // the next term.
    let mut depth = 0usize;
    let mut deepest = 0usize;
    let mut balanced = true;
    for t in &tokens {
        match t {
            Token::Open(..) => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            Token::Close if depth == 0 => balanced = false,
            Token::Close => depth -= 1,
            _ => {}
        }
    }
    if !balanced || depth != 0 {
        let mut carried: Option<&'static str> = None;
        let mut carried_negation = false;
        tokens.retain_mut(|t| match t {
            Token::Open(column, negated) => {
                carried = column.or(carried);
                carried_negation |= *negated;
                false
            }
            Token::Close => false,
            Token::Term {
                column, negated, ..
            } => {
                *column = column.or(carried.take());
                *negated |= std::mem::take(&mut carried_negation);
                true
            }
            _ => true,
        });
    } else if deepest > MAX_QUERY_DEPTH {
        return Err(QueryError::TooDeep {
            depth: deepest,
            limit: MAX_QUERY_DEPTH,
        });
    }
    let terms = tokens
        .iter()
        .filter(|t| matches!(t, Token::Term { .. }))
        .count();
    if terms > MAX_QUERY_TERMS {
        return Err(QueryError::TooManyTerms {
            terms,
            limit: MAX_QUERY_TERMS,
        });
    }
    // Operators with no term on one side are dropped; of two operators in a row the last
    // counts; "()" holds nothing.
    let mut groups = vec![Group::default()];
    for t in tokens {
        let group = groups
            .last_mut()
            .expect("the query's own group is never closed");
        match t {
            Token::Term {
                column,
                text,
                prefix,
                negated,
            } => {
                let phrase = Node::Phrase {
                    column,
                    text,
                    prefix,
                };
                if negated {
                    group.excluded.push(phrase);
                } else {
                    group.push(phrase);
                }
            }
            Token::Or | Token::And | Token::Not => {
                let op = match t {
                    Token::Or => Op::Or,
                    Token::And => Op::And,
                    _ => Op::Not,
                };
                if !group.operands.is_empty() {
                    group.pending = Some(op);
                } else if matches!(op, Op::Not) {
                    return Err(QueryError::LeadingNot);
                }
            }
            Token::Open(column, negated) => groups.push(Group {
                column,
                negated,
                ..Group::default()
            }),
            Token::Close => {
                if groups.len() > 1
                    && let Some(inner) = groups.pop()
                    && let Some(outer) = groups.last_mut()
                {
                    let negated = inner.negated;
                    let (node, excluded) = inner.finish();
                    match node {
                        Some(node) if negated => outer.excluded.push(node),
                        Some(node) => outer.push(node),
                        None => {}
                    }
                    outer.excluded.extend(excluded);
                }
            }
        }
    }
    let (root, excluded) = groups
        .pop()
        .map(Group::finish)
        .unwrap_or((None, Vec::new()));
    let Some(root) = root else {
        if !excluded.is_empty() {
            return Err(QueryError::OnlyExclusions);
        }
        if query.trim().is_empty() {
            return Ok(None);
        }
        return Err(QueryError::NoWords);
    };
    Ok(Some(root))
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
        if let (Some(from), Some(to)) = (range.from, range.to)
            && from > to
        {
            return Err(QueryError::InvertedYears(s.to_string()));
        }
        Ok(range)
    }
}

/// Filters of `evcat find` (and of exports later).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindFilters {
    /// Publication year range.
    pub years: Option<YearRange>,
    /// Journal title, ISO abbreviation or MEDLINE abbreviation contains this (case-insensitive).
    pub journal: Option<String>,
    /// An author's name has these words, near each other (last name, initials, fore name or
    /// collective name; case, apostrophes and diacritics do not matter).
    pub author: Option<String>,
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
    /// Must have a participant count of at least this (`--min-participants`).
    pub min_participants: Option<u64>,
    /// Must have a participant count of at most this (`--max-participants`).
    pub max_participants: Option<u64>,
    /// Must have a follow-up of at least this many days (`--min-follow-up`).
    pub min_follow_up_days: Option<f64>,
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

impl FindFilters {
    /// Whether a filter reads the record's own columns (year, journal, deletion); the others
    /// look the record up by PMID in other tables, which the full-text index's rowid can do.
    fn reads_record_columns(&self) -> bool {
        self.years.is_some() || self.journal.is_some() || self.exclude_deleted
    }

    /// Checks the free-text filters against [`MAX_FILTER_BYTES`].
    pub fn check(&self) -> Result<(), QueryError> {
        for (filter, text) in [
            ("journal", &self.journal),
            ("author", &self.author),
            ("type", &self.publication_type),
            ("mesh", &self.mesh),
        ] {
            if let Some(text) = text
                && text.len() > MAX_FILTER_BYTES
            {
                return Err(QueryError::FilterTooLong {
                    filter,
                    bytes: text.len(),
                    limit: MAX_FILTER_BYTES,
                });
            }
        }
        Ok(())
    }
}

fn like_pattern(s: &str) -> String {
    let escaped = s
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The FTS5 expression of `--author NAME`: its words near each other in the author column
/// (`Paoloni`, `Paoloni JA`, `James Paoloni`, `O'Brien`). A name without words matches nothing.
fn author_match(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| has_word_chars(w))
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    match words.as_slice() {
        [] => "author : \"\"".to_string(),
        [one] => format!("author : {one}"),
        many => format!("author : NEAR({}, 2)", many.join(" ")),
    }
}

/// How a search tests a record's tags: by looking up each candidate's tags (a full-text query
/// gives the candidates), or by listing the records with the tag (nothing else narrows first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagTest {
    /// `EXISTS`, sought by PMID for each candidate record.
    Lookup,
    /// `pmid IN (...)`, the records with the tag, from the tag index.
    List,
}

/// SQL true when the rule tag row `x` is not removed or replaced by a manual decision on the
/// same tag, nor hidden by an exclusive manual tag of its dimension (the `effective_tags` view's
/// rule for rule tags).
const NOT_OVERRIDDEN: &str = "NOT EXISTS (SELECT 1 FROM manual_tags m WHERE m.pmid = x.pmid AND m.dimension = x.dimension AND (m.tag = x.tag OR (m.action = 'add' AND m.exclusive = 1)))";

/// SQL true when record `pmid` has an effective tag whose row (alias `x`: `dimension`, `tag`,
/// `level`) satisfies `cond`. It is the `effective_tags` view's rule (a manual tag added; a rule
/// tag no manual decision on the same tag removes or replaces, and no exclusive manual tag of its
/// dimension hides) written out with the PMID inside each arm: SQLite does not push a correlated
/// PMID into the view's compound query, and built the whole view for every search that used it.
fn has_effective_tag(pmid: &str, cond: &str, test: TagTest) -> String {
    match test {
        TagTest::Lookup => format!(
            "(EXISTS (SELECT 1 FROM manual_tags x WHERE x.pmid = {pmid} AND x.action = 'add' AND {cond}) \
             OR EXISTS (SELECT 1 FROM tags x WHERE x.pmid = {pmid} AND {cond} AND {NOT_OVERRIDDEN}))"
        ),
        TagTest::List => format!(
            "{pmid} IN (SELECT x.pmid FROM tags x WHERE {cond} AND {NOT_OVERRIDDEN} \
             UNION ALL SELECT x.pmid FROM manual_tags x WHERE x.action = 'add' AND {cond})"
        ),
    }
}

/// The strongest evidence level among record `pmid`'s effective design tags (NULL without one),
/// written out as [`has_effective_tag`] says why.
fn design_level(pmid: &str) -> String {
    format!(
        "(SELECT max(level) FROM (SELECT x.level FROM manual_tags x WHERE x.pmid = {pmid} AND x.dimension = 'design' AND x.action = 'add' \
         UNION ALL SELECT x.level FROM tags x WHERE x.pmid = {pmid} AND x.dimension = 'design' AND {NOT_OVERRIDDEN}))"
    )
}

/// The WHERE conditions for `filters`, the record's PMID being `pmid` (`a.pmid`, or the
/// full-text index's `article_fts.rowid` when no filter reads the record's own columns).
fn conditions(
    filters: &FindFilters,
    params: &mut Vec<Value>,
    pmid: &str,
    tags: TagTest,
) -> Vec<String> {
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
    if let Some(name) = &filters.author {
        params.push(Value::Text(author_match(name)));
        conds.push(format!(
            "{pmid} IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?{})",
            params.len()
        ));
    }
    if let Some(t) = &filters.publication_type {
        params.push(Value::Text(t.clone()));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM publication_types p WHERE p.pmid = {pmid} AND p.name = ?{} COLLATE NOCASE)",
            params.len()
        ));
    }
    if let Some(m) = &filters.mesh {
        params.push(Value::Text(m.clone()));
        let n = params.len();
        conds.push(format!(
            "EXISTS (SELECT 1 FROM mesh_headings m WHERE m.pmid = {pmid} AND m.descriptor IN
               (SELECT id FROM mesh_descriptors WHERE descriptor = ?{n} COLLATE NOCASE OR ui = ?{n}))"
        ));
    }
    if filters.exclude_deleted {
        conds.push("a.deleted = 0".into());
    }
    for (dimension, tag) in &filters.tags {
        params.push(Value::Text(dimension.clone()));
        params.push(Value::Text(tag.clone()));
        let n = params.len();
        conds.push(has_effective_tag(
            pmid,
            &format!("x.dimension = ?{} AND x.tag = ?{n}", n - 1),
            tags,
        ));
    }
    if let Some(level) = filters.min_level {
        params.push(Value::Integer(level));
        conds.push(has_effective_tag(
            pmid,
            &format!("x.dimension = 'design' AND x.level >= ?{}", params.len()),
            tags,
        ));
    }
    // Records without the fact match no min/max filter. A stated range counts by its top.
    for (bound, op) in [
        (filters.min_participants, ">="),
        (filters.max_participants, "<="),
    ] {
        if let Some(n) = bound {
            params.push(Value::Integer(n.min(i64::MAX as u64) as i64));
            conds.push(format!(
                "EXISTS (SELECT 1 FROM facts f WHERE f.pmid = {pmid} AND f.kind = 'participants' AND coalesce(f.value, f.max) {op} ?{})",
                params.len()
            ));
        }
    }
    if let Some(days) = filters.min_follow_up_days {
        params.push(Value::Real(days));
        conds.push(format!(
            "EXISTS (SELECT 1 FROM facts f WHERE f.pmid = {pmid} AND f.kind = 'follow_up' AND f.follow_up_days >= ?{})",
            params.len()
        ));
    }
    conds
}

/// The columns of a [`FindHit`] over `articles a`, in [`hit_of_row`]'s order (the score follows).
const HIT_COLUMNS: &str = "SELECT a.pmid, a.title, a.year, coalesce(a.journal_iso, a.journal_title, (SELECT b.title FROM books b WHERE b.pmid = a.pmid)),
            (SELECT coalesce(au.collective, au.last_name || coalesce(' ' || au.initials, ''))
               FROM authors au WHERE au.pmid = a.pmid AND au.role = 'author' ORDER BY au.position LIMIT 1),
            (SELECT group_concat(p.name, '; ') FROM publication_types p WHERE p.pmid = a.pmid),
            a.deleted";

fn hit_of_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<FindHit> {
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
}

/// The order of search results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SearchOrder {
    /// BM25 rank when the query has terms, newest first otherwise (`find`'s order).
    #[default]
    Relevance,
    /// Newest first (then PMID, newest first).
    Newest,
    /// Strongest design first (its evidence level; records without a design last), then newest.
    Level,
}

/// Which results of a search: `limit` of them after skipping `offset`, in `order`.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// At most this many.
    pub limit: usize,
    /// Skip this many first.
    pub offset: usize,
    /// In this order.
    pub order: SearchOrder,
}

/// Searches the catalogue: BM25-ranked when `query` has terms, newest first otherwise.
pub fn find(
    store: &Store,
    query: &str,
    filters: &FindFilters,
    limit: usize,
) -> Result<Vec<FindHit>, FindError> {
    find_page(
        store,
        query,
        filters,
        Page {
            limit,
            offset: 0,
            order: SearchOrder::Relevance,
        },
    )
}

/// The first `limit` hits of a search, best first, and how many records it selects in all
/// (what [`find`] and [`count`] give). A search with words is counted as it is ranked: every
/// record it selects is ranked, once ([`super::rank`]), so its matches are read once.
pub fn find_counted(
    store: &Store,
    query: &str,
    filters: &FindFilters,
    limit: usize,
) -> Result<(Vec<FindHit>, u64), FindError> {
    store.ranked().reset();
    let hits = find(store, query, filters, limit)?;
    let total = if hits.len() < limit {
        hits.len() as u64
    } else if fts_query(query)?.is_some() {
        store.ranked().get()
    } else {
        count(store, query, filters)?
    };
    Ok((hits, total))
}

/// One page of a search's results, in the page's order.
pub fn find_page(
    store: &Store,
    query: &str,
    filters: &FindFilters,
    page: Page,
) -> Result<Vec<FindHit>, FindError> {
    let walk = walk_newest_first(store, query, filters, &page)?;
    let selection = Selection::build_page(query, filters, Some(page), walk)?;
    // (Ranked first, then each hit of the page read: a search over the index alone has no
    // record row to read the columns from.)
    let ranked = ranked_of(store, &selection)?;
    let mut hits = hits_of(store, &ranked.iter().map(|r| r.0).collect::<Vec<_>>())?;
    for (hit, (_, score)) in hits.iter_mut().zip(&ranked) {
        hit.score = *score;
    }
    Ok(hits)
}

/// The FROM ... WHERE part of a search (`tail`) and its ORDER BY ... LIMIT (`order`), shared by
/// `find`, counts, facets and exports. Counting and facets read `tail` alone: no ranking, no
/// sorting of every match.
///
/// Every row of `articles` is a record with data or a tombstone (a deleted record keeps its
/// data; a deletion of a record never seen is a tombstone row), and every row of the full-text
/// index is a record with data (rows are written only with a record's data and never removed).
/// So a full-text query whose filters look records up by PMID only (tags, level, publication
/// type, MeSH, author, facts), ranked by relevance, is answered by the index alone, with its
/// `rowid` as the PMID: no join to every matching record.
struct Selection {
    /// The record's PMID in `tail`: `a.pmid`, or [`INDEX_ALONE`] over the index alone.
    pmid: &'static str,
    score: String,
    tail: String,
    order: String,
    params: Vec<Value>,
    /// Of `params`, those `tail` reads (the rest are the page's limit and offset).
    tail_params: usize,
    /// The page: (limit, offset).
    page: Option<(usize, usize)>,
    /// For a query with `OR` and without `NOT` (of two phrases or more): the FTS5 expression
    /// of all its phrases at once, in its order (see `all_phrases`).
    all_phrases: Option<String>,
    /// The query is `a OR b`, two phrases, and the search has no filter: it selects the records
    /// holding `a`, and those holding `b`, less those holding both.
    two_phrases_unfiltered: bool,
}

/// A selection's PMID when the full-text index alone answers it.
const INDEX_ALONE: &str = "article_fts.rowid";

impl Selection {
    fn build(
        query: &str,
        filters: &FindFilters,
        limit: Option<usize>,
    ) -> Result<Selection, FindError> {
        let page = limit.map(|limit| Page {
            limit,
            offset: 0,
            order: SearchOrder::Relevance,
        });
        Self::build_page(query, filters, page, false)
    }

    /// `walk_newest`: the records come from `articles_newest`, newest first, each tested for
    /// its tags (see [`walk_newest_first`]).
    fn build_page(
        query: &str,
        filters: &FindFilters,
        page: Option<Page>,
        walk_newest: bool,
    ) -> Result<Selection, FindError> {
        let fts = fts_query(query)?;
        filters.check()?;
        let order_by = page.map_or(SearchOrder::Relevance, |p| p.order);
        let index_alone =
            fts.is_some() && order_by == SearchOrder::Relevance && !filters.reads_record_columns();
        let mut params: Vec<Value> = Vec::new();
        let mut conds = Vec::new();
        // (A page ranked by relevance ranks only the records that can be on it.)
        let rank = match page {
            Some(p) if order_by == SearchOrder::Relevance => {
                bm25_of_the_best(p.offset.saturating_add(p.limit))
            }
            _ => BM25.to_string(),
        };
        let (from, pmid, score) = match &fts {
            Some(q) => {
                params.push(Value::Text(q.clone()));
                conds.push("article_fts MATCH ?1".to_string());
                if index_alone {
                    ("article_fts", INDEX_ALONE, rank)
                } else if filters.journal.is_none() {
                    // (Every column the selection reads is in the index: SQLite's planner
                    // would otherwise read each match's row, see migration 0009.)
                    (
                        "article_fts JOIN articles a INDEXED BY articles_search ON a.pmid = article_fts.rowid",
                        "a.pmid",
                        rank,
                    )
                } else {
                    (
                        "article_fts JOIN articles a ON a.pmid = article_fts.rowid",
                        "a.pmid",
                        rank,
                    )
                }
            }
            None if walk_newest => (
                "articles a INDEXED BY articles_newest",
                "a.pmid",
                "NULL".into(),
            ),
            // (With a tag or level filter the records come from the tag index, and each one's
            // year and deletion from `articles_search`, not its row.)
            None if (!filters.tags.is_empty() || filters.min_level.is_some())
                && filters.journal.is_none() =>
            {
                (
                    "articles a INDEXED BY articles_search",
                    "a.pmid",
                    "NULL".into(),
                )
            }
            None => ("articles a", "a.pmid", "NULL".into()),
        };
        // (Without a query, the records with a tag are listed from the tag index; with one, each
        // match's tags are looked up.)
        let tag_test = if fts.is_some() || walk_newest {
            TagTest::Lookup
        } else {
            TagTest::List
        };
        conds.extend(conditions(filters, &mut params, pmid, tag_test));
        let order = match order_by {
            SearchOrder::Newest => "a.year DESC, a.pmid DESC".to_string(),
            SearchOrder::Level => format!(
                "{} DESC NULLS LAST, a.year DESC, a.pmid DESC",
                design_level("a.pmid")
            ),
            SearchOrder::Relevance if fts.is_some() => format!("score, {pmid}"),
            SearchOrder::Relevance => "a.year DESC, a.pmid DESC".to_string(),
        };
        let tail = if conds.is_empty() {
            format!("FROM {from}")
        } else {
            format!("FROM {from} WHERE {}", conds.join(" AND "))
        };
        let tail_params = params.len();
        // (How the query's phrases combine, for a search ranked among all of them.)
        let plan = match fts {
            Some(_) => query_plan(query)?,
            None => None,
        };
        let mut order = format!(" ORDER BY {order}");
        if let Some(page) = page {
            params.push(Value::Integer(page.limit as i64));
            order.push_str(&format!(" LIMIT ?{}", params.len()));
            if page.offset > 0 {
                params.push(Value::Integer(page.offset as i64));
                order.push_str(&format!(" OFFSET ?{}", params.len()));
            }
        }
        Ok(Selection {
            pmid,
            score,
            tail,
            order,
            params,
            tail_params,
            page: page.map(|p| (p.limit, p.offset)),
            all_phrases: plan.as_ref().and_then(all_phrases_of),
            two_phrases_unfiltered: conds.len() == 1
                && plan.is_some_and(|plan| {
                    matches!(plan.root, Match::Any(ref v)
                        if matches!(v.as_slice(), [Match::Phrase(_), Match::Phrase(_)]))
                }),
        })
    }

    /// `SELECT pmid, score` of the selection in its order.
    fn ranked_sql(&self) -> String {
        format!(
            "SELECT {}, {} AS score {}{}",
            self.pmid, self.score, self.tail, self.order
        )
    }
}

/// Whether the first page of a search without words, newest first, is found sooner by walking
/// the records newest first (the `articles_newest` index) and testing each one's tags than by
/// listing every record with the tags and sorting them: when even the rarest tag asked for is on
/// many records. The walk tests about `wanted x records / tagged` records, the list reads all
/// `tagged`: at a million records, a tag on 140,000 of them is found in some 150 tests instead of
/// 140,000 reads, and a tag on 200 of them is still listed. Either way the answer is the same.
fn walk_newest_first(
    store: &Store,
    query: &str,
    filters: &FindFilters,
    page: &Page,
) -> Result<bool, FindError> {
    if filters.tags.is_empty()
        || page.order == SearchOrder::Level
        || filters.journal.is_some()
        || fts_query(query)?.is_some()
    {
        return Ok(false);
    }
    let conn = store.conn();
    let mut rarest = u64::MAX;
    for (dimension, tag) in &filters.tags {
        let tagged: i64 = conn
            .prepare_cached(
                "SELECT count(*) FROM tags INDEXED BY tags_by_tag WHERE dimension = ?1 AND tag = ?2",
            )
            .map_err(StoreError::from)?
            .query_row(params![dimension, tag], |r| r.get(0))
            .map_err(StoreError::from)?;
        rarest = rarest.min(tagged as u64);
    }
    let records = super::counts::records_counted(store)?;
    let wanted = (page.offset + page.limit).max(1) as u64;
    Ok(rarest > 0 && wanted.saturating_mul(records) < rarest.saturating_mul(rarest))
}

/// How many records a search selects (what `find` shows the first `limit` of). A query whose
/// filters look records up by PMID only is counted in the full-text index alone (see
/// [`Selection`]).
pub fn count(store: &Store, query: &str, filters: &FindFilters) -> Result<u64, FindError> {
    // (Records with tags alone are counted from the counts the catalogue keeps.)
    let tags_alone = FindFilters {
        tags: filters.tags.clone(),
        exclude_deleted: filters.exclude_deleted,
        ..FindFilters::default()
    };
    if !filters.tags.is_empty()
        && *filters == tags_alone
        && fts_query(query)?.is_none()
        && let Some(counts) = super::counts::catalogue_counts(store)?
        && let Some(n) = counts.records_with_tags(&filters.tags, filters.exclude_deleted)
    {
        return Ok(n);
    }
    let selection = Selection::build(query, filters, None)?;
    let sql = format!("SELECT count(*) {}", selection.tail);
    let mut stmt = store.conn().prepare(&sql).map_err(StoreError::from)?;
    stmt.query_row(rusqlite::params_from_iter(selection.params.iter()), |r| {
        r.get::<_, i64>(0)
    })
    .map(|n| n as u64)
    .map_err(search_error)
}

/// The band of participants a `facts f` row states (its figure, or the top of its range), as
/// the participants facet names it.
pub(super) const PARTICIPANTS_BAND: &str = "CASE
    WHEN coalesce(f.value, f.max) < 50 THEN '1-49'
    WHEN coalesce(f.value, f.max) < 200 THEN '50-199'
    WHEN coalesce(f.value, f.max) < 1000 THEN '200-999'
    ELSE '1000-' END";

/// How many of the records `pmids` have each value of a facet: each (dimension, tag) of the
/// effective tags, `("year", "2012")`, `("type", "Meta-Analysis")` and the band of participants
/// a study reports (`("participants", "50-199")`: 1-49, 50-199, 200-999, 1000-); most common
/// first within a facet.
pub fn facet_counts(
    store: &Store,
    pmids: &[u64],
) -> Result<Vec<(String, String, u64)>, StoreError> {
    if pmids.is_empty() {
        return Ok(Vec::new());
    }
    // (PMIDs are numbers read from the catalogue: written into the statement, not bound.)
    let list: Vec<String> = pmids.iter().map(u64::to_string).collect();
    let list = list.join(",");
    let sql = format!(
        "SELECT t.dimension, t.tag, count(DISTINCT t.pmid) AS n FROM effective_tags t
           WHERE t.pmid IN ({list}) GROUP BY t.dimension, t.tag
         UNION ALL
         SELECT 'year', CAST(a.year AS TEXT), count(*) FROM articles a
           WHERE a.pmid IN ({list}) AND a.year IS NOT NULL GROUP BY a.year
         UNION ALL
         SELECT 'type', p.name, count(DISTINCT p.pmid) FROM publication_types p
           WHERE p.pmid IN ({list}) GROUP BY p.name
         UNION ALL
         SELECT 'participants', band, count(DISTINCT pmid) FROM (
           SELECT f.pmid, {PARTICIPANTS_BAND} AS band
             FROM facts f WHERE f.kind = 'participants' AND f.pmid IN ({list})
               AND coalesce(f.value, f.max) IS NOT NULL)
           GROUP BY band
         ORDER BY 1, 3 DESC, 2"
    );
    let mut stmt = store.conn().prepare(&sql)?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Refuses `query` as a search would: its FTS5 expression as a whole must parse (see
/// [`search_error`] on the queries FTS5 finds too intricate). Reads no match.
pub fn check_query(store: &Store, query: &str) -> Result<(), FindError> {
    if let Some(q) = fts_query(query)? {
        let mut stmt = store
            .conn()
            .prepare_cached(
                "SELECT count(*) FROM article_fts WHERE article_fts MATCH ?1 AND rowid = -1",
            )
            .map_err(StoreError::from)?;
        stmt.query_row([q], |r| r.get::<_, i64>(0))
            .map_err(search_error)?;
    }
    Ok(())
}

/// Every record phrase `phrase` (one of a [`QueryPlan`]'s) matches, by PMID, with its BM25 rank
/// for that phrase alone (what the phrase adds to the rank of a query holding it).
pub fn phrase_ranks(store: &Store, phrase: &str) -> Result<Vec<(u64, f64)>, FindError> {
    let sql =
        format!("SELECT rowid, {BM25} FROM article_fts WHERE article_fts MATCH ?1 ORDER BY rowid");
    let mut stmt = store
        .conn()
        .prepare_cached(&sql)
        .map_err(StoreError::from)?;
    let rows = stmt
        .query_map([phrase], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .map_err(search_error)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(search_error)
}

/// The search results `pmids`, in that order (without a rank: `score` is `None`).
pub fn hits_of(store: &Store, pmids: &[u64]) -> Result<Vec<FindHit>, StoreError> {
    let mut hits = Vec::with_capacity(pmids.len());
    let mut stmt = store.conn().prepare_cached(&format!(
        "{HIT_COLUMNS}, NULL FROM articles a WHERE a.pmid = ?1"
    ))?;
    for &pmid in pmids {
        if let Some(hit) = stmt
            .query_row([pmid as i64], hit_of_row)
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })?
        {
            hits.push(hit);
        }
    }
    Ok(hits)
}

/// The PMIDs of one page of a search's results, in the page's order.
pub fn find_pmids_page(
    store: &Store,
    query: &str,
    filters: &FindFilters,
    page: Page,
) -> Result<Vec<u64>, FindError> {
    let walk = walk_newest_first(store, query, filters, &page)?;
    pmids_of(
        store,
        &Selection::build_page(query, filters, Some(page), walk)?,
    )
}

/// The PMIDs a search selects, in its order (ranked, or newest first without a query): what
/// exports iterate over, one record at a time.
pub fn find_pmids(
    store: &Store,
    query: &str,
    filters: &FindFilters,
) -> Result<Vec<u64>, FindError> {
    pmids_of(store, &Selection::build(query, filters, None)?)
}

fn pmids_of(store: &Store, selection: &Selection) -> Result<Vec<u64>, FindError> {
    Ok(ranked_of(store, selection)?
        .into_iter()
        .map(|(pmid, _)| pmid)
        .collect())
}

/// The PMIDs a selection selects, in its order, each with its rank (`None` without a query).
fn ranked_of(store: &Store, selection: &Selection) -> Result<RankedRows, FindError> {
    if let Some(ranked) =
        all_phrases::ranked_among_all_phrases(store, selection, shared_view::SHARED_FROM_RECORDS)?
    {
        return Ok(ranked);
    }
    if let Some(ranked) =
        halves::ranked_in_halves(store, selection, shared_view::SHARED_FROM_RECORDS)?
    {
        return Ok(ranked);
    }
    ranked_rows(
        store.conn(),
        &selection.ranked_sql(),
        selection.params.iter(),
    )
}

/// A selection's records in its order: (PMID, rank; `None` without a query).
type RankedRows = Vec<(u64, Option<f64>)>;

/// The (PMID, rank) rows of `sql`, a selection's, with `params`.
fn ranked_rows<'a>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl Iterator<Item = &'a Value>,
) -> Result<RankedRows, FindError> {
    let mut stmt = conn.prepare(sql).map_err(StoreError::from)?;
    let rows = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get(1)?))
        })
        .map_err(search_error)?;
    rows.collect::<Result<Vec<_>, _>>().map_err(search_error)
}

/// A failed search statement: FTS5 refusing a query as too intricate is the query's fault.
///
/// FTS5 parses a MATCH expression with a fixed stack of 100 entries and caps its tree at depth
/// 256. Within [`MAX_QUERY_DEPTH`] and [`MAX_QUERY_TERMS`] only contrived queries (every level
/// holding several operators waiting on a group) reach those caps; SQLite reports them only
/// by message.
fn search_error(e: rusqlite::Error) -> FindError {
    let message = e.to_string();
    if message.contains("fts5: parser stack overflow")
        || message.contains("fts5 expression tree is too large")
    {
        FindError::Query(QueryError::TooIntricate)
    } else {
        FindError::Store(e.into())
    }
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
            r#"( "ozone" OR "oxygen" ) AND "disc""#
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
        assert_eq!(fts_query("-- ; :"), Err(QueryError::NoWords));
        assert_eq!(fts_query("  "), Ok(None));
        assert_eq!(fts_query("NOT ozone"), Err(QueryError::LeadingNot));
        assert_eq!(fts_query("x:y"), Err(QueryError::UnknownColumn("x".into())));
        assert_eq!(fts_query(r#""x:y""#).unwrap().unwrap(), r#""x:y""#);
        assert_eq!(
            fts_query("ozone -cervical").unwrap().unwrap(),
            r#""ozone" NOT "cervical""#
        );
        assert_eq!(
            fts_query(r#"low-back -"disc herniation" -title:x"#)
                .unwrap()
                .unwrap(),
            r#""low-back" NOT ( "disc herniation" OR title : "x" )"#
        );
        assert_eq!(fts_query("-cervical"), Err(QueryError::OnlyExclusions));
    }

    #[test]
    fn parentheses_group_anywhere() {
        let q = |s: &str| fts_query(s).unwrap().unwrap();
        assert_eq!(q("ozone (pain)"), r#""ozone" "pain""#);
        assert_eq!(
            q(r#"ozone (sciatica OR "disc herniation")"#),
            r#""ozone" AND ( "sciatica" OR "disc herniation" )"#
        );
        assert_eq!(q("(a OR b) ozone"), r#"( "a" OR "b" ) AND "ozone""#);
        assert_eq!(q("NEAR(a b)"), r#""NEAR" AND "a" "b""#);
        assert_eq!(q("a (b) NOT c"), r#""a" "b" NOT "c""#);
        assert_eq!(
            q("a (b OR c) NOT d"),
            r#"( "a" AND ( "b" OR "c" ) ) NOT "d""#
        );
        assert_eq!(q("a NOT (b OR c)"), r#""a" NOT ( "b" OR "c" )"#);
        assert_eq!(q("a NOT (b NOT c)"), r#""a" NOT ( "b" NOT "c" )"#);
        assert_eq!(q("((a))"), r#""a""#);
        // A dangling operator stays inside its group and is dropped there.
        assert_eq!(q("(a OR) b"), r#""a" "b""#);
        assert_eq!(q("a OR () b"), r#""a" OR "b""#);
        assert_eq!(fts_query("ozone (NOT pain)"), Err(QueryError::LeadingNot));
    }

    #[test]
    fn columns_apply_to_groups() {
        let q = |s: &str| fts_query(s).unwrap().unwrap();
        assert_eq!(
            q("title:(ozone OR oxygen) pain"),
            r#"title : ( "ozone" OR "oxygen" ) AND "pain""#
        );
        // Unbalanced: the parenthesis is dropped and the column goes to the next term.
        assert_eq!(q("title:(ozone pain"), r#"title : "ozone" "pain""#);
        assert_eq!(q("mesh:() pain"), r#""pain""#);
    }

    #[test]
    fn not_chains_stay_shallow() {
        assert_eq!(
            fts_query("a NOT b NOT c d").unwrap().unwrap(),
            r#""a" NOT ( "b" OR "c" "d" )"#
        );
    }

    #[test]
    fn control_characters_separate_words() {
        assert_eq!(
            fts_query("a\0b \"c\u{1}d\"").unwrap().unwrap(),
            r#""a" "b" "c d""#
        );
    }

    #[test]
    fn limits_are_errors_at_one_past() {
        let words = |n: usize| vec!["w"; n].join(" ");
        assert!(fts_query(&words(MAX_QUERY_TERMS)).is_ok());
        assert_eq!(
            fts_query(&words(MAX_QUERY_TERMS + 1)),
            Err(QueryError::TooManyTerms {
                terms: MAX_QUERY_TERMS + 1,
                limit: MAX_QUERY_TERMS
            })
        );
        let nested = |d: usize| format!("{}a{}", "(".repeat(d), ")".repeat(d));
        assert!(fts_query(&nested(MAX_QUERY_DEPTH)).is_ok());
        assert_eq!(
            fts_query(&nested(MAX_QUERY_DEPTH + 1)),
            Err(QueryError::TooDeep {
                depth: MAX_QUERY_DEPTH + 1,
                limit: MAX_QUERY_DEPTH
            })
        );
        // Unbalanced parentheses are dropped, so they do not nest.
        assert_eq!(
            fts_query(&"(".repeat(MAX_QUERY_DEPTH + 1)),
            Err(QueryError::NoWords)
        );
        assert_eq!(
            fts_query(&"-".repeat(MAX_QUERY_BYTES)),
            Err(QueryError::NoWords)
        );
        assert_eq!(
            fts_query(&"-".repeat(MAX_QUERY_BYTES + 1)),
            Err(QueryError::TooLong {
                bytes: MAX_QUERY_BYTES + 1,
                limit: MAX_QUERY_BYTES
            })
        );
        let err = QueryError::TooManyTerms {
            terms: 1204,
            limit: 250,
        };
        assert!(
            err.to_string()
                .starts_with("query has 1,204 terms; the limit is 250")
        );
    }

    #[test]
    fn filter_texts_are_bounded() {
        let mut filters = FindFilters {
            mesh: Some("m".repeat(MAX_FILTER_BYTES)),
            ..FindFilters::default()
        };
        assert!(filters.check().is_ok());
        filters.journal = Some("j".repeat(MAX_FILTER_BYTES + 1));
        assert!(matches!(
            filters.check(),
            Err(QueryError::FilterTooLong {
                filter: "journal",
                ..
            })
        ));
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

#[cfg(test)]
mod effective_tag_tests {
    //! The tag filters and the level order, written out for speed, against the `effective_tags`
    //! view they must agree with, after manual decisions of every kind.
    use super::*;
    use crate::store::import::tagged_catalogue_of;
    use crate::store::tags::set_manual_tag;

    const OZONE: &str = include_str!("../../fixtures/ozone-back-pain.xml");

    fn by_view(store: &Store, sql: &str, params: &[&dyn rusqlite::ToSql]) -> Vec<u64> {
        let mut stmt = store.conn().prepare(sql).unwrap();
        stmt.query_map(params, |r| r.get::<_, i64>(0).map(|p| p as u64))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn filters_and_level_order_agree_with_the_effective_tags_view() {
        let (_dir, mut store) = tagged_catalogue_of(&[OZONE]);
        let rule = crate::store::tags::every_rule_tag(&store);
        let pmids: Vec<u64> = {
            let mut p: Vec<u64> = rule.iter().map(|r| r.0).collect();
            p.dedup();
            p
        };
        assert!(pmids.len() >= 4, "the fixture has tagged records");
        let designed = rule.iter().find(|r| r.1 == "design").unwrap().0;
        let conditioned = rule.iter().find(|r| r.1 == "condition").unwrap();
        // A rule tag removed, a tag added, an exclusive design replacing the rule design, and a
        // stronger design added beside the rule one.
        let others: Vec<u64> = pmids
            .iter()
            .copied()
            .filter(|p| *p != designed && *p != conditioned.0)
            .collect();
        let mut decide = |pmid: u64, dimension: &str, tag: &str, add: bool, level: Option<i64>| {
            let exclusive = level == Some(2);
            set_manual_tag(
                &mut store, pmid, dimension, tag, add, exclusive, level, None, None,
            )
            .unwrap();
        };
        decide(conditioned.0, "condition", &conditioned.2, false, None);
        decide(others[0], "condition", "neck-pain", true, None);
        // (The level-2 design is added as exclusive: it hides the record's rule design.)
        decide(designed, "design", "case-series", true, Some(2));
        decide(others[1], "design", "meta-analysis", true, Some(7));

        let mut wanted: Vec<(String, String)> =
            rule.iter().map(|r| (r.1.clone(), r.2.clone())).collect();
        wanted.extend([
            ("condition".into(), "neck-pain".into()),
            ("design".into(), "case-series".into()),
            ("design".into(), "meta-analysis".into()),
        ]);
        wanted.sort();
        wanted.dedup();
        for query in ["", "ozone", "title:ozone OR pain"] {
            let from = if query.is_empty() {
                "FROM articles a WHERE 1".to_string()
            } else {
                format!(
                    "FROM article_fts JOIN articles a ON a.pmid = article_fts.rowid WHERE article_fts MATCH '{}'",
                    fts_query(query).unwrap().unwrap().replace('\'', "''")
                )
            };
            // The records `filters` selects, against those the view gives for `having`.
            let agrees = |filters: FindFilters,
                          having: &str,
                          params: &[&dyn rusqlite::ToSql],
                          what: String| {
                let mut found = find_pmids(&store, query, &filters).unwrap();
                found.sort();
                let expected = by_view(
                    &store,
                    &format!(
                        "SELECT a.pmid {from} AND EXISTS (SELECT 1 FROM effective_tags e WHERE e.pmid = a.pmid AND {having}) ORDER BY a.pmid"
                    ),
                    params,
                );
                assert_eq!(found, expected, "{query:?} {what}");
                assert_eq!(
                    count(&store, query, &filters).unwrap(),
                    expected.len() as u64
                );
            };
            for (d, t) in &wanted {
                let filters = FindFilters {
                    tags: vec![(d.clone(), t.clone())],
                    ..FindFilters::default()
                };
                agrees(
                    filters,
                    "e.dimension = ?1 AND e.tag = ?2",
                    &[d, t],
                    format!("{d}:{t}"),
                );
            }
            for level in 0..=7 {
                let filters = FindFilters {
                    min_level: Some(level),
                    ..FindFilters::default()
                };
                agrees(
                    filters,
                    "e.dimension = 'design' AND e.level >= ?1",
                    &[&level],
                    format!("level >= {level}"),
                );
            }
            let by_level = find_pmids_page(
                &store,
                query,
                &FindFilters::default(),
                Page {
                    limit: 100,
                    offset: 0,
                    order: SearchOrder::Level,
                },
            )
            .unwrap();
            let expected = by_view(
                &store,
                &format!(
                    "SELECT a.pmid {from} ORDER BY (SELECT max(e.level) FROM effective_tags e WHERE e.pmid = a.pmid AND e.dimension = 'design') DESC NULLS LAST, a.year DESC, a.pmid DESC"
                ),
                &[],
            );
            assert_eq!(by_level, expected, "{query:?} by level");
        }
        // A search by tags alone walked newest first (as for a common tag) gives the pages the
        // tag list gives, with every other filter and page.
        let deleted = others[2];
        store
            .conn()
            .execute(
                "UPDATE articles SET deleted = 1 WHERE pmid = ?1",
                [deleted as i64],
            )
            .unwrap();
        let mut pages_compared = 0;
        for (d, t) in &wanted {
            // The count of records with the tag alone, from the kept counts, is that of the
            // records listed (a deleted one among them, then left out).
            for exclude_deleted in [false, true] {
                let filters = FindFilters {
                    tags: vec![(d.clone(), t.clone())],
                    exclude_deleted,
                    ..FindFilters::default()
                };
                assert_eq!(
                    count(&store, "", &filters).unwrap(),
                    find_pmids(&store, "", &filters).unwrap().len() as u64,
                    "{d}:{t} exclude deleted: {exclude_deleted}"
                );
            }
            for (years, exclude_deleted, min_level) in [
                (None, false, None),
                (Some("2008..2015"), false, None),
                (None, true, Some(1)),
            ] {
                let filters = FindFilters {
                    tags: vec![(d.clone(), t.clone())],
                    years: years.map(|y| y.parse().unwrap()),
                    exclude_deleted,
                    min_level,
                    ..FindFilters::default()
                };
                for (limit, offset, order) in [
                    (20, 0, SearchOrder::Relevance),
                    (2, 1, SearchOrder::Newest),
                    (3, 0, SearchOrder::Newest),
                ] {
                    let page = Page {
                        limit,
                        offset,
                        order,
                    };
                    let pages = [false, true].map(|walk| {
                        pmids_of(
                            &store,
                            &Selection::build_page("", &filters, Some(page), walk).unwrap(),
                        )
                        .unwrap()
                    });
                    assert_eq!(pages[1], pages[0], "{d}:{t} {years:?} {limit} {offset}");
                    pages_compared += usize::from(!pages[0].is_empty());
                }
            }
        }
        assert!(pages_compared > 20, "{pages_compared} pages with records");
        // The walk is chosen for a tag on many records, not for a rare one.
        let page = Page {
            limit: 1,
            offset: 0,
            order: SearchOrder::Newest,
        };
        let common = rule
            .iter()
            .filter(|r| r.1 == "condition")
            .max_by_key(|r| rule.iter().filter(|x| x.1 == r.1 && x.2 == r.2).count())
            .unwrap();
        let tagged = |tag: &str| FindFilters {
            tags: vec![("condition".into(), tag.into())],
            ..FindFilters::default()
        };
        assert!(walk_newest_first(&store, "", &tagged(&common.2), &page).unwrap());
        assert!(!walk_newest_first(&store, "", &tagged("no-such-tag"), &page).unwrap());
        assert!(!walk_newest_first(&store, "ozone", &tagged(&common.2), &page).unwrap());
    }
}
