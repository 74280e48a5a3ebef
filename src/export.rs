//! `mdbook-goals export json` (SPEC §11): the slate as one JSON document,
//! built from the loaded [`Slate`] (no goal file is read twice).
//!
//! The layout is the set of Rust types below. They derive both `Serialize`
//! (the document) and `JsonSchema` (its published schema, `export json
//! --schema`), so the two cannot disagree. Every field is documented in the
//! book's reference; [`SCHEMA_VERSION`] changes with any incompatible
//! change. Places in goal files are given as `file:line`, the file relative
//! to the book's source folder, so a consumer can point back at the author's
//! line.

pub mod champions;

use crate::book::Book;
use crate::goal::{self, AskLevel, Cost, Funded, Goal};
use crate::roadmap::Roadmap;
use crate::slate::Slate;
use crate::source::{Source, Span};
use schemars::JsonSchema;
use serde::Serialize;

/// The version of the layout below.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// The whole slate of one period.
#[derive(Serialize, JsonSchema)]
#[schemars(title = "mdbook-goals slate export")]
pub struct SlateExport {
    /// Version of this layout; a consumer should refuse versions it does
    /// not know.
    pub schema_version: u32,
    /// The period folder's name, e.g. `2026`.
    pub period: String,
    /// Every goal file of the period, all statuses, sorted by file.
    pub goals: Vec<GoalExport>,
    /// Every roadmap of the period, sorted by file.
    pub roadmaps: Vec<RoadmapExport>,
}

/// One goal file.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Goal")]
pub struct GoalExport {
    /// The file, relative to the book's source folder (`2026/foo.md`).
    pub file: String,
    /// Where the goal's heading is, `file:line`.
    pub at: String,
    /// The goal's page on the site (absolute with `site-url`, else relative
    /// to the site's root).
    pub url: String,
    /// The heading, as written (markdown).
    pub title: String,
    /// `Short title`, else the heading.
    pub short_title: String,
    /// `Proposed`, `Accepted`, `Not accepted`, `Invited` or `Proposed for
    /// mentorship`; null when the status is missing or unreadable.
    pub status: Option<String>,
    /// Every status but `Not accepted`.
    pub live: bool,
    /// How the file writes its team asks.
    pub format: Option<FormatExport>,
    /// The `@user` of `Point of contact`.
    pub point_of_contact: Option<String>,
    /// `What and why`, else the first sentence of the summary (markdown).
    pub pitch: Option<String>,
    /// `Tracking issue`.
    pub tracking_issue: Option<IssueExport>,
    /// `Other tracking issues` (markdown).
    pub other_tracking_issues: Option<String>,
    /// `Zulip channel`.
    pub zulip_channel: Option<String>,
    /// `Timespan`, e.g. `2026-2027`; null means the period.
    pub timespan: Option<String>,
    /// `Roadmap` and `Flagship` themes of the goal itself (subgoals list
    /// their own).
    pub themes: Vec<NamedExport>,
    /// Legacy `Flagship: Yes` (flagship without a named theme).
    pub flagship: bool,
    /// `Highlight`s of the goal itself.
    pub highlights: Vec<NamedExport>,
    /// Needs, lower case: `Needs` rows, `contributor` when help is wanted,
    /// `funding` when a purpose is not fully funded.
    pub needs: Vec<String>,
    /// What the goal asks of teams, in file order.
    pub asks: Vec<AskExport>,
    /// `[team] champion` rows.
    pub champions: Vec<ChampionExport>,
    /// `@user`s of work-item owner cells, sorted case-insensitively.
    pub task_owners: Vec<String>,
    /// Work items, in file order.
    pub tasks: Vec<TaskExport>,
    /// Subgoals, in file order.
    pub subgoals: Vec<SubgoalExport>,
    /// The `Help wanted` metadata row.
    pub help_wanted_note: Option<String>,
    /// Rows of the `Help wanted` section.
    pub help_wanted: Vec<HelpWantedExport>,
    /// `Funding contact` rows (markdown); empty means the book's default.
    pub funding_contacts: Vec<String>,
    /// Rows of the `Funding` section.
    pub funding: Vec<FundingExport>,
}

