//! The monthly updates post (SPEC §13): `mdbook-goals updates` and the
//! book's `(((REPORTS)))` pages, built by one renderer from the tracking
//! snapshot.
//!
//! The post is plain CommonMark with no HTML of its own: an intro
//! paragraph, a table of contents, one section per roadmap (legacy:
//! flagship theme), then "Goals looking for help" and "Other goals". Each
//! goal with updates gets a heading, a line of facts and its updates (made
//! safe by [`comment`]); the goals without one are named in one sentence at
//! the end of their section. Everything is a function of the snapshot and
//! the window: no clock is read.

pub(crate) mod comment;
pub(crate) mod reports;

use crate::config::Config;
use crate::context::Context;
use crate::directive::months::parse_bound;
use crate::goal::{Goal, heading_id};
use crate::render::escape;
use crate::slate::Slate;
use crate::tracking::{Comment, Issue, Snapshot};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// The level of a goal's heading; comment headings go below it.
pub(crate) const GOAL_LEVEL: u8 = 3;

/// The default of `--max-lines`.
pub const DEFAULT_MAX_LINES: usize = 40;

/// A span of time: comments created in `from..to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub from: Timestamp,
    pub to: Timestamp,
}

fn midnight(d: Date) -> Timestamp {
    d.to_zoned(TimeZone::UTC)
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

fn date_of(t: Timestamp) -> Date {
    t.to_zoned(TimeZone::UTC).date()
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `March 2027`.
pub(crate) fn month_name(d: Date) -> String {
    format!("{} {}", MONTHS[(d.month() - 1) as usize], d.year())
}

impl Window {
    /// Days `from..to` (end exclusive).
    pub(crate) fn days(from: Date, to: Date) -> Window {
        Window {
            from: midnight(from),
            to: midnight(to),
        }
    }

    /// The month that starts on `first`.
    pub(crate) fn month(first: Date) -> Window {
        let next = first
            .first_of_month()
            .checked_add(jiff::Span::new().months(1))
            .unwrap_or(first);
        Window::days(first.first_of_month(), next)
    }

    /// The month before the one of `now`.
    pub(crate) fn month_before(now: Timestamp) -> Window {
        let first = date_of(now).first_of_month();
        let prev = first
            .checked_sub(jiff::Span::new().months(1))
            .unwrap_or(first);
        Window::month(prev)
    }

    /// The 90 days before `now` (and `now` itself).
    pub(crate) fn last_90_days(now: Timestamp) -> Window {
        Window {
            from: now
                .checked_sub(SignedDuration::from_hours(90 * 24))
                .unwrap_or(now),
            to: now.checked_add(SignedDuration::from_secs(1)).unwrap_or(now),
        }
    }

    pub(crate) fn contains(&self, t: Timestamp) -> bool {
        self.from <= t && t < self.to
    }

    /// `from 2027-02-01 to 2027-02-28` (the last day included).
    pub(crate) fn describe(&self) -> String {
        let last = self
            .to
            .checked_sub(SignedDuration::from_nanos(1))
            .unwrap_or(self.to);
        format!("from {} to {}", date_of(self.from), date_of(last))
    }

    /// `February 2027` when the window is exactly that month.
    pub(crate) fn month_label(&self) -> Option<String> {
        let first = date_of(self.from);
        (first.day() == 1 && Window::month(first) == *self).then(|| month_name(first))
    }
}

/// How to build a post.
pub(crate) struct Options<'a> {
    pub window: Window,
    /// Keep the goals with a champion from this team (a team key).
    pub team: Option<&'a str>,
    pub max_lines: usize,
    /// The link of a goal's page.
    pub goal_url: &'a dyn Fn(&Goal) -> String,
    /// The text goes through mdBook.
    pub mdbook: bool,
    /// A `#` title to put first (the book's pages).
    pub title: Option<String>,
}

/// One update, made safe.
struct Update<'a> {
    comment: &'a Comment,
    author: String,
    safe: comment::Safe,
}

/// A goal and its updates in the window.
struct Entry<'a> {
    goal: &'a Goal,
    issue: Option<&'a Issue>,
    updates: Vec<Update<'a>>,
}

/// Whether a comment is the tool's own boilerplate (a status-update
/// template or a reminder it posted), not an update.
pub(crate) fn is_boilerplate(body: &str) -> bool {
    body.trim_start().starts_with("<!-- mdbook-goals")
}

