//! Pages rendered from their one parse equal what linking the expanded
//! text again would give (the way pages were linked before generated
//! cells came linked).

use crate::book::Book;
use crate::render::apply;
use crate::render::page::{Doc, LinkedText, links, page};
use crate::render::{Cx, Target, expand, metadata};
use crate::slate::Slate;
use std::path::Path;

/// What a page was before generated markdown came linked: directives
/// expanded, then the whole expanded text parsed again and linked.
fn reparsed(
    book: &Book,
    slate: &Slate,
    target: Target,
    doc: Option<Doc<'_>>,
    file: &str,
) -> String {
    let links = links(book, target);
    let cx = Cx::new(book, slate, file, target);
    let found = slate.files.get(file).map_or(&[][..], |r| &r.directives[..]);
    let (text, outline, mut edits) = match doc {
        Some(Doc::Goal(g)) => {
            let mut rows = metadata::goal_rows(g, links, slate.tracking.as_deref());
            rows.extend(metadata::theme_links(g, slate));
            (g.source.text(), &g.outline, rows)
        }
        Some(Doc::Roadmap(r)) => {
            let theme = cx.theme(r.theme());
            // Every goal asked, not the period's index: the reference.
            let members = slate
                .live_goals()
                .filter(|g| theme.keys().iter().any(|k| g.theme_keys().contains(k)));
            (
                r.source.text(),
                &r.outline,
                metadata::roadmap_rows(r, members, links),
            )
        }
        None => {
            let p = slate.pages.iter().find(|p| p.file == file).unwrap();
            (p.source.text(), &p.outline, Vec::new())
        }
    };
    edits.extend(expand(text, outline, found, &cx).edits);
    links.process(&apply(text, edits))
}

/// Compares every page of a book, both targets, with [`reparsed`]:
/// how many pages, and how many generated table cells start with a
/// linked mention.
fn compare_book(dir: &Path) -> (usize, usize) {
    let book = Book::open(dir).unwrap();
    let (mut compared, mut linked_cells) = (0, 0);
    for period in book.periods() {
        let slate = book.load(&period);
        for target in [Target::Site, Target::Rfc] {
            for p in &slate.pages {
                let found = &slate.files[&p.file].directives;
                let text = p.source.text();
                let got = page(&book, &slate, target, &p.file, text, &p.outline, found).text;
                let want = reparsed(&book, &slate, target, None, &p.file);
                assert_eq!(got, want, "{} ({target:?})", p.file);
                linked_cells += got.matches("| [@").count();
                compared += 1;
            }
            let docs = slate
                .goals
                .iter()
                .map(Doc::Goal)
                .chain(slate.roadmaps.iter().map(Doc::Roadmap));
            for d in docs {
                let got = d.render(&book, &slate, target);
                let want = reparsed(&book, &slate, target, Some(d), d.file());
                assert_eq!(got, want, "{} ({target:?})", d.file());
                compared += 1;
                // Linked ahead, as the preprocessor does while loading.
                if slate.files[d.file()].has_directives() {
                    continue;
                }
                let (source, outline) = d.author();
                let ahead = LinkedText::of(&book, target, source.text(), outline).unwrap();
                let got = d.render_linked(&ahead, &book, &slate, target);
                assert_eq!(got, want, "{} linked ahead ({target:?})", d.file());
                compared += 1;
            }
        }
    }
    (compared, linked_cells)
}

/// Every page of the test books comes out exactly as linking the
/// expanded text would make it: generated tables, lists and prose carry
/// their mentions, linkified references, badges and definitions from
/// the start.
#[test]
fn pages_are_linked_as_a_second_parse_would_link_them() {
    let books = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books");
    let (mut compared, mut linked_cells) = (0, 0);
    for name in ["showcase", "hostile", "legacy"] {
        let (c, l) = compare_book(&books.join(name));
        compared += c;
        linked_cells += l;
    }
    assert!(compared > 40, "{compared} pages compared");
    assert!(linked_cells > 0, "no generated cell holds a linked mention");
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_pages_are_linked_as_a_second_parse_would_link_them() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let (compared, linked_cells) = compare_book(&corpus);
    assert!(compared > 100, "{compared} pages compared");
    assert!(linked_cells > 0, "no generated cell holds a linked mention");
}
