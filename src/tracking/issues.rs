//! `mdbook-goals tracking-issues PERIOD_DIR [--apply]` (SPEC §12.3): bring
//! the tracking issues of a period's accepted goals in line with the goal
//! files.
//!
//! The run has two halves. [`plan`] compares what each goal file asks for
//! (title, labels, milestone, assignees, body) with the issues' current
//! state (as the period's snapshot saw it for the plan alone, as GitHub
//! has it for `--apply`), and changes nothing. [`apply`] carries a plan out through
//! [`crate::github`], one change at a time, and writes the number of each
//! created issue into its goal file right after GitHub created it, so a run
//! that stops half-way leaves the goal files consistent with GitHub.
//!
//! Nothing is ever closed, deleted or taken away: labels and assignees are
//! only added, and boxes ticked on GitHub stay ticked. The body is a pure
//! function of the goal file (and of the boxes ticked on GitHub), so a
//! second run right after the first plans nothing.

use super::{Issue, Snapshot};
use crate::book::Book;
use crate::diagnostic::{Code, Diagnostics, Severity};
use crate::github::{self, Client, IssueFields, MilestoneRef, SetupError, Token};
use crate::goal::{AskLevel, Goal, IssueRef, Status};
use crate::render::escape::{link, prose, text};
use crate::slate::Slate;
use pulldown_cmark::{Event, Parser};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The label every tracking issue carries.
pub(crate) const TRACKING_LABEL: &str = "C-tracking-issue";
/// The label of goals that belong to a roadmap.
pub(crate) const ROADMAP_LABEL: &str = "Roadmap Goal";
/// The colour of the labels the command creates.
pub(crate) const LABEL_COLOR: &str = "ededed";

/// What one goal wants its tracking issue to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Wanted {
    pub title: String,
    /// `C-tracking-issue`, `T-<team>` by team, `Roadmap Goal`.
    pub labels: Vec<String>,
    /// Logins without `@`, sorted case-insensitively.
    pub assignees: Vec<String>,
    /// The body, ticks of the goal file included (not yet those of GitHub).
    pub body: Body,
}

/// An issue body as the command writes it: lines, some of them boxes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Body {
    lines: Vec<Line>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Line {
    Text(String),
    /// `- [ ] text` or `- [x] text`.
    Box {
        done: bool,
        text: String,
    },
}

impl Body {
    /// The body with the boxes whose text is ticked on GitHub ticked too.
    pub(crate) fn render(&self, ticked: &BTreeSet<String>) -> String {
        let mut out = String::new();
        for line in &self.lines {
            match line {
                Line::Text(t) => out.push_str(t),
                Line::Box { done, text } => {
                    let tick = *done || ticked.contains(&box_key(text));
                    out.push_str(if tick { "- [x] " } else { "- [ ] " });
                    out.push_str(text);
                }
            }
            out.push('\n');
        }
        out
    }
}

/// How two box texts are matched: blanks collapsed.
fn box_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The texts of the boxes ticked in a markdown body (found by the markdown
/// parser: a `- [x]` inside code is not a box).
pub(crate) fn ticked_boxes(body: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parser = Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TASKLISTS);
    for (event, range) in parser.into_offset_iter() {
        if let Event::TaskListMarker(true) = event {
            let rest = &body[range.end..];
            let line = rest.split(['\n', '\r']).next().unwrap_or("");
            out.insert(box_key(line));
        }
    }
    out
}

/// Whether a goal has its tracking issue managed by the command.
fn is_managed(goal: &Goal) -> bool {
    goal.status() == Some(Status::Accepted)
}

/// What `goal` wants its issue to be.
pub(crate) fn wanted(book: &Book, goal: &Goal) -> Wanted {
    let mut labels = vec![TRACKING_LABEL.to_string()];
    labels.extend(goal.teams_asked().iter().map(|t| format!("T-{t}")));
    if goal.is_flagship() {
        labels.push(ROADMAP_LABEL.to_string());
    }
    let mut logins: BTreeMap<String, String> = BTreeMap::new();
    let poc = goal.point_of_contact().and_then(|p| p.strip_prefix('@'));
    for login in poc.into_iter().chain(
        goal.task_owners()
            .into_iter()
            .filter_map(|o| o.strip_prefix('@')),
    ) {
        logins
            .entry(login.to_lowercase())
            .or_insert_with(|| login.to_string());
    }
    Wanted {
        title: one_line(&goal.title),
        labels,
        assignees: logins.into_values().collect(),
        body: body(book, goal),
    }
}

