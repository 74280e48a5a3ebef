//! A book on disk: its root, source folder, `[preprocessor.goals]`
//! configuration, team registry and period folders.
//!
//! The commands open a book from its folder; the preprocessor builds the
//! same value from mdBook's context. Either way configuration goes through
//! mdBook's own `Config` type, so environment overrides behave the same.

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::goal::ParseContext;
use crate::paths::{display_path, is_period_name};
use crate::slate::Slate;
use crate::source::{ReadError, Source};
use crate::teams::{self, Registry};
use mdbook_preprocessor::config::Config as MdConfig;
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
    pub config: Config,
    pub teams: Option<Registry>,
    /// Problems with the configuration or the registry.
    pub diags: Diagnostics,
    /// The text of `book.toml`, when it was read from disk.
    pub config_source: Option<Arc<Source>>,
}

impl Book {
    /// Opens the book in `dir` (which must hold a `book.toml`). Errors are
    /// returned as diagnostics when the file cannot be read or parsed.
    pub fn open(dir: &Path) -> Result<Book, Diagnostics> {
        let toml_path = dir.join("book.toml");
        let display = tidy(&display_path(&toml_path));
        let source = match Source::read(&toml_path, &display) {
            Ok(s) => s,
            Err(ReadError::NotUtf8 { source, offset }) => {
                return Err(Diagnostics::from_iter([Diagnostic::new(
                    Code::NotUtf8,
                    "`book.toml` is not valid UTF-8",
                )
                .at(&source, offset..offset)]));
            }
            Err(ReadError::Io(e)) => {
                return Err(Diagnostics::from_iter([Diagnostic::new(
                    Code::Unreadable,
                    format!("cannot read `{}`: {e}", display.display()),
                )
                .in_file(&display)
                .help(
                    "run the command in a book folder, or pass the folder that holds `book.toml`",
                )]));
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

    /// The book described by an mdBook configuration rooted at `root`.
    /// `toml_source` is the text of `book.toml` when the caller read it
    /// (used only to point diagnostics at keys).
    pub fn from_config(root: &Path, md: &MdConfig, toml_source: Option<&Arc<Source>>) -> Book {
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
            config,
            teams,
            diags,
            config_source: toml_source.cloned(),
        }
    }

    /// A diagnostic about the configuration, pointed at the
    /// `[preprocessor.goals]` table when `book.toml` was read.
    pub fn config_diagnostic(&self, d: Diagnostic) -> Diagnostic {
        match &self.config_source {
            Some(src) => match crate::config::locate_key(src.text(), "") {
                Some(span) => d.at(src, span),
                None => d.in_file(src.path()),
            },
            None => d.in_file(Path::new("book.toml")),
        }
    }

    pub fn parse_context(&self) -> ParseContext<'_> {
        ParseContext {
            config: &self.config,
            teams: self.teams.as_ref(),
        }
    }

    /// The period folders directly under the source folder, sorted.
    pub fn periods(&self) -> Vec<String> {
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

    /// Loads one period.
    pub fn load(&self, period: &str) -> Slate {
        Slate::load(
            &self.src.join(period),
            &self.src_display.join(period),
            period,
            self.src.canonicalize().ok().as_deref(),
            self.parse_context(),
        )
    }
}

/// A path without leading `./` components.
pub fn tidy(path: &Path) -> PathBuf {
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
