//! Self-test of the fake E-utilities server (`tests/support/eutils_server.rs`), with raw HTTP/1.1
//! over `std::net::TcpStream`.

#[path = "support/eutils_server.rs"]
mod eutils_server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use eutils_server::{
    EFETCH_EMPTY_ID_ERROR, EFETCH_RETSTART_ERROR, ESEARCH_RETSTART_ERROR, EutilsServer, Fault,
    ServerRecord, records_from_fixtures, with_pmid,
};

const FIRST: u64 = 30_000_000;
const N: usize = 12_000;

/// The shared read-only server: 12,000 records, PMIDs 30000000..30011999 (no faults queued).
fn big() -> &'static EutilsServer {
    static SERVER: OnceLock<EutilsServer> = OnceLock::new();
    SERVER.get_or_init(|| EutilsServer::start(records_from_fixtures(N, FIRST)))
}

/// A raw HTTP response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    /// The body bytes actually received (still compressed if gzipped).
    raw: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn content_length(&self) -> usize {
        self.header("content-length").unwrap().parse().unwrap()
    }

    /// The body, gunzipped if `Content-Encoding: gzip`.
    fn text(&self) -> String {
        assert_eq!(self.raw.len(), self.content_length(), "complete body");
        if self.header("content-encoding") == Some("gzip") {
            let mut out = String::new();
            flate2::read::GzDecoder::new(&self.raw[..])
                .read_to_string(&mut out)
                .unwrap();
            out
        } else {
            String::from_utf8(self.raw.clone()).unwrap()
        }
    }
}

/// Sends one request; `None` if the server closed the connection without a response.
fn send(
    server: &EutilsServer,
    method: &str,
    path_and_query: &str,
    body: &str,
    gzip: bool,
) -> Option<Reply> {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut req = format!(
        "{method} /entrez/eutils/{path_and_query} HTTP/1.1\r\nHost: {}\r\n",
        server.addr()
    );
    if gzip {
        req.push_str("Accept-Encoding: gzip, deflate\r\n");
    }
    if method == "POST" {
        req.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    req.push_str("\r\n");
    req.push_str(body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut all = Vec::new();
    let _ = stream.read_to_end(&mut all);
    if all.is_empty() {
        return None;
    }
    let split = all
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8(all[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.trim().to_string(), v.trim().to_string())
        })
        .collect();
    Some(Reply {
        status,
        headers,
        raw: all[split + 4..].to_vec(),
    })
}

fn get(server: &EutilsServer, path_and_query: &str) -> Reply {
    send(server, "GET", path_and_query, "", false).expect("a response")
}

/// Text of the first `<tag>` element.
fn element<'a>(xml: &'a str, tag: &str) -> Option<&'a str> {
    let start = xml.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

fn count(xml: &str) -> usize {
    element(xml, "Count").expect("Count").parse().unwrap()
}

fn ids(xml: &str) -> Vec<u64> {
    xml.match_indices("<Id>")
        .map(|(i, _)| xml[i + 4..].split('<').next().unwrap().parse().unwrap())
        .collect()
}

/// The `MedlineCitation/PMID` of every article of an efetch body.
fn fetched_pmids(xml: &str) -> Vec<u64> {
    xml.split("<PubmedArticle>")
        .skip(1)
        .map(|a| {
            let pmid = &a[a.find("<PMID").unwrap()..];
            pmid[pmid.find('>').unwrap() + 1..pmid.find("</PMID>").unwrap()]
                .parse()
                .unwrap()
        })
        .collect()
}

