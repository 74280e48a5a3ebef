//! The built site as a team lead reads it: the capacity chart with its
//! text alternative, badges without the network, no empty table column.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

/// Builds a fresh copy of the showcase book; returns the site folder.
fn showcase_site(name: &str) -> PathBuf {
    let dir = common::showcase_copy(&Path::new(env!("CARGO_TARGET_TMPDIR")).join(name));
    let built = mdbook_goals::site::build(&dir, &Default::default()).unwrap();
    built.site
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

/// The cells of each table of an HTML page, header row first.
fn tables(html: &str) -> Vec<Vec<Vec<String>>> {
    let mut out = Vec::new();
    for table in html.split("<table>").skip(1) {
        let table = table.split("</table>").next().unwrap();
        let rows = table
            .split("<tr>")
            .skip(1)
            .map(|row| {
                row.split("<t")
                    .skip(1)
                    .filter(|c| c.starts_with('d') || c.starts_with('h'))
                    .filter_map(|c| {
                        let body = c.split_once('>')?.1;
                        let end = body.find("</t").unwrap_or(body.len());
                        Some(body[..end].trim().to_string())
                    })
                    .collect()
            })
            .collect();
        out.push(rows);
    }
    out
}

#[test]
fn the_capacity_table_has_a_chart_with_a_text_alternative() {
    let site = showcase_site("pages/capacity");
    let page = fs::read_to_string(site.join("2027/teams.html")).unwrap();
    let svg = page
        .find("<svg role=\"img\" aria-label=\"libs: 0 large, 1 medium, 1 small\"")
        .unwrap_or_else(|| panic!("no chart for libs:\n{page}"));
    let chart = &page[svg..svg + page[svg..].find("</svg>").unwrap()];
    assert!(
        chart.contains("<title>libs: 0 large, 1 medium, 1 small</title>"),
        "{chart}"
    );
    // One medium and one small ask: two parts that fill half the widest
    // bar (the teams with the most asks have two too).
    assert_eq!(chart.matches("<rect ").count(), 2, "{chart}");
    assert!(chart.contains("x=\"48\" width=\"48\""), "{chart}");
    assert!(!page.contains("<script>alert"), "no script in the page");
    // At most eight columns, so the table fits mdBook's page at 1280 px; the
    // busiest champion's load is in the Champions cell, not off-screen.
    let capacity = tables(&page)
        .into_iter()
        .find(|t| t[0].first().is_some_and(|h| h == "Team") && t[0].iter().any(|h| h == "Asks"))
        .expect("the capacity table");
    assert!(capacity[0].len() <= 8, "{:?}", capacity[0]);
    assert_eq!(capacity[0].last().unwrap(), "Champions");
    assert!(
        capacity.iter().any(|row| row
            .last()
            .is_some_and(|c| c == "1 of 1, 1 person, busiest 1 goal")),
        "{capacity:?}"
    );
}

#[test]
fn badges_need_no_network_and_no_column_is_empty() {
    let site = showcase_site("pages/badges");
    let mut files = Vec::new();
    html_files(&site, &mut files);
    assert!(files.len() > 10);
    let mut badges = 0;
    for f in &files {
        let page = fs::read_to_string(f).unwrap();
        // The showcase configures its badges as images on this host.
        assert!(!page.contains("img.example.org"), "{}", f.display());
        badges += page.matches("class=\"goals-badge\"").count();
    }
    assert!(badges > 5, "{badges} badges");
    // The generated tables of the period pages: every column holds
    // something in some row.
    let mut checked = 0;
    for page in ["index", "goals", "teams", "help", "funding", "roadmaps"] {
        let html = fs::read_to_string(site.join(format!("2027/{page}.html"))).unwrap();
        for table in tables(&html) {
            let (header, body) = table.split_first().unwrap();
            for (i, name) in header.iter().enumerate() {
                checked += 1;
                assert!(
                    body.iter().any(|r| r.get(i).is_some_and(|c| !c.is_empty())),
                    "{page}: column {name:?} is empty in every row"
                );
            }
        }
    }
    assert!(checked > 20, "{checked} columns");
}

#[test]
fn goal_pages_link_their_roadmap_and_highlight() {
    let site = showcase_site("pages/themes");
    let page = fs::read_to_string(site.join("2027/widget-cache.html")).unwrap();
    assert!(
        page.contains("<td>Roadmap</td><td><a href=\"./roadmap-speed.html\">Speed</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"./highlights.html#caching-everywhere\">Caching</a>"),
        "{page}"
    );
    let highlights = fs::read_to_string(site.join("2027/highlights.html")).unwrap();
    assert!(highlights.contains("id=\"caching-everywhere\""));
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn the_corpus_site_reads_well() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("pages/corpus");
    let _ = fs::remove_dir_all(&dir);
    common::copy_tree(Path::new("../shared/corpus"), &dir);
    let site = mdbook_goals::site::build(&dir, &Default::default())
        .unwrap()
        .site;
    let goals = fs::read_to_string(site.join("2026/goals.html")).unwrap();
    // The Small goals table names no champion (none is needed): its
    // column is left out rather than shown empty in every row.
    let small = goals
        .split("id=\"small-goals\"")
        .nth(1)
        .expect("a small goals section");
    let table = &tables(small)[0];
    assert_eq!(table[0], ["Goal", "Point of contact", "Team"], "{table:?}");
    assert!(table.len() > 10, "{} rows", table.len());
    // A team name with a hyphen stays on one line.
    assert!(
        goals.contains("<span style=\"white-space:nowrap\"><a href=\"https://www.rust-lang.org/governance/teams/library#team-libs-api\">libs-api</a></span>")
            || goals.contains("<span style=\"white-space:nowrap\">libs-api</span>"),
        "no unbreakable libs-api"
    );
    // No badge of the book's configuration is a remote image anywhere
    // (`[Team][]` without `!` is a link an author wrote, not an image).
    let mut files = Vec::new();
    html_files(&site, &mut files);
    let mut badges = 0;
    for f in &files {
        let page = fs::read_to_string(f).unwrap();
        badges += page.matches("class=\"goals-badge\"").count();
        for badge in ["TBD-red", "Help%20wanted", "Team%20ask", "Complete-green"] {
            let image = format!("src=\"https://img.shields.io/badge/{badge}");
            assert!(!page.contains(&image), "{badge} in {}", f.display());
        }
    }
    assert!(badges > 50, "{badges} badges");
    let _ = fs::remove_dir_all(&dir);
}

#[test]
#[cfg_attr(
    not(feature = "corpus"),
    ignore = "needs ../shared/corpus: run scripts/test"
)]
fn the_corpus_broken_links_are_located_warnings() {
    use mdbook_goals::diagnostic::{Code, Severity};
    let book = mdbook_goals::book::Book::open(Path::new("../shared/corpus")).unwrap();
    let report = mdbook_goals::check::check(&book, None).unwrap();
    let broken: Vec<_> = report
        .diags
        .iter()
        .filter(|d| d.code == Code::BrokenLink)
        .collect();
    assert_eq!(broken.len(), 23);
    for d in &broken {
        assert_eq!(d.severity(), Severity::Warning);
        assert!(d.location.is_some(), "{}", d.message);
    }
    // A link to a page of the same folder with a similar name gets it
    // suggested.
    let slate = broken
        .iter()
        .find(|d| d.message.contains("`./slate.md`"))
        .expect("the link to ./slate.md");
    assert_eq!(slate.help.as_deref(), Some("did you mean `./goals.md`?"));
}
