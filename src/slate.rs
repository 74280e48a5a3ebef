//! One period: every goal, roadmap and page of its folder, loaded once, and
//! the checks that need more than one file (SPEC §3.3, §5, §7.1).
//!
//! Files are read in sorted order and parsed in parallel; results are merged
//! back in that order, so the slate never depends on the file system's
//! listing order or on thread timing.

mod index;

pub(crate) use index::PeriodIndex;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Suggester};
use crate::directive::{self, ArgKind, Found, Kind};
use crate::facts::{Facts, KnownTeams};
use crate::goal::{self, Goal, is_goal_table, theme_key};
use crate::markdown::Outline;
use crate::roadmap::{self, Roadmap, is_roadmap_file};
use crate::source::Source;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// A markdown file of the period that is neither a goal nor a roadmap.
#[derive(Clone, Debug)]
pub struct Page {
    pub source: Arc<Source>,
    pub file: String,
    pub outline: Outline,
}

/// What loading found in one file besides its model: its directives and
/// its own diagnostics.
#[derive(Clone, Debug, Default)]
pub struct FileReport {
    pub(crate) directives: Vec<Found>,
    pub diags: Diagnostics,
}

impl FileReport {
    /// Whether the file holds a directive to expand (escaped ones are
    /// text).
    pub(crate) fn has_directives(&self) -> bool {
        self.directives
            .iter()
            .any(|f| matches!(f, Found::Directive(_)))
    }
}

/// One period, loaded.
#[derive(Clone, Debug, Default)]
pub struct Slate {
    /// The folder name, e.g. `2026`.
    pub name: String,
    /// Goals, sorted by file name.
    pub goals: Vec<Goal>,
    pub roadmaps: Vec<Roadmap>,
    pub pages: Vec<Page>,
    /// Per file (by `file`), directives and diagnostics.
    pub files: BTreeMap<String, FileReport>,
    /// Diagnostics that involve several files.
    pub cross: Diagnostics,
    /// Indices of `goals` in table order: title (case-insensitive), then
    /// path.
    pub order: Vec<usize>,
    /// The period's tracking snapshot, when there is one (SPEC §12).
    pub tracking: Option<Arc<crate::tracking::Snapshot>>,
    /// Where each highlight is presented, by theme key (built on first use).
    highlight_sections: std::sync::OnceLock<BTreeMap<String, String>>,
    /// Every file of the period by name (built on first use).
    located: std::sync::OnceLock<BTreeMap<String, Located>>,
    /// The goals and roadmaps by what directives select them by (built on
    /// first use).
    index: std::sync::OnceLock<PeriodIndex>,
}

/// The names directive arguments are checked against, gathered once per
/// kind of argument for a whole pass: as written (for suggestions) and as
/// keys.
struct ArgumentNames<'t> {
    teams: Option<&'t dyn KnownTeams>,
    of_kind: BTreeMap<&'static str, (BTreeSet<String>, HashSet<String>)>,
    suggester: Suggester,
}

impl<'t> ArgumentNames<'t> {
    fn new(teams: Option<&'t dyn KnownTeams>) -> Self {
        ArgumentNames {
            teams,
            of_kind: BTreeMap::new(),
            suggester: Suggester::new(Suggester::PASS),
        }
    }
}

/// Where a file of the period is.
#[derive(Clone, Debug)]
pub(crate) struct Located {
    pub source: Arc<Source>,
    /// Its index in [`Slate::pages`] when it is a page (neither a goal nor
    /// a roadmap).
    pub page: Option<usize>,
}

enum Entry {
    Goal(Box<Goal>),
    Roadmap(Box<Roadmap>),
    Page(Box<Page>),
    Skipped,
}

impl Slate {
    /// Loads the period folder `dir`, named `name`. `display` is the folder
    /// as diagnostics show it. `root` is the book's source folder,
    /// canonical: a file whose real path lies outside it is reported and not
    /// read.
    pub(crate) fn load(
        dir: &Path,
        display: &Path,
        name: &str,
        root: Option<&Path>,
        cx: Facts<'_>,
    ) -> Slate {
        Slate::load_digested(dir, display, name, root, cx, &|_, _| None::<()>).0
    }