/// Text for a title or a terminal: control characters and line breaks
/// turned into spaces, blanks at the ends dropped.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn body(book: &Book, goal: &Goal) -> Body {
    let mut lines = vec![
        Line::Text("| Metadata | |".into()),
        Line::Text("| --- | --- |".into()),
    ];
    if let Some(poc) = goal.point_of_contact() {
        lines.push(Line::Text(format!("| Point of contact | {} |", text(poc))));
    }
    let teams: Vec<String> = goal.teams_asked().iter().map(|t| text(t)).collect();
    if !teams.is_empty() {
        lines.push(Line::Text(format!("| Teams | {} |", teams.join(", "))));
    }
    let url = crate::export::page_url(book, &goal.file);
    let page = link(&crate::render::escape::label(&goal.title), &url);
    // `label` escapes `|` and `destination` encodes it: the cell holds.
    lines.push(Line::Text(format!("| Goal page | {page} |")));
    if let Some(summary) = &goal.summary {
        lines.push(Line::Text(String::new()));
        lines.push(Line::Text("## Summary".into()));
        lines.push(Line::Text(String::new()));
        lines.push(Line::Text(prose(summary)));
    }
    lines.push(Line::Text(String::new()));
    lines.push(Line::Text("## Tasks and status".into()));
    let mut groups: Vec<(Option<usize>, Vec<Line>)> = vec![(None, Vec::new())];
    groups.extend((0..goal.subgoals.len()).map(|i| (Some(i), Vec::new())));
    for task in &goal.tasks {
        let t = one_line(&prose(&task.text));
        if t.is_empty() {
            continue;
        }
        let at = task.subgoal.map_or(0, |i| i + 1);
        if let Some((_, items)) = groups.get_mut(at) {
            items.push(Line::Box {
                done: task.done,
                text: t,
            });
        }
    }
    for ask in &goal.asks {
        let level = match &ask.level {
            AskLevel::Size(Some(s)) => s.as_str().to_string(),
            AskLevel::Size(None) => String::new(),
            AskLevel::Kind(k) => k.clone(),
        };
        let mut t = format!("Team ask: {}", text(&ask.team.value));
        if !level.is_empty() {
            let _ = write!(t, ", {}", text(&level));
        }
        let notes = one_line(&prose(&ask.notes));
        if !notes.is_empty() {
            let _ = write!(t, " — {notes}");
        }
        let at = ask.subgoal.map_or(0, |i| i + 1);
        if let Some((_, items)) = groups.get_mut(at) {
            items.push(Line::Box {
                done: ask.done,
                text: t,
            });
        }
    }
    for (subgoal, items) in groups {
        if items.is_empty() {
            continue;
        }
        lines.push(Line::Text(String::new()));
        if let Some(s) = subgoal.and_then(|i| goal.subgoals.get(i)) {
            lines.push(Line::Text(format!("### {}", one_line(&prose(&s.title)))));
            lines.push(Line::Text(String::new()));
        }
        lines.extend(items);
    }
    Body { lines }
}

/// The fields of a snapshot's issue that an edit can change.
fn fields_of(i: Issue) -> IssueFields {
    IssueFields {
        title: i.title,
        labels: i.labels,
        assignees: i.assignees,
        milestone: i.milestone,
        body: i.body.unwrap_or_default(),
    }
}

/// What the repository has, as far as the plan needs it.
#[derive(Clone, Debug, Default)]
pub(crate) struct RepoState {
    /// Label names.
    pub labels: Vec<String>,
    /// The period's milestone, when it exists (`number` 0 when read
    /// offline, where only its title is known).
    pub milestone: Option<MilestoneRef>,
    /// Existing issues by number.
    pub issues: BTreeMap<u64, IssueFields>,
}

