//! The preprocessor in-process (`MDBook::load` + `with_preprocessor`): the
//! showcase book's pages as snapshots, the text rules, and the corpus facts.
//!
//! Regenerate snapshots with `INSTA_UPDATE=always cargo test --test preprocess`.

mod common;

use mdbook_driver::MDBook;
use mdbook_driver::book::{Book, BookItem, Chapter};
use mdbook_driver::builtin_renderers::MarkdownRenderer;
use mdbook_goals::preprocessor::GoalsPreprocessor;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn expand(dir: &Path) -> Book {
    let mut md = MDBook::load(dir).expect("the book loads");
    md.with_preprocessor(GoalsPreprocessor::default());
    md.preprocess_book(&MarkdownRenderer::new())
        .expect("the book expands")
        .0
}

use common::pages;

fn showcase() -> BTreeMap<String, String> {
    pages(&expand(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/showcase"),
    ))
}

#[test]
fn showcase_pages() {
    let pages = showcase();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/showcase");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (file, content) in &pages {
            insta::assert_snapshot!(file.replace(['/', '.'], "_"), content);
        }
    });
    // Every goal and roadmap has a page, not-accepted goals included.
    for file in [
        "2027/widget-cache.md",
        "2027/pipe-title.md",
        "2027/dropped.md",
        "2027/roadmap-speed.md",
        "2025h1/shelved.md",
    ] {
        assert!(pages.contains_key(file), "{file}");
    }
    for (file, content) in &pages {
        assert_eq!(
            common::directives_left(content),
            Vec::<usize>::new(),
            "{file}"
        );
    }
}

#[test]
fn text_rules() {
    let pages = showcase();
    let misc = &pages["2027/misc.md"];
    assert!(
        misc.contains("Ping [@bo](https://github.com/bo) and @release-bot."),
        "{misc}"
    );
    assert!(misc.contains("`(((GOALS)))`"));
    assert!(misc.contains("```text\n(((TEAM ASKS)))\n@nobody RFC #1\n```"));
    assert!(misc.contains("Write \\(((GOALS))) to show"));
    assert!(misc.contains("bo@example.org, a URL https://example.org/@bo#9"));
    assert!(misc.contains("[@cyd and RFC #8](https://example.org/elsewhere)"));
    assert!(misc.contains("[RFC #42](https://rfcs.example.org/42)"));
    assert!(misc.contains("[RFC #7]: https://rfcs.example.org/7\n"));
    // A known badge is styled text, not the book's remote image.
    assert!(misc.contains(">Help wanted</span>"), "{misc}");
    assert!(!misc.contains("help-wanted.svg"), "{misc}");
    assert!(
        !misc.contains("[docs]:"),
        "a team without URL gets no definition"
    );
    // A block directive inside a list item stays inside it.
    assert!(misc.contains(
        "- A list item with a table:\n\n  | Roadmap | Point of contact | What and why |\n  | --- |"
    ));
    // No link inside a link, anywhere.
    for (file, content) in &pages {
        let outline = mdbook_goals::markdown::Outline::parse(content);
        for link in &outline.links {
            let whole = &content[link.clone()];
            // The text of an inline link ends at its last `](`.
            let Some(text_end) = whole.rfind("](") else {
                continue;
            };
            let text = &whole[1..text_end];
            assert!(!text.contains("]("), "nested link in {file}: {whole}");
        }
    }
}

#[test]
fn hostile_titles_stay_in_their_cell() {
    let pages = showcase();
    let readme = &pages["2027/README.md"];
    let row = readme
        .lines()
        .find(|l| l.contains("pipe-title.md"))
        .expect("the goal is listed");
    assert!(row.contains("[Pipes \\| and &lt;script>alert(1)&lt;/script> tags](./pipe-title.md)"));
    // The row still has the table's three cells.
    let outline = mdbook_goals::markdown::Outline::parse(readme);
    let table = &outline.tables[0];
    assert!(
        table
            .rows
            .iter()
            .all(|r| r.cells.len() == 3 && r.overflow.is_none())
    );
    assert!(
        !pages
            .iter()
            .any(|(f, c)| f != "2027/pipe-title.md" && c.contains("<script>"))
    );
}

