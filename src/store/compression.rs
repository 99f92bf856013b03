//! How a record's original XML is stored: zstd-compressed, with the catalogue's dictionary once
//! it has one.
//!
//! PubMed records are small and alike (the same elements, attributes and boilerplate in every
//! one), so each compressed alone leaves most of what they share in every frame. A catalogue
//! trains one zstd dictionary from a sample of its own records once it holds
//! [`TRAIN_AT_RECORDS`] of them ([`train_dictionary`], run by an import before it stores
//! records) and compresses every record stored after that with it; on real PubMed records held
//! out of the training set, the stored XML is some 28% smaller than compressed alone. Each
//! frame names the dictionary it was compressed with (zstd's dictionary id), so a record stored
//! before the catalogue had one keeps its plain frame and both read back the same way
//! ([`decompress_xml`]). Dictionaries are never changed or removed (schema 13,
//! `xml_dictionaries`).
//!
//! The frames a write stores are kept together in blocks (schema 15, `xml_blocks`; see
//! [`XmlBlocks`]), and a record's row says where its frame is ([`stored_frame`]); records stored
//! before schema 15 keep their frames in their rows.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use rusqlite::{Connection, OptionalExtension, params};
use zstd::dict::{DecoderDictionary, EncoderDictionary};
use zstd::zstd_safe;

use super::{Store, StoreError, now_rfc3339};
use crate::pubmed::Pmid;
use crate::pubmed::reader::MAX_RECORD_BYTES;

/// Records (with data or tombstones, as the catalogue's counts have them) a catalogue holds
/// before it trains its dictionary: enough that a sample shows what its records share.
pub const TRAIN_AT_RECORDS: u64 = 5_000;

/// Records a dictionary is trained on, spread evenly over the catalogue's PMIDs.
const SAMPLES: usize = 2_000;

/// Largest dictionary (zstd's default size).
const DICTIONARY_BYTES: usize = 112_640;

/// Compression level with a dictionary. (Level 1 without one, as before dictionaries.)
const LEVEL_WITH_DICTIONARY: i32 = 3;

/// Compression level without a dictionary.
const LEVEL_ALONE: i32 = 1;

/// A trained dictionary, ready to compress with.
pub struct XmlDictionary {
    id: u32,
    encoder: EncoderDictionary<'static>,
}

impl std::fmt::Debug for XmlDictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlDictionary")
            .field("id", &self.id)
            .finish()
    }
}

impl XmlDictionary {
    fn new(id: u32, bytes: &[u8]) -> XmlDictionary {
        XmlDictionary {
            id,
            encoder: EncoderDictionary::copy(bytes, LEVEL_WITH_DICTIONARY),
        }
    }

    /// zstd's id of the dictionary, which every frame compressed with it names.
    pub fn id(&self) -> u32 {
        self.id
    }
}

/// Compresses a record's original XML for storage, with `dictionary` when given.
pub fn compress_xml(raw: &[u8], dictionary: Option<&XmlDictionary>) -> Vec<u8> {
    thread_local! {
        // One compression context per thread: creating one per record costs more than the work.
        static CONTEXT: RefCell<zstd_safe::CCtx<'static>> = RefCell::new(zstd_safe::CCtx::create());
    }
    CONTEXT.with(|context| {
        let mut context = context.borrow_mut();
        let mut out = Vec::with_capacity(zstd_safe::compress_bound(raw.len()));
        let written = match dictionary {
            Some(d) => context.compress_using_cdict(&mut out, raw, d.encoder.as_cdict()),
            None => context.compress(&mut out, raw, LEVEL_ALONE),
        };
        match written {
            Ok(_) => out,
            // (Compressing into a buffer of the bound's size does not fail; should it, the
            // stream encoder gives the same plain frame.)
            Err(_) => zstd::bulk::compress(raw, LEVEL_ALONE).unwrap_or_else(|_| raw.to_vec()),
        }
    })
}

/// The first byte of a stored record that says where its frame is kept: in `xml_blocks`. (A
/// zstd frame starts with its magic number, `28 b5 2f fd`, or a skippable frame's, `5? 2a 4d
/// 18`: never with 0.)
const IN_A_BLOCK: u8 = 0;

