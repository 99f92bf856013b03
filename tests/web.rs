//! The web workbench end to end: the real `evcat serve` on a free loopback port, driven over
//! HTTP as a browser would (cookies, CSRF tokens from the pages' forms, redirects seen one by
//! one), on a catalogue built by the real `evcat import`.

mod support;

use support::web::{Browser, Server};
use support::{TestEnv, fixture};

/// A record whose title, abstract and inline markup try to run script in a page.
const HOSTILE_MARKUP: &str = r#"<?xml version="1.0"?>
<PubmedArticleSet><PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">99000777</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2024</Year></PubDate></JournalIssue><Title>Fictional Journal</Title><ISOAbbreviation>Fict J</ISOAbbreviation></Journal>
<ArticleTitle>Ozone and CO<sub>2</sub> in <i>herniated disc</i> &lt;script&gt;alert(1)&lt;/script&gt;<b onmouseover="alert(4)">bold</b></ArticleTitle>
<Abstract><AbstractText>"&gt;&lt;img src=x onerror=alert(1)&gt; Ozone injections reduced pain in herniated disc patients, <sup>2</sup> a fictional abstract.</AbstractText></Abstract>
<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Mallory</LastName><Initials>M</Initials></Author></AuthorList>
<Language>eng</Language><PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">99000777</ArticleId></ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>
"#;

fn catalogue() -> TestEnv {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml", "hostile-output.xml"]);
    let hostile = env.dir.path().join("hostile-markup.xml");
    std::fs::write(&hostile, HOSTILE_MARKUP).unwrap();
    env.import_path(hostile.to_str().unwrap());
    env
}

/// Whether any tag of `html` carries an event handler attribute (`onerror=`, `onmouseover=`).
fn has_event_handler(html: &str) -> bool {
    html.split('<').skip(1).any(|tag| {
        let tag = tag.split('>').next().unwrap_or("");
        tag.starts_with(|c: char| c.is_ascii_alphabetic())
            && tag
                .split_whitespace()
                .skip(1)
                .any(|attr| attr.to_ascii_lowercase().starts_with("on"))
    })
}