#[test]
fn esearch_counts_caps_and_errors() {
    let s = big();
    let r = get(s, "esearch.fcgi?db=pubmed&term=all");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/xml"));
    assert_eq!(r.header("connection"), Some("close"));
    let body = r.text();
    assert!(body.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eSearchResult PUBLIC"
    ));
    assert_eq!(count(&body), N);
    assert_eq!(element(&body, "RetMax"), Some("20"));
    assert!(!body.contains("<WebEnv>"));
    let first = ids(&body);
    assert_eq!(first.len(), 20);
    assert_eq!(first[0], FIRST + N as u64 - 1, "PMID descending");
    assert!(first.windows(2).all(|w| w[0] > w[1]));

    let body = get(s, "esearch.fcgi?db=pubmed&term=all&retmax=10000").text();
    assert_eq!(count(&body), N);
    assert_eq!(ids(&body).len(), 9999);
    assert_eq!(element(&body, "RetMax"), Some("9999"));

    let body = get(s, "esearch.fcgi?db=pubmed&term=*&retstart=9990&retmax=100").text();
    assert_eq!(ids(&body).len(), 9, "clamped to the first 9,999 results");
    assert_eq!(count(&body), N);

    let body = get(s, "esearch.fcgi?db=pubmed&term=all&retstart=9999&retmax=10").text();
    assert_eq!(element(&body, "ERROR"), Some(ESEARCH_RETSTART_ERROR));
    assert!(!body.contains("<Count>"));

    let body = get(s, "esearch.fcgi?db=pmc&term=all").text();
    assert_eq!(
        element(&body, "ERROR"),
        Some("Invalid db name specified: pmc")
    );
}

#[test]
fn esearch_uid_ranges_words_and_dates() {
    let s = big();
    let body = get(
        s,
        "esearch.fcgi?db=pubmed&term=all+AND+30000000%3A30005999%5Buid%5D&retmax=0",
    )
    .text();
    assert_eq!(count(&body), 6000);
    assert!(body.contains("<IdList/>"));
    assert!(
        body.contains("<QueryTranslation>all[sb] AND 30000000:30005999[UID]</QueryTranslation>")
    );

    // POST, parenthesised base query, upper-case UID, spaces around the colon.
    let r = send(
        s,
        "POST",
        "esearch.fcgi",
        "db=pubmed&term=(all)%20AND%2030000010%20:%2030000019[UID]&retmax=3",
        false,
    )
    .unwrap();
    let body = r.text();
    assert_eq!(count(&body), 10);
    assert_eq!(ids(&body), vec![30000019, 30000018, 30000017]);

    // Words: every word must occur (case-insensitively) in the record.
    let records = records_from_fixtures(N, FIRST);
    let expect = records
        .iter()
        .filter(|r| r.xml.to_lowercase().contains("ozone"))
        .count();
    assert!(expect > 0 && expect < N);
    let body = get(s, "esearch.fcgi?db=pubmed&term=OZONE").text();
    assert_eq!(count(&body), expect);
    let body = get(
        s,
        "esearch.fcgi?db=pubmed&term=%28ozone+disc%29+AND+30000000%3A30000999%5Buid%5D",
    )
    .text();
    let expect2 = records[..1000]
        .iter()
        .filter(|r| r.xml.to_lowercase().contains("ozone") && r.xml.to_lowercase().contains("disc"))
        .count();
    assert_eq!(count(&body), expect2);

    // No match.
    let body = get(s, "esearch.fcgi?db=pubmed&term=ozone+zzqqxxnotaword").text();
    assert_eq!(count(&body), 0);
    assert!(body.contains("<RetMax>0</RetMax><RetStart>0</RetStart><IdList/>"));
    assert!(
        body.contains("<ErrorList><PhraseNotFound>zzqqxxnotaword</PhraseNotFound></ErrorList>")
    );
    assert!(
        body.contains("<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>")
    );

    // Dates: records get 2000-01-01 .. 2026-10-31, rising with the PMID.
    assert_eq!(records[0].edat, (2000, 1, 1));
    assert_eq!(records[N - 1].edat, (2026, 10, 31));
    let in_2010 = records.iter().filter(|r| r.edat.0 == 2010).count();
    assert!(in_2010 > 0);
    for q in [
        "mindate=2010&maxdate=2010",
        "mindate=2010/01&maxdate=2010/12",
        "mindate=2010/01/01&maxdate=2010/12/31&datetype=pdat",
        "mindate=2010/01/01&maxdate=2010/12/31&datetype=mdat",
    ] {
        let body = get(s, &format!("esearch.fcgi?db=pubmed&term=all&{q}")).text();
        assert_eq!(count(&body), in_2010, "{q}");
    }
    let body = get(
        s,
        "esearch.fcgi?db=pubmed&term=all&mindate=2026/10/31&maxdate=2026/10/31",
    )
    .text();
    assert!(ids(&body).contains(&(FIRST + N as u64 - 1)));
    let body = get(
        s,
        "esearch.fcgi?db=pubmed&term=all&mindate=1990&maxdate=1999",
    )
    .text();
    assert_eq!(count(&body), 0);
}

