//! The team registry: which teams exist, their display names, links, leads
//! and members (SPEC §6).
//!
//! Two layouts are read, chosen by file extension:
//! - `*.toml`: `[teams.<key>]` tables with `name`, `url`, `leads`, `members`;
//! - `*.json`: the team API's `teams.json`, a map from team name to a team
//!   with `members` (`github`, `is_lead`) and optional `website_data`. The
//!   map may also sit under a top-level `teams` key.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest_configured};
use crate::source::{Source, Span};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// One team.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Team {
    /// The name goal files use, e.g. `lang`.
    pub key: String,
    /// Display name, e.g. `Language team`.
    pub name: String,
    pub url: Option<String>,
    /// `@login`s.
    pub leads: Vec<String>,
    /// `@login`s (leads not repeated).
    pub members: Vec<String>,
}

/// All teams, looked up case-insensitively.
#[derive(Clone, Debug, Default)]
pub struct Registry {
    teams: BTreeMap<String, Team>,
}

impl Registry {
    /// Parses a registry file; the extension picks the layout.
    pub(crate) fn parse(source: &Arc<Source>) -> Result<Registry, Box<Diagnostic>> {
        let is_json = source
            .path()
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            parse_json(source)
        } else {
            parse_toml(source)
        }
    }

    /// A registry of one team with a page, for tests.
    #[cfg(test)]
    pub(crate) fn one(key: &str, name: &str, url: &str) -> Registry {
        Registry::from_teams([Team {
            key: key.into(),
            name: name.into(),
            url: Some(url.into()),
            leads: vec![],
            members: vec![],
        }])
    }

    pub(crate) fn from_teams(teams: impl IntoIterator<Item = Team>) -> Registry {
        Registry {
            teams: teams
                .into_iter()
                .map(|t| (t.key.to_lowercase(), t))
                .collect(),
        }
    }

    /// The team a goal file names. `t-lang` finds `lang` when there is no
    /// team called `t-lang`.
    pub fn get(&self, name: &str) -> Option<&Team> {
        crate::markdown::with_lower(name.trim(), |key| {
            self.teams
                .get(key)
                .or_else(|| key.strip_prefix("t-").and_then(|rest| self.teams.get(rest)))
        })
    }

    /// Team keys, sorted.
    pub(crate) fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.teams.values().map(|t| t.key.as_str())
    }

    pub fn len(&self) -> usize {
        self.teams.len()
    }

    pub fn is_empty(&self) -> bool {
        self.teams.is_empty()
    }

    /// Removes every team URL the link policy refuses (`javascript:`,
    /// `//host`, …), with a warning at the value in the registry file: the
    /// team is then shown without a link.
    pub(crate) fn drop_unsafe_urls(&mut self, source: &Arc<Source>, diags: &mut Diagnostics) {
        for team in self.teams.values_mut() {
            let Some(url) = &team.url else { continue };
            let Err(why) = crate::render::escape::check_url(url) else {
                continue;
            };
            let text = source.text();
            let span = text
                .find(url.as_str())
                .map(|i| i..i + url.len())
                .or_else(|| {
                    [format!("\"{}\"", team.key), format!("teams.{}", team.key)]
                        .iter()
                        .find_map(|k| text.find(k.as_str()).map(|i| i..i + k.len()))
                })
                .unwrap_or(0..0);
            diags.push(
                Diagnostic::new(
                    Code::UnsafeTeamUrl,
                    format!(
                        "team `{}` has the URL `{url}`, which cannot be used as a link: {why}",
                        team.key
                    ),
                )
                .at(source, span)
                .label("not used")
                .help("links may use `https:`, `http:`, `mailto:` or a relative path; the team is shown without a link"),
            );
            team.url = None;
        }
    }

    /// The closest team key to a misspelt name.
    pub(crate) fn suggest(&self, name: &str) -> Option<&str> {
        suggest_configured(name, self.keys())
    }
}

impl crate::facts::KnownTeams for Registry {
    fn key(&self, name: &str) -> Option<&str> {
        self.get(name).map(|t| t.key.as_str())
    }

    fn suggest(&self, name: &str) -> Option<&str> {
        Registry::suggest(self, name)
    }

    fn keys(&self) -> Vec<&str> {
        Registry::keys(self).collect()
    }
}