/// Whether a login is a bot or one the book ignores.
fn ignored(config: &Config, login: &str) -> bool {
    login.to_ascii_lowercase().ends_with("[bot]") || config.is_ignored(login)
}

/// The comments of an issue that are updates in the window, made safe.
fn updates<'a>(
    config: &Config,
    issue: &'a Issue,
    options: &Options<'_>,
    user_url: &dyn Fn(&str) -> String,
) -> Vec<Update<'a>> {
    let mut out = Vec::new();
    for c in &issue.comments {
        let author = c.author.clone().unwrap_or_else(|| "ghost".into());
        if !options.window.contains(c.created_at)
            || c.minimized
            || ignored(config, &author)
            || is_boilerplate(&c.body)
        {
            continue;
        }
        let prefix = format!("c{}", c.id);
        let safe = comment::make_safe(
            &c.body,
            &comment::Rules {
                top: GOAL_LEVEL + 1,
                max_lines: options.max_lines,
                prefix: &prefix,
                user_url,
                mdbook: options.mdbook,
            },
        );
        if safe.text.is_empty() {
            continue;
        }
        out.push(Update {
            comment: c,
            author,
            safe,
        });
    }
    out
}

/// A person as written in a goal file: `@login` becomes a profile link,
/// anything else is shown as text.
fn person(config: &Config, who: &str) -> String {
    let who = who.trim();
    match who.strip_prefix('@') {
        Some(login)
            if !login.is_empty()
                && login
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            escape::link(&escape::text(who), &config.user_link(login))
        }
        _ => escape::prose(who),
    }
}

/// The line of facts of a goal: each only when known.
fn facts(config: &Config, e: &Entry<'_>) -> Option<String> {
    let mut facts = Vec::new();
    if let Some(issue) = e.issue {
        facts.push(format!(
            "**Progress:** {}",
            escape::text(&crate::tracking::progress(issue).text())
        ));
    }
    if let Some(poc) = e.goal.point_of_contact().filter(|p| !p.trim().is_empty()) {
        facts.push(format!("**Point of contact:** {}", person(config, poc)));
    }
    let mut champions: Vec<_> = e
        .goal
        .metadata
        .champions
        .iter()
        .filter(|c| !c.users.is_empty())
        .collect();
    champions.sort_by(|a, b| a.team.value.cmp(&b.team.value));
    if !champions.is_empty() {
        let list: Vec<String> = champions
            .iter()
            .map(|c| {
                let users: Vec<String> = c.users.iter().map(|u| person(config, &u.value)).collect();
                format!("{}: {}", escape::text(&c.team.value), users.join(", "))
            })
            .collect();
        facts.push(format!("**Champions:** {}", list.join(", ")));
    }
    let owners = e.goal.task_owners();
    if !owners.is_empty() {
        let list: Vec<String> = owners.iter().map(|o| person(config, o)).collect();
        facts.push(format!("**Task owners:** {}", list.join(", ")));
    }
    (!facts.is_empty()).then(|| facts.join(" · "))
}

/// A section of the post.
struct Section<'a> {
    title: String,
    entries: Vec<Entry<'a>>,
}

