//! Streaming PubMed XML reader: turns efetch output and MEDLINE baseline/update files into
//! [`PubmedItem`]s one record at a time, in constant memory.
//!
//! The reader owns three promises:
//! - **Lossless**: every element of the model is read, inline markup inside titles and abstracts
//!   keeps all of its text, and each record's original bytes are kept ([`Article::raw_xml`]).
//! - **Safe**: entity references are resolved only for the five XML entities and character
//!   references; any other `&name;` is an error. DTD entities are never expanded, so a
//!   "billion laughs" document costs nothing. Characters XML 1.0 forbids (NUL and other C0
//!   controls, U+FFFE, U+FFFF, surrogates), raw or as character references, are errors. One
//!   record may hold at most [`MAX_RECORD_BYTES`] and elements nest at most [`MAX_DEPTH`] deep:
//!   past either limit reading stops with an error, so memory stays bounded whatever the input
//!   (a gzip bomb holding one huge title fails after reading the limit, not the bomb).
//! - **Strict identity**: a PMID is ASCII digits only, from 1 to `i64::MAX` (the store's
//!   integer); anything else fails the file.
//! - **Located errors**: every error carries the byte offset (and the PMID when known) so the
//!   importer can say exactly where a file broke.
//!
//! Start at [`PubmedReader::next_item`].

use std::io::{BufRead, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::entities::{EntityError, decode_reference};
use super::model::month_number;

use super::model::*;

/// What went wrong while reading PubMed XML.
#[derive(Debug, thiserror::Error)]
pub enum ParseErrorKind {
    /// Not well-formed XML (or not UTF-8), as quick-xml reports it.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// The input could not be read (including a corrupt or truncated gzip stream).
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),
    /// The document's root element is not a PubMed one.
    #[error("not a PubMed XML document: root element is <{0}>, expected <PubmedArticleSet>")]
    NotPubmed(String),
    /// The input starts with text, not XML markup: not an XML file at all (a web page saved as
    /// text, a CSV, a MEDLINE `.nbib`...). Holds the first characters, escaped for display.
    #[error(
        "not an XML file: it begins with \"{0}\"; expected PubMed XML (<PubmedArticleSet>, as efetch or PubMed's \"Save as XML\" write it)"
    )]
    NotXml(String),
    /// The input holds no XML at all.
    #[error("empty input: no XML document")]
    Empty,
    /// The input ended inside an element.
    #[error("unexpected end of input inside <{0}> (file truncated?)")]
    UnexpectedEof(String),
    /// `&name;` for an entity XML does not define. evcat never expands DTD entities.
    #[error("undefined entity &{0}; (evcat does not expand DTD entities)")]
    UndefinedEntity(String),
    /// An E-utilities `<ERROR>` element where records were expected.
    #[error("NCBI returned an error instead of records: {0}")]
    ServiceError(String),
    /// An element that must hold a number does not.
    #[error("<{element}> holds {value:?}, which is not a valid number")]
    InvalidNumber {
        /// The element.
        element: &'static str,
        /// What it held.
        value: String,
    },
    /// A `<PMID>` that is not a whole number from 1 to `i64::MAX`.
    #[error(
        "<PMID> holds {0:?}, which is not a PMID (digits only, from 1 to {max}); the file is damaged or not PubMed data",
        max = MAX_PMID
    )]
    InvalidPmid(String),
    /// A character XML 1.0 does not allow, raw or as a character reference.
    #[error(
        "{0} is not allowed in XML (XML 1.0 forbids NUL, control characters other than tab and line breaks, U+FFFE and U+FFFF); the file is damaged: download or fetch it again"
    )]
    ForbiddenCharacter(String),
    /// One record (or the content between two records) is larger than [`MAX_RECORD_BYTES`].
    #[error(
        "record is larger than the {} MiB limit for one record (PubMed's largest records are a few MB); the file is damaged or not PubMed data",
        MAX_RECORD_BYTES >> 20
    )]
    RecordTooLarge,
    /// Elements nested deeper than [`MAX_DEPTH`].
    #[error(
        "elements are nested more than {MAX_DEPTH} deep (PubMed records nest about 10 deep); the file is damaged or not PubMed data"
    )]
    TooDeep,
}

/// The most bytes one record may take (its original XML, which is also what the reader buffers):
/// 16 MiB. The largest PubMed records (consortium papers listing thousands of authors with
/// affiliations) take a few MB; the largest of the real sample files evcat is tested on takes
/// 90 KB. Content between records (whitespace, comments, unknown elements) counts the same way.
pub const MAX_RECORD_BYTES: usize = 16 << 20;

/// The deepest element nesting accepted, counted from the root element. PubMed records nest
/// about 10 deep (MathML in abstracts a little deeper); the limit keeps the reader's recursion
/// (nested `ReferenceList` and `Section` elements) far from the stack's end.
pub const MAX_DEPTH: usize = 256;

/// The largest PMID: the store keeps PMIDs as SQLite integers (`i64`).
pub const MAX_PMID: Pmid = i64::MAX as Pmid;

/// A [`ParseErrorKind`] with where it happened.
#[derive(Debug, thiserror::Error)]
#[error("{kind} at byte {offset}{}", .pmid.map(|p| format!(" (record PMID {p})")).unwrap_or_default())]
pub struct ParseError {
    /// What went wrong.
    pub kind: ParseErrorKind,
    /// Byte offset in the (decompressed) input.
    pub offset: u64,
    /// PMID of the record being read, when it was known.
    pub pmid: Option<Pmid>,
}

type Result<T> = std::result::Result<T, ParseError>;

/// The reader's own input buffer, which also records the bytes consumed since the last
/// [`Recorder::clear`]: this is how each record's original XML is kept byte for byte without a
/// second pass. Recording is lazy: bytes are copied out only when the buffer is refilled or a
/// record is taken, never per event.
///
/// It also guards the parser: the recording never grows past [`MAX_RECORD_BYTES`], and bytes
/// XML 1.0 forbids are never handed out. Either way the parser gets an I/O error at that exact
/// byte, and [`Recorder::fault`] says which (the parser has already consumed everything before
/// it, so the error names the right record).
struct Recorder<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    /// Start, in `buf`, of the recording not yet copied to `saved`.
    mark: usize,
    /// Recording copied out of earlier buffer fills.
    saved: Vec<u8>,
    /// Offset in the input of `buf[0]`.
    base: u64,
    /// Position in `buf` and code point of the first forbidden character of this fill.
    forbidden: Option<(usize, u32)>,
    /// How many bytes at the end of the previous fill began a U+FFFE/U+FFFF (`EF`, `EF BF`).
    carry: usize,
    /// Why reading stopped, once it has.
    fault: Option<Fault>,
    limit: usize,
    /// Where the bytes handed out stop (see [`Recorder::set_end`]).
    end: usize,
}

/// Why the [`Recorder`] refused to go on.
#[derive(Debug, Clone)]
enum Fault {
    /// The character (described) at this offset is not allowed in XML.
    Forbidden(String, u64),
    /// The recording reached the limit at this offset.
    TooLarge(u64),
}

const INPUT_BUFFER: usize = 256 * 1024;

impl<R: Read> Recorder<R> {
    fn new(inner: R, limit: usize) -> Self {
        Recorder {
            inner,
            buf: vec![0; INPUT_BUFFER].into_boxed_slice(),
            pos: 0,
            filled: 0,
            mark: 0,
            saved: Vec::new(),
            base: 0,
            forbidden: None,
            carry: 0,
            fault: None,
            limit,
            end: 0,
        }
    }

    /// Forgets the recording: recording restarts at the current position.
    fn clear(&mut self) {
        self.saved.clear();
        self.mark = self.pos;
        self.set_end();
    }

    /// Length of the recording.
    fn len(&self) -> usize {
        self.saved.len() + (self.pos - self.mark)
    }

