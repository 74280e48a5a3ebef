//! `(((REPORTS)))` (SPEC §13.3, §7.1): the updates post as sub-chapters of
//! the chapter that holds the directive: one page per month (newest
//! first), then one "recent updates" page per team asked in the period
//! (the last 90 days of the goals it champions). Without a snapshot, one
//! page saying how to fetch it.

use super::{DEFAULT_MAX_LINES, Options, Window, month_name, post};
use crate::context::Context;
use crate::directive::months::{Range, parse_range};
use crate::goal::Goal;
use crate::paths::relative_link;
use crate::render::escape;
use crate::slate::Slate;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// The most month pages one directive makes.
pub(crate) const MAX_MONTHS: usize = 36;

/// A generated page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Page {
    pub title: String,
    /// Relative to the source folder, `/`-separated.
    pub file: String,
    pub content: String,
}

/// The months a period covers: `2027` the year, `2025h2` July to December.
fn period_months(name: &str) -> Option<(Date, Date)> {
    let year: i16 = name.get(..4)?.parse().ok()?;
    let (first, last) = match name.get(4..) {
        Some("") => (1, 12),
        Some("h1") => (1, 6),
        Some("h2") => (7, 12),
        _ => return None,
    };
    Some((
        Date::new(year, first, 1).ok()?,
        Date::new(year, last, 1).ok()?,
    ))
}

/// The folder generated pages go in, next to the chapter.
fn folder(chapter: &str) -> String {
    match chapter.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/reports"),
        None => "reports".into(),
    }
}

fn file_safe(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// The pages of a `REPORTS` directive in `chapter` (`arg` already
/// checked by the scan; a bad one gives no month page).
pub(crate) fn pages(
    context: &Context,
    slate: &Slate,
    arg: Option<&str>,
    chapter: &str,
) -> Vec<Page> {
    let dir = folder(chapter);
    let Some(snapshot) = slate.tracking.as_deref() else {
        return vec![Page {
            title: "Updates".into(),
            file: format!("{dir}/updates.md"),
            content: format!(
                "# Updates\n\nThere is no tracking data for {} yet, so there are no updates to show.\n\nFetch it from GitHub with `mdbook-goals sync` on the period folder, then build again:\n\n```sh\nmdbook-goals sync path/to/{}\n```\n",
                escape::text(&slate.name),
                slate.name
            ),
        }];
    };
    let now = snapshot.fetched_at;
    let now_month = now.to_zoned(TimeZone::UTC).date().first_of_month();
    let range = parse_range(arg).unwrap_or(Range {
        from: None,
        to: None,
    });
    let period = period_months(&slate.name);
    let (first, start_day) = match (range.from, period) {
        (Some((m, d)), _) => (m, d),
        (None, Some((m, _))) => (m, m),
        (None, None) => (now_month, now_month),
    };
    let last = match (range.to, range.from, period) {
        (Some((m, _)), _, _) => m.min(now_month),
        (None, Some(_), _) => now_month,
        (None, None, Some((_, end))) => end.min(now_month),
        (None, None, None) => now_month,
    };
    let end_day = range.to.map(|(_, d)| d);
    let mut months = Vec::new();
    let mut m = last;
    while m >= first && months.len() < MAX_MONTHS {
        months.push(m);
        let Ok(prev) = m.checked_sub(jiff::Span::new().months(1)) else {
            break;
        };
        m = prev;
    }
    let mut out = Vec::new();
    for m in months {
        let file = format!("{dir}/{}.md", m.strftime("%Y-%m"));
        let mut window = Window::month(m);
        if m == first && start_day > m {
            window = Window::days(start_day, window_end(&window));
        }
        if let Some(d) = end_day.filter(|d| d.first_of_month() == m)
            && let Ok(next) = d.tomorrow()
        {
            window = Window::days(window_start(&window), next);
        }
        let title = format!("Updates: {}", month_name(m));
        out.push(page(context, slate, snapshot, window, None, title, file));
    }
    for team in super::asked_teams(slate) {
        let file = format!("{dir}/team-{}.md", file_safe(&team));
        let title = format!("Recent updates: {team}");
        let window = Window::last_90_days(now);
        out.push(page(
            context,
            slate,
            snapshot,
            window,
            Some(&team),
            title,
            file,
        ));
    }
    out
}

fn window_end(w: &Window) -> Date {
    w.to.to_zoned(TimeZone::UTC).date()
}

fn window_start(w: &Window) -> Date {
    w.from.to_zoned(TimeZone::UTC).date()
}

#[allow(clippy::too_many_arguments)]
fn page(
    context: &Context,
    slate: &Slate,
    snapshot: &crate::tracking::Snapshot,
    window: Window,
    team: Option<&str>,
    title: String,
    file: String,
) -> Page {
    let url = |g: &Goal| relative_link(&file, &g.file);
    let content = post(
        context,
        slate,
        snapshot,
        &Options {
            window,
            team,
            max_lines: DEFAULT_MAX_LINES,
            goal_url: &url,
            mdbook: true,
            title: Some(escape::text(&title)),
        },
    );
    Page {
        title,
        file,
        content,
    }
}

/// What stands in the chapter in place of the directive: on the site, a
/// list of the pages; in the RFC, one sentence linking them (a list line
/// holding only a link would be read as a chapter to inline, and these
/// pages exist on the site only).
pub(crate) fn index(pages: &[Page], chapter: &str, target: crate::render::Target) -> String {
    let links = pages
        .iter()
        .map(|p| escape::link(&escape::text(&p.title), &relative_link(chapter, &p.file)));
    match target {
        crate::render::Target::Site => links.map(|l| format!("- {l}\n")).collect(),
        crate::render::Target::Rfc => {
            let all: Vec<String> = links.collect();
            if all.is_empty() {
                String::new()
            } else {
                format!("Reports on the site: {}.\n", all.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(
            period_months("2025h2").map(|(a, b)| (a.to_string(), b.to_string())),
            Some(("2025-07-01".into(), "2025-12-01".into()))
        );
    }
}
