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
use crate::directive;
use crate::markdown::{Outline, Plain, trim_span};
use crate::paths::slash;
use crate::render::page::{Doc, links, page};
use crate::render::text::normalize_label;
use crate::render::{Edit, Target, apply};
use crate::slate::{Lifetime, Slate};
use crate::source::{ReadError, Source, Span};
use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An exported RFC.
pub struct Rfc {
    pub period: String,
    pub text: String,
    /// Every diagnostic of the period and of the export, sorted.
    pub diags: Diagnostics,
    /// The files the export read, which its output may not replace.
    pub(crate) inputs: crate::output::Inputs,
}

/// Why an export could not start (the period folder could not be opened).
pub(crate) use crate::book::PeriodError as RfcError;

/// Finds the book around a period folder and exports the period. The
/// folder may be given relative to the current directory in any form
/// (`.`, `../2027`, `./2027/`).
pub fn export_dir(period_dir: &Path) -> Result<Rfc, RfcError> {
    export_dir_for(period_dir, Lifetime::Freed)
}

/// [`export_dir`], leaving the period's model to the process's exit when
/// `lifetime` says so.
pub(crate) fn export_dir_for(period_dir: &Path, lifetime: Lifetime) -> Result<Rfc, RfcError> {
    let (book, name) = Book::open_period(period_dir)?;
    Ok(export_for(&book, &name, lifetime))
}

/// Exports a period of an open book.
pub fn export(book: &Book, period: &str) -> Rfc {
    export_for(book, period, Lifetime::Freed)
}