#[test]
fn history_efetch_slices_and_errors() {
    let s = big();
    let body = get(s, "esearch.fcgi?db=pubmed&term=all&usehistory=y&retmax=0").text();
    let webenv = element(&body, "WebEnv").unwrap().to_string();
    assert!(webenv.starts_with("MCID_"));
    assert_eq!(element(&body, "QueryKey"), Some("1"));

    let fetch = |retstart: usize, retmax: usize| {
        get(s, &format!("efetch.fcgi?db=pubmed&retmode=xml&WebEnv={webenv}&query_key=1&retstart={retstart}&retmax={retmax}"))
            .text()
    };
    let body = fetch(0, 3);
    assert!(body.starts_with(
        "<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n<PubmedArticle>"
    ));
    assert!(body.ends_with("</PubmedArticle>\n</PubmedArticleSet>\n"));
    assert_eq!(fetched_pmids(&body), vec![30011999, 30011998, 30011997]);
    assert_eq!(fetched_pmids(&fetch(500, 2)), vec![30011499, 30011498]);
    assert_eq!(
        fetched_pmids(&fetch(9998, 500)),
        vec![30011999 - 9998],
        "clamped at the 9,999th record"
    );
    let body = fetch(9999, 500);
    assert_eq!(element(&body, "ERROR"), Some(EFETCH_RETSTART_ERROR));

    // The served records parse with evcat's own reader.
    let body = fetch(0, 40);
    let mut reader = evcat::pubmed::reader::PubmedReader::new(body.as_bytes());
    let mut pmids = Vec::new();
    while let Some(item) = reader.next_item().unwrap() {
        if let evcat::pubmed::model::PubmedItem::Article(a) = item {
            pmids.push(a.pmid);
        }
    }
    assert_eq!(pmids, (0..40).map(|i| 30011999 - i).collect::<Vec<u64>>());

    // Reusing the WebEnv adds query_key 2.
    let body = get(s, &format!("esearch.fcgi?db=pubmed&term=all+AND+30000000:30000004[uid]&usehistory=y&WebEnv={webenv}"))
        .text();
    assert_eq!(element(&body, "WebEnv"), Some(webenv.as_str()));
    assert_eq!(element(&body, "QueryKey"), Some("2"));
    let body = get(
        s,
        &format!("efetch.fcgi?db=pubmed&WebEnv={webenv}&query_key=2&retmax=500"),
    )
    .text();
    assert_eq!(
        fetched_pmids(&body),
        vec![30000004, 30000003, 30000002, 30000001, 30000000]
    );

    // Unknown WebEnv / query_key.
    let body = get(
        s,
        &format!("efetch.fcgi?db=pubmed&WebEnv={webenv}&query_key=7&retstart=0&retmax=500"),
    )
    .text();
    assert_eq!(
        element(&body, "ERROR").unwrap(),
        format!(
            "Cannot retrieve history data. query_key: 7, WebEnv: {webenv}, retstart: 0, retmax: 500"
        )
    );
    assert!(body.contains("<!DOCTYPE eEfetchResult PUBLIC \"-//NLM//DTD efetch 20131226//EN\""));
    let body = get(
        s,
        "efetch.fcgi?db=pubmed&WebEnv=MCID_nope&query_key=1&retmax=5",
    )
    .text();
    assert!(
        element(&body, "ERROR")
            .unwrap()
            .starts_with("Cannot retrieve history data. query_key: 1, WebEnv: MCID_nope")
    );
}

