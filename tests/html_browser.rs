//! The HTML report in a real browser: the seed pair, a real WMT document and
//! an article with a `<script>` in it are rendered with `--format html`, loaded
//! from `file://` in headless Chromium (Debian's `chromium` package) and checked:
//! no console error or exception, no network request, one `tr[data-pair]` per
//! pair of the JSON report, the seed's misspelt names marked `name-variant`,
//! clicking the BLEU column header reorders the rows, the page reads without
//! scripts, no horizontal scrolling at 375 px, and the hostile article's script
//! and image handler leave no trace. Screenshots at 1280 and 375 px go to
//! `target/html-screenshots/`.
//!
//! Without Chromium the test fails and says how to install it, unless
//! `TQSCORE_SKIP_BROWSER=1` is set.

#[path = "html_browser/cdp.rs"]
mod cdp;
mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

use cdp::{Browser, CHROMIUM};

/// Render `tqscore score REFERENCE CANDIDATE` as HTML into `dir/NAME.html`; also return the JSON report.
fn render(dir: &Path, name: &str, reference: &Path, candidate: &Path) -> (PathBuf, Value) {
    let page = dir.join(format!("{name}.html"));
    let score = |format: &str| {
        let mut cmd = Command::cargo_bin("tqscore").unwrap();
        cmd.arg("score").arg(reference).arg(candidate).args(["--bootstrap", "100", "--format", format]);
        cmd
    };
    let out = score("html").arg("-o").arg(&page).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = score("json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (page, serde_json::from_slice(&out.stdout).unwrap())
}

/// Chromium, or why there is none (the test fails unless TQSCORE_SKIP_BROWSER=1).
fn browser() -> Option<Browser> {
    if Path::new(CHROMIUM).is_file() {
        return Some(Browser::launch());
    }
    if std::env::var("TQSCORE_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("skipping the browser test: {CHROMIUM} is missing and TQSCORE_SKIP_BROWSER=1");
        return None;
    }
    panic!(
        "the HTML report's browser test needs Chromium at {CHROMIUM}\n  hint: run scripts/test.sh (it installs it), \
         or `apt-get install -y chromium chromium-driver`; TQSCORE_SKIP_BROWSER=1 skips this test"
    );
}

/// The console errors, exceptions and network requests (other than the page itself) among `events`.
fn problems(events: &[Value], url: &str) -> Vec<String> {
    let mut found = Vec::new();
    for e in events {
        let p = &e["params"];
        match e["method"].as_str().unwrap_or_default() {
            "Runtime.consoleAPICalled" if matches!(p["type"].as_str(), Some("error" | "warning" | "assert")) => {
                found.push(format!("console {}: {}", p["type"], p["args"]))
            }
            "Runtime.exceptionThrown" => found.push(format!("exception: {}", p["exceptionDetails"])),
            "Log.entryAdded" if matches!(p["entry"]["level"].as_str(), Some("error" | "warning")) => {
                found.push(format!("log: {}", p["entry"]["text"]))
            }
            "Network.requestWillBeSent" if p["request"]["url"] != url => {
                found.push(format!("request: {}", p["request"]["url"]))
            }
            _ => {}
        }
    }
    found
}

/// The pairs' BLEU values in the table's current row order.
fn bleu_order(browser: &mut Browser) -> Vec<f64> {
    let values = browser.eval("[...document.querySelectorAll('tr[data-pair]')].map(r => +r.dataset.bleu)");
    values.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}

/// Load `page`, check it as the module says, and save its screenshots as `target/html-screenshots/NAME-WIDTH.png`.
fn check_page(browser: &mut Browser, page: &Path, json: &Value, name: &str) {
    let shots = common::root().join("target/html-screenshots");
    for width in [1280, 375] {
        browser.set_width(width);
        browser.take_events();
        let url = browser.open(page);
        let rows = browser.eval("document.querySelectorAll('tr[data-pair]').length");
        assert_eq!(rows, json["pairs"].as_array().unwrap().len(), "{name}: a row per pair of the JSON report");
        let parsed = browser.eval("JSON.parse(document.getElementById('tqscore-report').textContent).pairs.length");
        assert_eq!(parsed, rows, "{name}: the browser parses the embedded report");
        let embedded = browser.eval("document.getElementById('tqscore-report').textContent");
        let embedded: Value = serde_json::from_str(embedded.as_str().unwrap()).unwrap();
        assert!(&embedded == json, "{name}: the embedded report differs from the JSON report");
        // A mobile viewport widens to the widest content: then the page would need sideways scrolling.
        let wide = browser.eval("Math.max(window.innerWidth, document.documentElement.scrollWidth)");
        assert_eq!(wide, width, "{name} is wider than {width} px");

        let before = bleu_order(browser);
        // At 1280 px the BLEU column header sorts; at 375 px the table has no header row, the controls sort.
        let sort = if width > 700 { "th[data-sort=bleu] button" } else { "button[data-action=weakest]" };
        browser.click(sort);
        let ascending = bleu_order(browser);
        assert!(
            ascending.windows(2).all(|w| w[0] <= w[1]),
            "{name} at {width} px: weakest first after a click: {ascending:?}"
        );
        assert_ne!(ascending, before, "{name}: sorting by BLEU reorders the rows");
        if width > 700 {
            browser.click(sort);
            let descending = bleu_order(browser);
            assert!(descending.windows(2).all(|w| w[0] >= w[1]), "{name}: a second click reverses: {descending:?}");
        }
        browser.click("button[data-action=order]");
        assert_eq!(bleu_order(browser), before, "{name}: article order is restored");
        browser.click("input[data-filter=low]");
        let low = json["pairs"].as_array().unwrap().iter().filter(|p| p["low_confidence"] == true).count();
        assert_eq!(
            browser.eval("document.querySelectorAll('table.pairs tbody tr:not([hidden])').length"),
            low,
            "{name}"
        );
        browser.click("input[data-filter=low]");
        browser.screenshot(&shots.join(format!("{name}-{width}.png")));

        let events = browser.take_events();
        let found = problems(&events, &url);
        assert!(found.is_empty(), "{name} at {width} px: {found:#?}");
    }
}

#[test]
fn the_html_report_works_in_chromium() {
    let Some(mut browser) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();

    let (seed, json) =
        render(dir.path(), "seed", &common::fixture("seed/reference.txt"), &common::fixture("seed/candidate.txt"));
    check_page(&mut browser, &seed, &json, "seed");
    browser.open(&seed);
    let variants =
        browser.eval("[...document.querySelectorAll('tr[data-pair] mark.name-variant')].map(m => m.textContent)");
    for name in ["Vikov", "Witkov", "Vickov", "Pudin"] {
        assert!(variants.as_array().unwrap().contains(&name.into()), "{name} not marked name-variant: {variants}");
    }
    let title = browser.eval("document.querySelector('mark.name-variant').title");
    assert!(title.as_str().unwrap().contains("Witkoff"), "the reference form is in the title: {title}");

    let (reference, candidate) = common::wmt_document(dir.path());
    let (wmt, json) = render(dir.path(), "wmt21-ru-en", &reference, &candidate);
    check_page(&mut browser, &wmt, &json, "wmt21-ru-en");

    // Without scripts the page still shows every pair (the controls stay hidden).
    browser.call("Emulation.setScriptExecutionDisabled", serde_json::json!({ "value": true }));
    browser.open(&seed);
    assert_eq!(browser.eval("document.querySelectorAll('tr[data-pair]').length"), 20);
    assert_eq!(browser.eval("document.getElementById('controls').hidden"), true);
    browser.call("Emulation.setScriptExecutionDisabled", serde_json::json!({ "value": false }));

    let (reference, candidate) = common::hostile_pair(dir.path());
    let (hostile, _) = render(dir.path(), "hostile", &reference, &candidate);
    browser.take_events();
    let url = browser.open(&hostile);
    assert_eq!(browser.eval("typeof window.__pwned"), "undefined", "a script of the article ran");
    assert_eq!(
        browser.eval("document.querySelectorAll('img, script:not([id=tqscore-report]):not([nonce])').length"),
        0
    );
    let shown = browser.eval("[...document.querySelectorAll('td.text')].some(td => td.textContent.includes('<script>window.__pwned=1</script>'))");
    assert_eq!(shown, true, "the hostile text is shown as text");
    let found = problems(&browser.take_events(), &url);
    assert!(found.is_empty(), "hostile page: {found:#?}");
}