fn export_for(book: &Book, period: &str, lifetime: Lifetime) -> Rfc {
    let slate = book.load_without_tracking(period);
    let mut diags = book.diags.clone();
    diags.extend(slate.diagnostics());
    let (text, own) = assemble(book, &slate, true);
    lifetime.end(slate);
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
pub(crate) fn problems(book: &Book, slate: &Slate) -> Diagnostics {
    assemble(book, slate, false).1
}

/// The RFC of a loaded period, and the problems met assembling it. Without
/// `finish`, the text is left unfinished (headings, blank lines, the
/// appendix and the definitions find no problem).
fn assemble(book: &Book, slate: &Slate, finish: bool) -> (String, Diagnostics) {
    let mut ex = Exporter::new(book, slate);
    if finish {
        ex.layout = Some(Layout::default());
    }
    ex.prepare();
    let readme = format!("{}/README.md", slate.name);
    let text = if !ex.chapter(&readme, None, None) {
        String::new()
    } else if !finish {
        std::mem::take(&mut ex.out)
    } else {
        let body = std::mem::take(&mut ex.out);
        ex.finish(&body)
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
    /// The link definitions kept, by normalised label: the line written at
    /// the end, and what follows its `]:` (destination and title).
    defs: BTreeMap<String, (String, String)>,
    /// The last suffix given to a renamed label.
    suffixes: BTreeMap<String, usize>,
    /// The period's pages, rendered and parsed ahead on every core; each
    /// is taken when the document reaches it.
    prepared: HashMap<&'a str, Prepared>,
    /// The document so far.
    out: String,
    /// Its structure, noted as it is written, when it is to be finished.
    layout: Option<Layout>,
}

/// A page of the period as the RFC shows it.
fn rfc_page(book: &Book, slate: &Slate, p: &crate::slate::Page) -> String {
    let found = &slate.files[p.file.as_str()].directives;
    page(
        book,
        slate,
        Target::Rfc,
        &p.file,
        p.source.text(),
        &p.outline,
        found,
    )
    .text
}

/// A chapter rendered and parsed, ready to be edited into the document.
struct Prepared {
    source: Arc<Source>,
    scan: Scan,
    /// Problems are reported in the author's file, not in the rendering.
    map: AuthorMap,
    lines: Vec<ChapterLine>,
}

impl Prepared {
    fn new(
        book: &Book,
        file: &str,
        rendered: String,
        author: Option<(&Arc<Source>, &Outline)>,
    ) -> Self {
        let source = Source::new(book.src_display.join(file), rendered);
        let scan = Scan::parse(source.text());
        let map = match author {
            Some((author, outline)) => AuthorMap::new(author, outline, &source, &scan),
            None => AuthorMap::rendered(&source),
        };
        let lines = chapter_lines_of(source.text(), |at| scan.in_code(at));
        Prepared {
            source,
            scan,
            map,
            lines,
        }
    }
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
            defs: BTreeMap::new(),
            suffixes: BTreeMap::new(),
            prepared: HashMap::new(),
            out: String::new(),
            layout: None,
        }
    }

    /// Renders and parses the period's pages ahead, on every core (each
    /// depends only on its file and the period). They are few and the
    /// README inlines them; goal and roadmap chapters, many and rarely
    /// inlined, are rendered when the document reaches one.
    fn prepare(&mut self) {
        let (book, slate) = (self.book, self.slate);
        let prepared = crate::slate::parallel_map(&slate.pages, |p| {
            let rendered = rfc_page(book, slate, p);
            Prepared::new(book, &p.file, rendered, Some((&p.source, &p.outline)))
        });
        self.prepared = slate
            .pages
            .iter()
            .map(|p| p.file.as_str())
            .zip(prepared)
            .collect();
    }

    /// The author's text and outline of a file of the period.
    fn author_of(&self, file: &str) -> Option<(&'a Arc<Source>, &'a Outline)> {
        let slate = self.slate;
        Some(match *self.known.get(file)? {
            Known::Goal(i) => (&slate.goals[i].source, &slate.goals[i].outline),
            Known::Roadmap(i) => (&slate.roadmaps[i].source, &slate.roadmaps[i].outline),
            Known::Page(i) => (&slate.pages[i].source, &slate.pages[i].outline),
        })
    }

    /// Appends a chapter (a file relative to the source folder) to the
    /// document: rendered, its relative links made absolute, its link
    /// definitions gathered and its chapter lines inlined. `from` is where
    /// the line linking it stood, for diagnostics; `under` the level of the
    /// heading it nests under (`None` for the period's README). `false`
    /// (reported) when it cannot be read.
    ///
    /// The rendered text is parsed once; every change is an edit of it,
    /// and the edited text is written straight into the document, each
    /// chapter line replaced by its chapter.
    fn chapter(
        &mut self,
        file: &str,
        from: Option<(Arc<Source>, Span)>,
        under: Option<u8>,
    ) -> bool {
        let prepared = match self.prepared.remove(file) {
            Some(p) => p,
            None => {
                let Some(rendered) = self.render(file, from) else {
                    return false;
                };
                Prepared::new(self.book, file, rendered, self.author_of(file))
            }
        };
        self.visiting.insert(file.to_string());
        self.inlined.insert(file.to_string());
        let Prepared {
            source,
            scan,
            map,
            lines,
        } = prepared;
        let text = source.text();
        // Chapter lines keep their relative links until they are inlined.
        let skip: Vec<Span> = lines.iter().map(|c| c.link.clone()).collect();
        let links = self.absolute_links(&map, file, &scan, &skip);
        let mut edits = self.gather_definitions(text, &scan, &links);
        let noted = match self.layout {
            Some(_) => links.clone(),
            None => Vec::new(),
        };
        edits.extend(links);
        if under.is_some() {
            edits.extend(prefix_footnotes(text, &scan, &slug(file)));
        }
        edits.sort_by_key(|e| (e.range.start, e.range.end));
        let (headings, dropped) = match under {
            Some(level) => nest_headings(text, &scan, level, &mut edits),
            None => {
                let kept = scan.headings.iter().map(|h| (h.span.start, h.level));
                (kept.collect(), None)
            }
        };
        if let Some(layout) = &mut self.layout {
            layout.note_links(text, &scan, &noted, dropped.as_ref());
        }
        let copy = self.inline_chapters(
            text,
            &edits,
            &lines,
            &headings,
            &map,
            file,
            under.unwrap_or(1),
        );
        if let Some(layout) = &mut self.layout {
            layout.note_chapter(&self.out, &scan, &copy, under.is_some(), &headings);
        }
        self.visiting.remove(file);
        true
    }

    /// The page as the site shows it.
    fn render(&mut self, file: &str, from: Option<(Arc<Source>, Span)>) -> Option<String> {
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
            Some(Known::Page(i)) => return Some(rfc_page(self.book, slate, &slate.pages[*i])),
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
                    self.diags.push(d.at(&src, span));
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
                directive::scan_outside_period(&source, &outline, &mut self.diags);
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
                        self.diags.push(d.at(&src, span));
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

    /// Writes the chapter's text with its edits into the document, each
    /// line that is only a link to a local chapter replaced by that chapter,
    /// its headings nested under the line's heading (`level` before any
    /// heading; `headings` are the chapter's headings as written, start and
    /// level). A chapter already inlined is linked instead; a chapter being
    /// inlined (a cycle) is an error.
    #[allow(clippy::too_many_arguments)]
    fn inline_chapters<'t>(
        &mut self,
        text: &'t str,
        edits: &'t [Edit],
        lines: &[ChapterLine],
        headings: &[(usize, u8)],
        map: &AuthorMap,
        file: &str,
        level: u8,
    ) -> Copier<'t> {
        let mut copy = Copier::new(text, edits);
        for line in lines {
            let span = line.link.clone();
            let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
            let end = text[span.end..]
                .find('\n')
                .map_or(text.len(), |i| span.end + i + 1);
            let Some(target) = self.resolve(map, span.clone(), file, &line.target) else {
                continue;
            };
            if self.visiting.contains(&target) {
                let d = Diagnostic::new(
                    Code::ChapterCycle,
                    format!("`{target}` includes itself: this line inlines it inside itself"),
                )
                .label("closes the cycle")
                .help("the RFC inlines each chapter once; link the chapter in a sentence instead of on a line of its own");
                self.diags.push(map.at(span, d));
                continue;
            }
            // Inlined once already, or a page of another period (which
            // belongs to that period's RFC, its directives listing that
            // period's goals): the line links to the chapter's page.
            if self.inlined.contains(&target) || self.of_another_period(&target) {
                if let Some(dest) = line.dest.clone()
                    && let Some(url) = self.site_url(map, dest.clone(), file, &line.dest_text)
                {
                    copy.to(&mut self.out, dest.start);
                    self.out.push_str(&url);
                    copy.skip(dest.end);
                    if let Some(layout) = &mut self.layout {
                        layout.note_link(&url);
                    }
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
                self.diags.push(map.at(span, d));
                continue;
            }
            let heading = headings[..headings.partition_point(|h| h.0 < start)]
                .last()
                .map_or(level, |h| h.1);
            copy.to(&mut self.out, start);
            let mark = self.out.len();
            let noted = self.layout.as_ref().map(Layout::mark);
            let from = map.locate(span);
            if self.chapter(&target, Some(from), Some(heading)) {
                let kept = self.out[mark..].trim_end().len();
                self.out.truncate(mark + kept);
                if let (Some(layout), Some(noted)) = (&mut self.layout, noted) {
                    layout.truncate(noted, mark + kept);
                }
                self.out.push('\n');
                copy.skip(end);
            }
        }
        copy.to(&mut self.out, text.len());
        copy
    }

    /// Whether a file (relative to the source folder) lies in a period
    /// folder other than the one exported.
    fn of_another_period(&self, file: &str) -> bool {
        file.split_once('/')
            .is_some_and(|(dir, _)| dir != self.slate.name && crate::paths::is_period_name(dir))
    }

    /// The file a chapter link points at, relative to the source folder;
    /// `None` (reported) when it leaves the source folder.
    fn resolve(&mut self, map: &AuthorMap, span: Span, from: &str, target: &str) -> Option<String> {
        let joined = crate::paths::join(from, target);
        if joined.is_none() {
            let d = Diagnostic::new(
                Code::LinkLeavesBook,
                format!("the link `{target}` leaves the book's source folder"),
            )
            .label("not read")
            .help("the RFC only inlines and links pages of the book; use an absolute URL for anything else");
            self.diags.push(map.at(span, d));
        }
        joined
    }

    /// Edits that rewrite relative links (inline links, images and
    /// definitions) to the published site; absolute URLs and `#fragments`
    /// stay. Links in the sorted spans `skip` stay as they are.
    fn absolute_links(
        &mut self,
        map: &AuthorMap,
        file: &str,
        scan: &Scan,
        skip: &[Span],
    ) -> Vec<Edit> {
        let mut edits = Vec::new();
        for (span, dest) in scan.destinations(map.text()) {
            if !is_relative(dest) || crate::markdown::contains(skip, span.start) {
                continue;
            }
            if let Some(url) = self.site_url(map, span.clone(), file, dest) {
                edits.push(Edit {
                    range: span,
                    text: url,
                });
            }
        }
        edits
    }

    /// The site's URL for a relative destination `dest` written at `span`
    /// in `file`; `None` (reported) without `site-url`, or when it leaves
    /// the source folder.
    fn site_url(&mut self, map: &AuthorMap, span: Span, file: &str, dest: &str) -> Option<String> {
        if self.site.is_none() {
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
        }
        let (path, fragment) = dest.split_at(dest.find('#').unwrap_or(dest.len()));
        let joined = match path.strip_prefix('/') {
            Some(abs) => Some(slash(Path::new(abs))),
            None => crate::paths::join(file, path),
        };
        let Some(joined) = joined else {
            let d = Diagnostic::new(
                Code::LinkLeavesBook,
                format!("the link `{dest}` leaves the book's source folder"),
            )
            .help("link to an absolute URL instead");
            self.diags.push(map.at(span, d));
            return None;
        };
        let site = self.site.as_deref().unwrap_or_default();
        let mut url = String::with_capacity(site.len() + joined.len() + fragment.len() + 8);
        url.push_str(site);
        url.push('/');
        push_page_url(&mut url, &joined);
        url.push_str(fragment);
        Some(crate::render::escape::encoded(url))
    }

    /// Edits that take the chapter's link definitions out of its text into
    /// the document's list. Labels belong to their chapter: a label an
    /// earlier chapter defined with another destination is renamed here,
    /// in the definition and in every reference of the chapter; a label
    /// defined the same way shares the first definition. `links` are the
    /// chapter's link edits (sorted), which a definition's destination
    /// takes too.
    fn gather_definitions(&mut self, text: &str, scan: &Scan, links: &[Edit]) -> Vec<Edit> {
        if scan.definitions.is_empty() {
            return Vec::new();
        }
        let own: BTreeSet<String> = scan
            .definitions
            .iter()
            .map(|(l, _)| normalize_label(l))
            .collect();
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let mut edits = Vec::new();
        for (label, span) in &scan.definitions {
            let line = trim_span(text, span.clone());
            let def = edited(text, line, links);
            let content = def
                .find("]:")
                .map_or("", |i| def[i + 2..].trim())
                .to_string();
            let key = normalize_label(label);
            match self.defs.get(&key) {
                None => {
                    self.defs.insert(key, (def, content));
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
        let firsts: Vec<usize> = scan.definitions.iter().map(|(_, s)| s.start).collect();
        for span in repeated_definitions(text, scan, &own) {
            if firsts.binary_search(&span.start).is_err() {
                edits.push(Edit {
                    range: span,
                    text: String::new(),
                });
            }
        }
        if !renamed.is_empty() {
            edits.extend(rename_references(text, scan, &renamed));
        }
        edits
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
    /// any goal or roadmap page the RFC does not link yet. The document's
    /// structure is the one noted as it was written: it is not parsed
    /// again.
    fn finish(&mut self, body: &str) -> String {
        let mut layout = self.layout.take().unwrap_or_default();
        layout.sort();
        let mut out = collapse_blank_lines(body, &layout);
        if let Some(site) = &self.site {
            // The pages linked, without fragments.
            let linked: HashSet<&str> = layout
                .linked
                .iter()
                .map(String::as_str)
                .chain(self.defs.values().map(|(_, c)| {
                    c.strip_prefix('<')
                        .map_or_else(|| c.split_whitespace().next(), |c| c.split('>').next())
                        .unwrap_or("")
                }))
                .map(|d| d.split('#').next().unwrap_or(""))
                .collect();
            let pages = self.slate.goals.iter().map(|g| (&g.title, &g.file));
            let roadmaps = self.slate.roadmaps.iter().map(|r| (&r.title, &r.file));
            let mut appendix = String::new();
            for (title, file) in pages.chain(roadmaps) {
                let url = format!("{site}/{}", page_url(file));
                if !linked.contains(url.as_str()) {
                    let label = crate::render::escape::label(title);
                    appendix.push_str("- ");
                    appendix.push_str(&crate::render::escape::link(&label, &url));
                    appendix.push('\n');
                }
            }
            if !appendix.is_empty() {
                out.push_str("\n# Appendix: all goal and roadmap pages\n\n");
                out.push_str(&appendix);
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
pub(crate) fn difference(old: &str, new: &str) -> String {
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
fn chapter_lines_of(text: &str, in_code: impl Fn(usize) -> bool) -> Vec<ChapterLine> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(found) = chapter_line(line, offset)
            && !in_code(found.link.start)
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
fn repeated_definitions(text: &str, scan: &Scan, labels: &BTreeSet<String>) -> Vec<Span> {
    let merged = &scan.covered;
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
        if labels.contains(&normalize_label(label)) && !crate::markdown::contains(merged, at) {
            out.push(definition_line(text, at, at));
        }
    }
    out
}

/// Edits that make every reference to a label in `renamed` (normalised
/// label → new label) use the new label: `[x][old]`, `[x][]` and `[x]`.
fn rename_references(text: &str, scan: &Scan, renamed: &BTreeMap<String, String>) -> Vec<Edit> {
    let mut edits = Vec::new();
    for link in &scan.links {
        let (range, link_type, id) = (link.range.clone(), link.kind, link.id.get(text));
        let Some(new) = renamed.get(&normalize_label(id)) else {
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
    let mut out = String::with_capacity(path.len() + 2);
    push_page_url(&mut out, path);
    out
}

/// [`page_url`], written at the end of `out`.
fn push_page_url(out: &mut String, path: &str) {
    match path.strip_suffix(".md") {
        Some(p) if p == "README" || p.ends_with("/README") => {
            out.push_str(&p[..p.len() - 6]);
            out.push_str("index.html");
        }
        Some(p) => {
            out.push_str(p);
            out.push_str(".html");
        }
        None => out.push_str(path),
    }
}

/// A link or image of a document.
struct LinkAt {
    range: Span,
    dest: Plain,
    kind: LinkType,
    id: Plain,
    /// Not inside another link.
    outer: bool,
}

/// A heading of a document.
struct Head {
    level: u8,
    /// The whole heading, markers included.
    span: Span,
    /// The title as written.
    content: Span,
}

/// Everything the export reads from a text, from one parse with the
/// options mdBook renders with.
#[derive(Default)]
struct Scan {
    headings: Vec<Head>,
    /// Code blocks and spans (sorted).
    code: Vec<Span>,
    /// Raw HTML and math (sorted).
    html: Vec<Span>,
    links: Vec<LinkAt>,
    /// Footnote references and definitions, with their label.
    footnotes: Vec<(Span, String)>,
    /// What lies inside a block or inline element that is not a
    /// container (merged, sorted): a line starting there is not a link
    /// definition.
    covered: Vec<Span>,
    /// Link reference definitions: label as written, and span (sorted).
    definitions: Vec<(String, Span)>,
}

impl Scan {
    fn parse(text: &str) -> Scan {
        let mut scan = Scan::default();
        let mut iter = Parser::new_ext(text, crate::markdown::options()).into_offset_iter();
        let mut heading: Option<(u8, usize, Option<Span>)> = None;
        let mut html_block = false;
        let mut depth = 0usize;
        for (event, range) in &mut iter {
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
                scan.covered.push(range.clone());
            }
            // Inline content of a heading, markup included.
            if let Some((_, _, content)) = &mut heading
                && !matches!(
                    event,
                    Event::End(_)
                        | Event::Html(_)
                        | Event::Rule
                        | Event::Start(Tag::Heading { .. })
                )
            {
                let c = content.get_or_insert(range.clone());
                c.start = c.start.min(range.start);
                c.end = c.end.max(range.end);
            }
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((level as u8, range.start, None));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, start, content)) = heading.take() {
                        scan.headings.push(Head {
                            level,
                            span: start..range.end,
                            content: content.unwrap_or(range.end..range.end),
                        });
                    }
                }
                Event::Start(Tag::CodeBlock(_) | Tag::MetadataBlock(_)) | Event::Code(_) => {
                    scan.code.push(range);
                }
                Event::Start(Tag::HtmlBlock) => {
                    html_block = true;
                    scan.html.push(range);
                }
                Event::End(TagEnd::HtmlBlock) => html_block = false,
                Event::Html(_) if !html_block => scan.html.push(range),
                Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                    scan.html.push(range);
                }
                Event::Start(
                    Tag::Link {
                        link_type,
                        dest_url,
                        id,
                        ..
                    }
                    | Tag::Image {
                        link_type,
                        dest_url,
                        id,
                        ..
                    },
                ) => {
                    scan.links.push(LinkAt {
                        range,
                        dest: Plain::of(text, &dest_url),
                        kind: link_type,
                        id: Plain::of(text, &id),
                        outer: depth == 0,
                    });
                    depth += 1;
                }
                Event::End(TagEnd::Link | TagEnd::Image) => depth = depth.saturating_sub(1),
                Event::FootnoteReference(label) | Event::Start(Tag::FootnoteDefinition(label)) => {
                    scan.footnotes.push((range, label.to_string()));
                }
                _ => {}
            }
        }
        scan.definitions = crate::markdown::definitions(iter.reference_definitions());
        scan.covered.sort_by_key(|r| r.start);
        let mut merged: Vec<Span> = Vec::with_capacity(scan.covered.len());
        for r in std::mem::take(&mut scan.covered) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        scan.covered = merged;
        scan
    }

    /// Whether `offset` lies inside code or raw HTML.
    fn in_code(&self, offset: usize) -> bool {
        crate::markdown::contains(&self.code, offset)
            || crate::markdown::contains(&self.html, offset)
    }

    /// The spans of link destinations: inline links, images and reference
    /// definitions (autolinks are absolute and skipped), sorted.
    fn destinations<'t>(&'t self, text: &'t str) -> Vec<(Span, &'t str)> {
        let links = self.links.iter().map(|l| (&l.range, l.dest.get(text)));
        destinations_in(text, links, &self.definitions)
    }
}

/// Where the author's links and link definitions stand in a rendered
/// chapter, so a problem found in the rendering is reported in the
/// author's file. Rendering keeps every link the author wrote, byte for
/// byte and in order, and adds its own between them: the rendered links are
/// paired with the author's in one walk over both lists (a definition by
/// its label). A span outside every pair is reported in the rendering.
struct AuthorMap {
    rendered: Arc<Source>,
    author: Arc<Source>,
    /// Rendered span and the author's start of the same bytes, sorted.
    pairs: Vec<(Span, usize)>,
}

impl AuthorMap {
    fn new(author: &Arc<Source>, outline: &Outline, rendered: &Arc<Source>, scan: &Scan) -> Self {
        let (a, r) = (author.text(), rendered.text());
        let mut pairs = Vec::new();
        let mut theirs = outline.links.iter().peekable();
        for link in scan.links.iter().filter(|l| l.outer) {
            if let Some(next) = theirs.peek()
                && a[(*next).clone()] == r[link.range.clone()]
            {
                pairs.push((link.range.clone(), next.start));
                theirs.next();
            }
        }
        let written: HashMap<String, &Span> = outline
            .definitions
            .iter()
            .map(|(l, s)| (normalize_label(l), s))
            .collect();
        for (label, span) in &scan.definitions {
            if let Some(at) = written.get(&normalize_label(label))
                && a[(*at).clone()] == r[span.clone()]
            {
                pairs.push((span.clone(), at.start));
            }
        }
        pairs.sort_by_key(|(s, _)| s.start);
        AuthorMap {
            rendered: rendered.clone(),
            author: author.clone(),
            pairs,
        }
    }

    /// A map for a text that is its own source.
    fn rendered(source: &Arc<Source>) -> Self {
        AuthorMap {
            rendered: source.clone(),
            author: source.clone(),
            pairs: Vec::new(),
        }
    }

    fn text(&self) -> &str {
        self.rendered.text()
    }

    /// The file and span a span of the rendering stands for.
    fn locate(&self, span: Span) -> (Arc<Source>, Span) {
        if Arc::ptr_eq(&self.rendered, &self.author) {
            return (self.rendered.clone(), span);
        }
        let i = self.pairs.partition_point(|(r, _)| r.start <= span.start);
        match i.checked_sub(1).map(|i| &self.pairs[i]) {
            Some((r, at)) if span.end <= r.end => {
                let start = at + (span.start - r.start);
                (self.author.clone(), start..start + span.len())
            }
            _ => (self.rendered.clone(), span),
        }
    }

    /// A diagnostic placed at a span of the rendering.
    fn at(&self, span: Span, d: Diagnostic) -> Diagnostic {
        let (source, span) = self.locate(span);
        d.at(&source, span)
    }
}

/// Writes a text with sorted edits into a document, piece by piece (an
/// edit overlapping an earlier one is dropped, as [`apply`] does), and
/// notes where each piece went.
struct Copier<'t> {
    text: &'t str,
    edits: &'t [Edit],
    next: usize,
    at: usize,
    /// The pieces written, in order.
    placed: Vec<Placed>,
}

/// A piece of a chapter written into the document: a span of its text,
/// as it stands or replaced by an edit, and where it starts in the
/// document.
struct Placed {
    text: Span,
    at: usize,
    /// Its length in the document.
    len: usize,
    edit: bool,
}

impl<'t> Copier<'t> {
    fn new(text: &'t str, edits: &'t [Edit]) -> Self {
        Copier {
            text,
            edits,
            next: 0,
            at: 0,
            placed: Vec::new(),
        }
    }

    /// Writes the text up to `until`, with the edits that start before it.
    fn to(&mut self, out: &mut String, until: usize) {
        while let Some(e) = self.edits.get(self.next)
            && e.range.start < until
        {
            self.next += 1;
            if e.range.start < self.at {
                continue;
            }
            self.write(out, e.range.start);
            self.placed.push(Placed {
                text: e.range.clone(),
                at: out.len(),
                len: e.text.len(),
                edit: true,
            });
            out.push_str(&e.text);
            self.at = e.range.end;
        }
        self.write(out, until);
    }

    /// Writes the text as it stands from where the copy is up to `until`
    /// (nothing when the copy is there or past it).
    fn write(&mut self, out: &mut String, until: usize) {
        if self.at < until {
            self.placed.push(Placed {
                text: self.at..until,
                at: out.len(),
                len: until - self.at,
                edit: false,
            });
            out.push_str(&self.text[self.at..until]);
            self.at = until;
        }
    }

    /// Leaves out the text up to `until`.
    fn skip(&mut self, until: usize) {
        while self
            .edits
            .get(self.next)
            .is_some_and(|e| e.range.start < until)
        {
            self.next += 1;
        }
        self.at = self.at.max(until);
    }

    /// The piece written last that starts at or before `p`.
    fn piece(&self, p: usize) -> Option<&Placed> {
        let i = self.placed.partition_point(|x| x.text.start <= p);
        self.placed.get(i.checked_sub(1)?)
    }

    /// Where the text's offset `p` stands in the document: `None` when it
    /// was left out or lies inside an edit (an edit's ends are placed).
    fn place(&self, p: usize) -> Option<usize> {
        let x = self.piece(p)?;
        if !x.edit {
            (p <= x.text.end).then(|| x.at + p - x.text.start)
        } else if p == x.text.start {
            Some(x.at)
        } else {
            (p == x.text.end).then_some(x.at + x.len)
        }
    }

    /// [`Copier::place`] of both ends of a span.
    fn place_span(&self, span: &Span) -> Option<Span> {
        Some(self.place(span.start)?..self.place(span.end)?)
    }

    /// Where the edit that starts at `p` was written: start and length.
    fn edit_at(&self, p: usize) -> Option<(usize, usize)> {
        self.piece(p)
            .filter(|x| x.edit && x.text.start == p)
            .map(|x| (x.at, x.len))
    }
}

/// The structure of the assembled document, noted chapter by chapter as it
/// is written and in the document's own positions: all that finishing it
/// needs, so the document is never parsed again.
#[derive(Default)]
struct Layout {
    /// Headings, at the level they were written.
    headings: Vec<Head>,
    /// Code blocks and spans.
    code: Vec<Span>,
    /// Raw HTML and math.
    html: Vec<Span>,
    /// The destinations of the inline links and images written.
    linked: HashSet<String>,
}

/// How much a [`Layout`] held at some point (see [`Layout::truncate`]).
type LayoutMark = (usize, usize, usize);

impl Layout {
    /// Notes the destinations of a chapter's inline links and images as
    /// they will stand: rewritten by one of the sorted `links`, or as
    /// written. Links inside the span `dropped` are left out of the
    /// document.
    fn note_links(&mut self, text: &str, scan: &Scan, links: &[Edit], dropped: Option<&Span>) {
        let written = scan.links.iter().map(|l| (&l.range, l.dest.get(text)));
        for (span, dest) in destinations_in(text, written, &[]) {
            if dropped.is_some_and(|d| d.start <= span.start && span.end <= d.end) {
                continue;
            }
            match links.binary_search_by_key(&span.start, |e| e.range.start) {
                Ok(i) => self.note_link(&links[i].text),
                Err(_) => self.note_link(dest),
            }
        }
    }

    fn note_link(&mut self, dest: &str) {
        if !self.linked.contains(dest) {
            self.linked.insert(dest.to_string());
        }
    }

    /// Notes where a chapter's headings and code went in the document
    /// `out`, once `copy` has written it. `kept` are the headings kept,
    /// start and level; a `nested` chapter's headings were each rewritten
    /// by an edit.
    fn note_chapter(
        &mut self,
        out: &str,
        scan: &Scan,
        copy: &Copier,
        nested: bool,
        kept: &[(usize, u8)],
    ) {
        self.code
            .extend(scan.code.iter().filter_map(|s| copy.place_span(s)));
        self.html
            .extend(scan.html.iter().filter_map(|s| copy.place_span(s)));
        if nested {
            for &(start, level) in kept {
                let Some((at, len)) = copy.edit_at(start) else {
                    continue;
                };
                // Written as `### title` and a line break, if any.
                let end = at + len;
                let title = at + level as usize + 1;
                let newline = usize::from(out[..end].ends_with('\n'));
                self.headings.push(Head {
                    level,
                    span: at..end,
                    content: title.min(end - newline)..end - newline,
                });
            }
        } else {
            for h in &scan.headings {
                if let (Some(span), Some(content)) =
                    (copy.place_span(&h.span), copy.place_span(&h.content))
                {
                    self.headings.push(Head {
                        level: h.level,
                        span,
                        content,
                    });
                }
            }
        }
    }

    fn mark(&self) -> LayoutMark {
        (self.headings.len(), self.code.len(), self.html.len())
    }

    /// Cuts what was noted since `mark` where the document was cut, at
    /// `len`.
    fn truncate(&mut self, mark: LayoutMark, len: usize) {
        cut(&mut self.headings, mark.0, |h| {
            cut_span(&mut h.content, len);
            cut_span(&mut h.span, len)
        });
        cut(&mut self.code, mark.1, |s| cut_span(s, len));
        cut(&mut self.html, mark.2, |s| cut_span(s, len));
    }

    /// Puts every list in document order (a chapter is noted after the
    /// chapters inlined in it).
    fn sort(&mut self) {
        self.headings.sort_by_key(|h| h.span.start);
        self.code.sort_by_key(|s| s.start);
        self.html.sort_by_key(|s| s.start);
    }

    /// Whether `offset` lies inside code or raw HTML (once sorted).
    fn in_code(&self, offset: usize) -> bool {
        crate::markdown::contains(&self.code, offset)
            || crate::markdown::contains(&self.html, offset)
    }
}

/// Cuts the items of `items` from index `from` on: `cut_item` cuts one
/// and says whether anything of it is left; those are kept, in order.
fn cut<T>(items: &mut Vec<T>, from: usize, mut cut_item: impl FnMut(&mut T) -> bool) {
    let mut keep = from;
    for i in from..items.len() {
        if cut_item(&mut items[i]) {
            items.swap(keep, i);
            keep += 1;
        }
    }
    items.truncate(keep);
}

/// Cuts a span at `len`: whether it starts before.
fn cut_span(span: &mut Span, len: usize) -> bool {
    span.end = span.end.min(len);
    span.start = span.start.min(span.end);
    span.start < len
}

/// A span of a text with the sorted edits inside it applied.
fn edited(text: &str, span: Span, edits: &[Edit]) -> String {
    let first = edits.partition_point(|e| e.range.start < span.start);
    let inside = edits[first..]
        .iter()
        .take_while(|e| e.range.end <= span.end)
        .map(|e| Edit {
            range: e.range.start - span.start..e.range.end - span.start,
            text: e.text.clone(),
        })
        .collect();
    apply(&text[span], inside)
}

/// The spans of link destinations in a document, from its outline:
/// inline links, images and reference definitions (autolinks are absolute
/// and skipped), sorted.
pub(crate) fn destinations<'t>(text: &'t str, outline: &'t Outline) -> Vec<(Span, &'t str)> {
    let links = outline.destinations.iter().map(|(s, d)| (s, d.as_str()));
    destinations_in(text, links, &outline.definitions)
}

/// The destinations of `links` (whole link or image, destination as
/// parsed) and of the reference `definitions` of `text`, sorted.
fn destinations_in<'a>(
    text: &'a str,
    links: impl Iterator<Item = (&'a Span, &'a str)>,
    definitions: &[(String, Span)],
) -> Vec<(Span, &'a str)> {
    let mut out = Vec::new();
    for (range, dest) in links {
        let whole = &text[range.clone()];
        if !whole.ends_with(')') || whole.starts_with('<') {
            continue; // reference-style or autolink
        }
        if let Some(span) = inline_destination(whole, dest) {
            out.push((range.start + span.start..range.start + span.end, dest));
        }
    }
    for (_, span) in definitions {
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
        out.push((s..s + dest.len(), dest));
    }
    out.sort_by_key(|(s, _)| s.start);
    out
}

