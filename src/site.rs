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

/// What a build wrote.
pub struct Built {
    /// The folder of the HTML site.
    pub site: PathBuf,
    /// The RFC file, when the book has a period.
    pub rfc: Option<PathBuf>,
    /// The RFC export's diagnostics (the site's were printed by the
    /// preprocessor as it ran).
    pub diags: Diagnostics,
}

/// Builds the book in `dir`.
pub fn build(dir: &Path) -> Result<Built, String> {
    let mut md = MDBook::load(dir)
        .map_err(|e| format!("cannot load the book in `{}`: {e:#}", dir.display()))?;
    md.with_preprocessor(GoalsPreprocessor::default());
    md.build().map_err(|e| format!("{e:#}"))?;
    let site = if md.config.outputs::<toml::Value>().map_or(0, |o| o.len()) > 1 {
        md.build_dir_for("html")
    } else {
        md.root.join(&md.config.build.build_dir)
    };
    let book = Book::from_config(&md.root, &md.config, None);
    let Some(period) = newest_period(&book.periods()) else {
        return Ok(Built {
            site: crate::book::tidy(&site),
            rfc: None,
            diags: Diagnostics::new(),
        });
    };
    let export = rfc::export(&book, &period);
    if export.diags.has_errors() {
        return Err(format!(
            "the RFC of {period} has errors:\n{}",
            export.diags.render(&annotate_snippets::Renderer::plain())
        ));
    }
    let path = md
        .root
        .join(&md.config.build.build_dir)
        .join("rfc")
        .join(format!("{period}.md"));
    write_atomic(&path, export.text.as_bytes(), &export.inputs).map_err(|e| e.to_string())?;
    Ok(Built {
        site: crate::book::tidy(&site),
        rfc: Some(crate::book::tidy(&path)),
        diags: export.diags,
    })
}

/// The latest period: the highest year, then the later half; a whole-year
/// folder counts as the start of its year.
pub fn newest_period(periods: &[String]) -> Option<String> {
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

    #[test]
    fn newest_period_is_the_latest_year_then_half() {
        let p = |v: &[&str]| newest_period(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(p(&["2024h2", "2026", "2025h2"]).as_deref(), Some("2026"));
        assert_eq!(p(&["2025h1", "2025h2"]).as_deref(), Some("2025h2"));
        assert_eq!(p(&[]), None);
    }
}
