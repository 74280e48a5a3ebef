//! `mdbook-goals build`: the book's site through mdBook's own library, with
//! this preprocessor registered in-process, plus the RFC of the newest
//! period in the build folder (SPEC §11).

use crate::book::Book;
use crate::diagnostic::Diagnostics;
use crate::output::write_atomic;
use crate::preprocessor::GoalsPreprocessor;
use crate::rfc;
use mdbook_driver::MDBook;
use std::path::{Path, PathBuf};

/// What to build besides the site.
#[derive(Debug, Default)]
pub struct Options {
    /// The site's folder instead of the book's build folder (relative to
    /// the current folder, as for `mdbook build -d`). The RFC goes to its
    /// `rfc/` subfolder.
    pub dest_dir: Option<PathBuf>,
    /// The period whose RFC to write instead of the newest one.
    pub period: Option<String>,
    /// Write no RFC.
    pub no_rfc: bool,
}

/// Why a build did not happen or failed.
#[derive(Debug)]
pub enum BuildError {
    /// The command asked for something the book does not have (an unknown
    /// `--period`): nothing was built.
    Usage(String),
    /// mdBook could not load or build the book.
    Failed(String),
}

/// What happened to the RFC.
#[derive(Debug)]
pub enum RfcOutcome {
    Written {
        period: String,
        path: PathBuf,
    },
    /// `--no-rfc`.
    NotAsked,
    /// The book has no period folder.
    NoPeriod,
    /// The export found errors; nothing was written.
    Failed {
        period: String,
    },
}

impl RfcOutcome {
    /// The file written, if the RFC was written.
    pub fn path(&self) -> Option<&Path> {
        match self {
            RfcOutcome::Written { path, .. } => Some(path),
            _ => None,
        }
    }
}

/// What a build wrote.
pub struct Built {
    /// The folder of the HTML site.
    pub site: PathBuf,
    pub rfc: RfcOutcome,
    /// The RFC export's diagnostics that the site's build did not print
    /// already: printed together, each problem is shown once.
    pub diags: Diagnostics,
}

/// Builds the book in `dir`.
pub fn build(dir: &Path, options: &Options) -> Result<Built, BuildError> {
    let mut md = MDBook::load(dir).map_err(|e| {
        BuildError::Failed(format!(
            "cannot load the book in `{}`: {e:#}",
            dir.display()
        ))
    })?;
    let book = Book::from_config(&md.root, &md.config, None);
    let period = match &options.period {
        Some(name) => Some(book.period_named(name).map_err(BuildError::Usage)?),
        None => newest_period(&book.periods()),
    };
    let out_dir = match &options.dest_dir {
        Some(d) => {
            md.config.build.build_dir = std::path::absolute(d)
                .map_err(|e| BuildError::Failed(format!("cannot use `{}`: {e}", d.display())))?;
            d.clone()
        }
        None => md.root.join(&md.config.build.build_dir),
    };
    let preprocessor = GoalsPreprocessor::default();
    md.with_preprocessor(preprocessor.clone());
    md.build()
        .map_err(|e| BuildError::Failed(format!("{e:#}")))?;
    let site = if md.config.outputs::<toml::Value>().map_or(0, |o| o.len()) > 1 {
        out_dir.join("html")
    } else {
        out_dir.clone()
    };
    let site = crate::book::tidy(&site);
    let period = match period {
        Some(p) if !options.no_rfc => p,
        _ => {
            let rfc = if options.no_rfc {
                RfcOutcome::NotAsked
            } else {
                RfcOutcome::NoPeriod
            };
            return Ok(Built {
                site,
                rfc,
                diags: Diagnostics::new(),
            });
        }
    };
    let export = rfc::export(&book, &period);
    let diags = export.diags.without(&preprocessor.shown());
    if export.diags.has_errors() {
        return Ok(Built {
            site,
            rfc: RfcOutcome::Failed { period },
            diags,
        });
    }
    let path = out_dir.join("rfc").join(format!("{period}.md"));
    write_atomic(&path, export.text.as_bytes(), &export.inputs)
        .map_err(|e| BuildError::Failed(e.to_string()))?;
    Ok(Built {
        site,
        rfc: RfcOutcome::Written {
            period,
            path: crate::book::tidy(&path),
        },
        diags,
    })
}

/// The latest period: the highest year, then the later half; a whole-year
/// folder counts as the start of its year.
pub(crate) fn newest_period(periods: &[String]) -> Option<String> {
    periods
        .iter()
        .max_by_key(|p| {
            let year: u32 = p.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0);
            let half: u32 = p.get(5..6).and_then(|h| h.parse().ok()).unwrap_or(0);
            (year, half)
        })
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every order of `periods`, so a tie that falls to the first or the
    /// last element cannot pass for an ordering.
    fn newest_in_every_order(periods: &[&str]) -> Vec<Option<String>> {
        let mut out = Vec::new();
        let n = periods.len();
        let mut order: Vec<usize> = (0..n).collect();
        // Heap's algorithm, iterative.
        let mut c = vec![0; n];
        let mut emit = |order: &[usize]| {
            let list: Vec<String> = order.iter().map(|&i| periods[i].to_string()).collect();
            out.push(newest_period(&list));
        };
        emit(&order);
        let mut i = 0;
        while i < n {
            if c[i] < i {
                order.swap(if i % 2 == 0 { 0 } else { c[i] }, i);
                emit(&order);
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        out
    }

    #[test]
    fn newest_period_is_the_latest_year_then_half() {
        let cases: &[(&[&str], &str)] = &[
            // The later half wins, whatever the order.
            (&["2025h1", "2025h2"], "2025h2"),
            // A whole year counts as the start of its year.
            (&["2025", "2025h1"], "2025h1"),
            (&["2025", "2025h2", "2025h1"], "2025h2"),
            // The year comes first: a whole year beats the halves before it.
            (&["2024h2", "2025"], "2025"),
            (&["2024h2", "2026", "2025h2", "2025", "2025h1"], "2026"),
            // Half-year folders may be written with a capital `H`.
            (&["2025H2", "2025h1"], "2025H2"),
            (&["2026", "2025H2"], "2026"),
            (&["2024h2"], "2024h2"),
        ];
        for (periods, newest) in cases {
            for got in newest_in_every_order(periods) {
                assert_eq!(got.as_deref(), Some(*newest), "{periods:?}");
            }
        }
        assert_eq!(newest_period(&[]), None);
    }
}