    /// [`Slate::load`], giving each goal and roadmap file without
    /// directives to `digest` on the core that parsed it. What `digest`
    /// returns is kept by file, and that file's outline is dropped: a
    /// caller that needs only a digest of each outline (the preprocessor
    /// needs the link edits of each page) never holds them all.
    pub(crate) fn load_digested<T: Send>(
        dir: &Path,
        display: &Path,
        name: &str,
        root: Option<&Path>,
        cx: Facts<'_>,
        digest: &(dyn Fn(&Arc<Source>, &Outline) -> Option<T> + Sync),
    ) -> (Slate, BTreeMap<String, T>) {
        let mut slate = Slate {
            name: name.to_string(),
            ..Slate::default()
        };
        // Each file's name, and what the folder lists it as.
        let mut names: Vec<(String, Listed)> = Vec::new();
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                for e in entries.flatten() {
                    let file_name = e.file_name().to_string_lossy().into_owned();
                    // Everything but a real folder: a FIFO, device or
                    // symlink to a folder named `*.md` is reported by the
                    // reader instead of being skipped silently.
                    let Ok(kind) = e.file_type() else { continue };
                    if !kind.is_dir() && file_name.ends_with(".md") {
                        let listed = if kind.is_symlink() {
                            Listed::Link
                        } else if kind.is_file() {
                            Listed::File
                        } else {
                            Listed::Other
                        };
                        names.push((file_name, listed));
                    }
                }
            }
            Err(e) => {
                slate.cross.push(
                    Diagnostic::new(
                        Code::Unreadable,
                        format!("cannot read the period folder: {e}"),
                    )
                    .in_file(display),
                );
            }
        }
        names.sort();
        let folder = root.map(|root| crate::paths::FolderCheck::new(root, dir));
        let results = parallel_map(&names, |(file_name, listed)| {
            let path = dir.join(file_name);
            let display = display.join(file_name);
            let link = *listed == Listed::Link;
            if let Some(real) = folder
                .as_ref()
                .and_then(|f| f.outside(&path, file_name, link))
            {
                let mut report = FileReport::default();
                report.diags.push(symlink_leaves_book(&display, &real));
                return (Entry::Skipped, report, None);
            }
            let (mut entry, report) = load_file(&path, &display, name, file_name, *listed, cx);
            let plain = !report.has_directives();
            let outline = match &mut entry {
                Entry::Goal(g) if plain => Some((&g.source, &mut g.outline)),
                Entry::Roadmap(r) if plain => Some((&r.source, &mut r.outline)),
                _ => None,
            };
            let digested = outline.and_then(|(source, outline)| {
                let t = digest(source, outline)?;
                *outline = Outline::default();
                Some(t)
            });
            (entry, report, digested)
        });
        let mut digests = BTreeMap::new();
        // Each list at its final size: a goal is a large value, and a
        // list grown by doubling holds up to twice the room.
        let count = |f: fn(&Entry) -> bool| results.iter().filter(|(e, _, _)| f(e)).count();
        slate
            .goals
            .reserve_exact(count(|e| matches!(e, Entry::Goal(_))));
        slate
            .roadmaps
            .reserve_exact(count(|e| matches!(e, Entry::Roadmap(_))));
        slate
            .pages
            .reserve_exact(count(|e| matches!(e, Entry::Page(_))));
        for ((file_name, _), (entry, report, digested)) in names.iter().zip(results) {
            let file = [name, "/", file_name.as_str()].concat();
            if let Some(t) = digested {
                digests.insert(file.clone(), t);
            }
            slate.files.insert(file, report);
            match entry {
                Entry::Goal(g) => slate.goals.push(*g),
                Entry::Roadmap(r) => slate.roadmaps.push(*r),
                Entry::Page(p) => slate.pages.push(*p),
                Entry::Skipped => {}
            }
        }
        slate.order = (0..slate.goals.len()).collect();
        slate.order.sort_by_cached_key(|&i| {
            let g = &slate.goals[i];
            (g.short_title().to_lowercase(), g.file.clone())
        });
        slate.cross_checks(cx);
        (slate, digests)
    }

    /// Every diagnostic of the period, unsorted.
    pub(crate) fn diagnostics(&self) -> Diagnostics {
        let mut all = Diagnostics::new();
        for r in self.files.values() {
            all.extend(r.diags.clone());
        }
        all.extend(self.cross.clone());
        all
    }

    pub fn live_goals(&self) -> impl Iterator<Item = &Goal> {
        self.goals.iter().filter(|g| g.is_live())
    }

    /// Every directive of the period's files, with the file it is in.
    pub(crate) fn directives(&self) -> impl Iterator<Item = (&str, &directive::Directive)> {
        self.files.iter().flat_map(|(file, r)| {
            r.directives.iter().filter_map(move |f| match f {
                Found::Directive(d) => Some((file.as_str(), d)),
                Found::Escaped(_) => None,
            })
        })
    }

    /// `file#heading-id` of the section presenting a highlight: the
    /// heading over the first `HIGHLIGHT TABLE` or `HIGHLIGHT GOALS` that
    /// names it (the file alone before any heading).
    pub(crate) fn highlight_section(&self, name: &str) -> Option<&str> {
        use crate::directive::{Found, Kind};
        let sections = self.highlight_sections.get_or_init(|| {
            let mut out = BTreeMap::new();
            for page in &self.pages {
                let Some(report) = self.files.get(page.file.as_str()) else {
                    continue;
                };
                let ids = crate::goal::parse::heading_ids(&page.outline, page.source.text());
                for found in &report.directives {
                    let Found::Directive(d) = found else { continue };
                    if !matches!(d.spec.kind, Kind::HighlightTable | Kind::HighlightGoals) {
                        continue;
                    }
                    let Some(arg) = &d.arg else { continue };
                    let under = page
                        .outline
                        .headings
                        .partition_point(|h| h.span.start < d.span.start);
                    let at = match under.checked_sub(1) {
                        Some(i) => format!("{}#{}", page.file, ids[i]),
                        None => page.file.clone(),
                    };
                    out.entry(crate::goal::theme_key(&arg.value)).or_insert(at);
                }
            }
            out
        });
        sections
            .get(&crate::goal::theme_key(name))
            .map(String::as_str)
    }

    /// The goals and roadmaps by what directives select them by.
    pub(crate) fn index(&self) -> &PeriodIndex {
        self.index
            .get_or_init(|| PeriodIndex::new(&self.goals, &self.order, &self.roadmaps))
    }

    /// The first roadmap whose theme or title is `theme`, as keys.
    pub fn roadmap_for(&self, theme: &str) -> Option<&Roadmap> {
        let i = self.index().roadmap_named(&theme_key(theme))?;
        Some(&self.roadmaps[i])
    }

    /// The names an argument of this kind may take, for matching and
    /// suggestions.
    pub(crate) fn candidates(
        &self,
        kind: ArgKind,
        teams: Option<&dyn KnownTeams>,
    ) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        match kind {
            ArgKind::Theme => {
                for r in &self.roadmaps {
                    out.insert(r.theme().to_string());
                    out.insert(r.title.clone());
                }
                for g in &self.goals {
                    out.extend(g.all_themes().map(|t| t.value.clone()));
                }
            }
            ArgKind::Highlight => {
                for g in &self.goals {
                    out.extend(g.all_highlights().map(|t| t.value.clone()));
                }
            }
            ArgKind::Team => {
                if let Some(reg) = teams {
                    out.extend(reg.keys().into_iter().map(str::to_string));
                }
                for g in &self.goals {
                    out.extend(g.teams_asked().into_iter().map(str::to_string));
                }
            }
            ArgKind::Area => {
                for r in &self.roadmaps {
                    out.extend(r.metadata.application_areas.iter().map(|a| a.value.clone()));
                }
            }
            ArgKind::Need => {
                for g in &self.goals {
                    out.extend(g.needs());
                }
            }
            ArgKind::Any => {}
        }
        out
    }

    fn cross_checks(&mut self, cx: Facts<'_>) {
        self.duplicate_tracking_issues();
        self.undeclared_themes();
        self.user_casing();
        self.directive_arguments(cx);
        self.duplicate_chapter_directives();
    }

    fn duplicate_tracking_issues(&mut self) {
        // Keyed as GitHub tells issues apart (`Org/Repo#1` is `org/repo#1`).
        let mut first: BTreeMap<(String, u64), &Goal> = BTreeMap::new();
        for g in &self.goals {
            let Some(issue) = &g.metadata.tracking_issue else {
                continue;
            };
            let key = issue.value.key();
            match first.get(&key) {
                Some(other) => self.cross.push(
                    Diagnostic::new(
                        Code::DuplicateTrackingIssue,
                        format!(
                            "the tracking issue `{}` is also used by `{}`",
                            issue.value, other.file
                        ),
                    )
                    .at(&g.source, issue.span.clone())
                    .help("each goal needs its own tracking issue"),
                ),
                None => {
                    first.insert(key, g);
                }
            }
        }
    }

    /// The theme and highlight names the period declares: roadmap themes
    /// (short title and title) and arguments of directives in its pages and
    /// roadmaps.
    pub(crate) fn declared_themes(&self) -> BTreeMap<String, String> {
        let mut declared = BTreeMap::new();
        for r in &self.roadmaps {
            declared.insert(r.key().to_string(), r.theme().to_string());
            declared.insert(r.title_key().to_string(), r.title.clone());
        }
        let goal_files: BTreeSet<&str> = self.goals.iter().map(|g| g.file.as_str()).collect();
        for (file, d) in self.directives() {
            let Some(arg) = &d.arg else { continue };
            let declares = matches!(
                d.spec.arg,
                directive::Arg::Optional(ArgKind::Theme | ArgKind::Highlight)
                    | directive::Arg::Required(ArgKind::Theme | ArgKind::Highlight)
            );
            if declares && !goal_files.contains(file) {
                declared.insert(theme_key(&arg.value), arg.value.clone());
            }
        }
        declared
    }

    fn undeclared_themes(&mut self) {
        let declared = self.declared_themes();
        let mut suggester = Suggester::new(Suggester::PASS);
        for g in &self.goals {
            let themes = g.all_themes().map(|t| (t, "theme"));
            let highlights = g.all_highlights().map(|t| (t, "highlight"));
            for (t, what) in themes.chain(highlights) {
                if declared.contains_key(&theme_key(&t.value)) {
                    continue;
                }
                let mut d = Diagnostic::new(
                    Code::UndeclaredTheme,
                    format!(
                        "the {what} `{}` is declared nowhere in this period",
                        t.value
                    ),
                )
                .at(&g.source, t.span.clone())
                .suggest(suggester.suggest(&t.value, declared.values().map(String::as_str)));
                if d.help.is_none() {
                    d = d.help(format!(
                        "add a `roadmap-*.md` with `Short title` `{}`, or use it as a directive argument in one of the period's pages",
                        t.value
                    ));
                }
                self.cross.push(d);
            }
        }
    }

    fn user_casing(&mut self) {
        // Login (lower-cased) → its group; a group counts each spelling's
        // occurrences (in file order).
        let mut groups: HashMap<String, usize> = HashMap::new();
        let mut spellings: Vec<BTreeMap<&str, usize>> = Vec::new();
        let mut places = Vec::new();
        let people = self
            .goals
            .iter()
            .flat_map(|g| g.people().map(move |p| (&g.source, p)));
        let roadmap_people = self.roadmaps.iter().flat_map(|r| {
            r.metadata
                .point_of_contact
                .iter()
                .map(move |p| (&r.source, p))
        });
        for (src, p) in people.chain(roadmap_people) {
            if !p.value.starts_with('@') {
                continue;
            }
            let known = crate::markdown::with_lower(&p.value, |login| groups.get(login).copied());
            let group = known.unwrap_or_else(|| {
                groups.insert(p.value.to_lowercase(), spellings.len());
                spellings.push(BTreeMap::new());
                spellings.len() - 1
            });
            *spellings[group].entry(p.value.as_str()).or_default() += 1;
            places.push((src, p, group));
        }
        // The most frequent spelling of each group written more than one
        // way is taken as the right one.
        let canonical: Vec<Option<(&str, usize)>> = spellings
            .iter()
            .map(|forms| {
                let most = forms
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
                most.filter(|_| forms.len() > 1).map(|(s, c)| (*s, *c))
            })
            .collect();
        let mut reported = BTreeSet::new();
        for (src, p, group) in places {
            let Some((canonical, count)) = canonical[group] else {
                continue;
            };
            if p.value == canonical || !reported.insert((src.path().to_path_buf(), p.value.clone()))
            {
                continue;
            }
            self.cross.push(
                Diagnostic::new(
                    Code::UserCasing,
                    format!(
                        "`{}` is written `{canonical}` elsewhere in this period",
                        p.value
                    ),
                )
                .at(src, p.span.clone())
                .help(format!(
                    "write `{canonical}` here as in its {} other {}",
                    count,
                    crate::grammar::noun_for(count, "use")
                )),
            );
        }
    }

    fn directive_arguments(&mut self, cx: Facts<'_>) {
        let mut diags = Diagnostics::new();
        let mut names = ArgumentNames::new(cx.teams);
        for (file, report) in &self.files {
            if let Some(source) = self.source_of(file) {
                self.arguments_of(&source, &report.directives, &mut names, &mut diags);
            }
        }
        self.cross.extend(diags);
    }

    /// Warns about directive arguments (themes, teams, highlights, areas,
    /// needs) that match nothing in the period.
    pub(crate) fn check_arguments(
        &self,
        source: &Arc<Source>,
        found: &[Found],
        teams: Option<&dyn KnownTeams>,
        diags: &mut Diagnostics,
    ) {
        let mut names = ArgumentNames::new(teams);
        self.arguments_of(source, found, &mut names, diags);
    }

    /// [`Slate::check_arguments`] with the names gathered so far.
    fn arguments_of(
        &self,
        source: &Arc<Source>,
        found: &[Found],
        names: &mut ArgumentNames<'_>,
        diags: &mut Diagnostics,
    ) {
        let teams = names.teams;
        for f in found {
            let Found::Directive(d) = f else { continue };
            let (directive::Arg::Optional(kind) | directive::Arg::Required(kind)) = d.spec.arg
            else {
                continue;
            };
            let Some(arg) = &d.arg else { continue };
            if kind == ArgKind::Any {
                continue;
            }
            let (listed, keys) = names.of_kind.entry(kind.noun()).or_insert_with(|| {
                let listed = self.candidates(kind, teams);
                let keys = listed.iter().map(|n| theme_key(n)).collect();
                (listed, keys)
            });
            let matched = match (kind, teams) {
                (ArgKind::Team, Some(r)) => r.key(&arg.value).is_some(),
                _ => keys.contains(&theme_key(&arg.value)),
            };
            if matched {
                continue;
            }
            let candidates = listed.iter().map(String::as_str);
            let d = Diagnostic::new(
                Code::UnmatchedArgument,
                format!("no {} `{}` in this period", kind.noun(), arg.value),
            )
            .at(source, arg.span.clone())
            .label(format!("`{}` lists nothing", d.spec.name))
            .suggest(names.suggester.suggest(&arg.value, candidates));
            diags.push(d);
        }
    }

    fn duplicate_chapter_directives(&mut self) {
        let mut seen: BTreeMap<Kind, (String, usize)> = BTreeMap::new();
        let mut dups = Vec::new();
        for (file, d) in self.directives() {
            if !matches!(d.spec.kind, Kind::GoalChapters | Kind::RoadmapChapters) {
                continue;
            }
            match seen.get(&d.spec.kind) {
                Some((first, _)) => {
                    dups.push((file.to_string(), d.span.clone(), d.spec.name, first.clone()))
                }
                None => {
                    seen.insert(d.spec.kind, (file.to_string(), d.span.start));
                }
            }
        }
        for (file, span, name, first) in dups {
            if let Some(src) = self.source_of(&file) {
                self.cross.push(
                    Diagnostic::new(Code::DuplicateChapters, format!("`{name}` appears twice in this period"))
                        .at(&src, span)
                        .help(format!("it is already used in `{first}`; each goal may be a sub-chapter of one page only")),
                );
            }
        }
    }

    /// The source of a file of the period.
    pub(crate) fn source_of(&self, file: &str) -> Option<Arc<Source>> {
        self.located(file).map(|l| l.source.clone())
    }

    /// Where a file of the period is, found by name. The index is built
    /// once, when the period's files are all loaded.
    pub(crate) fn located(&self, file: &str) -> Option<&Located> {
        self.located
            .get_or_init(|| {
                let mut out = BTreeMap::new();
                let docs = self
                    .goals
                    .iter()
                    .map(|g| (&g.file, &g.source))
                    .chain(self.roadmaps.iter().map(|r| (&r.file, &r.source)));
                for (file, source) in docs {
                    out.entry(file.clone()).or_insert_with(|| Located {
                        source: source.clone(),
                        page: None,
                    });
                }
                for (i, p) in self.pages.iter().enumerate() {
                    out.entry(p.file.clone()).or_insert_with(|| Located {
                        source: p.source.clone(),
                        page: Some(i),
                    });
                }
                out
            })
            .get(file)
    }
}

