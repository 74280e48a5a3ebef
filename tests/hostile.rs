//! Hostile input: every value from data is text in every output.
//!
//! A whole book full of hostile values (stray backticks, raw HTML,
//! entities, unsafe URLs) is expanded, built to HTML and exported as an
//! RFC: no raw HTML event may carry data, and every link destination must
//! follow the link policy. The escape builders themselves are tested the
//! same way beside them, in `src/render/escape/hostile.rs`.

mod common;
#[path = "common/policy.rs"]
mod policy;

use mdbook_goals::diagnostic::{Code, Diagnostic};
use mdbook_goals::markdown::options;
use mdbook_goals::source::Source;
use policy::allowed;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::fs;
use std::path::{Path, PathBuf};

fn diagnostic(message: &str, line: usize) -> Diagnostic {
    let text = "a\n<img src=x onerror=alert(1)>\n\n\nb\n";
    let src = Source::new("book/src/2027/x.md", text);
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    Diagnostic::new(Code::UnknownDirective, message)
        .at(&src, start..start + 1)
        .label("here\n\nand <b>here</b>")
        .help("try\n\n\n<script>alert(1)</script>")
}

#[test]
fn the_error_box_is_one_html_block_for_any_number_of_errors() {
    for n in [1, 2, 3] {
        let diags: Vec<Diagnostic> = (0..n)
            .map(|i| diagnostic(&format!("error {i} `<img src=x onerror=alert(1)>`"), i))
            .collect();
        let refs: Vec<&Diagnostic> = diags.iter().collect();
        let page = format!(
            "{}# After the box\n\nSome *text*.\n",
            mdbook_goals::preprocessor::error_box(&refs)
        );
        let events: Vec<Event<'_>> = Parser::new_ext(&page, options()).collect();
        // One HTML block first, then the heading, then the paragraph.
        let html: String = events
            .iter()
            .filter_map(|e| match e {
                Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
                _ => None,
            })
            .collect();
        let blocks = events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::HtmlBlock)))
            .count();
        assert_eq!(blocks, 1, "{n} errors:\n{page}");
        assert!(
            matches!(events.first(), Some(Event::Start(Tag::HtmlBlock))),
            "{page}"
        );
        let heading = events
            .iter()
            .position(|e| matches!(e, Event::Start(Tag::Heading { .. })))
            .unwrap_or_else(|| panic!("no heading after the box:\n{page}"));
        assert_eq!(
            events[heading + 1],
            Event::Text("After the box".into()),
            "{page}"
        );
        assert!(
            events[heading..]
                .iter()
                .all(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_))),
            "the chapter after the box is not inside it:\n{page}"
        );
        // Balanced, and no markup from the diagnostics.
        for (open, close) in [("<div", "</div>"), ("<pre>", "</pre>"), ("<p>", "</p>")] {
            assert_eq!(
                html.matches(open).count(),
                html.matches(close).count(),
                "{html}"
            );
        }
        assert_eq!(html.matches("<pre>").count(), n, "{html}");
        assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<b>"));
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        assert!(html.contains(&format!("{n} error")), "{html}");
    }
}

// ---------------------------------------------------------------------------
// A whole hostile book.

const TITLE: &str = "Hostile `x <img src=x onerror=alert(1)> `` `";

