//! The mdBook glue: [`GoalsPreprocessor`] expands a book in place.
//!
//! One run loads each period that holds a chapter once (every goal file
//! parsed once, the periods side by side), then renders the book's
//! chapters in one parallel pass: pages get their directives expanded and
//! their text linked. A serial walk then puts the pages back in the book's
//! order, where `GOAL CHAPTERS` and `ROADMAP CHAPTERS` add one sub-chapter
//! per goal or roadmap. Goal and roadmap pages (the text linked, plus the
//! generated metadata rows) are rendered last: as the book is written out
//! under the protocol, or all at once for a caller that keeps the book
//! (the `deferred` module). Configuration comes from the context mdBook
//! passes, never from re-reading `book.toml`.

use crate::book::Book as GoalsBook;
use crate::diagnostic::{Diagnostic, Diagnostics, Severity, renderer_for};
use crate::directive;
use crate::goal::Goal;
use crate::grammar::count;
use crate::markdown::Outline;
use crate::paths::{is_period_name, slash};
use crate::render::page::{LinkedText, links, page};
use crate::render::{self, Target};
use crate::roadmap::Roadmap;
use crate::slate::{FileReport, Lifetime, Slate, parallel_map};
use crate::source::Source;
use mdbook_preprocessor::book::{Book, BookItem, Chapter, SectionNumber};
use mdbook_preprocessor::config::Config as MdConfig;
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{MDBOOK_VERSION, Preprocessor, PreprocessorContext};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

mod deferred;
use deferred::{Deferred, Place};

/// The goals preprocessor, for `MDBook::with_preprocessor` or the
/// stdin/stdout protocol.
///
/// mdBook runs preprocessors once per renderer; only the run for the
/// reporting renderer (see [`reporting_renderer`]) prints diagnostics, so
/// each is printed once per build. Clones share the record of what was
/// printed ([`GoalsPreprocessor::shown`]).
#[derive(Clone, Debug, Default)]
pub struct GoalsPreprocessor {
    shown: std::sync::Arc<std::sync::Mutex<Diagnostics>>,
}

