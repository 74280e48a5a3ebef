//! The slate RFC (SPEC §10): one self-contained markdown document for a
//! period, built in-process from the same expansion code as the site.
//!
//! The period's README is rendered like a page of the book; each list line
//! that is only a link to a chapter (`- [Goals](./goals.md)`) is replaced by
//! that chapter, rendered the same way, its first heading dropped and its
//! other headings nested under the heading the line stood in. Each chapter
//! is inlined once (a later line to it becomes a link to its page; a
//! chapter inside itself is an error), and each is processed on its own
//! text before being appended, so the export is linear in its sources.
//! Relative links become links to the published site, link definitions are
//! gathered at the end (a label two chapters define differently is renamed
//! in the later one), and headings are made to nest without skipping
//! levels. Nothing outside the book's source folder is read, symbolic links
//! included.

use crate::book::Book;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::directive::{self, Found};
use crate::markdown::{Outline, trim_span};
use crate::paths::{normalize, slash};
use crate::render::page::{Doc, links, page};
use crate::render::text::normalize_label;
use crate::render::{Edit, Target, apply};
use crate::slate::Slate;
use crate::source::{ReadError, Source, Span};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An exported RFC.
pub struct Rfc {
    pub period: String,
    pub text: String,
    /// Every diagnostic of the period and of the export, sorted.
    pub diags: Diagnostics,
    /// The files the export read, which its output may not replace.
    pub inputs: crate::output::Inputs,
}

/// Why an export could not start (the period folder could not be opened).
pub use crate::book::PeriodError as RfcError;

/// Finds the book around a period folder and exports the period. The
/// folder may be given relative to the current directory in any form
/// (`.`, `../2027`, `./2027/`).
pub fn export_dir(period_dir: &Path) -> Result<Rfc, RfcError> {
    let (book, name) = Book::open_period(period_dir)?;
    Ok(export(&book, &name))
}

/// Exports a period of an open book.
pub fn export(book: &Book, period: &str) -> Rfc {
    let slate = book.load_without_tracking(period);
    let mut diags = book.diags.clone();
    diags.extend(slate.diagnostics());
    let (text, own) = assemble(book, &slate);
    diags.extend(own);
    diags.sort();
    Rfc {
        period: period.to_string(),
        text,
        diags,
        inputs: crate::output::Inputs::of_book(book),
    }
}

/// What would make the export of a loaded period fail, besides the
/// period's own diagnostics: the RFC's checks, for `check`.
pub fn problems(book: &Book, slate: &Slate) -> Diagnostics {
    assemble(book, slate).1
}

/// The RFC of a loaded period, and the problems met assembling it.
fn assemble(book: &Book, slate: &Slate) -> (String, Diagnostics) {
    let mut ex = Exporter::new(book, slate);
    let readme = format!("{}/README.md", slate.name);
    let text = if ex.chapter(&readme, None, None) {
        let body = std::mem::take(&mut ex.out);
        ex.finish(&body)
    } else {
        String::new()
    };
    (text, ex.diags)
}

/// How deep chapters may be inlined in one another (the README is the
/// first level).
pub const MAX_DEPTH: usize = 32;

/// A file of the period, loaded by the slate.
#[derive(Clone, Copy)]
enum Known {
    Goal(usize),
    Roadmap(usize),
    Page(usize),
}

