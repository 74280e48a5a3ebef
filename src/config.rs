//! `[preprocessor.goals]`: the tool's configuration.
//!
//! The preprocessor gets the table from mdBook's context (so
//! `MDBOOK_PREPROCESSOR__GOALS__*` overrides apply); the commands read it
//! from `book.toml` through the same mdBook config type. Either way the table
//! arrives here as a TOML value and is checked key by key: an unknown key is
//! an error that lists the known ones, a wrong type names the expected one.

use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggest};
use crate::facts::is_repository;
pub use crate::facts::{AskKind, AskKinds};
use crate::source::{Source, Span};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use toml::Value;

/// Keys of this tool, in the order the reference lists them.
pub const KEYS: &[&str] = &[
    "teams",
    "users",
    "ignore-users",
    "user-url",
    "links",
    "linkifiers",
    "team-asks",
    "repository",
    "site-url",
    "funding-contact",
    "on-error",
    "tracking-data",
    "api-url",
];

/// Keys mdBook itself reads from every preprocessor table.
pub(crate) const MDBOOK_KEYS: &[&str] = &["command", "before", "after", "renderers", "optional"];

/// Default GitHub API base URL.
pub(crate) const DEFAULT_API_URL: &str = "https://api.github.com";

/// Default profile URL pattern.
pub(crate) const DEFAULT_USER_URL: &str = "https://github.com/{user}";

/// What the preprocessor does with errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum OnError {
    /// Print them and fail the build.
    #[default]
    Fail,
    /// Show them in a box at the top of the affected chapter and go on.
    Render,
}

/// A text pattern turned into links.
#[derive(Clone, Debug)]
pub struct Linkifier {
    pub pattern: String,
    pub regex: Regex,
    /// URL with `$1`, `$2`, … for the capture groups.
    pub template: String,
    /// The template, read once against the regex's groups.
    pub(crate) url: Template,
}

impl Linkifier {
    /// The linkifier of a pattern and a URL template.
    pub fn new(pattern: String, regex: Regex, template: String) -> Linkifier {
        let url = Template::new(&template, &regex);
        Linkifier {
            pattern,
            regex,
            template,
            url,
        }
    }
}

/// A replacement template read once: the text between references, and the
/// capture group each reference names. It expands as
/// [`regex::Captures::expand`] does (`$1`, `$name`, `${name}`, `$$`; the
/// longest name after `$`; a reference to no group is empty) without
/// reading the template again for every match.
#[derive(Clone, Debug)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq)]
enum Part {
    Text(String),
    Group(usize),
}

impl Template {
    pub(crate) fn new(template: &str, regex: &Regex) -> Template {
        let mut parts = Vec::new();
        let mut text = String::new();
        let mut rest = template;
        while let Some(dollar) = rest.find('$') {
            text.push_str(&rest[..dollar]);
            let after = &rest[dollar + 1..];
            if let Some(tail) = after.strip_prefix('$') {
                text.push('$');
                rest = tail;
                continue;
            }
            // The name and how many bytes after `$` the reference takes.
            let name = match after.strip_prefix('{') {
                Some(braced) => braced.find('}').map(|end| (&braced[..end], end + 2)),
                None => {
                    let len = after
                        .bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count();
                    (len > 0).then(|| (&after[..len], len))
                }
            };
            let Some((name, len)) = name else {
                // Not a reference: the `$` is text.
                text.push('$');
                rest = after;
                continue;
            };
            rest = &after[len..];
            let group = match name.parse::<usize>() {
                Ok(i) => Some(i),
                Err(_) => regex.capture_names().position(|n| n == Some(name)),
            };
            if let Some(group) = group {
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                parts.push(Part::Group(group));
            }
        }
        text.push_str(rest);
        if !text.is_empty() {
            parts.push(Part::Text(text));
        }
        Template { parts }
    }

    /// The template with the groups of `caps` in place (a group that did
    /// not take part in the match is empty).
    pub(crate) fn expand(&self, caps: &regex::Captures<'_>) -> String {
        let pieces = self.parts.iter().map(|part| match part {
            Part::Text(t) => t.as_str(),
            Part::Group(i) => caps.get(*i).map_or("", |m| m.as_str()),
        });
        let mut out = String::with_capacity(pieces.clone().map(str::len).sum());
        out.extend(pieces);
        out
    }
}

