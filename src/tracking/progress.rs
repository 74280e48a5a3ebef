//! The progress of a goal, from its tracking issue (SPEC §12.2).
//!
//! Tasks are the GFM task-list items of the issue body as the markdown
//! parser finds them: a `- [x]` inside a code block or an HTML comment is
//! not a task.

use super::snapshot::{Issue, State};
use pulldown_cmark::{Event, Options, Parser};

/// Where a goal stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// Open, with task-list items: `done` of `total` checked.
    Tasks { done: usize, total: usize },
    /// Open, without task-list items.
    InProgress,
    /// Closed with every box checked, or closed without boxes.
    Completed,
    /// Closed with boxes left unchecked.
    NotCompleted { reason: ClosedReason },
}

/// Why an issue closed with unchecked boxes, from GitHub's `state_reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClosedReason {
    /// `not_planned`.
    NotPlanned,
    /// `duplicate`.
    Duplicate,
    /// No reason, `completed` (the boxes say otherwise) or one this version
    /// does not know.
    Other,
}

/// Counts the checked and all task-list items of a markdown text.
pub(crate) fn tasks(body: &str) -> (usize, usize) {
    let mut done = 0;
    let mut total = 0;
    for event in Parser::new_ext(body, Options::ENABLE_TASKLISTS) {
        if let Event::TaskListMarker(checked) = event {
            total += 1;
            done += usize::from(checked);
        }
    }
    (done, total)
}

/// The progress of an issue.
pub(crate) fn progress(issue: &Issue) -> Progress {
    let (done, total) = tasks(issue.body.as_deref().unwrap_or(""));
    match issue.state {
        State::Open if total == 0 => Progress::InProgress,
        State::Open => Progress::Tasks { done, total },
        State::Closed if done == total => Progress::Completed,
        State::Closed => Progress::NotCompleted {
            reason: match issue.state_reason.as_deref() {
                Some("not_planned") => ClosedReason::NotPlanned,
                Some("duplicate") => ClosedReason::Duplicate,
                _ => ClosedReason::Other,
            },
        },
    }
}

impl Progress {
    /// The progress as plain text: `3/5`, `Completed`, …
    pub(crate) fn text(&self) -> String {
        match self {
            Progress::Tasks { done, total } => format!("{done}/{total}"),
            Progress::InProgress => "In progress".into(),
            Progress::Completed => "Completed".into(),
            Progress::NotCompleted {
                reason: ClosedReason::NotPlanned,
            } => "Closed, not planned".into(),
            Progress::NotCompleted {
                reason: ClosedReason::Duplicate,
            } => "Closed as a duplicate".into(),
            Progress::NotCompleted {
                reason: ClosedReason::Other,
            } => "Closed, not completed".into(),
        }
    }

    /// The text followed, for task counts, by an HTML `<progress>` bar (an
    /// addition for the site; the text alone carries the meaning). Both are
    /// built from numbers only.
    pub(crate) fn html(&self) -> String {
        match self {
            Progress::Tasks { done, total } => {
                format!("{done}/{total} <progress value=\"{done}\" max=\"{total}\"></progress>")
            }
            other => other.text(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tracking::snapshot::tests::issue;

    #[test]
    fn counts_task_items_but_not_code() {
        let body = "Intro\n\n- [x] one\n- [ ] two\n  - [X] nested\n\n```\n- [x] in code\n```\n\n    - [ ] indented code\n\n* [ ]not a task\n<!-- - [x] hidden -->\n";
        assert_eq!(tasks(body), (2, 3));
        assert_eq!(tasks(""), (0, 0));
    }

    #[test]
    fn states_follow_the_spec() {
        let mut i = issue("o/r", 1);
        i.body = Some("- [x] a\n- [ ] b\n".into());
        assert_eq!(progress(&i), Progress::Tasks { done: 1, total: 2 });
        assert_eq!(progress(&i).text(), "1/2");
        assert_eq!(
            progress(&i).html(),
            "1/2 <progress value=\"1\" max=\"2\"></progress>"
        );
        i.state = State::Closed;
        assert_eq!(progress(&i).text(), "Closed, not completed");
        i.state_reason = Some("not_planned".into());
        assert_eq!(progress(&i).text(), "Closed, not planned");
        i.body = Some("- [x] a\n- [x] b\n".into());
        assert_eq!(progress(&i), Progress::Completed);
        i.body = None;
        assert_eq!(progress(&i), Progress::Completed);
        i.state = State::Open;
        assert_eq!(progress(&i), Progress::InProgress);
        assert_eq!(progress(&i).html(), "In progress");
    }
}