    /// Takes the recording and restarts it.
    fn take(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.saved);
        out.extend_from_slice(&self.buf[self.mark..self.pos]);
        self.mark = self.pos;
        self.set_end();
        out
    }

    /// Bytes may be handed out up to the end of the fill, the first forbidden character and the
    /// limit of the recording, whichever comes first.
    fn set_end(&mut self) {
        let limit_at = self.mark + self.limit.saturating_sub(self.saved.len());
        self.end = self
            .forbidden
            .map_or(self.filled, |(at, _)| at)
            .min(limit_at);
    }

    /// Stops at a forbidden character or the limit, or refills the buffer.
    #[cold]
    fn fill_slow(&mut self) -> std::io::Result<()> {
        loop {
            if self.pos < self.end {
                return Ok(());
            }
            if let Some((at, c)) = self.forbidden
                && at == self.pos
            {
                let at = self.base + at as u64;
                return Err(self.fail(Fault::Forbidden(describe_forbidden(c), at)));
            }
            if self.pos < self.filled {
                // Input is waiting but the recording is full.
                let at = self.base + self.pos as u64;
                return Err(self.fail(Fault::TooLarge(at)));
            }
            self.refill()?;
            if self.filled == 0 {
                return Ok(());
            }
        }
    }

    /// Bytes `from..to` of the recording.
    fn range(&self, from: usize, to: usize) -> std::borrow::Cow<'_, [u8]> {
        let saved = self.saved.len();
        let live = &self.buf[self.mark..self.pos];
        if from >= saved {
            std::borrow::Cow::Borrowed(&live[from - saved..to - saved])
        } else if to <= saved {
            std::borrow::Cow::Borrowed(&self.saved[from..to])
        } else {
            let mut v = self.saved[from..].to_vec();
            v.extend_from_slice(&live[..to - saved]);
            std::borrow::Cow::Owned(v)
        }
    }

    /// Position in the recording of its last `<`.
    fn last_lt(&self) -> Option<usize> {
        let live = &self.buf[self.mark..self.pos];
        match live.iter().rposition(|&b| b == b'<') {
            Some(i) => Some(self.saved.len() + i),
            None => self.saved.iter().rposition(|&b| b == b'<'),
        }
    }

    #[cold]
    fn fail(&mut self, fault: Fault) -> std::io::Error {
        self.fault = Some(fault);
        std::io::Error::other("input refused")
    }

    /// Refills the buffer (after saving the recording) and finds its first forbidden byte.
    fn refill(&mut self) -> std::io::Result<()> {
        self.saved
            .extend_from_slice(&self.buf[self.mark..self.filled]);
        self.base += self.filled as u64;
        self.pos = 0;
        self.mark = 0;
        self.filled = 0;
        self.filled = loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        let (forbidden, carry) = find_forbidden(&self.buf[..self.filled], self.carry);
        self.forbidden = forbidden;
        self.carry = carry;
        self.set_end();
        Ok(())
    }
}

impl<R: Read> Read for Recorder<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Recorder<R> {
    #[inline]
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.pos >= self.end {
            self.fill_slow()?;
        }
        Ok(&self.buf[self.pos..self.end])
    }

    #[inline]
    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.end);
    }
}

/// The first character of `chunk` XML 1.0 forbids, as its position and code point, and how
/// many bytes at the end of `chunk` begin a U+FFFE or U+FFFF that the next fill may finish.
/// `carry` is that count for the previous fill (a character split across fills is reported at
/// the byte that completes it). Invalid UTF-8 (surrogates among it) is left to quick-xml,
/// which decodes every event.
fn find_forbidden(chunk: &[u8], carry: usize) -> (Option<(usize, u32)>, usize) {
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    let nonchar = |b: u8| 0xFFC0 | u32::from(b & 0x3F);
    let last = |b: u8| b == 0xBE || b == 0xBF;
    match (carry, chunk) {
        (2, [b, ..]) if last(*b) => return (Some((0, nonchar(*b))), 0),
        (1, [0xBF, b, ..]) if last(*b) => return (Some((1, nonchar(*b))), 0),
        (1, [0xBF]) => return (None, 2),
        _ => {}
    }
    const BLOCK: usize = 32;
    let suspicious = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r') || b == 0xEF;
    let mut start = 0;
    for block in chunk.chunks(BLOCK) {
        // A branch-free test per block (vectorised), then a byte-by-byte look only where needed.
        if block.iter().fold(false, |any, &b| any | suspicious(b)) {
            for (i, &b) in block.iter().enumerate() {
                let at = start + i;
                if b == 0xEF {
                    if let Some(&[0xBF, c]) = chunk.get(at + 1..at + 3)
                        && last(c)
                    {
                        return (Some((at, nonchar(c))), 0);
                    }
                } else if suspicious(b) {
                    return (Some((at, u32::from(b))), 0);
                }
            }
        }
        start += block.len();
    }
    let carry = match chunk {
        [.., 0xEF, 0xBF] => 2,
        [.., 0xEF] => 1,
        _ => 0,
    };
    (None, carry)
}

/// Names a forbidden character for an error message.
fn describe_forbidden(c: u32) -> String {
    if c < 0x20 {
        format!("the control character U+{c:04X}")
    } else {
        format!("the character U+{c:04X}")
    }
}

pub use super::entities::is_xml_char;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Before,
    Inside,
    After,
}

/// Reads PubMed XML (`PubmedArticleSet` of efetch, baseline and update files) item by item.
pub struct PubmedReader<R: Read> {
    xml: Reader<Recorder<R>>,
    pool: Vec<Vec<u8>>,
    position: Position,
    pmid: Option<Pmid>,
    seen_anything: bool,
    root: &'static str,
    scratch: String,
    /// Elements open now.
    depth: usize,
}

impl<R: Read> PubmedReader<R> {
    /// Wraps an input (already decompressed; see [`crate::pubmed::input`]). The reader does its
    /// own buffering: pass a plain `Read`.
    pub fn new(input: R) -> Self {
        Self::with_record_limit(input, MAX_RECORD_BYTES)
    }

    fn with_record_limit(input: R, limit: usize) -> Self {
        let mut xml = Reader::from_reader(Recorder::new(input, limit));
        let config = xml.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        PubmedReader {
            xml,
            pool: Vec::new(),
            position: Position::Before,
            pmid: None,
            seen_anything: false,
            root: "PubmedArticleSet",
            scratch: String::new(),
            depth: 0,
        }
    }

    /// Bytes of the (decompressed) input consumed so far.
    pub fn offset(&self) -> u64 {
        self.xml.buffer_position()
    }

    /// The next record or deletion, `Ok(None)` at the end of the document.
    pub fn next_item(&mut self) -> Result<Option<PubmedItem>> {
        let mut buf = self.take_buf();
        let result = self.next_item_with(&mut buf);
        self.give_buf(buf);
        result
    }