/// Edits that prefix the footnote labels of an inlined chapter, so two
/// chapters never share one.
fn prefix_footnotes(text: &str, scan: &Scan, prefix: &str) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (range, label) in &scan.footnotes {
        let needle = format!("[^{label}]");
        if let Some(at) = text[range.clone()].find(&needle) {
            let start = range.start + at;
            edits.push(Edit {
                range: start..start + needle.len(),
                text: format!("[^{prefix}-{label}]"),
            });
        }
    }
    edits
}

/// Drops the first heading of an inlined chapter and moves the others so
/// they sit below a heading of level `under`: each heading becomes one
/// edit, which takes in the sorted `edits` inside its title. Returns the
/// headings kept, start and new level, and the heading dropped.
fn nest_headings(
    text: &str,
    scan: &Scan,
    under: u8,
    edits: &mut Vec<Edit>,
) -> (Vec<(usize, u8)>, Option<Span>) {
    let Some(first) = scan.headings.first() else {
        return (Vec::new(), None);
    };
    let before = edited(text, 0..first.span.start, edits);
    let drop_first = before.trim().is_empty();
    let top = if drop_first {
        first.level
    } else {
        scan.headings
            .iter()
            .map(|h| h.level)
            .min()
            .unwrap_or(1)
            .saturating_sub(1)
    };
    let mut kept = Vec::new();
    let mut own = Vec::with_capacity(scan.headings.len());
    for (i, h) in scan.headings.iter().enumerate() {
        if i == 0 && drop_first {
            own.push(Edit {
                range: h.span.clone(),
                text: String::new(),
            });
            continue;
        }
        let level = (h.level as i32 - top as i32 + under as i32).clamp(1, 6) as u8;
        kept.push((h.span.start, level));
        own.push(heading_edit(text, h, level, edits));
    }
    merge(edits, own);
    (kept, drop_first.then(|| first.span.clone()))
}

