//! Where the RFC export reports a problem: in the author's file, at the
//! link the author wrote, even when the rendered chapter has generated text
//! above it or the same text appears earlier in the file outside a link.

use mdbook_goals::book::Book;
use mdbook_goals::diagnostic::{Code, Diagnostic};
use mdbook_goals::rfc;
use std::fs;
use std::path::{Path, PathBuf};

/// A book in the scratch folder `name` whose period `2027` holds `files`.
fn book(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("rfc-spans")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src/2027")).unwrap();
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"T\"\nsrc = \"src\"\n\n[preprocessor.goals]\nrepository = \"example-org/goals\"\nsite-url = \"https://example.org/goals\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [2027](./2027/README.md)\n",
    )
    .unwrap();
    for (path, text) in files {
        fs::write(dir.join("src/2027").join(path), text).unwrap();
    }
    dir
}

const GOAL: &str = "# Faster builds\n\n| Metadata | |\n|---|---|\n| Point of contact | @ada |\n| Status | Proposed |\n\n## Summary\n\nWork.\n";

/// File name, line, column and text of the one diagnostic with `code`.
fn located(diags: &[Diagnostic], code: Code) -> (String, usize, usize, String) {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "{code:?}: {diags:#?}");
    let at = found[0].location.as_ref().expect("located");
    let lc = at.source.line_col(at.span.start);
    let name = at
        .source
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (
        name,
        lc.line,
        lc.column,
        at.source.slice(&at.span).to_string(),
    )
}

#[test]
fn problems_are_reported_at_the_authors_link() {
    // Generated text (the goal count, the goal list) stands above the
    // links, and the leaving destination is first written in a code span.
    let readme = "# 2027\n\n(((#GOALS))) goals.\n\n(((GOALS)))\n\nWrite `../../outside.md` to leave the book.\n\n- [Goals](./goals.md)\n- [Again](./README.md)\n\nSee [outside](../../outside.md).\n";
    let dir = book(
        "authors-link",
        &[
            ("README.md", readme),
            ("goals.md", "# Goals\n\nAll.\n"),
            ("faster.md", GOAL),
        ],
    );
    let out = rfc::export(&Book::open(&dir).unwrap(), "2027");
    let diags = out.diags.into_vec();
    assert_eq!(
        located(&diags, Code::LinkLeavesBook),
        ("README.md".into(), 12, 15, "../../outside.md".into())
    );
    assert_eq!(
        located(&diags, Code::ChapterCycle),
        ("README.md".into(), 10, 3, "[Again](./README.md)".into())
    );
}

#[test]
fn an_inlined_chapter_reports_in_its_own_file() {
    // The chapter is rendered with its metadata rows; its link after them
    // is reported in the chapter's own file.
    let goal = format!("{GOAL}\nSee [out](../../../x.md).\n");
    let dir = book(
        "chapter-file",
        &[
            ("README.md", "# 2027\n\n- [Faster](./faster.md)\n"),
            ("faster.md", &goal),
        ],
    );
    let out = rfc::export(&Book::open(&dir).unwrap(), "2027");
    assert_eq!(
        located(&out.diags.into_vec(), Code::LinkLeavesBook),
        ("faster.md".into(), 12, 11, "../../../x.md".into())
    );
}
