//! Reading marked-up documents (plain text, Markdown, HTML) as readable text that still points
//! back into the document.
//!
//! 1. [`detect_format`] decides whether a document is plain text, Markdown or HTML (from the file
//!    name, else from the content).
//! 2. [`extract_blocks`] removes the markup (scripts, styles, link targets and code dropped; HTML
//!    entities decoded) and hands over the readable text one block at a time (headings, list
//!    items, table rows, paragraphs and other blocks are blocks of their own). Every character of
//!    a block carries the `[start, end)` *character* span of the document it came from: the
//!    offset map that lets callers point back into the file.
//!
//! Extraction is linear in the document: brackets and tag ends of a Markdown line are found in
//! one pass, and each block is handed over as soon as it ends, so memory follows the longest
//! block rather than the document, and hostile input (a megabyte-long line, a line of unclosed
//! `[`) costs no more than ordinary text.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

/// The markup language of an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocFormat {
    /// Plain text: paragraphs separated by blank lines.
    Text,
    /// Markdown (CommonMark-ish: headings, lists, emphasis, links, code fences, block quotes).
    Markdown,
    /// HTML: a page or a fragment.
    Html,
}

/// What a block of a document is: its place in the document's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BlockKind {
    /// Running text.
    #[default]
    Paragraph,
    /// A heading, with its level (1-6): Markdown `#`, HTML `h1`-`h6`, or a short line standing
    /// alone without final punctuation (level 2) in any format.
    Heading(u8),
    /// A list item (Markdown, plain-text or HTML list).
    ListItem,
    /// A table row whose cells are not told apart (its cells joined by spaces).
    TableRow,
    /// A cell of a table's header row, which says what its column is about ("Relief usually
    /// lasts").
    ColumnHeading,
    /// The first cell of a table row, which says what the row is about ("How long does it
    /// last?", "Epidural steroid").
    RowHeading,
    /// Another cell of a table row.
    TableCell,
    /// Site furniture: HTML `nav`, `header`, `footer` and `aside`.
    Chrome,
}

/// Whether a paragraph of `words` reads as a heading: one line (or a whole HTML block) of at
/// most twelve words, starting with a capital and ending without punctuation ("Risks and
/// benefits", "What the trial found").
fn reads_as_heading(block: &[SpannedChar], lines: usize) -> bool {
    unpunctuated_line(block, lines).is_some_and(|text| {
        let words = text.split_whitespace().count();
        let first = text.chars().find(|c| c.is_alphanumeric());
        // A byline ("By the Spine Team | Updated March 2024") is no heading.
        (1..=12).contains(&words)
            && first.is_some_and(char::is_uppercase)
            && !text.starts_with("By ")
            && !text.contains('|')
    })
}

/// The text of a block that is one line ending without sentence punctuation (in a letter, a
/// digit or ")"), trimmed; `None` for any other block.
fn unpunctuated_line(block: &[SpannedChar], lines: usize) -> Option<String> {
    if lines > 1 {
        return None;
    }
    let text: String = block.iter().map(|&(c, _, _)| c).collect();
    let text = text.trim();
    let last = text.chars().last().unwrap_or('.');
    (last.is_alphanumeric() || last == ')').then(|| text.to_string())
}

/// Whether a plain-text block is an e-mail's header ("Subject: ...", "From: ...").
fn is_mail_header(block: &[SpannedChar]) -> bool {
    let start: String = block.iter().take(9).map(|&(c, _, _)| c).collect();
    ["Subject:", "From:", "To:", "Date:", "Sent:", "Cc:"]
        .iter()
        .any(|h| start.starts_with(h))
}

/// Whether a line opening a plain-text document is its headline or standfirst: one line ending
/// without sentence punctuation ("Ozone jab eases sciatica but gains fade within a year, trial
/// finds").
fn opens_the_story(block: &[SpannedChar], lines: usize) -> bool {
    unpunctuated_line(block, lines).is_some()
}

/// Guesses the format of a document.
///
/// From the file name extension (`.md`/`.markdown`/`.mdown`/`.mkd` → Markdown,
/// `.html`/`.htm`/`.xhtml` → HTML, `.txt`/`.text` → Text) or, for stdin (`-`), names without an
/// extension and unknown extensions, from the content: it starts with `<!doctype` or `<html`, or
/// has several `<p>`/`<div>`/`<br>`/`<li>`/`<h1>`... tags → HTML; it has Markdown headings,
/// links, code fences or at least two list items → Markdown; otherwise Text.
pub fn detect_format(name: &str, content: &str) -> DocFormat {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if name != "-"
        && let Some((stem, ext)) = base.rsplit_once('.')
        && !stem.is_empty()
    {
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdown" | "mkd" => return DocFormat::Markdown,
            "html" | "htm" | "xhtml" => return DocFormat::Html,
            "txt" | "text" => return DocFormat::Text,
            _ => {}
        }
    }
    sniff_format(content)
}