fn invalid(source: &Arc<Source>, span: Option<Span>, message: String) -> Box<Diagnostic> {
    Box::new(Diagnostic::new(Code::InvalidTeamRegistry, message).at(source, span.unwrap_or(0..0)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    #[serde(default)]
    teams: BTreeMap<String, TomlTeam>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlTeam {
    name: Option<String>,
    url: Option<String>,
    #[serde(default)]
    leads: Vec<String>,
    #[serde(default)]
    members: Vec<String>,
}

fn parse_toml(source: &Arc<Source>) -> Result<Registry, Box<Diagnostic>> {
    let file: TomlFile = toml::from_str(source.text()).map_err(|e| {
        invalid(
            source,
            e.span(),
            format!("the team registry is not valid: {}", e.message()),
        )
    })?;
    Ok(Registry::from_teams(file.teams.into_iter().map(
        |(key, t)| {
            let leads: Vec<String> = t.leads.iter().map(|u| at_user(u)).collect();
            // A lead listed as a member too is a lead only.
            let lead: HashSet<String> = leads.iter().map(|l| l.to_ascii_lowercase()).collect();
            let members = t
                .members
                .iter()
                .map(|u| at_user(u))
                .filter(|m| !lead.contains(&m.to_ascii_lowercase()))
                .collect();
            Team {
                name: t.name.unwrap_or_else(|| key.clone()),
                key,
                url: t.url,
                leads,
                members,
            }
        },
    )))
}

#[derive(Deserialize)]
struct JsonTeam {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    subteam_of: Option<String>,
    #[serde(default)]
    members: Vec<JsonMember>,
    #[serde(default)]
    website_data: Option<JsonWebsite>,
    /// Not part of the team API; honoured when present.
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct JsonMember {
    github: String,
    #[serde(default)]
    is_lead: bool,
}

#[derive(Deserialize)]
struct JsonWebsite {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    page: Option<String>,
}

fn parse_json(source: &Arc<Source>) -> Result<Registry, Box<Diagnostic>> {
    let error = |e: serde_json::Error| {
        let offset = crate::source::offset_of(source.text(), e.line(), e.column());
        invalid(
            source,
            Some(offset..offset),
            format!("the team registry is not valid JSON in the team API layout: {e}"),
        )
    };
    let value: serde_json::Value = serde_json::from_str(source.text()).map_err(error)?;
    // `{"teams": {...}}` or the API's flat `{...}`.
    let map = match value.get("teams") {
        Some(inner @ serde_json::Value::Object(o))
            if o.values().all(|v| v.get("members").is_some()) =>
        {
            inner.clone()
        }
        _ => value,
    };
    let teams: BTreeMap<String, JsonTeam> = serde_json::from_value(map).map_err(|e| {
        invalid(
            source,
            None,
            format!("the team registry is not in the team API layout: {e}"),
        )
    })?;
    let page_url = |t: &JsonTeam| -> Option<String> {
        let page = t.website_data.as_ref()?.page.as_ref()?;
        let section = match t.kind.as_deref() {
            Some("working_group") => "wgs",
            Some("project_group") => "project-groups",
            _ => "teams",
        };
        Some(format!(
            "https://www.rust-lang.org/governance/{section}/{page}"
        ))
    };
    let own_urls: BTreeMap<&str, Option<String>> = teams
        .iter()
        .map(|(k, t)| (k.as_str(), t.url.clone().or_else(|| page_url(t))))
        .collect();
    Ok(Registry::from_teams(teams.iter().map(|(key, t)| {
        // Subteams without a page of their own are listed on their parent's.
        let url = own_urls[key.as_str()].clone().or_else(|| {
            t.subteam_of
                .as_deref()
                .and_then(|p| own_urls.get(p).cloned().flatten())
        });
        Team {
            key: key.clone(),
            name: t
                .website_data
                .as_ref()
                .and_then(|w| w.name.clone())
                .or_else(|| t.name.clone())
                .unwrap_or_else(|| key.clone()),
            url,
            leads: t
                .members
                .iter()
                .filter(|m| m.is_lead)
                .map(|m| at_user(&m.github))
                .collect(),
            members: t
                .members
                .iter()
                .filter(|m| !m.is_lead)
                .map(|m| at_user(&m.github))
                .collect(),
        }
    })))
}

/// `@login` form of a user name.
pub(crate) fn at_user(u: &str) -> String {
    let u = u.trim();
    if u.starts_with('@') {
        u.to_string()
    } else {
        format!("@{u}")
    }
}

/// Loads the registry named in the configuration, reporting problems.
/// Without a configured registry, one warning says names are not checked.
pub(crate) fn load(
    configured: Option<&std::path::Path>,
    book_root: &std::path::Path,
    diags: &mut Diagnostics,
    config_path: &std::path::Path,
) -> Option<Registry> {
    let Some(rel) = configured else {
        diags.push(
            Diagnostic::new(
                Code::NoTeamRegistry,
                "no team registry is configured, so team names are not checked",
            )
            .in_file(config_path)
            .help("set `teams = \"teams.toml\"` in `[preprocessor.goals]`"),
        );
        return None;
    };
    let file = book_root.join(rel);
    let display = crate::paths::display_path(&file);
    match Source::read(&file, &display) {
        Ok(src) => match Registry::parse(&src) {
            Ok(mut reg) => {
                reg.drop_unsafe_urls(&src, diags);
                Some(reg)
            }
            Err(d) => {
                diags.push(*d);
                None
            }
        },
        Err(e) => {
            let io = matches!(e, crate::source::ReadError::Io(_));
            let mut d =
                e.into_diagnostic(&display, "the team registry is not valid UTF-8", |why| {
                    format!(
                        "cannot read the team registry `{}`: {why}",
                        display.display()
                    )
                });
            if d.code != Code::NotUtf8 {
                // The registry is named in `book.toml`: that is where to act.
                d = d.in_file(config_path);
            }
            if io {
                d.code = Code::InvalidTeamRegistry;
            }
            diags.push(d);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_layout() {
        let src = Source::new(
            "teams.toml",
            "[teams.lang]\nname = \"Language team\"\nurl = \"https://x/lang\"\nleads = [\"@alice\"]\nmembers = [\"@Alice\", \"bob\"]\n\n[teams.libs-api]\n",
        );
        let reg = Registry::parse(&src).unwrap();
        let lang = reg.get("Lang").unwrap();
        assert_eq!(lang.name, "Language team");
        assert_eq!(lang.leads, ["@alice"]);
        assert_eq!(lang.members, ["@bob"]);
        assert_eq!(reg.get("libs-api").unwrap().name, "libs-api");
        assert_eq!(reg.get("t-lang").unwrap().key, "lang");
        assert!(reg.get("compiler").is_none());
        assert_eq!(reg.suggest("lagn"), Some("lang"));
    }

    #[test]
    fn a_team_of_twenty_thousand_leads_keeps_only_its_other_members() {
        let n = 20_000;
        let list = |f: &dyn Fn(usize) -> String| {
            (0..n)
                .map(|i| format!("\"{}\"", f(i)))
                .collect::<Vec<_>>()
                .join(",")
        };
        // Every other member is also a lead, in another case.
        let text = format!(
            "[teams.big]\nleads = [{}]\nmembers = [{}]\n",
            list(&|i| format!("@lead{i}")),
            list(&|i| if i % 2 == 0 {
                format!("@LEAD{i}")
            } else {
                format!("@member{i}")
            }),
        );
        let reg = Registry::parse(&Source::new("teams.toml", text)).unwrap();
        let big = reg.get("big").unwrap();
        assert_eq!(big.leads.len(), n);
        assert_eq!(big.members.len(), n / 2);
        assert!(big.members.iter().all(|m| m.starts_with("@member")));
    }

    #[test]
    fn toml_errors_are_located() {
        let src = Source::new("teams.toml", "[teams.lang]\nleads = \"@a\"\n");
        let d = Registry::parse(&src).unwrap_err();
        assert_eq!(d.code, Code::InvalidTeamRegistry);
        let loc = d.location.unwrap();
        assert_eq!(loc.source.line_col(loc.span.start).line, 2);
    }

    #[test]
    fn json_layouts() {
        let flat = r#"{"lang": {"name": "lang", "kind": "team", "subteam_of": null,
            "members": [{"name": "A", "github": "alice", "github_id": 1, "is_lead": true},
                        {"name": "B", "github": "bob", "github_id": 2, "is_lead": false}],
            "website_data": {"name": "Language team", "page": "lang"}},
          "lang-docs": {"name": "lang-docs", "kind": "team", "subteam_of": "lang",
            "members": [], "website_data": null}}"#;
        for text in [flat.to_string(), format!("{{\"teams\": {flat}}}")] {
            let src = Source::new("teams.json", text);
            let reg = Registry::parse(&src).unwrap();
            let lang = reg.get("lang").unwrap();
            assert_eq!(lang.name, "Language team");
            assert_eq!(lang.leads, ["@alice"]);
            assert_eq!(lang.members, ["@bob"]);
            assert_eq!(
                lang.url.as_deref(),
                Some("https://www.rust-lang.org/governance/teams/lang")
            );
            assert_eq!(reg.get("lang-docs").unwrap().url, lang.url);
        }
    }

    #[test]
    fn bad_json_is_one_diagnostic() {
        let src = Source::new("teams.json", "{\"lang\": [1, 2]}");
        assert_eq!(
            Registry::parse(&src).unwrap_err().code,
            Code::InvalidTeamRegistry
        );
        let src = Source::new("teams.json", "{\n  \"lang\": ");
        let d = Registry::parse(&src).unwrap_err();
        let loc = d.location.unwrap();
        assert_eq!(loc.source.line_col(loc.span.start).line, 2);
    }
}
