//! Month ranges, as directive arguments and command options write them:
//! `2025-09`, `2025-09-15`, `2026-01 to 2026-03`.

use jiff::civil::Date;

/// A `REPORTS` argument: the first and last bound (first day of the
/// month, and the date written).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Range {
    pub from: Option<(Date, Date)>,
    pub to: Option<(Date, Date)>,
}

/// Parses `2025-09-01`, `2026-01 to 2026-03` or nothing.
pub(crate) fn parse_range(arg: Option<&str>) -> Result<Range, String> {
    let Some(arg) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(Range {
            from: None,
            to: None,
        });
    };
    let (a, b) = match arg.split_once(" to ") {
        Some((a, b)) => (a, Some(b)),
        None => (arg, None),
    };
    let from = parse_bound(a)?;
    let to = b.map(parse_bound).transpose()?;
    if let Some(to) = to
        && to.1 < from.1
    {
        return Err(format!(
            "the range ends ({}) before it starts ({})",
            to.1, from.1
        ));
    }
    Ok(Range {
        from: Some(from),
        to,
    })
}

/// The first day of the month `YYYY-MM`, or of the month of `YYYY-MM-DD`
/// (with the date itself).
pub(crate) fn parse_bound(s: &str) -> Result<(Date, Date), String> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Ok((d.first_of_month(), d));
    }
    let month = format!("{s}-01");
    if s.len() == 7
        && let Ok(d) = month.parse::<Date>()
    {
        return Ok((d, d));
    }
    Err(format!(
        "`{s}` is neither a month (`2026-02`) nor a date (`2026-02-15`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        let r = parse_range(Some("2026-01 to 2026-03-15")).unwrap();
        assert_eq!(r.from.unwrap().0.to_string(), "2026-01-01");
        assert_eq!(r.to.unwrap().1.to_string(), "2026-03-15");
        assert!(parse_range(Some("2026-13")).is_err());
        assert!(parse_range(Some("2026-03 to 2026-01")).is_err());
        assert!(parse_range(Some("soon")).is_err());
        assert_eq!(parse_range(None).unwrap().from, None);
        assert_eq!(parse_bound("2026-02").unwrap().1.to_string(), "2026-02-01");
        assert!(parse_bound("2026-2").is_err());
    }
}