static HTML_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<(?:p|div|br|li|h[1-6]|article|section|span)\b").unwrap());
static MD_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^ {0,3}#{1,6}[ \t]+\S").unwrap());
static MD_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[[^\]\n]+\]\([^)\s]+\)").unwrap());
static MD_FENCE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?m)^ {0,3}(?:```|~~~)").unwrap());
static MD_LIST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\S").unwrap());

/// Format from the content alone (see [`detect_format`]).
fn sniff_format(content: &str) -> DocFormat {
    let head: String = content
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(64)
        .collect();
    let head = head.to_ascii_lowercase();
    if head.starts_with("<!doctype") || head.starts_with("<html") || head.starts_with("<?xml") {
        return DocFormat::Html;
    }
    if HTML_TAG.find_iter(content).take(3).count() >= 3 {
        return DocFormat::Html;
    }
    if MD_HEADING.is_match(content)
        || MD_LINK.is_match(content)
        || MD_FENCE.is_match(content)
        || MD_LIST.find_iter(content).take(2).count() >= 2
    {
        return DocFormat::Markdown;
    }
    DocFormat::Text
}

// ---------------------------------------------------------------------------------------------
// Extraction: a stream of characters, each with the span of the original text it came from, and
// block breaks. Each block is handed to the caller as soon as it ends, so memory follows the
// longest block rather than the document.

/// A character of readable text and the `[start, end)` character (not byte) span of the
/// document it came from (32-bit offsets: 12 bytes a character instead of 24; an offset past
/// `u32::MAX` saturates).
pub type SpannedChar = (char, u32, u32);

/// Extracts the readable text of `doc` and calls `on_block` with each block, in document order.
///
/// - HTML: `<script>`, `<style>`, `<head>`, `<noscript>`, `<template>`, `<title>` and comments
///   are dropped; entities (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`, `&nbsp;`, `&rsquo;`,
///   `&ldquo;`, ... and numeric `&#8217;`/`&#x2019;`) are decoded; block elements (`p`, `div`,
///   `h1`-`h6`, `li`, `br`, `blockquote`, `td`, ...) end a block.
/// - Markdown: heading `#`s, list markers, block-quote `>`, emphasis `*`/`_`, inline code
///   backticks, images and code fences are dropped; `[text](url)` keeps `text`; each table
///   cell is a block (the header row's cells head the columns, every other row's first cell
///   heads the row).
/// - Text: blank lines separate blocks; `-`/`*`/`•`/`1.` list items are blocks.
///
/// A block is never empty; its whitespace is left as found (line breaks inside a block become
/// spaces). `on_block` may change the block it is given (for instance normalise it in place):
/// the buffer is cleared and reused for the next block.
pub fn extract_blocks(
    doc: &str,
    format: DocFormat,
    mut on_block: impl FnMut(&mut Vec<SpannedChar>, BlockKind),
) {
    let chars: Vec<char> = doc.chars().collect();
    let mut out = Out {
        block: Vec::new(),
        kind: BlockKind::Paragraph,
        lines: 0,
        // Plain text marks no headings: a short line standing alone is one. Markdown and HTML
        // say theirs.
        guess_headings: format == DocFormat::Text,
        masthead: true,
        on_block: &mut on_block,
    };
    match format {
        DocFormat::Html => extract_html(&chars, &mut out),
        DocFormat::Markdown => extract_markdown(&chars, &mut out),
        DocFormat::Text => extract_text(&chars, &mut out),
    }
    out.brk();
}

/// The block being extracted and where finished blocks go.
struct Out<'a> {
    /// The current block.
    block: Vec<SpannedChar>,
    /// What the current block is (a paragraph that reads as a heading is told as one).
    kind: BlockKind,
    /// Line breaks in the current block (plain text and Markdown).
    lines: usize,
    /// Whether a paragraph that reads as a heading is one (plain text).
    guess_headings: bool,
    /// Whether no paragraph has been told yet: the lines that open a plain-text story without
    /// final punctuation are its headline, standfirst and byline, however long.
    masthead: bool,
    /// Called with each finished block.
    on_block: &'a mut dyn FnMut(&mut Vec<SpannedChar>, BlockKind),
}

impl Out<'_> {
    fn ch(&mut self, c: char, s: usize, e: usize) {
        let offset = |o: usize| u32::try_from(o).unwrap_or(u32::MAX);
        self.block.push((c, offset(s), offset(e)));
    }
    /// Ends a block (paragraph, heading, list item...); the next one is a paragraph until told
    /// otherwise.
    fn brk(&mut self) {
        if !self.block.is_empty() {
            let kind = match self.kind {
                BlockKind::Paragraph if self.guess_headings && is_mail_header(&self.block) => {
                    BlockKind::Chrome
                }
                BlockKind::Paragraph
                    if self.guess_headings
                        && self.masthead
                        && opens_the_story(&self.block, self.lines) =>
                {
                    BlockKind::Heading(1)
                }
                BlockKind::Paragraph
                    if self.guess_headings && reads_as_heading(&self.block, self.lines) =>
                {
                    BlockKind::Heading(2)
                }
                kind => kind,
            };
            if !matches!(kind, BlockKind::Heading(_)) {
                self.masthead = false;
            }
            (self.on_block)(&mut self.block, kind);
            self.block.clear();
        }
        self.kind = BlockKind::Paragraph;
        self.lines = 0;
    }
    /// Ends the current block and starts one of `kind`.
    fn start(&mut self, kind: BlockKind) {
        self.brk();
        self.kind = kind;
    }
}