/// What to do with one goal's issue.
#[derive(Clone, Debug)]
pub(crate) enum Action {
    Create(Box<Wanted>),
    Update {
        number: u64,
        changes: Box<Changes>,
    },
    #[allow(dead_code, reason = "the number is read only in the debug form")]
    Unchanged {
        number: u64,
    },
    /// The issue is not in the state planned against (only for the plan
    /// alone: the snapshot lacks it), so it is not compared.
    NotCompared {
        number: u64,
    },
}

/// What differs on an existing issue; `None`/empty: nothing to change.
#[derive(Clone, Debug, Default)]
pub(crate) struct Changes {
    /// (old, new)
    pub title: Option<(String, String)>,
    /// Labels to add; the issue keeps its others.
    pub add_labels: Vec<String>,
    /// Every label the issue will carry (its own and the added ones).
    pub labels: Vec<String>,
    /// (old, new)
    pub milestone: Option<(Option<String>, String)>,
    pub add_assignees: Vec<String>,
    pub assignees: Vec<String>,
    /// (old, new)
    pub body: Option<(String, String)>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.add_labels.is_empty()
            && self.milestone.is_none()
            && self.add_assignees.is_empty()
            && self.body.is_none()
    }
}

/// One goal in the plan.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// The goal file, relative to the book's source folder.
    pub file: String,
    /// The goal file on disk.
    pub path: PathBuf,
    pub action: Action,
}

/// The plan of a run.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    pub repository: String,
    /// The milestone's title: the period's name.
    pub milestone: String,
    /// Labels to create, in the order first needed.
    pub create_labels: Vec<String>,
    pub create_milestone: bool,
    pub items: Vec<Item>,
    /// The milestone's number when it exists.
    milestone_number: Option<u64>,
}

/// Adds what `want` lacks to `have` (case-insensitively): (added, all).
fn union(have: &[String], want: &[String]) -> (Vec<String>, Vec<String>) {
    let known: BTreeSet<String> = have.iter().map(|s| s.to_lowercase()).collect();
    let mut seen = known.clone();
    let added: Vec<String> = want
        .iter()
        .filter(|w| seen.insert(w.to_lowercase()))
        .cloned()
        .collect();
    let mut all = have.to_vec();
    all.extend(added.iter().cloned());
    (added, all)
}

/// Compares the managed goals of `slate` with `state`.
pub(crate) fn plan(book: &Book, slate: &Slate, repository: &str, state: &RepoState) -> Plan {
    let mut create_labels: Vec<String> = Vec::new();
    let mut known: BTreeSet<String> = state.labels.iter().map(|l| l.to_lowercase()).collect();
    let mut items = Vec::new();
    for goal in slate.goals.iter().filter(|g| is_managed(g)) {
        let want = wanted(book, goal);
        for l in &want.labels {
            if known.insert(l.to_lowercase()) {
                create_labels.push(l.clone());
            }
        }
        let number = goal
            .metadata
            .tracking_issue
            .as_ref()
            .map(|i| i.value.number);
        let action = match number.map(|n| (n, state.issues.get(&n))) {
            None => Action::Create(Box::new(want)),
            Some((n, None)) => Action::NotCompared { number: n },
            Some((n, Some(current))) => {
                let changes = diff(&want, current, &slate.name);
                if changes.is_empty() {
                    Action::Unchanged { number: n }
                } else {
                    Action::Update {
                        number: n,
                        changes: Box::new(changes),
                    }
                }
            }
        };
        items.push(Item {
            file: goal.file.clone(),
            path: goal.source.path().to_path_buf(),
            action,
        });
    }
    let needs_milestone = items
        .iter()
        .any(|i| matches!(i.action, Action::Create(_) | Action::Update { .. }));
    let create_milestone = state.milestone.is_none() && needs_milestone;
    if !needs_milestone {
        create_labels.clear();
    }
    Plan {
        repository: repository.to_string(),
        milestone: slate.name.clone(),
        create_labels,
        create_milestone,
        items,
        milestone_number: state.milestone.as_ref().map(|m| m.number),
    }
}

