//! The period's goals and roadmaps indexed for the directives that select
//! some of them (one team's asks, one theme, one highlight, one need, one
//! size, one application area): built once per period, so a page of a
//! thousand such directives costs what it shows, not a thousand passes
//! over every goal.

use crate::goal::{Goal, Size, theme_key};
use crate::roadmap::Roadmap;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Goals and roadmaps by what directives select them by. Every list of
/// goals holds indices into the slate's goals, in table order; every list
/// of roadmaps, indices into its roadmaps, by title.
#[derive(Clone, Debug, Default)]
pub(crate) struct PeriodIndex {
    /// Live goals.
    pub live: Vec<usize>,
    /// Goals not accepted.
    pub not_live: Vec<usize>,
    /// Live goals with a theme (or a legacy `Flagship: Yes`).
    pub flagship: Vec<usize>,
    /// The other live goals.
    pub others: Vec<usize>,
    /// Live goals with a funding table.
    pub funded: Vec<usize>,
    /// Live goals with a champion row.
    pub championed: Vec<usize>,
    /// Live goals by their largest support level: Large, Medium, and
    /// Small with Vibes.
    pub by_size: [Vec<usize>; 3],
    /// Each goal's position in table order.
    rank: Vec<usize>,
    /// Team key → live goals asking something of the team.
    pub by_team: BTreeMap<String, Vec<usize>>,
    /// Theme key → live goals of the theme (their own or a subgoal's).
    by_theme: HashMap<String, Vec<usize>>,
    /// Highlight key → each live goal with the highlight, or, when only
    /// its subgoals carry it, each of those subgoals.
    by_highlight: HashMap<String, Vec<(usize, Option<usize>)>>,
    /// Need key → live goals with the need.
    by_need: HashMap<String, Vec<usize>>,
    /// Team in ASCII lower case → live goals whose champion row for the
    /// team (the first, as [`Goal::champion`] finds it) names someone.
    by_champion: HashMap<String, Vec<usize>>,
    /// Some goal of the period is in the current format.
    pub sized: bool,
    /// Roadmaps by title (case-insensitive), then file.
    pub roadmaps: Vec<usize>,
    /// Application area key → its first spelling (by the order of
    /// `roadmaps`) and its roadmaps.
    pub areas: BTreeMap<String, (String, Vec<usize>)>,
    /// Roadmap key or title key → the first roadmap (in file order) that
    /// has it.
    by_roadmap_key: HashMap<String, usize>,
    /// Theme key → the position in `roadmaps` of the first roadmap whose
    /// theme it names: the roadmap's own theme key, and the key and title
    /// key of the roadmap that theme resolves to (`by_roadmap_key`).
    theme_roadmap: HashMap<String, usize>,
}

impl PeriodIndex {
    /// Indexes `goals`, whose table order is `order`, and `roadmaps`.
    pub(crate) fn new(goals: &[Goal], order: &[usize], roadmaps: &[Roadmap]) -> PeriodIndex {
        let mut ix = PeriodIndex {
            rank: vec![0; goals.len()],
            sized: goals
                .iter()
                .any(|g| g.format == Some(crate::goal::Format::Current)),
            ..PeriodIndex::default()
        };
        for (rank, &i) in order.iter().enumerate() {
            ix.rank[i] = rank;
            let g = &goals[i];
            if !g.is_live() {
                ix.not_live.push(i);
                continue;
            }
            ix.live.push(i);
            if g.is_flagship() {
                ix.flagship.push(i);
            } else {
                ix.others.push(i);
            }
            if !g.funding.is_empty() {
                ix.funded.push(i);
            }
            if !g.metadata.champions.is_empty() {
                ix.championed.push(i);
            }
            match g.largest_size() {
                Some(Size::Large) => ix.by_size[0].push(i),
                Some(Size::Medium) => ix.by_size[1].push(i),
                Some(Size::Small | Size::Vibes) => ix.by_size[2].push(i),
                None => {}
            }
            for team in g.teams() {
                ix.by_team.entry(team.to_string()).or_default().push(i);
            }
            for key in g.theme_keys() {
                ix.by_theme.entry(key.clone()).or_default().push(i);
            }
            for need in g.needs() {
                ix.by_need.entry(need).or_default().push(i);
            }
            ix.highlights(g, i);
            let mut teams: Vec<String> = g
                .metadata
                .champions
                .iter()
                .map(|c| c.team.value.to_ascii_lowercase())
                .collect();
            teams.sort_unstable();
            teams.dedup();
            for team in teams {
                if g.champion(&team).is_some_and(|c| !c.users.is_empty()) {
                    ix.by_champion.entry(team).or_default().push(i);
                }
            }
        }
        ix.roadmaps = (0..roadmaps.len()).collect();
        ix.roadmaps
            .sort_by_cached_key(|&i| (roadmaps[i].title.to_lowercase(), &roadmaps[i].file));
        for (i, r) in roadmaps.iter().enumerate() {
            ix.by_roadmap_key.entry(r.key().to_string()).or_insert(i);
            ix.by_roadmap_key
                .entry(r.title_key().to_string())
                .or_insert(i);
        }
        for (position, &i) in ix.roadmaps.iter().enumerate() {
            let own = theme_key(roadmaps[i].theme());
            if let Some(&j) = ix.by_roadmap_key.get(&own) {
                for key in [roadmaps[j].key(), roadmaps[j].title_key()] {
                    ix.theme_roadmap.entry(key.to_string()).or_insert(position);
                }
            }
            ix.theme_roadmap.entry(own).or_insert(position);
        }
        for &i in &ix.roadmaps {
            let mut seen = HashSet::new();
            for a in &roadmaps[i].metadata.application_areas {
                let key = theme_key(&a.value);
                if seen.insert(key.clone()) {
                    let area = ix
                        .areas
                        .entry(key)
                        .or_insert_with(|| (a.value.clone(), Vec::new()));
                    area.1.push(i);
                }
            }
        }
        ix
    }

