//! Legacy-format periods (SPEC §4): the fixture book `tests/books/legacy`
//! reproduces each owner-cell and ask-kind variation of the 2025 periods;
//! it checks clean on its own, beside the corpus's periods, and whatever
//! its files' encoding (byte-order mark, CR-only or CRLF line endings).

mod common;

use common::copy_tree;
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use mdbook_goals::config::Config;
use mdbook_goals::config::{AskKind, AskKinds};
use mdbook_goals::goal::AskLevel;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/legacy")
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("legacy")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    dir
}

/// Every ask of a period as `file: kind -> team`, with ` (done)` for
/// completed ones, sorted; and every goal as `file: title`.
fn model(book: &Book, period: &str) -> (Vec<String>, Vec<String>) {
    let slate = book.load(period);
    let mut asks = Vec::new();
    let mut goals = Vec::new();
    for g in &slate.goals {
        goals.push(format!("{}: {}", g.file, g.title));
        for a in &g.asks {
            let AskLevel::Kind(kind) = &a.level else {
                panic!("{}: a legacy goal with a sized ask", g.file);
            };
            let done = if a.done { " (done)" } else { "" };
            asks.push(format!("{}: {kind} -> {}{done}", g.file, a.team.value));
        }
    }
    asks.sort();
    goals.sort();
    (asks, goals)
}

fn expected_asks() -> Vec<&'static str> {
    let mut v = vec![
        "2025h1/early-template.md: Standard reviews -> compiler",
        "2025h1/early-template.md: Take over the document -> lang",
        "2025h1/new-kinds.md: Finalize specification text -> spec",
        "2025h1/new-kinds.md: Lang-team champion -> lang",
        "2025h1/new-kinds.md: Lang-team experiment -> lang",
        "2025h1/new-kinds.md: Prioritized nominations -> lang",
        "2025h1/new-kinds.md: Stabilization decision -> lang",
        "2025h1/new-kinds.md: Stabilization decision -> types",
        "2025h1/struck.md: Design meeting -> lang (done)",
        "2025h1/struck.md: MCP decision -> compiler",
        "2025h1/struck.md: MCP decision -> types (done)",
        "2025h1/struck.md: RFC decision -> lang (done)",
        "2025h2/separators.md: Blog post approval -> lang",
        "2025h2/separators.md: Blog post approval -> libs",
        "2025h2/separators.md: Design meeting -> lang",
        "2025h2/separators.md: Design meeting -> types",
        "2025h2/separators.md: Discussion and moral support -> lang",
        "2025h2/separators.md: Discussion and moral support -> opsem",
        "2025h2/separators.md: RFC decision -> lang",
        "2025h2/separators.md: RFC decision -> libs",
        "2025h2/separators.md: RFC secondary review -> opsem",
        "2025h2/separators.md: RFC secondary review -> types",
        "2025h2/separators.md: Stabilization decision -> lang",
        "2025h2/separators.md: Stabilization decision -> types",
        "2025h2/separators.md: Standard reviews -> compiler",
        "2025h2/separators.md: Standard reviews -> rustdoc",
        "2025h2/two-badges.md: Design meeting -> compiler",
        "2025h2/two-badges.md: Discussion and moral support -> cargo",
        "2025h2/two-badges.md: Discussion and moral support -> compiler",
        "2025h2/two-badges.md: Standard reviews -> cargo",
        "2025h2/two-badges.md: Standard reviews -> compiler",
    ];
    v.sort();
    v
}

fn all_asks(book: &Book) -> (Vec<String>, Vec<String>) {
    let (mut asks, mut goals) = model(book, "2025h1");
    let (a2, g2) = model(book, "2025h2");
    asks.extend(a2);
    goals.extend(g2);
    asks.sort();
    (asks, goals)
}

fn expected_goals() -> Vec<&'static str> {
    vec![
        "2025h1/early-template.md: The early template's metadata",
        "2025h1/new-kinds.md: Ask kinds beyond the first set",
        "2025h1/struck.md: Completed and dropped asks",
        "2025h2/separators.md: Every separator",
        "2025h2/two-badges.md: Faster relinking",
    ]
}

