//! The slate RFC (SPEC §10): one self-contained markdown document for a
//! period, built in-process from the same expansion code as the site.
//!
//! The period's README is rendered like a page of the book; each list line
//! that is only a link to a chapter (`- [Goals](./goals.md)`) is replaced by
//! that chapter, rendered the same way, its first heading dropped and its
//! other headings nested under the heading the line stood in. Relative
//! links become links to the published site, link definitions are gathered
//! once at the end, and headings are made to nest without skipping levels.

use crate::book::Book;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::directive::{self, Found};
use crate::markdown::{Outline, trim_span};
use crate::paths::{normalize, slash};
use crate::render::page::{Doc, links, page};
use crate::render::{Edit, Target, apply};
use crate::slate::Slate;
use crate::source::{ReadError, Source, Span};
use pulldown_cmark::{Event, Parser, Tag};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An exported RFC.
pub struct Rfc {
    pub period: String,
    pub text: String,
    /// Every diagnostic of the period and of the export, sorted.
    pub diags: Diagnostics,
}

/// Why an export could not start (the period folder could not be opened).
pub use crate::book::PeriodError as RfcError;

/// Finds the book around a period folder and exports the period.
pub fn export_dir(period_dir: &Path) -> Result<Rfc, RfcError> {
    let (book, name) = Book::open_period(period_dir)?;
    Ok(export(&book, &name))
}

/// Exports a period of an open book.
pub fn export(book: &Book, period: &str) -> Rfc {
    let slate = book.load(period);
    let mut diags = book.diags.clone();
    diags.extend(slate.diagnostics());
    let mut ex = Exporter {
        book,
        slate: &slate,
        diags: Diagnostics::new(),
        visiting: Vec::new(),
        site: book.config.site_url.clone(),
        warned_site: false,
        original: None,
    };
    let readme = format!("{period}/README.md");
    let text = match ex.chapter(&readme, None) {
        Some(body) => ex.finish(&body),
        None => String::new(),
    };
    diags.extend(ex.diags);
    diags.sort();
    Rfc {
        period: period.to_string(),
        text,
        diags,
    }
}

struct Exporter<'a> {
    book: &'a Book,
    slate: &'a Slate,
    diags: Diagnostics,
    /// Chapters being inlined (to stop cycles).
    visiting: Vec<String>,
    site: Option<String>,
    warned_site: bool,
    /// The author's text of the chapter being processed, if it is a file of
    /// the period.
    original: Option<Arc<Source>>,
}