/// The showcase book with hostile values planted in a goal, the
/// configuration and the registry. With `refused`, `book.toml` also holds
/// URLs the link policy refuses (errors, so the build itself fails).
fn hostile_book(name: &str, refused: bool) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let book = common::showcase_copy(&dir.join("book"));
    let goal = format!(
        "# {TITLE}

| Metadata | |
|---|---|
| Point of contact | @ada |
| Status | Accepted |
| Tracking issue | [example-org/goals#9] |
| Short title | Short ``<svg onload=alert(1)>`` `<script>alert(1)</script> |
| What and why | Why <img src=x onerror=alert(1)> [click](javascript:alert(1)) |
| Roadmap | Speed |
| Highlight | Caching |
| Help wanted | Help `<img src=x onerror=alert(1)> |
| Funding contact | [fund](JaVaScRiPt:alert(1)) <script>alert(1)</script> |
| [lang] champion | @bo |

## Summary

Summary \\`<img src=x onerror=alert(1)>` and &lt;script&gt; and [x](data:text/html,x).

### Sub `<img src=x onerror=alert(1)>

| Metadata | |
|---|---|
| Roadmap | Speed |
| What and why | Sub <svg onload=alert(1)> ` |

| Task | Owner(s) | Notes |
|---|---|---|
| Do it | @eli | |

## Team asks

| Team | Support level | Notes |
|---|---|---|
| [lang] | Large | Note ` <img src=x onerror=alert(1)> [a](vbscript:x) and a note long enough to become a footnote |
| [compiler] | Medium | `|` <script>alert(1)</script> |
| [libs] | Small | x |

## Help wanted

| Task | Experience level | Time investment |
|---|---|---|
| Task <img src=x onerror=alert(1)> | `` ` `` <svg onload=alert(1)> | ` |

## Funding

| Purpose | Cost | Funded | Sponsor(s) |
|---|---|---|---|
| Work <img src=x onerror=alert(1)> | $1,000 | No | Evil <script>alert(1)</script> ` |
"
    );
    fs::write(book.join("src/2027/hostile.md"), goal).unwrap();
    let teams = fs::read_to_string(book.join("teams.toml")).unwrap();
    let teams = teams
        .replace(
            "name = \"Language team\"",
            "name = \"Lang `<img src=x onerror=alert(1)>\"",
        )
        .replace(
            "url = \"https://example.org/teams/compiler\"",
            "url = \"javascript:alert(1)\"",
        )
        .replace(
            "url = \"https://example.org/teams/libs\"",
            "url = \"https://example.org/libs) <img src=x onerror=alert(1)> \\\"x\"",
        );
    fs::write(book.join("teams.toml"), teams).unwrap();
    let mut config = fs::read_to_string(book.join("book.toml"))
        .unwrap()
        .replace(
            "ignore-users = [\"@release-bot\"]",
            "ignore-users = [\"@release-bot\"]\non-error = \"render\"",
        )
        .replace(
            "\"@ada\" = \"Ada Lindqvist\"",
            "\"@ada\" = \"Ada `<img src=x onerror=alert(1)>\"\n\"@bo\" = \"Bo ](javascript:alert(1))\"",
        )
        .replace(
            "[preprocessor.goals.linkifiers]",
            "[preprocessor.goals.linkifiers]\n\"EVIL\\\\(([^ ]+)\\\\)\" = \"$1\"",
        );
    if refused {
        config = config
            .replace(
                "on-error = \"render\"",
                "on-error = \"render\"\nuser-url = \"//evil.example/{user}\"",
            )
            .replace(
                "\"Team\" = \"https://img.example.org/team-ask.svg\"",
                "\"Team\" = \" javascript:alert(1)\"\n\"Evil\" = \"data:text/html,<script>alert(1)</script>\"",
            )
            .replace(
                "[preprocessor.goals.linkifiers]",
                "[preprocessor.goals.linkifiers]\n\"BAD([0-9]+)\" = \"vbscript:$1\"",
            );
    }
    fs::write(book.join("book.toml"), config).unwrap();
    // Use the hostile values from pages too.
    let misc = book.join("src/2027/misc.md");
    let text = fs::read_to_string(&misc).unwrap();
    fs::write(
        &misc,
        text + "\nSee [Evil], [Team] and EVIL(javascript:alert(1)) and BAD12.\n",
    )
    .unwrap();
    book
}

/// The pages SUMMARY.md lists (the goal and roadmap pages are added as
/// sub-chapters by the preprocessor).
fn summary_pages(book: &Path) -> Vec<String> {
    let summary = fs::read_to_string(book.join("src/SUMMARY.md")).unwrap();
    summary
        .split("](./")
        .skip(1)
        .filter_map(|s| s.split(')').next())
        .map(str::to_string)
        .collect()
}

