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

/// Inverse of [`compress_xml`] for record `pmid` of the catalogue open on `conn` (whose
/// dictionaries it reads).
pub fn decompress_xml(conn: &Connection, pmid: Pmid, stored: &[u8]) -> Result<Vec<u8>, StoreError> {
    if stored.is_empty() {
        return Ok(Vec::new());
    }
    let damaged = |reason: String| StoreError::Damaged { pmid, reason };
    let Some(id) = zstd_safe::get_dict_id_from_frame(stored) else {
        return zstd::stream::decode_all(stored).map_err(|e| damaged(e.to_string()));
    };
    let dictionary = decoder(conn, id.get())?.ok_or_else(|| {
        damaged(format!(
            "its XML was compressed with dictionary {id}, which the catalogue does not hold"
        ))
    })?;
    let size = match zstd_safe::get_frame_content_size(stored) {
        // A record is at most the reader's limit: a frame that says more is damaged.
        Ok(Some(size)) if size <= MAX_RECORD_BYTES as u64 => size as usize,
        _ => return Err(damaged("its compressed XML has no valid size".into())),
    };
    thread_local! {
        static CONTEXT: RefCell<zstd_safe::DCtx<'static>> = RefCell::new(zstd_safe::DCtx::create());
    }
    CONTEXT.with(|context| {
        let mut out = Vec::with_capacity(size);
        context
            .borrow_mut()
            .decompress_using_ddict(&mut out, stored, dictionary.as_ddict())
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
            let named = zstd_safe::get_dict_id_from_frame(blob).map(|id| id.get());
            let raw = raw_xml(&store, pmid).unwrap().unwrap();
            if named == Some(trained.id) {
                with += blob.len();
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
        let error = decompress_xml(other.conn(), *pmid as Pmid, blob).unwrap_err();
        assert!(
            error
                .to_string()
                .contains(&format!("dictionary {}", trained.id)),
            "{error}"
        );
    }
}