/// Frames of records a write transaction stores, kept together in `xml_blocks` rows of up to
/// [`XmlBlocks::BLOCK_BYTES`] each; what a record's row holds instead of its frame is where the
/// frame is ([`XmlBlocks::place`]).
///
/// A record's frame alone in its row left a third of the catalogue's pages empty: rows of some
/// 2.5 KB (the frame and the other columns) on 4 KB pages, one to a page where two do not fit.
/// Frames written together fill whole pages (SQLite keeps a large value on pages of its own,
/// filled to the last byte but one page's head), and each frame is still compressed alone, so a
/// record is read back with one frame's worth of decompression. A frame is never moved or
/// freed: a revision keeps its place (`revisions.raw_xml` is copied from the record's row, the
/// place included), and the new version's frame goes to a new block.
#[derive(Debug, Default)]
pub struct XmlBlocks {
    /// The id of the block being filled (the next one after the catalogue's last, found when
    /// the first frame is placed).
    block: Option<i64>,
    frames: Vec<u8>,
}

impl XmlBlocks {
    /// Bytes of frames a block holds (a frame larger than this has a block of its own).
    pub const BLOCK_BYTES: usize = 64 << 10;

    /// Adds `frame` (a record's compressed XML) to the block being filled and returns what the
    /// record's row holds instead (an empty frame, a tombstone's, stays empty). The block is
    /// written when full and by [`XmlBlocks::write`], which the transaction must call before
    /// it commits (and before a frame placed is read again).
    pub fn place(&mut self, tx: &Connection, frame: &[u8]) -> Result<Vec<u8>, StoreError> {
        if frame.is_empty() {
            return Ok(Vec::new());
        }
        if !self.frames.is_empty() && self.frames.len() + frame.len() > Self::BLOCK_BYTES {
            self.write(tx)?;
        }
        let block = match self.block {
            Some(block) => block,
            None => {
                let last: i64 =
                    tx.query_row("SELECT coalesce(max(id), 0) FROM xml_blocks", [], |r| {
                        r.get(0)
                    })?;
                *self.block.insert(last + 1)
            }
        };
        let mut place = vec![IN_A_BLOCK];
        for n in [block as u64, self.frames.len() as u64, frame.len() as u64] {
            push_varint(&mut place, n);
        }
        self.frames.extend_from_slice(frame);
        Ok(place)
    }

    /// Writes the block being filled, if it holds any frame; the next frame starts another.
    pub fn write(&mut self, tx: &Connection) -> Result<(), StoreError> {
        if let Some(block) = self.block
            && !self.frames.is_empty()
        {
            tx.prepare_cached("INSERT INTO xml_blocks (id, frames) VALUES (?1, ?2)")?
                .execute(params![block, self.frames])?;
            self.frames.clear();
            self.block = Some(block + 1);
        }
        Ok(())
    }
}

fn push_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        n |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Some(n);
        }
    }
    None
}

/// The compressed frame of record `pmid` as `stored` in its row: the frame itself, or read from
/// the block the row names.
pub fn stored_frame<'a>(
    conn: &Connection,
    pmid: Pmid,
    stored: &'a [u8],
) -> Result<std::borrow::Cow<'a, [u8]>, StoreError> {
    let Some((&IN_A_BLOCK, mut place)) = stored.split_first() else {
        return Ok(std::borrow::Cow::Borrowed(stored));
    };
    let damaged = |reason: String| StoreError::Damaged { pmid, reason };
    let (Some(block), Some(offset), Some(length), true) = (
        read_varint(&mut place),
        read_varint(&mut place),
        read_varint(&mut place),
        place.is_empty(),
    ) else {
        return Err(damaged("its row names no valid place for its XML".into()));
    };
    // (Read through SQLite's blob handle, which reads only the pages the frame is on: a query
    // of the column would read the whole block for each record.)
    let blob = match conn.blob_open(
        rusqlite::MAIN_DB,
        c"xml_blocks",
        c"frames",
        block as i64,
        true,
    ) {
        Ok(blob) => blob,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::Unknown) => {
            return Err(damaged(format!(
                "its XML is in block {block}, which the catalogue does not hold"
            )));
        }
        Err(e) => return Err(e.into()),
    };
    // (No frame of a record is larger than the largest record compressed: a length that says
    // more is damage, not an allocation to make.)
    let most = zstd_safe::compress_bound(MAX_RECORD_BYTES) as u64;
    let mut frame = vec![0; length.min(most) as usize];
    match offset.checked_add(length) {
        Some(end) if end <= blob.len() as u64 && frame.len() as u64 == length => {
            blob.read_at_exact(&mut frame, offset as usize)?;
        }
        _ => {
            return Err(damaged(format!(
                "its XML is not where its row says (block {block}, bytes {offset}+{length})"
            )));
        }
    }
    if frame.first() == Some(&IN_A_BLOCK) {
        return Err(damaged(format!(
            "its XML is not where its row says (block {block}, bytes {offset}+{length})"
        )));
    }
    Ok(std::borrow::Cow::Owned(frame))
}