/// Chapter contents by source file, after the preprocessor.
fn expanded(book: &Path) -> Vec<(String, String)> {
    use mdbook_driver::MDBook;
    use mdbook_driver::book::BookItem;
    use mdbook_driver::builtin_renderers::MarkdownRenderer;
    let mut md = MDBook::load(book).expect("the book loads");
    md.with_preprocessor(mdbook_goals::preprocessor::GoalsPreprocessor::default());
    let (expanded, _) = md
        .preprocess_book(&MarkdownRenderer::new())
        .expect("the book expands");
    let mut out = Vec::new();
    let mut stack: Vec<&BookItem> = expanded.items.iter().collect();
    while let Some(item) = stack.pop() {
        if let BookItem::Chapter(ch) = item {
            if let Some(p) = &ch.source_path {
                out.push((p.to_string_lossy().replace('\\', "/"), ch.content.clone()));
            }
            stack.extend(ch.sub_items.iter());
        }
    }
    out.sort();
    out
}

/// Raw HTML events of a document that carry markup from the payloads.
fn planted_html(md: &str) -> Vec<String> {
    Parser::new_ext(md, options())
        .filter_map(|e| match e {
            Event::Html(h) | Event::InlineHtml(h) => Some(h.to_string()),
            _ => None,
        })
        // The capacity chart's own tag, whose label is escaped HTML.
        .filter(|h| !is_capacity_chart(h))
        .filter(|h| {
            let h = h.to_ascii_lowercase();
            ["<img", "<svg", "<script", "<a "]
                .iter()
                .any(|t| h.contains(t))
        })
        .collect()
}

/// `<svg role="img" aria-label="…" …>` as `TEAM CAPACITY` writes it: one
/// quoted label without markup, then fixed attributes.
fn is_capacity_chart(h: &str) -> bool {
    let Some(rest) = h.strip_prefix("<svg role=\"img\" aria-label=\"") else {
        return false;
    };
    let Some((label, tail)) = rest.split_once('"') else {
        return false;
    };
    !label.contains(['<', '>'])
        && tail
            == " width=\"96\" height=\"12\" viewBox=\"0 0 96 12\" style=\"vertical-align:middle\">"
}

fn refused_links(md: &str) -> Vec<String> {
    Parser::new_ext(md, options())
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                (!allowed(&dest_url)).then(|| dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_hostile_book_expands_to_text() {
    let book = hostile_book("expand", true);
    let pages = expanded(&book);
    let hostile = pages
        .iter()
        .find(|(f, _)| f == "2027/hostile.md")
        .expect("the hostile goal is a chapter");
    let summary = summary_pages(&book);
    assert!(summary.len() > 8, "{summary:?}");
    for (file, content) in &pages {
        let profile = Parser::new_ext(content, options()).any(
            |e| matches!(e, Event::Start(Tag::Link { dest_url, .. }) if dest_url.contains("evil")),
        );
        assert!(!profile, "{file}: the refused `user-url` is used");
        // A goal's or roadmap's own page is the author's markdown, rendered
        // as written (see the Decisions page); the pages of SUMMARY.md hold
        // what the tool generates, and are checked whole.
        if !summary.contains(file) {
            continue;
        }
        assert_eq!(
            planted_html(content),
            Vec::<String>::new(),
            "{file}:\n{content}"
        );
        assert_eq!(
            refused_links(content),
            Vec::<String>::new(),
            "{file}:\n{content}"
        );
    }
    // The generated rows of the goal's own page are text too.
    for row in ["| Teams |", "| Task owners |"] {
        let line = hostile.1.lines().find(|l| l.starts_with(row)).unwrap();
        let table = format!("| a | b |\n|---|---|\n{line}\n");
        assert_eq!(planted_html(&table), Vec::<String>::new(), "{line}");
        assert_eq!(refused_links(&table), Vec::<String>::new(), "{line}");
    }
    // The hostile values did reach the pages, as text.
    let all: String = pages.iter().map(|(_, c)| c.as_str()).collect();
    for shown_as_text in [
        "&lt;img src=x onerror=alert(1)>",
        "Lang \\`\\<img",
        "Ada \\`\\<img",
    ] {
        assert!(all.contains(shown_as_text), "{shown_as_text} is missing");
    }
    // The configuration errors are in one box on the first chapter, and
    // the chapter after it still starts with its heading.
    let (_, readme) = pages.iter().find(|(f, _)| f == "README.md").unwrap();
    assert!(readme.contains("errors in this chapter"), "{readme}");
    let events: Vec<Event<'_>> = Parser::new_ext(readme, options()).collect();
    let end = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::HtmlBlock)))
        .unwrap();
    assert!(
        matches!(events[end + 1], Event::Start(Tag::Heading { .. })),
        "{readme}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, Event::Start(Tag::HtmlBlock)))
            .count(),
        1,
        "{readme}"
    );
}

