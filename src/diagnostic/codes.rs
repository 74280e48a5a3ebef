//! The catalogue of diagnostic codes.
//!
//! A code never changes meaning once published. Errors start with `E`,
//! warnings with `W`; the hundreds digit groups them by subject (1 files, 2
//! goal metadata, 3 goal sections, 4 roadmaps, 5 directives, 6
//! configuration, 7 the RFC export, 8 tracking data, 9 the program
//! managers' commands). Every code has a fixture under
//! `tests/diagnostics/` and an entry in the book's reference chapter.

use super::Severity;

macro_rules! codes {
    ($($variant:ident = $code:literal, $slug:literal, $summary:literal;)*) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        impl Code {
            /// Every code, in catalogue order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed, e.g. `E0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A short kebab-case name, e.g. `missing-point-of-contact`.
            pub fn slug(self) -> &'static str {
                match self { $(Code::$variant => $slug,)* }
            }

            /// One line saying what the code reports.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    NotUtf8 = "E0101", "not-utf8", "A file is not valid UTF-8.";
    Unreadable = "E0102", "unreadable-file", "A file or folder could not be read.";
    BrokenTable = "E0103", "broken-metadata-table", "A goal's metadata table is damaged (no delimiter row), so the goal cannot be read.";
    NotAFile = "E0104", "not-a-file", "A path the book names as a file is a folder, a FIFO, a socket or a device (possibly through a symlink); it is not read.";
    FileTooLarge = "E0105", "file-too-large", "A file is larger than 16 MiB, the most the tool reads.";

    MissingPointOfContact = "E0201", "missing-point-of-contact", "A goal or roadmap has no `Point of contact` row.";
    MalformedPointOfContact = "E0202", "malformed-point-of-contact", "A `Point of contact` is not exactly one `@user`.";
    MissingStatus = "E0203", "missing-status", "A goal has no `Status` row.";
    UnknownStatus = "E0204", "unknown-status", "A `Status` value is not one of the known statuses.";
    MissingTrackingIssue = "E0205", "missing-tracking-issue", "An accepted goal has no `Tracking issue`.";
    MalformedTrackingIssue = "E0206", "malformed-tracking-issue", "A `Tracking issue` is not an issue reference `org/repo#N`.";
    ForeignTrackingIssue = "E0207", "foreign-tracking-issue", "A `Tracking issue` points at another repository than the program's.";
    DuplicateTrackingIssue = "E0208", "duplicate-tracking-issue", "Two goals of a period share one tracking issue.";
    DuplicateRow = "E0209", "duplicate-row", "A metadata row that may appear once appears twice (two `Status` rows, two champion rows for one team).";
    GeneratedRow = "E0210", "generated-row", "A `Teams` or `Task owners` row is written by hand; these are generated.";
    MalformedChampion = "E0211", "malformed-champion", "A `[team] champion` row holds neither `@user`s nor `TBD`.";

    MissingTeamAsks = "E0301", "missing-team-asks", "A live goal has no `Team asks` (or legacy `Ownership and team asks`) section.";
    ExtraTable = "E0302", "extra-table", "A second table where only one is expected.";
    WrongTableHeader = "E0303", "wrong-table-header", "A table in a structural section has the wrong header.";
    UnknownTeam = "E0304", "unknown-team", "A team is not in the team registry.";
    UnknownSupportLevel = "E0305", "unknown-support-level", "A support level is not `Vibes`, `Small`, `Medium` or `Large`.";
    UnknownAskKind = "E0306", "unknown-ask-kind", "A legacy team ask names an ask kind that is not configured.";

    RoadmapWithoutMetadata = "E0401", "roadmap-without-metadata", "A `roadmap-*.md` file has no metadata table.";
    RoadmapWithoutPitch = "E0402", "roadmap-without-what-and-why", "A roadmap has no `What and why` row.";

    UnknownDirective = "E0501", "unknown-directive", "A `(((NAME)))` directive has a name that does not exist.";
    DirectiveArgument = "E0502", "directive-argument", "A directive is missing its argument, or has one it does not take.";
    DirectiveOutsidePeriod = "E0503", "directive-outside-period", "A directive is used in a chapter that is not inside a period folder.";
    DirectivePlacement = "E0505", "directive-placement", "A directive stands where it cannot be expanded (`ROADMAP ROWS` outside a table row).";
    DuplicateChapters = "E0506", "duplicate-chapters", "`GOAL CHAPTERS` or `ROADMAP CHAPTERS` appears more than once in a period.";

    UnknownConfigKey = "E0601", "unknown-config-key", "`[preprocessor.goals]` has a key this version does not know.";
    InvalidConfig = "E0602", "invalid-config", "A `[preprocessor.goals]` value has the wrong type or form.";
    InvalidTeamRegistry = "E0603", "invalid-team-registry", "The team registry cannot be read or parsed.";
    UnsafeConfigUrl = "E0604", "unsafe-config-url", "A URL in `[preprocessor.goals]` (`links`, `user-url`, a linkifier, `site-url`) is not an `http:`, `https:`, `mailto:` or relative URL; it is not used.";

    LinkLeavesBook = "E0701", "link-leaves-book", "The RFC would follow a link out of the book's source folder.";
    MissingChapter = "E0702", "missing-chapter", "The RFC would inline a chapter file that does not exist.";
    MissingSiteUrl = "E0703", "missing-site-url", "The RFC needs `site-url` to turn the book's relative links into links to the site.";
    ChapterCycle = "E0704", "chapter-cycle", "A chapter of the RFC includes itself, directly or through other chapters.";
    SymlinkLeavesBook = "E0705", "symlink-leaves-book", "A file of the book is a symbolic link to a file outside the book's source folder; it is not read.";
    ChaptersTooDeep = "E0706", "chapters-too-deep", "The RFC's chapters include one another more than 32 levels deep.";

    InvalidSnapshot = "E0801", "invalid-snapshot", "The tracking snapshot `<tracking-data>/<period>.json` cannot be read: bad JSON, a wrong field, or another schema version.";

    EmptyFile = "W0101", "empty-file", "A markdown file in a period folder is empty.";
    MissingTitle = "W0102", "missing-title", "A goal or roadmap has no heading to take its title from.";
    StrayTableRows = "W0103", "stray-table-rows", "Lines that look like table rows are not part of a table (no delimiter row, or glued to a list), so they render as text.";
    ExtraCells = "W0104", "extra-cells", "A table row has more cells than its header; the extra cells are not rendered.";
    NotAPeriodFolder = "W0110", "not-a-period-folder", "A folder of the source folder has a year in its name but is not named like a period (`2026`, `2025h2`), so its goals are not read.";
    BrokenLink = "W0111", "broken-link", "A relative link names a page, file or heading the book does not have.";

    UnknownRow = "W0201", "unknown-row", "A metadata row has a name that is not known.";
    MissingChampion = "W0202", "missing-champion", "A `Medium` or `Large` ask has no champion for its team.";
    ChampionWithoutAsk = "W0203", "champion-without-ask", "A champion row names a team the goal asks nothing of.";
    EmptySupportLevel = "W0204", "empty-support-level", "A team ask has no support level; it is shown as unsized.";
    UnparsedCost = "W0205", "unparsed-cost", "A funding `Cost` cell cannot be read as an amount.";
    UnparsedFunded = "W0206", "unparsed-funded", "A funding `Funded` cell is not a known funding state.";
    UndeclaredTheme = "W0207", "undeclared-theme", "A `Roadmap`, `Flagship` or `Highlight` theme is declared nowhere in the period.";
    UserCasing = "W0208", "user-casing", "One user is written with different capitalisation in the period.";

    StrayOwnerText = "W0301", "stray-owner-text", "A legacy team-ask cell holds text that is neither a team, a separator nor a badge; it is ignored.";

    UnmatchedArgument = "W0501", "unmatched-argument", "A directive's theme, team, highlight or area matches nothing in the period.";

    NoTeamRegistry = "W0601", "no-team-registry", "No team registry is configured, so team names are not checked.";
    UnsafeTeamUrl = "W0602", "unsafe-team-url", "A team's URL in the team registry is not an `http:`, `https:`, `mailto:` or relative URL; the team is shown without a link.";

    IssueNotInSnapshot = "W0801", "issue-not-in-snapshot", "A goal's tracking issue is missing from the period's tracking snapshot, so its progress is not shown.";
    ReportsWithoutSnapshot = "W0820", "reports-without-snapshot", "A period uses `(((REPORTS)))` but has no tracking snapshot, so its reports are one page saying how to run `sync`.";

    TeamWithoutLeads = "W0901", "team-without-leads", "A team asked by a live goal has no leads in the team registry, so the FCP checklist has no required box for it.";
}

impl Code {
    pub(crate) fn severity(self) -> Severity {
        if self.as_str().starts_with('E') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// Looks a code up by its printed form.
    pub fn parse(s: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_slugs_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(seen.insert(code.slug()), "{} twice", code.slug());
            assert_eq!(s.len(), 5);
            assert!(s.starts_with('E') || s.starts_with('W'));
            assert!(s[1..].chars().all(|c| c.is_ascii_digit()));
            assert_eq!(Code::parse(s), Some(*code));
        }
    }
}
