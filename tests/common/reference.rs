//! The book's reference pages, read back: shared by `tests/book_reference.rs`
//! and the directive reference test of the crate (`src/directive/reference.rs`,
//! through `#[path]`). The includer brings `Outline` into scope.

use super::Outline;
use std::collections::BTreeSet;
use std::path::Path;

pub fn page(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The code spans of the level-2 headings of a page.
pub fn documented(path: &str) -> BTreeSet<String> {
    let text = page(path);
    let outline = Outline::parse(&text);
    let mut out = BTreeSet::new();
    for h in outline.headings.iter().filter(|h| h.level == 2) {
        let heading = &text[h.content.clone()];
        let mut parts = heading.split('`');
        parts.next();
        while let (Some(code), _) = (parts.next(), parts.next()) {
            out.insert(code.to_string());
        }
    }
    out
}

pub fn assert_same(what: &str, in_code: BTreeSet<String>, in_book: BTreeSet<String>) {
    let undocumented: Vec<_> = in_code.difference(&in_book).collect();
    let unknown: Vec<_> = in_book.difference(&in_code).collect();
    assert!(
        undocumented.is_empty() && unknown.is_empty(),
        "{what}: not in the book: {undocumented:?}; in the book but not in the code: {unknown:?}"
    );
}