    fn next_item_with(&mut self, buf: &mut Vec<u8>) -> Result<Option<PubmedItem>> {
        loop {
            buf.clear();
            self.xml.get_mut().clear();
            self.pmid = None;
            let event = self.read(buf)?;
            match (self.position, event) {
                (_, Event::Decl(_) | Event::DocType(_) | Event::Comment(_) | Event::PI(_)) => {
                    self.seen_anything = true;
                }
                (_, Event::Text(t)) if !t.trim().is_empty() => {
                    self.seen_anything = true;
                    if self.position == Position::Before {
                        return Err(self.error(ParseErrorKind::NotXml(first_chars(t.trim()))));
                    }
                }
                (Position::Before, Event::Start(e)) => {
                    // A single stored record (`Article::raw_xml`) is a document of its own.
                    if matches!(e.name().as_ref(), "PubmedArticle" | "PubmedBookArticle") {
                        let book = e.name().as_ref() == "PubmedBookArticle";
                        self.root = if book {
                            "PubmedBookArticle"
                        } else {
                            "PubmedArticle"
                        };
                        self.position = Position::After;
                        return self.parse_record(book).map(Some);
                    }
                    self.root = root_name(&e).map_err(|k| self.error(k))?;
                    self.position = Position::Inside;
                }
                (Position::Before, Event::Empty(e)) => {
                    root_name(&e).map_err(|k| self.error(k))?;
                    self.position = Position::After;
                }
                (Position::Before, Event::Eof) => {
                    return Err(self.error(if self.seen_anything {
                        ParseErrorKind::NotPubmed("(none)".into())
                    } else {
                        ParseErrorKind::Empty
                    }));
                }
                (Position::Inside, Event::Start(e)) => match e.name().as_ref() {
                    "PubmedArticle" => return self.parse_record(false).map(Some),
                    "PubmedBookArticle" => return self.parse_record(true).map(Some),
                    "ERROR" => {
                        let message = self.text(false)?;
                        return Err(self.error(ParseErrorKind::ServiceError(message)));
                    }
                    "DeleteCitation" => {
                        let mut pmids = Vec::new();
                        self.children(|r, e, empty| match e.name().as_ref() {
                            "PMID" => {
                                pmids.push(r.pmid_value(empty)?);
                                Ok(())
                            }
                            _ => r.skip(empty),
                        })?;
                        return Ok(Some(PubmedItem::Deletion(pmids)));
                    }
                    _ => self.skip(false)?,
                },
                (Position::Inside, Event::End(_)) => self.position = Position::After,
                (Position::Inside, Event::Eof) => {
                    return Err(self.error(ParseErrorKind::UnexpectedEof(self.root.to_string())));
                }
                (Position::After, Event::Eof) => return Ok(None),
                (Position::After, Event::Start(_) | Event::Empty(_)) => {
                    return Err(
                        self.error(ParseErrorKind::Xml("content after the root element".into()))
                    );
                }
                _ => {}
            }
        }
    }

    /// Parses the record whose start tag was just read; its original bytes become `raw_xml`.
    fn parse_record(&mut self, book: bool) -> Result<PubmedItem> {
        let mut article = Box::<Article>::default();
        if book {
            article.kind = RecordKind::Book;
            self.parse_pubmed_book_article(&mut article)?;
        } else {
            self.parse_pubmed_article(&mut article)?;
        }
        article.raw_xml = self.xml.get_mut().take();
        Ok(PubmedItem::Article(article))
    }

    // ----- plumbing -------------------------------------------------------------------------

    fn take_buf(&mut self) -> Vec<u8> {
        self.pool.pop().unwrap_or_else(|| Vec::with_capacity(1024))
    }

    fn give_buf(&mut self, mut buf: Vec<u8>) {
        buf.clear();
        self.pool.push(buf);
    }

    fn error(&self, kind: ParseErrorKind) -> ParseError {
        ParseError {
            kind,
            offset: self.xml.buffer_position(),
            pmid: self.pmid,
        }
    }

