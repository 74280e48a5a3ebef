//! Whole pages: a period's page with its directives expanded and its text
//! linked, and a goal's or roadmap's own page. The preprocessor and the RFC
//! export both render through here.

use super::{Cx, Target, apply, expand, metadata, text::Links};
use crate::book::Book;
use crate::directive::Found;
use crate::goal::Goal;
use crate::markdown::Outline;
use crate::roadmap::Roadmap;
use crate::slate::Slate;

/// A rendered page of a period.
pub struct Page {
    pub text: String,
    /// `GOAL CHAPTERS` was present.
    pub goal_chapters: bool,
    /// `ROADMAP CHAPTERS` was present.
    pub roadmap_chapters: bool,
    /// The pages of `REPORTS`, in order.
    pub reports: Vec<crate::updates::reports::Page>,
}

/// The text links of a book.
pub fn links(book: &Book, target: Target) -> Links<'_> {
    Links {
        config: &book.config,
        teams: book.teams.as_ref(),
        target,
    }
}

/// A page of `slate` (the file `file`, with its outline and the directives
/// its scan found): directives expanded, then the text linked.
pub fn page(
    book: &Book,
    slate: &Slate,
    target: Target,
    file: &str,
    text: &str,
    outline: &Outline,
    found: &[Found],
) -> Page {
    let cx = Cx::new(&book.config, book.teams.as_ref(), slate, file, target);
    let expansion = expand(text, outline, found, &cx);
    let expanded = apply(text, expansion.edits);
    Page {
        text: links(book, target).process(&expanded),
        goal_chapters: expansion.goal_chapters,
        roadmap_chapters: expansion.roadmap_chapters,
        reports: expansion.reports,
    }
}

/// A goal or roadmap file, which is a page of its own.
#[derive(Clone, Copy)]
pub enum Doc<'a> {
    Goal(&'a Goal),
    Roadmap(&'a Roadmap),
}

impl Doc<'_> {
    pub fn file(&self) -> &str {
        match self {
            Doc::Goal(g) => &g.file,
            Doc::Roadmap(r) => &r.file,
        }
    }

    /// The page: the file's text with the generated rows, directives
    /// expanded and links added. The file is parsed a second time only when
    /// it holds directives.
    pub fn render(&self, book: &Book, slate: &Slate, target: Target) -> String {
        let links = links(book, target);
        let (source, outline, file, rows) = match self {
            Doc::Goal(g) => {
                let mut rows = metadata::goal_rows(g, links, slate.tracking.as_deref());
                rows.extend(metadata::theme_links(g, slate));
                (&g.source, &g.outline, &g.file, rows)
            }
            Doc::Roadmap(r) => {
                let cx = Cx::new(&book.config, book.teams.as_ref(), slate, &r.file, target);
                let theme = cx.theme(r.theme());
                let members = slate.live_goals().filter(|g| theme.contains(g));
                (
                    &r.source,
                    &r.outline,
                    &r.file,
                    metadata::roadmap_rows(r, members, links),
                )
            }
        };
        let text = source.text();
        let found = slate
            .files
            .get(file.as_str())
            .map_or(&[][..], |r| &r.directives[..]);
        if found.iter().any(|f| matches!(f, Found::Directive(_))) {
            let cx = Cx::new(&book.config, book.teams.as_ref(), slate, file, target);
            let mut edits = expand(text, outline, found, &cx).edits;
            edits.extend(rows);
            return links.process(&apply(text, edits));
        }
        let (mut edits, defs) = links.edits(text, outline);
        edits.extend(rows);
        super::text::finish(text, outline, edits, &defs)
    }
}