#[test]
fn the_fixture_periods_check_clean_and_read_every_variation() {
    let book = Book::open(&fixture()).expect("the fixture book opens");
    let report = check(&book, None).unwrap();
    assert!(
        report.diags.is_empty(),
        "{}",
        report.diags.render(&annotate_snippets::Renderer::plain())
    );
    assert_eq!(report.goals, 5);
    let (asks, goals) = all_asks(&book);
    assert_eq!(asks, expected_asks());
    assert_eq!(goals, expected_goals());
    // The early template's `Owner(s)` row is the point of contact, kept as
    // written; its hand-written `Teams` row is the template's own.
    let early = book.load("2025h1");
    let early = early
        .goals
        .iter()
        .find(|g| g.file.ends_with("early-template.md"))
        .unwrap();
    assert_eq!(early.point_of_contact(), Some("The parsing group"));
    // Its status `Proposed for flagship` is a proposed flagship goal.
    assert_eq!(early.status(), Some(mdbook_goals::goal::Status::Proposed));
    assert!(early.is_flagship());
    // Work items keep their owners; the help-wanted badge is not a team.
    let slate = book.load("2025h2");
    let relink = slate
        .goals
        .iter()
        .find(|g| g.file.ends_with("two-badges.md"))
        .unwrap();
    let owners: Vec<_> = relink
        .tasks
        .iter()
        .map(|t| (t.text.as_str(), t.owners.len(), t.help_wanted))
        .collect();
    assert_eq!(
        owners,
        [
            ("Nightly experiment", 0, false),
            ("Author MCP", 1, false),
            ("Implementation", 0, true),
            // A person's work item with a team's help is a work item.
            ("Port the intrinsics", 1, false)
        ]
    );
    // A legacy goal tracked by an issue in another repository keeps it, with
    // its own repository; its hand-written `Task owners` row is no error.
    let issue = relink.metadata.tracking_issue.as_ref().unwrap();
    assert_eq!(issue.value.to_string(), "rust-lang/rust#4242");
}

/// `check` finds nothing in `book` (`what` names the case).
fn assert_checks_clean(book: &Book, what: &str) {
    let report = check(book, None).unwrap();
    assert!(
        report.diags.is_empty(),
        "{what}: {}",
        report.diags.render(&annotate_snippets::Renderer::plain())
    );
}

/// Rewrites every markdown file of a copied book with `f`.
fn rewrite(dir: &Path, f: &dyn Fn(&str) -> String) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rewrite(&path, f);
        } else if path.extension().is_some_and(|e| e == "md") {
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, f(&text)).unwrap();
        }
    }
}

#[test]
fn encodings_do_not_change_what_is_read() {
    type Rewrite = dyn Fn(&str) -> String;
    let variants: [(&str, &Rewrite); 5] = [
        ("plain", &|t| t.to_string()),
        ("bom", &|t| format!("\u{feff}{t}")),
        ("cr", &|t| t.replace('\n', "\r")),
        ("crlf", &|t| t.replace('\n', "\r\n")),
        ("bom-cr", &|t| format!("\u{feff}{}", t.replace('\n', "\r"))),
    ];
    let mut plain_goal_page = None;
    for (name, f) in variants {
        let dir = scratch(name);
        copy_tree(&fixture(), &dir);
        rewrite(&dir.join("src"), f);
        let book = Book::open(&dir).unwrap();
        assert_checks_clean(&book, name);
        let (asks, goals) = all_asks(&book);
        assert_eq!(asks, expected_asks(), "{name}");
        assert_eq!(goals, expected_goals(), "{name}");
        // The preprocessor reads the same goals from mdBook's chapters.
        let md = mdbook_driver::MDBook::load(&dir).unwrap();
        let out = mdbook_goals::preprocessor::expand_book(&md.root, &md.config, md.book.clone());
        assert!(
            out.diags.is_empty(),
            "{name}: {}",
            out.diags.render(&annotate_snippets::Renderer::plain())
        );
        let mut pages = String::new();
        for item in out.book.iter() {
            if let mdbook_preprocessor::book::BookItem::Chapter(ch) = item {
                pages.push_str(&ch.content);
                // A goal listed in SUMMARY.md renders as a goal whatever
                // the file's encoding (CRLF files keep their line endings).
                if ch.path.as_deref() == Some(Path::new("2025h2/two-badges.md")) {
                    let content = ch.content.replace("\r\n", "\n");
                    let page = plain_goal_page.get_or_insert_with(|| content.clone());
                    assert_eq!(&content, page, "{name}");
                }
            }
        }
        assert!(plain_goal_page.is_some());
        for title in [
            "Ask kinds beyond the first set",
            "Every separator",
            "Faster relinking",
        ] {
            assert!(
                pages.contains(&format!("[{title}]")),
                "{name}: {title} is not listed"
            );
        }
    }
}