impl Exporter<'_> {
    /// A span of a rendered chapter, moved to the same text in the author's
    /// file when it is there.
    fn locate(&self, rendered: &Arc<Source>, span: Span) -> (Arc<Source>, Span) {
        let needle = rendered.slice(&span);
        match self
            .original
            .as_ref()
            .and_then(|o| o.text().find(needle).map(|at| (o, at)))
        {
            Some((orig, at)) => (orig.clone(), at..at + needle.len()),
            None => (rendered.clone(), span),
        }
    }

    /// A chapter (a file relative to the source folder), rendered, its
    /// chapter lines inlined and its relative links made absolute. `from`
    /// is where the link to it stood, for diagnostics.
    fn chapter(&mut self, file: &str, from: Option<(&Arc<Source>, Span)>) -> Option<String> {
        let rendered = self.render(file, from)?;
        self.visiting.push(file.to_string());
        let source = Source::new(self.book.src_display.join(file), rendered);
        // Problems are reported in the author's file, not in the rendering;
        // the caller's file is restored when this chapter is done.
        let caller = std::mem::replace(&mut self.original, self.slate.source_of(file));
        // Chapter lines keep their relative links until they are inlined.
        let chapter_lines: Vec<Span> = chapter_lines(source.text())
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        let linked = self.absolute_links(&source, file, &chapter_lines);
        let text = self.inline_chapters(&Source::new(source.path(), linked), file);
        self.visiting.pop();
        self.original = caller;
        Some(text)
    }

    /// The page as the site shows it.
    fn render(&mut self, file: &str, from: Option<(&Arc<Source>, Span)>) -> Option<String> {
        let slate = self.slate;
        if let Some(g) = slate.goals.iter().find(|g| g.file == file) {
            return Some(Doc::Goal(g).render(self.book, slate, Target::Rfc));
        }
        if let Some(r) = slate.roadmaps.iter().find(|r| r.file == file) {
            return Some(Doc::Roadmap(r).render(self.book, slate, Target::Rfc));
        }
        if let Some(p) = slate.pages.iter().find(|p| p.file == file) {
            let found = &slate.files[file].directives;
            return Some(
                page(
                    self.book,
                    slate,
                    Target::Rfc,
                    file,
                    p.source.text(),
                    &p.outline,
                    found,
                )
                .text,
            );
        }
        // A page outside the period: read it, link its text, and reject
        // directives (they have no goals to list there).
        let path = self.book.src.join(file);
        let display = self.book.src_display.join(file);
        match Source::read(&path, &display) {
            Ok(source) => {
                let outline = Outline::parse(source.text());
                for found in directive::scan(&source, &outline, &mut self.diags) {
                    if let Found::Directive(d) = found {
                        self.diags.push(directive::outside_period(&source, &d));
                    }
                }
                Some(links(self.book, Target::Rfc).process(source.text()))
            }
            Err(ReadError::NotUtf8 { source, offset }) => {
                self.diags.push(
                    Diagnostic::new(Code::NotUtf8, "this file is not valid UTF-8")
                        .at(&source, offset..offset),
                );
                None
            }
            Err(e) => {
                let code = match e {
                    ReadError::Io(_) => Code::MissingChapter,
                    _ => e.code(),
                };
                let d = Diagnostic::new(
                    code,
                    format!(
                        "the RFC inlines `{file}`, which cannot be read: {}",
                        e.describe()
                    ),
                )
                .help("fix the link, or create the chapter");
                let d = match from {
                    Some((src, span)) => {
                        let (src, span) = self.locate(src, span);
                        d.at(&src, span)
                    }
                    None => d.in_file(&display),
                };
                self.diags.push(d);
                None
            }
        }
    }

    /// Replaces each line that is only a link to a local chapter with the
    /// chapter, its headings nested under the line's heading.
    fn inline_chapters(&mut self, source: &Arc<Source>, file: &str) -> String {
        let text = source.text();
        let outline = Outline::parse(text);
        let mut edits = Vec::new();
        for (target, span) in chapter_lines(text) {
            let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let offset = text[span.end..]
                .find('\n')
                .map_or(text.len(), |i| span.end + i + 1);
            let Some(target_file) = self.resolve(source, span.clone(), file, &target) else {
                continue;
            };
            if self.visiting.contains(&target_file) {
                continue;
            }
            let level = crate::render::heading_level(&outline, start);
            let Some(body) = self.chapter(&target_file, Some((source, span))) else {
                continue;
            };
            let body = prefix_footnotes(&body, &slug(&target_file));
            let nested = nest_headings(&body, level);
            edits.push(Edit {
                range: start..offset,
                text: format!("{}\n", nested.trim_end()),
            });
        }
        apply(text, edits)
    }

    /// The file a chapter link points at, relative to the source folder;
    /// `None` (reported) when it leaves the source folder.
    fn resolve(
        &mut self,
        source: &Arc<Source>,
        span: Span,
        from: &str,
        target: &str,
    ) -> Option<String> {
        let dir = Path::new(from).parent().unwrap_or(Path::new(""));
        match normalize(&dir.join(target)) {
            Some(p) => Some(slash(&p)),
            None => {
                let (source, span) = self.locate(source, span);
                self.diags.push(
                    Diagnostic::new(
                        Code::LinkLeavesBook,
                        format!("the link `{target}` leaves the book's source folder"),
                    )
                    .at(&source, span)
                    .label("not read")
                    .help("the RFC only inlines and links pages of the book; use an absolute URL for anything else"),
                );
                None
            }
        }
    }

    /// Rewrites relative links (inline links, images and definitions) to
    /// the published site; absolute URLs and `#fragments` stay.
    fn absolute_links(&mut self, source: &Arc<Source>, file: &str, skip: &[Span]) -> String {
        let text = source.text();
        let mut edits = Vec::new();
        for (span, dest) in destinations(text) {
            if !is_relative(&dest) || skip.iter().any(|s| s.contains(&span.start)) {
                continue;
            }
            let Some(site) = self.site.clone() else {
                if !self.warned_site {
                    self.warned_site = true;
                    let d = Diagnostic::new(
                        Code::MissingSiteUrl,
                        format!("the RFC links the book's pages (`{dest}`), but `site-url` is not configured"),
                    )
                    .help("set `site-url = \"https://…\"` in `[preprocessor.goals]`");
                    self.diags.push(self.book.config_diagnostic(d));
                }
                continue;
            };
            let (path, fragment) = match dest.split_once('#') {
                Some((p, f)) => (p, format!("#{f}")),
                None => (dest.as_str(), String::new()),
            };
            let joined = if let Some(abs) = path.strip_prefix('/') {
                Some(PathBuf::from(abs))
            } else {
                normalize(&Path::new(file).parent().unwrap_or(Path::new("")).join(path))
            };
            let Some(joined) = joined else {
                let (at, located) = self.locate(source, span.clone());
                self.diags.push(
                    Diagnostic::new(
                        Code::LinkLeavesBook,
                        format!("the link `{dest}` leaves the book's source folder"),
                    )
                    .at(&at, located)
                    .help("link to an absolute URL instead"),
                );
                continue;
            };
            edits.push(Edit {
                range: span,
                text: crate::render::escape::encode(&format!(
                    "{site}/{}{fragment}",
                    page_url(&slash(&joined))
                )),
            });
        }
        apply(text, edits)
    }

    /// Headings nested, link definitions gathered at the end, and a list of
    /// any goal or roadmap page the RFC does not link yet.
    fn finish(&mut self, body: &str) -> String {
        let mut body = normalize_headings(body);
        // The parser reports the first definition of each label only, so
        // gather until none is left: the first one gathered wins.
        let mut defs: BTreeMap<String, String> = BTreeMap::new();
        loop {
            let outline = Outline::parse(&body);
            if outline.definitions.is_empty() {
                break;
            }
            let mut edits = Vec::new();
            for (label, span) in &outline.definitions {
                let line = trim_span(&body, span.clone());
                let key = crate::render::text::normalize_label(label);
                defs.entry(key)
                    .or_insert_with(|| body[line.clone()].to_string());
                let end = body[span.end..]
                    .find('\n')
                    .map_or(body.len(), |i| span.end + i + 1);
                edits.push(Edit {
                    range: span.start..end,
                    text: String::new(),
                });
            }
            body = apply(&body, edits);
        }
        let mut out = collapse_blank_lines(&body);
        if let Some(site) = &self.site {
            let linked: BTreeSet<String> = destinations(&out)
                .into_iter()
                .map(|(_, d)| d)
                .chain(
                    defs.values()
                        .filter_map(|d| d.split_once("]:").map(|(_, u)| u.trim().to_string())),
                )
                .collect();
            let missing: Vec<(String, String)> = self
                .slate
                .goals
                .iter()
                .map(|g| (g.title.clone(), g.file.clone()))
                .chain(
                    self.slate
                        .roadmaps
                        .iter()
                        .map(|r| (r.title.clone(), r.file.clone())),
                )
                .map(|(t, f)| (t, format!("{site}/{}", page_url(&f))))
                .filter(|(_, url)| {
                    !linked
                        .iter()
                        .any(|l| l.split('#').next() == Some(url.as_str()))
                })
                .collect();
            if !missing.is_empty() {
                out.push_str("\n# Appendix: all goal and roadmap pages\n\n");
                for (title, url) in missing {
                    let label = crate::render::escape::label(&title);
                    out.push_str(&format!(
                        "- {}\n",
                        crate::render::escape::link(&label, &url)
                    ));
                }
            }
        }
        if !defs.is_empty() {
            out.push('\n');
            for def in defs.values() {
                out.push_str(def);
                out.push('\n');
            }
        }
        out
    }
}

