use super::*;
use crate::facts::{AskKind, KnownTeams};
use crate::goal::{AskLevel, Cost, Size};

/// The teams these tests know: a name is known in any case, or with a
/// `t-` prefix.
struct Teams;

const TEAMS: [&str; 4] = ["lang", "compiler", "libs-api", "types"];

impl KnownTeams for Teams {
    fn key(&self, name: &str) -> Option<&str> {
        let name = name.trim().to_lowercase();
        let name = if TEAMS.contains(&name.as_str()) {
            name.as_str()
        } else {
            name.strip_prefix("t-")?
        };
        TEAMS.iter().copied().find(|k| *k == name)
    }

    fn suggest(&self, name: &str) -> Option<&str> {
        crate::diagnostic::suggest(name, TEAMS.iter().copied())
    }

    fn keys(&self) -> Vec<&str> {
        TEAMS.to_vec()
    }
}

fn parse_text(text: &str) -> (Goal, Vec<Diagnostic>) {
    let src = Source::new("2027/g.md", text);
    let outline = Outline::parse(src.text());
    let kinds = AskKind::defaults();
    let cx = Facts {
        repository: Some("org/goals"),
        ask_kinds: &kinds,
        teams: Some(&Teams),
    };
    let mut d = Diagnostics::new();
    let g = parse(src, "2027/g.md".into(), outline, cx, &mut d);
    d.sort();
    (g, d.into_vec())
}

fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code.as_str()).collect()
}

const CURRENT: &str = "# Faster widgets

