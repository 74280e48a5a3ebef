//! Text links (SPEC §7.2): `@user` mentions, `[team]` references,
//! linkifiers and extra link definitions.
//!
//! Only text runs outside code, raw HTML, existing links and link
//! definitions are touched; the outline provides exactly those runs. A
//! reference the book does not define (`[lang]`, `![Help wanted][]`,
//! `[org/repo#12]`) is resolved by adding a link definition at the end of
//! the chapter, so the author's text is left as written.
//!
//! Linkifier matches never overlap each other, a mention or a URL: at each
//! point the leftmost match wins; at the same point a mention comes first,
//! then linkifiers in the order the configuration lists them.

use super::badge::Badge;
use super::{Edit, escape, pieces, splice};
use crate::context::Context;
use crate::goal::values::user_len;
use crate::markdown::Outline;
use std::collections::{BTreeMap, HashMap};

/// What the text pass needs.
#[derive(Clone, Copy)]
pub(crate) struct Links<'a> {
    /// The configuration and the team registry.
    pub context: &'a Context,
    pub target: super::Target,
}

/// Link definitions to append, by normalised label: (label as written, URL).
pub(crate) type Definitions = BTreeMap<String, (String, String)>;

impl Links<'_> {
    /// The markdown for a mention: a link to the profile labelled with the
    /// display name, or the text unchanged for ignored users.
    pub(crate) fn user(&self, user: &str) -> String {
        let login = user.strip_prefix('@').unwrap_or("");
        let plain_login = !login.is_empty()
            && login
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !plain_login {
            // Not a mention: the value is shown as written, as text.
            return escape::cell(user);
        }
        if self.context.config.is_ignored(user) {
            return user.to_string();
        }
        let label = self
            .context
            .config
            .display_name(user)
            .map_or_else(|| user.to_string(), escape::text);
        escape::link(&label, &self.context.config.user_link(user))
    }

    /// The URL a missing reference label resolves to, if any; `key` is the
    /// label normalised.
    fn resolve(&self, label: &str, key: &str) -> Option<String> {
        if let Some(url) = self.context.config.links.url(key) {
            return Some(url.to_string());
        }
        if let Some(url) = self
            .context
            .teams
            .as_ref()
            .and_then(|r| r.get(label))
            .and_then(|t| t.url.clone())
        {
            return Some(url);
        }
        let label = label.trim();
        for l in &self.context.config.linkifiers {
            if let Some(caps) = l.regex.captures(label)
                && caps
                    .get(0)
                    .is_some_and(|m| m.start() == 0 && m.end() == label.len())
            {
                return Some(l.url.expand(&caps));
            }
        }
        None
    }

    /// The edits that link a document's text, and the definitions its
    /// missing references need.
    pub(crate) fn edits(&self, text: &str, outline: &Outline) -> (Vec<Edit>, Definitions) {
        let mut defs = Definitions::new();
        let edits = self.link(text, outline, &mut defs);
        (edits, defs)
    }

    /// The edits that link a document's text (or a piece of markdown
    /// parsed alone), adding the definitions its missing references need
    /// to `defs`.
    pub(crate) fn link(&self, text: &str, outline: &Outline, defs: &mut Definitions) -> Vec<Edit> {
        let mut resolved: Vec<std::ops::Range<usize>> = Vec::new();
        let mut edits = defined_badges(outline, self.target);
        for b in &outline.broken_refs {
            // A known badge is text, never a remote image.
            let image = text[b.span.clone()].starts_with('!');
            if let Some(badge) = image.then(|| Badge::from_label(&b.label)).flatten() {
                edits.push(Edit {
                    range: b.span.clone(),
                    text: badge.render(self.target),
                });
                resolved.push(b.span.clone());
                continue;
            }
            let key = normalize_label(&b.label);
            let url = self.resolve(&b.label, &key);
            if let Some(url) = url.filter(|u| escape::check_url(u).is_ok()) {
                defs.entry(key).or_insert_with(|| (b.label.clone(), url));
                resolved.push(b.span.clone());
            }
        }
        resolved.sort_by_key(|r| r.start);
        // Both lists are sorted: one walk over both.
        let mut skip = resolved.iter().peekable();
        let runs: Vec<&std::ops::Range<usize>> = outline
            .texts
            .iter()
            .filter(|r| {
                while skip.next_if(|s| s.end <= r.start).is_some() {}
                skip.peek().is_none_or(|s| s.start > r.start)
            })
            .collect();
        // Candidates: (start, end, rank, replacement), document offsets.
        let mut found: Vec<(usize, usize, usize, String)> = Vec::new();
        let run_at = |at: usize| {
            let i = runs.partition_point(|r| r.end <= at);
            runs.get(i).filter(|r| r.start <= at).copied()
        };
        // A page names the same people again and again: each mention, as
        // written, is rendered once.
        let mut mentions: HashMap<&str, Option<String>> = HashMap::new();
        for at in memchr::memchr_iter(b'@', text.as_bytes()) {
            let Some(run) = run_at(at) else { continue };
            let s = &text[run.start..run.end];
            let len = user_len(s, at - run.start);
            let user = &text[at..at + 1 + len];
            if len == 0 {
                continue;
            }
            let rendered = mentions.entry(user).or_insert_with(|| {
                (!self.context.config.is_ignored(user)).then(|| self.user(user))
            });
            if let Some(rendered) = rendered {
                found.push((at, at + 1 + len, 0, rendered.clone()));
            }
        }
        for (rank, l) in self.context.config.linkifiers.iter().enumerate() {
            // The matched words stay as written, in a link whose label
            // cannot close early; a URL the policy refuses links nothing.
            let link = |base: usize, caps: &regex::Captures<'_>| {
                let m = caps.get_match();
                let label = escape::label(m.as_str());
                (
                    base + m.start(),
                    base + m.end(),
                    rank + 1,
                    escape::link(&label, &l.url.expand(caps)),
                )
            };
            // Indices of the runs a match across runs touches, each once.
            let mut straddling: Vec<usize> = Vec::new();
            for caps in l.regex.captures_iter(text) {
                let m = caps.get_match();
                if m.is_empty() {
                    continue;
                }
                match run_at(m.start()) {
                    Some(run) if m.end() <= run.end => found.push(link(0, &caps)),
                    // A match across runs: look again inside each run.
                    _ => {
                        let first = runs.partition_point(|r| r.end <= m.start());
                        let last = runs.partition_point(|r| r.start < m.end());
                        let first = first.max(straddling.last().map_or(0, |&i| i + 1));
                        straddling.extend(first..last);
                    }
                }
            }
            for run in straddling.into_iter().map(|i| runs[i]) {
                let hay = &text[run.start..run.end];
                for caps in l.regex.captures_iter(hay) {
                    if !caps.get_match().is_empty() {
                        found.push(link(run.start, &caps));
                    }
                }
            }
        }
        // Nothing inside a bare URL; then leftmost first, mentions before
        // linkifiers, linkifiers in configuration order, longer first. The
        // URLs of every run, found once, in document order.
        let urls = if found.is_empty() {
            Vec::new()
        } else {
            url_spans(text, &runs)
        };
        found.retain(|(start, end, _, _)| {
            let i = urls.partition_point(|u| u.end <= *start);
            urls.get(i).is_none_or(|u| u.start >= *end)
        });
        found.sort_by_key(|(start, end, rank, _)| (*start, *rank, usize::MAX - end));
        found.dedup_by_key(|f| (f.0, f.1, f.2));
        let mut taken = 0;
        for (start, end, _, replacement) in found {
            if start < taken {
                continue;
            }
            taken = end;
            edits.push(Edit {
                range: start..end,
                text: replacement,
            });
        }
        edits
    }

    /// Links a whole document: parses it, applies the edits and appends
    /// the definitions.
    pub(crate) fn process(&self, text: &str) -> String {
        let outline = Outline::parse(text);
        let (edits, defs) = self.edits(text, &outline);
        finish(text, outline.unclosed_fence.as_deref(), edits, &defs)
    }
}

