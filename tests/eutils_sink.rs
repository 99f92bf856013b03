//! The E-utilities client hands each efetch body to the caller's sink inside its retry loop:
//! a body that breaks off half way is fetched again and given to the sink again, while the
//! sink's own fatal error ends the request at once. Tested against the local E-utilities server
//! (tests/support/eutils_server.rs) with a sink that only reads the body.

mod support;

use std::cell::RefCell;
use std::io::Read;
use std::time::Duration;

use evcat::pubmed::api_key::ApiKey;
use evcat::pubmed::eutils::{
    ClientOptions, EfetchError, EutilsClient, EutilsError, FetchTarget, RetryCause, SinkError,
};
use support::eutils_server::{EutilsServer, Fault, RequestLog, records_from_fixtures};

const FIRST_PMID: u64 = 30_000_000;
/// Records per batch: enough that half a body is well past the 4 KiB the client reads itself
/// (to spot an `<ERROR>` body) before handing the body to the sink.
const BATCH: u64 = 40;

/// A client with fast retries; the key raises its rate limit to 10/s, keeping the tests quick.
fn client_for(server: &EutilsServer, max_retries: u32) -> EutilsClient {
    EutilsClient::new(ClientOptions {
        base_url: server.base_url(),
        email: Some("tester@example.org".into()),
        api_key: Some(ApiKey::new("sink-test-key")),
        max_retries,
        retry_base: Duration::from_millis(5),
        retry_max: Duration::from_millis(20),
        timeout: Duration::from_secs(20),
    })
    .expect("client")
}

fn efetches(server: &EutilsServer) -> Vec<RequestLog> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.endpoint == "efetch")
        .collect()
}

/// What a sink saw of one body: complete XML, or where it failed.
#[derive(Debug, PartialEq)]
enum Seen {
    Complete,
    BrokeOff,
    Incomplete,
}

/// A sink that reads the whole body and accepts it only when it is a complete
/// `<PubmedArticleSet>`, logging what it saw.
fn reading_sink(
    seen: &RefCell<Vec<Seen>>,
) -> impl FnMut(&mut (dyn Read + Send)) -> Result<String, SinkError<std::io::Error>> + '_ {
    move |body| {
        let mut text = String::new();
        if let Err(e) = body.read_to_string(&mut text) {
            seen.borrow_mut().push(Seen::BrokeOff);
            return Err(SinkError::BrokeOff(format!("the response broke off: {e}")));
        }
        if !text.trim_end().ends_with("</PubmedArticleSet>") {
            seen.borrow_mut().push(Seen::Incomplete);
            return Err(SinkError::Malformed("incomplete XML".into()));
        }
        seen.borrow_mut().push(Seen::Complete);
        Ok(text)
    }
}

#[test]
fn a_body_that_breaks_off_half_way_is_fetched_again_and_sunk_again() {
    let server = EutilsServer::start(records_from_fixtures(BATCH as usize, FIRST_PMID));
    server.push_fault("efetch", Fault::Truncate);
    let client = client_for(&server, 3);
    let ids: Vec<u64> = (FIRST_PMID..FIRST_PMID + BATCH).collect();
    let seen = RefCell::new(Vec::new());
    let body = client
        .efetch(FetchTarget::Ids(&ids), reading_sink(&seen))
        .expect("the second attempt succeeds");
    let seen = seen.into_inner();
    assert_eq!(seen.len(), 2, "the sink got both bodies: {seen:?}");
    assert_ne!(
        seen[0],
        Seen::Complete,
        "the sink saw the first body break off"
    );
    assert_eq!(seen[1], Seen::Complete);
    for id in ids {
        assert!(
            body.contains(&format!(">{id}</PMID>")),
            "PMID {id} in {body}"
        );
    }
    assert_eq!(efetches(&server).len(), 2);
    assert_eq!(client.retries(), 1);
}

#[test]
fn a_fatal_sink_error_is_not_retried() {
    let server = EutilsServer::start(records_from_fixtures(2, FIRST_PMID));
    let client = client_for(&server, 3);
    let mut calls = 0;
    let result = client.efetch(FetchTarget::Ids(&[FIRST_PMID]), |body| {
        calls += 1;
        let mut head = [0u8; 16];
        body.read_exact(&mut head).expect("a body");
        Err::<(), _>(SinkError::Fatal(std::io::Error::other("disk full")))
    });
    match result {
        Err(EfetchError::Sink(e)) => assert_eq!(e.to_string(), "disk full"),
        other => panic!("expected the sink's error, got {other:?}"),
    }
    assert_eq!(calls, 1);
    assert_eq!(efetches(&server).len(), 1, "no second request");
    assert_eq!(client.retries(), 0);
}

#[test]
fn a_body_that_is_never_complete_gives_up_after_the_retries() {
    let server = EutilsServer::start(records_from_fixtures(BATCH as usize, FIRST_PMID));
    for _ in 0..3 {
        server.push_fault("efetch", Fault::Truncate);
    }
    let client = client_for(&server, 2);
    let ids: Vec<u64> = (FIRST_PMID..FIRST_PMID + BATCH).collect();
    let seen = RefCell::new(Vec::new());
    let result = client.efetch(FetchTarget::Ids(&ids), reading_sink(&seen));
    match result {
        Err(EfetchError::Eutils(EutilsError::GaveUp {
            attempts, cause, ..
        })) => {
            assert_eq!(attempts, 3);
            assert!(
                matches!(cause, RetryCause::Transport | RetryCause::BadResponse),
                "{cause:?}"
            );
        }
        other => panic!("expected the client to give up, got {other:?}"),
    }
    assert_eq!(seen.borrow().len(), 3, "one sink call per attempt");
    assert!(!seen.borrow().contains(&Seen::Complete));
    assert_eq!(efetches(&server).len(), 3);
}