fn starts_with_ci(chars: &[char], at: usize, pat: &str) -> bool {
    let mut i = at;
    for p in pat.chars() {
        match chars.get(i) {
            Some(c) if c.to_ascii_lowercase() == p => i += 1,
            _ => return false,
        }
    }
    true
}

fn find_ci(chars: &[char], from: usize, pat: &str) -> Option<usize> {
    (from..chars.len()).find(|&i| starts_with_ci(chars, i, pat))
}

/// HTML elements whose content is not readable text.
const HTML_SKIP: &[&str] = &[
    "script", "style", "head", "noscript", "template", "title", "svg",
];
/// HTML elements that start or end a block.
const HTML_BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Where an HTML reader is in the page's structure.
#[derive(Default)]
struct HtmlPlace {
    /// Open `nav`, `header`, `footer` and `aside` elements.
    chrome: usize,
    /// The level of the open heading element.
    heading: Option<u8>,
    /// Open `li` elements.
    items: usize,
    /// Open `tr` elements.
    rows: usize,
    /// Cells opened in the current row.
    cells: usize,
    /// Rows opened in the current table (the first heads the columns when its cells are `th`).
    table_rows: usize,
    /// Whether the open cell is a `th`.
    header_cell: bool,
    /// Whether each open `header` is the site's (site furniture) rather than the article's.
    site_headers: Vec<bool>,
    /// Open `dt` (a term: a row heading) and `dd` (its description: a cell).
    term: usize,
    description: usize,
}

impl HtmlPlace {
    fn kind(&self) -> BlockKind {
        if self.chrome > 0 {
            BlockKind::Chrome
        } else if let Some(level) = self.heading {
            BlockKind::Heading(level)
        } else if self.term > 0 {
            BlockKind::RowHeading
        } else if self.description > 0 {
            BlockKind::TableCell
        } else if self.items > 0 {
            BlockKind::ListItem
        } else if self.rows > 0 {
            match self.cells {
                0 => BlockKind::TableRow,
                _ if self.header_cell && self.table_rows == 1 => BlockKind::ColumnHeading,
                1 => BlockKind::RowHeading,
                _ => BlockKind::TableCell,
            }
        } else {
            BlockKind::Paragraph
        }
    }

    /// Follows an opening (or closing) tag.
    fn tag(&mut self, name: &str, closing: bool) {
        let step = |n: &mut usize| {
            if closing {
                *n = n.saturating_sub(1);
            } else {
                *n += 1;
            }
        };
        match name {
            "nav" | "header" | "footer" | "aside" => step(&mut self.chrome),
            "li" => step(&mut self.items),
            "table" if !closing => self.table_rows = 0,
            "tr" => {
                step(&mut self.rows);
                self.cells = 0;
                if !closing {
                    self.table_rows += 1;
                }
            }
            "td" | "th" if !closing => {
                self.cells += 1;
                self.header_cell = name == "th";
            }
            "dt" => step(&mut self.term),
            "dd" => step(&mut self.description),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.heading = (!closing).then(|| name.as_bytes()[1] - b'0');
            }
            _ => {}
        }
    }
}

fn extract_html(chars: &[char], out: &mut Out) {
    let n = chars.len();
    let mut place = HtmlPlace::default();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        if c == '<' {
            if starts_with_ci(chars, i, "<!--") {
                i = find_ci(chars, i + 4, "-->").map_or(n, |j| j + 3);
                continue;
            }
            let next = chars.get(i + 1).copied().unwrap_or(' ');
            if next.is_ascii_alphabetic() || next == '/' || next == '!' || next == '?' {
                let close = tag_end(chars, i + 1);
                let closing = next == '/';
                let name_start = if closing { i + 2 } else { i + 1 };
                let name: String = chars[name_start..close.min(n)]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let mut after = (close + 1).min(n);
                let self_closing = close > 0 && chars.get(close - 1) == Some(&'/');
                if !closing && !self_closing && HTML_SKIP.contains(&name.as_str()) {
                    // Skip to the matching end tag.
                    let end_tag = format!("</{name}");
                    after = match find_ci(chars, after, &end_tag) {
                        Some(j) => (tag_end(chars, j + 1) + 1).min(n),
                        None => n,
                    };
                }
                if HTML_BLOCK.contains(&name.as_str()) || HTML_SKIP.contains(&name.as_str()) {
                    // The block that ends is what the page was before this tag.
                    out.kind = place.kind();
                    out.brk();
                    // A `header` holding the page's own heading and no navigation is the
                    // article's header (its title and standfirst), not the site's.
                    let name = if name == "header" {
                        let site = if closing {
                            place.site_headers.pop().unwrap_or(true)
                        } else {
                            let end = find_ci(chars, after, "</header").unwrap_or(n);
                            let inside: String = chars[after.min(end)..end]
                                .iter()
                                .collect::<String>()
                                .to_ascii_lowercase();
                            let site = inside.contains("<nav") || !inside.contains("<h1");
                            place.site_headers.push(site);
                            site
                        };
                        if site { name } else { "div".to_string() }
                    } else {
                        name
                    };
                    place.tag(&name, closing);
                    out.kind = place.kind();
                }
                i = after;
                continue;
            }
            out.ch(c, i, i + 1);
            i += 1;
        } else if c == '&' {
            if let Some((decoded, end)) = decode_entity(chars, i) {
                out.ch(decoded, i, end);
                i = end;
            } else {
                out.ch(c, i, i + 1);
                i += 1;
            }
        } else {
            out.ch(c, i, i + 1);
            i += 1;
        }
    }
}