#[test]
fn efetch_by_id() {
    let s = big();
    let body = get(
        s,
        "efetch.fcgi?db=pubmed&retmode=xml&id=30000005,99,30000001,30000005",
    )
    .text();
    assert_eq!(
        fetched_pmids(&body),
        vec![30000005, 30000001],
        "asked order, unknown absent, once each"
    );

    let r = send(
        s,
        "POST",
        "efetch.fcgi",
        "db=pubmed&retmode=xml&id=30000002%2C30000009",
        true,
    )
    .unwrap();
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(fetched_pmids(&r.text()), vec![30000002, 30000009]);

    let body = get(s, "efetch.fcgi?db=pubmed&id=1,2").text();
    assert_eq!(
        body,
        "<?xml version=\"1.0\" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" \"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n</PubmedArticleSet>\n"
    );
    let body = get(s, "efetch.fcgi?db=pubmed&id=").text();
    assert_eq!(element(&body, "ERROR"), Some(EFETCH_EMPTY_ID_ERROR));
}

#[test]
fn gzip_decodes_to_the_plain_body() {
    let s = big();
    let q = "esearch.fcgi?db=pubmed&term=all&retmax=500";
    let plain = send(s, "GET", q, "", false).unwrap();
    assert_eq!(plain.header("content-encoding"), None);
    let zipped = send(s, "GET", q, "", true).unwrap();
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert!(zipped.raw.len() < plain.raw.len());
    assert_eq!(zipped.text(), plain.text());
}

#[test]
fn with_pmid_rewrites_only_the_record_ids() {
    let xml = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/full-elements.xml"
    ))
    .unwrap();
    let start = xml.find("<PubmedArticle>").unwrap();
    let end = xml.find("</PubmedArticle>").unwrap() + "</PubmedArticle>".len();
    let article = &xml[start..end];
    let out = with_pmid(article, 123);
    assert!(out.contains("<PMID Version=\"1\">123</PMID>"));
    assert!(!out.contains(">99000081<"));
    assert!(out.contains("<ArticleId IdType=\"pubmed\">123</ArticleId>"));
    assert!(out.contains("9876543210"), "reference ids untouched");
    assert_eq!(
        out.len(),
        article.len() - 2 * ("99000081".len() - "123".len()),
        "two ids rewritten"
    );
}