/// Badge images whose reference the page defines itself (`![TBD][]` with
/// `[TBD]: https://…` below): text too. The unused definition stays, and
/// renders as nothing.
fn defined_badges(outline: &Outline, target: super::Target) -> Vec<Edit> {
    outline
        .ref_images
        .iter()
        .filter_map(|(span, label)| {
            Badge::from_label(label).map(|badge| Edit {
                range: span.clone(),
                text: badge.render(target),
            })
        })
        .collect()
}

/// Applies edits and appends link definitions (closing a code block left
/// open at the end first, so the definitions are not swallowed by it).
/// `fence` is the outline's fence left open at the end of the text.
pub(crate) fn finish(
    text: &str,
    fence: Option<&str>,
    mut edits: Vec<Edit>,
    defs: &Definitions,
) -> String {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let defs = defs.values().map(|(l, u)| (l.as_str(), u.as_str()));
    finish_sorted(text, fence, pieces(&edits), defs)
}

/// [`finish`] of edits given as pieces sorted by range, and of the
/// definitions (label, URL) in label order.
pub(crate) fn finish_sorted<'e>(
    text: &str,
    fence: Option<&str>,
    edits: impl Iterator<Item = (std::ops::Range<usize>, &'e str)> + Clone,
    defs: impl Iterator<Item = (&'e str, &'e str)> + Clone,
) -> String {
    if defs.clone().next().is_none() {
        return splice(text, edits, 0);
    }
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    // The definitions, sized up front: the page is not copied to grow.
    let fence_len = fence.map_or(0, str::len);
    let lines: usize = defs.clone().map(|(l, u)| l.len() + u.len() + 8).sum();
    let mut out = splice(text, edits, fence_len + lines + 3 * newline.len());
    if !out.ends_with('\n') {
        out.push_str(newline);
    }
    if let Some(fence) = fence {
        out.push_str(fence);
        out.push_str(newline);
    }
    out.push_str(newline);
    for (label, url) in defs {
        out.push('[');
        out.push_str(label);
        out.push_str("]: ");
        out.push_str(&escape::encode(url));
        out.push_str(newline);
    }
    out
}