/// Index of the `>` closing a tag whose body starts at `from` (quoted attribute values may
/// contain `>`), or `chars.len()`.
fn tag_end(chars: &[char], from: usize) -> usize {
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return i,
            None => {}
        }
    }
    chars.len()
}

/// Named HTML entities worth knowing in health articles.
const ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("rsquo", '\u{2019}'),
    ("lsquo", '\u{2018}'),
    ("rdquo", '\u{201d}'),
    ("ldquo", '\u{201c}'),
    ("sbquo", '\u{201a}'),
    ("bdquo", '\u{201e}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("hellip", '\u{2026}'),
    ("laquo", '\u{ab}'),
    ("raquo", '\u{bb}'),
    ("copy", '\u{a9}'),
    ("reg", '\u{ae}'),
    ("trade", '\u{2122}'),
    ("deg", '\u{b0}'),
    ("middot", '\u{b7}'),
    ("bull", '\u{2022}'),
    ("times", '\u{d7}'),
    ("divide", '\u{f7}'),
    ("plusmn", '\u{b1}'),
    ("micro", '\u{b5}'),
    ("frac12", '\u{bd}'),
    ("frac14", '\u{bc}'),
    ("frac34", '\u{be}'),
    ("le", '\u{2264}'),
    ("ge", '\u{2265}'),
    ("minus", '\u{2212}'),
    ("thinsp", '\u{2009}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("shy", '\u{ad}'),
    ("alpha", '\u{3b1}'),
    ("beta", '\u{3b2}'),
    ("eacute", '\u{e9}'),
    ("egrave", '\u{e8}'),
    ("aacute", '\u{e1}'),
    ("agrave", '\u{e0}'),
    ("iacute", '\u{ed}'),
    ("oacute", '\u{f3}'),
    ("uacute", '\u{fa}'),
    ("ntilde", '\u{f1}'),
    ("ccedil", '\u{e7}'),
    ("auml", '\u{e4}'),
    ("ouml", '\u{f6}'),
    ("uuml", '\u{fc}'),
    ("szlig", '\u{df}'),
    ("euro", '\u{20ac}'),
    ("pound", '\u{a3}'),
    ("sup2", '\u{b2}'),
    ("sup3", '\u{b3}'),
];

/// Decodes the entity starting at `chars[at] == '&'`: the character and the index past the `;`.
fn decode_entity(chars: &[char], at: usize) -> Option<(char, usize)> {
    let semi = (at + 1..chars.len().min(at + 12)).find(|&j| chars[j] == ';')?;
    let body: String = chars[at + 1..semi].iter().collect();
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse::<u32>().ok()?,
        };
        char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}')
    } else {
        ENTITIES
            .iter()
            .find(|(name, _)| *name == body)
            .map(|&(_, c)| c)?
    };
    Some((c, semi + 1))
}

/// `[start, end)` of every line (without its `\n` or `\r\n`).
fn lines(chars: &[char]) -> Vec<(usize, usize)> {
    let mut result = Vec::new();
    let mut start = 0;
    for (i, &c) in chars.iter().enumerate() {
        if c == '\n' {
            let end = if i > start && chars[i - 1] == '\r' {
                i - 1
            } else {
                i
            };
            result.push((start, end));
            start = i + 1;
        }
    }
    if start < chars.len() {
        result.push((start, chars.len()));
    }
    result
}

fn skip_spaces(chars: &[char], mut i: usize, end: usize) -> usize {
    while i < end && (chars[i] == ' ' || chars[i] == '\t') {
        i += 1;
    }
    i
}

fn is_blank(chars: &[char], s: usize, e: usize) -> bool {
    chars[s..e].iter().all(|c| c.is_whitespace())
}