/// A heading rewritten in ATX form at `level`, the sorted `edits` inside
/// its title applied.
fn heading_edit(text: &str, h: &Head, level: u8, edits: &[Edit]) -> Edit {
    let end = text[h.span.end.saturating_sub(1)..].starts_with('\n');
    let newline = if end { "\n" } else { "" };
    Edit {
        range: h.span.clone(),
        text: format!(
            "{} {}{newline}",
            "#".repeat(level as usize),
            edited(text, h.content.clone(), edits)
        ),
    }
}

/// Replaces the sorted `edits` inside each of the sorted, non-overlapping
/// `outer` edits by that edit: one walk over both.
fn merge(edits: &mut Vec<Edit>, outer: Vec<Edit>) {
    let mut out = Vec::with_capacity(edits.len() + outer.len());
    let mut rest = std::mem::take(edits).into_iter().peekable();
    for o in outer {
        while let Some(e) = rest.next_if(|e| e.range.start < o.range.start) {
            out.push(e);
        }
        while rest.next_if(|e| e.range.end <= o.range.end).is_some() {}
        out.push(o);
    }
    out.extend(rest);
    *edits = out;
}

/// Edits that make every heading at most one level deeper than the one
/// before it.
fn normalize_headings(text: &str, headings: &[Head]) -> Vec<Edit> {
    let mut prev = 0u8;
    let mut edits = Vec::new();
    for h in headings {
        let level = h.level.min(prev + 1);
        prev = level;
        let atx = text[h.span.clone()].starts_with('#');
        if level != h.level || !atx {
            edits.push(heading_edit(text, h, level, &[]));
        }
    }
    edits
}