impl GoalsPreprocessor {
    /// Every diagnostic this preprocessor (or a clone) has printed.
    pub(crate) fn shown(&self) -> Diagnostics {
        self.shown.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

impl Preprocessor for GoalsPreprocessor {
    fn name(&self) -> &str {
        "goals"
    }

    fn run(&self, ctx: &PreprocessorContext, book: Book) -> Result<Book> {
        let stderr = std::io::stderr();
        let styled = stderr.is_terminal();
        let (result, shown) =
            expand_and_report(ctx, book, &mut stderr.lock(), styled, Lifetime::Freed);
        self.shown
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(shown);
        let (mut book, mut pages) = result.map_err(Error::msg)?;
        pages.fill(&mut book);
        Ok(book)
    }

    fn supports_renderer(&self, _renderer: &str) -> Result<bool> {
        Ok(true)
    }
}

/// The renderer whose preprocessor run prints diagnostics: the first, by
/// name, of the book's renderers that run this preprocessor (mdBook runs
/// its renderers in that order; `html` when the book names none). `None`
/// when no configured renderer runs it.
pub(crate) fn reporting_renderer(md: &MdConfig) -> Option<String> {
    let mut names: Vec<String> = md
        .outputs::<toml::Value>()
        .map(|o| o.into_keys().collect())
        .unwrap_or_default();
    if names.is_empty() {
        names.push("html".to_string());
    }
    let only: Option<Vec<String>> = md.get("preprocessor.goals.renderers").ok().flatten();
    names
        .into_iter()
        .find(|n| only.as_ref().is_none_or(|only| only.contains(n)))
}

/// Whether this run prints: it is the reporting renderer's, or no
/// configured renderer is (a caller passing its own context).
fn reports(ctx: &PreprocessorContext) -> bool {
    reporting_renderer(&ctx.config).is_none_or(|r| r == ctx.renderer)
}

/// Why the protocol run did not produce a book.
#[derive(Debug)]
pub enum ProtocolError {
    /// The input is not mdBook's `[context, book]`.
    Input(String),
    /// Errors were found (already written to the error stream).
    Failed(String),
    /// The book could not be written out.
    Output(String),
}

/// The stdin/stdout protocol on any streams: reads `[context, book]`,
/// writes the expanded book, and writes warnings and diagnostics to
/// `errors` (styled when `styled`). The binary runs the same through
/// [`run_protocol_then_exit`].
pub fn run_protocol(
    input: impl std::io::Read,
    output: impl std::io::Write,
    errors: impl std::io::Write,
    styled: bool,
) -> std::result::Result<(), ProtocolError> {
    protocol(input, output, errors, styled, Lifetime::Freed)
}

/// [`run_protocol`] for a process that exits as soon as it returns (the
/// binary): the book and the periods' models are left to the operating
/// system instead of being freed one allocation at a time.
pub(crate) fn run_protocol_then_exit(
    input: impl std::io::Read,
    output: impl std::io::Write,
    errors: impl std::io::Write,
    styled: bool,
) -> std::result::Result<(), ProtocolError> {
    protocol(input, output, errors, styled, Lifetime::Exit)
}

fn protocol(
    input: impl std::io::Read,
    output: impl std::io::Write,
    mut errors: impl std::io::Write,
    styled: bool,
    lifetime: Lifetime,
) -> std::result::Result<(), ProtocolError> {
    let (ctx, book) = mdbook_preprocessor::parse_input(input)
        .map_err(|e| ProtocolError::Input(format!("{e:#}")))?;
    let (book, pages) = expand_and_report(&ctx, book, &mut errors, styled, lifetime)
        .0
        .map_err(ProtocolError::Failed)?;
    let mut output = std::io::BufWriter::with_capacity(1 << 16, output);
    let written = pages.write(&book, &mut output);
    lifetime.end(book);
    lifetime.end(pages);
    written.map_err(|e| ProtocolError::Output(e.to_string()))?;
    output
        .flush()
        .map_err(|e| ProtocolError::Output(e.to_string()))
}

/// Expands a book and, when this run reports (see [`reporting_renderer`]),
/// writes the version warning and the diagnostics to `errors` in the
/// compact form. Returns the book and its deferred pages, or `Err` (with
/// a one-line summary) when the build must fail, and the diagnostics it
/// printed.
fn expand_and_report(
    ctx: &PreprocessorContext,
    book: Book,
    errors: &mut impl std::io::Write,
    styled: bool,
    lifetime: Lifetime,
) -> (std::result::Result<(Book, Deferred), String>, Diagnostics) {
    let unwritten = |e: std::io::Error| format!("cannot write the diagnostics: {e}");
    let reports = reports(ctx);
    if reports
        && let Some(warning) = version_warning(&ctx.mdbook_version)
        && let Err(e) = writeln!(errors, "{warning}")
    {
        return (Err(unwritten(e)), Diagnostics::new());
    }
    let (out, pages) = expand(&ctx.root, &ctx.config, book);
    let shown = if reports {
        if !out.diags.is_empty()
            && let Err(e) =
                errors.write_all(out.diags.render_compact(&renderer_for(styled)).as_bytes())
        {
            return (Err(unwritten(e)), Diagnostics::new());
        }
        out.diags.clone()
    } else {
        Diagnostics::new()
    };
    if out.failed {
        let err = format!(
            "mdbook-goals: {} in the goals book",
            count(out.diags.errors(), "error")
        );
        lifetime.end(pages);
        return (Err(err), shown);
    }
    (Ok((out.book, pages)), shown)
}

/// A warning when mdBook's major.minor differs from the one this tool was
/// built against.
pub(crate) fn version_warning(running: &str) -> Option<String> {
    let built = semver::Version::parse(MDBOOK_VERSION).ok()?;
    let Ok(run) = semver::Version::parse(running) else {
        return Some(format!(
            "warning: mdbook-goals was built for mdBook {MDBOOK_VERSION} and cannot read the running mdBook's version `{running}`"
        ));
    };
    (built.major != run.major || built.minor != run.minor).then(|| {
        format!("warning: mdbook-goals was built for mdBook {MDBOOK_VERSION}, but mdBook {running} is running it")
    })
}

/// The expanded book and what was found on the way.
pub struct Outcome {
    pub book: Book,
    /// Sorted.
    pub diags: Diagnostics,
    /// Errors were found and `on-error` is `fail`.
    pub failed: bool,
}

/// What rendering found for one chapter of the book.
enum Rendered {
    /// A goal or roadmap file listed in `SUMMARY.md` itself: its page is
    /// the one rendered for the file.
    Doc(String),
    /// A page of a period, expanded, with the diagnostics of its scan.
    Page(render::page::Page, Diagnostics),
    /// A chapter outside every period, linked, with the diagnostics of
    /// the directives found in it.
    Outside(String, Diagnostics),
}

/// Everything placing the rendered chapters reads.
struct Walk<'a> {
    /// The periods and their goal and roadmap files.
    pages: &'a Deferred,
    /// The chapters that show a goal or roadmap page, and its file.
    deferred: Vec<(Place, String)>,
    /// Files that are chapters of the book already.
    chapters: BTreeSet<String>,
    diags: Diagnostics,
}

/// Expands every chapter of `book`, whose root folder is `root`.
pub fn expand_book(root: &Path, md: &MdConfig, book: Book) -> Outcome {
    let (mut out, mut pages) = expand(root, md, book);
    pages.fill(&mut out.book);
    out
}

/// Expands `book` except the goal and roadmap pages, which are placed
/// (their chapters empty) and returned to be rendered as the book is
/// written. When the book shows its errors (`on-error = "render"`), every
/// page is filled in already.
fn expand(root: &Path, md: &MdConfig, mut book: Book) -> (Outcome, Deferred) {
    // `book.toml`'s text only locates configuration diagnostics (the
    // values themselves come from mdBook's context).
    let toml = root.join("book.toml");
    let toml_source = Source::read(
        &toml,
        &crate::book::tidy(&crate::paths::display_path(&toml)),
    )
    .ok();
    let goals = GoalsBook::from_config(root, md, toml_source.as_ref());
    let mut chapters = BTreeSet::new();
    collect_files(&book.items, &mut chapters);
    let periods: Vec<String> = chapters
        .iter()
        .filter_map(|f| f.split_once('/').map(|(p, _)| p.to_string()))
        .filter(|p| is_period_name(p) && goals.src.join(p).is_dir())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    // The periods load side by side (each also loads its files on every
    // core), so a small period does not wait for a large one.
    // Goal and roadmap pages are linked while their period loads, and
    // their outlines dropped there: a period of many goals never holds
    // them all.
    let link = |source: &Arc<Source>, outline: &Outline| {
        LinkedText::of(&goals, Target::Site, source.text(), outline)
    };
    let mut linked: BTreeMap<String, LinkedText> = BTreeMap::new();
    let mut slates: BTreeMap<String, Slate> = BTreeMap::new();
    for (period, (slate, texts)) in periods
        .iter()
        .zip(parallel_map(&periods, |p| goals.load_digested(p, &link)))
    {
        linked.extend(texts);
        slates.insert(period.clone(), slate);
    }
    let mut diags = goals.diags.clone();
    for slate in slates.values() {
        // Goal and roadmap files are all rendered; their problems count.
        let files = slate
            .goals
            .iter()
            .map(|g| &g.file)
            .chain(slate.roadmaps.iter().map(|r| &r.file));
        for file in files {
            if let Some(r) = slate.files.get(file) {
                diags.extend(r.diags.clone());
            }
        }
        diags.extend(slate.cross.clone());
    }
    let mut pages = Deferred::new(goals, slates, linked);
    // Every chapter's page depends only on its file and its period: the
    // book's own chapters are rendered in one pass, on every core. Their
    // texts are taken out in walk order and put back in the same order.
    let mut jobs: Vec<(String, String)> = Vec::new();
    take_chapters(&mut book.items, &mut jobs);
    let rendered = parallel_map(&jobs, |(file, content)| {
        render_chapter(pages.context(), pages.slates(), file, content)
    });
    drop(jobs);
    let mut walk = Walk {
        pages: &pages,
        deferred: Vec::new(),
        chapters,
        diags,
    };
    walk.items(&mut book.items, &mut rendered.into_iter(), &mut Vec::new());
    let (mut diags, deferred) = (walk.diags, walk.deferred);
    pages.place(deferred);
    diags.sort();
    let failed =
        diags.has_errors() && pages.context().config.on_error == crate::config::OnError::Fail;
    if diags.has_errors() && !failed {
        pages.fill(&mut book);
        render_errors(&mut book, &diags, &pages.context().src_display);
    }
    let out = Outcome {
        book,
        diags,
        failed,
    };
    (out, pages)
}

/// The files of every chapter (relative to the source folder).
fn collect_files(items: &[BookItem], out: &mut BTreeSet<String>) {
    for item in items {
        if let BookItem::Chapter(ch) = item {
            if let Some(p) = &ch.source_path {
                out.insert(slash(p));
            }
            collect_files(&ch.sub_items, out);
        }
    }
}

/// Takes the text of every chapter with a file, in walk order, with the
/// file. Draft chapters have no file and are left alone.
fn take_chapters(items: &mut [BookItem], jobs: &mut Vec<(String, String)>) {
    for item in items {
        if let BookItem::Chapter(ch) = item {
            if let Some(path) = &ch.source_path {
                jobs.push((slash(path), std::mem::take(&mut ch.content)));
            }
            take_chapters(&mut ch.sub_items, jobs);
        }
    }
}

/// Whether a chapter's text, normalized as the period's sources are (no
/// byte-order mark, no lone `\r`), is `text`.
fn same_text(content: &str, text: &str) -> bool {
    if content.starts_with('\u{feff}') || content.contains('\r') {
        crate::source::normalize(content.to_string()) == text
    } else {
        content == text
    }
}

/// Renders one chapter of the book.
fn render_chapter(
    goals: &GoalsBook,
    slates: &BTreeMap<String, Slate>,
    file: &str,
    content: &str,
) -> Rendered {
    let display = || goals.src_display.join(file);
    let period = file.split_once('/').map(|(p, _)| p);
    let Some(slate) = period.and_then(|p| slates.get(p)) else {
        // Outside every period: directives are errors, text is still
        // linked.
        let mut diags = Diagnostics::new();
        let source = Source::new(display(), content.to_string());
        let outline = Outline::parse(source.text());
        directive::scan_outside_period(&source, &outline, &mut diags);
        let (edits, defs) = links(goals, Target::Site).edits(source.text(), &outline);
        let text = render::text::finish(
            source.text(),
            outline.unclosed_fence.as_deref(),
            edits,
            &defs,
        );
        return Rendered::Outside(text, diags);
    };
    let on_disk = slate
        .located(file)
        .filter(|l| same_text(content, l.source.text()));
    if on_disk.is_some_and(|l| l.page.is_none()) {
        return Rendered::Doc(file.to_string());
    }
    // A page: reuse the period's scan when the text is the file's.
    let fresh;
    let (source, outline, report) = match on_disk.and_then(|l| l.page) {
        Some(i) => {
            let p = &slate.pages[i];
            (p.source.clone(), &p.outline, &slate.files[file])
        }
        None => {
            let source = Source::new(display(), content.to_string());
            let outline = Outline::parse(source.text());
            let mut report = FileReport::default();
            report.directives = directive::scan(&source, &outline, &mut report.diags);
            slate.check_arguments(
                &source,
                &report.directives,
                goals.facts().teams,
                &mut report.diags,
            );
            fresh = (outline, report);
            (source, &fresh.0, &fresh.1)
        }
    };
    let page = page(
        goals,
        slate,
        Target::Site,
        file,
        source.text(),
        outline,
        &report.directives,
    );
    Rendered::Page(page, report.diags.clone())
}

impl Walk<'_> {
    /// Puts the rendered chapters back, in walk order, and adds the
    /// sub-chapters pages ask for. `place` is where `items` are in the
    /// book.
    fn items(
        &mut self,
        items: &mut [BookItem],
        rendered: &mut impl Iterator<Item = Rendered>,
        place: &mut Place,
    ) {
        for (i, item) in items.iter_mut().enumerate() {
            if let BookItem::Chapter(ch) = item {
                place.push(i as u32);
                let own = ch.sub_items.len();
                if ch.source_path.is_some()
                    && let Some(r) = rendered.next()
                {
                    self.chapter(ch, r, place);
                }
                self.items(&mut ch.sub_items[..own], rendered, place);
                place.pop();
            }
        }
    }