/// What a period folder lists an entry as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Listed {
    /// A regular file.
    File,
    /// A symbolic link.
    Link,
    /// Anything else that is not a folder (a FIFO, a device, a socket).
    Other,
}

/// Reads and parses one file.
fn load_file(
    path: &Path,
    display: &Path,
    period: &str,
    file_name: &str,
    listed: Listed,
    cx: Facts<'_>,
) -> (Entry, FileReport) {
    let mut report = FileReport::default();
    let diags = &mut report.diags;
    let read = match listed {
        // Listed as a regular file: opened at once (what it is once open
        // is still checked), which spares looking its path up once more.
        Listed::File => Source::read_listed_file(path, display),
        Listed::Link | Listed::Other => Source::read(path, display),
    };
    let source = match read {
        Ok(s) => s,
        Err(e) => {
            let d = e.into_diagnostic(display, "this file is not valid UTF-8", |why| {
                format!("cannot read this file: {why}")
            });
            diags.push(if d.code == Code::NotUtf8 {
                d.help("save the file as UTF-8; the rest of the period is still checked")
            } else {
                d
            });
            return (Entry::Skipped, report);
        }
    };
    if source.text().trim().is_empty() {
        diags.push(
            Diagnostic::new(Code::EmptyFile, "this file is empty")
                .at(&source, 0..0)
                .help("write the goal (or page), or delete the file"),
        );
        return (Entry::Skipped, report);
    }
    let diags = &mut report.diags;
    let file = [period, "/", file_name].concat();
    let outline = Outline::parse(source.text());
    table_checks(&source, &outline, diags);
    report.directives = directive::scan(&source, &outline, diags);
    if is_roadmap_file(file_name) {
        return match roadmap::parse(
            source.clone(),
            file.clone(),
            outline.clone(),
            cx.repository,
            diags,
        ) {
            Some(r) => (Entry::Roadmap(Box::new(r)), report),
            None => (
                Entry::Page(Box::new(Page {
                    source,
                    file,
                    outline,
                })),
                report,
            ),
        };
    }
    if outline
        .tables
        .first()
        .is_some_and(|t| is_goal_table(t, source.text()))
    {
        let g = goal::parse(source, file, outline, cx, diags);
        return (Entry::Goal(Box::new(g)), report);
    }
    (
        Entry::Page(Box::new(Page {
            source,
            file,
            outline,
        })),
        report,
    )
}