fn assert_headers(page: &support::web::Page) {
    let h = |name: &str| {
        page.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(h("content-security-policy").contains("default-src 'self'"));
    assert!(h("content-security-policy").contains("frame-ancestors 'none'"));
    assert_eq!(h("x-content-type-options"), "nosniff");
    assert_eq!(h("referrer-policy"), "no-referrer");
}

#[test]
fn a_clinician_searches_reads_a_record_adds_a_claim_links_evidence_and_gives_a_verdict() {
    let env = catalogue();
    let server = Server::start(&env, &[]);
    let mut browser = Browser::new(&server);

    // Search, with facets and the design badge.
    let search = browser.get("/?q=ozone+herniated+disc");
    assert_eq!(search.status, 200);
    assert_headers(&search);
    assert!(
        search.body.contains("/record/22430658"),
        "the 2012 review is found"
    );
    assert!(search.body.contains("Design (evidence level)"));
    assert!(search.body.contains("level "));
    // The page ranks as `find` does (the page is answered by the in-memory search index,
    // `find` by SQL).
    let page_pmids: Vec<String> = search
        .body
        .split("<a class=\"title\" href=\"/record/")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    let cli_ranked: Vec<String> = env
        .json(&["find", "ozone herniated disc", "--format", "json"])
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].to_string())
        .collect();
    assert_eq!(page_pmids, cli_ranked);
    // A facet narrows the search; the CLI's find gives the same records.
    let narrowed = browser.get("/?q=ozone&tag=design:meta-analysis");
    assert_eq!(narrowed.status, 200);
    let cli = env.json(&[
        "find",
        "ozone",
        "--design",
        "meta-analysis",
        "--format",
        "json",
    ]);
    let cli_pmids: Vec<String> = cli
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["pmid"].to_string())
        .collect();
    assert!(!cli_pmids.is_empty());
    for pmid in &cli_pmids {
        assert!(
            narrowed.body.contains(&format!("/record/{pmid}\"")),
            "{pmid} on the page"
        );
    }
    assert_eq!(
        narrowed.body.matches("<a class=\"title\"").count(),
        cli_pmids.len()
    );
    // The participants facet (from the facts of each study) filters as --min/--max-participants.
    assert!(
        search.body.contains("participants=50-199"),
        "a participants band is offered"
    );
    let banded = browser.get("/?q=ozone&participants=50-199");
    assert_eq!(banded.status, 200);
    let cli = env.json(&[
        "find",
        "ozone",
        "--min-participants",
        "50",
        "--max-participants",
        "199",
        "--format",
        "json",
    ]);
    assert!(!cli.as_array().unwrap().is_empty());
    assert_eq!(
        banded.body.matches("<a class=\"title\"").count(),
        cli.as_array().unwrap().len()
    );
    // A bad query is shown beside the box, with 400.
    let bad = browser.get("/?q=ozone&year_from=2015&year_to=2010");
    assert_eq!(bad.status, 400);
    assert!(bad.body.contains("field-error"));
    // Export the results.
    let ris = browser.get("/export?q=ozone&format=ris");
    assert_eq!(ris.status, 200);
    assert!(ris.body.contains("TY  - "));

    // The record: title, abstract, tags with evidence highlighted, citation, links.
    let record = browser.get("/record/22430658");
    assert_eq!(record.status, 200);
    assert!(
        record
            .body
            .contains("Ozone therapy as a treatment for low back pain")
    );
    assert!(record.body.contains("<mark data-dimension="));
    assert!(record.body.contains("Vancouver (NLM)"));
    assert!(
        record
            .body
            .contains("https://pubmed.ncbi.nlm.nih.gov/22430658/")
    );

    // Add the Pain Physician claim.
    let claims = browser.get("/claims");
    let token = claims.csrf();
    let text = "A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs";
    let added = browser.post(
        "/claims",
        &[
            ("text", text),
            ("source", "https://example.org/article"),
            ("kind", "study"),
            ("csrf", &token),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let claim_path = added.location();
    assert!(claim_path.starts_with("/claims/"));
    let id = claim_path.trim_start_matches("/claims/").to_string();

    // The claim's page suggests the review; link it as supports in one click.
    let page = browser.get(&claim_path);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Link PMID 22430658 as supports"));
    let linked = browser.post(
        &format!("{claim_path}/link"),
        &[
            ("pmid", "22430658"),
            ("stance", "supports"),
            ("csrf", &token),
        ],
    );
    assert_eq!(linked.status, 303);

    let second = browser.post(
        &format!("{claim_path}/link"),
        &[
            ("pmid", "19478653"),
            ("stance", "supports"),
            ("csrf", &token),
        ],
    );
    assert_eq!(second.status, 303);

    // A verdict without a note is refused beside the field; with one it is saved.
    let refused = browser.post(
        &format!("{claim_path}/review"),
        &[
            ("verdict", "partly-supported"),
            ("note", ""),
            ("reviewer", "Dr Rossi"),
            ("csrf", &token),
        ],
    );
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("id=\"note-error\""));
    let reviewed = browser.post(
        &format!("{claim_path}/review"),
        &[
            ("verdict", "partly-supported"),
            ("note", "The meta-analysis supports pain relief"),
            ("reviewer", "Dr Rossi"),
            ("csrf", &token),
        ],
    );
    assert_eq!(reviewed.status, 303, "{}", reviewed.body);

    // The page and the command line tell the same story, from the same log.
    let after = browser.get(&claim_path);
    assert!(after.body.contains("Verdict: partly-supported"));
    assert!(
        after
            .body
            .contains("The meta-analysis supports pain relief")
    );
    let shown = env.json(&["claim", "show", &id, "--format", "json"]);
    assert_eq!(shown["claim"]["verdict"], "partly-supported");
    assert_eq!(shown["claim"]["verdict_by"], "Dr Rossi");
    let linked: Vec<u64> = shown["claim"]["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["pmid"].as_u64().unwrap())
        .collect();
    assert!(
        linked.contains(&22430658) && linked.contains(&19478653),
        "{linked:?}"
    );
    let log = env.ok(&["claim", "log", &id]);
    for action in ["add", "link", "review"] {
        assert!(log.contains(action), "{action} in the log: {log}");
    }
    assert_eq!(
        after.body.matches("<li><time").count(),
        4,
        "four log entries on the page (add, two links, review)"
    );

    // The evidence map links each cell to its search; the catalogue page and health check.
    let map = browser.get("/map");
    assert_eq!(map.status, 200);
    assert!(map.body.contains("tag=condition%3Aherniated-disc"));
    let catalogue = browser.get("/catalogue");
    assert_eq!(catalogue.status, 200);
    assert!(catalogue.body.contains("Recent imports"));
    assert!(catalogue.body.contains("ozone-back-pain.xml"));
    // A revised record shows the version it replaced, and by which file. (The catalogue's
    // times are in whole seconds: the revision must come at least a second after the verdict.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.import(&["revised-later.xml"]);
    let revised = browser.get("/record/19478653");
    assert!(revised.body.contains("Revision history"));
    assert!(
        revised.body.contains("revised 2022-03-16"),
        "the replaced version's DateRevised"
    );
    assert!(revised.body.contains("revised-later.xml"));
    // ... and, since it was revised after the claim's verdict, says so.
    assert!(
        revised.body.contains("after the verdict of"),
        "the revision after the verdict is a warning"
    );
    assert_eq!(browser.get("/healthz").body, "ok\n");

    // SIGTERM stops it cleanly.
    assert!(server.stop().success());
}

#[test]
fn pubmed_markup_is_kept_and_every_script_shows_as_text() {
    let env = catalogue();
    let server = Server::start(&env, &[]);
    let mut browser = Browser::new(&server);
    for pmid in ["99000777", "99000201"] {
        let page = browser.get(&format!("/record/{pmid}"));
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("<script>alert"),
            "{pmid}: {}",
            page.body
        );
        assert!(!page.body.contains("<img"), "{pmid}");
        assert!(!has_event_handler(&page.body), "{pmid}");
        assert!(
            page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{pmid} shows the text"
        );
    }
    let marked = browser.get("/record/99000777");
    assert!(
        marked.body.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the abstract's text shows"
    );
    assert!(
        marked.body.contains("CO<sub>2</sub>"),
        "PubMed's sub is kept"
    );
    let search = browser.get("/?q=fictional");
    assert!(!search.body.contains("<script>alert"));

    // A claim and an uploaded article with script in them show it as text.
    let token = browser.get("/claims").csrf();
    let added = browser.post(
        "/claims",
        &[
            ("text", "Ozone cures sciatica <script>alert(9)</script>"),
            ("csrf", &token),
        ],
    );
    assert_eq!(added.status, 303);
    let claim = browser.get(&added.location());
    assert!(!claim.body.contains("<script>alert(9)"));
    assert!(claim.body.contains("&lt;script&gt;alert(9)&lt;/script&gt;"));
    let checked = browser.upload(
        "/check",
        &[("csrf", &token)],
        Some((
            "evil.html",
            b"<p>Studies show ozone injections relieve sciatica in most patients.<script>alert(7)</script></p><img src=x onerror=alert(8)>"
                .to_vec(),
        )),
    );
    assert_eq!(checked.status, 200, "{}", checked.body);
    assert!(!checked.body.contains("<script>alert(7)"));
    assert!(!checked.body.contains("<img src=x"));
    assert!(
        checked
            .body
            .contains("&lt;script&gt;alert(7)&lt;/script&gt;")
    );
}

