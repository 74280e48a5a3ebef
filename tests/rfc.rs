//! The RFC export and the one-command build.

mod common;

use mdbook_goals::markdown::Outline;
use mdbook_goals::rfc::export_dir;
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

const PERIOD: &str = "../shared/corpus/src/2026";
const SITE: &str = "https://rust-lang.github.io/rust-project-goals";

fn corpus_rfc() -> String {
    let rfc = export_dir(Path::new(PERIOD)).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        !rfc.diags.has_errors(),
        "{}",
        rfc.diags.render(&annotate_snippets::Renderer::plain())
    );
    rfc.text
}

/// Every link and image destination, and every definition's.
fn destinations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parser = Parser::new_ext(text, mdbook_goals::markdown::options()).into_offset_iter();
    for (event, _) in &mut parser {
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event {
            out.push(dest_url.to_string());
        }
    }
    out.extend(
        parser
            .reference_definitions()
            .iter()
            .map(|(_, d)| d.dest.to_string()),
    );
    out
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_rfc_is_self_contained() {
    assert_self_contained(&corpus_rfc());
}

#[test]
fn demo_rfc_is_self_contained() {
    let rfc = export_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("book/2027"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(
        rfc.diags.is_empty(),
        "{}",
        rfc.diags.render(&annotate_snippets::Renderer::plain())
    );
    assert_self_contained(&rfc.text);
    // The demo repeats `[TBD]` in several chapters: written once.
    assert_eq!(rfc.text.matches("\n[TBD]: ").count(), 1);
}

/// No directive left, no relative `.md` link, headings that nest, every
/// reference defined, definitions once at the end.
fn assert_self_contained(text: &str) {
    let text = text.to_string();
    assert_eq!(common::directives_left(&text), Vec::<usize>::new());
    let dests = destinations(&text);
    let relative_md: Vec<&String> = dests
        .iter()
        .filter(|d| {
            !d.contains("://")
                && !d.starts_with('#')
                && d.split('#').next().unwrap().ends_with(".md")
        })
        .collect();
    assert!(relative_md.is_empty(), "{relative_md:?}");
    // Headings nest without skipping a level.
    let outline = Outline::parse(&text);
    let mut prev = 0;
    for h in &outline.headings {
        assert!(
            h.level <= prev + 1,
            "`{}` skips from level {prev} to {}",
            h.plain,
            h.level
        );
        prev = h.level;
    }
    // Every reference it uses is defined.
    let broken: Vec<&str> = outline
        .broken_refs
        .iter()
        .map(|b| b.label.as_str())
        .collect();
    assert!(broken.is_empty(), "undefined references: {broken:?}");
    // Link definitions are gathered once, at the end, sorted.
    let defs: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('[') && !l.starts_with("[^") && l.contains("]: "))
        .collect();
    let tail: Vec<&str> = text
        .lines()
        .rev()
        .take(defs.len())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    assert_eq!(defs, tail, "definitions are not all at the end");
    let labels: Vec<String> = defs
        .iter()
        .map(|d| d[1..d.find("]:").unwrap()].to_lowercase())
        .collect();
    let unique: BTreeSet<&String> = labels.iter().collect();
    assert_eq!(unique.len(), labels.len(), "a definition is repeated");
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_rfc_keeps_absolute_urls_and_links_every_page() {
    let text = corpus_rfc();
    let dests: BTreeSet<String> = destinations(&text).into_iter().collect();
    // Absolute URLs of the inlined chapters come through unchanged.
    for page in [
        "README.md",
        "highlights.md",
        "roadmaps.md",
        "goals.md",
        "faq.md",
    ] {
        let source = std::fs::read_to_string(Path::new(PERIOD).join(page)).unwrap();
        for d in destinations(&source)
            .into_iter()
            .filter(|d| d.starts_with("http"))
        {
            assert!(dests.contains(&d), "{d} from {page} is missing");
        }
    }
    // Every goal and roadmap page of the period is linked on the site.
    let book = mdbook_goals::book::Book::open(Path::new("../shared/corpus")).unwrap();
    let slate = book.load("2026");
    let files = slate
        .goals
        .iter()
        .map(|g| &g.slug)
        .chain(slate.roadmaps.iter().map(|r| &r.slug));
    for slug in files {
        let url = format!("{SITE}/2026/{slug}.html");
        assert!(
            dests
                .iter()
                .any(|d| d.split('#').next() == Some(url.as_str())),
            "{url} is not linked"
        );
    }
    // Relative links of the chapters point at the site.
    assert!(dests.contains(&format!("{SITE}/2026/roadmap-borrow-checker-within.html")));
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn exports_are_deterministic_and_checkable() {
    assert_eq!(corpus_rfc(), corpus_rfc());
    let bin = env!("CARGO_BIN_EXE_mdbook-goals");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rfc-check");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("2026.md");
    let out = Command::new(bin)
        .args(["rfc", PERIOD, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), corpus_rfc());
    let check = |f: &Path| {
        Command::new(bin)
            .args(["rfc", PERIOD, "--check"])
            .arg(f)
            .output()
            .unwrap()
    };
    assert_eq!(
        check(&file).status.code(),
        Some(0),
        "a fresh export is accepted"
    );
    let stale =
        std::fs::read_to_string(&file)
            .unwrap()
            .replacen("75 project goals", "74 project goals", 1);
    std::fs::write(&file, stale).unwrap();
    let out = check(&file);
    assert_eq!(out.status.code(), Some(1), "a stale export is rejected");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is stale: 1 of"), "{stderr}");
    assert!(
        stderr.contains("- The 2026 goal slate consists of 74"),
        "{stderr}"
    );
    // stdout by default, byte for byte the same.
    let out = Command::new(bin).args(["rfc", PERIOD]).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), corpus_rfc());
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn not_a_period_is_a_usage_error() {
    let bin = env!("CARGO_BIN_EXE_mdbook-goals");
    let out = Command::new(bin)
        .args(["rfc", "../shared/corpus/src"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a period folder"));
}

#[test]
fn build_writes_the_site_and_the_rfc_without_mdbook() {
    let book =
        common::showcase_copy(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("build/showcase"));
    // No PATH: nothing may be looked up or started.
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .arg("build")
        .arg(&book)
        .env("PATH", "")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let site = book.join("book/index.html");
    let rfc = book.join("book/rfc/2027.md");
    assert_eq!(
        printed,
        [site.display().to_string(), rfc.display().to_string()]
    );
    assert!(site.is_file() && book.join("book/2027/widget-cache.html").is_file());
    let text = std::fs::read_to_string(&rfc).unwrap();
    assert!(text.contains("https://example.org/goals/2027/widget-cache.html"));
    assert_eq!(common::directives_left(&text), Vec::<usize>::new());
}

#[test]
fn problems_point_into_the_authors_file() {
    let book = common::showcase_copy(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("rfc-locate"));
    // A table expands above the broken line; the error still names line 7.
    std::fs::write(
        book.join("src/2027/README.md"),
        "# 2027\n\n(((GOALS)))\n\n## Schedule\n\n- [When](./when.md)\n",
    )
    .unwrap();
    let rfc = export_dir(&book.join("src/2027")).unwrap();
    let d = rfc
        .diags
        .iter()
        .find(|d| d.code.as_str() == "E0702")
        .expect("E0702");
    let loc = d.location.as_ref().unwrap();
    assert_eq!(loc.source.line_col(loc.span.start).line, 7);
    assert!(
        loc.source.text().contains("(((GOALS)))"),
        "the author's text, not the rendering"
    );
}
