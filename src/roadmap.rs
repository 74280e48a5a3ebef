//! Roadmap files (`roadmap-*.md`, SPEC §5): a theme that groups goals, with
//! its own metadata table and application areas.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::goal::{MetaKind, Metadata, is_goal_table, parse_metadata, theme_key};
use crate::markdown::Outline;
use crate::source::{Source, Span};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Roadmap {
    pub source: Arc<Source>,
    /// Path relative to the book's source folder, `/`-separated.
    pub file: String,
    pub slug: String,
    /// The first heading as written, or the slug.
    pub title: String,
    pub title_span: Option<Span>,
    pub metadata: Metadata,
    pub outline: Outline,
    /// The theme, normalised.
    key: String,
    /// The title, normalised.
    title_key: String,
}

impl Roadmap {
    /// The theme goals point at: `Short title`, else the title.
    pub fn theme(&self) -> &str {
        self.metadata
            .short_title
            .as_ref()
            .map_or(self.title.as_str(), |s| s.value.as_str())
    }

    /// The theme, normalised for comparison.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// The title, normalised for comparison.
    pub(crate) fn title_key(&self) -> &str {
        &self.title_key
    }

    pub(crate) fn pitch(&self) -> &str {
        self.metadata.what_and_why.as_deref().unwrap_or("")
    }

    pub(crate) fn point_of_contact(&self) -> &str {
        self.metadata
            .point_of_contact
            .as_ref()
            .map_or("TBD", |p| p.value.as_str())
    }
}

/// Whether a file name is a roadmap's.
pub(crate) fn is_roadmap_file(name: &str) -> bool {
    name.starts_with("roadmap-") && name.ends_with(".md")
}

/// Parses a roadmap file. Without a metadata table it is an error and
/// `None` (the file is still checked as a page).
pub(crate) fn parse(
    source: Arc<Source>,
    file: String,
    outline: Outline,
    repository: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Roadmap> {
    let slug = crate::paths::slug(&file);
    let heading = outline.headings.first();
    let Some(table) = outline
        .tables
        .first()
        .filter(|t| is_goal_table(t, source.text()))
    else {
        let span = heading.map_or(0..0, |h| h.content.clone());
        diags.push(
            Diagnostic::new(Code::RoadmapWithoutMetadata, "this roadmap has no metadata table")
                .at(&source, span)
                .help("after the title, add `| Metadata | |` with `What and why` and `Point of contact` rows"),
        );
        return None;
    };
    let metadata = parse_metadata(table, MetaKind::Roadmap, &source, repository, diags);
    if metadata.what_and_why.is_none() {
        diags.push(
            Diagnostic::new(
                Code::RoadmapWithoutPitch,
                "this roadmap has no `What and why` row",
            )
            .at(&source, metadata.header.clone())
            .label("in this metadata table")
            .help("add `| What and why | one line on where this theme is going |`"),
        );
    }
    let (title, title_span) =
        crate::goal::parse::title(&source, &outline, table.span.start, &slug, diags);
    let key = theme_key(
        metadata
            .short_title
            .as_ref()
            .map_or(title.as_str(), |s| s.value.as_str()),
    );
    let title_key = theme_key(&title);
    Some(Roadmap {
        source,
        file,
        slug,
        title,
        title_span,
        metadata,
        outline,
        key,
        title_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<Roadmap>, Vec<&'static str>) {
        let src = Source::new("2027/roadmap-x.md", text);
        let outline = Outline::parse(src.text());
        let mut d = Diagnostics::new();
        let r = parse(src, "2027/roadmap-x.md".into(), outline, None, &mut d);
        d.sort();
        (r, d.iter().map(|d| d.code.as_str()).collect())
    }

    #[test]
    fn theme_is_short_title_or_heading() {
        let (r, d) = run(
            "# Faster *builds*\n\n| Metadata | |\n|---|---|\n| Short title | Fast |\n| What and why | Speed |\n| Point of contact | @a |\n| Application area | Tools |\n",
        );
        assert!(d.is_empty(), "{d:?}");
        let r = r.unwrap();
        assert_eq!(r.theme(), "Fast");
        // A theme names it by its short title or its heading, in any case.
        assert_eq!(r.key(), theme_key("FAST"));
        assert_eq!(r.title_key(), theme_key("Faster *builds*"));
        assert_eq!(r.metadata.application_areas[0].value, "Tools");
        let (r, _) = run(
            "# Faster builds\n\n| Metadata | |\n|---|---|\n| What and why | Speed |\n| Point of contact | TBD |\n",
        );
        assert_eq!(r.unwrap().theme(), "Faster builds");
    }

    #[test]
    fn missing_table_and_rows_are_errors() {
        let (r, d) = run("# Nothing here\n\nProse.\n");
        assert!(r.is_none());
        assert_eq!(d, ["E0401"]);
        let (_, d) = run("# R\n\n| Metadata | |\n|---|---|\n| Short title | R |\n");
        assert_eq!(d, ["E0201", "E0402"]);
    }
}