/// The post (see the module documentation).
pub(crate) fn post(
    context: &Context,
    slate: &Slate,
    snapshot: &Snapshot,
    options: &Options<'_>,
) -> String {
    // The post is plain CommonMark wherever it is shown: text only.
    let config = &context.config;
    let user_url = |login: &str| config.user_link(login);
    // A team's page: the goals it champions, from the period's index (one
    // page per team must not look at every goal).
    let goals: Vec<&Goal> = match options.team {
        Some(team) => {
            let championed = slate.index().championed_by(team).iter();
            championed.map(|&i| &slate.goals[i]).collect()
        }
        None => slate
            .order
            .iter()
            .map(|&i| &slate.goals[i])
            .filter(|g| g.is_live())
            .collect(),
    };
    let entries = goals.iter().map(|g| {
        let issue = g
            .metadata
            .tracking_issue
            .as_ref()
            .and_then(|r| snapshot.issue(&r.value));
        let updates = issue.map_or_else(Vec::new, |i| updates(config, i, options, &user_url));
        Entry {
            goal: g,
            issue,
            updates,
        }
    });
    // Sections: roadmaps (legacy: flagship themes), help wanted, the rest.
    // Each goal goes to the first section that takes it: the first of the
    // sections its theme keys name, found by key, not by asking each. Only
    // the sections that get a goal are made, so a team's page costs its
    // own goals, not every roadmap of the period.
    let index = slate.index();
    // Legacy: the flagship themes of the goals shown, by key.
    let legacy: Option<Vec<(String, String)>> = slate.roadmaps.is_empty().then(|| {
        let mut themes = BTreeMap::new();
        for g in &goals {
            for t in g.all_themes() {
                themes
                    .entry(crate::goal::theme_key(&t.value))
                    .or_insert_with(|| t.value.clone());
            }
        }
        themes.into_iter().collect()
    });
    let legacy_rank: HashMap<&str, usize> = legacy
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, (key, _))| (key.as_str(), i))
        .collect();
    // Sections by rank: one per roadmap or legacy theme, then (legacy)
    // flagship goals, goals looking for help, and the other goals.
    let themed_count = legacy.as_ref().map_or(index.roadmaps.len(), Vec::len);
    let section_of_key = |key: &str| match &legacy {
        Some(_) => legacy_rank.get(key).copied(),
        None => index.roadmap_of_theme(key),
    };
    let flagship = legacy.is_some().then_some(themed_count);
    let help = themed_count + usize::from(flagship.is_some());
    let title_of = |rank: usize| -> String {
        match (&legacy, rank) {
            (Some(themes), r) if r < themes.len() => escape::prose(&themes[r].1),
            (_, r) if Some(r) == flagship => "Flagship goals".into(),
            (_, r) if r == help => "Goals looking for help".into(),
            (_, r) if r == help + 1 => "Other goals".into(),
            (_, r) => escape::prose(&slate.roadmaps[index.roadmaps[r]].title),
        }
    };
    let mut by_rank: BTreeMap<usize, Section<'_>> = BTreeMap::new();
    for e in entries {
        let g = e.goal;
        let themed = g
            .theme_keys()
            .iter()
            .filter_map(|k| section_of_key(k))
            .min();
        let rank = match themed {
            Some(i) => i,
            None => match flagship {
                Some(i) if g.is_flagship() => i,
                _ if g.needs().contains("contributor")
                    || e.updates.iter().any(|u| u.safe.help_wanted) =>
                {
                    help
                }
                _ => help + 1,
            },
        };
        by_rank
            .entry(rank)
            .or_insert_with(|| Section {
                title: title_of(rank),
                entries: Vec::new(),
            })
            .entries
            .push(e);
    }
    let sections: Vec<Section<'_>> = by_rank.into_values().collect();
    render(config, slate, options, &sections, goals.len())
}