    /// The first roadmap (in file order) whose key or title key is `key`.
    pub(crate) fn roadmap_named(&self, key: &str) -> Option<usize> {
        self.by_roadmap_key.get(key).copied()
    }

    /// The live goals of a roadmap: of its key or its title key, as their
    /// own theme or a subgoal's, in table order.
    pub(crate) fn of_roadmap(&self, r: &Roadmap) -> Vec<usize> {
        self.of_themes([r.key(), r.title_key()].into_iter())
    }

    /// The position in `roadmaps` of the first roadmap whose theme a
    /// theme key names.
    pub(crate) fn roadmap_of_theme(&self, key: &str) -> Option<usize> {
        self.theme_roadmap.get(key).copied()
    }

    /// The roadmaps of an application area, by title.
    pub(crate) fn of_area(&self, name: &str) -> &[usize] {
        self.areas
            .get(&theme_key(name))
            .map_or(&[], |(_, roadmaps)| roadmaps.as_slice())
    }

    /// Files a goal under each highlight of its own, and each subgoal
    /// under each highlight the goal does not carry itself.
    fn highlights(&mut self, g: &Goal, i: usize) {
        let own: HashSet<String> = g
            .metadata
            .highlights
            .iter()
            .map(|h| theme_key(&h.value))
            .collect();
        for key in &own {
            self.by_highlight
                .entry(key.clone())
                .or_default()
                .push((i, None));
        }
        for (s, sub) in g.subgoals.iter().enumerate() {
            let mut keys: Vec<String> =
                sub.highlights.iter().map(|h| theme_key(&h.value)).collect();
            keys.sort_unstable();
            keys.dedup();
            for key in keys.into_iter().filter(|k| !own.contains(k)) {
                self.by_highlight.entry(key).or_default().push((i, Some(s)));
            }
        }
    }

    /// Live goals of any of the theme keys, in table order.
    pub(crate) fn of_themes<'k>(&self, keys: impl Iterator<Item = &'k str>) -> Vec<usize> {
        let mut out: Vec<usize> = keys
            .filter_map(|k| self.by_theme.get(k))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable_by_key(|&i| self.rank[i]);
        out.dedup();
        out
    }

    /// The live goals, and subgoals, a highlight presents (see
    /// [`PeriodIndex::by_highlight`]).
    pub(crate) fn of_highlight(&self, name: &str) -> &[(usize, Option<usize>)] {
        self.by_highlight
            .get(&theme_key(name))
            .map_or(&[], Vec::as_slice)
    }

    /// Live goals, in table order, with a champion for `team` (any case):
    /// the goals of the team's report page.
    pub(crate) fn championed_by(&self, team: &str) -> &[usize] {
        self.by_champion
            .get(&team.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// Live goals with a need (a key, see [`Goal::needs`]).
    pub(crate) fn of_need(&self, key: &str) -> &[usize] {
        self.by_need.get(key).map_or(&[], Vec::as_slice)
    }
}