/// Inverse of [`compress_xml`] for record `pmid` of the catalogue open on `conn` (whose
/// dictionaries, and blocks of frames, it reads), given what its row holds.
pub fn decompress_xml(conn: &Connection, pmid: Pmid, stored: &[u8]) -> Result<Vec<u8>, StoreError> {
    if stored.is_empty() {
        return Ok(Vec::new());
    }
    let stored = &*stored_frame(conn, pmid, stored)?;
    let damaged = |reason: String| StoreError::Damaged { pmid, reason };
    let dictionary = match zstd_safe::get_dict_id_from_frame(stored) {
        None => None,
        Some(id) => Some(decoder(conn, id.get())?.ok_or_else(|| {
            damaged(format!(
                "its XML was compressed with dictionary {id}, which the catalogue does not hold"
            ))
        })?),
    };
    let size = match zstd_safe::get_frame_content_size(stored) {
        // A record is at most the reader's limit: a frame that says more is damaged.
        Ok(Some(size)) if size <= MAX_RECORD_BYTES as u64 => size as usize,
        // (A frame written by a stream encoder need not say its size.)
        Ok(None) if dictionary.is_none() => {
            return zstd::stream::decode_all(stored).map_err(|e| damaged(e.to_string()));
        }
        _ => return Err(damaged("its compressed XML has no valid size".into())),
    };
    thread_local! {
        // One context per thread, as for compressing: creating one per record (for the frames
        // without a dictionary) took 3% of applying revisions to a small catalogue.
        static CONTEXT: RefCell<zstd_safe::DCtx<'static>> = RefCell::new(zstd_safe::DCtx::create());
    }
    CONTEXT.with(|context| {
        let mut out = Vec::with_capacity(size);
        let mut context = context.borrow_mut();
        match &dictionary {
            Some(d) => context.decompress_using_ddict(&mut out, stored, d.as_ddict()),
            None => context.decompress(&mut out, stored),
        }
        .map_err(|code| damaged(zstd_safe::get_error_name(code).to_string()))?;
        Ok(out)
    })
}

/// The decoder of dictionary `id` of the catalogue open on `conn`, kept for the process (by
/// catalogue file and id: a dictionary never changes once stored).
fn decoder(
    conn: &Connection,
    id: u32,
) -> Result<Option<Arc<DecoderDictionary<'static>>>, StoreError> {
    type Decoders = Mutex<HashMap<(String, u32), Arc<DecoderDictionary<'static>>>>;
    static DECODERS: OnceLock<Decoders> = OnceLock::new();
    let key = (conn.path().unwrap_or_default().to_string(), id);
    let decoders = DECODERS.get_or_init(Default::default);
    if let Some(found) = decoders.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Ok(Some(found.clone()));
    }
    let Some(bytes) = dictionary_bytes(conn, id)? else {
        return Ok(None);
    };
    let decoder = Arc::new(DecoderDictionary::copy(&bytes));
    decoders
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, decoder.clone());
    Ok(Some(decoder))
}

