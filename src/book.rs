//! A book on disk: its root, source folder, `[preprocessor.goals]`
//! configuration, team registry and period folders.
//!
//! The commands open a book from its folder; the preprocessor builds the
//! same value from mdBook's context. Either way configuration goes through
//! mdBook's own `Config` type, so environment overrides behave the same.

use crate::config::Config;
use crate::context::Context;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::markdown::Outline;
use crate::paths::{display_path, is_period_name};
use crate::slate::Slate;
use crate::source::{ReadError, Source};
use crate::teams;
use crate::tracking::Snapshot;
use mdbook_preprocessor::config::Config as MdConfig;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

#[derive(Debug)]
pub struct Book {
    /// The book's folder.
    pub root: PathBuf,
    /// The source folder (`[book] src`) on disk.
    pub src: PathBuf,
    /// The source folder as diagnostics show it.
    pub src_display: PathBuf,
    /// The configuration and the team registry (a book reads as its
    /// context: `book.config`, `book.teams`).
    pub context: Context,
    /// Problems with the configuration or the registry.
    pub diags: Diagnostics,
    /// The text of `book.toml`, when it was read from disk.
    pub config_source: Option<Arc<Source>>,
}

impl std::ops::Deref for Book {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.context
    }
}

impl Book {
    /// Opens the book in `dir` (which must hold a `book.toml`). Errors are
    /// returned as diagnostics when the file cannot be read or parsed.
    pub fn open(dir: &Path) -> Result<Book, Diagnostics> {
        let toml_path = dir.join("book.toml");
        let display = tidy(&display_path(&toml_path));
        let source = match Source::read(&toml_path, &display) {
            Ok(s) => s,
            Err(e) => {
                let utf8 = matches!(e, ReadError::NotUtf8 { .. });
                let d = e.into_diagnostic(&display, "`book.toml` is not valid UTF-8", |why| {
                    format!("cannot read `{}`: {why}", display.display())
                });
                let help =
                    "run the command in a book folder, or pass the folder that holds `book.toml`";
                return Err(Diagnostics::from_iter([if utf8 {
                    d
                } else {
                    d.help(help)
                }]));
            }
        };
        if let Err(e) = source.text().parse::<toml::Table>() {
            let span = e.span().unwrap_or(0..0);
            return Err(Diagnostics::from_iter([Diagnostic::new(
                Code::InvalidConfig,
                format!("`book.toml` is not valid TOML: {}", e.message()),
            )
            .at(&source, span)]));
        }
        let mut md = match MdConfig::from_str(source.text()) {
            Ok(c) => c,
            Err(e) => {
                return Err(Diagnostics::from_iter([Diagnostic::new(
                    Code::InvalidConfig,
                    format!("`book.toml` is not a valid mdBook configuration: {e:#}"),
                )
                .in_file(&display)]));
            }
        };
        if let Err(e) = md.update_from_env() {
            return Err(Diagnostics::from_iter([Diagnostic::new(
                Code::InvalidConfig,
                format!("an `MDBOOK_*` environment variable does not fit the configuration: {e:#}"),
            )
            .in_file(&display)]));
        }
        Ok(Book::from_config(dir, &md, Some(&source)))
    }

    /// Opens the book around a period folder (the nearest folder above it
    /// with a `book.toml`) and returns it with the period's name.
    /// The folder may be given relative to the current directory in any
    /// form (`.`, `../2027`, `./2027/`): when the path as written has no
    /// book above it, the search starts again from its real path.
    pub fn open_period(period_dir: &Path) -> Result<(Book, String), PeriodError> {
        match Book::open_period_at(period_dir, period_dir) {
            Err(PeriodError::NotABook(_) | PeriodError::NotAPeriod(_))
                if let Ok(real) = period_dir.canonicalize()
                    && real != period_dir =>
            {
                Book::open_period_at(&real, period_dir)
            }
            other => other,
        }
    }