    /// Every event passes here: this is where nesting depth, references and attribute values
    /// are checked, whether the content is parsed or skipped.
    #[inline]
    fn read<'b>(&mut self, buf: &'b mut Vec<u8>) -> Result<Event<'b>> {
        let event = match self.xml.read_event_into(buf) {
            Ok(event) => event,
            Err(err) => return Err(self.read_error(err)),
        };
        match &event {
            Event::Start(e) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(self.error(ParseErrorKind::TooDeep));
                }
                self.check_attributes(e)?;
            }
            Event::Empty(e) => self.check_attributes(e)?,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            Event::GeneralRef(r) => {
                self.push_reference(&mut String::new(), r)?;
            }
            _ => {}
        }
        Ok(event)
    }

    /// Attribute values are decoded only when read, so a reference in any of them is checked
    /// here (raw forbidden bytes never get this far: see [`Recorder`]).
    #[inline]
    fn check_attributes(&self, e: &BytesStart<'_>) -> Result<()> {
        if !e.attributes_raw().contains('&') {
            return Ok(());
        }
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.error(ParseErrorKind::Xml(err.to_string())))?;
            self.decode_attribute(&attr)?;
        }
        Ok(())
    }

    fn decode_attribute(
        &self,
        attr: &quick_xml::events::attributes::Attribute<'_>,
    ) -> Result<String> {
        let value =
            attr.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| match err {
                    quick_xml::Error::Escape(
                        quick_xml::escape::EscapeError::UnrecognizedEntity(_, name),
                    ) => self.error(ParseErrorKind::UndefinedEntity(name)),
                    other => self.error(ParseErrorKind::Xml(other.to_string())),
                })?;
        if let Some(c) = value.chars().find(|&c| !is_xml_char(c)) {
            return Err(self.error(ParseErrorKind::ForbiddenCharacter(format!(
                "a character reference to U+{:04X} in attribute {}",
                c as u32,
                attr.key.as_ref()
            ))));
        }
        Ok(value.into_owned())
    }

    #[cold]
    fn read_error(&self, err: quick_xml::Error) -> ParseError {
        if let (quick_xml::Error::Io(_), Some(fault)) = (&err, &self.xml.get_ref().fault) {
            let (kind, offset) = match fault.clone() {
                Fault::Forbidden(what, at) => (ParseErrorKind::ForbiddenCharacter(what), at),
                Fault::TooLarge(at) => (ParseErrorKind::RecordTooLarge, at),
            };
            return ParseError {
                kind,
                offset,
                pmid: self.pmid,
            };
        }
        let offset = match (&err, self.xml.error_position()) {
            (quick_xml::Error::Io(_) | quick_xml::Error::Encoding(_), _) | (_, 0) => {
                self.xml.buffer_position()
            }
            (_, at) => at,
        };
        let kind = match err {
            quick_xml::Error::Io(io) => {
                ParseErrorKind::Io(std::io::Error::new(io.kind(), io.to_string()))
            }
            quick_xml::Error::Encoding(e) => ParseErrorKind::Xml(format!("invalid UTF-8 ({e})")),
            other => ParseErrorKind::Xml(other.to_string()),
        };
        ParseError {
            kind,
            offset,
            pmid: self.pmid,
        }
    }

    /// Reads the text of the element just opened into `self.scratch` (no allocation per
    /// element): for the many short values that are parsed, not kept (dates, numbers).
    fn scratch_text(&mut self, empty: bool) -> Result<()> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        if !empty {
            let mut depth = 0usize;
            let mut buf = self.take_buf();
            loop {
                buf.clear();
                match self.read(&mut buf)? {
                    Event::Text(t) => scratch.push_str(&t),
                    Event::GeneralRef(r) => self.push_reference(&mut scratch, &r)?,
                    Event::Start(_) => depth += 1,
                    Event::End(_) => {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                    Event::Eof => return Err(self.eof()),
                    _ => {}
                }
            }
            self.give_buf(buf);
        }
        self.scratch = scratch;
        Ok(())
    }

    /// Calls `on_child` for every child element of the element just opened, until its end tag.
    /// `on_child` must consume the child's content (parse it, read its text or skip it).
    fn children<F>(&mut self, mut on_child: F) -> Result<()>
    where
        F: FnMut(&mut Self, &BytesStart<'_>, bool) -> Result<()>,
    {
        let mut buf = self.take_buf();
        loop {
            buf.clear();
            match self.read(&mut buf)? {
                Event::Start(e) => on_child(self, &e, false)?,
                Event::Empty(e) => on_child(self, &e, true)?,
                Event::End(_) => break,
                Event::Eof => return Err(self.eof()),
                _ => {}
            }
        }
        self.give_buf(buf);
        Ok(())
    }

    fn eof(&self) -> ParseError {
        self.error(ParseErrorKind::UnexpectedEof(
            if self.pmid.is_some() {
                "PubmedArticle"
            } else {
                self.root
            }
            .to_string(),
        ))
    }

    /// Skips the content of the element just opened.
    fn skip(&mut self, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        let mut buf = self.take_buf();
        let mut depth = 0usize;
        loop {
            buf.clear();
            match self.read(&mut buf)? {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Event::GeneralRef(r) => {
                    // Even skipped content must not hide an undefined entity.
                    let mut sink = String::new();
                    self.push_reference(&mut sink, &r)?;
                }
                Event::Eof => return Err(self.eof()),
                _ => {}
            }
        }
        self.give_buf(buf);
        Ok(())
    }

    fn push_reference(&self, out: &mut String, r: &BytesRef<'_>) -> Result<()> {
        let c = decode_reference(r).map_err(|e| {
            self.error(match e {
                e @ EntityError::Forbidden { .. } => {
                    ParseErrorKind::ForbiddenCharacter(e.to_string())
                }
                EntityError::Undefined(name) => ParseErrorKind::UndefinedEntity(name),
                EntityError::Malformed(message) => ParseErrorKind::Xml(message),
            })
        })?;
        out.push(c);
        Ok(())
    }

    /// The plain text content of the element just opened (text of nested elements included),
    /// trimmed.
    fn text(&mut self, empty: bool) -> Result<String> {
        if empty {
            return Ok(String::new());
        }
        let marked = self.collect_text(false)?;
        Ok(trim_owned(marked.text))
    }

    fn opt_text(&mut self, empty: bool) -> Result<Option<String>> {
        let t = self.text(empty)?;
        Ok(if t.is_empty() { None } else { Some(t) })
    }

    /// Text plus, when `with_markup`, the element's original content (escaped XML) if it held
    /// elements.
    fn marked_text(&mut self, empty: bool) -> Result<MarkedText> {
        if empty {
            return Ok(MarkedText::default());
        }
        self.collect_text(true)
    }

    fn collect_text(&mut self, with_markup: bool) -> Result<MarkedText> {
        // The markup is taken from the recorded source bytes afterwards, so the common case
        // (no inline elements) costs nothing beyond the plain text.
        let markup_start = self.xml.get_ref().len();
        let mut text = String::new();
        let mut has_elements = false;
        let mut depth = 0usize;
        let mut buf = self.take_buf();
        loop {
            buf.clear();
            match self.read(&mut buf)? {
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(c) => text.push_str(&c),
                Event::GeneralRef(r) => self.push_reference(&mut text, &r)?,
                Event::Start(_) => {
                    depth += 1;
                    has_elements = true;
                }
                Event::Empty(_) => has_elements = true,
                Event::End(_) => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Event::Eof => return Err(self.eof()),
                _ => {}
            }
        }
        self.give_buf(buf);
        let trimmed = text.trim();
        if trimmed.len() != text.len() {
            text = trimmed.to_string();
        }
        let markup = if with_markup && has_elements {
            let recorder = self.xml.get_ref();
            // The end tag just read is the last '<' of the recording.
            let end = recorder
                .last_lt()
                .unwrap_or(recorder.len())
                .max(markup_start);
            let source = recorder.range(markup_start, end);
            Some(String::from_utf8_lossy(&source).trim().to_string())
        } else {
            None
        };
        Ok(MarkedText { text, markup })
    }

    /// The PMID held by the element just opened (a record's, a deletion's or a link's).
    fn pmid_value(&mut self, empty: bool) -> Result<Pmid> {
        self.scratch_text(empty)?;
        let text = self.scratch.trim_matches(is_xml_space);
        parse_pmid(text).ok_or_else(|| self.error(ParseErrorKind::InvalidPmid(text.to_string())))
    }

    fn attr(&self, e: &BytesStart<'_>, key: &str) -> Result<Option<String>> {
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.error(ParseErrorKind::Xml(err.to_string())))?;
            if attr.key.as_ref() == key {
                return self.decode_attribute(&attr).map(Some);
            }
        }
        Ok(None)
    }

    fn yes(&self, e: &BytesStart<'_>, key: &str, default: bool) -> Result<bool> {
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.error(ParseErrorKind::Xml(err.to_string())))?;
            if attr.key.as_ref() == key {
                return Ok(attr.value.trim() == "Y");
            }
        }
        Ok(default)
    }

    // ----- records --------------------------------------------------------------------------

    fn parse_pubmed_article(&mut self, a: &mut Article) -> Result<()> {
        self.children(|r, e, empty| match e.name().as_ref() {
            "MedlineCitation" => {
                a.status = r.attr(e, "Status")?;
                a.owner = r.attr(e, "Owner")?;
                r.parse_medline_citation(a, empty)
            }
            "PubmedData" => r.parse_pubmed_data(a, empty),
            _ => r.skip(empty),
        })
    }

    fn parse_pubmed_book_article(&mut self, a: &mut Article) -> Result<()> {
        let mut book = Book::default();
        self.children(|r, e, empty| match e.name().as_ref() {
            "BookDocument" => r.parse_book_document(a, &mut book, empty),
            "PubmedBookData" => r.parse_pubmed_data(a, empty),
            _ => r.skip(empty),
        })?;
        a.book = Some(book);
        Ok(())
    }

    fn parse_pmid(&mut self, a: &mut Article, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        a.version = match self.attr(e, "Version")? {
            Some(v) => parse_digits(v.trim_matches(is_xml_space)).ok_or_else(|| {
                self.error(ParseErrorKind::InvalidNumber {
                    element: "PMID@Version",
                    value: v,
                })
            })?,
            None => 1,
        };
        a.pmid = self.pmid_value(empty)?;
        self.pmid = Some(a.pmid);
        Ok(())
    }

    fn parse_medline_citation(&mut self, a: &mut Article, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "PMID" => r.parse_pmid(a, e, empty),
            "DateCompleted" => {
                a.date_completed = Some(r.partial_date(empty)?);
                Ok(())
            }
            "DateRevised" => {
                a.date_revised = Some(r.partial_date(empty)?);
                Ok(())
            }
            "Article" => r.parse_article_element(a, empty),
            "MedlineJournalInfo" => r.children(|r, e, empty| {
                let value = r.opt_text(empty)?;
                match e.name().as_ref() {
                    "Country" => a.journal.country = value,
                    "MedlineTA" => a.journal.medline_ta = value,
                    "NlmUniqueID" => a.journal.nlm_unique_id = value,
                    "ISSNLinking" => a.journal.issn_linking = value,
                    _ => {}
                }
                Ok(())
            }),
            "ChemicalList" => r.children(|r, _, empty| {
                let mut chem = Chemical {
                    registry_number: None,
                    name: String::new(),
                    ui: None,
                };
                r.children(|r, e, empty| match e.name().as_ref() {
                    "RegistryNumber" => {
                        chem.registry_number = r.opt_text(empty)?;
                        Ok(())
                    }
                    "NameOfSubstance" => {
                        chem.ui = r.attr(e, "UI")?;
                        chem.name = r.text(empty)?;
                        Ok(())
                    }
                    _ => r.skip(empty),
                })
                .map(|_| ())?;
                let _ = empty;
                a.chemicals.push(chem);
                Ok(())
            }),
            "SupplMeshList" => r.children(|r, e, empty| {
                let ui = r.attr(e, "UI")?;
                let mesh_type = r.attr(e, "Type")?;
                let name = r.text(empty)?;
                a.suppl_mesh.push(SupplMesh {
                    name,
                    ui,
                    mesh_type,
                });
                Ok(())
            }),
            "CommentsCorrectionsList" => r.children(|r, e, empty| {
                let ref_type = r.attr(e, "RefType")?.unwrap_or_default();
                let mut cc = CommentCorrection {
                    ref_type,
                    ref_source: None,
                    pmid: None,
                };
                if !empty {
                    r.children(|r, e, empty| match e.name().as_ref() {
                        "RefSource" => {
                            cc.ref_source = r.opt_text(empty)?;
                            Ok(())
                        }
                        "PMID" => {
                            cc.pmid = Some(r.pmid_value(empty)?);
                            Ok(())
                        }
                        _ => r.skip(empty),
                    })?;
                }
                a.comments_corrections.push(cc);
                Ok(())
            }),
            "MeshHeadingList" => r.children(|r, _, empty| {
                let mut heading = MeshHeading {
                    descriptor: String::new(),
                    ui: None,
                    major: false,
                    descriptor_type: None,
                    qualifiers: Vec::new(),
                };
                if !empty {
                    r.children(|r, e, empty| match e.name().as_ref() {
                        "DescriptorName" => {
                            heading.ui = r.attr(e, "UI")?;
                            heading.major = r.yes(e, "MajorTopicYN", false)?;
                            heading.descriptor_type = r.attr(e, "Type")?;
                            heading.descriptor = r.text(empty)?;
                            Ok(())
                        }
                        "QualifierName" => {
                            let ui = r.attr(e, "UI")?;
                            let major = r.yes(e, "MajorTopicYN", false)?;
                            let name = r.text(empty)?;
                            heading.qualifiers.push(MeshQualifier { name, ui, major });
                            Ok(())
                        }
                        _ => r.skip(empty),
                    })?;
                }
                a.mesh.push(heading);
                Ok(())
            }),
            "OtherAbstract" => {
                let mut abs = Abstract {
                    abstract_type: r.attr(e, "Type")?,
                    language: r.attr(e, "Language")?,
                    ..Abstract::default()
                };
                r.parse_abstract(&mut abs, empty)?;
                a.other_abstracts.push(abs);
                Ok(())
            }
            "KeywordList" => {
                let owner = r.attr(e, "Owner")?;
                r.children(|r, e, empty| {
                    let major = r.yes(e, "MajorTopicYN", false)?;
                    let text = r.text(empty)?;
                    if !text.is_empty() {
                        a.keywords.push(Keyword {
                            text,
                            owner: owner.clone(),
                            major,
                        });
                    }
                    Ok(())
                })
            }
            "CoiStatement" => {
                a.coi_statement = Some(r.text(empty)?);
                Ok(())
            }
            "InvestigatorList" => r.parse_author_list(&mut a.investigators, empty),
            _ => r.skip(empty),
        })
    }

    fn parse_article_element(&mut self, a: &mut Article, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "Journal" => r.parse_journal(&mut a.journal, empty),
            "ArticleTitle" => {
                a.title = r.marked_text(empty)?;
                Ok(())
            }
            "VernacularTitle" => {
                a.vernacular_title = r.opt_text(empty)?;
                Ok(())
            }
            "Pagination" => r.parse_pagination(&mut a.pagination, empty),
            "ELocationID" => r.parse_elocation(a, e, empty),
            "Abstract" => {
                let mut abs = Abstract::default();
                r.parse_abstract(&mut abs, empty)?;
                a.abstract_ = Some(abs);
                Ok(())
            }
            "AuthorList" => {
                a.authors_complete = r.yes(e, "CompleteYN", true)?;
                r.parse_author_list(&mut a.authors, empty)
            }
            "Language" => {
                let lang = r.text(empty)?;
                a.languages.push(lang);
                Ok(())
            }
            "GrantList" => r.children(|r, _, empty| {
                let mut grant = Grant::default();
                if !empty {
                    r.children(|r, e, empty| {
                        let v = r.opt_text(empty)?;
                        match e.name().as_ref() {
                            "GrantID" => grant.grant_id = v,
                            "Acronym" => grant.acronym = v,
                            "Agency" => grant.agency = v,
                            "Country" => grant.country = v,
                            _ => {}
                        }
                        Ok(())
                    })?;
                }
                a.grants.push(grant);
                Ok(())
            }),
            "PublicationTypeList" => r.children(|r, e, empty| {
                let ui = r.attr(e, "UI")?;
                let name = r.text(empty)?;
                a.publication_types.push(PublicationType { ui, name });
                Ok(())
            }),
            "ArticleDate" => {
                let kind = r
                    .attr(e, "DateType")?
                    .unwrap_or_else(|| "Electronic".into());
                let date = r.partial_date(empty)?;
                a.article_dates.push((kind, date));
                Ok(())
            }
            _ => r.skip(empty),
        })
    }

    fn parse_elocation(&mut self, a: &mut Article, e: &BytesStart<'_>, empty: bool) -> Result<()> {
        let id_type = self.attr(e, "EIdType")?.unwrap_or_default();
        let valid = self.yes(e, "ValidYN", true)?;
        let value = self.text(empty)?;
        a.elocations.push(ELocation {
            id_type,
            valid,
            value,
        });
        Ok(())
    }

    fn parse_pagination(&mut self, p: &mut Pagination, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| {
            let v = r.opt_text(empty)?;
            match e.name().as_ref() {
                "MedlinePgn" => p.medline_pgn = v,
                "StartPage" => p.start_page = v,
                "EndPage" => p.end_page = v,
                _ => {}
            }
            Ok(())
        })
    }

    fn parse_journal(&mut self, j: &mut Journal, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "ISSN" => {
                j.issn_type = r.attr(e, "IssnType")?;
                j.issn = r.opt_text(empty)?;
                Ok(())
            }
            "JournalIssue" => {
                j.cited_medium = r.attr(e, "CitedMedium")?;
                if empty {
                    return Ok(());
                }
                r.children(|r, e, empty| match e.name().as_ref() {
                    "Volume" => {
                        j.volume = r.opt_text(empty)?;
                        Ok(())
                    }
                    "Issue" => {
                        j.issue = r.opt_text(empty)?;
                        Ok(())
                    }
                    "PubDate" => {
                        j.pub_date = r.pub_date(empty)?;
                        Ok(())
                    }
                    _ => r.skip(empty),
                })
            }
            "Title" => {
                j.title = r.opt_text(empty)?;
                Ok(())
            }
            "ISOAbbreviation" => {
                j.iso_abbrev = r.opt_text(empty)?;
                Ok(())
            }
            _ => r.skip(empty),
        })
    }

    fn pub_date(&mut self, empty: bool) -> Result<PubDate> {
        let mut d = PubDate::default();
        if empty {
            return Ok(d);
        }
        self.children(|r, e, empty| {
            let v = r.opt_text(empty)?;
            match e.name().as_ref() {
                "Year" => d.year = v.as_deref().and_then(|y| y.trim().parse().ok()),
                "Month" => d.month = v,
                "Day" => d.day = v,
                "Season" => d.season = v,
                "MedlineDate" => {
                    d.year = v.as_deref().and_then(first_year);
                    d.raw = v;
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(d)
    }

    fn partial_date(&mut self, empty: bool) -> Result<PartialDate> {
        let mut d = PartialDate::default();
        if empty {
            return Ok(d);
        }
        self.children(|r, e, empty| {
            r.scratch_text(empty)?;
            let v = r.scratch.trim();
            match e.name().as_ref() {
                "Year" => d.year = v.parse().ok(),
                "Month" => d.month = month_number(v),
                "Day" => d.day = v.parse().ok(),
                "Hour" => d.hour = v.parse().ok(),
                "Minute" => d.minute = v.parse().ok(),
                _ => {}
            }
            Ok(())
        })?;
        Ok(d)
    }

    fn parse_abstract(&mut self, abs: &mut Abstract, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "AbstractText" => {
                let label = r.attr(e, "Label")?;
                let category = r.attr(e, "NlmCategory")?;
                let MarkedText { text, markup } = r.marked_text(empty)?;
                abs.sections.push(AbstractSection {
                    label,
                    category,
                    text,
                    markup,
                });
                Ok(())
            }
            "CopyrightInformation" => {
                abs.copyright = r.opt_text(empty)?;
                Ok(())
            }
            _ => r.skip(empty),
        })
    }

    fn parse_author_list(&mut self, list: &mut Vec<Author>, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "Author" | "Investigator" => {
                let author = r.parse_author(e, empty)?;
                list.push(author);
                Ok(())
            }
            _ => r.skip(empty),
        })
    }

    fn parse_author(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<Author> {
        let mut author = Author {
            valid: self.yes(e, "ValidYN", true)?,
            equal_contrib: self.yes(e, "EqualContrib", false)?,
            ..Author::default()
        };
        if empty {
            return Ok(author);
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "LastName" => {
                author.last = r.opt_text(empty)?;
                Ok(())
            }
            "ForeName" | "FirstName" => {
                author.fore = r.opt_text(empty)?;
                Ok(())
            }
            "Initials" => {
                author.initials = r.opt_text(empty)?;
                Ok(())
            }
            "Suffix" => {
                author.suffix = r.opt_text(empty)?;
                Ok(())
            }
            "CollectiveName" => {
                author.collective = r.opt_text(empty)?;
                Ok(())
            }
            "Identifier" => {
                let source = r.attr(e, "Source")?.unwrap_or_default();
                let value = r.text(empty)?;
                if source.eq_ignore_ascii_case("ORCID") && author.orcid.is_none() {
                    author.orcid = Some(normalize_orcid(&value));
                } else {
                    author.identifiers.push((source, value));
                }
                Ok(())
            }
            "AffiliationInfo" => r.children(|r, e, empty| match e.name().as_ref() {
                "Affiliation" => {
                    let aff = r.text(empty)?;
                    author.affiliations.push(aff);
                    Ok(())
                }
                _ => r.skip(empty),
            }),
            "Affiliation" => {
                let aff = r.text(empty)?;
                author.affiliations.push(aff);
                Ok(())
            }
            _ => r.skip(empty),
        })?;
        Ok(author)
    }

    fn parse_article_id_list(&mut self, ids: &mut Vec<ArticleId>, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| {
            let id_type = r.attr(e, "IdType")?.unwrap_or_else(|| "pubmed".into());
            let value = r.text(empty)?;
            if !value.is_empty() {
                ids.push(ArticleId { id_type, value });
            }
            Ok(())
        })
    }

    fn parse_pubmed_data(&mut self, a: &mut Article, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "History" => r.children(|r, e, empty| {
                let status = r.attr(e, "PubStatus")?.unwrap_or_default();
                let date = r.partial_date(empty)?;
                a.history.push(HistoryDate { status, date });
                Ok(())
            }),
            "PublicationStatus" => {
                a.publication_status = r.opt_text(empty)?;
                Ok(())
            }
            "ArticleIdList" => r.parse_article_id_list(&mut a.ids, empty),
            "ReferenceList" => r.parse_reference_list(&mut a.references, empty),
            _ => r.skip(empty),
        })
    }

    fn parse_reference_list(&mut self, refs: &mut Vec<Reference>, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "Reference" => {
                let mut reference = Reference {
                    citation: String::new(),
                    ids: Vec::new(),
                };
                if !empty {
                    r.children(|r, e, empty| match e.name().as_ref() {
                        "Citation" => {
                            reference.citation = r.text(empty)?;
                            Ok(())
                        }
                        "ArticleIdList" => r.parse_article_id_list(&mut reference.ids, empty),
                        _ => r.skip(empty),
                    })?;
                }
                refs.push(reference);
                Ok(())
            }
            // Nested ReferenceLists (with a Title) occur in some records.
            "ReferenceList" => r.parse_reference_list(refs, empty),
            _ => r.skip(empty),
        })
    }

    fn parse_book_document(&mut self, a: &mut Article, book: &mut Book, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "PMID" => r.parse_pmid(a, e, empty),
            "ArticleIdList" => r.parse_article_id_list(&mut a.ids, empty),
            "Book" => r.parse_book(book, empty),
            "LocationLabel" => {
                book.location_label = r.opt_text(empty)?;
                Ok(())
            }
            "ArticleTitle" => {
                a.title = r.marked_text(empty)?;
                Ok(())
            }
            "VernacularTitle" => {
                a.vernacular_title = r.opt_text(empty)?;
                Ok(())
            }
            "Pagination" => r.parse_pagination(&mut a.pagination, empty),
            "Language" => {
                let lang = r.text(empty)?;
                a.languages.push(lang);
                Ok(())
            }
            "AuthorList" => {
                a.authors_complete = r.yes(e, "CompleteYN", true)?;
                match r.attr(e, "Type")?.as_deref() {
                    Some("editors") => r.parse_author_list(&mut book.editors, empty),
                    _ => r.parse_author_list(&mut a.authors, empty),
                }
            }
            "InvestigatorList" => r.parse_author_list(&mut a.investigators, empty),
            "PublicationType" => {
                let ui = r.attr(e, "UI")?;
                let name = r.text(empty)?;
                a.publication_types.push(PublicationType { ui, name });
                Ok(())
            }
            "Abstract" => {
                let mut abs = Abstract::default();
                r.parse_abstract(&mut abs, empty)?;
                a.abstract_ = Some(abs);
                Ok(())
            }
            "Sections" => r.parse_sections(book, empty),
            "KeywordList" => {
                let owner = r.attr(e, "Owner")?;
                r.children(|r, e, empty| {
                    let major = r.yes(e, "MajorTopicYN", false)?;
                    let text = r.text(empty)?;
                    a.keywords.push(Keyword {
                        text,
                        owner: owner.clone(),
                        major,
                    });
                    Ok(())
                })
            }
            "DateRevised" => {
                a.date_revised = Some(r.partial_date(empty)?);
                Ok(())
            }
            "ContributionDate" => {
                let date = r.partial_date(empty)?;
                a.article_dates.push(("Contribution".into(), date));
                Ok(())
            }
            "GrantList" => r.skip(empty),
            "ReferenceList" => r.parse_reference_list(&mut a.references, empty),
            _ => r.skip(empty),
        })
    }

    fn parse_sections(&mut self, book: &mut Book, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "Section" => r.children(|r, e, empty| match e.name().as_ref() {
                "SectionTitle" => {
                    let title = r.text(empty)?;
                    book.sections.push(title);
                    Ok(())
                }
                "Section" => r.parse_sections(book, empty),
                _ => r.skip(empty),
            }),
            _ => r.skip(empty),
        })
    }

    fn parse_book(&mut self, book: &mut Book, empty: bool) -> Result<()> {
        if empty {
            return Ok(());
        }
        self.children(|r, e, empty| match e.name().as_ref() {
            "Publisher" => r.children(|r, e, empty| {
                let v = r.opt_text(empty)?;
                match e.name().as_ref() {
                    "PublisherName" => book.publisher = v,
                    "PublisherLocation" => book.publisher_location = v,
                    _ => {}
                }
                Ok(())
            }),
            "BookTitle" => {
                book.book_id = r.attr(e, "book")?;
                book.title = r.opt_text(empty)?;
                Ok(())
            }
            "PubDate" => {
                book.pub_date = r.pub_date(empty)?;
                Ok(())
            }
            "AuthorList" => r.parse_author_list(&mut book.editors, empty),
            "Volume" => {
                book.volume = r.opt_text(empty)?;
                Ok(())
            }
            "Edition" => {
                book.edition = r.opt_text(empty)?;
                Ok(())
            }
            "CollectionTitle" => {
                book.collection_title = r.opt_text(empty)?;
                Ok(())
            }
            "Isbn" => {
                let isbn = r.text(empty)?;
                book.isbn.push(isbn);
                Ok(())
            }
            "Medium" => {
                book.medium = r.opt_text(empty)?;
                Ok(())
            }
            "ReportNumber" => {
                book.report_number = r.opt_text(empty)?;
                Ok(())
            }
            _ => r.skip(empty),
        })
    }
}

