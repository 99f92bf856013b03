//! The workbench in a real browser: Debian's Chromium driven through its ChromeDriver
//! (WebDriver, with fantoccini) as a clinician would use it: search, open the 2012 Pain
//! Physician review, add the Pain Physician claim, link the suggestion as supports, give a verdict
//! with a note, read the log; check an article from `fixtures/articles/`. axe-core (from npm)
//! checks every page for serious or critical accessibility violations; the keyboard reaches the
//! skip link first; screenshots at 1280 and 390 px go to `target/screenshots/`.
//!
//! Needs `/usr/bin/chromium`, `/usr/bin/chromedriver` (apt: chromium, chromium-driver) and
//! axe-core's `axe.min.js` (`npm install --prefix target/axe axe-core`, or `EVCAT_AXE=PATH`);
//! `.ci/run` installs all three. Without them the test fails and says what to install: it never
//! passes without having run.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use support::web::Server;
use support::{TestEnv, fixture};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn axe_path() -> PathBuf {
    std::env::var_os("EVCAT_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target/axe/node_modules/axe-core/axe.min.js")
        })
}

/// ChromeDriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_driver() -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    }
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// The serious and critical axe-core violations of the page shown.
async fn accessibility_problems(client: &Client, axe: &str) -> Vec<String> {
    client.execute(axe, vec![]).await.expect("axe-core loads");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(
               r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                 .map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

async fn screenshot(client: &Client, name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (width, height) in [(1280, 900), (390, 844)] {
        client.set_window_size(width, height).await.unwrap();
        let png = client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("{name}-{width}.png")), png).unwrap();
    }
    client.set_window_size(1280, 900).await.unwrap();
}

/// Clicks the button `css` and waits for the page it leads to to load.
async fn submit(client: &Client, css: &str) {
    mark_page(client).await;
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for_next_page(client, css).await;
}

/// Marks the page shown, for [`wait_for_next_page`].
async fn mark_page(client: &Client) {
    client
        .execute("window.evcatBefore = true;", vec![])
        .await
        .unwrap();
}

