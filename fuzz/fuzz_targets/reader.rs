//! Arbitrary bytes, plain or gzip, through the PubMed XML reader: it must return records or an
//! error, never panic, hang or use unbounded memory. Records that come out must respect what the
//! reader promises (PMIDs in range, no character XML forbids, each record within the limit).
#![no_main]

use evcat::pubmed::input::decompressed;
use evcat::pubmed::reader::{MAX_PMID, MAX_RECORD_BYTES, is_xml_char};
use evcat::pubmed::{PubmedItem, PubmedReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The opener sniffs gzip from the content, as `evcat import` does.
    let Ok((input, _gzip)) = decompressed(std::io::Cursor::new(data.to_vec())) else {
        return;
    };
    let mut reader = PubmedReader::new(input);
    while let Ok(Some(item)) = reader.next_item() {
        match item {
            PubmedItem::Article(a) => {
                assert!((1..=MAX_PMID).contains(&a.pmid), "PMID {}", a.pmid);
                assert!(a.raw_xml.len() <= MAX_RECORD_BYTES);
                assert!(a.title.text.chars().all(is_xml_char), "{:?}", a.title.text);
                for link in &a.comments_corrections {
                    assert!(link.pmid.is_none_or(|p| (1..=MAX_PMID).contains(&p)));
                }
            }
            PubmedItem::Deletion(pmids) => {
                assert!(
                    pmids.iter().all(|p| (1..=MAX_PMID).contains(p)),
                    "{pmids:?}"
                );
            }
        }
    }
});
