//! The snapshot file `<tracking-data>/<period>.json` (SPEC §12.2).
//!
//! One JSON object, pretty-printed with sorted keys so it diffs well:
//! `schema_version`, `fetched_at` and `issues`, each issue with GitHub's own
//! field names and its comments. [`Snapshot::to_json`] gives the same bytes
//! for the same data, whatever order the issues were fetched in.

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::goal::IssueRef;
use crate::goal::values::issue_key;
use crate::source::{ReadError, Source};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The version of the format this tool reads and writes.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// `open` or `closed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Open,
    Closed,
}

/// A tracking issue (or pull request) with its comments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// `owner/repo`.
    pub repository: String,
    pub number: u64,
    pub title: String,
    pub state: State,
    /// GitHub's `state_reason`: `completed`, `not_planned`, `reopened`, …
    pub state_reason: Option<String>,
    pub html_url: String,
    /// Label names.
    pub labels: Vec<String>,
    /// Assignee logins.
    pub assignees: Vec<String>,
    /// The milestone's title.
    pub milestone: Option<String>,
    pub body: Option<String>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// Sorted by `created_at`, then `id`.
    pub comments: Vec<Comment>,
}

/// A comment of a tracking issue: a status update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: u64,
    /// GitHub's GraphQL id, used to ask whether the comment is minimized.
    pub node_id: String,
    /// The author's login (`None` for a deleted account).
    pub author: Option<String>,
    /// `OWNER`, `MEMBER`, `CONTRIBUTOR`, `NONE`, …
    pub author_association: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub html_url: String,
    pub body: String,
    /// Hidden on GitHub ("minimized"): not an update.
    pub minimized: bool,
}

/// A period's tracking data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema_version: u32,
    /// When the data was fetched, by GitHub's clock: the only "now" of
    /// everything built from the snapshot.
    pub fetched_at: Timestamp,
    /// Sorted by repository (case-insensitive) and number.
    pub issues: Vec<Issue>,
}

impl Snapshot {
    /// A snapshot of `issues`, put in the file's order.
    pub fn new(fetched_at: Timestamp, mut issues: Vec<Issue>) -> Snapshot {
        for issue in &mut issues {
            issue.comments.sort_by_key(|c| (c.created_at, c.id));
        }
        issues.sort_by_cached_key(|i| issue_key(&i.repository, i.number));
        Snapshot {
            schema_version: SCHEMA_VERSION,
            fetched_at,
            issues,
        }
    }

    /// The issue a goal's `Tracking issue` names, if the snapshot has it.
    pub(crate) fn issue(&self, r: &IssueRef) -> Option<&Issue> {
        let key = r.key();
        self.issues
            .binary_search_by(|i| issue_key(&i.repository, i.number).cmp(&key))
            .ok()
            .map(|at| &self.issues[at])
    }

    /// A goal's tracking issue and its progress, when the snapshot has it.
    pub fn progress_of(&self, goal: &crate::goal::Goal) -> Option<(&Issue, super::Progress)> {
        let r = goal.metadata.tracking_issue.as_ref()?;
        let issue = self.issue(&r.value)?;
        Some((issue, super::progress(issue)))
    }

    /// The file's bytes: pretty-printed, keys sorted, a final newline.
    pub fn to_json(&self) -> String {
        // `serde_json::Value` keeps object keys sorted.
        let value = serde_json::to_value(self).unwrap_or_default();
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Where the snapshot of `period` lives.
    pub(crate) fn path(root: &Path, config: &Config, period: &str) -> PathBuf {
        root.join(&config.tracking_data)
            .join(format!("{period}.json"))
    }

    /// Reads the snapshot of `period` of the book at `root`: `None` when
    /// there is no such file, a located diagnostic when it cannot be read.
    pub fn load(
        root: &Path,
        config: &Config,
        period: &str,
    ) -> Result<Option<Snapshot>, Diagnostics> {
        let file = Snapshot::path(root, config, period);
        let display = crate::book::tidy(&crate::paths::display_path(&file));
        let error = |d: Diagnostic| Err(Diagnostics::from_iter([d]));
        let source = match Source::read(&file, &display) {
            Ok(s) => s,
            Err(ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                let mut d = e.into_diagnostic(
                    &display,
                    "the tracking snapshot is not valid UTF-8",
                    |why| format!("cannot read the tracking snapshot: {why}"),
                );
                d.code = Code::InvalidSnapshot;
                return error(d);
            }
        };
        Snapshot::parse(&source)
            .map(Some)
            .map_err(|d| Diagnostics::from_iter([*d]))
    }

    /// Parses a snapshot's text; a problem points at its line and column.
    pub(crate) fn parse(source: &std::sync::Arc<Source>) -> Result<Snapshot, Box<Diagnostic>> {
        let text = source.text();
        let help = "regenerate it with `mdbook-goals sync PERIOD_DIR`";
        let snapshot: Snapshot = match serde_json::from_str(text) {
            Ok(s) => s,
            Err(e) => {
                let at = offset(text, e.line(), e.column());
                let message = e.to_string();
                // serde_json appends " at line L column C"; the location is shown anyway.
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(m, _)| m);
                return Err(Box::new(
                    Diagnostic::new(
                        Code::InvalidSnapshot,
                        format!("the tracking snapshot cannot be read: {message}"),
                    )
                    .at(source, at..at)
                    .help(help),
                ));
            }
        };
        if snapshot.schema_version != SCHEMA_VERSION {
            let at = text.find("\"schema_version\"").unwrap_or(0);
            return Err(Box::new(
                Diagnostic::new(
                    Code::InvalidSnapshot,
                    format!(
                        "the tracking snapshot has schema version {}; this version of mdbook-goals reads version {SCHEMA_VERSION}",
                        snapshot.schema_version
                    ),
                )
                .at(source, at..at + "\"schema_version\"".len())
                .help(help),
            ));
        }
        // Lookups rely on the file's order; a hand-edited file may not keep it.
        Ok(Snapshot::new(snapshot.fetched_at, snapshot.issues))
    }
}

