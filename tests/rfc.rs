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
    // The demo's `TBD` badges are bold text, never a remote image.
    assert!(rfc.text.contains("**TBD**"));
    assert!(!rfc.text.contains("shields.io"), "{}", rfc.text);
    assert!(!rfc.text.contains("<span"), "{}", rfc.text);
    // Labels repeated in several chapters are defined once.
    let labels: Vec<&str> = rfc
        .text
        .lines()
        .filter(|l| l.starts_with('[') && l.contains("]: "))
        .map(|l| l.split("]: ").next().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&str> = labels.iter().copied().collect();
    assert!(labels.len() > 3);
    assert_eq!(labels.len(), unique.len(), "{labels:?}");
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
            h.plain(&text),
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
fn corpus_exports_are_deterministic_and_checkable() {
    assert_eq!(corpus_rfc(), corpus_rfc());
    assert_exports_are_checkable(Path::new(PERIOD), "rfc-check-corpus");
}

#[test]
fn exports_are_deterministic_and_checkable() {
    assert_exports_are_checkable(&demo_period(), "rfc-check-demo");
}

/// The newest period of the project's own book.
fn demo_period() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/2027")
}

/// `rfc -o` writes the export, `--check` accepts it, rejects it once a line
/// changed (naming the line), and stdout holds the same bytes.
fn assert_exports_are_checkable(period: &Path, scratch: &str) {
    let fresh = export_dir(period).unwrap_or_else(|e| panic!("{e:?}")).text;
    assert_eq!(export_dir(period).unwrap().text, fresh, "deterministic");
    let bin = env!("CARGO_BIN_EXE_mdbook-goals");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(scratch);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rfc.md");
    let out = Command::new(bin)
        .arg("rfc")
        .arg(period)
        .arg("-o")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), fresh);
    let check = |f: &Path| {
        Command::new(bin)
            .arg("rfc")
            .arg(period)
            .arg("--check")
            .arg(f)
            .output()
            .unwrap()
    };
    assert_eq!(
        check(&file).status.code(),
        Some(0),
        "a fresh export is accepted"
    );
    // Change the third line.
    let lines: Vec<&str> = fresh.lines().collect();
    let changed = format!("{} (edited)", lines[2]);
    let stale: Vec<&str> = lines[..2]
        .iter()
        .copied()
        .chain([changed.as_str()])
        .chain(lines[3..].iter().copied())
        .collect();
    std::fs::write(&file, stale.join("\n") + "\n").unwrap();
    let out = check(&file);
    assert_eq!(out.status.code(), Some(1), "a stale export is rejected");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "is stale: 1 of {} lines differs; first at line 3",
            lines.len()
        )),
        "{stderr}"
    );
    assert!(stderr.contains(&format!("- {changed}")), "{stderr}");
    // stdout by default, byte for byte the same.
    let out = Command::new(bin).arg("rfc").arg(period).output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), fresh);
}

#[test]
fn not_a_period_is_a_usage_error() {
    // The demo book's source folder is inside the book but is no period.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("book");
    let out = Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .arg("rfc")
        .arg(&src)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("is not a period folder of the book in")
            && stderr.contains("(its periods: 2025h2, 2027)"),
        "{stderr}"
    );
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
    let site = book.join("book/index.html");
    let rfc = book.join("book/rfc/2027.md");
    assert_eq!(
        lines(&out.stdout),
        [
            format!("wrote the site: {}", site.display()),
            format!("wrote the RFC of 2027: {}", rfc.display())
        ]
    );
    assert!(site.is_file() && book.join("book/2027/widget-cache.html").is_file());
    // The same site as `mdbook build`: search included, its index holding
    // the goals.
    let index = search_index(&book.join("book"));
    assert!(
        index.contains("Cache widgets between builds"),
        "{index:.200}"
    );
    assert!(
        std::fs::read_to_string(&site)
            .unwrap()
            .contains("searchindex"),
        "the page loads the search index"
    );
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

fn lines(bytes: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(bytes)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The text of the site's search index (`searchindex-<hash>.js`, or
/// `searchindex.json`).
fn search_index(site: &Path) -> String {
    let found = std::fs::read_dir(site)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("searchindex") && (name.ends_with(".js") || name.ends_with(".json"))
        })
        .unwrap_or_else(|| panic!("no search index in {}", site.display()));
    std::fs::read_to_string(found).unwrap()
}

fn build_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
        .arg("build")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

/// A successful `build` run in `dir`: the lines it printed on stdout.
fn built_in(dir: &Path, args: &[&str]) -> Vec<String> {
    let out = build_in(dir, args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines(&out.stdout)
}

#[test]
fn build_options_choose_the_folder_and_the_rfc() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-options");
    let book = common::showcase_copy(&root.join("showcase"));
    // `--dest-dir` is relative to the current folder; `--period` picks the RFC.
    assert_eq!(
        built_in(&root, &["showcase", "-d", "out", "--period", "2025h1"]),
        [
            "wrote the site: out/index.html",
            "wrote the RFC of 2025h1: out/rfc/2025h1.md"
        ]
    );
    assert!(root.join("out/2027/widget-cache.html").is_file());
    assert!(root.join("out/rfc/2025h1.md").is_file());
    assert!(!root.join("out/rfc/2027.md").exists());
    assert!(
        !book.join("book").exists(),
        "the book's build folder is unused"
    );
    // `--no-rfc`: the site only.
    assert_eq!(
        built_in(&root, &["showcase", "--dest-dir", "site-only", "--no-rfc"]),
        [
            "wrote the site: site-only/index.html",
            "wrote no RFC (--no-rfc)"
        ]
    );
    assert!(root.join("site-only/index.html").is_file());
    assert!(!root.join("site-only/rfc").exists());
    // An unknown period is a usage error, before anything is built.
    let out = build_in(&root, &["showcase", "-d", "never", "--period", "1999"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: no period `1999`; the book has: 2025h1, 2027\n"
    );
    assert!(!root.join("never").exists());
}

#[test]
fn build_prints_each_problem_once_for_the_site_and_the_rfc() {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("build-once");
    let book = common::showcase_copy(&root.join("showcase"));
    // A warning in the newest period: both the site and the RFC see it.
    let goal = book.join("src/2027/widget-cache.md");
    let text = std::fs::read_to_string(&goal).unwrap();
    std::fs::write(
        &goal,
        text.replacen("| Zulip channel |", "| Zulip chanel |", 1),
    )
    .unwrap();
    let out = build_in(&root, &["showcase"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .matches("unknown metadata row `Zulip chanel`")
            .count(),
        1,
        "{stderr}"
    );
    // Printed by the site's build in the one-line form.
    assert!(
        stderr.contains(
            "warning[W0201]: showcase/src/2027/widget-cache.md:8:3: unknown metadata row `Zulip chanel`\n"
        ),
        "{stderr}"
    );
    assert!(book.join("book/rfc/2027.md").is_file());
}