#[test]
fn generated_rows_and_sub_chapters() {
    let book = expand(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/showcase"));
    let pages = pages(&book);
    let goal = &pages["2027/widget-cache.md"];
    assert!(
        goal.contains(
            "| [compiler] champion | @dee |\n"
                .replace("@dee", "[@dee](https://github.com/dee)")
                .as_str()
        )
    );
    assert!(goal.contains("| Teams | [compiler](https://example.org/teams/compiler), [lang](https://example.org/teams/lang), [libs](https://example.org/teams/libs) |\n| Task owners | [Ada Lindqvist](https://github.com/ada), [@eli](https://github.com/eli), [@Gus](https://github.com/Gus) |\n\n## Summary"));
    // Placeholder rows are filled in where they stand.
    let legacy = &pages["2025h1/async-widgets.md"];
    assert!(legacy.contains("| Teams | [lang](https://example.org/teams/lang), [libs](https://example.org/teams/libs) |\n| Task owners |"));
    assert!(!legacy.contains("<!--"));
    // Goal sub-chapters sit under the page with GOAL CHAPTERS, sorted by
    // title, numbered below it.
    let goals_page = find(&book.items, "2027/goals.md").expect("goals page");
    let names: Vec<&str> = goals_page
        .sub_items
        .iter()
        .filter_map(|i| match i {
            BookItem::Chapter(c) => Some(c.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        names,
        [
            "Cache widgets between builds",
            "Document every gadget",
            "Pipes | and alert(1) tags",
            "Rewrite everything",
            "Sprocket experiments"
        ]
    );
    let first = match &goals_page.sub_items[0] {
        BookItem::Chapter(c) => c,
        _ => unreachable!(),
    };
    let parent = goals_page.number.as_ref().unwrap().to_vec();
    let mut expected = parent.clone();
    expected.push(1);
    assert_eq!(first.number.as_ref().unwrap().to_vec(), expected);
}

fn find<'a>(items: &'a [BookItem], file: &str) -> Option<&'a Chapter> {
    for item in items {
        if let BookItem::Chapter(c) = item {
            if c.source_path.as_deref() == Some(Path::new(file)) {
                return Some(c);
            }
            if let Some(found) = find(&c.sub_items, file) {
                return Some(found);
            }
        }
    }
    None
}

/// Goal files a page links to, relative to its period.
fn linked_goals(page: &str, period: &mdbook_goals::slate::Slate) -> BTreeSet<String> {
    let outline = mdbook_goals::markdown::Outline::parse(page);
    let files: BTreeSet<String> = period
        .goals
        .iter()
        .map(|g| g.slug.clone() + ".md")
        .collect();
    outline
        .links
        .iter()
        .filter_map(|l| {
            let s = &page[l.clone()];
            let target = s.rsplit_once("](./")?.1.trim_end_matches(')');
            let target = target.split('#').next()?;
            files.contains(target).then(|| target.to_string())
        })
        .collect()
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_expands_completely() {
    let dir = Path::new("../shared/corpus");
    let pages = pages(&expand(dir));
    let book = mdbook_goals::book::Book::open(dir).unwrap();
    let p2026 = book.load("2026");
    let p2024 = book.load("2024h2");
    // Every goal and roadmap of both periods has its own page.
    for g in p2026.goals.iter().chain(&p2024.goals) {
        assert!(pages.contains_key(&g.file), "{} has no page", g.file);
    }
    for r in &p2026.roadmaps {
        assert!(pages.contains_key(&r.file), "{} has no page", r.file);
    }
    // No directive is left outside code.
    for (file, content) in &pages {
        assert_eq!(
            common::directives_left(content),
            Vec::<usize>::new(),
            "{file}"
        );
    }
    let live_2026: BTreeSet<String> = p2026.live_goals().map(|g| g.slug.clone() + ".md").collect();
    assert_eq!(live_2026.len(), 75);
    assert_eq!(linked_goals(&pages["2026/goals.md"], &p2026), live_2026);
    let live_2024: BTreeSet<String> = p2024.live_goals().map(|g| g.slug.clone() + ".md").collect();
    assert_eq!(live_2024.len(), 26);
    assert_eq!(linked_goals(&pages["2024h2/goals.md"], &p2024), live_2024);
    assert_eq!(linked_goals(&pages["2026/faq.md"], &p2026).len(), 1);
    assert_eq!(
        linked_goals(&pages["2024h2/not_accepted.md"], &p2024).len(),
        5
    );
}

/// Users in `[preprocessor.goals.users]` and `ignore-users` may be written
/// with or without `@`, in any case: the pages are the same.
#[test]
fn configured_users_match_without_at_and_in_any_case() {
    let dir = common::showcase_copy(
        &Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("preprocess")
            .join("user-keys"),
    );
    let toml_path = dir.join("book.toml");
    let toml = std::fs::read_to_string(&toml_path).unwrap();
    let edited = toml
        .replacen(
            "\"@ada\" = \"Ada Lindqvist\"",
            "\"ADA\" = \"Ada Lindqvist\"",
            1,
        )
        .replacen(
            "ignore-users = [\"@release-bot\"]",
            "ignore-users = [\"Release-Bot\"]",
            1,
        );
    assert_ne!(edited, toml);
    assert_eq!(edited.matches("\"ADA\"").count(), 1);
    assert_eq!(edited.matches("\"Release-Bot\"").count(), 1);
    std::fs::write(&toml_path, edited).unwrap();
    let original = showcase();
    assert!(original.values().any(|p| p.contains("Ada Lindqvist")));
    assert_eq!(pages(&expand(&dir)), original);
}

/// The book at `dir`, and the input mdBook sends a preprocessor for it
/// (`[context, book]`, renderer `html`).
fn protocol_input(dir: &Path) -> (MDBook, Vec<u8>) {
    let md = MDBook::load(dir).expect("the book loads");
    let ctx = mdbook_preprocessor::PreprocessorContext::new(
        dir.to_path_buf(),
        md.config.clone(),
        "html".into(),
    );
    let input = serde_json::to_vec(&(&ctx, &md.book)).unwrap();
    (md, input)
}

/// What the stdin/stdout protocol writes for the book at `dir`, and what
/// the in-memory API returns for it, written the same way.
fn protocol_and_api(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    use mdbook_goals::preprocessor::{expand_book, run_protocol};
    let (md, input) = protocol_input(dir);
    let mut written = Vec::new();
    let mut errors = Vec::new();
    let result = run_protocol(&input[..], &mut written, &mut errors, false);
    assert!(
        result.is_ok(),
        "{}: {result:?}\n{}",
        dir.display(),
        String::from_utf8_lossy(&errors)
    );
    let api = expand_book(dir, &md.config, md.book.clone());
    (written, serde_json::to_vec(&api.book).unwrap())
}

/// The protocol renders goal and roadmap pages as it writes the book; the
/// book it writes is the one the API returns, byte for byte: goal pages as
/// generated sub-chapters, a goal listed in `SUMMARY.md` at any depth,
/// separators and part titles around them.
#[test]
fn the_protocol_writes_the_book_the_api_returns() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("preprocess/protocol");
    let showcase = common::showcase_copy(&scratch.join("showcase"));
    let summary = showcase.join("src/SUMMARY.md");
    // A goal listed under the page that lists the goals as chapters (its
    // own sub-chapter comes before the generated ones), a roadmap deeper
    // down, and a goal after a separator and a part title.
    let text = std::fs::read_to_string(&summary).unwrap();
    let goals = "    - [Goals](./2027/goals.md)\n";
    assert!(text.contains(goals));
    let mut text = text.replace(
        goals,
        &format!("{goals}        - [Cache](./2027/widget-cache.md)\n            - [Speed](./2027/roadmap-speed.md)\n"),
    );
    text.push_str("\n---\n\n# Listed\n\n- [Listed]()\n    - [Shelved](./2025h1/shelved.md)\n");
    std::fs::write(&summary, text).unwrap();
    let books = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books");
    let mut dirs = vec![showcase];
    for name in ["showcase", "legacy", "hostile"] {
        dirs.push(books.join(name));
    }
    for dir in dirs {
        let (written, api) = protocol_and_api(&dir);
        assert!(written.len() > 1000, "{}", dir.display());
        assert!(written == api, "{}: the two books differ", dir.display());
    }
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn the_protocol_writes_the_corpus_book_the_api_returns() {
    let (written, api) = protocol_and_api(Path::new("../shared/corpus"));
    assert!(written == api, "the two books differ");
}

/// A write error ends the protocol with an error, without waiting for
/// the pages not yet written.
#[test]
fn a_write_error_stops_the_protocol() {
    struct Full(usize);
    impl std::io::Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if self.0 < buf.len() {
                return Err(std::io::Error::other("the disk is full"));
            }
            self.0 -= buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/showcase");
    let (_, input) = protocol_input(&dir);
    let result =
        mdbook_goals::preprocessor::run_protocol(&input[..], Full(10_000), std::io::sink(), false);
    match result {
        Err(mdbook_goals::preprocessor::ProtocolError::Output(e)) => {
            assert!(e.contains("the disk is full"), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

/// `TEAM ASKS` turns long notes into footnotes `[^TEAM-N]`; a label the
/// author's text of the page already uses is skipped, so the page never
/// holds two definitions of one label.
#[test]
fn generated_footnotes_take_no_label_of_the_author() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("preprocess/footnote-labels");
    let _ = std::fs::remove_dir_all(&dir);
    common::copy_tree(&common::fixtures().join("_base"), &dir);
    let long = "a note long enough to be moved out of the table into a footnote";
    let goal = |i: usize| {
        format!(
            "# Goal {i}\n\n| Metadata | |\n|---|---|\n| Point of contact | @a |\n| Status | Proposed |\n\n\
             ## Summary\n\nS.\n\n## Team asks\n\n| Team | Support level | Notes |\n|---|---|---|\n\
             | [lang] | Small | {long} {i} |\n"
        )
    };
    std::fs::write(dir.join("src/2027/g1.md"), goal(1)).unwrap();
    std::fs::write(dir.join("src/2027/g2.md"), goal(2)).unwrap();
    std::fs::write(
        dir.join("src/2027/asks.md"),
        "# Asks\n\nThe author's note[^lang-1] and another[^LANG-3].\n\n(((TEAM ASKS: lang)))\n\n\
         [^lang-1]: Written by the author.\n\n[^LANG-3]: Also the author's.\n",
    )
    .unwrap();
    let summary = dir.join("src/SUMMARY.md");
    let toc = std::fs::read_to_string(&summary).unwrap() + "- [Asks](./2027/asks.md)\n";
    std::fs::write(summary, toc).unwrap();
    let page = &pages(&expand(&dir))["2027/asks.md"];
    let definitions: Vec<&str> = page
        .lines()
        .filter(|l| l.starts_with("[^"))
        .map(|l| l.split_once("]:").unwrap().0)
        .collect();
    assert_eq!(
        definitions,
        ["[^lang-2", "[^lang-4", "[^lang-1", "[^LANG-3"],
        "{page}"
    );
    assert!(page.contains("[^lang-2]: [Goal 1]"), "{page}");
    assert!(page.contains("[^lang-4]: [Goal 2]"), "{page}");
    assert!(page.contains("[^lang-1]: Written by the author."), "{page}");
}