    /// The chapter at `place` shows the page of a goal or roadmap file,
    /// rendered later (its content stays empty until then).
    fn defer(&mut self, place: &Place, file: &str) {
        if self.pages.is_doc(file) {
            self.deferred.push((place.clone(), file.to_string()));
        }
    }

    /// Adds the sub-chapter of a goal or roadmap file to `ch`, at `place`.
    fn doc_chapter(&mut self, ch: &mut Chapter, place: &mut Place, title: &str, file: &str) {
        place.push(ch.sub_items.len() as u32);
        self.defer(place, file);
        place.pop();
        push_sub_chapter(ch, title, file, String::new());
    }

    fn chapter(&mut self, ch: &mut Chapter, rendered: Rendered, place: &mut Place) {
        let (expansion, diags) = match rendered {
            Rendered::Doc(file) => {
                // A goal or roadmap listed in SUMMARY.md itself.
                self.defer(place, &file);
                return;
            }
            Rendered::Outside(text, diags) => {
                ch.content = text;
                self.diags.extend(diags);
                return;
            }
            Rendered::Page(page, diags) => (page, diags),
        };
        self.diags.extend(diags);
        ch.content = expansion.text;
        let Some(slate) = ch
            .source_path
            .as_ref()
            .and_then(|p| slash(p).split_once('/').map(|(p, _)| p.to_string()))
            .and_then(|p| self.pages.slates().get(&p))
        else {
            return;
        };
        if expansion.goal_chapters {
            let goals: Vec<&Goal> =
                sorted_by_title(slate.goals.iter(), |g| (g.title.as_str(), g.file.as_str()));
            for g in goals {
                if self.chapters.insert(g.file.clone()) {
                    self.doc_chapter(ch, place, &g.title, &g.file);
                }
            }
        }
        for report in expansion.reports {
            if self.chapters.insert(report.file.clone()) {
                push_sub_chapter(ch, &report.title, &report.file, report.content);
            }
        }
        if expansion.roadmap_chapters {
            let roadmaps: Vec<&Roadmap> = sorted_by_title(slate.roadmaps.iter(), |r| {
                (r.title.as_str(), r.file.as_str())
            });
            for r in roadmaps {
                if self.chapters.insert(r.file.clone()) {
                    self.doc_chapter(ch, place, &r.title, &r.file);
                }
            }
        }
    }
}