/// Waits until the page marked by [`mark_page`] has been replaced by one fully loaded
/// (`what` names the action in the failure).
async fn wait_for_next_page(client: &Client, what: &str) {
    let css = what;
    let started = Instant::now();
    loop {
        let loaded = client
            .execute(
                "return window.evcatBefore === undefined && document.readyState === 'complete';",
                vec![],
            )
            .await
            .map(|v| v == json!(true))
            .unwrap_or(false);
        if loaded {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{css} led nowhere"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[test]
fn a_clinicians_journey_in_chromium_with_no_serious_accessibility_violations() {
    for (path, install) in [
        (CHROMIUM, "apt-get install chromium"),
        (CHROMEDRIVER, "apt-get install chromium-driver"),
    ] {
        assert!(
            Path::new(path).exists(),
            "{path} is missing: {install} (as .ci/run does)"
        );
    }
    let axe = std::fs::read_to_string(axe_path()).unwrap_or_else(|_| {
        panic!(
            "{} is missing: npm install --prefix target/axe axe-core (as .ci/run does), or set EVCAT_AXE",
            axe_path().display()
        )
    });
    let env = TestEnv::new();
    env.import(&["ozone-back-pain.xml"]);
    let server = Server::start(&env, &[]);
    let driver = start_driver();
    let profile = env.dir.path().join("chromium-profile");
    let base = server.base.clone();
    let article = fixture("articles/ozone-back-pain.md");

    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async move {
            let c = browser(&driver, &profile).await;
            let mut problems: Vec<String> = Vec::new();
            let mut check = async |c: &Client, page: &str| {
                for p in accessibility_problems(c, &axe).await {
                    problems.push(format!("{page}: {p}"));
                }
            };

            // The keyboard's first stop is the skip link.
            c.goto(&format!("{base}/")).await.unwrap();
            c.find(Locator::Css("body")).await.unwrap().send_keys("\u{e004}").await.unwrap();
            let focused = c.active_element().await.unwrap().text().await.unwrap();
            assert_eq!(focused, "Skip to content");
            check(&c, "search").await;

            // Search and open the 2012 Pain Physician review.
            let q = c.find(Locator::Id("q")).await.unwrap();
            mark_page(&c).await;
            q.send_keys("ozone herniated disc\n").await.unwrap();
            wait_for_next_page(&c, "the search form").await;
            let review = c.wait().for_element(Locator::Css("a[href='/record/22430658']")).await.unwrap();
            check(&c, "results").await;
            screenshot(&c, "search").await;
            review.click().await.unwrap();
            c.wait().for_element(Locator::Css("table")).await.unwrap();
            assert!(text_of(&c, "h1").await.contains("Ozone therapy as a treatment for low back pain"));
            check(&c, "record").await;
            screenshot(&c, "record").await;

            // Name the reviewer once.
            let reviewer = c.find(Locator::Id("reviewer-name")).await.unwrap();
            reviewer.send_keys("Dr Rossi").await.unwrap();
            submit(&c, "form.reviewer button").await;
            let page = c.source().await.unwrap();
            assert!(page.contains("reviewer-name"), "after naming the reviewer: {page}");
            assert_eq!(
                c.find(Locator::Id("reviewer-name")).await.unwrap().prop("value").await.unwrap().as_deref(),
                Some("Dr Rossi"),
                "the name is kept"
            );

            // Add the Pain Physician claim.
            c.goto(&format!("{base}/claims")).await.unwrap();
            check(&c, "claims").await;
            c.find(Locator::Id("claim-text")).await.unwrap()
                .send_keys("A study published in Pain Physician found that ozone therapy significantly reduced pain and improved function in patients with herniated discs")
                .await.unwrap();
            c.find(Locator::Id("claim-source")).await.unwrap().send_keys("https://example.org/ozone-article").await.unwrap();
            submit(&c, "form[action='/claims'][method='post'] button[type=submit]").await;

            // Link the suggested review as supports, in one click.
            let link = match c
                .wait()
                .for_element(Locator::Css("button[aria-label='Link PMID 22430658 as supports']"))
                .await
            {
                Ok(e) => e,
                Err(e) => {
                    std::fs::write("/tmp/browser-fail.html", c.source().await.unwrap()).unwrap();
                    std::fs::write("/tmp/browser-fail.png", c.screenshot().await.unwrap()).unwrap();
                    panic!("no link button: {e}");
                }
            };
            check(&c, "claim").await;
            drop(link);
            submit(&c, "button[aria-label='Link PMID 22430658 as supports']").await;
            c.find(Locator::Css("button[aria-label='Unlink PMID 22430658']")).await.unwrap();

            // A verdict with a note; the reviewer is already filled in.
            assert_eq!(
                c.find(Locator::Id("verdict-reviewer")).await.unwrap().prop("value").await.unwrap().as_deref(),
                Some("Dr Rossi")
            );
            c.find(Locator::Css("#verdict option[value='partly-supported']")).await.unwrap().click().await.unwrap();
            c.find(Locator::Id("verdict-note")).await.unwrap()
                .send_keys("The 2012 meta-analysis supports pain relief; function less clearly.")
                .await.unwrap();
            submit(&c, "form[action$='/review'] button[type=submit]").await;
            let log = text_of(&c, "ol.timeline").await;
            for action in ["add", "link", "review"] {
                assert!(log.contains(action), "{action} in the log: {log}");
            }
            assert!(log.contains("Dr Rossi"));
            assert!(text_of(&c, "main").await.contains("Verdict: partly-supported"));
            screenshot(&c, "claim").await;

            // Check an article from fixtures/articles/.
            c.goto(&format!("{base}/check")).await.unwrap();
            check(&c, "check").await;
            c.find(Locator::Id("article-file")).await.unwrap().send_keys(article.to_str().unwrap()).await.unwrap();
            submit(&c, "form[action='/check'] button[type=submit]").await;
            c.find(Locator::Css("div.doc mark")).await.unwrap();
            let checked = text_of(&c, "main").await;
            assert!(checked.contains("Evidence claims in ozone-back-pain.md"));
            assert!(checked.contains("not covered by a reviewed claim"));
            check(&c, "check result").await;
            screenshot(&c, "check").await;

            // The check itself can fail: an image without a text alternative is caught.
            c.execute("document.querySelector('main').appendChild(document.createElement('img'));", vec![]).await.unwrap();
            let caught = accessibility_problems(&c, &axe).await;
            assert!(caught.iter().any(|p| p.starts_with("image-alt")), "axe-core is live: {caught:?}");

            for page in ["map", "catalogue"] {
                c.goto(&format!("{base}/{page}")).await.unwrap();
                check(&c, page).await;
                screenshot(&c, page).await;
            }
            c.close().await.unwrap();
            assert!(problems.is_empty(), "accessibility problems:\n{}", problems.join("\n"));
        });
}