/// Labels match the CommonMark way: case-insensitively, blanks collapsed.
pub(crate) fn normalize_label(label: &str) -> String {
    crate::markdown::lower_words(label)
}

/// Bare URLs in the text runs `runs` (sorted) of `text`, in document
/// order (autolinks are links already and never reach here): from
/// `http://`, `https://` or `www.` to the next blank or the end of the
/// run. One substring search per prefix over the whole text, not one per
/// run.
fn url_spans(text: &str, runs: &[&std::ops::Range<usize>]) -> Vec<std::ops::Range<usize>> {
    use memchr::memmem::Finder;
    static PREFIXES: std::sync::OnceLock<[Finder<'static>; 2]> = std::sync::OnceLock::new();
    let prefixes = PREFIXES.get_or_init(|| [Finder::new("http"), Finder::new("www.")]);
    let mut starts: Vec<usize> = prefixes
        .iter()
        .flat_map(|f| f.find_iter(text.as_bytes()))
        .collect();
    starts.sort_unstable();
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for at in starts {
        // Nothing starts inside a URL already found.
        if out.last().is_some_and(|u| at < u.end) {
            continue;
        }
        let i = runs.partition_point(|r| r.end <= at);
        let Some(run) = runs.get(i).filter(|r| r.start <= at) else {
            continue;
        };
        let rest = &text[at..run.end];
        if rest.starts_with("https://") || rest.starts_with("http://") || rest.starts_with("www.") {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
                .map_or(run.end, |k| at + k);
            out.push(at..end);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, LinkDefs};
    use crate::teams::Registry;

    fn config() -> Config {
        let text = r##"
[preprocessor.goals]
users = { "@alice" = "Alice A." }
ignore-users = ["@bot"]
[preprocessor.goals.links]
"Help wanted" = "https://img/help"
"Logo" = "https://img/logo"
[preprocessor.goals.linkifiers]
"RFC #([0-9]+)" = "https://rfcs/$1"
"([a-z-]+)/([a-z-]+)#([0-9]+)" = "https://gh/$1/$2/issues/$3"
"#([0-9]+)" = "https://gh/rust/issues/$1"
"##;
        let table: toml::Table = text.parse().unwrap();
        let mut d = crate::diagnostic::Diagnostics::new();
        let c = Config::from_toml(table["preprocessor"].get("goals"), None, &mut d);
        assert!(d.is_empty());
        c
    }

    fn run(text: &str) -> String {
        let context = Context {
            config: config(),
            teams: Some(Registry::one("lang", "Language team", "https://teams/lang")),
        };
        Links {
            context: &context,
            target: crate::render::Target::Rfc,
        }
        .process(text)
    }

    #[test]
    fn mentions_become_profile_links() {
        assert_eq!(
            run("Ask @alice or @bob, not @bot.\n"),
            "Ask [Alice A.](https://github.com/alice) or [@bob](https://github.com/bob), not @bot.\n"
        );
    }

    #[test]
    fn repeated_mentions_are_each_linked_as_written() {
        assert_eq!(
            run("@alice, @Alice, @bob, @bot, @alice and @bot.\n"),
            "[Alice A.](https://github.com/alice), [Alice A.](https://github.com/Alice), \
             [@bob](https://github.com/bob), @bot, [Alice A.](https://github.com/alice) and @bot.\n"
        );
    }

    #[test]
    fn code_urls_emails_and_links_are_left_alone() {
        let text = "`@carol` and mail carol@example.org, see https://x.org/@carol/#12 and [@carol](https://c) or <https://a/#3>\n\n```\n@carol #4\n```\n";
        assert_eq!(run(text), text);
    }

    #[test]
    fn linkifiers_do_not_nest_or_overlap() {
        assert_eq!(
            run("See RFC #12, rust-lang/rust#34 and #56.\n"),
            "See [RFC #12](https://rfcs/12), [rust-lang/rust#34](https://gh/rust-lang/rust/issues/34) and [#56](https://gh/rust/issues/56).\n"
        );
        // Inside an existing link nothing is linked again.
        let text = "[about #12 and @alice](https://x)\n";
        assert_eq!(run(text), text);
    }

    #[test]
    fn missing_references_get_definitions() {
        let out = run("Ask [lang] and [lang][]; ![Logo][] for [rust-lang/goals#7]. [unknown]\n");
        assert_eq!(
            out,
            "Ask [lang] and [lang][]; ![Logo][] for [rust-lang/goals#7]. [unknown]\n\n\
             [lang]: https://teams/lang\n[Logo]: https://img/logo\n\
             [rust-lang/goals#7]: https://gh/rust-lang/goals/issues/7\n"
        );
    }

    #[test]
    fn known_badges_are_text_not_remote_images() {
        // In the RFC (`run`'s target) a badge is bold text; the book's URL
        // for it is not used, and `[TBD]` without `!` is not a badge.
        assert_eq!(
            run("![Help Wanted][] and ![TBD][] but [TBD]\n"),
            "**Help wanted** and **TBD** but [TBD]\n"
        );
        // Also when the page defines the image itself.
        assert_eq!(
            run("![Team][] and ![team]\n\n[Team]: https://img/team\n"),
            "**Team ask** and **Team ask**\n\n[Team]: https://img/team\n"
        );
    }

    #[test]
    fn definitions_close_an_open_fence_first() {
        let out = run("[lang]\n\n```\ncode\n");
        assert_eq!(
            out,
            "[lang]\n\n```\ncode\n```\n\n[lang]: https://teams/lang\n"
        );
    }

    /// The bare URLs of `s`, one text run per `|`-separated piece.
    fn urls(s: &str) -> Vec<&str> {
        let mut runs = Vec::new();
        let mut start = 0;
        for piece in s.split('|') {
            runs.push(start..start + piece.len());
            start += piece.len() + 1;
        }
        let runs: Vec<&std::ops::Range<usize>> = runs.iter().collect();
        url_spans(s, &runs).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn bare_urls_are_found_whole() {
        let s = "a http:x https://a.b/c d www.e.f<g> httpwww.h hthttps://i j";
        assert_eq!(urls(s), ["https://a.b/c", "www.e.f", "www.h", "https://i"]);
        assert!(urls("no links here").is_empty());
        assert_eq!(urls("www.x"), ["www.x"]);
    }

    #[test]
    fn bare_urls_end_with_their_run() {
        // A URL stops where its run stops; a prefix cut by a run's end is
        // no URL, and each run starts afresh.
        assert_eq!(urls("see https://a.b/c|d e"), ["https://a.b/c"]);
        assert_eq!(urls("x htt|ps://a.b www.c"), ["www.c"]);
        assert_eq!(urls("https://a|https://b"), ["https://a", "https://b"]);
    }

    #[test]
    fn configured_labels_compare_normalized() {
        for (label, other) in [
            ("Help  Wanted", "help wanted"),
            ("  TBD ", "tbd"),
            ("Ünï  X", "ünï x"),
            (" ", ""),
        ] {
            let defs = LinkDefs::new(vec![(label.to_string(), "https://u".to_string())]);
            assert_eq!(
                defs.url(&normalize_label(other)),
                Some("https://u"),
                "{label}"
            );
        }
        for (label, other) in [
            ("Help", "help wanted"),
            ("Help unwanted", "help wanted"),
            ("Help wanted x", "help wanted"),
            ("a", ""),
        ] {
            let defs = LinkDefs::new(vec![(label.to_string(), "https://u".to_string())]);
            assert_eq!(defs.url(&normalize_label(other)), None, "{label}");
        }
        // The first of two definitions of one label wins.
        let defs = LinkDefs::new(vec![
            ("TBD".to_string(), "https://first".to_string()),
            ("tbd".to_string(), "https://second".to_string()),
        ]);
        assert_eq!(defs.url("tbd"), Some("https://first"));
    }

    #[test]
    fn link_definitions_are_not_text() {
        let text = "[x]: https://example.org/@alice#12\n\n[x]\n";
        assert_eq!(run(text), text);
    }
}

#[cfg(test)]
mod linear;
