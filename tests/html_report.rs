//! `--format html`: the page's hooks agree with the JSON report (one
//! `tr[data-pair]` per pair, the seed's misspelt names marked `name-variant`,
//! the embedded JSON equal to `--format json`), untrusted text is inert, the
//! page asks for nothing from the network, and `-o` writes the page instead of
//! the JSON. (`tests/html_browser.rs` checks the same pages in Chromium.)

mod common;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn tqscore() -> Command {
    Command::cargo_bin("tqscore").unwrap()
}

/// Standard output of a successful `tqscore ARGS`.
fn run(args: &[&str]) -> String {
    let out = tqscore().args(args).output().unwrap();
    assert!(out.status.success(), "tqscore {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The embedded JSON report of a page.
fn embedded_json(html: &str) -> Value {
    let open = "<script type=\"application/json\" id=\"tqscore-report\">";
    let start = html.find(open).expect("the page embeds the JSON report") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("the embedded report is JSON")
}

/// The text of every `<mark class="CLASS" …>…</mark>`, tags inside removed.
fn marks(html: &str, class: &str) -> Vec<String> {
    let open = format!("<mark class=\"{class}\"");
    html.match_indices(&open)
        .map(|(at, _)| {
            let inner = &html[at..];
            let inner = &inner[inner.find('>').unwrap() + 1..inner.find("</mark>").unwrap()];
            let mut text = String::new();
            let mut in_tag = false;
            for c in inner.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

#[test]
fn the_seed_page_has_a_row_per_pair_marks_the_variants_and_embeds_the_json_report() {
    let (reference, candidate) = (common::fixture("seed/reference.txt"), common::fixture("seed/candidate.txt"));
    let args = ["score", path(&reference), path(&candidate), "--bootstrap", "100"];
    let html = run(&[&args[..], &["--format", "html"]].concat());
    let json: Value = serde_json::from_str(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();

    let pairs = json["pairs"].as_array().unwrap().len();
    assert_eq!(pairs, 20);
    assert_eq!(html.matches("<tr data-pair=\"").count(), pairs);
    for i in 0..pairs {
        assert!(html.contains(&format!("<tr data-pair=\"{i}\" ")), "no row for pair {i}");
    }
    let variants = marks(&html, "name-variant");
    for name in ["Vikov", "Witkov", "Vickov", "Pudin"] {
        assert!(variants.iter().any(|v| v == name), "{name} is not marked name-variant: {variants:?}");
    }
    assert_eq!(variants.len(), json["names"]["variants"].as_u64().unwrap() as usize);
    assert!(marks(&html, "name-exact").iter().any(|m| m == "Putin"));
    assert!(html.contains("<span class=\"match\">"));
    // Five boilerplate lines of the candidate, shown in place with why they are out.
    assert_eq!(html.matches("<tr class=\"out extra\"").count(), 5);
    assert!(html.contains("outside the body (a header or footer); not scored"));

    assert_eq!(embedded_json(&html), json, "the embedded report is the JSON report");
    assert!(html.contains("<svg viewBox="), "the histograms are inline SVG");
    assert!(!html.contains("http:") && !html.contains("https:") && !html.contains(" src="), "no external resource");
    assert!(html.contains("Content-Security-Policy\" content=\"default-src 'none';"));
}

#[test]
fn article_text_cannot_add_markup_or_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let (reference, candidate) = common::hostile_pair(dir.path());
    let html = run(&["score", path(&reference), path(&candidate), "--bootstrap", "0", "--format", "html"]);
    assert_eq!(html.matches("<script").count(), 2, "only the JSON report and the page's own script");
    assert!(!html.contains("<img"), "an <img> of the article became markup");
    assert!(html.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"), "the text is shown, escaped");
    assert!(html.contains("&lt;img src=x onerror=&quot;window.__pwned=2&quot;&gt;"));
    let json = embedded_json(&html);
    let sentences = json["sentences"]["candidate"].as_array().unwrap();
    assert!(sentences.iter().any(|s| s.as_str().unwrap().contains("<script>window.__pwned=1</script>")));
}

#[test]
fn o_writes_the_page_and_nothing_else_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    let (reference, candidate) = (common::fixture("seed/reference.txt"), common::fixture("seed/candidate.txt"));
    let out =
        run(&["score", path(&reference), path(&candidate), "--bootstrap", "0", "--format", "html", "-o", path(&page)]);
    assert_eq!(out, "");
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.ends_with("</html>\n"));
    assert_eq!(embedded_json(&html)["pairs"].as_array().unwrap().len(), 20);
}

#[test]
fn a_test_set_page_links_every_article_and_a_comparison_page_has_its_measures() {
    let dir = tempfile::tempdir().unwrap();
    let cases = ["battery-plant", "cup-final"];
    let list: String = cases
        .iter()
        .map(|c| {
            let folder = common::fixture(&format!("align/{c}"));
            format!("{}\t{}\t{c}\n", folder.join("reference.txt").display(), folder.join("candidate.txt").display())
        })
        .collect();
    let pairs = dir.path().join("pairs.tsv");
    std::fs::write(&pairs, list).unwrap();
    let html = run(&["score", "--pairs", path(&pairs), "--bootstrap", "0", "--format", "html"]);
    let json = embedded_json(&html);
    for (k, case) in cases.iter().enumerate() {
        assert!(html.contains(&format!("<a href=\"#article-{k}\">{case}</a>")), "{case} is not linked");
        assert!(html.contains(&format!("<section class=\"article\" id=\"article-{k}\"")));
        let pairs = json["articles"][k]["pairs"].as_array().unwrap().len();
        assert_eq!(html.matches(&format!("data-article=\"{k}\"")).count(), 1);
        let section = html.split(&format!("id=\"article-{k}\"")).nth(1).unwrap();
        let section = section.split("<section class=\"article\"").next().unwrap();
        assert_eq!(section.matches("<tr data-pair=\"").count(), pairs, "{case}");
    }

    let (reference, candidate) = (common::fixture("seed/reference.txt"), common::fixture("seed/candidate.txt"));
    let repaired = common::fixture("compare/candidate-names-repaired.txt");
    let args = ["compare", path(&reference), path(&candidate), path(&repaired), "--bootstrap", "200"];
    let html = run(&[&args[..], &["--format", "html"]].concat());
    let json: Value = serde_json::from_str(&run(&[&args[..], &["--format", "json"]].concat())).unwrap();
    assert_eq!(embedded_json(&html), json);
    assert!(html.contains("<th scope=\"row\">name variant rate % ↓</th>"), "the measures table");
    assert!(html.contains("Biggest BLEU gains"));
}

#[test]
fn an_omitted_sentence_is_shown_in_place_with_why() {
    let dir = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(common::fixture("seed/candidate.txt")).unwrap();
    let dropped = "Mr Peskov's comments show that Russia is eager to negotiate with the United States on Ukraine.";
    assert!(seed.contains(dropped));
    let candidate = dir.path().join("candidate.txt");
    std::fs::write(&candidate, seed.replace(dropped, "")).unwrap();
    let reference = common::fixture("seed/reference.txt");
    let html = run(&["score", path(&reference), path(&candidate), "--bootstrap", "0", "--format", "html"]);
    let json = embedded_json(&html);
    let omitted = json["unaligned"]["reference"].as_array().unwrap();
    assert_eq!(omitted.len(), 1, "{omitted:?}");
    let s = omitted[0].as_u64().unwrap();
    let row = html.find("<tr class=\"out omitted\" data-order=").unwrap();
    assert!(
        html[row..].starts_with(&format!("<tr class=\"out omitted\" data-order=\"{}\" data-reference=\"{s}\">", s + 2))
    );
    assert!(html[row..].contains("no candidate sentence renders it"));
    // In place: after the pair of the sentence before it, before the pair of the sentence after it.
    let pairs = json["pairs"].as_array().unwrap();
    let pair_of = |r: u64| pairs.iter().position(|p| p["reference"][0] == r).unwrap();
    let before = html.find(&format!("<tr data-pair=\"{}\" ", pair_of(s - 1))).unwrap();
    let after = html.find(&format!("<tr data-pair=\"{}\" ", pair_of(s + 1))).unwrap();
    assert!(before < row && row < after);
}