fn sorted_by_title<'a, T>(
    items: impl Iterator<Item = &'a T>,
    key: impl Fn(&T) -> (&str, &str),
) -> Vec<&'a T> {
    let mut v: Vec<&T> = items.collect();
    v.sort_by_cached_key(|t| {
        let (title, file) = key(t);
        (
            crate::markdown::plain_text(title).to_lowercase(),
            file.to_string(),
        )
    });
    v
}

/// Adds a sub-chapter for a goal or roadmap file (or a generated page).
fn push_sub_chapter(parent: &mut Chapter, title: &str, file: &str, content: String) {
    let mut parents = parent.parent_names.clone();
    parents.push(parent.name.clone());
    let mut ch = Chapter::new(
        &crate::markdown::plain_text(title),
        content,
        PathBuf::from(file),
        parents,
    );
    ch.number = parent.number.as_ref().map(|n| {
        let mut v: Vec<u32> = n.to_vec();
        v.push(parent.sub_items.len() as u32 + 1);
        SectionNumber::new(v)
    });
    parent.sub_items.push(BookItem::Chapter(ch));
}

/// `on-error = "render"`: each error shown in a box at the top of the
/// chapter it is about; errors with no chapter go to the first one.
fn render_errors(book: &mut Book, diags: &Diagnostics, src_display: &Path) {
    let mut by_file: BTreeMap<String, Vec<&Diagnostic>> = BTreeMap::new();
    let mut chapters = BTreeSet::new();
    collect_files(&book.items, &mut chapters);
    for d in diags.iter().filter(|d| d.severity() == Severity::Error) {
        let file = d
            .location
            .as_ref()
            .and_then(|l| l.source.path().strip_prefix(src_display).ok())
            .map(slash)
            .filter(|f| chapters.contains(f))
            .unwrap_or_default();
        by_file.entry(file).or_default().push(d);
    }
    let mut first = true;
    boxes(&mut book.items, &by_file, &mut first);
}