/// The byte offset of a 1-based line and column (in bytes, as serde_json
/// counts them; column 0 means "at the line's start").
fn offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let at = (start + column.saturating_sub(1)).min(text.len());
    crate::source::floor_char_boundary(text, at)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn issue(repository: &str, number: u64) -> Issue {
        Issue {
            repository: repository.into(),
            number,
            title: format!("Issue {number}"),
            state: State::Open,
            state_reason: None,
            html_url: format!("https://github.com/{repository}/issues/{number}"),
            labels: vec![],
            assignees: vec![],
            milestone: None,
            body: None,
            created_at: "2026-01-02T03:04:05Z".parse().unwrap(),
            closed_at: None,
            comments: vec![],
        }
    }

    fn comment(id: u64, at: &str) -> Comment {
        Comment {
            id,
            node_id: format!("IC_{id}"),
            author: Some("alice".into()),
            author_association: "MEMBER".into(),
            created_at: at.parse().unwrap(),
            updated_at: at.parse().unwrap(),
            html_url: format!("https://github.com/o/r/issues/1#issuecomment-{id}"),
            body: "update".into(),
            minimized: false,
        }
    }

    #[test]
    fn sorted_keys_and_order_whatever_the_input_order() {
        let mut a = issue("o/r", 2);
        a.comments = vec![
            comment(9, "2026-02-01T00:00:00Z"),
            comment(3, "2026-01-01T00:00:00Z"),
            comment(1, "2026-02-01T00:00:00Z"),
        ];
        let b = issue("O/a", 7);
        let at: Timestamp = "2026-03-01T12:00:00Z".parse().unwrap();
        let one = Snapshot::new(at, vec![a.clone(), b.clone()]);
        let two = Snapshot::new(at, vec![b, a]);
        assert_eq!(one.to_json(), two.to_json());
        assert_eq!(one.issues[0].repository, "O/a");
        let ids: Vec<u64> = one.issues[1].comments.iter().map(|c| c.id).collect();
        assert_eq!(ids, [3, 1, 9]);
        let json = one.to_json();
        assert!(json.starts_with("{\n  \"fetched_at\": \"2026-03-01T12:00:00Z\",\n  \"issues\": [\n    {\n      \"assignees\": [],\n      \"body\": null,\n      \"closed_at\": null,\n      \"comments\": [],\n"), "{json}");
        assert!(json.ends_with("  \"schema_version\": 1\n}\n"));
        // Round trip.
        let src = Source::new("t.json", json.clone());
        assert_eq!(Snapshot::parse(&src).unwrap(), one);
        // Lookup ignores the repository's case.
        let r = IssueRef::parse("o/A#7").unwrap();
        assert_eq!(one.issue(&r).unwrap().number, 7);
        assert!(one.issue(&IssueRef::parse("o/a#8").unwrap()).is_none());
    }

    #[test]
    fn errors_point_at_line_and_column() {
        let src = Source::new(
            "t.json",
            "{\n  \"schema_version\": 1,\n  \"fetched_at\": 5\n}\n",
        );
        let d = Snapshot::parse(&src).unwrap_err();
        let loc = d.location.as_ref().unwrap();
        assert_eq!(src.line_col(loc.span.start).line, 3);
        assert!(d.message.contains("invalid type"), "{}", d.message);
        let src = Source::new(
            "t.json",
            "{\"schema_version\": 2, \"fetched_at\": \"2026-01-01T00:00:00Z\", \"issues\": []}",
        );
        let d = Snapshot::parse(&src).unwrap_err();
        assert!(d.message.contains("schema version 2"));
    }
}