#[test]
fn a_hostile_book_builds_to_html_and_an_rfc_without_planted_markup() {
    let book = hostile_book("build", false);
    let summary = summary_pages(&book);
    let built = mdbook_goals::site::build(&book, &Default::default()).expect("the book builds");
    let (mut checked, mut tocs) = (0, 0);
    let mut stack = vec![built.site.clone()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let page = path.strip_prefix(&built.site).unwrap();
            let page = page.to_string_lossy().replace("index.html", "README.html");
            // The table of contents names every chapter, goals included.
            let toc = page.starts_with("toc");
            if !toc && path.extension().is_none_or(|e| e != "html") {
                continue;
            }
            // Goal and roadmap pages (also on the print page) are the
            // author's markdown, rendered as written.
            if !toc && !summary.contains(&page.replace(".html", ".md")) {
                continue;
            }
            if toc {
                tocs += 1;
            }
            let html = fs::read_to_string(&path).unwrap();
            let lower = html.to_ascii_lowercase();
            for bad in [
                "href=\"javascript:",
                "href=\"data:",
                "href=\"vbscript:",
                "href=\"//",
            ] {
                assert!(!lower.contains(bad), "{}: {bad}", path.display());
            }
            for bad in ["<img src=x onerror", "<svg onload", "<script>alert"] {
                assert!(!html.contains(bad), "{}: {bad}", path.display());
            }
            checked += 1;
        }
    }
    assert_eq!(tocs, 2, "toc.html and its script");
    assert_eq!(checked, summary.len() + tocs, "pages checked");
    // The RFC: no planted markup, no refused link, outside the goal's own
    // text.
    let rfc = fs::read_to_string(built.rfc.path().expect("an RFC")).unwrap();
    let own = fs::read_to_string(book.join("src/2027/hostile.md")).unwrap();
    let planted: Vec<String> = planted_html(&rfc)
        .into_iter()
        .filter(|h| !own.contains(h.trim()))
        .collect();
    assert_eq!(planted, Vec::<String>::new(), "{rfc}");
    assert_eq!(refused_links(&rfc), Vec::<String>::new(), "{rfc}");
}

#[test]
fn the_rfc_export_of_a_hostile_book_is_text() {
    let dir = hostile_book("rfc", true);
    let book = mdbook_goals::book::Book::open(&dir).unwrap();
    // The configuration's refused URLs are reported where they are.
    let codes: Vec<&str> = book.diags.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"E0604"), "{codes:?}");
    assert!(codes.contains(&"W0602"), "{codes:?}");
    let export = mdbook_goals::rfc::export(&book, "2027");
    assert!(
        export
            .text
            .contains("[Short ``<svg onload=alert(1)>`` \\`&lt;script>"),
        "the RFC lists the hostile goal, as text:\n{}",
        export.text
    );
    let own = fs::read_to_string(dir.join("src/2027/hostile.md")).unwrap();
    let planted: Vec<String> = planted_html(&export.text)
        .into_iter()
        .filter(|h| !own.contains(h.trim()))
        .collect();
    assert_eq!(planted, Vec::<String>::new(), "{}", export.text);
    assert_eq!(refused_links(&export.text), Vec::<String>::new());
}