/// If a list marker (`-`, `*`, `+`, `•`, `1.`, `1)`) followed by a space starts at `i`, the index
/// of the item text.
fn list_item(chars: &[char], i: usize, end: usize) -> Option<usize> {
    let c = *chars.get(i)?;
    let after_marker = if matches!(c, '-' | '*' | '+' | '•') {
        i + 1
    } else if c.is_ascii_digit() {
        let mut j = i;
        while j < end && chars[j].is_ascii_digit() && j - i < 9 {
            j += 1;
        }
        if j < end && (chars[j] == '.' || chars[j] == ')') {
            j + 1
        } else {
            return None;
        }
    } else {
        return None;
    };
    if after_marker < end && (chars[after_marker] == ' ' || chars[after_marker] == '\t') {
        Some(skip_spaces(chars, after_marker, end))
    } else {
        None
    }
}

/// A thematic break or setext underline: three or more of one of `-`, `*`, `_`, `=` (spaces
/// allowed), nothing else.
fn is_rule_line(chars: &[char], s: usize, e: usize) -> bool {
    let body: Vec<char> = chars[s..e]
        .iter()
        .copied()
        .filter(|c| !c.is_whitespace())
        .collect();
    body.len() >= 3
        && matches!(body[0], '-' | '*' | '_' | '=')
        && body.iter().all(|&c| c == body[0])
}

/// Whether `chars[s..e]` is one run of bold text (`**...**` or `__...__`) that does not end a
/// sentence.
fn bold_line(chars: &[char], s: usize, e: usize) -> bool {
    let line: String = chars[s..e].iter().collect();
    let line = line.trim();
    ["**", "__"].iter().any(|mark| {
        line.len() > 4
            && line.starts_with(mark)
            && line.ends_with(mark)
            && !line[2..line.len() - 2].contains(mark)
            // A sentence set in bold ("**It worked for me.**") is still a sentence.
            && !line[2..line.len() - 2].trim_end().ends_with(['.', '!'])
    })
}

/// Emits a line's text followed by a space standing for its line break.
fn emit_line_break(out: &mut Out, end: usize) {
    out.ch(' ', end, end + 1);
    out.lines += 1;
}

fn extract_text(chars: &[char], out: &mut Out) {
    for (s, e) in lines(chars) {
        if is_blank(chars, s, e) || is_rule_line(chars, s, e) {
            out.brk();
            continue;
        }
        let mut i = skip_spaces(chars, s, e);
        if let Some(text) = list_item(chars, i, e) {
            out.start(BlockKind::ListItem);
            i = text;
        }
        for (j, &c) in chars.iter().enumerate().take(e).skip(i) {
            out.ch(c, j, j + 1);
        }
        emit_line_break(out, e);
    }
}

