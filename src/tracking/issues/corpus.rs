//! Planning on the real corpus: both formats, every accepted goal.

use super::{Action, RepoState, plan, prepare, wanted};
use crate::github::IssueFields;
use crate::goal::Status;
use crate::tracking::progress::tasks;
use std::collections::BTreeSet;
use std::path::Path;

/// Both corpus periods (current and legacy format): every accepted goal
/// wants a body with one box per work item and team ask (ticked as the file
/// says), and against blank issues the plan updates each, the same twice.
#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn corpus_periods_plan_every_accepted_goal() {
    for period in ["2026", "2024h2"] {
        let p = prepare(&Path::new("../shared/corpus/src").join(period))
            .unwrap_or_else(|_| panic!("{period} cannot be planned"));
        let accepted: Vec<_> = p
            .slate
            .goals
            .iter()
            .filter(|g| g.status() == Some(Status::Accepted))
            .collect();
        assert!(accepted.len() > 10, "{period}");
        let mut state = RepoState::default();
        for goal in &accepted {
            let w = wanted(&p.book, goal);
            let body = w.body.render(&BTreeSet::new());
            let items = |done: bool| {
                goal.tasks
                    .iter()
                    .filter(|t| !t.text.trim().is_empty() && (t.done || !done))
                    .count()
                    + goal.asks.iter().filter(|a| a.done || !done).count()
            };
            assert_eq!(
                tasks(&body),
                (items(true), items(false)),
                "{}: {body}",
                goal.file
            );
            assert!(w.labels.iter().any(|l| l == "C-tracking-issue"));
            let number = goal.metadata.tracking_issue.as_ref().unwrap().value.number;
            state.issues.insert(
                number,
                IssueFields {
                    title: String::new(),
                    labels: Vec::new(),
                    assignees: Vec::new(),
                    milestone: None,
                    body: String::new(),
                },
            );
        }
        let first = plan(&p.book, &p.slate, &p.repository, &state);
        let second = plan(&p.book, &p.slate, &p.repository, &state);
        assert_eq!(first.describe(), second.describe());
        assert_eq!(first.items.len(), accepted.len(), "{period}");
        assert!(first.create_milestone);
        for item in &first.items {
            let Action::Update { changes, .. } = &item.action else {
                panic!("{}: {:?}", item.file, item.action);
            };
            assert!(changes.body.is_some() && changes.title.is_some());
        }
    }
}