fn dictionary_bytes(conn: &Connection, id: u32) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT dictionary FROM xml_dictionaries WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The dictionary the catalogue compresses new records with (the latest trained), if any.
pub fn current_dictionary(conn: &Connection) -> Result<Option<Arc<XmlDictionary>>, StoreError> {
    let row: Option<(u32, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT id, dictionary FROM xml_dictionaries ORDER BY trained_at DESC, id DESC LIMIT 1",
        )?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row.map(|(id, bytes)| Arc::new(XmlDictionary::new(id, &bytes))))
}

/// A dictionary [`train_dictionary`] trained and stored.
#[derive(Debug, Clone)]
pub struct TrainedDictionary {
    /// Its zstd id.
    pub id: u32,
    /// Its size in bytes.
    pub bytes: usize,
    /// Records it was trained on.
    pub samples: usize,
    /// Seconds the training took.
    pub seconds: f64,
}

/// Trains the catalogue's dictionary when it has none and holds at least `train_at` records
/// (see [`TRAIN_AT_RECORDS`]), from up to 2,000 of its records spread over its PMIDs, and stores
/// it in its own transaction. `None` when nothing was due (or the sample was too small or too
/// uniform for zstd to make a dictionary of: the catalogue goes on without one).
pub fn train_dictionary(
    store: &mut Store,
    train_at: u64,
) -> Result<Option<TrainedDictionary>, StoreError> {
    if current_dictionary(store.conn())?.is_some()
        || super::counts::records_counted(store)? < train_at
    {
        return Ok(None);
    }
    let started = std::time::Instant::now();
    let samples = sample_records(store.conn(), SAMPLES)?;
    // zstd needs a sample of some size to learn from (and fails on too few records).
    if samples.len() < 100 {
        return Ok(None);
    }
    let Ok(bytes) = zstd::dict::from_samples(&samples, DICTIONARY_BYTES) else {
        return Ok(None);
    };
    let Some(id) = zstd_safe::get_dict_id_from_dict(&bytes) else {
        return Ok(None);
    };
    let tx = store.write_transaction()?;
    // (Another process may have trained one meanwhile: then that one is used.)
    let held: i64 = tx
        .conn()
        .query_row("SELECT count(*) FROM xml_dictionaries", [], |r| r.get(0))?;
    if held > 0 {
        return Ok(None);
    }
    tx.conn().execute(
        "INSERT INTO xml_dictionaries (id, dictionary, samples, trained_at) VALUES (?1, ?2, ?3, ?4)",
        params![id.get(), bytes, samples.len(), now_rfc3339()],
    )?;
    tx.commit()?;
    Ok(Some(TrainedDictionary {
        id: id.get(),
        bytes: bytes.len(),
        samples: samples.len(),
        seconds: started.elapsed().as_secs_f64(),
    }))
}

