//! `mdbook-goals sync PERIOD_DIR` (SPEC §12.1): fetch every tracking issue
//! the period's goal files name, with all comments, and write the snapshot.
//!
//! Everything is fetched first; the snapshot is written (atomically) only
//! when every issue came in, so a failed run leaves the old file as it was.

use super::Snapshot;
use crate::book::Book;
use crate::diagnostic::Diagnostics;
use crate::github::{self, Client, SetupError, Token};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How to run a sync.
pub struct SyncOptions {
    /// Overrides the book's `api-url`.
    pub api_url: Option<String>,
    /// The longest a rate limit may make the run wait.
    pub max_wait: Duration,
    /// `None`: no token was found.
    pub token: Option<Token>,
}

/// What a sync wrote.
#[derive(Debug)]
pub struct Synced {
    /// The snapshot file; `None` when the period names no tracking issue.
    pub path: Option<PathBuf>,
    pub issues: usize,
    pub comments: usize,
    pub minimized: usize,
    /// One-line warnings (the GraphQL request failed, …).
    pub warnings: Vec<String>,
}

/// Why nothing was written.
#[derive(Debug)]
pub enum SyncError {
    /// The folder is not a period of a book, or the API URL is not one (a
    /// usage error).
    NotAPeriod(String),
    /// The book could not be opened.
    Book(Diagnostics),
    /// Any other failure, as one line.
    Failed(String),
}

/// A tracking issue to fetch: as first written (repository and number),
/// and the issue and place a 404 names.
struct Wanted {
    issue: (String, u64),
    name: String,
    place: String,
}

/// Syncs the period in `period_dir`. `notify` shows a line (waits,
/// retries); `progress` is called with (issues done, issues in all).
pub fn sync_dir(
    period_dir: &Path,
    options: SyncOptions,
    notify: Box<dyn Fn(&str) + Send + Sync>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Synced, SyncError> {
    let (book, period) = Book::open_period(period_dir).map_err(|e| match e.usage() {
        Ok(m) => SyncError::NotAPeriod(m),
        Err(d) => SyncError::Book(d),
    })?;
    if book.diags.has_errors() {
        return Err(SyncError::Book(book.diags));
    }
    // The old snapshot is neither needed nor trusted here.
    let slate = book.load_without_tracking(&period);
    // The issue as GitHub tells issues apart (`IssueRef::key`) → as first
    // written and where, for a 404: each issue is fetched once.
    let mut wanted: BTreeMap<(String, u64), Wanted> = BTreeMap::new();
    for goal in &slate.goals {
        let Some(issue) = &goal.metadata.tracking_issue else {
            continue;
        };
        wanted.entry(issue.value.key()).or_insert_with(|| {
            let at = goal.source.line_col(issue.span.start);
            let place = format!("{}:{at}", goal.source.path().display());
            Wanted {
                issue: (issue.value.repository.clone(), issue.value.number),
                name: issue.value.to_string(),
                place,
            }
        });
    }
    if wanted.is_empty() {
        return Ok(Synced {
            path: None,
            issues: 0,
            comments: 0,
            minimized: 0,
            warnings: vec![format!(
                "no goal of `{period}` names a tracking issue; nothing to fetch, nothing written"
            )],
        });
    }
    let api_url = options
        .api_url
        .unwrap_or_else(|| book.config.api_url.clone());
    let client =
        Client::connect(api_url, options.max_wait, options.token, notify).map_err(|e| match e {
            SetupError::NoToken => SyncError::Failed(e.to_string()),
            SetupError::BadUrl(_) => SyncError::NotAPeriod(e.to_string()),
        })?;
    let wanted: Vec<Wanted> = wanted.into_values().collect();
    let refs: Vec<(String, u64)> = wanted.iter().map(|w| w.issue.clone()).collect();
    let total = refs.len();
    let mut issues = client
        .issues(&refs, &|done| progress(done, total))
        .map_err(|(i, e)| match e {
            github::Error::NotFound { url } => {
                let Wanted { name, place, .. } = &wanted[i];
                SyncError::Failed(format!(
                    "the tracking issue `{name}` named at {place} does not exist, or the token cannot see it (404 Not Found at {url})"
                ))
            }
            other => SyncError::Failed(other.to_string()),
        })?;
    let mut warnings = Vec::new();
    let node_ids: Vec<String> = issues
        .iter()
        .flat_map(|i| i.comments.iter().map(|c| c.node_id.clone()))
        .collect();
    let mut minimized = 0;
    if !node_ids.is_empty() {
        match client.minimized(&node_ids) {
            Ok(hidden) => {
                for c in issues.iter_mut().flat_map(|i| i.comments.iter_mut()) {
                    c.minimized = hidden.contains(&c.node_id);
                    minimized += usize::from(c.minimized);
                }
            }
            Err(e) => warnings.push(format!(
                "cannot ask GitHub which comments are hidden, so none is marked `minimized`: {e}"
            )),
        }
    }
    let fetched_at = client.latest_date().ok_or_else(|| {
        SyncError::Failed(
            "GitHub's responses carry no `Date` header, so the snapshot cannot be dated; nothing written"
                .into(),
        )
    })?;
    let comments = issues.iter().map(|i| i.comments.len()).sum();
    let snapshot = Snapshot::new(fetched_at, issues);
    let path = Snapshot::path(&book.root, &book.config, &period);
    let inputs = crate::output::Inputs::of_book(&book);
    crate::output::write_atomic(&path, snapshot.to_json().as_bytes(), &inputs)
        .map_err(|e| SyncError::Failed(e.to_string()))?;
    Ok(Synced {
        path: Some(path),
        issues: snapshot.issues.len(),
        comments,
        minimized,
        warnings,
    })
}