/// The extra link definitions (label, URL) in configured order, each
/// found by its label in one lookup, however many there are.
#[derive(Clone, Debug, Default)]
pub struct LinkDefs {
    defs: Vec<(String, String)>,
    /// Label as CommonMark compares labels (lower case, blanks collapsed)
    /// → the first definition so labelled.
    by_label: HashMap<String, usize>,
}

impl LinkDefs {
    pub fn new(defs: Vec<(String, String)>) -> LinkDefs {
        let mut by_label = HashMap::with_capacity(defs.len());
        for (i, (label, _)) in defs.iter().enumerate() {
            by_label
                .entry(crate::markdown::lower_words(label))
                .or_insert(i);
        }
        LinkDefs { defs, by_label }
    }

    /// The URL of the first definition whose label compares equal to
    /// `key`, a label already in lower case with its blanks collapsed.
    pub fn url(&self, key: &str) -> Option<&str> {
        let i = *self.by_label.get(key)?;
        Some(self.defs[i].1.as_str())
    }
}

impl std::ops::Deref for LinkDefs {
    type Target = [(String, String)];
    fn deref(&self) -> &[(String, String)] {
        &self.defs
    }
}

#[derive(Clone, Debug)]
pub struct Config {
    pub teams: Option<PathBuf>,
    /// Login (lower case, no `@`) → display name.
    pub users: BTreeMap<String, String>,
    /// Logins (lower case, no `@`) never linked.
    pub ignore_users: BTreeSet<String>,
    pub user_url: String,
    /// Extra link definitions, label → URL.
    pub links: LinkDefs,
    pub linkifiers: Vec<Linkifier>,
    pub team_asks: AskKinds,
    /// `org/repo` of the tracking issues.
    pub repository: Option<String>,
    pub site_url: Option<String>,
    pub funding_contact: Option<String>,
    pub on_error: OnError,
    /// Folder (relative to the book root) of the `<period>.json` snapshots.
    pub tracking_data: PathBuf,
    /// GitHub API base URL, without a trailing `/`.
    pub api_url: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            teams: None,
            users: BTreeMap::new(),
            ignore_users: BTreeSet::new(),
            user_url: DEFAULT_USER_URL.to_string(),
            links: LinkDefs::default(),
            linkifiers: Vec::new(),
            team_asks: AskKind::defaults(),
            repository: None,
            site_url: None,
            funding_contact: None,
            on_error: OnError::Fail,
            tracking_data: PathBuf::from("tracking"),
            api_url: DEFAULT_API_URL.to_string(),
        }
    }
}