    /// [`Book::open_period`] on the folder `dir`; messages name `given`,
    /// the folder as the user wrote it.
    fn open_period_at(dir: &Path, given: &Path) -> Result<(Book, String), PeriodError> {
        let period_dir = dir;
        let root = book_root_above(period_dir)
            .ok_or_else(|| PeriodError::NotABook(given.to_path_buf()))?;
        let book = Book::open(&shown(root)).map_err(PeriodError::Book)?;
        let name = period_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        };
        if !book.periods().contains(&name) || !same(&book.src.join(&name), period_dir) {
            let periods = book.periods();
            let has = if periods.is_empty() {
                "it has no period folder".to_string()
            } else {
                format!("its periods: {}", periods.join(", "))
            };
            return Err(PeriodError::NotAPeriod(format!(
                "`{}` is not a period folder of the book in `{}` ({has})",
                given.display(),
                root.display(),
            )));
        }
        Ok((book, name))
    }

    /// The book described by an mdBook configuration rooted at `root`.
    /// `toml_source` is the text of `book.toml` when the caller read it
    /// (used only to point diagnostics at keys).
    pub(crate) fn from_config(
        root: &Path,
        md: &MdConfig,
        toml_source: Option<&Arc<Source>>,
    ) -> Book {
        let mut diags = Diagnostics::new();
        let goals: Option<toml::Value> = match md.get("preprocessor.goals") {
            Ok(v) => v,
            Err(e) => {
                diags.push(
                    Diagnostic::new(
                        Code::InvalidConfig,
                        format!("cannot read `[preprocessor.goals]`: {e:#}"),
                    )
                    .in_file(Path::new("book.toml")),
                );
                None
            }
        };
        let config = Config::from_toml(goals.as_ref(), toml_source, &mut diags);
        let toml_display =
            toml_source.map_or_else(|| PathBuf::from("book.toml"), |s| s.path().to_path_buf());
        let teams = teams::load(config.teams.as_deref(), root, &mut diags, &toml_display);
        let src = root.join(&md.book.src);
        Book {
            root: root.to_path_buf(),
            src_display: tidy(&display_path(&src)),
            src,
            context: Context { config, teams },
            diags,
            config_source: toml_source.cloned(),
        }
    }

    /// A diagnostic about the configuration, pointed at the
    /// `[preprocessor.goals]` table when `book.toml` was read.
    pub(crate) fn config_diagnostic(&self, d: Diagnostic) -> Diagnostic {
        match &self.config_source {
            Some(src) => match crate::config::locate_key(src.text(), "") {
                Some(span) => d.at(src, span),
                None => d.in_file(src.path()),
            },
            None => d.in_file(Path::new("book.toml")),
        }
    }

    /// The period folders directly under the source folder, sorted.
    pub(crate) fn periods(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.src)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| is_period_name(n))
            .collect();
        names.sort();
        names
    }

    /// The period folder `name`, or the message for a usage error naming
    /// the periods the book has.
    pub(crate) fn period_named(&self, name: &str) -> Result<String, String> {
        let all = self.periods();
        if all.iter().any(|p| p == name) {
            Ok(name.to_string())
        } else if all.is_empty() {
            Err(format!(
                "no period `{name}`: `{}` holds no period folders",
                self.src_display.display()
            ))
        } else {
            Err(format!(
                "no period `{name}`; the book has: {}",
                all.join(", ")
            ))
        }
    }

    /// Loads one period with its tracking snapshot (SPEC §12), read once
    /// here: a snapshot that cannot be read is a diagnostic of the period,
    /// and so is a goal whose tracking issue the snapshot lacks.
    pub fn load(&self, period: &str) -> Slate {
        self.load_digested(period, &|_, _| None::<()>).0
    }

    /// [`Book::load`], with each goal and roadmap file without directives
    /// given to `digest` (see [`Slate::load_digested`]).
    pub(crate) fn load_digested<T: Send>(
        &self,
        period: &str,
        digest: &(dyn Fn(&Arc<Source>, &Outline) -> Option<T> + Sync),
    ) -> (Slate, BTreeMap<String, T>) {
        let (mut slate, digests) = Slate::load_digested(
            &self.src.join(period),
            &self.src_display.join(period),
            period,
            self.src.canonicalize().ok().as_deref(),
            self.facts(),
            digest,
        );
        match Snapshot::load(&self.root, &self.config, period) {
            Ok(Some(snapshot)) => {
                for goal in &slate.goals {
                    let Some(issue) = &goal.metadata.tracking_issue else {
                        continue;
                    };
                    if snapshot.issue(&issue.value).is_none() {
                        slate.cross.push(
                            Diagnostic::new(
                                Code::IssueNotInSnapshot,
                                format!(
                                    "the tracking issue `{}` is not in the tracking snapshot",
                                    issue.value
                                ),
                            )
                            .at(&goal.source, issue.span.clone())
                            .label("no progress is shown for this goal")
                            .help(format!(
                                "refresh the snapshot with `mdbook-goals sync {}`",
                                self.src_display.join(period).display()
                            )),
                        );
                    }
                }
                slate.tracking = Some(Arc::new(snapshot));
            }
            Ok(None) => {
                let file = Snapshot::path(&self.root, &self.config, period);
                let file = tidy(&crate::paths::display_path(&file));
                let mut found = Vec::new();
                for (page, d) in slate.directives() {
                    if d.spec.kind == crate::directive::Kind::Reports
                        && let Some(source) = slate.source_of(page)
                    {
                        found.push(
                            Diagnostic::new(
                                Code::ReportsWithoutSnapshot,
                                format!(
                                    "`REPORTS` needs the tracking snapshot `{}`, which does not exist",
                                    file.display()
                                ),
                            )
                            .at(&source, d.span.clone())
                            .label("the reports are one page saying how to fetch the data")
                            .help(format!(
                                "fetch it with `mdbook-goals sync {}`",
                                self.src_display.join(period).display()
                            )),
                        );
                    }
                }
                slate.cross.extend(Diagnostics::from_iter(found));
            }
            Err(diags) => slate.cross.extend(diags),
        }
        (slate, digests)
    }

    /// Loads one period without its tracking data (for the RFC, which is
    /// written before the work starts).
    pub(crate) fn load_without_tracking(&self, period: &str) -> Slate {
        Slate::load(
            &self.src.join(period),
            &self.src_display.join(period),
            period,
            self.src.canonicalize().ok().as_deref(),
            self.facts(),
        )
    }
}