/// Assembles the RFC into `out`, one chapter after the other: each chapter
/// is rendered and processed once, on its own text, so the work is linear
/// in the size of the document.
struct Exporter<'a> {
    book: &'a Book,
    slate: &'a Slate,
    diags: Diagnostics,
    /// The goals, roadmaps and pages of the period by file.
    known: BTreeMap<&'a str, Known>,
    /// The source folder, canonical: nothing outside it is read.
    root: Option<PathBuf>,
    /// Chapters being inlined (a line to one of them closes a cycle).
    visiting: BTreeSet<String>,
    /// Chapters inlined so far: a second line to one becomes a link.
    inlined: BTreeSet<String>,
    site: Option<String>,
    warned_site: bool,
    /// The author's text of the chapter being processed, if it is a file of
    /// the period, and where the last problem was found in it (problems
    /// come in text order, so each search starts there).
    original: Option<(Arc<Source>, usize)>,
    /// The link definitions kept, by normalised label: the line written at
    /// the end, and what follows its `]:` (destination and title).
    defs: BTreeMap<String, (String, String)>,
    /// The last suffix given to a renamed label.
    suffixes: BTreeMap<String, usize>,
    /// The document so far.
    out: String,
}

impl<'a> Exporter<'a> {
    fn new(book: &'a Book, slate: &'a Slate) -> Self {
        let goals = slate.goals.iter().enumerate();
        let roadmaps = slate.roadmaps.iter().enumerate();
        let pages = slate.pages.iter().enumerate();
        let known = goals
            .map(|(i, g)| (g.file.as_str(), Known::Goal(i)))
            .chain(roadmaps.map(|(i, r)| (r.file.as_str(), Known::Roadmap(i))))
            .chain(pages.map(|(i, p)| (p.file.as_str(), Known::Page(i))))
            .collect();
        Exporter {
            book,
            slate,
            diags: Diagnostics::new(),
            known,
            root: book.src.canonicalize().ok(),
            visiting: BTreeSet::new(),
            inlined: BTreeSet::new(),
            site: book.config.site_url.clone(),
            warned_site: false,
            original: None,
            defs: BTreeMap::new(),
            suffixes: BTreeMap::new(),
            out: String::new(),
        }
    }

    /// The author's text of a file of the period.
    fn source_of(&self, file: &str) -> Option<Arc<Source>> {
        Some(match *self.known.get(file)? {
            Known::Goal(i) => self.slate.goals[i].source.clone(),
            Known::Roadmap(i) => self.slate.roadmaps[i].source.clone(),
            Known::Page(i) => self.slate.pages[i].source.clone(),
        })
    }

    /// A span of a rendered chapter, moved to the same text in the author's
    /// file when it is there.
    fn locate(&mut self, rendered: &Arc<Source>, span: Span) -> (Arc<Source>, Span) {
        let needle = rendered.slice(&span);
        let Some((orig, cursor)) = self.original.as_mut() else {
            return (rendered.clone(), span);
        };
        let text = orig.text();
        let found = text[*cursor..]
            .find(needle)
            .map(|i| *cursor + i)
            .or_else(|| text.find(needle));
        match found {
            Some(at) => {
                *cursor = at;
                (orig.clone(), at..at + needle.len())
            }
            None => (rendered.clone(), span),
        }
    }

    /// Reports a problem at a span of a rendered chapter, moved to the
    /// author's file.
    fn report_at(&mut self, rendered: &Arc<Source>, span: Span, d: Diagnostic) {
        let (src, span) = self.locate(rendered, span);
        self.diags.push(d.at(&src, span));
    }

    /// Appends a chapter (a file relative to the source folder) to the
    /// document: rendered, its relative links made absolute, its link
    /// definitions gathered and its chapter lines inlined. `from` is where
    /// the line linking it stood, for diagnostics; `under` the level of the
    /// heading it nests under (`None` for the period's README). `false`
    /// (reported) when it cannot be read.
    fn chapter(
        &mut self,
        file: &str,
        from: Option<(&Arc<Source>, Span)>,
        under: Option<u8>,
    ) -> bool {
        let Some(rendered) = self.render(file, from) else {
            return false;
        };
        self.visiting.insert(file.to_string());
        self.inlined.insert(file.to_string());
        // Problems are reported in the author's file, not in the rendering;
        // the caller's file is restored when this chapter is done.
        let own = self.source_of(file).map(|s| (s, 0));
        let caller = std::mem::replace(&mut self.original, own);
        let path = self.book.src_display.join(file);
        let source = Source::new(&path, rendered);
        // Chapter lines keep their relative links until they are inlined.
        let lines: Vec<Span> = chapter_lines(source.text())
            .into_iter()
            .map(|c| c.link)
            .collect();
        let mut text = self.absolute_links(&source, file, &lines);
        text = self.gather_definitions(&text);
        if let Some(level) = under {
            text = prefix_footnotes(&text, &slug(file));
            text = nest_headings(&text, level);
        }
        self.inline_chapters(&Source::new(path, text), file, under.unwrap_or(1));
        self.visiting.remove(file);
        self.original = caller;
        true
    }