impl Config {
    /// Reads the `[preprocessor.goals]` table. `table` is `None` when the
    /// book has no such table. `source` is the text of `book.toml` when the
    /// caller has it, so diagnostics can point at the key; otherwise they
    /// name `book.toml` without a line.
    pub(crate) fn from_toml(
        table: Option<&Value>,
        source: Option<&Arc<Source>>,
        diags: &mut Diagnostics,
    ) -> Config {
        let mut config = Config::default();
        let Some(value) = table else {
            return config;
        };
        let mut cx = Cx { source, diags };
        let Some(table) = value.as_table() else {
            cx.error(
                Code::InvalidConfig,
                "",
                "`[preprocessor.goals]` must be a table".into(),
            );
            return config;
        };
        for (key, value) in table {
            match key.as_str() {
                "teams" => config.teams = cx.string(key, value).map(PathBuf::from),
                "users" => {
                    for (user, name) in cx.string_table(key, value) {
                        config.users.insert(login(&user), name);
                    }
                }
                "ignore-users" => {
                    config.ignore_users = cx
                        .string_list(key, value)
                        .iter()
                        .map(|u| login(u))
                        .collect();
                }
                "user-url" => {
                    if let Some(url) = cx.string(key, value) {
                        if !url.contains("{user}") {
                            cx.error(
                                Code::InvalidConfig,
                                key,
                                format!("`user-url` must contain `{{user}}`, found `{url}`"),
                            );
                        } else if cx.url(key, &url, &url.replace("{user}", "user")) {
                            config.user_url = url;
                        }
                    }
                }
                "links" => {
                    config.links = LinkDefs::new(
                        cx.string_table(key, value)
                            .into_iter()
                            .filter(|(_, url)| cx.url(key, url, url))
                            .collect(),
                    );
                }
                "linkifiers" => {
                    for (pattern, template) in cx.string_table(key, value) {
                        // The part before the first capture fixes the scheme;
                        // what a capture adds is checked when a link is made.
                        let fixed = template.split('$').next().unwrap_or("");
                        if !cx.url(key, &template, fixed) {
                            continue;
                        }
                        match Regex::new(&pattern) {
                            Ok(regex) => config
                                .linkifiers
                                .push(Linkifier::new(pattern, regex, template)),
                            Err(e) => cx.error(
                                Code::InvalidConfig,
                                key,
                                format!(
                                    "linkifier `{pattern}` is not a valid regular expression: {e}"
                                ),
                            ),
                        }
                    }
                }
                "team-asks" => {
                    if let Some(kinds) = cx.team_asks(key, value) {
                        config.team_asks = kinds;
                    }
                }
                "repository" => {
                    if let Some(repo) = cx.string(key, value) {
                        if is_repository(&repo) {
                            config.repository = Some(repo);
                        } else {
                            cx.error(
                                Code::InvalidConfig,
                                key,
                                format!("`repository` must look like `org/repo`, found `{repo}`"),
                            );
                        }
                    }
                }
                "site-url" => {
                    config.site_url = cx
                        .string(key, value)
                        .filter(|s| cx.url(key, s, s))
                        .map(|s| s.trim_end_matches('/').to_string())
                }
                "funding-contact" => config.funding_contact = cx.string(key, value),
                "on-error" => match cx.string(key, value).as_deref() {
                    Some("fail") => config.on_error = OnError::Fail,
                    Some("render") => config.on_error = OnError::Render,
                    Some(other) => cx.error(
                        Code::InvalidConfig,
                        key,
                        format!("`on-error` must be `fail` or `render`, found `{other}`"),
                    ),
                    None => {}
                },
                "tracking-data" => {
                    if let Some(dir) = cx.string(key, value) {
                        config.tracking_data = PathBuf::from(dir);
                    }
                }
                "api-url" => {
                    if let Some(url) = cx.string(key, value) {
                        if url.starts_with("https://") || url.starts_with("http://") {
                            config.api_url = url.trim_end_matches('/').to_string();
                        } else {
                            cx.error(
                                Code::InvalidConfig,
                                key,
                                format!("`api-url` must be an `https://` URL, found `{url}`"),
                            );
                        }
                    }
                }
                k if MDBOOK_KEYS.contains(&k) => {}
                unknown => {
                    let d = Diagnostic::new(
                        Code::UnknownConfigKey,
                        format!("unknown key `{unknown}` in `[preprocessor.goals]`"),
                    )
                    .suggest(suggest(unknown, KEYS.iter().copied()));
                    let help = d.help.clone().map_or(String::new(), |h| format!("{h} "));
                    let d = d.help(format!(
                        "{help}known keys: {}; mdBook's own: {}",
                        KEYS.join(", "),
                        MDBOOK_KEYS.join(", ")
                    ));
                    cx.push(d, unknown);
                }
            }
        }
        config
    }

    /// The display name of a user, if configured.
    pub(crate) fn display_name(&self, user: &str) -> Option<&str> {
        with_login(user, |key| self.users.get(key)).map(String::as_str)
    }

    pub(crate) fn is_ignored(&self, user: &str) -> bool {
        with_login(user, |key| self.ignore_users.contains(key))
    }

    /// The profile URL of a user.
    pub(crate) fn user_link(&self, user: &str) -> String {
        use memchr::memmem::Finder;
        static PLACEHOLDER: std::sync::OnceLock<Finder<'static>> = std::sync::OnceLock::new();
        let placeholder = PLACEHOLDER.get_or_init(|| Finder::new("{user}"));
        let login = user.trim_start_matches('@');
        let mut out = String::with_capacity(self.user_url.len() + login.len());
        let mut at = 0;
        for i in placeholder.find_iter(self.user_url.as_bytes()) {
            out.push_str(&self.user_url[at..i]);
            out.push_str(login);
            at = i + "{user}".len();
        }
        out.push_str(&self.user_url[at..]);
        out
    }