/// `and` separates teams in an owner cell whatever its case; it is never
/// read as a team.
#[test]
fn the_word_and_separates_teams_in_any_case() {
    let dir = scratch("and-case");
    copy_tree(&fixture(), &dir);
    let file = dir.join("src/2025h2/separators.md");
    let text = fs::read_to_string(&file).unwrap();
    let text = text.replacen("[lang] and [types]", "[lang] AND [types]", 1);
    let text = text.replacen(") and [libs]", ") And [libs]", 1);
    assert!(text.contains(" AND [types]") && text.contains(" And [libs]"));
    fs::write(&file, text).unwrap();
    let book = Book::open(&dir).unwrap();
    assert_checks_clean(&book, "and-case");
    assert_eq!(all_asks(&book).0, expected_asks());
}

/// A legacy task text names an ask kind by a last word cut short only when
/// exactly one kind reads so; two candidates are no match.
#[test]
fn a_shortened_ask_kind_must_be_unambiguous() {
    let kind = |name: &str| AskKind {
        name: name.to_string(),
        short: String::new(),
        about: String::new(),
        elide: false,
    };
    let config = Config {
        team_asks: AskKinds::new(vec![
            kind("Code review"),
            kind("Code reviewer"),
            kind("Code audit"),
        ]),
        ..Config::default()
    };
    let named = |t: &str| config.ask_kind(t).map(|k| k.name.as_str());
    assert_eq!(named("code review"), Some("Code review"));
    assert_eq!(named("Code reviewers"), Some("Code reviewer"));
    assert_eq!(named("Code revi"), None, "two kinds start with `revi`");
    assert_eq!(named("Code audi"), Some("Code audit"));
    assert_eq!(named("Code aud"), None, "fewer than four letters");
}

/// A book of the corpus's two periods (its `book.toml` and `teams.toml`)
/// plus the fixture periods: four periods, both formats, one check.
#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn the_corpus_periods_and_the_fixture_periods_check_together() {
    let corpus = Path::new("../shared/corpus");
    let dir = scratch("four");
    fs::create_dir_all(dir.join("src")).unwrap();
    for f in ["book.toml", "teams.toml"] {
        fs::copy(corpus.join(f), dir.join(f)).unwrap();
    }
    for p in ["2024h2", "2026"] {
        copy_tree(&corpus.join("src").join(p), &dir.join("src").join(p));
    }
    for p in ["2025h1", "2025h2"] {
        copy_tree(&fixture().join("src").join(p), &dir.join("src").join(p));
    }
    let mut summary = fs::read_to_string(corpus.join("src/SUMMARY.md")).unwrap();
    summary.push_str(&fs::read_to_string(fixture().join("src/SUMMARY.md")).unwrap()[11..]);
    fs::write(dir.join("src/SUMMARY.md"), summary).unwrap();
    let book = Book::open(&dir).unwrap();
    let report = check(&book, None).unwrap();
    assert!(
        !report.diags.has_errors(),
        "{}",
        report.diags.render(&annotate_snippets::Renderer::plain())
    );
    assert_eq!(report.periods, ["2024h2", "2025h1", "2025h2", "2026"]);
    let (asks, _) = all_asks(&book);
    assert_eq!(asks, expected_asks());
}