fn extract_markdown(chars: &[char], out: &mut Out) {
    let mut fence: Option<char> = None;
    let mut prev_quote = 0usize;
    let all_lines = lines(chars);
    let is_separator = |s: usize, e: usize| {
        let j = skip_spaces(chars, s, e);
        j < e
            && chars[j] == '|'
            && chars[j..e]
                .iter()
                .all(|&c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
    };
    for (li, &(s, e)) in all_lines.iter().enumerate() {
        let i = skip_spaces(chars, s, e);
        // Code fences and their content.
        let is_fence = i + 3 <= e
            && (chars[i..i + 3] == ['`', '`', '`'] || chars[i..i + 3] == ['~', '~', '~'])
            && i - s <= 3;
        if let Some(f) = fence {
            if is_fence && chars[i] == f {
                fence = None;
            }
            continue;
        }
        if is_fence {
            fence = Some(chars[i]);
            out.brk();
            continue;
        }
        // Block quotes: strip the `>` markers; a change of depth is a block break.
        let mut j = i;
        let mut depth = 0;
        while j < e && chars[j] == '>' {
            depth += 1;
            j = skip_spaces(chars, j + 1, e);
        }
        if depth != prev_quote {
            out.brk();
            prev_quote = depth;
        }
        if is_blank(chars, j, e) {
            out.brk();
            continue;
        }
        if is_rule_line(chars, j, e) {
            out.brk();
            continue;
        }
        // ATX headings.
        let hashes = chars[j..e].iter().take_while(|&&c| c == '#').count();
        if (1..=6).contains(&hashes) && (j + hashes == e || chars[j + hashes].is_whitespace()) {
            let text = skip_spaces(chars, j + hashes, e);
            let mut end = e;
            while end > text && chars[end - 1].is_whitespace() {
                end -= 1;
            }
            let mut k = end;
            while k > text && chars[k - 1] == '#' {
                k -= 1;
            }
            if k == text || chars[k - 1].is_whitespace() {
                end = k;
            }
            out.start(BlockKind::Heading(u8::try_from(hashes).unwrap_or(6)));
            md_inline(chars, text, end, false, out);
            out.brk();
            continue;
        }
        // Tables: each cell a block; the row above the separator heads the columns, the first
        // cell of every other row heads its row.
        if chars[j] == '|' {
            out.brk();
            if is_separator(s, e) {
                continue;
            }
            let header = all_lines
                .get(li + 1)
                .is_some_and(|&(ns, ne)| is_separator(ns, ne));
            let pipes: Vec<usize> = (j..e)
                .filter(|&k| chars[k] == '|' && (k == 0 || chars[k - 1] != '\\'))
                .collect();
            let mut bounds: Vec<(usize, usize)> =
                pipes.windows(2).map(|w| (w[0] + 1, w[1])).collect();
            // A row that does not end with a pipe has a last cell up to the line's end.
            if let Some(&last) = pipes.last()
                && chars[last + 1..e].iter().any(|c| !c.is_whitespace())
            {
                bounds.push((last + 1, e));
            }
            for (n, (cs, ce)) in bounds.into_iter().enumerate() {
                let kind = if header {
                    BlockKind::ColumnHeading
                } else if n == 0 {
                    BlockKind::RowHeading
                } else {
                    BlockKind::TableCell
                };
                out.start(kind);
                md_inline(chars, cs, ce, false, out);
                out.brk();
            }
            continue;
        }
        if let Some(text) = list_item(chars, j, e) {
            out.start(BlockKind::ListItem);
            j = text;
        } else if out.block.is_empty() && bold_line(chars, j, e) {
            // A line all in bold standing alone ("**Does it hurt?**") heads what follows.
            out.start(BlockKind::Heading(4));
            md_inline(chars, j, e, false, out);
            out.brk();
            continue;
        }
        md_inline(chars, j, e, false, out);
        emit_line_break(out, e);
    }
}

/// The brackets and `>` of one line, found in one pass, so that inline Markdown is read in
/// linear time (a line of ten thousand unmatched `[` would otherwise be scanned to its end once
/// per bracket).
struct InlineMarks {
    /// Each `[` or `(` that is closed on the line, and where (bracket matching by depth).
    closing: HashMap<usize, usize>,
    /// Positions of every `]`, ascending.
    square_closes: Vec<usize>,
    /// Positions of every `>`, ascending.
    angle_closes: Vec<usize>,
}

impl InlineMarks {
    fn new(chars: &[char], start: usize, end: usize) -> InlineMarks {
        let mut marks = InlineMarks {
            closing: HashMap::new(),
            square_closes: Vec::new(),
            angle_closes: Vec::new(),
        };
        let (mut squares, mut parens) = (Vec::new(), Vec::new());
        for (k, &c) in chars.iter().enumerate().take(end).skip(start) {
            match c {
                '[' => squares.push(k),
                '(' => parens.push(k),
                ']' => {
                    marks.square_closes.push(k);
                    if let Some(open) = squares.pop() {
                        marks.closing.insert(open, k);
                    }
                }
                ')' => {
                    if let Some(open) = parens.pop() {
                        marks.closing.insert(open, k);
                    }
                }
                '>' => marks.angle_closes.push(k),
                _ => {}
            }
        }
        marks
    }

    /// Index of the bracket closing the one at `open` (`[`→`]`, `(`→`)`), before `end`.
    fn matching(&self, open: usize, end: usize) -> Option<usize> {
        self.closing.get(&open).copied().filter(|&k| k < end)
    }

    /// The first of `positions` in `from..end`.
    fn first_in(positions: &[usize], from: usize, end: usize) -> Option<usize> {
        let i = positions.partition_point(|&k| k < from);
        positions.get(i).copied().filter(|&k| k < end)
    }
}

/// Inline Markdown of `chars[start..end]` (one line or table row): see [`md_inline_in`].
fn md_inline(chars: &[char], start: usize, end: usize, table: bool, out: &mut Out) {
    let marks = InlineMarks::new(chars, start, end);
    md_inline_in(chars, &marks, start, end, table, out);
}

/// Inline Markdown of `chars[start..end]`: drops emphasis, code backticks, images, link targets
/// and inline tags; decodes entities; in tables pipes become spaces.
fn md_inline_in(
    chars: &[char],
    marks: &InlineMarks,
    start: usize,
    end: usize,
    table: bool,
    out: &mut Out,
) {
    let mut i = start;
    while i < end {
        let c = chars[i];
        let next = if i + 1 < end { chars[i + 1] } else { '\0' };
        match c {
            '\\' if next.is_ascii_punctuation() => {
                out.ch(next, i, i + 2);
                i += 2;
            }
            '!' if next == '[' => {
                // Image: ![alt](src) is dropped.
                if let Some(close) = marks.matching(i + 1, end)
                    && close + 1 < end
                    && chars[close + 1] == '('
                    && let Some(paren) = marks.matching(close + 1, end)
                {
                    i = paren + 1;
                } else {
                    out.ch(c, i, i + 1);
                    i += 1;
                }
            }
            '[' => {
                let link = marks
                    .matching(i, end)
                    .and_then(|close| match chars.get(close + 1) {
                        Some('(') if close + 1 < end => {
                            marks.matching(close + 1, end).map(|p| (close, p))
                        }
                        Some('[') if close + 1 < end => {
                            InlineMarks::first_in(&marks.square_closes, close + 1, end)
                                .map(|p| (close, p))
                        }
                        _ => None,
                    });
                if let Some((close, past)) = link {
                    md_inline_in(chars, marks, i + 1, close, table, out);
                    i = past + 1;
                } else {
                    out.ch(c, i, i + 1);
                    i += 1;
                }
            }
            '*' | '`' => i += 1,
            '~' if next == '~' => i += 2,
            '_' => {
                let prev = if i > start { chars[i - 1] } else { ' ' };
                if prev.is_alphanumeric() && next.is_alphanumeric() {
                    out.ch(c, i, i + 1); // snake_case word, not emphasis
                }
                i += 1;
            }
            '<' if next.is_ascii_alphabetic() || next == '/' || next == '!' => {
                match InlineMarks::first_in(&marks.angle_closes, i + 1, end) {
                    Some(close) => {
                        let inner: String = chars[i + 1..close].iter().collect();
                        if inner.starts_with("http://") || inner.starts_with("https://") {
                            for (k, &ch) in chars.iter().enumerate().take(close).skip(i + 1) {
                                out.ch(ch, k, k + 1);
                            }
                        }
                        i = close + 1;
                    }
                    None => {
                        out.ch(c, i, i + 1);
                        i += 1;
                    }
                }
            }
            '&' => match decode_entity(chars, i) {
                Some((d, past)) if past <= end => {
                    out.ch(d, i, past);
                    i = past;
                }
                _ => {
                    out.ch(c, i, i + 1);
                    i += 1;
                }
            },
            '|' if table => {
                out.ch(' ', i, i + 1);
                i += 1;
            }
            _ => {
                out.ch(c, i, i + 1);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::sentences::sentences;
    use crate::text::sentences::tests::{slice, texts};

    #[test]
    fn format_from_name_and_content() {
        assert_eq!(detect_format("a.md", ""), DocFormat::Markdown);
        assert_eq!(detect_format("dir/A.MARKDOWN", ""), DocFormat::Markdown);
        assert_eq!(detect_format("page.htm", ""), DocFormat::Html);
        assert_eq!(
            detect_format("page.html", "# not markdown"),
            DocFormat::Html
        );
        assert_eq!(detect_format("notes.txt", "<html>"), DocFormat::Text);
        assert_eq!(
            detect_format("-", "<!DOCTYPE html><html></html>"),
            DocFormat::Html
        );
        assert_eq!(
            detect_format("-", "  <html><body>x</body></html>"),
            DocFormat::Html
        );
        assert_eq!(
            detect_format("page.php", "<div><p>a</p><p>b</p></div>"),
            DocFormat::Html
        );
        assert_eq!(
            detect_format("-", "# Title\n\nSome text."),
            DocFormat::Markdown
        );
        assert_eq!(
            detect_format("README", "See [here](http://x.org) now."),
            DocFormat::Markdown
        );
        assert_eq!(
            detect_format("-", "Intro:\n- one\n- two\n"),
            DocFormat::Markdown
        );
        assert_eq!(
            detect_format("-", "Just words. More words."),
            DocFormat::Text
        );
        assert_eq!(detect_format(".hidden", "plain"), DocFormat::Text);
    }

    #[test]
    fn markdown_markup_is_removed() {
        let doc = "# Heading *one* #\n\nSome **bold** and _em_ text with a [link](http://x.org/a_b) \
                   and ![img](pic.png) and `code` and snake_case.\n\n```\nlet x = 1. Not text.\n```\n\n\
                   * first item\n1. second item\n> quoted line\n\n| a | b |\n|---|---|\n| c | d |\n\nTom &amp; Jerry.";
        assert_eq!(
            texts(doc, DocFormat::Markdown),
            vec![
                "Heading one",
                "Some bold and em text with a link and and code and snake_case.",
                "first item",
                "second item",
                "quoted line",
                "a",
                "b",
                "c",
                "d",
                "Tom & Jerry.",
            ]
        );
    }

    /// Each block's kind and text.
    fn kinds(doc: &str, format: DocFormat) -> Vec<(BlockKind, String)> {
        let mut found = Vec::new();
        extract_blocks(doc, format, |block, kind| {
            let text: String = block.iter().map(|&(c, _, _)| c).collect();
            found.push((kind, text.trim().to_string()));
        });
        found
    }

    #[test]
    fn blocks_say_what_they_are() {
        use BlockKind::*;
        let md = "# Ozone\n\n**Risks and benefits**\n\nIt is used for:\n- sciatica\n- neck pain\n\n| Sessions | 2 |\n\nIt helped me a lot\n";
        assert_eq!(
            kinds(md, DocFormat::Markdown),
            vec![
                (Heading(1), "Ozone".to_string()),
                (Heading(4), "Risks and benefits".to_string()),
                (Paragraph, "It is used for:".to_string()),
                (ListItem, "sciatica".to_string()),
                (ListItem, "neck pain".to_string()),
                (RowHeading, "Sessions".to_string()),
                (TableCell, "2".to_string()),
                (Paragraph, "It helped me a lot".to_string()),
            ]
        );
        let html = "<nav><a>Home</a></nav><h2>What to expect</h2><p>Most people need <b>three</b> sessions.</p><ul><li><p>Sciatica</p></li></ul><table><tr><td>Sessions</td><td>2-4</td></tr></table><footer>Disclaimer.</footer>";
        let found = kinds(html, DocFormat::Html);
        assert_eq!(found[0].0, Chrome);
        assert_eq!(found[1], (Heading(2), "What to expect".to_string()));
        assert_eq!(found[2].0, Paragraph);
        assert_eq!(found[3], (ListItem, "Sciatica".to_string()));
        assert_eq!(found[4], (RowHeading, "Sessions".to_string()));
        assert_eq!(found[5], (TableCell, "2-4".to_string()));
        assert_eq!(found[6].0, Chrome);
        // Plain text: a short line alone without final punctuation is a heading; a sentence or
        // a wrapped paragraph is not.
        let text = "Intro.\n\nNew hope for sciatica\n\nA trial found that ozone helped.\n\nSome people need\ntwo injections\n";
        let found = kinds(text, DocFormat::Text);
        assert_eq!(found[1].0, Heading(2));
        assert_eq!(found[2].0, Paragraph);
        assert_eq!(found[3].0, Paragraph);
        // The lines opening a story without final punctuation are its headline and standfirst,
        // however long; the first sentence ends them.
        let story = "Ozone jab eases sciatica in the first weeks but gains fade within a year, trial finds\n\nInjections of gas gave patients less leg pain than a dummy jab, but the advantage had all but vanished after twelve months\n\nBy A Writer\n\nA gas injection helped people with sciatica recover faster in a trial, experts say\nthough the results fall short.\n\nA long line without a full stop that comes after the first paragraph of the story and is not a heading at all\n";
        let found = kinds(story, DocFormat::Text);
        assert_eq!(found[0].0, Heading(1));
        assert_eq!(found[1].0, Heading(1));
        assert_eq!(found[2].0, Heading(1));
        assert_eq!(found[3].0, Paragraph);
        assert_eq!(found[4].0, Paragraph);
        // A `header` with the page's own h1 and no navigation is the article's: its paragraphs
        // are read; the site's header (with a nav) is furniture.
        let page = "<header><nav><a>Home</a></nav></header><header><h1>Relief</h1><p>Most patients are back at work within weeks.</p></header>";
        let found = kinds(page, DocFormat::Html);
        assert_eq!(found[0].0, Chrome);
        assert_eq!(found[1], (Heading(1), "Relief".to_string()));
        assert_eq!(found[2].0, Paragraph);
        // An e-mail's header is no part of what the e-mail says.
        let mail = "Subject: Spring news\nFrom: The clinic <news@example.com>\n\nDear Sam,\n\nOzone helped.\n";
        let found = kinds(mail, DocFormat::Text);
        assert_eq!(found[0].0, Chrome);
        assert_eq!(found[2].0, Paragraph);
    }

    #[test]
    fn html_text_and_entities() {
        let doc = "<!doctype html><html><head><title>T</title><style>p{}</style></head><body>\
                   <nav>Menu</nav><!-- a comment. --><h1>Big &amp; bold</h1><p>It&rsquo;s \
                   &ldquo;fine&rdquo;&nbsp;now. Caf&eacute; &#233;&#x41; 5&nbsp;&lt;&nbsp;6.</p>\
                   <ul><li>One</li><li>Two<br>Three</li></ul><script>var s = \"<p>no</p>\";</script>\
                   <p>Text <a href=\"x\" title=\"a>b\">link</a> end.</p></body></html>";
        assert_eq!(
            texts(doc, DocFormat::Html),
            vec![
                "Menu",
                "Big & bold",
                "It\u{2019}s \u{201c}fine\u{201d} now.",
                "Caf\u{e9} \u{e9}A 5 < 6.",
                "One",
                "Two",
                "Three",
                "Text link end.",
            ]
        );
    }

    #[test]
    fn offsets_are_character_offsets_into_the_original() {
        let doc = "<p>Caf&eacute; \u{e9}t\u{e9}. <b>Second</b> one.</p>";
        let s = sentences(doc, DocFormat::Html);
        assert_eq!(s.len(), 2);
        assert_eq!(slice(doc, &s[0]), "Caf&eacute; \u{e9}t\u{e9}.");
        // Spans run from the first to the last readable character: leading markup is outside.
        assert_eq!(slice(doc, &s[1]), "Second</b> one.");
        let md = "## Über *alles*\n\nÄ [link](u) here.";
        let s = sentences(md, DocFormat::Markdown);
        assert_eq!(slice(md, &s[0]), "Über *alles");
        assert_eq!(slice(md, &s[1]), "Ä [link](u) here.");
    }
}