/// How a goal file writes its team asks.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "Format")]
pub enum FormatExport {
    /// `## Team asks` with support levels.
    Current,
    /// `## Ownership and team asks` with ask kinds.
    Legacy,
}

/// A tracking issue.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Issue")]
pub struct IssueExport {
    /// `org/repo#N`.
    pub reference: String,
    /// The issue on GitHub.
    pub url: String,
    /// Where the row is.
    pub at: String,
}

/// A theme or highlight name, as written, with its place.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Named")]
pub struct NamedExport {
    /// The name as written.
    pub name: String,
    /// Where it is written.
    pub at: String,
}

/// What a goal (or one of its subgoals) asks of one team.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Ask")]
pub struct AskExport {
    /// The team key, e.g. `lang`.
    pub team: String,
    /// The subgoal's title when the ask belongs to a subgoal.
    pub subgoal: Option<String>,
    /// Current format: `Vibes`, `Small`, `Medium` or `Large`; null when the
    /// cell is empty (unsized) or in a legacy file.
    pub level: Option<String>,
    /// Legacy format: the ask kind's long name; null in a current file.
    pub kind: Option<String>,
    /// The notes cell (markdown).
    pub notes: String,
    /// Marked complete.
    pub done: bool,
    /// Where the level (or ask kind) cell is.
    pub at: String,
}

/// A `[team] champion` row.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Champion")]
pub struct ChampionExport {
    /// The team key.
    pub team: String,
    /// `@user`s; empty for `TBD`.
    pub users: Vec<String>,
    /// Where the row is.
    pub at: String,
}

/// A work item.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Task")]
pub struct TaskExport {
    /// The task cell (markdown).
    pub text: String,
    /// `@user`s of the owner cell.
    pub owners: Vec<String>,
    /// Marked `![Help wanted][]`.
    pub help_wanted: bool,
    /// Marked complete.
    pub done: bool,
    /// The subgoal's title when the task belongs to one.
    pub subgoal: Option<String>,
}

/// A subgoal.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Subgoal")]
pub struct SubgoalExport {
    /// The heading as written.
    pub title: String,
    /// The heading's id on the goal's page.
    pub anchor: String,
    /// Where the heading is.
    pub at: String,
    /// The subgoal's own `Roadmap` themes.
    pub themes: Vec<NamedExport>,
    /// The subgoal's own `Highlight`s.
    pub highlights: Vec<NamedExport>,
    /// `Timespan`, overriding the goal's.
    pub timespan: Option<String>,
    /// `What and why`, overriding the goal's pitch.
    pub what_and_why: Option<String>,
}

/// A row of the help-wanted table.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "HelpWanted")]
pub struct HelpWantedExport {
    /// The `Task` cell (markdown).
    pub task: String,
    /// The `Experience level` cell.
    pub experience: String,
    /// The `Time investment` cell.
    pub time: String,
}

/// A row of the funding table.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Funding")]
pub struct FundingExport {
    /// The `Purpose` cell (markdown).
    pub purpose: String,
    /// The `Cost` cell.
    pub cost: CostExport,
    /// The `Funded` cell.
    pub funded: FundedExport,
    /// The `Sponsor(s)` cell (markdown).
    pub sponsors: String,
}

/// A cost cell, as written and as read.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Cost")]
pub struct CostExport {
    /// The cell as written.
    pub text: String,
    /// What the cell says; null when it could not be read (a warning was
    /// reported).
    pub kind: Option<CostKind>,
    /// Dollars; for a range, its lower bound. Null unless `kind` is
    /// `amount`.
    pub min: Option<u64>,
    /// Dollars; equal to `min` for a single amount.
    pub max: Option<u64>,
}

/// What a cost cell says.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    /// Dollars: see `min` and `max`.
    Amount,
    /// `TBD`.
    Tbd,
    /// `Ask`.
    Ask,
    /// `N/A`.
    NotApplicable,
}

/// A funded cell, as written and as read.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Funded")]
pub struct FundedExport {
    /// The cell as written.
    pub text: String,
    /// Null when the cell could not be read (a warning was reported).
    pub state: Option<FundedState>,
    /// For `percent`, the percentage (1 to 99).
    pub percent: Option<u8>,
    /// Who funds it (`Partial by X`, `By X`).
    pub by: Option<String>,
}

