//! The one context every stage after loading shares: the configuration and
//! the team registry. Parsing sees only the [`Facts`] derived from it;
//! rendering and the outputs take it whole. It never reads the disk: the
//! [`crate::book`] loader builds it.

use crate::config::Config;
use crate::facts::{Facts, KnownTeams};
use crate::teams::Registry;

/// The configuration and the team registry of a book.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub config: Config,
    /// `None` when the book names no registry: team names are not checked.
    pub teams: Option<Registry>,
}

impl Context {
    /// What parsing this book's periods needs to know.
    pub(crate) fn facts(&self) -> Facts<'_> {
        Facts {
            repository: self.config.repository.as_deref(),
            ask_kinds: &self.config.team_asks,
            teams: self.teams.as_ref().map(|r| r as &dyn KnownTeams),
        }
    }
}