/// A file of the book that is a symbolic link to `real`, outside the
/// source folder.
pub(crate) fn symlink_leaves_book(display: &Path, real: &Path) -> Diagnostic {
    Diagnostic::new(
        Code::SymlinkLeavesBook,
        format!(
            "this file is a symbolic link to `{}`, outside the book's source folder",
            crate::paths::display_path(real).display()
        ),
    )
    .in_file(display)
    .help("the book only reads its own files: copy the file into the source folder, or link to it with an absolute URL")
}

/// Damaged tables: rows that render as text, and rows with more cells than
/// the header (the extra cells would silently vanish).
pub(crate) fn table_checks(source: &Arc<Source>, outline: &Outline, diags: &mut Diagnostics) {
    for span in outline.stray_rows(source.text()) {
        let first_cell = source
            .slice(&span)
            .trim_matches('|')
            .split('|')
            .next()
            .unwrap_or("");
        if crate::markdown::name_is(first_cell, "metadata")
            && outline
                .tables
                .first()
                .is_none_or(|t| !is_goal_table(t, source.text()))
        {
            diags.push(
                Diagnostic::new(
                    Code::BrokenTable,
                    "the metadata table is broken, so this goal cannot be read",
                )
                .at(source, span)
                .label("no delimiter row below this header")
                .help("the header needs a line like `|---|---|` right under it"),
            );
            continue;
        }
        diags.push(
            Diagnostic::new(
                Code::StrayTableRows,
                "this looks like a table row, but it is not part of a table",
            )
            .at(source, span)
            .label("rendered as text")
            .help("a table needs a blank line before it, its header, then a line like `|---|---|`"),
        );
    }
    for table in &outline.tables {
        let width = table.header.cells.len();
        for row in &table.rows {
            if let Some(extra) = &row.overflow {
                diags.push(
                    Diagnostic::new(
                        Code::ExtraCells,
                        format!(
                            "this row has more cells than the table's {}",
                            crate::grammar::count(width, "column")
                        ),
                    )
                    .at(source, extra.clone())
                    .label("not rendered")
                    .help("escape a `|` inside a cell as `\\|`, or add the column to the header"),
                );
            }
        }
    }
}