/// A short account of how two exports differ: the number of differing
/// lines and the first difference.
pub fn difference(old: &str, new: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let differing = (0..a.len().max(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .count();
    let Some(first) = (0..a.len().max(b.len())).find(|&i| a.get(i) != b.get(i)) else {
        return "the files differ only in line endings or a final newline".into();
    };
    format!(
        "{differing} of {} {}; first at line {}:\n  - {}\n  + {}",
        crate::grammar::count(b.len(), "line"),
        crate::grammar::verb(differing, "differs", "differ"),
        first + 1,
        a.get(first).copied().unwrap_or("(end of file)"),
        b.get(first).copied().unwrap_or("(end of file)")
    )
}

/// Every chapter line of a document, outside code.
fn chapter_lines(text: &str) -> Vec<(String, Span)> {
    let outline = Outline::parse(text);
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some((target, span)) = chapter_line(line, offset)
            && !outline.in_code(span.start)
        {
            out.push((target, span));
        }
        offset += line.len();
    }
    out
}

/// For a list line that is exactly one link to a relative `.md` file: the
/// target and the link's span.
fn chapter_line(line: &str, offset: usize) -> Option<(String, Span)> {
    let trimmed = line.trim();
    let rest = trimmed
        .strip_prefix("- ")
        .or_else(|| trimmed.strip_prefix("* "))?
        .trim();
    let mut events = Parser::new(rest).into_offset_iter().filter(|(e, _)| {
        !matches!(
            e,
            Event::Start(Tag::Paragraph) | Event::End(_) | Event::Text(_)
        )
    });
    let (Event::Start(Tag::Link { dest_url, .. }), range) = events.next()? else {
        return None;
    };
    if events.next().is_some() || range.start != 0 || range.end != rest.len() {
        return None;
    }
    let dest = dest_url.to_string();
    let path = dest.split('#').next().unwrap_or("");
    if !is_relative(&dest) || !path.ends_with(".md") {
        return None;
    }
    let start = offset + line.find(rest).unwrap_or(0);
    Some((path.to_string(), start..start + rest.len()))
}

/// Whether a link destination is relative to the page (not a URL with a
/// scheme, not a `#fragment`, not protocol-relative).
pub(crate) fn is_relative(dest: &str) -> bool {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !(dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || scheme)
}

/// The site page of a source file: `x.md` → `x.html`, `README.md` →
/// `index.html`.
pub(crate) fn page_url(path: &str) -> String {
    match path.strip_suffix(".md") {
        Some(p) if p == "README" || p.ends_with("/README") => {
            format!("{}index.html", &p[..p.len() - 6])
        }
        Some(p) => format!("{p}.html"),
        None => path.to_string(),
    }
}

/// The spans of link destinations in a document: inline links, images and
/// reference definitions (autolinks are absolute and skipped).
pub(crate) fn destinations(text: &str) -> Vec<(Span, String)> {
    let outline = Outline::parse(text);
    let mut out = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::markdown::options()).into_offset_iter() {
        let (Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. })) =
            event
        else {
            continue;
        };
        let whole = &text[range.clone()];
        if !whole.ends_with(')') || whole.starts_with('<') {
            continue; // reference-style or autolink
        }
        if let Some(span) = inline_destination(whole, &dest_url) {
            out.push((
                range.start + span.start..range.start + span.end,
                dest_url.to_string(),
            ));
        }
    }
    for (_, span) in &outline.definitions {
        let def = &text[span.clone()];
        let Some(colon) = def.find("]:") else {
            continue;
        };
        let after = &def[colon + 2..];
        let lead = after.len() - after.trim_start().len();
        let rest = after.trim_start();
        let (start, dest) = if let Some(inner) = rest.strip_prefix('<') {
            (1, inner.split('>').next().unwrap_or(""))
        } else {
            (0, rest.split_whitespace().next().unwrap_or(""))
        };
        let s = span.start + colon + 2 + lead + start;
        out.push((s..s + dest.len(), dest.to_string()));
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

/// The span of the destination inside an inline link `[text](dest "t")`.
fn inline_destination(link: &str, dest: &str) -> Option<Span> {
    // The destination follows the `(` that matches the final `)`.
    let bytes = link.as_bytes();
    let mut depth = 0i32;
    let mut open = None;
    for i in (0..bytes.len()).rev() {
        match bytes[i] {
            b')' => depth += 1,
            b'(' => {
                depth -= 1;
                if depth == 0 {
                    open = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let open = open?;
    let inner = &link[open + 1..link.len() - 1];
    let lead = inner.len() - inner.trim_start().len();
    let rest = inner.trim_start();
    let (skip, raw) = match rest.strip_prefix('<') {
        Some(r) => (1, r.split('>').next().unwrap_or("")),
        None => (0, rest.split_whitespace().next().unwrap_or("")),
    };
    if raw != dest && !dest.is_empty() && raw.replace('\\', "") != dest {
        return None;
    }
    let start = open + 1 + lead + skip;
    Some(start..start + raw.len())
}

/// Footnote labels of an inlined chapter, prefixed so two chapters never
/// share one.
fn prefix_footnotes(text: &str, prefix: &str) -> String {
    let mut edits = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::markdown::options()).into_offset_iter() {
        let label = match &event {
            Event::FootnoteReference(l) => l.to_string(),
            Event::Start(Tag::FootnoteDefinition(l)) => l.to_string(),
            _ => continue,
        };
        let needle = format!("[^{label}]");
        if let Some(at) = text[range.clone()].find(&needle) {
            let start = range.start + at;
            edits.push(Edit {
                range: start..start + needle.len(),
                text: format!("[^{prefix}-{label}]"),
            });
        }
    }
    apply(text, edits)
}

fn slug(file: &str) -> String {
    file.trim_end_matches(".md")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// Drops the first heading of an inlined chapter and moves the others so
/// they sit below a heading of level `under`.
fn nest_headings(text: &str, under: u8) -> String {
    let outline = Outline::parse(text);
    let Some(first) = outline.headings.first() else {
        return text.to_string();
    };
    let drop_first = text[..first.span.start].trim().is_empty();
    let top = if drop_first {
        first.level
    } else {
        outline
            .headings
            .iter()
            .map(|h| h.level)
            .min()
            .unwrap_or(1)
            .saturating_sub(1)
    };
    let mut edits = Vec::new();
    for (i, h) in outline.headings.iter().enumerate() {
        let end = text[h.span.end.saturating_sub(1)..].starts_with('\n');
        let newline = if end { "\n" } else { "" };
        if i == 0 && drop_first {
            edits.push(Edit {
                range: h.span.clone(),
                text: String::new(),
            });
            continue;
        }
        let level = (h.level as i32 - top as i32 + under as i32).clamp(1, 6) as usize;
        edits.push(Edit {
            range: h.span.clone(),
            text: format!(
                "{} {}{newline}",
                "#".repeat(level),
                &text[h.content.clone()]
            ),
        });
    }
    apply(text, edits)
}

/// Makes every heading at most one level deeper than the one before it.
fn normalize_headings(text: &str) -> String {
    let outline = Outline::parse(text);
    let mut prev = 0u8;
    let mut edits = Vec::new();
    for h in &outline.headings {
        let level = h.level.min(prev + 1);
        prev = level;
        let end = text[h.span.end.saturating_sub(1)..].starts_with('\n');
        let atx = text[h.span.clone()].starts_with('#');
        if level != h.level || !atx {
            edits.push(Edit {
                range: h.span.clone(),
                text: format!(
                    "{} {}{}",
                    "#".repeat(level as usize),
                    &text[h.content.clone()],
                    if end { "\n" } else { "" }
                ),
            });
        }
    }
    apply(text, edits)
}

/// No more than one blank line in a row, outside code blocks.
fn collapse_blank_lines(text: &str) -> String {
    let outline = Outline::parse(text);
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty() && !outline.in_code(offset);
        offset += line.len();
        if blank {
            blanks += 1;
            if blanks > 1 {
                continue;
            }
        } else {
            blanks = 0;
        }
        out.push_str(line);
    }
    let trimmed = out.trim_end();
    format!("{}\n", trimmed.trim_start_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapter_lines_are_lone_links_to_local_pages() {
        assert_eq!(
            chapter_line("- [Goals](./goals.md)\n", 0).map(|c| c.0),
            Some("./goals.md".into())
        );
        assert_eq!(
            chapter_line("* [FAQ](faq.md#top)", 0).map(|c| c.0),
            Some("faq.md".into())
        );
        assert!(chapter_line("- [Goals](./goals.md) and more\n", 0).is_none());
        assert!(chapter_line("- [Site](https://example.org/x.md)\n", 0).is_none());
        assert!(chapter_line("- [Image](./a.png)\n", 0).is_none());
        assert!(chapter_line("[Goals](./goals.md)\n", 0).is_none());
    }

    #[test]
    fn relative_destinations_and_urls() {
        assert!(is_relative("./a.md") && is_relative("a.md#x") && is_relative("../b/c.md"));
        assert!(!is_relative("https://x") && !is_relative("#frag") && !is_relative("mailto:a@b"));
        assert_eq!(page_url("2027/goals.md"), "2027/goals.html");
        assert_eq!(page_url("2027/README.md"), "2027/index.html");
        assert_eq!(page_url("README.md"), "index.html");
        assert_eq!(page_url("2027/img.png"), "2027/img.png");
    }

    #[test]
    fn destinations_are_found_in_links_images_and_definitions() {
        let text = "[a](./a.md) ![i](<./i 1.png> \"t\") [r][x] <https://auto> [p](f(1).md)\n\n[x]: ./x.md \"title\"\n";
        let found: Vec<String> = destinations(text)
            .into_iter()
            .map(|(s, d)| {
                assert_eq!(&text[s], d.as_str());
                d
            })
            .collect();
        assert_eq!(found, ["./a.md", "./i 1.png", "f(1).md", "./x.md"]);
    }

    #[test]
    fn headings_nest_and_never_skip() {
        let chapter = "# Title\n\nIntro.\n\n## Part\n\n### Detail\n";
        assert_eq!(
            nest_headings(chapter, 2),
            "\nIntro.\n\n### Part\n\n#### Detail\n"
        );
        assert_eq!(
            normalize_headings("# A\n### B\n##### C\n## D\n"),
            "# A\n## B\n### C\n## D\n"
        );
        assert_eq!(
            normalize_headings("Title\n=====\n\ntext\n"),
            "# Title\n\ntext\n"
        );
    }

    #[test]
    fn footnotes_get_a_prefix() {
        assert_eq!(
            prefix_footnotes("A[^1] b.\n\n[^1]: Note.\n", "goals"),
            "A[^goals-1] b.\n\n[^goals-1]: Note.\n"
        );
    }
}