/// How far a purpose is funded.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FundedState {
    /// `No` or `0%`.
    No,
    /// `Partial` or `Partial by X`.
    Partial,
    /// `N%`: see `percent`.
    Percent,
    /// `Full`, `Yes`, `100%` or `By X`.
    Full,
}

/// A roadmap.
#[derive(Serialize, JsonSchema)]
#[schemars(rename = "Roadmap")]
pub struct RoadmapExport {
    /// The file, relative to the book's source folder.
    pub file: String,
    /// Where the roadmap's heading is.
    pub at: String,
    /// The roadmap's page on the site.
    pub url: String,
    /// The heading as written.
    pub title: String,
    /// The theme key goals point at: `Short title`, else the heading.
    pub theme: String,
    /// `@user` or `TBD`.
    pub point_of_contact: String,
    /// `What and why`.
    pub what_and_why: String,
    /// `Application area` rows.
    pub application_areas: Vec<String>,
    /// Files of the live goals that belong to the roadmap (through their
    /// own or a subgoal's theme), sorted.
    pub goals: Vec<String>,
}

/// `file:line` of a byte offset.
fn at(file: &str, source: &Source, span: &Span) -> String {
    format!("{file}:{}", source.line_col(span.start).line)
}

/// The site page of a file of the book's source folder.
pub(crate) fn page_url(book: &Book, file: &str) -> String {
    let page = crate::rfc::page_url(file);
    match &book.config.site_url {
        Some(site) => format!("{}/{page}", site.trim_end_matches('/')),
        None => page,
    }
}

/// The export of one loaded period.
pub fn export(book: &Book, slate: &Slate) -> SlateExport {
    SlateExport {
        schema_version: SCHEMA_VERSION,
        period: slate.name.clone(),
        goals: slate.goals.iter().map(|g| goal_export(book, g)).collect(),
        roadmaps: slate
            .roadmaps
            .iter()
            .map(|r| roadmap_export(book, slate, r))
            .collect(),
    }
}

/// The export as pretty-printed JSON with a final newline.
pub fn to_json(export: &SlateExport) -> String {
    let mut text = serde_json::to_string_pretty(export).unwrap_or_default();
    text.push('\n');
    text
}