    /// The ask kind a task text names: see [`AskKinds::find`].
    pub fn ask_kind(&self, text: &str) -> Option<&AskKind> {
        self.team_asks.find(text)
    }
}

/// Lower-case login without the `@`.
pub(crate) fn login(user: &str) -> String {
    user.trim().trim_start_matches('@').to_lowercase()
}

/// `f` of [`login`]`(user)`, without allocating for a short ASCII login.
fn with_login<R>(user: &str, f: impl FnOnce(&str) -> R) -> R {
    crate::markdown::with_lower(user.trim().trim_start_matches('@'), f)
}

struct Cx<'a> {
    source: Option<&'a Arc<Source>>,
    diags: &'a mut Diagnostics,
}

impl Cx<'_> {
    fn push(&mut self, d: Diagnostic, key: &str) {
        let d = match self.source {
            Some(src) => match locate_key(src.text(), key) {
                Some(span) => d.at(src, span),
                None => d.in_file(src.path()),
            },
            None => d.in_file(std::path::Path::new("book.toml")),
        };
        self.diags.push(d);
    }

    fn error(&mut self, code: Code, key: &str, message: String) {
        self.push(Diagnostic::new(code, message), key);
    }

    /// Whether the URL `value` of `key` may be used, `checked` being the
    /// form the policy judges (a template with its placeholders filled);
    /// an error at the value when not.
    fn url(&mut self, key: &str, value: &str, checked: &str) -> bool {
        let Err(why) = crate::render::escape::check_url(checked) else {
            return true;
        };
        let d = Diagnostic::new(
            Code::UnsafeConfigUrl,
            format!("`{key}` has the URL `{value}`, which cannot be used as a link: {why}"),
        )
        .label("not used")
        .help("links may use `https:`, `http:`, `mailto:` or a path relative to the page");
        let d = match self.source {
            Some(src) => match locate_value(src.text(), value) {
                Some(span) => d.at(src, span),
                None => match locate_key(src.text(), key) {
                    Some(span) => d.at(src, span),
                    None => d.in_file(src.path()),
                },
            },
            None => d.in_file(std::path::Path::new("book.toml")),
        };
        self.diags.push(d);
        false
    }

    fn type_error(&mut self, key: &str, expected: &str, found: &Value) {
        self.error(
            Code::InvalidConfig,
            key,
            format!("`{key}` must be {expected}, found {}", found.type_str()),
        );
    }

    fn string(&mut self, key: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            other => {
                self.type_error(key, "a string", other);
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, value: &Value) -> Vec<String> {
        match value {
            Value::Array(items) if items.iter().all(Value::is_str) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            other => {
                self.type_error(key, "an array of strings", other);
                Vec::new()
            }
        }
    }

    fn string_table(&mut self, key: &str, value: &Value) -> Vec<(String, String)> {
        match value {
            Value::Table(t) if t.values().all(Value::is_str) => t
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect(),
            other => {
                self.type_error(key, "a table of strings", other);
                Vec::new()
            }
        }
    }

    fn team_asks(&mut self, key: &str, value: &Value) -> Option<AskKinds> {
        let Value::Table(t) = value else {
            self.type_error(key, "a table", value);
            return None;
        };
        let mut kinds = Vec::new();
        for (name, entry) in t {
            let Value::Table(e) = entry else {
                self.type_error(key, "a table of `{ short, about, elide }` tables", entry);
                continue;
            };
            let text = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_string);
            if let Some(unknown) = e
                .keys()
                .find(|k| !["short", "about", "elide"].contains(&k.as_str()))
            {
                self.error(
                    Code::UnknownConfigKey,
                    key,
                    format!(
                        "unknown key `{unknown}` in team ask `{name}`; known: short, about, elide"
                    ),
                );
            }
            kinds.push(AskKind {
                name: name.clone(),
                short: text("short").unwrap_or_else(|| name.clone()),
                about: text("about").unwrap_or_default(),
                elide: e.get("elide").and_then(Value::as_bool).unwrap_or(false),
            });
        }
        Some(AskKinds::new(kinds))
    }
}