#[test]
fn faults_statuses_and_log() {
    let s = EutilsServer::start(records_from_fixtures(50, 1000));
    let search = "esearch.fcgi?db=pubmed&term=all&retmax=5";

    s.push_fault("esearch", Fault::Status(503));
    s.push_fault(
        "esearch",
        Fault::RateLimited {
            retry_after: Some(2),
        },
    );
    s.push_fault("esearch", Fault::RateLimited { retry_after: None });
    s.push_fault("esearch", Fault::NotXml);
    s.push_fault("esearch", Fault::ErrorBody("Backend <timeout>".into()));
    s.push_fault("esearch", Fault::Delay(Duration::from_millis(150)));
    s.push_fault("esearch", Fault::HangUp);

    let r = get(&s, search);
    assert_eq!(r.status, 503);
    assert!(r.text().contains("<html>"));
    let r = get(&s, search);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert_eq!(
        r.text(),
        r#"{"error":"API rate limit exceeded","count":"4"}"#
    );
    let r = get(&s, search);
    assert_eq!((r.status, r.header("retry-after")), (429, None));
    let r = get(&s, search);
    assert_eq!(r.status, 200);
    assert!(r.text().starts_with("<!DOCTYPE html>"));
    let body = get(&s, search).text();
    assert_eq!(
        body,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<!DOCTYPE eSearchResult PUBLIC \"-//NLM//DTD esearch 20060628//EN\" \"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd\">\n<eSearchResult><ERROR>Backend &lt;timeout&gt;</ERROR></eSearchResult>\n"
    );
    let t = Instant::now();
    assert_eq!(count(&get(&s, search).text()), 50);
    assert!(t.elapsed() >= Duration::from_millis(150));
    assert!(send(&s, "GET", search, "", false).is_none(), "hang-up");
    assert_eq!(count(&get(&s, search).text()), 50, "queue used up");

    // efetch faults: in-band error, truncation (plain and gzip).
    s.push_fault("efetch", Fault::ErrorBody("oops".into()));
    s.push_fault("efetch", Fault::Truncate);
    s.push_fault("efetch", Fault::Truncate);
    let fetch = "efetch.fcgi?db=pubmed&id=1000,1001,1002";
    let body = get(&s, fetch).text();
    assert!(body.contains("<eFetchResult>\n\t<ERROR>oops</ERROR>\n</eFetchResult>"));
    let r = get(&s, fetch);
    assert_eq!(r.status, 200);
    assert!(r.raw.len() < r.content_length());
    assert_eq!(r.raw.len(), r.content_length() / 2);
    let r = send(&s, "GET", fetch, "", true).unwrap();
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.raw.len(), r.content_length() / 2);
    assert_eq!(
        fetched_pmids(&get(&s, fetch).text()),
        vec![1000, 1001, 1002]
    );

    // ExpireWebEnvs.
    let body = get(&s, "esearch.fcgi?db=pubmed&term=all&usehistory=y").text();
    let webenv = element(&body, "WebEnv").unwrap().to_string();
    let fetch = format!("efetch.fcgi?db=pubmed&WebEnv={webenv}&query_key=1&retstart=0&retmax=2");
    assert_eq!(fetched_pmids(&get(&s, &fetch).text()), vec![1049, 1048]);
    s.push_fault("efetch", Fault::ExpireWebEnvs);
    let body = get(&s, &fetch).text();
    assert!(
        element(&body, "ERROR")
            .unwrap()
            .starts_with("Cannot retrieve history data.")
    );

    // fail_always, unknown paths, the log.
    s.fail_always(
        "efetch",
        |r| r.params.get("retstart").map(String::as_str) == Some("7"),
        502,
    );
    assert_eq!(
        get(&s, &fetch.replace("retstart=0", "retstart=7")).status,
        502
    );
    assert_eq!(get(&s, "efetch.fcgi?db=pubmed&id=1000").status, 200);
    assert_eq!(get(&s, "einfo.fcgi?db=pubmed").status, 404);
    let log = s.requests();
    let statuses: Vec<u16> = log.iter().map(|r| r.status).collect();
    assert_eq!(&statuses[..9], &[503, 429, 429, 200, 200, 200, 0, 200, 200]);
    assert_eq!(&statuses[statuses.len() - 3..], &[502, 200, 404]);
    assert_eq!(log.last().unwrap().endpoint, "einfo");
    assert_eq!(log[0].params.get("term").map(String::as_str), Some("all"));
    assert_eq!(log[0].method, "GET");
    assert!(log.windows(2).all(|w| w[0].at <= w[1].at));
    s.clear_requests();
    assert!(s.requests().is_empty());

    // set_records: new and revised records appear.
    let mut records = records_from_fixtures(50, 1000);
    records.push(ServerRecord {
        pmid: 5000,
        xml: with_pmid(&records[0].xml, 5000),
        ..records[0].clone()
    });
    s.set_records(records);
    let body = get(&s, "esearch.fcgi?db=pubmed&term=all&retmax=1").text();
    assert_eq!((count(&body), ids(&body)), (51, vec![5000]));
}

#[test]
fn rate_limit_enforcement() {
    let s = EutilsServer::start(records_from_fixtures(5, 1));
    s.enforce_rate_limit(true);
    let q = "esearch.fcgi?db=pubmed&term=all";
    let statuses: Vec<u16> = (0..4).map(|_| get(&s, q).status).collect();
    assert_eq!(statuses, vec![200, 200, 200, 429]);
    let r = get(&s, q);
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), None);
    assert_eq!(
        r.text(),
        r#"{"error":"API rate limit exceeded","count":"5"}"#
    );

    // With an api_key the limit is 10 per second.
    std::thread::sleep(Duration::from_millis(1050));
    let statuses: Vec<u16> = (0..11)
        .map(|_| get(&s, &format!("{q}&api_key=abc")).status)
        .collect();
    assert_eq!(&statuses[..10], &[200; 10]);
    assert_eq!(statuses[10], 429);

    s.enforce_rate_limit(false);
    assert_eq!(get(&s, q).status, 200);
}