fn diff(want: &Wanted, current: &IssueFields, milestone: &str) -> Changes {
    let mut c = Changes::default();
    if current.title != want.title {
        c.title = Some((current.title.clone(), want.title.clone()));
    }
    (c.add_labels, c.labels) = union(&current.labels, &want.labels);
    (c.add_assignees, c.assignees) = union(&current.assignees, &want.assignees);
    if current.milestone.as_deref() != Some(milestone) {
        c.milestone = Some((current.milestone.clone(), milestone.to_string()));
    }
    // GitHub may store the body with `\r\n` and without the final line
    // break: neither is a difference.
    let old = current.body.replace("\r\n", "\n");
    let new = want.body.render(&ticked_boxes(&old));
    if old.trim_end() != new.trim_end() {
        c.body = Some((old, new));
    }
    c
}

impl Plan {
    /// Whether the plan changes anything.
    pub(crate) fn is_empty(&self) -> bool {
        self.create_labels.is_empty()
            && !self.create_milestone
            && self.items.iter().all(|i| {
                matches!(
                    i.action,
                    Action::Unchanged { .. } | Action::NotCompared { .. }
                )
            })
    }

    /// The plan as text, one block per change.
    pub(crate) fn describe(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "tracking issues of {} in {}:",
            self.milestone, self.repository
        );
        for l in &self.create_labels {
            let _ = writeln!(out, "create label `{}`", one_line(l));
        }
        if self.create_milestone {
            let _ = writeln!(out, "create milestone `{}`", one_line(&self.milestone));
        }
        let mut unchanged = 0;
        for item in &self.items {
            match &item.action {
                Action::Create(w) => {
                    let _ = writeln!(out, "create an issue for {}: {}", item.file, w.title);
                    let _ = writeln!(out, "    labels: {}", w.labels.join(", "));
                    if !w.assignees.is_empty() {
                        let _ = writeln!(out, "    assignees: {}", at_list(&w.assignees));
                    }
                    let _ = writeln!(
                        out,
                        "    body: {} lines",
                        w.body.render(&BTreeSet::new()).lines().count()
                    );
                }
                Action::Update { number, changes: c } => {
                    let _ = writeln!(out, "update {}#{number} ({}):", self.repository, item.file);
                    if let Some((old, new)) = &c.title {
                        let _ = writeln!(out, "    title: {} → {}", one_line(old), new);
                    }
                    if !c.add_labels.is_empty() {
                        let _ = writeln!(out, "    labels: add {}", c.add_labels.join(", "));
                    }
                    if let Some((old, new)) = &c.milestone {
                        let old = old.as_deref().map_or("none".into(), one_line);
                        let _ = writeln!(out, "    milestone: {old} → {new}");
                    }
                    if !c.add_assignees.is_empty() {
                        let _ = writeln!(out, "    assignees: add {}", at_list(&c.add_assignees));
                    }
                    if let Some((old, new)) = &c.body {
                        let _ = writeln!(
                            out,
                            "    body: {} → {} lines, {} → {} boxes",
                            old.lines().count(),
                            new.lines().count(),
                            boxes(old),
                            boxes(new)
                        );
                    }
                }
                Action::Unchanged { .. } => unchanged += 1,
                Action::NotCompared { number } => {
                    let _ = writeln!(
                        out,
                        "not compared: {}#{number} ({}) is not in the snapshot",
                        self.repository, item.file
                    );
                }
            }
        }
        if unchanged > 0 {
            let _ = writeln!(
                out,
                "up to date: {}",
                crate::grammar::count(unchanged, "issue")
            );
        }
        out
    }
}