/// The original XML of up to `n` records with data, spread evenly over the catalogue's PMIDs
/// (the same records every time for the same catalogue).
fn sample_records(conn: &Connection, n: usize) -> Result<Vec<Vec<u8>>, StoreError> {
    let (first, last): (Option<i64>, Option<i64>) =
        conn.query_row("SELECT min(pmid), max(pmid) FROM articles", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT pmid, raw_xml FROM articles WHERE pmid >= ?1 AND length(raw_xml) > 0
          ORDER BY pmid LIMIT 1",
    )?;
    let mut samples = Vec::with_capacity(n);
    let mut previous = None;
    let span = (last - first) as i128;
    for i in 0..n as i128 {
        // (Past the one taken before: PMIDs that crowd together give as many records.)
        let from = (first + (span * i / n as i128) as i64).max(previous.map_or(first, |p| p + 1));
        let Some((pmid, stored)) = stmt
            .query_row([from], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional()?
        else {
            break;
        };
        previous = Some(pmid);
        samples.push(decompress_xml(conn, pmid as Pmid, &stored)?);
    }
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::articles::{load_article, raw_xml};
    use crate::store::import::import_stream;

    /// The fixture's twelve records `copies` times, each copy with PMIDs of its own.
    fn records(first_copy: usize, copies: usize) -> String {
        let fixture = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/ozone-back-pain.xml"),
        )
        .unwrap();
        let body = &fixture[fixture.find("<PubmedArticle>").unwrap()
            ..fixture.rfind("</PubmedArticle>").unwrap() + "</PubmedArticle>".len()];
        let mut xml = String::from("<PubmedArticleSet>\n");
        for copy in first_copy..first_copy + copies {
            xml.push_str(&body.replace(
                "<PMID Version=\"1\">",
                &format!("<PMID Version=\"1\">{}", copy + 1),
            ));
        }
        xml.push_str("</PubmedArticleSet>\n");
        xml
    }

    fn stored_blobs(store: &Store) -> Vec<(i64, Vec<u8>)> {
        store
            .conn()
            .prepare("SELECT pmid, raw_xml FROM articles ORDER BY pmid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    /// A catalogue trains its dictionary once it holds enough records; records stored after
    /// are compressed with it (smaller), those stored before keep their plain frames, and both
    /// read back exactly as parsed. A frame naming a dictionary the catalogue lacks is damage.
    #[test]
    fn records_stored_after_the_dictionary_use_it_and_all_read_back_as_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        let before = records(0, 12);
        import_stream(&mut store, before.as_bytes(), "before", None, &mut |_| {}).unwrap();
        // Not due below the threshold; due above it.
        assert!(train_dictionary(&mut store, 1_000).unwrap().is_none());
        let trained = train_dictionary(&mut store, 100).unwrap().expect("trained");
        assert_eq!(trained.samples, 144);
        assert!(trained.bytes > 1_000, "{trained:?}");
        assert_eq!(
            current_dictionary(store.conn()).unwrap().unwrap().id(),
            trained.id
        );
        // Once only.
        assert!(train_dictionary(&mut store, 100).unwrap().is_none());

        let after = records(12, 12);
        import_stream(&mut store, after.as_bytes(), "after", None, &mut |_| {}).unwrap();
        let blobs = stored_blobs(&store);
        assert_eq!(blobs.len(), 288);
        let (mut with, mut plain, mut alone) = (0, 0, 0);
        for (pmid, blob) in &blobs {
            let pmid = *pmid as Pmid;
            let frame = stored_frame(store.conn(), pmid, blob).unwrap();
            let named = zstd_safe::get_dict_id_from_frame(&frame).map(|id| id.get());
            let raw = raw_xml(&store, pmid).unwrap().unwrap();
            if named == Some(trained.id) {
                with += frame.len();
                alone += compress_xml(&raw, None).len();
            } else {
                assert_eq!(named, None);
                plain += 1;
            }
            let mut parsed = match crate::pubmed::PubmedReader::new(&raw[..]).next_item() {
                Ok(Some(crate::pubmed::PubmedItem::Article(a))) => a,
                other => panic!("{pmid}: {other:?}"),
            };
            parsed.raw_xml.clear();
            assert_eq!(
                load_article(&store, pmid).unwrap().unwrap().article,
                *parsed
            );
        }
        assert_eq!(
            plain, 144,
            "the records stored before keep their plain frames"
        );
        assert!(
            with * 10 < alone * 9,
            "with the dictionary {with} bytes, alone {alone}"
        );

        // Another catalogue does not hold this dictionary: its frames are damage there.
        let other = Store::open(&dir.path().join("other.sqlite")).unwrap();
        let (pmid, blob) = blobs.last().unwrap();
        let frame = stored_frame(store.conn(), *pmid as Pmid, blob).unwrap();
        let error = decompress_xml(other.conn(), *pmid as Pmid, &frame).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&format!("dictionary {}", trained.id)),
            "{error}"
        );
    }

    /// The frames one import stores fill blocks of at most `BLOCK_BYTES` (a larger frame has a
    /// block of its own), each row names its frame's place, and every record reads back as
    /// parsed; a revision keeps the place of the frame it replaced; a place the catalogue does
    /// not hold is damage, named by PMID.
    #[test]
    fn frames_fill_blocks_and_a_revision_keeps_the_place_of_what_it_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("c.sqlite")).unwrap();
        // One record far larger than a block (its abstract repeated), among 120 ordinary ones.
        let mut xml = records(0, 10);
        let mut seed = 12345u64;
        let large_text: String = (0..40_000)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                format!("{} ", seed >> 40)
            })
            .collect();
        xml = xml.replacen(
            "<AbstractText",
            &format!("<AbstractText>{large_text}</AbstractText><AbstractText"),
            1,
        );
        assert!(
            zstd::bulk::compress(large_text.as_bytes(), 1)
                .unwrap()
                .len()
                > XmlBlocks::BLOCK_BYTES
        );
        import_stream(&mut store, xml.as_bytes(), "first", None, &mut |_| {}).unwrap();
        let blocks: Vec<(i64, usize)> = store
            .conn()
            .prepare("SELECT id, length(frames) FROM xml_blocks ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let blobs = stored_blobs(&store);
        assert_eq!(blobs.len(), 120);
        let framed: usize = blobs
            .iter()
            .map(|(pmid, blob)| {
                assert_eq!(blob[0], IN_A_BLOCK, "{pmid}");
                stored_frame(store.conn(), *pmid as Pmid, blob)
                    .unwrap()
                    .len()
            })
            .sum();
        assert_eq!(blocks.iter().map(|b| b.1).sum::<usize>(), framed);
        let larger: Vec<_> = blocks
            .iter()
            .filter(|b| b.1 > XmlBlocks::BLOCK_BYTES)
            .collect();
        assert_eq!(larger.len(), 1, "{blocks:?}");
        assert!(blocks.len() >= 3, "{blocks:?}");
        for (pmid, _) in &blobs {
            let raw = raw_xml(&store, *pmid as Pmid).unwrap().unwrap();
            let mut parsed = match crate::pubmed::PubmedReader::new(&raw[..]).next_item() {
                Ok(Some(crate::pubmed::PubmedItem::Article(a))) => a,
                other => panic!("{pmid}: {other:?}"),
            };
            assert_eq!(parsed.pmid, *pmid as Pmid);
            parsed.raw_xml.clear();
            assert_eq!(
                load_article(&store, *pmid as Pmid)
                    .unwrap()
                    .unwrap()
                    .article,
                *parsed
            );
        }

        // A revision of the first record: its new frame goes to a new block, and the revision
        // row keeps the place of the old one.
        let (first, old_blob) = blobs[0].clone();
        let old_xml = raw_xml(&store, first as Pmid).unwrap().unwrap();
        let old_text = String::from_utf8(old_xml.clone()).unwrap();
        let revised = old_text.replacen("<ArticleTitle>", "<ArticleTitle>Revised: ", 1);
        let file = format!("<PubmedArticleSet>{revised}</PubmedArticleSet>");
        let counts = import_stream(&mut store, file.as_bytes(), "second", None, &mut |_| {});
        assert_eq!(counts.unwrap().updated, 1);
        let kept: Vec<u8> = store
            .conn()
            .query_row(
                "SELECT raw_xml FROM revisions WHERE pmid = ?1",
                [first],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, old_blob);
        assert_eq!(
            decompress_xml(store.conn(), first as Pmid, &kept).unwrap(),
            old_xml
        );
        let new_xml = raw_xml(&store, first as Pmid).unwrap().unwrap();
        assert_eq!(String::from_utf8(new_xml).unwrap(), revised);
        let last_block: i64 = store
            .conn()
            .query_row("SELECT max(id) FROM xml_blocks", [], |r| r.get(0))
            .unwrap();
        assert_eq!(last_block, blocks.last().unwrap().0 + 1);

        // Places that do not hold a frame.
        let pmid = first as Pmid;
        let missing = [IN_A_BLOCK, 0x7f, 0, 10];
        let error = decompress_xml(store.conn(), pmid, &missing).unwrap_err();
        assert!(
            error.to_string().contains(&format!("PMID {pmid}"))
                && error.to_string().contains("block 127"),
            "{error}"
        );
        let past_the_end = [IN_A_BLOCK, 1, 0xff, 0xff, 0x7f, 10];
        let error = decompress_xml(store.conn(), pmid, &past_the_end).unwrap_err();
        assert!(
            error.to_string().contains("not where its row says"),
            "{error}"
        );
        let cut_short = [IN_A_BLOCK, 1, 0x80];
        let error = decompress_xml(store.conn(), pmid, &cut_short).unwrap_err();
        assert!(error.to_string().contains("no valid place"), "{error}");
    }
}