/// The nearest folder above `dir` (not `dir` itself) with a `book.toml`.
pub(crate) fn book_root_above(dir: &Path) -> Option<&Path> {
    dir.ancestors()
        .skip(1)
        .map(|a| {
            if a.as_os_str().is_empty() {
                Path::new(".")
            } else {
                a
            }
        })
        .find(|a| a.join("book.toml").is_file())
}

/// Why a period folder could not be opened.
#[derive(Debug)]
pub enum PeriodError {
    /// No `book.toml` in any folder above this one.
    NotABook(PathBuf),
    /// The folder is not a period of the book above it.
    NotAPeriod(String),
    /// The book could not be opened.
    Book(Diagnostics),
}

/// An absolute path made relative to the current directory when it lies
/// below it (diagnostics then show short paths); others as given.
fn shown(path: &Path) -> PathBuf {
    if !path.is_absolute() {
        return path.to_path_buf();
    }
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize());
    match cwd.as_deref().map(|cwd| path.strip_prefix(cwd)) {
        Ok(Ok(rel)) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(Ok(rel)) => rel.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

impl PeriodError {
    /// The one-line message of a usage error (`Ok`), or the diagnostics of
    /// a book that cannot be opened (`Err`).
    pub(crate) fn usage(self) -> Result<String, Diagnostics> {
        match self {
            PeriodError::NotABook(dir) => Ok(format!(
                "not a book: no `book.toml` in any folder above `{}`",
                dir.display()
            )),
            PeriodError::NotAPeriod(m) => Ok(m),
            PeriodError::Book(d) => Err(d),
        }
    }
}

/// A path without leading `./` components.
pub(crate) fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        if c == Component::CurDir && out.as_os_str().is_empty() {
            continue;
        }
        out.push(c);
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}
