//! What parsing knows about the program besides the file itself: the known
//! teams, the program's repository and the legacy ask kinds.
//!
//! Parsing takes these facts and nothing else: it never sees the whole
//! configuration, the book on disk or a renderer. The configuration
//! ([`crate::config`]) and the team registry ([`crate::teams`]) provide
//! them.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::source::{Source, Span, Spanned};
use std::collections::HashMap;
use std::sync::Arc;

/// The facts a goal, roadmap or period is parsed against.
#[derive(Clone, Copy)]
pub(crate) struct Facts<'a> {
    /// `org/repo` of the tracking issues, when configured.
    pub repository: Option<&'a str>,
    /// The legacy ask kinds (SPEC §4), in configured order.
    pub ask_kinds: &'a AskKinds,
    /// `None` when no registry is configured: team names are not checked.
    pub teams: Option<&'a dyn KnownTeams>,
}

/// The team names parsing may meet.
pub(crate) trait KnownTeams: Sync {
    /// The canonical key of a team name (any case, alias or path form),
    /// `None` for an unknown team.
    fn key(&self, name: &str) -> Option<&str>;
    /// The closest known key to a misspelt name.
    fn suggest(&self, name: &str) -> Option<&str>;
    /// Every team key, sorted.
    fn keys(&self) -> Vec<&str>;
}

impl Facts<'_> {
    /// The canonical key of a team name, reporting an unknown team.
    pub(crate) fn team(
        &self,
        name: &str,
        span: Span,
        source: &Arc<Source>,
        diags: &mut Diagnostics,
    ) -> Spanned<String> {
        match self.teams {
            None => Spanned::new(self.team_key(name), span),
            Some(reg) => match reg.key(name) {
                Some(key) => Spanned::new(key.to_string(), span),
                None => {
                    diags.push(
                        Diagnostic::new(
                            Code::UnknownTeam,
                            format!("unknown team `{}`", name.trim()),
                        )
                        .at(source, span.clone())
                        .label("not in the team registry")
                        .suggest(reg.suggest(name)),
                    );
                    Spanned::new(self.team_key(name), span)
                }
            },
        }
    }

    /// The canonical key of a team name: the registry's key, else the name
    /// in lower case (an unknown team keeps its own spelling).
    pub(crate) fn team_key(&self, name: &str) -> String {
        match self.teams.and_then(|t| t.key(name)) {
            Some(key) => key.to_string(),
            None => name.trim().to_lowercase(),
        }
    }

    /// Whether `name` is a known team (always, without a registry).
    pub(crate) fn knows_team(&self, name: &str) -> bool {
        self.teams.is_none_or(|t| t.key(name).is_some())
    }

    /// The ask kind a task text names: see [`AskKinds::find`].
    pub(crate) fn ask_kind(&self, text: &str) -> Option<&AskKind> {
        self.ask_kinds.find(text)
    }
}

/// A legacy ask kind (SPEC §4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AskKind {
    pub name: String,
    pub short: String,
    pub about: String,
    /// Left out of per-team tables (it is the default expectation).
    pub elide: bool,
}

impl AskKind {
    /// The default legacy ask kinds: the SPEC §4 set, in its order, with the
    /// three kinds the real 2025 periods also used (`Lang-team champion`,
    /// `Prioritized nominations`, `Finalize specification text`).
    pub(crate) fn defaults() -> AskKinds {
        const KINDS: &[(&str, &str, &str, bool)] = &[
            (
                "Allocate funds",
                "Alloc funds",
                "The team sets money aside for the work",
                false,
            ),
            (
                "Discussion and moral support",
                "Good vibes",
                "The team agrees with the direction and answers occasional questions",
                true,
            ),
            (
                "Deploy to production",
                "Deploy",
                "The team ships the result to a service it runs",
                false,
            ),
            (
                "Standard reviews",
                "r?",
                "Ordinary pull-request reviews through the team's usual queue",
                true,
            ),
            (
                "Dedicated reviewer",
                "Ded. r?",
                "One named reviewer follows a series of pull requests",
                false,
            ),
            (
                "Lang-team champion",
                "Champion",
                "A team member carries the design within the team",
                false,
            ),
            (
                "Prioritized nominations",
                "Prioritized",
                "The team answers nominated issues at its next triage meeting",
                false,
            ),
            (
                "Lang-team experiment",
                "Experiment",
                "Implementation may start before an RFC is accepted",
                false,
            ),
            (
                "Design meeting",
                "Design mtg.",
                "A synchronous meeting on a design; no decision is taken",
                false,
            ),
            (
                "RFC decision",
                "RFC",
                "The team decides whether to accept an RFC",
                false,
            ),
            (
                "RFC secondary review",
                "RFC rev.",
                "A lighter read of an RFC that another team decides",
                false,
            ),
            (
                "Org decision",
                "Org",
                "A decision about organisation or governance",
                false,
            ),
            (
                "MCP decision",
                "MCP",
                "The team decides on a major change proposal",
                false,
            ),
            (
                "ACP decision",
                "ACP",
                "The team decides on an API change proposal",
                false,
            ),
            (
                "Review/revise Reference PR",
                "Reference text",
                "A team member reviews or edits the matching Reference change",
                false,
            ),
            (
                "Finalize specification text",
                "Spec text",
                "A specification liaison finalises the matching specification text",
                false,
            ),
            (
                "Stabilization decision",
                "Stabilize.",
                "The team decides whether to stabilize",
                false,
            ),
            (
                "Policy decision",
                "Policy",
                "A decision about the team's own policy",
                false,
            ),
            (
                "FCP decision(s)",
                "FCP",
                "One or more decisions through a final comment period",
                false,
            ),
            (
                "Blog post approval",
                "Blog",
                "The team approves a post on the project blog",
                false,
            ),
            (
                "Miscellaneous",
                "Misc",
                "A one-off request described in the notes",
                false,
            ),
        ];
        let kinds = KINDS
            .iter()
            .map(|(name, short, about, elide)| AskKind {
                name: name.to_string(),
                short: short.to_string(),
                about: about.to_string(),
                elide: *elide,
            })
            .collect::<Vec<_>>();
        AskKinds::new(kinds)
    }
}

