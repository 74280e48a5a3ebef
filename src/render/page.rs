//! Whole pages: a period's page with its directives expanded and its text
//! linked, and a goal's or roadmap's own page. The preprocessor and the RFC
//! export both render through here.

use super::text::{Links, finish, finish_sorted, normalize_label};
use super::{Cx, Edit, Target, expand, metadata};
use crate::context::Context;
use crate::directive::Found;
use crate::goal::Goal;
use crate::markdown::Outline;
use crate::roadmap::Roadmap;
use crate::slate::Slate;
use crate::source::Source;
use std::collections::BTreeSet;
use std::sync::Arc;

/// A rendered page of a period.
pub(crate) struct Page {
    pub text: String,
    /// `GOAL CHAPTERS` was present.
    pub goal_chapters: bool,
    /// `ROADMAP CHAPTERS` was present.
    pub roadmap_chapters: bool,
    /// The pages of `REPORTS`, in order.
    pub reports: Vec<crate::updates::reports::Page>,
}

/// The text links for `target`.
pub(crate) fn links(context: &Context, target: Target) -> Links<'_> {
    Links { context, target }
}

/// A page of `slate` (the file `file`, with its outline and the directives
/// its scan found): directives expanded, then the text linked.
pub(crate) fn page(
    context: &Context,
    slate: &Slate,
    target: Target,
    file: &str,
    text: &str,
    outline: &Outline,
    found: &[Found],
) -> Page {
    let cx = Cx::new(context, slate, file, target);
    let mut expansion = expand(text, outline, found, &cx);
    let edits = std::mem::take(&mut expansion.edits);
    Page {
        text: linked(text, outline, edits, &cx),
        goal_chapters: expansion.goal_chapters,
        roadmap_chapters: expansion.roadmap_chapters,
        reports: expansion.reports,
    }
}

/// A document with its generated edits (expanded directives, metadata
/// rows) and its text linked, from its one parse: the author's text is
/// linked by edits in the file's own positions (none inside a span a
/// generated edit replaces), generated markdown came linked from its
/// builders, and the definitions both need are appended once.
fn linked(text: &str, outline: &Outline, mut edits: Vec<Edit>, cx: &Cx<'_>) -> String {
    let (links, mut defs) = cx.links.edits(text, outline);
    let mut replaced: Vec<std::ops::Range<usize>> = edits.iter().map(|e| e.range.clone()).collect();
    replaced.sort_by_key(|r| (r.start, r.end));
    edits.extend(links.into_iter().filter(|e| !overlaps(&replaced, &e.range)));
    let defined: BTreeSet<String> = outline
        .definitions
        .iter()
        .map(|(label, _)| normalize_label(label))
        .collect();
    for (key, def) in cx.take_definitions() {
        if !defined.contains(&key) {
            defs.entry(key).or_insert(def);
        }
    }
    finish(text, outline.unclosed_fence.as_deref(), edits, &defs)
}

/// Whether `range` overlaps one of the sorted `replaced` ranges (an empty
/// replaced range, an insertion, only when strictly inside `range`).
fn overlaps(replaced: &[std::ops::Range<usize>], range: &std::ops::Range<usize>) -> bool {
    // Replaced ranges starting before `range` ends, nearest first; they do
    // not overlap each other, so the first one that ends before `range`
    // starts closes the search.
    let before = replaced.partition_point(|r| r.start < range.end);
    for r in replaced[..before].iter().rev() {
        if r.is_empty() {
            if r.start > range.start {
                return true;
            }
        } else if r.end > range.start {
            return true;
        }
        if r.start <= range.start && r.end <= range.start {
            return false;
        }
    }
    false
}

/// A goal or roadmap file, which is a page of its own.
#[derive(Clone, Copy)]
pub(crate) enum Doc<'a> {
    Goal(&'a Goal),
    Roadmap(&'a Roadmap),
}

impl Doc<'_> {
    pub(crate) fn file(&self) -> &str {
        match self {
            Doc::Goal(g) => &g.file,
            Doc::Roadmap(r) => &r.file,
        }
    }

    /// The page: the file's text with the generated rows, directives
    /// expanded and links added.
    pub(crate) fn render(&self, context: &Context, slate: &Slate, target: Target) -> String {
        let (source, outline) = self.author();
        let (text, file) = (source.text(), self.file());
        let rows = self.rows(context, slate, target);
        if let Some(report) = slate.files.get(file).filter(|r| r.has_directives()) {
            let cx = Cx::new(context, slate, file, target);
            let mut edits = expand(text, outline, &report.directives, &cx).edits;
            edits.extend(rows);
            return linked(text, outline, edits, &cx);
        }
        let (mut edits, defs) = links(context, target).edits(text, outline);
        edits.extend(rows);
        finish(text, outline.unclosed_fence.as_deref(), edits, &defs)
    }

    /// The page of a file without directives whose text was linked while
    /// the period loaded: the same page as [`Doc::render`] gives.
    pub(crate) fn render_linked(
        &self,
        linked: &LinkedText,
        context: &Context,
        slate: &Slate,
        target: Target,
    ) -> String {
        linked.finish(self.author().0.text(), self.rows(context, slate, target))
    }

    /// The file as its author wrote it, and its outline.
    pub(crate) fn author(&self) -> (&Arc<Source>, &Outline) {
        match self {
            Doc::Goal(g) => (&g.source, &g.outline),
            Doc::Roadmap(r) => (&r.source, &r.outline),
        }
    }

    /// The generated metadata rows.
    fn rows(&self, context: &Context, slate: &Slate, target: Target) -> Vec<Edit> {
        let links = links(context, target);
        match self {
            Doc::Goal(g) => {
                let mut rows = metadata::goal_rows(g, links, slate.tracking.as_deref());
                rows.extend(metadata::theme_links(g, slate));
                rows
            }
            Doc::Roadmap(r) => {
                let cx = Cx::new(context, slate, &r.file, target);
                // In file order: the first spelling of an owner wins.
                let mut members = cx.theme(r.theme()).goals();
                members.sort_unstable_by(|a, b| a.file.cmp(&b.file));
                metadata::roadmap_rows(r, members.into_iter(), links)
            }
        }
    }
}