fn at_list(logins: &[String]) -> String {
    logins
        .iter()
        .map(|l| format!("@{l}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn boxes(body: &str) -> usize {
    super::progress::tasks(body).1
}

/// How to run the command.
pub(crate) struct RunOptions {
    /// Overrides the book's `api-url`.
    pub api_url: Option<String>,
    pub max_wait: Duration,
    /// `None`: no token was found (or none was looked for).
    pub token: Option<Token>,
}

/// Why the command stopped.
#[derive(Debug)]
pub(crate) enum RunError {
    /// A usage error (not a period, no repository, a bad API URL).
    Usage(String),
    /// The period has errors; nothing was sent.
    Book(Diagnostics),
    /// Any other failure, as one line.
    Failed(String),
}

/// A loaded period, ready to plan.
pub(crate) struct Prepared {
    pub book: Book,
    pub slate: Slate,
    pub repository: String,
}

/// Opens the period and refuses what must stop the run before anything is
/// sent: errors of the period (two goals naming one issue among them),
/// except the missing tracking issues the run is there to create.
pub(crate) fn prepare(period_dir: &Path) -> Result<Prepared, RunError> {
    let (book, period) = Book::open_period(period_dir).map_err(|e| match e.usage() {
        Ok(m) => RunError::Usage(m),
        Err(d) => RunError::Book(d),
    })?;
    if book.diags.has_errors() {
        return Err(RunError::Book(book.diags));
    }
    let slate = book.load_without_tracking(&period);
    let all = slate.diagnostics();
    let blocking = all
        .iter()
        .any(|d| d.severity() == Severity::Error && d.code != Code::MissingTrackingIssue);
    if blocking {
        let mut diags: Diagnostics = all
            .into_vec()
            .into_iter()
            .filter(|d| d.code != Code::MissingTrackingIssue)
            .collect();
        diags.sort();
        return Err(RunError::Book(diags));
    }
    let Some(repository) = book.config.repository.clone() else {
        return Err(RunError::Usage(
            "the book names no repository for tracking issues: set `repository = \"org/repo\"` under `[preprocessor.goals]` in book.toml".into(),
        ));
    };
    Ok(Prepared {
        book,
        slate,
        repository,
    })
}

/// The numbers of the existing issues the managed goals name.
fn named_numbers(slate: &Slate) -> Vec<u64> {
    let set: BTreeSet<u64> = slate
        .goals
        .iter()
        .filter(|g| is_managed(g))
        .filter_map(|g| g.metadata.tracking_issue.as_ref().map(|i| i.value.number))
        .collect();
    set.into_iter().collect()
}

/// The state of the repository as the period's snapshot saw it: its issues,
/// and as labels and milestone those the snapshot's issues carry.
pub(crate) fn offline_state(p: &Prepared) -> Result<RepoState, RunError> {
    let mut state = RepoState::default();
    // Without a snapshot nothing is known: every issue is "not compared",
    // and the labels and the milestone are to be created.
    let Some(snapshot) =
        Snapshot::load(&p.book.root, &p.book.config, &p.slate.name).map_err(RunError::Book)?
    else {
        return Ok(state);
    };
    let mut labels = BTreeSet::new();
    for issue in snapshot.issues {
        if !issue.repository.eq_ignore_ascii_case(&p.repository) {
            continue;
        }
        labels.extend(issue.labels.iter().cloned());
        if issue.milestone.as_deref() == Some(p.slate.name.as_str()) {
            state.milestone = Some(MilestoneRef {
                number: 0,
                title: p.slate.name.clone(),
            });
        }
        state.issues.insert(issue.number, fields_of(issue));
    }
    state.labels = labels.into_iter().collect();
    Ok(state)
}

/// A client for the book's API.
pub(crate) fn client(
    p: &Prepared,
    options: &RunOptions,
    notify: Box<dyn Fn(&str) + Send + Sync>,
) -> Result<Client, RunError> {
    let api_url = options
        .api_url
        .clone()
        .unwrap_or_else(|| p.book.config.api_url.clone());
    Client::connect(api_url, options.max_wait, options.token.clone(), notify).map_err(|e| match e {
        SetupError::NoToken => RunError::Failed(e.to_string()),
        SetupError::BadUrl(_) => RunError::Usage(e.to_string()),
    })
}

/// The state of the repository, from GitHub: labels, milestones, and the
/// issues the goals name (a missing one is an error naming its goal).
pub(crate) fn online_state(p: &Prepared, client: &Client) -> Result<RepoState, RunError> {
    let failed = |e: github::Error| RunError::Failed(e.to_string());
    let labels = client.labels(&p.repository).map_err(failed)?;
    let milestone = client
        .milestones(&p.repository)
        .map_err(failed)?
        .into_iter()
        .find(|m| m.title == p.slate.name);
    let numbers = named_numbers(&p.slate);
    let issues = client
        .issues_fields(&p.repository, &numbers)
        .map_err(|(i, e)| match e {
            github::Error::NotFound { url } => {
                let n = numbers[i];
                let place = p
                    .slate
                    .goals
                    .iter()
                    .find_map(|g| {
                        let r = g.metadata.tracking_issue.as_ref()?;
                        (r.value.number == n).then(|| {
                            let at = g.source.line_col(r.span.start);
                            format!("{}:{at}", g.source.path().display())
                        })
                    })
                    .unwrap_or_default();
                RunError::Failed(format!(
                    "the tracking issue `{}#{n}` named at {place} does not exist, or the token cannot see it (404 Not Found at {url})",
                    p.repository
                ))
            }
            other => failed(other),
        })?;
    Ok(RepoState {
        labels,
        milestone,
        issues: numbers.into_iter().zip(issues).collect(),
    })
}

/// Carries `plan` out. `done` is told each step as it completes (a created
/// issue after its number is in its goal file). Stops at the first failure.
pub(crate) fn apply(
    plan: &Plan,
    client: &Client,
    done: &mut dyn FnMut(&str),
) -> Result<(), RunError> {
    let repo = &plan.repository;
    let failed = |what: String, e: github::Error| RunError::Failed(format!("{what}: {e}"));
    for l in &plan.create_labels {
        let created = client
            .create_label(repo, l, LABEL_COLOR)
            .map_err(|e| failed(format!("cannot create the label `{l}`"), e))?;
        done(&if created {
            format!("created the label `{l}`")
        } else {
            format!("the label `{l}` exists already")
        });
    }
    let milestone = if plan.create_milestone {
        let m = client
            .create_milestone(repo, &plan.milestone)
            .map_err(|e| {
                failed(
                    format!("cannot create the milestone `{}`", plan.milestone),
                    e,
                )
            })?;
        done(&format!("created the milestone `{}`", plan.milestone));
        Some(m.number)
    } else {
        plan.milestone_number
    };
    for item in &plan.items {
        match &item.action {
            Action::Unchanged { .. } | Action::NotCompared { .. } => {}
            Action::Create(w) => {
                let mut fields = json!({
                    "title": w.title,
                    "body": w.body.render(&BTreeSet::new()),
                    "labels": w.labels,
                    "assignees": w.assignees,
                });
                if let Some(m) = milestone {
                    fields["milestone"] = json!(m);
                }
                let number = client
                    .create_issue(repo, &fields)
                    .map_err(|e| failed(format!("cannot create the issue of {}", item.file), e))?;
                let issue = IssueRef {
                    repository: repo.clone(),
                    number,
                };
                write_issue_row(&item.path, &issue).map_err(|e| {
                    RunError::Failed(format!(
                        "created {issue} for {}, but cannot write its number into `{}`: {e}; add `| Tracking issue | [{issue}] |` to its metadata by hand",
                        item.file,
                        item.path.display()
                    ))
                })?;
                done(&format!(
                    "created {issue} for {} and wrote it into `{}`",
                    item.file,
                    item.path.display()
                ));
            }
            Action::Update { number, changes: c } => {
                let mut fields = serde_json::Map::new();
                if let Some((_, new)) = &c.title {
                    fields.insert("title".into(), json!(new));
                }
                if !c.add_labels.is_empty() {
                    fields.insert("labels".into(), json!(c.labels));
                }
                if !c.add_assignees.is_empty() {
                    fields.insert("assignees".into(), json!(c.assignees));
                }
                if c.milestone.is_some()
                    && let Some(m) = milestone
                {
                    fields.insert("milestone".into(), json!(m));
                }
                if let Some((_, new)) = &c.body {
                    fields.insert("body".into(), json!(new));
                }
                client
                    .update_issue(repo, *number, &Value::Object(fields))
                    .map_err(|e| failed(format!("cannot update {repo}#{number}"), e))?;
                done(&format!("updated {repo}#{number} ({})", item.file));
            }
        }
    }
    Ok(())
}

/// Writes `issue` into the `Tracking issue` row of the goal file at `path`
/// (adding the row at the end of the metadata table when there is none):
/// only that row changes, and the file keeps its line endings.
pub(crate) fn write_issue_row(path: &Path, issue: &IssueRef) -> std::io::Result<()> {
    let bytes =
        crate::source::read_bounded(path).map_err(|e| std::io::Error::other(e.describe()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not valid UTF-8")
    })?;
    let new = with_issue_row(&text, issue).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "it has no `| Metadata | |` table",
        )
    })?;
    // The goal file is an input of the book, edited here on purpose: one row.
    crate::output::write_atomic(path, new.as_bytes(), &crate::output::Inputs::none())
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// `text` with `issue` in its first metadata table's `Tracking issue` row;
/// `None` when there is no metadata table. Works on the file's own lines,
/// whatever their endings (`\n`, `\r\n`, `\r`).
pub(crate) fn with_issue_row(text: &str, issue: &IssueRef) -> Option<String> {
    let value = format!("[{issue}]");
    // Lines with their endings.
    let mut lines: Vec<&str> = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => i + 2,
            b'\r' | b'\n' => i + 1,
            _ => {
                i += 1;
                continue;
            }
        };
        lines.push(&text[start..end]);
        start = end;
        i = end;
    }
    if start < text.len() {
        lines.push(&text[start..]);
    }
    let body = |l: &str| l.trim_end_matches(['\r', '\n']).to_string();
    let first_cell = |l: &str| {
        let t = l.trim();
        t.strip_prefix('|')
            .and_then(|r| r.split('|').next())
            .map(|c| crate::markdown::normalize_name(c.trim()))
    };
    let header = lines
        .iter()
        .position(|l| l.trim().starts_with('|') && first_cell(l).as_deref() == Some("metadata"))?;
    let mut last = header;
    let mut row = None;
    for (k, l) in lines.iter().enumerate().skip(header + 1) {
        if !l.trim().starts_with('|') {
            break;
        }
        last = k;
        if row.is_none() && first_cell(l).as_deref() == Some("tracking issue") {
            row = Some(k);
        }
    }
    let eol = |l: &str| l[body(l).len()..].to_string();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match row {
        Some(k) => {
            let line = body(lines[k]);
            // Keep the row's own name cell and indentation.
            let second = line.match_indices('|').nth(1).map(|(at, _)| at)?;
            out[k] = format!("{} {value} |{}", &line[..=second], eol(lines[k]));
        }
        None => {
            let mut ending = eol(lines[last]);
            let here = if ending.is_empty() {
                // The table ends the file without a line break.
                ending = eol(lines[header]);
                out[last].push_str(&ending);
                String::new()
            } else {
                ending.clone()
            };
            let indent: String = lines[last]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            out.insert(
                last + 1,
                format!("{indent}| Tracking issue | {value} |{here}"),
            );
        }
    }
    Some(out.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: u64) -> IssueRef {
        IssueRef {
            repository: "o/r".into(),
            number: n,
        }
    }

    #[test]
    fn fills_an_empty_row_and_keeps_line_endings() {
        let crlf = "# T\r\n\r\n| Metadata | |\r\n|---|---|\r\n| Tracking issue | |\r\n| Status | Accepted |\r\n\r\nText\r\n";
        let out = with_issue_row(crlf, &r(7)).unwrap();
        assert_eq!(
            out,
            "# T\r\n\r\n| Metadata | |\r\n|---|---|\r\n| Tracking issue | [o/r#7] |\r\n| Status | Accepted |\r\n\r\nText\r\n"
        );
    }

    #[test]
    fn adds_the_row_at_the_end_of_the_table() {
        let lf = "# T\n\n| Metadata | |\n|---|---|\n| Status | Accepted |\n\n| Metadata | |\n";
        assert_eq!(
            with_issue_row(lf, &r(9)).unwrap(),
            "# T\n\n| Metadata | |\n|---|---|\n| Status | Accepted |\n| Tracking issue | [o/r#9] |\n\n| Metadata | |\n"
        );
        let at_end = "| Metadata | |\r\n|---|---|\r\n| Status | Accepted |";
        assert_eq!(
            with_issue_row(at_end, &r(1)).unwrap(),
            "| Metadata | |\r\n|---|---|\r\n| Status | Accepted |\r\n| Tracking issue | [o/r#1] |"
        );
        assert_eq!(with_issue_row("# no table\n", &r(1)), None);
    }

    #[test]
    fn ticked_boxes_are_found_by_the_parser() {
        let body = "- [x] One  thing\n- [ ] Two\n\n```\n- [x] not a box\n```\n- [X] Three\n";
        let t = ticked_boxes(body);
        assert_eq!(
            t.into_iter().collect::<Vec<_>>(),
            ["One thing", "Three"].map(String::from)
        );
    }
}

#[cfg(test)]
mod corpus;