/// The published JSON Schema of [`SlateExport`], pretty-printed.
pub fn schema() -> String {
    let schema = schemars::schema_for!(SlateExport);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

fn named(
    file: &str,
    source: &Source,
    items: &[crate::source::Spanned<String>],
) -> Vec<NamedExport> {
    items
        .iter()
        .map(|t| NamedExport {
            name: t.value.clone(),
            at: at(file, source, &t.span),
        })
        .collect()
}

fn goal_export(book: &Book, g: &Goal) -> GoalExport {
    let (file, src) = (g.file.as_str(), &*g.source);
    let sub_title = |i: Option<usize>| i.and_then(|i| g.subgoals.get(i)).map(|s| s.title.clone());
    let m = &g.metadata;
    GoalExport {
        file: g.file.clone(),
        at: at(file, src, g.title_span.as_ref().unwrap_or(&(0..0))),
        url: page_url(book, file),
        title: g.title.clone(),
        short_title: g.short_title().to_string(),
        status: g.status().map(|s| s.as_str().to_string()),
        live: g.is_live(),
        format: g.format.map(|f| match f {
            goal::Format::Current => FormatExport::Current,
            goal::Format::Legacy => FormatExport::Legacy,
        }),
        point_of_contact: g.point_of_contact().map(str::to_string),
        pitch: g.pitch().map(str::to_string),
        tracking_issue: m.tracking_issue.as_ref().map(|i| IssueExport {
            reference: i.value.to_string(),
            url: i.value.url(),
            at: at(file, src, &i.span),
        }),
        other_tracking_issues: m.other_tracking_issues.clone(),
        zulip_channel: m.zulip_channel.clone(),
        timespan: m.timespan.clone(),
        themes: named(file, src, &m.themes),
        flagship: m.flagship,
        highlights: named(file, src, &m.highlights),
        needs: g.needs().into_iter().collect(),
        asks: g
            .asks
            .iter()
            .map(|a| AskExport {
                team: a.team.value.clone(),
                subgoal: sub_title(a.subgoal),
                level: a.size().map(|s| s.as_str().to_string()),
                kind: match &a.level {
                    AskLevel::Kind(k) => Some(k.clone()),
                    AskLevel::Size(_) => None,
                },
                notes: a.notes.clone(),
                done: a.done,
                at: at(file, src, &a.level_span),
            })
            .collect(),
        champions: m
            .champions
            .iter()
            .map(|c| ChampionExport {
                team: c.team.value.clone(),
                users: c.users.iter().map(|u| u.value.clone()).collect(),
                at: at(file, src, &c.row),
            })
            .collect(),
        task_owners: g.task_owners().into_iter().map(str::to_string).collect(),
        tasks: g
            .tasks
            .iter()
            .map(|t| TaskExport {
                text: t.text.clone(),
                owners: t.owners.iter().map(|u| u.value.clone()).collect(),
                help_wanted: t.help_wanted,
                done: t.done,
                subgoal: sub_title(t.subgoal),
            })
            .collect(),
        subgoals: g
            .subgoals
            .iter()
            .map(|s| SubgoalExport {
                title: s.title.clone(),
                anchor: s.anchor.clone(),
                at: at(file, src, &s.title_span),
                themes: named(file, src, &s.themes),
                highlights: named(file, src, &s.highlights),
                timespan: s.timespan.clone(),
                what_and_why: s.what_and_why.clone(),
            })
            .collect(),
        help_wanted_note: m.help_wanted.clone(),
        help_wanted: g
            .help_wanted
            .iter()
            .map(|h| HelpWantedExport {
                task: h.task.clone(),
                experience: h.experience.clone(),
                time: h.time.clone(),
            })
            .collect(),
        funding_contacts: m.funding_contacts.clone(),
        funding: g
            .funding
            .iter()
            .map(|f| FundingExport {
                purpose: f.purpose.clone(),
                cost: cost_export(&f.cost_text, f.cost.as_ref()),
                funded: funded_export(&f.funded_text, f.funded.as_ref()),
                sponsors: f.sponsors.clone(),
            })
            .collect(),
    }
}

fn cost_export(text: &str, cost: Option<&Cost>) -> CostExport {
    let (kind, min, max) = match cost {
        Some(Cost::Amount { min, max }) => (Some(CostKind::Amount), Some(*min), Some(*max)),
        Some(Cost::Tbd) => (Some(CostKind::Tbd), None, None),
        Some(Cost::Ask) => (Some(CostKind::Ask), None, None),
        Some(Cost::NotApplicable) => (Some(CostKind::NotApplicable), None, None),
        None => (None, None, None),
    };
    CostExport {
        text: text.to_string(),
        kind,
        min,
        max,
    }
}

fn funded_export(text: &str, funded: Option<&Funded>) -> FundedExport {
    let (state, percent, by) = match funded {
        Some(Funded::No) => (Some(FundedState::No), None, None),
        Some(Funded::Partial(by)) => (Some(FundedState::Partial), None, by.clone()),
        Some(Funded::Percent(p)) => (Some(FundedState::Percent), Some(*p), None),
        Some(Funded::Full(by)) => (Some(FundedState::Full), None, by.clone()),
        None => (None, None, None),
    };
    FundedExport {
        text: text.to_string(),
        state,
        percent,
        by,
    }
}

fn roadmap_export(book: &Book, slate: &Slate, r: &Roadmap) -> RoadmapExport {
    let mut goals: Vec<String> = slate
        .index()
        .of_roadmap(r)
        .into_iter()
        .map(|i| slate.goals[i].file.clone())
        .collect();
    goals.sort();
    RoadmapExport {
        file: r.file.clone(),
        at: at(&r.file, &r.source, r.title_span.as_ref().unwrap_or(&(0..0))),
        url: page_url(book, &r.file),
        title: r.title.clone(),
        theme: r.theme().to_string(),
        point_of_contact: r.point_of_contact().to_string(),
        what_and_why: r.pitch().to_string(),
        application_areas: r
            .metadata
            .application_areas
            .iter()
            .map(|a| a.value.clone())
            .collect(),
        goals,
    }
}