/// The legacy ask kinds, in configured order, with what it takes to find
/// the kind a task names in one lookup, however many are configured.
#[derive(Clone, Debug, Default)]
pub struct AskKinds {
    kinds: Vec<AskKind>,
    /// Long or short name in ASCII lower case → the first kind so named.
    exact: HashMap<String, usize>,
    /// Long name as words (see [`ask_words`]) without a final `s` → the
    /// first kind.
    words: HashMap<String, usize>,
    /// For a long name of several words, all words but the last → each
    /// kind's last word and the kind, sorted.
    heads: HashMap<String, Vec<(String, usize)>>,
    /// Long name as configured → the first kind.
    names: HashMap<String, usize>,
}

impl AskKinds {
    pub fn new(kinds: Vec<AskKind>) -> AskKinds {
        let mut out = AskKinds::default();
        for (i, k) in kinds.iter().enumerate() {
            out.exact.entry(k.name.to_ascii_lowercase()).or_insert(i);
            out.exact.entry(k.short.to_ascii_lowercase()).or_insert(i);
            out.names.entry(k.name.clone()).or_insert(i);
            let mut words = ask_words(&k.name);
            if let Some((head, last)) = words.rsplit_once(' ') {
                let cut = out.heads.entry(head.to_string()).or_default();
                cut.push((last.to_string(), i));
            }
            words.truncate(singular(&words));
            out.words.entry(words).or_insert(i);
        }
        for cut in out.heads.values_mut() {
            cut.sort_unstable();
        }
        out.kinds = kinds;
        out
    }

    /// The kind of this long name, exactly as configured.
    pub(crate) fn named(&self, name: &str) -> Option<(usize, &AskKind)> {
        let &i = self.names.get(name)?;
        Some((i, &self.kinds[i]))
    }

    /// The ask kind a task text names: its long or short name, in any
    /// case; the long name also in the other grammatical number (`RFC
    /// decisions` for `RFC decision`, `Standard review` for `Standard
    /// reviews`), a hyphen counting as a space (`Lang team experiment` for
    /// `Lang-team experiment`); and a long name with its last word cut
    /// short, when no other kind reads so (`Dedicated review` for
    /// `Dedicated reviewer`). The first kind configured wins.
    pub fn find(&self, text: &str) -> Option<&AskKind> {
        let t = text.trim();
        if let Some(&i) = self.exact.get(&t.to_ascii_lowercase()) {
            return Some(&self.kinds[i]);
        }
        let t = ask_words(t);
        if let Some(&i) = self.words.get(&t[..singular(&t)]) {
            return Some(&self.kinds[i]);
        }
        // A shortened last word: same words, the last a prefix of the
        // name's. The last words that start with it sit together in the
        // sorted list; exactly one must.
        let (head, last) = t.rsplit_once(' ').filter(|(_, last)| last.len() >= 4)?;
        let cut = self.heads.get(head)?;
        let at = cut.partition_point(|(l, _)| l.as_str() < last);
        let prefixed = |j: usize| cut.get(j).is_some_and(|(l, _)| l.starts_with(last));
        (prefixed(at) && !prefixed(at + 1)).then(|| &self.kinds[cut[at].1])
    }
}

impl std::ops::Deref for AskKinds {
    type Target = [AskKind];
    fn deref(&self) -> &[AskKind] {
        &self.kinds
    }
}

/// The length of a name in words without one final `s`.
fn singular(words: &str) -> usize {
    words.strip_suffix('s').unwrap_or(words).len()
}

