//! One small bad book per diagnostic code, with the rendered diagnostics as
//! a snapshot.
//!
//! Each fixture under `tests/diagnostics/<CODE>/` holds only the files that
//! differ from `tests/diagnostics/_base/` (a clean book). The harness copies
//! the base, lays the fixture over it, runs `check` and renders what it
//! finds with the plain renderer. A file named `x.symlink` becomes a
//! symbolic link `x` to the path it contains; `x.sparse` a file `x` of that
//! many zero bytes.
//!
//! Regenerate snapshots with `INSTA_UPDATE=always cargo test --test diagnostics`.

use annotate_snippets::Renderer;
use mdbook_goals::book::Book;
use mdbook_goals::check::check;
use mdbook_goals::diagnostic::{Code, Diagnostics};
mod common;

use common::{fixture_book, fixtures};
use std::fs;
use std::path::Path;

/// Builds the fixture's book in a scratch folder and checks it. Paths in
/// the output are shown relative to the book (`book/src/…`).
fn run(name: &str) -> (Diagnostics, String) {
    let scratch = fixture_book(
        &Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnostics"),
        name,
    );
    // `check` reports everything, the RFC's problems included; the program
    // managers' codes come from the FCP checklist.
    let diags = match Book::open(&scratch) {
        Ok(book) if name.starts_with("W09") => {
            let mut diags = check(&book, None).unwrap().diags;
            diags.extend(mdbook_goals::fcp::checklist(&book, &book.load("2027")).diags);
            diags
        }
        Ok(book) => check(&book, None).unwrap().diags,
        Err(d) => d,
    };
    let shown = mdbook_goals::paths::display_path(&scratch)
        .display()
        .to_string();
    let text = diags.render(&Renderer::plain()).replace(&shown, "book");
    (diags, text)
}

#[test]
fn the_base_book_is_clean() {
    let (diags, text) = run("_base");
    assert!(diags.is_empty(), "{text}");
}

#[test]
fn every_code_has_a_fixture() {
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !fixtures().join(c).is_dir())
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
    // And no fixture for a code that does not exist.
    for entry in fs::read_dir(fixtures()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(
            name == "_base" || Code::parse(&name).is_some(),
            "fixture `{name}` names no code"
        );
    }
}

#[test]
fn each_fixture_reports_its_code() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/diagnostics");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for code in Code::ALL {
            let (diags, text) = run(code.as_str());
            assert!(
                diags.iter().any(|d| d.code == *code),
                "fixture {} does not report its code:\n{text}",
                code.as_str()
            );
            insta::assert_snapshot!(code.as_str(), text);
        }
    });
}

/// A misspelt team is one mistake: the champion row of the team it meant
/// and the champion its ask would need are not reported again.
#[test]
fn a_misspelt_team_is_reported_once() {
    let (diags, text) = run("E0304");
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0304"], "{text}");
    assert!(text.contains("unknown team `compiller`"), "{text}");
}
