//! Arbitrary text through the query language: `fts_query` compiles it, then the search runs it
//! against a small in-memory catalogue so that SQLite's FTS5 parses the result. A query may be
//! refused with a `QueryError` (a message for the user); any SQL or FTS5 error is a bug in the
//! compiler.
#![no_main]

use std::cell::RefCell;

use evcat::store::Store;
use evcat::store::import::import_stream;
use evcat::store::search::{FindError, FindFilters, find, fts_query};
use libfuzzer_sys::fuzz_target;

const RECORDS: &[u8] = include_bytes!("../../fixtures/markup-nested.xml");

thread_local! {
    static STORE: RefCell<Store> = RefCell::new({
        let mut store = Store::open_in_memory().expect("in-memory catalogue");
        import_stream(&mut store, RECORDS, "fuzz", None, &mut |_| {}).expect("fixture imports");
        store
    });
}

fuzz_target!(|query: &str| {
    let compiled = fts_query(query);
    STORE.with(
        |store| match find(&store.borrow(), query, &FindFilters::default(), 5) {
            Ok(_) | Err(FindError::Query(_)) => {}
            Err(e) => panic!("query {query:?} compiled to {compiled:?}, which SQLite refused: {e}"),
        },
    );
});