/// The span of a string value (quotes included) written as a basic or
/// literal string in the `[preprocessor.goals…]` part of a `book.toml`
/// text, when it is written without escapes.
pub(crate) fn locate_value(text: &str, value: &str) -> Option<Span> {
    let goals = text.find("[preprocessor.goals")?;
    ['"', '\'']
        .iter()
        .filter_map(|q| {
            let quoted = format!("{q}{value}{q}");
            text[goals..]
                .find(&quoted)
                .map(|i| goals + i..goals + i + quoted.len())
        })
        .min_by_key(|s| s.start)
}

/// The span of `key` inside the `[preprocessor.goals…]` part of a
/// `book.toml` text: the first line that starts with the key, or the
/// sub-table header that names it.
pub(crate) fn locate_key(text: &str, key: &str) -> Option<Span> {
    let mut in_goals = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with('[') {
            let header = t.trim_matches(|c| c == '[' || c == ']').trim();
            in_goals = header == "preprocessor.goals" || header.starts_with("preprocessor.goals.");
            if in_goals && !key.is_empty() && header == format!("preprocessor.goals.{key}") {
                let start = offset + line.find(key).unwrap_or(0);
                return Some(start..start + key.len());
            }
            if in_goals && key.is_empty() {
                let start = offset + line.len() - line.trim_start().len();
                return Some(start..start + t.len());
            }
        } else if in_goals && !key.is_empty() {
            let bare = t.trim_start_matches('"');
            if bare.starts_with(key)
                && bare[key.len()..]
                    .trim_start_matches('"')
                    .trim_start()
                    .starts_with(['=', '.'])
            {
                let start = offset + line.find(key).unwrap_or(0);
                return Some(start..start + key.len());
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_expand_as_the_regex_crate_expands_them() {
        let regex = Regex::new(r"(?<org>[a-z]+)/(?<repo>[a-z]+)#([0-9]+)(x)?").unwrap();
        let templates = [
            "https://gh/$1/$2/issues/$3",
            "https://gh/$org/${repo}/issues/${3}",
            "$$1 $$$1 $",
            "$1a ${1}a $org_x ${org}_x",
            "${unclosed $ $- $. ${} ${+1} $01 $4 $99 ${nope}",
            "plain, no reference",
            "",
            "$0|${0}|$3$3",
            "é$1ü${org}ß",
        ];
        let haystacks = ["see rust/lang#12 here", "rust/lang#7x"];
        for template in templates {
            let t = Template::new(template, &regex);
            for hay in haystacks {
                let caps = regex.captures(hay).unwrap();
                let mut theirs = String::new();
                caps.expand(template, &mut theirs);
                assert_eq!(t.expand(&caps), theirs, "{template:?} on {hay:?}");
            }
        }
    }

    fn parse(text: &str) -> (Config, Diagnostics) {
        let src = Source::new("book.toml", text);
        let value: toml::Table = text.parse().unwrap();
        let goals = value
            .get("preprocessor")
            .and_then(|p| p.get("goals"))
            .cloned();
        let mut d = Diagnostics::new();
        let c = Config::from_toml(goals.as_ref(), Some(&src), &mut d);
        (c, d)
    }

    #[test]
    fn profile_links_replace_every_placeholder() {
        let mut c = Config::default();
        for url in [
            "https://x/{user}",
            "{user}{user}/{user}",
            "https://x/",
            "{use{user}r}",
            "",
        ] {
            c.user_url = url.to_string();
            assert_eq!(c.user_link("@ada"), url.replace("{user}", "ada"), "{url:?}");
        }
    }

    #[test]
    fn logins_are_looked_up_as_login_makes_them() {
        let long = format!("@{}", "Ab".repeat(40));
        for user in [
            "@Ada",
            " @BO-b_1 ",
            "Ada",
            "@ÉLodie",
            "@ΟΔΟΣ",
            "@",
            "",
            long.as_str(),
        ] {
            with_login(user, |key| assert_eq!(key, login(user), "{user:?}"));
        }
    }

    #[test]
    fn reads_every_key() {
        let (c, d) = parse(
            r#"
[preprocessor.goals]
before = ["links"]
teams = "teams.toml"
users = { "@Alice" = "Alice A." }
ignore-users = ["@bot"]
user-url = "https://example.org/{user}"
repository = "org/goals"
site-url = "https://example.org/goals/"
funding-contact = "[Fund](https://f.example)"
on-error = "render"
tracking-data = "data/tracking"
api-url = "https://github.example/api/v3/"

[preprocessor.goals.links]
"Help wanted" = "https://img/help"

[preprocessor.goals.linkifiers]
"RFC #([0-9]+)" = "https://rfcs/$1"

[preprocessor.goals.team-asks]
"Design meeting" = { short = "Mtg", about = "Meet", elide = false }
"#,
        );
        assert!(d.is_empty(), "{:?}", d);
        assert_eq!(c.teams, Some(PathBuf::from("teams.toml")));
        assert_eq!(c.display_name("@alice"), Some("Alice A."));
        assert!(c.is_ignored("@Bot"));
        assert_eq!(c.user_link("@x"), "https://example.org/x");
        assert_eq!(c.repository.as_deref(), Some("org/goals"));
        assert_eq!(c.site_url.as_deref(), Some("https://example.org/goals"));
        assert_eq!(c.on_error, OnError::Render);
        assert_eq!(c.tracking_data, PathBuf::from("data/tracking"));
        assert_eq!(c.api_url, "https://github.example/api/v3");
        assert_eq!(
            *c.links,
            [("Help wanted".to_string(), "https://img/help".to_string())]
        );
        assert_eq!(c.links.url("help wanted"), Some("https://img/help"));
        assert_eq!(c.links.url("help"), None);
        assert_eq!(c.linkifiers.len(), 1);
        assert_eq!(c.team_asks.len(), 1);
        assert_eq!(c.ask_kind("mtg").unwrap().name, "Design meeting");
    }

    #[test]
    fn defaults_hold_the_spec_ask_kinds() {
        let c = Config::default();
        assert_eq!(c.team_asks.len(), 21);
        assert_eq!(c.ask_kind("Lang-team champion").unwrap().short, "Champion");
        assert_eq!(c.team_asks[0].name, "Allocate funds");
        assert_eq!(c.team_asks.iter().filter(|k| k.elide).count(), 2);
        assert_eq!(c.ask_kind("r?").unwrap().name, "Standard reviews");
        assert_eq!(c.ask_kind("RFC decisions").unwrap().name, "RFC decision");
        assert_eq!(
            c.ask_kind("standard review").unwrap().name,
            "Standard reviews"
        );
        assert!(c.ask_kind("RFC decisionss").is_none());
        assert!(c.ask_kind("RFC").is_some());
        assert!(c.ask_kind("RFCs decision").is_none());
        // A hyphen is a space, in either number.
        assert_eq!(
            c.ask_kind("Lang team experiments").unwrap().name,
            "Lang-team experiment"
        );
        // A last word cut short names the one kind it starts.
        assert_eq!(
            c.ask_kind("Dedicated review").unwrap().name,
            "Dedicated reviewer"
        );
        assert!(c.ask_kind("Dedicated r").is_none());
        assert!(c.ask_kind("Design").is_none());
        assert!(c.ask_kind("Implementation").is_none());
        assert_eq!(c.user_link("@bob"), "https://github.com/bob");
    }

    #[test]
    fn unknown_and_mistyped_keys_are_located() {
        let (_, d) = parse(
            "[book]\n[preprocessor.goals]\nteam = \"t.toml\"\non-error = \"explode\"\nrepository = 3\n",
        );
        let mut d = d;
        d.sort();
        let v = d.into_vec();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0].code, Code::UnknownConfigKey);
        assert!(
            v[0].help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `teams`?")
        );
        let loc = v[0].location.as_ref().unwrap();
        assert_eq!(loc.source.line_col(loc.span.start).line, 3);
        assert_eq!(v[1].code, Code::InvalidConfig);
        assert!(v[2].message.contains("must be a string"));
    }

    #[test]
    fn bad_regex_is_an_error() {
        let (c, d) = parse("[preprocessor.goals.linkifiers]\n\"(\" = \"x\"\n");
        assert!(c.linkifiers.is_empty());
        assert_eq!(d.into_vec()[0].code, Code::InvalidConfig);
    }
}