/// The assembled document with its headings normalised and no more than
/// one blank line in a row, outside code blocks.
fn collapse_blank_lines(body: &str, layout: &Layout) -> String {
    let edits = normalize_headings(body, &layout.headings);
    // Where each edit ends in the new text, and how much it moved the rest.
    let mut moved = Vec::with_capacity(edits.len());
    let mut delta = 0isize;
    for e in &edits {
        let end = (e.range.start as isize + delta) as usize + e.text.len();
        delta += e.text.len() as isize - e.range.len() as isize;
        moved.push((end, delta));
    }
    let text = apply(body, edits);
    let mut out = String::with_capacity(text.len());
    let mut blanks = 0;
    let mut offset = 0;
    let mut k = 0;
    let mut delta = 0isize;
    for line in text.split_inclusive('\n') {
        while let Some(&(end, d)) = moved.get(k)
            && end <= offset
        {
            delta = d;
            k += 1;
        }
        // A blank line is never inside a rewritten heading.
        let blank = line.trim().is_empty() && !layout.in_code((offset as isize - delta) as usize);
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

/// The span of the destination inside an inline link `[text](dest "t")`.
fn inline_destination(link: &str, dest: &str) -> Option<Span> {
    // Most links end with `(dest)`, the destination written as parsed and
    // without parentheses to match.
    if !dest.is_empty()
        && !dest.contains(['(', ')'])
        && let Some(before) = link.strip_suffix(')').and_then(|l| l.strip_suffix(dest))
        && before.ends_with('(')
    {
        return Some(before.len()..before.len() + dest.len());
    }
    destination_by_parentheses(link, dest)
}

/// [`inline_destination`], found by matching parentheses from the end.
fn destination_by_parentheses(link: &str, dest: &str) -> Option<Span> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(text: &str, under: u8) -> String {
        let mut edits = Vec::new();
        nest_headings(text, &Scan::parse(text), under, &mut edits);
        apply(text, edits)
    }

    fn normalized(text: &str) -> String {
        apply(text, normalize_headings(text, &Scan::parse(text).headings))
    }

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
        let outline = Outline::parse(text);
        let found: Vec<&str> = destinations(text, &outline)
            .into_iter()
            .map(|(s, d)| {
                assert_eq!(&text[s], d);
                d
            })
            .collect();
        assert_eq!(found, ["./a.md", "./i 1.png", "f(1).md", "./x.md"]);
    }

    #[test]
    fn parsed_pieces_point_into_the_text_or_are_copies() {
        let text = "[a](x.md) [b](y\\).md) [c][Ref] [d](<z w.md>)\n\n[ref]: r.md\n";
        let scan = Scan::parse(text);
        let dests: Vec<&str> = scan.links.iter().map(|l| l.dest.get(text)).collect();
        assert_eq!(dests, ["x.md", "y).md", "r.md", "z w.md"]);
        let ids: Vec<&str> = scan.links.iter().map(|l| l.id.get(text)).collect();
        assert_eq!(ids, ["", "", "Ref", ""]);
        // Bytes of the text are not copied; an unescaped destination is.
        assert!(matches!(scan.links[0].dest, Plain::At(_)));
        assert!(matches!(scan.links[1].dest, Plain::Own(_)));
        let elsewhere = String::from("x.md");
        assert!(matches!(Plain::of(text, &elsewhere), Plain::Own(_)));
    }

    #[test]
    fn written_destinations_are_found_without_the_walk() {
        let links = [
            "[a](x.md)",
            "[a](x(1).md)",
            "[a]((x).md)",
            "[a](<x y.md>)",
            "[a](x.md \"t\")",
            "[a]( x.md )",
            "[(a)](x.md)",
            "[a](x\\).md)",
            "![a](i.png)",
            "[a]()",
        ];
        let dests = ["x.md", "x(1).md", "(x).md", "x y.md", "x).md", "i.png", ""];
        for link in links {
            for dest in dests {
                assert_eq!(
                    inline_destination(link, dest),
                    destination_by_parentheses(link, dest),
                    "{link:?} {dest:?}"
                );
            }
        }
    }

    #[test]
    fn headings_nest_and_never_skip() {
        let chapter = "# Title\n\nIntro.\n\n## Part\n\n### Detail\n";
        assert_eq!(nested(chapter, 2), "\nIntro.\n\n### Part\n\n#### Detail\n");
        assert_eq!(
            normalized("# A\n### B\n##### C\n## D\n"),
            "# A\n## B\n### C\n## D\n"
        );
        assert_eq!(normalized("Title\n=====\n\ntext\n"), "# Title\n\ntext\n");
    }

    #[test]
    fn footnotes_get_a_prefix() {
        assert_eq!(
            {
                let text = "A[^1] b.\n\n[^1]: Note.\n";
                apply(text, prefix_footnotes(text, &Scan::parse(text), "goals"))
            },
            "A[^goals-1] b.\n\n[^goals-1]: Note.\n"
        );
    }
}