/// Whether the big structures of a run (periods, their models) are freed
/// when it ends, or left to the operating system: a command that exits
/// right after need not free them one allocation at a time.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lifetime {
    Freed,
    Exit,
}

impl Lifetime {
    pub(crate) fn end<T>(self, value: T) {
        match self {
            Lifetime::Freed => drop(value),
            Lifetime::Exit => std::mem::forget(value),
        }
    }
}

/// Maps `f` over `items` on all cores, keeping the order. The work runs on
/// rayon's pool, whose threads start once per process: starting two
/// threads and joining them costs about a tenth of a millisecond, and a
/// run maps several times (the periods, each period's files, the pages).
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use rayon::prelude::*;
    // A shared borrow of `f` is what crosses to the pool's threads.
    let f = &f;
    items.par_iter().map(f).collect()
}

#[cfg(test)]
mod tests {
    use super::parallel_map;

    #[test]
    fn parallel_map_keeps_the_order_and_maps_each_item_once() {
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let items: Vec<usize> = (0..1000).collect();
        let out = parallel_map(&items, |i| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            // Uneven work, so the items finish out of order.
            (0..(i % 7) * 1000).fold(*i, |a, b| a ^ b) ^ (0..(i % 7) * 1000).fold(0, |a, b| a ^ b)
        });
        assert_eq!(out, items);
        assert_eq!(calls.into_inner(), items.len());
        // Nested maps, as loading periods and their files does.
        let nested = parallel_map(&[3usize, 1, 2], |n| parallel_map(&items[..*n], |i| i + 1));
        assert_eq!(nested, vec![vec![1, 2, 3], vec![1], vec![1, 2]]);
    }
}