    /// The page as the site shows it.
    fn render(&mut self, file: &str, from: Option<(&Arc<Source>, Span)>) -> Option<String> {
        let slate = self.slate;
        match self.known.get(file) {
            Some(Known::Goal(i)) => {
                return Some(Doc::Goal(&slate.goals[*i]).render(self.book, slate, Target::Rfc));
            }
            Some(Known::Roadmap(i)) => {
                return Some(Doc::Roadmap(&slate.roadmaps[*i]).render(
                    self.book,
                    slate,
                    Target::Rfc,
                ));
            }
            Some(Known::Page(i)) => {
                let p = &slate.pages[*i];
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
            None => {}
        }
        // A page outside the period: read it, link its text, and reject
        // directives (they have no goals to list there).
        let path = self.book.src.join(file);
        let display = self.book.src_display.join(file);
        if let Some(real) = self
            .root
            .as_deref()
            .and_then(|root| crate::paths::outside(root, &path))
        {
            match from {
                Some((src, span)) => {
                    let d = Diagnostic::new(
                        Code::LinkLeavesBook,
                        format!(
                            "the chapter `{file}` is a symbolic link to `{}`, outside the book's source folder",
                            crate::paths::display_path(&real).display()
                        ),
                    )
                    .label("not read")
                    .help("the RFC only inlines the book's own files: copy the chapter into the source folder");
                    self.report_at(src, span, d);
                }
                // A file of the period: its loading reported it.
                None if slate.files.contains_key(file) => {}
                None => self
                    .diags
                    .push(crate::slate::symlink_leaves_book(&display, &real)),
            }
            return None;
        }
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
                let why = e.describe();
                match from {
                    Some((src, span)) => {
                        let d = Diagnostic::new(
                            code,
                            format!("the RFC inlines `{file}`, which cannot be read: {why}"),
                        )
                        .help("fix the link, or create the chapter");
                        self.report_at(src, span, d);
                    }
                    None => self.diags.push(
                        Diagnostic::new(
                            code,
                            format!("the RFC starts from `{file}`, which cannot be read: {why}"),
                        )
                        .in_file(&display)
                        .help("write the period's README: the RFC is assembled from it"),
                    ),
                }
                None
            }
        }
    }

    /// Appends the chapter's text to the document, each line that is only
    /// a link to a local chapter replaced by that chapter, its headings
    /// nested under the line's heading (`level` before any heading). A
    /// chapter already inlined is linked instead; a chapter being inlined
    /// (a cycle) is an error.
    fn inline_chapters(&mut self, source: &Arc<Source>, file: &str, level: u8) {
        let text = source.text();
        let outline = Outline::parse(text);
        let mut at = 0;
        for line in chapter_lines_of(text, &outline) {
            let span = line.link.clone();
            let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = text[span.end..]
                .find('\n')
                .map_or(text.len(), |i| span.end + i + 1);
            let Some(target) = self.resolve(source, span.clone(), file, &line.target) else {
                continue;
            };
            if self.visiting.contains(&target) {
                let d = Diagnostic::new(
                    Code::ChapterCycle,
                    format!("`{target}` includes itself: this line inlines it inside itself"),
                )
                .label("closes the cycle")
                .help("the RFC inlines each chapter once; link the chapter in a sentence instead of on a line of its own");
                self.report_at(source, span, d);
                continue;
            }
            if self.inlined.contains(&target) {
                // Inlined once already: the line links to the chapter's page.
                if let Some(dest) = line.dest
                    && let Some(url) = self.site_url(source, dest.clone(), file, &line.dest_text)
                {
                    self.out.push_str(&text[at..dest.start]);
                    self.out.push_str(&url);
                    at = dest.end;
                }
                continue;
            }
            if self.visiting.len() >= MAX_DEPTH {
                let d = Diagnostic::new(
                    Code::ChaptersTooDeep,
                    format!("`{target}` would be inlined deeper than {MAX_DEPTH} chapters"),
                )
                .label("not inlined")
                .help(format!("the RFC inlines chapters at most {MAX_DEPTH} levels deep; link this one in a sentence instead"));
                self.report_at(source, span, d);
                continue;
            }
            let heading = outline.headings
                [..outline.headings.partition_point(|h| h.span.start < start)]
                .last()
                .map_or(level, |h| h.level);
            self.out.push_str(&text[at..start]);
            let mark = self.out.len();
            if self.chapter(&target, Some((source, span)), Some(heading)) {
                let kept = self.out[mark..].trim_end().len();
                self.out.truncate(mark + kept);
                self.out.push('\n');
                at = end;
            } else {
                at = start;
            }
        }
        self.out.push_str(&text[at..]);
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
                let d = Diagnostic::new(
                    Code::LinkLeavesBook,
                    format!("the link `{target}` leaves the book's source folder"),
                )
                .label("not read")
                .help("the RFC only inlines and links pages of the book; use an absolute URL for anything else");
                self.report_at(source, span, d);
                None
            }
        }
    }

    /// Rewrites relative links (inline links, images and definitions) to
    /// the published site; absolute URLs and `#fragments` stay. Links in
    /// the sorted spans `skip` stay as they are.
    fn absolute_links(&mut self, source: &Arc<Source>, file: &str, skip: &[Span]) -> String {
        let text = source.text();
        let mut edits = Vec::new();
        for (span, dest) in destinations(text) {
            if !is_relative(&dest) || crate::markdown::contains(skip, span.start) {
                continue;
            }
            if let Some(url) = self.site_url(source, span.clone(), file, &dest) {
                edits.push(Edit {
                    range: span,
                    text: url,
                });
            }
        }
        apply(text, edits)
    }

    /// The site's URL for a relative destination `dest` written at `span`
    /// in `file`; `None` (reported) without `site-url`, or when it leaves
    /// the source folder.
    fn site_url(
        &mut self,
        source: &Arc<Source>,
        span: Span,
        file: &str,
        dest: &str,
    ) -> Option<String> {
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
            return None;
        };
        let (path, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, format!("#{f}")),
            None => (dest, String::new()),
        };
        let joined = if let Some(abs) = path.strip_prefix('/') {
            Some(PathBuf::from(abs))
        } else {
            normalize(&Path::new(file).parent().unwrap_or(Path::new("")).join(path))
        };
        let Some(joined) = joined else {
            let d = Diagnostic::new(
                Code::LinkLeavesBook,
                format!("the link `{dest}` leaves the book's source folder"),
            )
            .help("link to an absolute URL instead");
            self.report_at(source, span, d);
            return None;
        };
        Some(crate::render::escape::encode(&format!(
            "{site}/{}{fragment}",
            page_url(&slash(&joined))
        )))
    }

    /// Takes the chapter's link definitions out of its text into the
    /// document's list. Labels belong to their chapter: a label an earlier
    /// chapter defined with another destination is renamed here, in the
    /// definition and in every reference of the chapter; a label defined
    /// the same way shares the first definition.
    fn gather_definitions(&mut self, text: &str) -> String {
        let outline = Outline::parse(text);
        if outline.definitions.is_empty() {
            return text.to_string();
        }
        let own: BTreeSet<String> = outline
            .definitions
            .iter()
            .map(|(l, _)| normalize_label(l))
            .collect();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let mut edits = Vec::new();
        for (label, span) in &outline.definitions {
            let line = trim_span(text, span.clone());
            let def = &text[line];
            let content = def
                .find("]:")
                .map_or("", |i| def[i + 2..].trim())
                .to_string();
            let key = normalize_label(label);
            match self.defs.get(&key) {
                None => {
                    self.defs.insert(key, (def.to_string(), content));
                }
                Some((_, first)) if *first == content => {}
                Some(_) => {
                    let fresh = self.fresh_label(label, &own);
                    let line = format!("[{fresh}]: {content}");
                    self.defs.insert(normalize_label(&fresh), (line, content));
                    renamed.insert(key, fresh);
                }
            }
            edits.push(Edit {
                range: definition_line(text, span.start, span.end),
                text: String::new(),
            });
        }
        // A label defined twice in the chapter: the parser reports the first
        // definition only; the others are dropped too (the first wins).
        let firsts: Vec<usize> = outline.definitions.iter().map(|(_, s)| s.start).collect();
        for span in repeated_definitions(text, &own) {
            if firsts.binary_search(&span.start).is_err() {
                edits.push(Edit {
                    range: span,
                    text: String::new(),
                });
            }
        }
        if !renamed.is_empty() {
            edits.extend(rename_references(text, &renamed));
        }
        apply(text, edits)
    }

    /// A label not used yet in the document nor in the chapter: `label-2`,
    /// `label-3`, …
    fn fresh_label(&mut self, label: &str, own: &BTreeSet<String>) -> String {
        let key = normalize_label(label);
        loop {
            let n = self.suffixes.entry(key.clone()).or_insert(1);
            *n += 1;
            let fresh = format!("{label}-{n}");
            let k = normalize_label(&fresh);
            if !self.defs.contains_key(&k) && !own.contains(&k) {
                return fresh;
            }
        }
    }

    /// Headings nested, link definitions written at the end, and a list of
    /// any goal or roadmap page the RFC does not link yet.
    fn finish(&mut self, body: &str) -> String {
        let mut out = collapse_blank_lines(&normalize_headings(body));
        if let Some(site) = &self.site {
            // The pages linked, without fragments.
            let linked: BTreeSet<String> = destinations(&out)
                .into_iter()
                .map(|(_, d)| d)
                .chain(self.defs.values().map(|(_, c)| {
                    c.strip_prefix('<')
                        .map_or_else(|| c.split_whitespace().next(), |c| c.split('>').next())
                        .unwrap_or("")
                        .to_string()
                }))
                .map(|d| d.split('#').next().unwrap_or("").to_string())
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
                .filter(|(_, url)| !linked.contains(url))
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
        if !self.defs.is_empty() {
            out.push('\n');
            for (line, _) in self.defs.values() {
                out.push_str(line);
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

/// A list line that is only a link to a local `.md` file.
#[derive(Debug)]
struct ChapterLine {
    /// The file linked, without fragment.
    target: String,
    /// The link.
    link: Span,
    /// The link's destination, when written inline.
    dest: Option<Span>,
    /// The destination as written.
    dest_text: String,
}

/// Every chapter line of a document, outside code.
fn chapter_lines(text: &str) -> Vec<ChapterLine> {
    chapter_lines_of(text, &Outline::parse(text))
}

fn chapter_lines_of(text: &str, outline: &Outline) -> Vec<ChapterLine> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(found) = chapter_line(line, offset)
            && !outline.in_code(found.link.start)
        {
            out.push(found);
        }
        offset += line.len();
    }
    out
}

/// For a list line that is exactly one link to a relative `.md` file: the
/// target and the link's span.
fn chapter_line(line: &str, offset: usize) -> Option<ChapterLine> {
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
    let dest_span = rest
        .ends_with(')')
        .then(|| inline_destination(rest, &dest))
        .flatten()
        .map(|s| start + s.start..start + s.end);
    Some(ChapterLine {
        target: path.to_string(),
        link: start..start + rest.len(),
        dest: dest_span,
        dest_text: dest,
    })
}

/// What to remove for a definition from `start` to `end`: through the end
/// of its line, newline included when the line holds nothing else (inside a
/// block quote, the `>` and the line break stay).
fn definition_line(text: &str, start: usize, end: usize) -> Span {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let newline = text[end..].find('\n').map(|i| end + i);
    match newline {
        Some(nl) if text[line_start..start].trim().is_empty() => start..nl + 1,
        Some(nl) => start..nl,
        None => start..text.len(),
    }
}

/// The link definitions of labels in `labels` that the parser does not
/// report because an earlier one has the same label: lines outside every
/// block and inline element that start (after `>` and blanks) with
/// `[label]:`. One pass.
fn repeated_definitions(text: &str, labels: &BTreeSet<String>) -> Vec<Span> {
    let mut covered: Vec<Span> = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::markdown::options()).into_offset_iter() {
        let container = matches!(
            event,
            Event::Start(
                Tag::BlockQuote(_)
                    | Tag::List(_)
                    | Tag::Item
                    | Tag::FootnoteDefinition(_)
                    | Tag::DefinitionList
                    | Tag::DefinitionListTitle
                    | Tag::DefinitionListDefinition
            ) | Event::End(_)
        );
        if !container && !range.is_empty() {
            covered.push(range);
        }
    }
    covered.sort_by_key(|r| r.start);
    let mut merged: Vec<Span> = Vec::with_capacity(covered.len());
    for r in covered {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let rest = line.trim_start_matches([' ', '\t', '>']);
        let at = offset + line.len() - rest.len();
        offset += line.len();
        let Some(label) = rest
            .strip_prefix('[')
            .and_then(|r| r.find("]:").map(|i| &r[..i]))
        else {
            continue;
        };
        if labels.contains(&normalize_label(label)) && !crate::markdown::contains(&merged, at) {
            out.push(definition_line(text, at, at));
        }
    }
    out
}

/// Edits that make every reference to a label in `renamed` (normalised
/// label → new label) use the new label: `[x][old]`, `[x][]` and `[x]`.
fn rename_references(text: &str, renamed: &BTreeMap<String, String>) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (event, range) in Parser::new_ext(text, crate::markdown::options()).into_offset_iter() {
        let (Event::Start(Tag::Link { link_type, id, .. })
        | Event::Start(Tag::Image { link_type, id, .. })) = event
        else {
            continue;
        };
        let Some(new) = renamed.get(&normalize_label(&id)) else {
            continue;
        };
        let whole = &text[range.clone()];
        let edit = match link_type {
            LinkType::Reference => {
                let tail = format!("[{id}]");
                whole.ends_with(&tail).then(|| Edit {
                    range: range.end - id.len() - 1..range.end - 1,
                    text: new.clone(),
                })
            }
            LinkType::Collapsed if whole.ends_with("[]") => Some(Edit {
                range: range.end - 1..range.end - 1,
                text: new.clone(),
            }),
            LinkType::Collapsed if text[range.end..].starts_with("[]") => Some(Edit {
                range: range.end + 1..range.end + 1,
                text: new.clone(),
            }),
            LinkType::Shortcut => Some(Edit {
                range: range.end..range.end,
                text: format!("[{new}]"),
            }),
            _ => None,
        };
        edits.extend(edit);
    }
    edits
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
            chapter_line("- [Goals](./goals.md)\n", 0).map(|c| c.target),
            Some("./goals.md".into())
        );
        assert_eq!(
            chapter_line("* [FAQ](faq.md#top)", 0).map(|c| c.target),
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
