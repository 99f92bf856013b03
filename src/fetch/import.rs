//! Storing what efetch returns: the sink [`crate::fetch`] hands to
//! [`EutilsClient::efetch`](crate::pubmed::eutils::EutilsClient::efetch). Each response body is
//! parsed as it streams in, tagged, and stored by the catalogue importer in one transaction, so
//! a body that breaks off half way leaves nothing behind and the client fetches it again.

use std::io::Read;

use crate::pubmed::ParseErrorKind;
use crate::pubmed::eutils::SinkError;
use crate::store::Store;
use crate::store::import::{ImportCounts, ImportError, import_stream};
use crate::tagging::Matcher;

/// Where fetched records go: the catalogue, tagged on the way in.
pub struct Importer<'a> {
    /// The catalogue.
    pub store: &'a mut Store,
    /// The taxonomy every stored record is tagged with (`None`: not tagged).
    pub tagger: Option<&'a Matcher>,
}

impl Importer<'_> {
    /// Stores one efetch response body in one transaction, recording `source` as where the
    /// records came from. Returns what the batch did to the catalogue (with the PMIDs it held).
    ///
    /// A body that broke off, is not complete PubMed XML or carries an NCBI `<ERROR>` is the
    /// response's fault (the client fetches it again); a failed write is fatal.
    pub fn import_body(
        &mut self,
        body: &mut (dyn Read + Send),
        source: &str,
    ) -> Result<ImportCounts, SinkError<ImportError>> {
        match import_stream(self.store, body, source, self.tagger, &mut |_| {}) {
            Ok(counts) => Ok(counts),
            Err(ImportError::Parse(e)) => Err(match e.kind {
                ParseErrorKind::ServiceError(message) => SinkError::Service(message),
                ParseErrorKind::Io(io) => {
                    SinkError::BrokeOff(format!("the response broke off: {io}"))
                }
                _ => SinkError::Malformed(format!("the response is not complete PubMed XML: {e}")),
            }),
            Err(store_error) => Err(SinkError::Fatal(store_error)),
        }
    }
}
