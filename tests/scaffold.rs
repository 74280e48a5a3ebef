//! `new PERIOD_DIR [--from PERIOD]`: the new period checks clean and
//! builds at once, and a second run changes nothing and says why.

mod common;

use common::{copy_tree, read_tree};
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use mdbook_goals::scaffold::{ScaffoldError, new_period};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh copy of the project's own book (book.toml and book/) under the
/// test's scratch folder.
fn demo_copy(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("scaffold")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&root.join("book"), &dir.join("book"));
    std::fs::copy(root.join("book.toml"), dir.join("book.toml")).unwrap();
    dir
}

/// Checks the book: no error at all, and no diagnostic in the new period.
fn assert_checks_clean(book_dir: &Path, period: &str) {
    let book = Book::open(book_dir).unwrap();
    let report = check(&book, None).unwrap();
    assert!(report.periods.contains(&period.to_string()));
    // A broken link an author wrote in an earlier period is copied with
    // the goal's text; it is that period's warning, not the new one's.
    let in_new_period = |d: &&mdbook_goals::diagnostic::Diagnostic| {
        d.path_display().is_some_and(|p| p.contains(period))
    };
    let broken_before: Vec<&str> = report
        .diags
        .iter()
        .filter(|d| d.code == mdbook_goals::diagnostic::Code::BrokenLink && !in_new_period(d))
        .filter_map(|d| d.message.split('`').nth(1))
        .collect();
    let in_new: Vec<_> = report
        .diags
        .iter()
        .filter(|d| {
            d.code != mdbook_goals::diagnostic::Code::BrokenLink
                || !d
                    .message
                    .split('`')
                    .nth(1)
                    .is_some_and(|l| broken_before.contains(&l))
        })
        .filter(|d| d.severity() == mdbook_goals::diagnostic::Severity::Error || in_new_period(d))
        .map(|d| format!("{} {} {:?}", d.code.as_str(), d.message, d.path_display()))
        .collect();
    assert!(in_new.is_empty(), "{in_new:#?}");
}

#[test]
fn a_new_demo_period_checks_and_builds_and_a_second_run_changes_nothing() {
    let dir = demo_copy("demo");
    let period = dir.join("book/2028");
    let done = new_period(&period, Some("2027")).unwrap();
    assert_eq!(done.files.len(), 5);
    let summary = std::fs::read_to_string(dir.join("book/SUMMARY.md")).unwrap();
    for f in [
        "README.md",
        "goals.md",
        "not-accepted.md",
        "carry-over.md",
        "template.md",
    ] {
        assert!(period.join(f).is_file(), "{f}");
        assert!(
            summary.contains(&format!("(./2028/{f})")),
            "{f} not in SUMMARY.md"
        );
    }
    assert_checks_clean(&dir, "2028");
    let built = mdbook_goals::site::build(&dir, &Default::default()).unwrap();
    assert!(built.site.join("2028/goals.html").is_file());
    let rfc = std::fs::read_to_string(built.rfc.path().expect("an RFC")).unwrap();
    assert!(rfc.starts_with("# Project goals for 2028"));
    assert!(rfc.contains("proposes 0 project goals"));

    // Again: refused, and not one byte of the book changes.
    let before = read_tree(&dir.join("book"));
    match new_period(&period, Some("2027")) {
        Err(ScaffoldError::Refused(msg)) => assert!(msg.contains("already exists"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(read_tree(&dir.join("book")), before);
}

#[test]
fn carry_over_lists_the_unfinished_live_goals_with_working_links() {
    let dir = demo_copy("carry-over");
    new_period(&dir.join("book/2028"), Some("2027")).unwrap();
    let book = Book::open(&dir).unwrap();
    let previous = book.load("2027");
    let page = std::fs::read_to_string(dir.join("book/2028/carry-over.md")).unwrap();
    let links: Vec<&str> = page
        .match_indices("](../2027/")
        .map(|(i, _)| {
            let rest = &page[i + 2..];
            &rest[..rest.find(')').unwrap()]
        })
        .collect();
    let unfinished = previous
        .live_goals()
        .filter(|g| !(g.tasks.iter().all(|t| t.done) && g.asks.iter().all(|a| a.done)))
        .count();
    assert_eq!(links.len(), unfinished);
    assert!(unfinished > 0);
    for l in links {
        assert!(dir.join("book/2028").join(l).is_file(), "{l}");
    }
    // Not accepted goals are no candidates.
    for g in previous.goals.iter().filter(|g| !g.is_live()) {
        assert!(!page.contains(&format!("../{}", g.file)), "{}", g.file);
    }
}

#[test]
fn new_refuses_what_is_not_a_new_period() {
    let dir = demo_copy("refusals");
    let before = read_tree(&dir);
    let refused = |p: PathBuf, from: Option<&str>| match new_period(&p, from) {
        Err(ScaffoldError::Refused(msg)) => msg,
        other => panic!("{p:?}: {other:?}"),
    };
    assert!(refused(dir.join("book/next"), None).contains("not a period folder name"));
    assert!(refused(dir.join("book/guide/2028"), None).contains("not directly in"));
    assert!(refused(dir.join("book/2027"), None).contains("already exists"));
    assert!(refused(dir.join("book/2028"), Some("1999")).contains("no such period"));
    assert_eq!(read_tree(&dir), before);
}

#[test]
fn the_command_says_why_a_second_run_does_nothing() {
    let dir = demo_copy("cli");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_mdbook-goals"))
            .args(["new", "book/2028"])
            .current_dir(&dir)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(first.status.success());
    let stderr = String::from_utf8(first.stderr).unwrap();
    assert!(stderr.contains("created book/2028/README.md"), "{stderr}");
    assert!(
        stderr.contains("added book/2028 to book/SUMMARY.md"),
        "{stderr}"
    );
    let second = run();
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8(second.stderr).unwrap();
    assert!(
        stderr.contains("already exists; nothing was written"),
        "{stderr}"
    );
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn a_new_corpus_period_checks_and_builds() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scaffold/corpus");
    let _ = std::fs::remove_dir_all(&dir);
    copy_tree(Path::new("../shared/corpus"), &dir);
    new_period(&dir.join("src/2027"), Some("2026")).unwrap();
    assert_checks_clean(&dir, "2027");
    let built = mdbook_goals::site::build(&dir, &Default::default()).unwrap();
    assert!(built.rfc.path().expect("an RFC").ends_with("rfc/2027.md"));
}