/// A task or ask-kind name for comparison: a name (see
/// [`crate::markdown::normalize_name`]) with hyphens read as spaces.
fn ask_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_ask_words(s, &mut out);
    out
}

/// Appends [`ask_words`] of `s` to `out`.
fn push_ask_words(s: &str, out: &mut String) {
    let start = out.len();
    crate::markdown::push_lower_words(s, true, out);
    crate::markdown::trim_name_end(out, start);
}

/// `org/repo` with the characters GitHub allows.
pub(crate) fn is_repository(s: &str) -> bool {
    let ok = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    matches!(s.split_once('/'), Some((org, repo)) if ok(org) && ok(repo))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::normalize_name;

    /// The ask kind `text` names, by the rules of [`ask_kind`] written
    /// out one by one.
    fn by_the_rules<'k>(kinds: &'k [AskKind], text: &str) -> Option<&'k AskKind> {
        let words = |s: &str| normalize_name(&s.replace('-', " "));
        let t = text.trim();
        if let Some(k) = kinds
            .iter()
            .find(|k| k.name.eq_ignore_ascii_case(t) || k.short.eq_ignore_ascii_case(t))
        {
            return Some(k);
        }
        let t = words(t);
        let singular = |s: &str| s.strip_suffix('s').unwrap_or(s).to_string();
        if let Some(k) = kinds
            .iter()
            .find(|k| singular(&words(&k.name)) == singular(&t))
        {
            return Some(k);
        }
        let (head, last) = t.rsplit_once(' ')?;
        if last.len() < 4 {
            return None;
        }
        let found: Vec<_> = kinds
            .iter()
            .filter(|k| {
                words(&k.name)
                    .rsplit_once(' ')
                    .is_some_and(|(h, l)| h == head && l.starts_with(last))
            })
            .collect();
        (found.len() == 1).then(|| found[0])
    }

    #[test]
    fn ask_kinds_are_read_by_their_rules() {
        let mut kinds = AskKind::defaults().to_vec();
        // Names that share words, end in `s`, carry a colon or a hyphen,
        // and are not ASCII.
        for name in [
            "Review sessions",
            "Review session:",
            "Design meeting.",
            "Design meetup",
            "Ça-va   Étape",
            "ΣΊΣΥΦΟΣ talks",
            "-lead- review",
            "Vertical\x0btab\x0c feed:.",
        ] {
            kinds.push(AskKind {
                name: name.to_string(),
                short: String::new(),
                about: String::new(),
                elide: false,
            });
        }
        let mut texts: Vec<String> = Vec::new();
        for k in &kinds {
            let name = &k.name;
            texts.push(name.to_uppercase());
            texts.push(format!("  {}s ", name.replace('-', " ")));
            texts.push(name.replace(' ', "-"));
            texts.push(name.trim_end_matches('s').to_string());
            // The last word cut short, at every length.
            for cut in 1..name.len() {
                if name.is_char_boundary(cut) {
                    texts.push(name[..cut].to_string());
                }
            }
        }
        texts.extend(
            [
                "",
                " ",
                ":",
                "a :",
                "Implementation",
                "ça va étapes",
                "σίσυφος talk",
                "Design meet",
                "vertical tab-feed",
                "VERTICAL\x0bTAB FEED:",
                "a\x0b",
            ]
            .map(String::from),
        );
        let indexed = AskKinds::new(kinds.clone());
        let mut named = 0;
        for text in &texts {
            let expected = by_the_rules(&kinds, text).map(|k| &k.name);
            named += usize::from(expected.is_some());
            assert_eq!(indexed.find(text).map(|k| &k.name), expected, "{text:?}");
        }
        assert!(named > texts.len() / 4, "{named} of {}", texts.len());
    }

    #[test]
    fn twenty_thousand_ask_kinds_are_each_found_by_lookup() {
        let n = 20_000;
        let kind = |name: String, short: String| AskKind {
            name,
            short,
            about: String::new(),
            elide: false,
        };
        let mut all: Vec<AskKind> = (0..n)
            .map(|i| kind(format!("Review round {i:06}"), format!("R{i}")))
            .collect();
        all.push(kind("Review round special".into(), String::new()));
        let kinds = AskKinds::new(all);
        for i in 0..n {
            let name = |k: Option<&AskKind>| k.map(|k| k.name.clone());
            let expected = Some(format!("Review round {i:06}"));
            assert_eq!(name(kinds.find(&format!("r{i}"))), expected);
            assert_eq!(name(kinds.find(&format!("review-round {i:06}s"))), expected);
        }
        // A last word cut short: `00012` starts ten kinds' last words,
        // `spec` one.
        assert!(kinds.find("Review round 00012").is_none());
        assert_eq!(
            kinds.find("review round spec").map(|k| k.name.as_str()),
            Some("Review round special")
        );
    }
}