| Metadata | |
|---|---|
| Point of contact | @alice |
| Status | Accepted |
| Tracking issue | [org/goals#7] |
| [lang] champion | @bob |

## Summary

Make widgets faster. Then more.

## Motivation

### Work items over the next year

| Task | Owner(s) | Notes |
|---|---|---|
| Design | @alice, @Carol | |
| Help | ![Help wanted][] | |

#### Widget cache

| Metadata | |
|---|---|
| Roadmap | Speed |

| Task | Owner(s) | Notes |
|---|---|---|
| Build cache | @dave | |

```
| Task | Owner(s) | Notes |
|---|---|---|
| Not a task | @nobody | |
## Team asks
```

## Team asks

| Team | Support level | Notes |
|---|---|---|
| [lang] | Medium | Design review |
| [compiler] | Small | |
| ... | | |

### Widget cache

| Team | Support level | Notes |
|---|---|---|
| [types] | Large | |

## Help wanted

| Task | Experience level | Time investment |
|---|---|---|
| Help | Some | Weeks |

## Funding

| Purpose | Cost | Funded | Sponsor(s) |
|---|---|---|---|
| Work | $40K | Partial | Acme |
";

#[test]
fn current_format_goal() {
    let (g, d) = parse_text(CURRENT);
    assert_eq!(codes(&d), ["W0202"], "{d:?}");
    assert!(d[0].message.contains("`types`"));
    assert_eq!(g.format, Some(Format::Current));
    assert_eq!(g.title, "Faster widgets");
    assert_eq!(
        g.summary.as_deref(),
        Some("Make widgets faster. Then more.")
    );
    assert_eq!(g.pitch(), Some("Make widgets faster."));
    assert_eq!(g.task_owners(), ["@alice", "@Carol", "@dave"]);
    assert_eq!(g.subgoals.len(), 1);
    assert_eq!(g.subgoals[0].anchor, "widget-cache");
    assert_eq!(g.subgoals[0].themes[0].value, "Speed");
    assert!(g.has_theme("speed"));
    let asks: Vec<_> = g
        .asks
        .iter()
        .map(|a| (a.team.value.as_str(), a.size(), a.subgoal))
        .collect();
    assert_eq!(
        asks,
        [
            ("lang", Some(Size::Medium), None),
            ("compiler", Some(Size::Small), None),
            ("types", Some(Size::Large), Some(0)),
        ]
    );
    assert_eq!(g.largest_size(), Some(Size::Large));
    assert_eq!(g.help_wanted.len(), 1);
    assert_eq!(
        g.funding[0].cost,
        Some(Cost::Amount {
            min: 40_000,
            max: 40_000
        })
    );
    let needs = g.needs();
    assert!(needs.contains("contributor") && needs.contains("funding"));
}

#[test]
fn current_format_errors() {
    let text = CURRENT
        .replace(
            "| [compiler] | Small | |",
            "| [compiler] | Smal | |\n| [lagn] | | |",
        )
        .replace(
            "| Work | $40K | Partial | Acme |",
            "| Work | lots | maybe | Acme |",
        )
        .replace(
            "## Help wanted\n",
            "## Help wanted\n\n| Who | What |\n|---|---|\n| x | y |\n",
        );
    let (_, d) = parse_text(&text);
    assert_eq!(
        codes(&d),
        [
            "E0305", "E0304", "W0204", "W0202", "E0303", "W0205", "W0206"
        ],
        "{d:?}"
    );
    assert_eq!(d[0].help.as_deref(), Some("did you mean `Small`?"));
    assert_eq!(d[1].help.as_deref(), Some("did you mean `lang`?"));
}

#[test]
fn second_tables_and_missing_sections() {
    let text = CURRENT.replace(
        "| ... | | |\n",
        "| ... | | |\n\n| Team | Support level | Notes |\n|---|---|---|\n| [lang] | Small | |\n",
    );
    let (_, d) = parse_text(&text);
    assert_eq!(codes(&d), ["E0302", "W0202"]);
    let cut = CURRENT.find("## Team asks\n\n").unwrap();
    let (g, d) = parse_text(&CURRENT[..cut]);
    assert_eq!(g.format, None);
    assert_eq!(codes(&d), ["E0301", "W0203"]);
}

const LEGACY: &str = "## Async things

| Metadata | |
|---|---|
| Point of contact | @tom |
| Status | Not accepted |
| Flagship | Yes |

## Summary

Things.

## Ownership and team asks

| Task | Owner(s) or team(s) | Notes |
|---|---|---|
| Program management | @tom, @nik | |
| Discussion and moral support | ![Team][] [lang], [compiler] | |

### Send bound

| Task | Owner(s) or team(s) | Notes |
|---|---|---|
| ~~Implementation~~ | ~~@ce~~ | ![Complete][] |
| ~~RFC decision~~ | ~~[lang]~~ | ![Complete][] |
| Stabilization decision | ![Team][] [lang] [libs-api] | |
| Secret handshake | ![Team][] [lang] | |
| ↳ Standard reviews | ![Team] [t-compiler] | |

### Support needed from the project

Prose only.
";

#[test]
fn legacy_format_goal() {
    let (g, d) = parse_text(LEGACY);
    assert_eq!(codes(&d), ["E0306"], "{d:?}");
    assert_eq!(d[0].help.as_deref(), None);
    assert_eq!(g.format, Some(Format::Legacy));
    assert!(!g.is_live());
    assert!(g.is_flagship());
    assert_eq!(
        g.subgoals.len(),
        1,
        "prose-only subsections are not subgoals"
    );
    let asks: Vec<_> = g
        .asks
        .iter()
        .map(|a| match &a.level {
            AskLevel::Kind(k) => (a.team.value.as_str(), k.as_str(), a.subgoal, a.done),
            AskLevel::Size(_) => unreachable!(),
        })
        .collect();
    assert_eq!(
        asks,
        [
            ("lang", "Discussion and moral support", None, false),
            ("compiler", "Discussion and moral support", None, false),
            ("lang", "RFC decision", Some(0), true),
            ("lang", "Stabilization decision", Some(0), false),
            ("libs-api", "Stabilization decision", Some(0), false),
            ("compiler", "Standard reviews", Some(0), false),
        ]
    );
    assert_eq!(g.task_owners(), ["@ce", "@nik", "@tom"]);
    assert!(g.tasks.iter().any(|t| t.done && t.text == "Implementation"));
}

#[test]
fn missing_title_falls_back_to_slug() {
    let (g, d) = parse_text(
        "| Metadata | |\n|---|---|\n| Point of contact | @a |\n| Status | Proposed |\n\n## Team asks\n\n| Team | Support level | Notes |\n|---|---|---|\n| [lang] | Vibes | |\n",
    );
    assert_eq!(g.title, "g");
    assert_eq!(codes(&d), ["W0102"]);
}

#[test]
fn sentences() {
    assert_eq!(
        first_sentence("Do it, e.g. this. Next"),
        "Do it, e.g. this."
    );
    assert_eq!(first_sentence("See [a. b](x). Then"), "See [a. b](x).");
    assert_eq!(first_sentence("No end"), "No end");
}

/// The id a heading gets, written the long way: lower-cased whole, then
/// each character kept, turned into `-` or dropped.
fn slow_heading_id(plain: &str) -> String {
    plain
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            c if c.is_alphanumeric() || c == '_' || c == '-' => Some(c),
            c if c.is_whitespace() => Some('-'),
            _ => None,
        })
        .collect()
}

#[test]
fn heading_ids_of_ascii_titles_match_the_long_way() {
    for b in 0u8..0x80 {
        let title = format!("A{}b Ç", char::from(b));
        let ascii = format!("A{}b z", char::from(b));
        assert_eq!(heading_id(&title), slow_heading_id(&title), "{b:#x}");
        assert_eq!(heading_id(&ascii), slow_heading_id(&ascii), "{b:#x}");
    }
    assert_eq!(heading_id("ΟΔΟΣ Σ"), slow_heading_id("ΟΔΟΣ Σ"));
}

#[test]
fn repeated_headings_get_numbered_ids() {
    let doc = "# A\n# A\n# A-1\n# A\n# b\n";
    let o = Outline::parse(doc);
    assert_eq!(heading_ids(&o, doc), ["a", "a-1", "a-1-1", "a-2", "b"]);
}