fn root_name(e: &BytesStart<'_>) -> std::result::Result<&'static str, ParseErrorKind> {
    match e.name().as_ref() {
        "PubmedArticleSet" => Ok("PubmedArticleSet"),
        "PubmedBookArticleSet" => Ok("PubmedBookArticleSet"),
        other => Err(ParseErrorKind::NotPubmed(other.to_string())),
    }
}

/// A PMID: ASCII digits only (no sign, no spaces), from 1 to [`MAX_PMID`].
pub fn parse_pmid(text: &str) -> Option<Pmid> {
    parse_digits(text).filter(|p| (1..=MAX_PMID).contains(p))
}

/// A number written with ASCII digits only (`str::parse` also takes a leading `+`).
fn parse_digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// XML's white space (what XML trims), narrower than Unicode's.
fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

fn trim_owned(s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() { s } else { t.to_string() }
}

/// The first four-digit year in a free-form date ("1998 Dec-1999 Jan" gives 1998).
pub fn first_year(s: &str) -> Option<i32> {
    let bytes = s.as_bytes();
    bytes.windows(4).enumerate().find_map(|(i, w)| {
        let before_ok = i == 0 || !bytes[i - 1].is_ascii_digit();
        let after_ok = bytes.get(i + 4).is_none_or(|b| !b.is_ascii_digit());
        if before_ok && after_ok && w.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(w).ok()?.parse().ok()
        } else {
            None
        }
    })
}