fn boxes(items: &mut [BookItem], by_file: &BTreeMap<String, Vec<&Diagnostic>>, first: &mut bool) {
    for item in items {
        let BookItem::Chapter(ch) = item else {
            continue;
        };
        if let Some(path) = &ch.source_path {
            let mut shown: Vec<&Diagnostic> =
                by_file.get(&slash(path)).cloned().unwrap_or_default();
            if std::mem::take(first) {
                shown.extend(by_file.get("").cloned().unwrap_or_default());
            }
            if !shown.is_empty() {
                ch.content = format!("{}{}", error_box(&shown), ch.content);
            }
        }
        boxes(&mut ch.sub_items, by_file, first);
    }
}

/// The box of a chapter's errors: one HTML block, whatever the number of
/// diagnostics. A blank line would end the block in the middle (and the
/// rest of the chapter would render inside it), so the box holds none: each
/// diagnostic is one `<pre>` whose line breaks are written `&#10;`, and
/// every character of its text is HTML-escaped.
pub fn error_box(diags: &[&Diagnostic]) -> String {
    let renderer = annotate_snippets::Renderer::plain();
    let mut out = format!(
        "<div class=\"mdbook-goals-errors\" style=\"border: 2px solid #c62828; border-radius: 4px; padding: 0 1em; margin-bottom: 1em;\">\n<p><strong>mdbook-goals: {} in this chapter</strong></p>\n",
        count(diags.len(), "error")
    );
    for d in diags {
        out.push_str("<pre>");
        out.push_str(&crate::render::escape::html(d.render(&renderer).trim_end()));
        out.push_str("</pre>\n");
    }
    out.push_str("</div>\n\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_renderer_that_runs_the_preprocessor_reports() {
        let config = |toml: &str| toml.parse::<MdConfig>().unwrap();
        assert_eq!(reporting_renderer(&config("")).as_deref(), Some("html"));
        let two = "[output.markdown]\n[output.html]\n";
        assert_eq!(reporting_renderer(&config(two)).as_deref(), Some("html"));
        let only = format!("{two}[preprocessor.goals]\nrenderers = [\"markdown\"]\n");
        assert_eq!(
            reporting_renderer(&config(&only)).as_deref(),
            Some("markdown")
        );
        let none = format!("{two}[preprocessor.goals]\nrenderers = [\"epub\"]\n");
        assert_eq!(reporting_renderer(&config(&none)), None);
    }

    #[test]
    fn chapters_compare_with_their_files_as_normalized() {
        assert!(same_text("a\nb\n", "a\nb\n"));
        // A byte-order mark dropped, a lone `\r` read as a line break.
        assert!(same_text("\u{feff}a\rb\r\n", "a\nb\r\n"));
        assert!(!same_text("a\nb\n", "a\nc\n"));
        assert!(!same_text("a\r\nb", "a\nc"));
    }

    #[test]
    fn version_warning_names_both_versions() {
        assert_eq!(version_warning(MDBOOK_VERSION), None);
        let w = version_warning("0.4.40").unwrap();
        assert!(w.contains(MDBOOK_VERSION) && w.contains("0.4.40"), "{w}");
        assert!(version_warning("nonsense").is_some());
    }
}

#[cfg(test)]
mod render_tests;