fn render(
    config: &Config,
    slate: &Slate,
    options: &Options<'_>,
    sections: &[Section<'_>],
    total: usize,
) -> String {
    let with_updates = sections
        .iter()
        .flat_map(|s| &s.entries)
        .filter(|e| !e.updates.is_empty())
        .count();
    let goal_link = |g: &Goal| escape::link(&escape::label(&g.title), &(options.goal_url)(g));
    // The body first: the table of contents needs the ids its headings get.
    let mut body = String::new();
    // (offset in the body, section, goal) of each goal heading.
    let mut goal_headings: Vec<(usize, usize, &Goal)> = Vec::new();
    for (si, s) in sections.iter().enumerate() {
        let _ = writeln!(body, "## {}\n", s.title);
        let (with, without): (Vec<&Entry<'_>>, Vec<&Entry<'_>>) =
            s.entries.iter().partition(|e| !e.updates.is_empty());
        for e in with {
            goal_headings.push((body.len(), si, e.goal));
            let _ = writeln!(body, "### {}\n", goal_link(e.goal));
            if let Some(f) = facts(config, e) {
                let _ = writeln!(body, "{f}\n");
            }
            if let Some(tldr) = e.updates.iter().rev().find_map(|u| u.safe.tldr.as_ref()) {
                let _ = writeln!(body, "{tldr}\n");
            }
            for u in &e.updates {
                let who = escape::link(
                    &escape::text(&format!("@{}", u.author)),
                    &config.user_link(&u.author),
                );
                let date = date_of(u.comment.created_at).to_string();
                let when = escape::link(&date, &u.comment.html_url);
                let _ = writeln!(body, "**{who}** on {when}:\n");
                let _ = writeln!(body, "{}\n", u.safe.text);
                if u.safe.cut {
                    let more = escape::link("Read the full update", &u.comment.html_url);
                    let _ = writeln!(body, "*The update is cut here.* {more}\n");
                }
            }
        }
        if !without.is_empty() {
            let names: Vec<String> = without.iter().map(|e| goal_link(e.goal)).collect();
            let _ = writeln!(
                body,
                "No update {}: {}.\n",
                period_word(options),
                and_list(&names)
            );
        }
    }
    let mut head = String::new();
    if let Some(title) = &options.title {
        let _ = writeln!(head, "# {title}\n");
    }
    let ids = heading_ids(&head, &body);
    let team = options.team.map_or(String::new(), |t| {
        format!(" championed by the {} team", escape::text(t))
    });
    let when = match options.window.month_label() {
        Some(m) => format!("in {m} ({})", options.window.describe()),
        None => options.window.describe(),
    };
    let _ = writeln!(
        head,
        "Updates on the {} goals{team} {when}: {} of {} posted updates.\n",
        escape::text(&slate.name),
        with_updates,
        crate::grammar::count(total, "goal"),
    );
    if with_updates > 0 {
        let mut last_section = usize::MAX;
        for (offset, si, goal) in &goal_headings {
            if *si != last_section {
                let _ = writeln!(head, "- {}", sections[*si].title);
                last_section = *si;
            }
            let id = ids.get(offset).cloned().unwrap_or_default();
            let _ = writeln!(
                head,
                "  - [{}](#{})",
                escape::label(&goal.title),
                escape::encode(&id)
            );
        }
        head.push('\n');
    }
    head.push_str(&body);
    let trimmed = head.trim_end().len();
    head.truncate(trimmed);
    head.push('\n');
    head
}

fn period_word(options: &Options<'_>) -> &'static str {
    if options.window.month_label().is_some() {
        "this month"
    } else {
        "in this period"
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The id each heading of `body` gets (as mdBook and GitHub give them: the
/// heading's text, lower case, blanks as `-`, repeats numbered), by the
/// heading's offset in `body`. `head` comes before `body` in the page.
fn heading_ids(head: &str, body: &str) -> BTreeMap<usize, String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeMap::new();
    for (part, base) in [(head, None), (body, Some(()))] {
        let mut current: Option<(usize, String)> = None;
        for (event, range) in Parser::new_ext(part, crate::markdown::options()).into_offset_iter() {
            match event {
                Event::Start(Tag::Heading { .. }) => current = Some((range.start, String::new())),
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, s)) = &mut current {
                        s.push_str(&t);
                    }
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((at, text)) = current.take() {
                        let id = heading_id(&text);
                        let n = seen.entry(id.clone()).or_insert(0);
                        let unique = if *n == 0 {
                            id.clone()
                        } else {
                            format!("{id}-{n}")
                        };
                        *n += 1;
                        if base.is_some() {
                            out.insert(at, unique);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The goals' teams that appear in the period's asks, sorted.
pub(crate) fn asked_teams(slate: &Slate) -> BTreeSet<String> {
    slate
        .live_goals()
        .flat_map(|g| g.teams_asked())
        .map(str::to_string)
        .collect()
}

/// The command line's choices for `updates`.
pub struct Args<'a> {
    pub month: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub team: Option<&'a str>,
    pub max_lines: usize,
}

/// Why `updates` wrote nothing.
#[derive(Debug)]
pub enum RunError {
    /// A bad argument (exit 2).
    Usage(String),
    /// No snapshot (exit 1).
    Failed(String),
}

/// `mdbook-goals updates`: the post of `slate` (loaded with its snapshot)
/// for the window the arguments choose.
pub fn run(
    book: &crate::book::Book,
    slate: &Slate,
    period_dir: &std::path::Path,
    args: &Args<'_>,
) -> Result<String, RunError> {
    let Some(snapshot) = slate.tracking.as_deref() else {
        let file = Snapshot::path(&book.root, &book.config, &slate.name);
        return Err(RunError::Failed(format!(
            "no tracking snapshot `{}`: fetch it first with `mdbook-goals sync {}`",
            crate::book::tidy(&crate::paths::display_path(&file)).display(),
            period_dir.display()
        )));
    };
    let date = |flag: &str, s: &str| {
        s.trim()
            .parse::<Date>()
            .map_err(|_| RunError::Usage(format!("--{flag} `{s}` is not a date like `2027-02-01`")))
    };
    let window = match (args.month, args.from, args.to) {
        (Some(m), _, _) => {
            let (first, day) = parse_bound(m).map_err(RunError::Usage)?;
            if first != day {
                return Err(RunError::Usage(format!(
                    "--month `{m}` is a date; write the month as `{}`",
                    first.strftime("%Y-%m")
                )));
            }
            Window::month(first)
        }
        (None, Some(from), Some(to)) => {
            let (from, to) = (date("from", from)?, date("to", to)?);
            if to <= from {
                return Err(RunError::Usage(format!(
                    "--to {to} must come after --from {from} (the window ends before --to)"
                )));
            }
            Window::days(from, to)
        }
        _ => Window::month_before(snapshot.fetched_at),
    };
    let team = match args.team {
        Some(name) => Some(crate::review::resolve_team(book, slate, name).map_err(|u| {
            let hint = u
                .suggestion
                .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            RunError::Usage(format!(
                "no team `{}` in the team registry or in the asks of {}{hint}",
                u.name, slate.name
            ))
        })?),
        None => None,
    };
    let site = book.config.site_url.clone();
    let url = |g: &Goal| {
        let page = format!("{}.html", g.file.trim_end_matches(".md"));
        match &site {
            Some(s) => format!("{}/{page}", s.trim_end_matches('/')),
            None => page,
        }
    };
    Ok(post(
        book,
        slate,
        snapshot,
        &Options {
            window,
            team: team.as_deref(),
            max_lines: args.max_lines.max(1),
            goal_url: &url,
            mdbook: false,
            title: None,
        },
    ))
}

#[cfg(test)]
mod index_tests {
    use crate::book::Book;
    use crate::slate::Slate;
    use std::path::Path;

    /// Calls `f` with each period of four books (the fixtures and the
    /// project's own book), named `book/period`.
    fn each_period(mut f: impl FnMut(&str, &Book, &Slate)) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let books = [
            "tests/books/showcase",
            "tests/books/hostile",
            "tests/books/legacy",
            ".",
        ];
        for dir in books {
            let book = Book::open(&root.join(dir)).unwrap();
            for period in book.periods() {
                f(&format!("{dir}/{period}"), &book, &book.load(&period));
            }
        }
    }

    /// The period index's `championed_by`, which the team pages read,
    /// lists the goals the one-by-one check finds, in
    /// table order, for every team a champion row or an ask names, in any
    /// case.
    #[test]
    fn championed_by_agrees_with_each_goals_champion() {
        let mut found = 0;
        each_period(|name, _, slate| {
            let mut teams: Vec<String> = Vec::new();
            for g in &slate.goals {
                teams.extend(g.metadata.champions.iter().map(|c| c.team.value.clone()));
                teams.extend(g.teams_asked().into_iter().map(str::to_string));
            }
            teams.extend(teams.clone().iter().map(|t| t.to_ascii_uppercase()));
            for team in &teams {
                let expected: Vec<usize> = slate
                    .order
                    .iter()
                    .copied()
                    .filter(|&i| {
                        let g = &slate.goals[i];
                        g.is_live() && g.champion(team).is_some_and(|c| !c.users.is_empty())
                    })
                    .collect();
                found += expected.len();
                assert_eq!(slate.index().championed_by(team), expected, "{name} {team}");
            }
        });
        assert!(found > 20, "{found}");
    }

    /// The roadmap the period index files a theme key under is the first
    /// roadmap, in the index's order, whose theme names the key (as
    /// `Cx::theme` names it), for every theme key of every goal and
    /// roadmap.
    #[test]
    fn roadmap_of_theme_agrees_with_each_roadmaps_theme() {
        let mut found = 0;
        each_period(|name, book, slate| {
            let cx = crate::render::Cx::new(&book.context, slate, "", crate::render::Target::Rfc);
            let index = slate.index();
            let mut keys: Vec<String> = Vec::new();
            for g in &slate.goals {
                keys.extend(g.theme_keys().iter().cloned());
            }
            for r in &slate.roadmaps {
                keys.extend([r.key(), r.title_key()].map(str::to_string));
            }
            keys.push("no such theme".into());
            for key in &keys {
                let expected = index
                    .roadmaps
                    .iter()
                    .position(|&i| cx.theme(slate.roadmaps[i].theme()).keys().contains(key));
                found += usize::from(expected.is_some());
                assert_eq!(index.roadmap_of_theme(key), expected, "{name} {key}");
            }
        });
        assert!(found > 10, "{found}");
    }
}