#[test]
fn changes_need_the_pages_csrf_token_and_the_same_origin() {
    let env = catalogue();
    let server = Server::start(&env, &[]);
    let mut browser = Browser::new(&server);
    let token = browser.get("/claims").csrf();
    let form = |csrf: &'static str| vec![("text", "Ozone relieves sciatica"), ("csrf", csrf)];
    // No token, a wrong one, and another site's form are refused; nothing is saved.
    assert_eq!(browser.post("/claims", &form("")).status, 403);
    assert_eq!(
        browser
            .post("/claims", &form("00000000000000000000000000000000"))
            .status,
        403
    );
    let foreign = browser.post_with_origin(
        "/claims",
        "http://evil.example",
        &[("text", "Ozone relieves sciatica"), ("csrf", &token)],
    );
    assert_eq!(foreign.status, 403);
    // A browser without the cookie (another site's request) proves nothing.
    let mut stranger = Browser::new(&server);
    assert_eq!(
        stranger
            .post(
                "/claims",
                &[("text", "Ozone relieves sciatica"), ("csrf", &token)]
            )
            .status,
        403
    );
    let listed = env.json(&["claim", "list", "--format", "json"]);
    assert_eq!(listed.as_array().unwrap().len(), 0, "no claim was added");
    // GET never changes anything.
    assert_eq!(browser.get("/claims?text=x").status, 200);
    assert_eq!(
        env.json(&["claim", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn unknown_pages_and_records_get_404_and_oversized_uploads_a_clear_page() {
    let env = catalogue();
    let server = Server::start(&env, &[]);
    let mut browser = Browser::new(&server);
    for path in [
        "/no-such-page",
        "/record/1",
        "/record/not-a-pmid",
        "/claims/no-such-claim",
    ] {
        let page = browser.get(path);
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("<h1>Not found</h1>"), "{path}");
    }
    let token = browser.get("/check").csrf();
    let big = vec![b'a'; 6 * 1024 * 1024];
    let refused = browser.upload("/check", &[("csrf", &token)], Some(("big.txt", big)));
    assert_eq!(refused.status, 413);
    assert!(refused.body.contains("too large"), "{}", refused.body);
    // The article check works on a real article, and saves its claims.
    let article = std::fs::read(fixture("articles/ozone-back-pain.md")).unwrap();
    let checked = browser.upload(
        "/check",
        &[("csrf", &token)],
        Some(("ozone-back-pain.md", article)),
    );
    assert_eq!(checked.status, 200);
    assert!(checked.body.contains("Pain Physician"));
    assert!(checked.body.contains("not covered by a reviewed claim"));
    assert!(checked.body.contains("/record/22430658"));
}

#[test]
fn read_only_serves_no_forms_and_takes_no_post() {
    let env = catalogue();
    let server = Server::start(&env, &["--read-only"]);
    let mut browser = Browser::new(&server);
    let claims = browser.get("/claims");
    assert_eq!(claims.status, 200);
    assert!(!claims.body.contains("method=\"post\""));
    let record = browser.get("/record/22430658");
    assert!(!record.body.contains("method=\"post\""));
    let refused = browser.post("/claims", &[("text", "Ozone relieves sciatica")]);
    assert!(
        refused.status == 405 || refused.status == 403,
        "{}",
        refused.status
    );
    assert_eq!(
        env.json(&["claim", "list", "--format", "json"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn another_address_needs_a_token_entered_once() {
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    // Without a token it refuses to start, saying why.
    let out = env.run(&["serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--token-file"), "{err}");
    // A short token is refused too.
    let token_file = env.dir.path().join("token");
    std::fs::write(&token_file, "short\n").unwrap();
    let out = env.run(&[
        "serve",
        "--bind",
        "0.0.0.0:0",
        "--token-file",
        token_file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    // With one, every page asks for it first (here on loopback with the same token).
    std::fs::write(&token_file, "correct-horse-battery-staple-42\n").unwrap();
    let server = Server::start(&env, &["--token-file", token_file.to_str().unwrap()]);
    let mut browser = Browser::new(&server);
    let first = browser.get("/claims");
    assert_eq!(first.status, 303);
    assert!(first.location().starts_with("/login"));
    assert_eq!(browser.get("/healthz").status, 200);
    let wrong = browser.post("/login", &[("token", "nope"), ("next", "/claims")]);
    assert_eq!(wrong.status, 401);
    let right = browser.post(
        "/login",
        &[
            ("token", "correct-horse-battery-staple-42"),
            ("next", "/claims"),
        ],
    );
    assert_eq!(right.status, 303);
    assert_eq!(right.location(), "/claims");
    assert_eq!(browser.get("/claims").status, 200);
    // A login never sends a browser to another site.
    let away = browser.post(
        "/login",
        &[
            ("token", "correct-horse-battery-staple-42"),
            ("next", "//evil.example/"),
        ],
    );
    assert_eq!(away.location(), "/");
}

#[test]
fn reviewers_writing_at_once_during_an_import_all_succeed() {
    let env = catalogue();
    let server = Server::start(&env, &[]);
    // An import writing to the same catalogue while eight reviewers add claims and read pages.
    let mut import = env
        .std_cmd(&[
            "--quiet",
            "import",
            fixture("full-elements.xml").to_str().unwrap(),
            fixture("versions.xml").to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    let base = server.base.clone();
    let threads: Vec<_> = (0..8)
        .map(|n| {
            let server_base = base.clone();
            std::thread::spawn(move || {
                let mut browser = Browser::at(&server_base);
                let token = browser.get("/claims").csrf();
                let text = format!("Ozone injections relieve sciatica in study arm {n}");
                let added = browser.post("/claims", &[("text", text.as_str()), ("csrf", &token)]);
                let read = browser.get("/?q=ozone");
                (added.status, read.status)
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), (303, 200));
    }
    assert!(import.wait().unwrap().success());
    let listed = env.json(&["claim", "list", "--format", "json"]);
    assert_eq!(
        listed.as_array().unwrap().len(),
        8,
        "every reviewer's claim is saved"
    );
}

#[test]
fn kept_searches_and_candidates_follow_every_change_to_the_catalogue() {
    let env = catalogue();
    env.ok(&[
        "claim",
        "add",
        "--id",
        "trial",
        "--text",
        "A multinational trial found ozone better than steroid injection for lumbar radiculopathy",
    ]);
    let server = Server::start(&env, &[]);
    let mut browser = Browser::at(&server.base);
    // Asked twice (the second answer is the kept one): nothing matches yet.
    for _ in 0..2 {
        let page = browser.get("/?q=multinational");
        assert!(page.body.contains("No record matches"), "{}", page.body);
        let claim = browser.get("/claims/trial");
        assert!(!claim.body.contains("/record/99000081"));
    }
    // Another process imports the record: the same search and the claim's candidates find it.
    env.import(&["full-elements.xml"]);
    let page = browser.get("/?q=multinational");
    assert!(page.body.contains("1 records"), "{}", page.body);
    assert!(page.body.contains("/record/99000081"));
    assert!(
        !page.body.contains("facet-joint-syndrome"),
        "no such tag yet: {}",
        page.body
    );
    let claim = browser.get("/claims/trial");
    assert!(claim.body.contains("/record/99000081"), "{}", claim.body);
    // A manual tag added through this server shows in the same search's facets at once.
    let token = browser.get("/record/99000081").csrf();
    let added = browser.post(
        "/record/99000081/tags",
        &[
            ("action", "add"),
            ("dimension", "condition"),
            ("tag", "facet-joint-syndrome"),
            ("note", "named in the methods"),
            ("csrf", &token),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let record = browser.get("/record/99000081");
    assert!(record.body.contains("named in the methods"));
    let page = browser.get("/?q=multinational");
    assert!(
        page.body.contains("tag=condition%3Afacet-joint-syndrome"),
        "{}",
        page.body
    );
    server.stop();
}

#[test]
fn a_claims_linked_evidence_and_history_come_in_pages() {
    let env = catalogue();
    let records: String = (1..=30)
        .map(|n| {
            format!(
                r#"<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">991000{n:02}</PMID>
<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><PubDate><Year>2015</Year></PubDate></JournalIssue><Title>Spine Trials</Title></Journal>
<ArticleTitle>Ozone injection for sciatica, cohort {n} (fictional).</ArticleTitle>
<Abstract><AbstractText>Patients with sciatica had ozone injections; pain fell in cohort {n}.</AbstractText></Abstract>
<Language>eng</Language><PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">991000{n:02}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>
"#
            )
        })
        .collect();
    let file = env.dir.path().join("thirty.xml");
    std::fs::write(
        &file,
        format!("<PubmedArticleSet>{records}</PubmedArticleSet>"),
    )
    .unwrap();
    env.import_path(file.to_str().unwrap());
    env.ok(&[
        "claim",
        "add",
        "--id",
        "many",
        "--text",
        "Ozone injections relieve sciatica",
    ]);
    for n in 1..=30 {
        env.ok(&[
            "claim",
            "link",
            "many",
            &format!("991000{n:02}"),
            "--stance",
            "supports",
        ]);
    }
    let server = Server::start(&env, &[]);
    let mut browser = Browser::at(&server.base);
    let rows = |body: &str| body.matches("aria-label=\"Unlink PMID").count();
    let entries = |body: &str| body.matches("<time datetime=").count();
    let first = browser.get("/claims/many");
    assert_eq!((rows(&first.body), entries(&first.body)), (25, 25));
    assert!(first.body.contains("Page 1 of 2"));
    assert!(
        first
            .body
            .contains("href=\"?evidence=2&amp;history=1#evidence\"")
    );
    assert!(
        first
            .body
            .contains("href=\"?evidence=1&amp;history=2#log\"")
    );
    // The newest entry comes first: the last link made.
    let newest = first.body.find("<time datetime=").unwrap();
    assert!(
        first.body[newest..]
            .split("</li>")
            .next()
            .unwrap()
            .contains("link")
    );
    let second = browser.get("/claims/many?evidence=2&history=2");
    assert_eq!((rows(&second.body), entries(&second.body)), (5, 6));
    assert!(second.body.contains("Page 2 of 2"));
    // The oldest entry (the claim's creation) is last on the last page.
    let last = second.body.rfind("<time datetime=").unwrap();
    assert!(
        second.body[last..]
            .split("</li>")
            .next()
            .unwrap()
            .contains("add")
    );
    // A page past the end shows the last one; an unreadable number the first.
    assert_eq!(rows(&browser.get("/claims/many?evidence=9").body), 5);
    assert_eq!(rows(&browser.get("/claims/many?evidence=x").body), 25);
    server.stop();
}

#[test]
fn an_articles_claims_are_listed_in_pages_and_the_article_is_sent_again_for_each() {
    let env = catalogue();
    let article: String = (1..=30)
        .map(|n| {
            format!(
                "A {} study of {} patients found that ozone injections reduced back pain by {n} points.\n",
                1990 + n,
                20 + n
            )
        })
        .collect();
    let server = Server::start(&env, &[]);
    let mut browser = Browser::at(&server.base);
    let token = browser.get("/check").csrf();
    let entries = |body: &str| body.matches("<li id=\"claim-").count();
    let first = browser.upload(
        "/check",
        &[("csrf", &token)],
        Some(("thirty.txt", article.clone().into_bytes())),
    );
    assert_eq!(first.status, 200);
    assert!(first.body.contains("30 claim(s) found"));
    assert_eq!(entries(&first.body), 25);
    assert!(first.body.contains("Claims 1–25 of 30"));
    assert!(first.body.contains("href=\"#claim-25\""));
    assert!(
        !first.body.contains("href=\"#claim-26\""),
        "no link to a claim listed elsewhere"
    );
    assert!(first.body.contains("name=\"page\" value=\"2\""));
    // The page button sends the article (by name) again, with the page it asks for.
    let second = browser.upload(
        "/check",
        &[
            ("csrf", &token),
            ("name", "thirty.txt"),
            ("text", &article),
            ("page", "2"),
        ],
        None,
    );
    assert_eq!(entries(&second.body), 5);
    assert!(second.body.contains("Claims 26–30 of 30"));
    assert!(second.body.contains("<li id=\"claim-26\""));
    assert!(second.body.contains("Evidence claims in thirty.txt"));
    assert!(second.body.contains("name=\"page\" value=\"1\""));
    server.stop();
}
