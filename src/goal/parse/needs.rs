//! What a goal seeks: the `Help wanted` and `Funding` tables.

use super::{FUNDING_HEADER, HELP_HEADER, Parser, header_is};
use crate::diagnostic::{Code, Diagnostic};
use crate::goal::values::{Cost, Funded};
use crate::goal::{FundingRow, HelpWanted};
use crate::markdown::{Table, name_is};

impl Parser<'_> {
    pub(super) fn help_wanted(&mut self, h: usize) {
        let tables = self.tables_in(self.section(h));
        let ok = |t: &Table, text: &str| header_is(t, text, &["task"], "experience");
        if let Some(t) = self.one_table(&tables, ok, HELP_HEADER) {
            let outline = self.outline;
            for row in &outline.tables[t].rows {
                let cell = |i: usize| {
                    row.cells
                        .get(i)
                        .map_or(String::new(), |c| self.source.slice(&c.span).to_string())
                };
                if row.cells.iter().all(|c| c.span.is_empty()) {
                    continue;
                }
                self.goal.help_wanted.push(HelpWanted {
                    task: cell(0),
                    experience: cell(1),
                    time: cell(2),
                });
            }
        }
    }

    pub(super) fn funding(&mut self, h: usize) {
        let tables = self.tables_in(self.section(h));
        let ok = |t: &Table, text: &str| {
            header_is(t, text, &["purpose"], "cost")
                && t.header
                    .cells
                    .get(2)
                    .is_some_and(|c| name_is(c.plain(text), "funded"))
        };
        let Some(t) = self.one_table(&tables, ok, FUNDING_HEADER) else {
            return;
        };
        let outline = self.outline;
        for row in &outline.tables[t].rows {
            if row.cells.iter().all(|c| c.span.is_empty()) {
                continue;
            }
            let span = |i: usize| {
                row.cells
                    .get(i)
                    .map_or(row.span.end..row.span.end, |c| c.span.clone())
            };
            let cell = |i: usize| self.source.slice(&span(i)).to_string();
            let cost_text = cell(1);
            let cost = Cost::parse(&cost_text);
            if cost.is_none() {
                self.diags.push(
                    Diagnostic::new(Code::UnparsedCost, format!("cannot read the cost `{}`", cost_text.trim()))
                        .at(self.source, span(1))
                        .help("write an amount (`$40,000`, `$40K`, `$1.2M`, a range `$30K-$50K`), `TBD`, `Ask` or `N/A`; put explanations in the purpose"),
                );
            }
            let funded_text = cell(2);
            let funded = Funded::parse(&funded_text);
            if funded.is_none() {
                self.diags.push(
                    Diagnostic::new(Code::UnparsedFunded, format!("unknown funding state `{}`", funded_text.trim()))
                        .at(self.source, span(2))
                        .help("write `No`, `Partial`, `Full` (or `Yes`), a percentage such as `50%`, `Partial by X` or `By X`"),
                );
            }
            self.goal.funding.push(FundingRow {
                purpose: cell(0),
                cost,
                cost_text,
                funded,
                funded_text,
                sponsors: cell(3),
            });
        }
    }
}
