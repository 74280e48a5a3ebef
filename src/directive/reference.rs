//! Every directive is documented in the book, with a live example.

use super::{DIRECTIVES, Found, scan};
use crate::diagnostic::Diagnostics;
use crate::markdown::Outline;
use crate::source::Source;
use std::collections::BTreeSet;

#[allow(unreachable_pub)]
#[path = "../../tests/common/reference.rs"]
mod book_pages;
use book_pages::{assert_same, documented, page};

#[test]
fn every_directive_is_documented_with_a_live_example() {
    let in_code = DIRECTIVES.iter().map(|d| d.name.to_string()).collect();
    assert_same("directives", in_code, documented("book/2027/directives.md"));
    // The page is inside the demo period, so its examples are expanded:
    // every directive occurs on it as a real directive, outside code.
    let source = Source::new("directives.md", page("book/2027/directives.md"));
    let outline = Outline::parse(source.text());
    let mut diags = Diagnostics::new();
    let live: BTreeSet<&str> = scan(&source, &outline, &mut diags)
        .into_iter()
        .filter_map(|f| match f {
            Found::Directive(d) => Some(d.spec.name),
            Found::Escaped(_) => None,
        })
        .collect();
    assert!(diags.is_empty(), "the page has broken directives");
    for d in DIRECTIVES {
        // These cannot run twice in a period (or not at all yet); their
        // examples are the demo's Goals and Roadmaps pages.
        let elsewhere = matches!(d.name, "GOAL CHAPTERS" | "ROADMAP CHAPTERS" | "REPORTS");
        assert!(
            elsewhere || live.contains(d.name),
            "`{}` has no live example",
            d.name
        );
    }
}