/// Normalises an ORCID iD given bare, as `http://orcid.org/...` or `https://orcid.org/...`
/// (with or without hyphens) to its bare hyphenated form `0000-0002-1825-0097`.
pub fn normalize_orcid(raw: &str) -> String {
    let digits: String = raw
        .trim()
        .rsplit('/')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == 'X' || *c == 'x')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if digits.len() == 16 {
        format!(
            "{}-{}-{}-{}",
            &digits[0..4],
            &digits[4..8],
            &digits[8..12],
            &digits[12..16]
        )
    } else {
        raw.trim().to_string()
    }
}

/// The first characters of a text, safe to print: at most 40, control characters and quotes
/// escaped (`\u{1b}`, `\"`), "..." when cut.
fn first_chars(text: &str) -> String {
    let mut out: String = text.chars().take(40).flat_map(char::escape_debug).collect();
    if text.chars().nth(40).is_some() {
        out.push_str("...");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(xml: &str) -> Result<Vec<PubmedItem>> {
        let mut reader = PubmedReader::new(xml.as_bytes());
        let mut items = Vec::new();
        while let Some(item) = reader.next_item()? {
            items.push(item);
        }
        Ok(items)
    }

    fn one_article(xml: &str) -> Article {
        match read_all(xml).unwrap().into_iter().next().unwrap() {
            PubmedItem::Article(a) => *a,
            other => panic!("expected an article, got {other:?}"),
        }
    }

    const MINIMAL: &str = r#"<?xml version="1.0"?>
<PubmedArticleSet>
 <PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="2">4294967299</PMID>
  <Article><ArticleTitle>Effect of <i>O<sub>3</sub></i> &amp; <b>O<sub>2</sub> <u>in <sup>vivo</sup></u></b>&#x3b1;</ArticleTitle>
  <Abstract><AbstractText Label="RESULTS" NlmCategory="RESULTS">p <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:mi>x</mml:mi><mml:mo>&lt;</mml:mo><mml:mn>1</mml:mn></mml:math> done</AbstractText></Abstract>
  </Article></MedlineCitation></PubmedArticle>
</PubmedArticleSet>"#;

    #[test]
    fn keeps_all_text_around_nested_markup() {
        let a = one_article(MINIMAL);
        assert_eq!(a.pmid, 4_294_967_299);
        assert_eq!(a.version, 2);
        assert_eq!(a.title.text, "Effect of O3 & O2 in vivoα");
        assert_eq!(
            a.title.markup.as_deref(),
            Some(
                "Effect of <i>O<sub>3</sub></i> &amp; <b>O<sub>2</sub> <u>in <sup>vivo</sup></u></b>&#x3b1;"
            )
        );
        let section = &a.abstract_.as_ref().unwrap().sections[0];
        assert_eq!(section.text, "p x<1 done");
        assert_eq!(section.label.as_deref(), Some("RESULTS"));
    }

    #[test]
    fn raw_xml_is_the_exact_record_bytes() {
        let a = one_article(MINIMAL);
        let raw = std::str::from_utf8(&a.raw_xml).unwrap();
        assert!(raw.starts_with("<PubmedArticle><MedlineCitation"), "{raw}");
        assert!(raw.ends_with("</PubmedArticle>"), "{raw}");
        assert!(MINIMAL.contains(raw));
    }

    #[test]
    fn undefined_entities_are_errors_not_expansions() {
        let xml = r#"<?xml version="1.0"?><!DOCTYPE PubmedArticleSet [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>&b;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"#;
        let err = read_all(xml).unwrap_err();
        assert!(
            matches!(err.kind, ParseErrorKind::UndefinedEntity(ref n) if n == "b"),
            "{err}"
        );
        assert_eq!(err.pmid, Some(1));
    }

    #[test]
    fn other_roots_are_rejected() {
        let err = read_all("<rss><channel/></rss>").unwrap_err();
        assert!(matches!(err.kind, ParseErrorKind::NotPubmed(ref r) if r == "rss"));
        assert!(matches!(
            read_all("").unwrap_err().kind,
            ParseErrorKind::Empty
        ));
        assert!(matches!(
            read_all("  \n").unwrap_err().kind,
            ParseErrorKind::Empty
        ));
    }

    #[test]
    fn truncated_input_is_an_error() {
        let cut = &MINIMAL[..MINIMAL.len() / 2];
        let err = read_all(cut).unwrap_err();
        assert!(
            err.to_string().contains("unexpected end") || err.to_string().contains("malformed"),
            "{err}"
        );
    }

    /// An endless input: `head`, then `fill` forever; counts the bytes pulled.
    struct Endless {
        head: Vec<u8>,
        fill: u8,
        pulled: std::rc::Rc<std::cell::Cell<usize>>,
    }

    impl Read for Endless {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = out.len();
            let from_head = self.head.len().min(n);
            out[..from_head].copy_from_slice(&self.head[..from_head]);
            self.head.drain(..from_head);
            out[from_head..].fill(self.fill);
            self.pulled.set(self.pulled.get() + n);
            Ok(n)
        }
    }

    #[test]
    fn endless_content_stops_at_the_record_limit() {
        const LIMIT: usize = 1 << 20;
        let record = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article>";
        let cases: [(&str, u8, Option<Pmid>); 7] = [
            (&format!("{record}<ArticleTitle>"), b'a', Some(7)),
            ("<PubmedArticleSet>", b' ', None),
            ("<PubmedArticleSet>\n", b'\n', None),
            (&format!("{record}<Author ValidYN=\""), b'Y', Some(7)),
            ("<PubmedArticleSet><Pubmed", b'x', None),
            ("<PubmedArticleSet><!--", b'-', None),
            ("<!DOCTYPE PubmedArticleSet [", b' ', None),
        ];
        for (head, fill, pmid) in cases {
            let pulled = std::rc::Rc::new(std::cell::Cell::new(0));
            let input = Endless {
                head: head.as_bytes().to_vec(),
                fill,
                pulled: pulled.clone(),
            };
            let mut reader = PubmedReader::with_record_limit(input, LIMIT);
            let err = loop {
                match reader.next_item() {
                    Ok(Some(_)) => continue,
                    Ok(None) => panic!("{head}: an endless input ended"),
                    Err(e) => break e,
                }
            };
            assert!(
                matches!(err.kind, ParseErrorKind::RecordTooLarge),
                "{head}: {err}"
            );
            assert_eq!(err.pmid, pmid, "{head}");
            assert!(
                pulled.get() <= LIMIT + 2 * INPUT_BUFFER,
                "{head}: read {}",
                pulled.get()
            );
            assert!(err.offset <= (LIMIT + head.len()) as u64, "{head}: {err}");
        }
    }

    #[test]
    fn a_record_at_the_limit_is_read_and_one_byte_more_is_not() {
        let head = "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>7</PMID><Article><ArticleTitle>";
        let tail = "</ArticleTitle></Article></MedlineCitation></PubmedArticle>";
        let record_overhead = head.len() - "<PubmedArticleSet>".len() + tail.len();
        let limit = 4 * INPUT_BUFFER + 17;
        for extra in [0, 1] {
            let title = "t".repeat(limit - record_overhead + extra);
            let xml = format!("{head}{title}{tail}</PubmedArticleSet>");
            let mut reader = PubmedReader::with_record_limit(xml.as_bytes(), limit);
            let first = reader.next_item();
            match (extra, first) {
                (0, Ok(Some(PubmedItem::Article(a)))) => {
                    assert_eq!(a.raw_xml.len(), limit);
                    assert_eq!(a.title.text, title);
                    assert!(reader.next_item().unwrap().is_none());
                }
                (1, Err(e)) => assert!(matches!(e.kind, ParseErrorKind::RecordTooLarge), "{e}"),
                (_, other) => panic!("extra {extra}: {other:?}"),
            }
        }
    }

    /// Hands out one byte per read, so every multi-byte character is split across buffer fills.
    struct OneByte<'a>(&'a [u8]);

    impl Read for OneByte<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            match (self.0.split_first(), out.first_mut()) {
                (Some((&b, rest)), Some(o)) => {
                    *o = b;
                    self.0 = rest;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    fn read_all_from(input: impl Read) -> Result<Vec<PubmedItem>> {
        let mut reader = PubmedReader::new(input);
        let mut items = Vec::new();
        while let Some(item) = reader.next_item()? {
            items.push(item);
        }
        Ok(items)
    }

    fn with_title(title: &str) -> String {
        MINIMAL.replace("Effect of <i>", &format!("{title}<i>"))
    }

    #[test]
    fn forbidden_characters_are_errors_raw_or_referenced_wherever_they_are() {
        for (title, expected) in [
            ("a\u{0}b", "U+0000"),
            ("a\u{7}b", "U+0007"),
            ("a\u{1F}b", "U+001F"),
            ("a\u{FFFE}b", "U+FFFE"),
            ("a\u{FFFF}b", "U+FFFF"),
            ("a&#x7;b", "U+0007"),
            ("a&#1;b", "U+0001"),
            ("a&#xFFFE;b", "U+FFFE"),
            ("a&#65535;b", "U+FFFF"),
        ] {
            let xml = with_title(title);
            let start = xml.find(title).unwrap() + 1;
            for (how, result) in [
                ("whole", read_all(&xml)),
                ("byte by byte", read_all_from(OneByte(xml.as_bytes()))),
            ] {
                let err = result.unwrap_err();
                assert!(
                    matches!(err.kind, ParseErrorKind::ForbiddenCharacter(ref w) if w.contains(expected)),
                    "{title:?} {how}: {err}"
                );
                assert_eq!(err.pmid, Some(4_294_967_299), "{title:?} {how}");
                // Raw characters are located exactly (at or on their last byte when split).
                if !title.contains('&') {
                    assert!(
                        (start as u64..start as u64 + 3).contains(&err.offset),
                        "{title:?} {how}: {err}"
                    );
                }
            }
        }
        // Surrogates (invalid UTF-8 raw, invalid code points as references) and NUL references.
        for bad in ["a&#xD800;b", "a&#0;b", "a\u{FFFD}\u{7}"] {
            assert!(read_all(&with_title(bad)).is_err(), "{bad}");
        }
        assert!(read_all_from(&b"<PubmedArticleSet>\xED\xA0\x80</PubmedArticleSet>"[..]).is_err());
        // Tab, line breaks and the characters next to the forbidden ones are fine.
        let fine = "a\t\r\n\u{FFFD}\u{E000}\u{10000}\u{EF}\u{BF}&#x9;&#xFFFD;&#x10FFFF;b";
        assert!(read_all(&with_title(fine)).is_ok());
        assert!(read_all_from(OneByte(with_title(fine).as_bytes())).is_ok());
        // In attributes, parsed or skipped, and between elements.
        for xml in [
            MINIMAL.replace("Status=\"MEDLINE\"", "Status=\"&#x1;\""),
            MINIMAL.replace("<Article>", "<Article><Unknown a=\"&#xFFFF;\"/>"),
            MINIMAL.replace("<Article>", "<Article>&#x8;"),
            MINIMAL.replace("<Article>", "<Article><!-- \u{0} -->"),
        ] {
            let err = read_all(&xml).unwrap_err();
            assert!(
                matches!(err.kind, ParseErrorKind::ForbiddenCharacter(_)),
                "{err}"
            );
        }
    }

    #[test]
    fn byte_by_byte_input_reads_the_same_records() {
        let whole = read_all(MINIMAL).unwrap();
        let split = read_all_from(OneByte(MINIMAL.as_bytes())).unwrap();
        assert_eq!(format!("{whole:?}"), format!("{split:?}"));
    }

    #[test]
    fn pmids_are_digits_from_one_to_i64_max() {
        assert_eq!(parse_pmid("1"), Some(1));
        assert_eq!(parse_pmid("0022430658"), Some(22430658));
        assert_eq!(parse_pmid("9223372036854775807"), Some(MAX_PMID));
        for bad in [
            "",
            "0",
            "00",
            "+5",
            "-5",
            " 5",
            "5 ",
            "5a",
            "1e5",
            "9223372036854775808",
            "18446744073709551616",
            "\u{663}",
        ] {
            assert_eq!(parse_pmid(bad), None, "{bad:?}");
        }
        // In a record, a deletion and a link; XML white space around the value is trimmed.
        let at = |xml: String| read_all(&xml).map(|_| ()).map_err(|e| e.kind);
        assert!(at(MINIMAL.replace(">4294967299<", ">\n 4294967299\t<")).is_ok());
        for bad in ["+5", "0", "-1", "9223372036854775808", "", "\u{A0}5"] {
            let in_record = at(MINIMAL.replace(">4294967299<", &format!(">{bad}<")));
            let in_deletion = at(MINIMAL.replace(
                "</PubmedArticleSet>",
                &format!("<DeleteCitation><PMID Version=\"1\">{bad}</PMID></DeleteCitation></PubmedArticleSet>"),
            ));
            let in_link = at(MINIMAL.replace(
                "</Article>",
                &format!("</Article><CommentsCorrectionsList><CommentsCorrections RefType=\"CommentIn\"><RefSource>x</RefSource><PMID>{bad}</PMID></CommentsCorrections></CommentsCorrectionsList>"),
            ));
            for result in [in_record, in_deletion, in_link] {
                assert!(
                    matches!(result, Err(ParseErrorKind::InvalidPmid(ref v)) if v == bad),
                    "{bad:?}: {result:?}"
                );
            }
        }
        let version = at(MINIMAL.replace("Version=\"2\"", "Version=\"+2\""));
        assert!(
            matches!(version, Err(ParseErrorKind::InvalidNumber { .. })),
            "{version:?}"
        );
    }

    #[test]
    fn nesting_is_read_up_to_the_limit_in_a_small_stack() {
        // Nested ReferenceLists and Sections are parsed recursively: at the limit they must
        // still fit the 2 MiB stack of a spawned thread (the importer reads on one).
        let nest = |name: &str, n: usize| {
            format!(
                "{}{}",
                format!("<{name}>").repeat(n),
                format!("</{name}>").repeat(n)
            )
        };
        // PubmedArticleSet, PubmedArticle, PubmedData: 3 levels above the nest.
        let record = move |n: usize| {
            MINIMAL.replace(
                "</MedlineCitation>",
                &format!(
                    "</MedlineCitation><PubmedData>{}</PubmedData>",
                    nest("ReferenceList", n)
                ),
            )
        };
        let book = move |n: usize| {
            format!(
                "<PubmedBookArticleSet><PubmedBookArticle><BookDocument><PMID>5</PMID><Sections>{}</Sections></BookDocument></PubmedBookArticle></PubmedBookArticleSet>",
                nest("Section", n)
            )
        };
        std::thread::spawn(move || {
            assert!(read_all(&record(MAX_DEPTH - 3)).is_ok());
            assert!(read_all(&book(MAX_DEPTH - 4)).is_ok());
            for xml in [record(MAX_DEPTH - 2), book(MAX_DEPTH - 3), record(100_000)] {
                let err = read_all(&xml).unwrap_err();
                assert!(matches!(err.kind, ParseErrorKind::TooDeep), "{err}");
            }
        })
        .join()
        .unwrap();
    }

    #[test]
    fn dates_and_orcids() {
        assert_eq!(first_year("1998 Dec-1999 Jan"), Some(1998));
        assert_eq!(first_year("Spring 2001"), Some(2001));
        assert_eq!(first_year("12345"), None);
        for form in [
            "0000-0002-1694-233X",
            "http://orcid.org/0000-0002-1694-233X",
            "https://orcid.org/0000-0002-1694-233x",
            "000000021694233X",
        ] {
            assert_eq!(normalize_orcid(form), "0000-0002-1694-233X", "{form}");
        }
    }
}