/// A text linked: the edits and definitions its links need, and the
/// fence its outline found open at the end. Made while a period loads, so
/// the outline it comes from can be dropped; packed, since a period holds
/// one for every goal until the pages are rendered.
pub(crate) struct LinkedText {
    /// Each edit's range in the text and where its replacement ends in
    /// `replacements`, as 32-bit offsets (goal and roadmap files are far
    /// smaller than 4 GiB; see [`LinkedText::of`]).
    edits: Vec<[u32; 3]>,
    /// The replacements, one after the other.
    replacements: String,
    /// The definitions, in label order.
    defs: Vec<(String, (String, String))>,
    unclosed_fence: Option<String>,
}

impl LinkedText {
    /// The linked text, or `None` for a text too large for 32-bit
    /// offsets (its page is then rendered from its outline).
    pub(crate) fn of(
        context: &Context,
        target: Target,
        text: &str,
        outline: &Outline,
    ) -> Option<Self> {
        let (edits, defs) = links(context, target).edits(text, outline);
        let mut replacements = String::with_capacity(edits.iter().map(|e| e.text.len()).sum());
        let mut packed = Vec::with_capacity(edits.len());
        for e in edits {
            replacements.push_str(&e.text);
            let at = [e.range.start, e.range.end, replacements.len()].map(u32::try_from);
            let [Ok(from), Ok(to), Ok(end)] = at else {
                return None;
            };
            packed.push([from, to, end]);
        }
        Some(LinkedText {
            edits: packed,
            replacements,
            defs: defs.into_iter().collect(),
            unclosed_fence: outline.unclosed_fence.clone(),
        })
    }

    /// The text with its links and the generated `rows`.
    fn finish(&self, text: &str, rows: Vec<Edit>) -> String {
        let mut edits: Vec<(std::ops::Range<usize>, &str)> =
            Vec::with_capacity(self.edits.len() + rows.len());
        let mut start = 0;
        for &[from, to, end] in &self.edits {
            let end = end as usize;
            edits.push((from as usize..to as usize, &self.replacements[start..end]));
            start = end;
        }
        edits.extend(rows.iter().map(|e| (e.range.clone(), e.text.as_str())));
        // The order `finish` gives them: by range, link edits first.
        edits.sort_by_key(|(range, _)| (range.start, range.end));
        let defs = self.defs.iter().map(|(_, (l, u))| (l.as_str(), u.as_str()));
        finish_sorted(
            text,
            self.unclosed_fence.as_deref(),
            edits.iter().cloned(),
            defs,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_linked_ahead_renders_as_linked_on_the_spot() {
        use crate::teams::Registry;
        let context = Context {
            config: crate::config::Config::default(),
            teams: Some(Registry::one("lang", "Language team", "https://teams/lang")),
        };
        // Two link edits, a definition, and a fence left open at the end.
        let text = "Ask @alice and @bob about [lang].\n\n```\ncode\n";
        let outline = Outline::parse(text);
        let rows = vec![Edit {
            range: 0..0,
            text: "> generated\n\n".into(),
        }];
        for target in [Target::Site, Target::Rfc] {
            let (mut edits, defs) = links(&context, target).edits(text, &outline);
            edits.extend(rows.clone());
            let want = finish(text, outline.unclosed_fence.as_deref(), edits, &defs);
            let ahead = LinkedText::of(&context, target, text, &outline).unwrap();
            assert_eq!(ahead.finish(text, rows.clone()), want);
            assert!(want.contains("[@alice]("), "{want}");
            assert!(want.contains("[@bob]("), "{want}");
            assert!(want.contains("```\n\n[lang]: https://teams/lang"), "{want}");
        }
    }

    #[test]
    fn link_edits_inside_replaced_spans_are_dropped() {
        let replaced = [2..5, 8..8, 10..14];
        assert!(overlaps(&replaced, &(4..6)));
        assert!(overlaps(&replaced, &(0..3)));
        assert!(!overlaps(&replaced, &(5..8)), "touching is not overlapping");
        assert!(overlaps(&replaced, &(7..9)), "an insertion strictly inside");
        assert!(!overlaps(&replaced, &(8..9)), "an insertion at the start");
        assert!(overlaps(&replaced, &(9..20)));
        assert!(!overlaps(&replaced, &(14..20)));
    }
}
