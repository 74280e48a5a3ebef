//! Paths: how files are shown in diagnostics, and relative links between
//! chapters.

use std::path::{Component, Path, PathBuf};

/// The path to show for a file: relative to the current directory when it
/// lies below it, else as given.
pub fn display_path(path: &Path) -> PathBuf {
    if path.is_absolute()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(rel) = path.strip_prefix(&cwd)
    {
        return rel.to_path_buf();
    }
    path.to_path_buf()
}

/// A `/`-separated form of a relative path.
pub(crate) fn slash(path: &Path) -> String {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::ParentDir => Some("..".to_string()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A relative link from the chapter at `from` to the file at `to`, both
/// `/`-separated paths relative to the source folder.
pub(crate) fn relative_link(from: &str, to: &str) -> String {
    // Most links stay in the chapter's own folder (or below it).
    let dir = from.rfind('/').map(|i| &from[..i]);
    let below = match dir {
        None => Some(to),
        Some(dir) => to.strip_prefix(dir).and_then(|r| r.strip_prefix('/')),
    };
    if let Some(rest) = below {
        let mut out = String::with_capacity(rest.len() + 2);
        out.push_str("./");
        out.push_str(rest);
        return out;
    }
    let from_dir: Vec<&str> = from.split('/').collect();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    if from_dir.len() == common {
        format!("./{}", parts.join("/"))
    } else {
        parts.join("/")
    }
}

/// The file name of a `/`-separated path, without `.md`.
pub(crate) fn slug(file: &str) -> String {
    file.rsplit('/')
        .next()
        .unwrap_or(file)
        .trim_end_matches(".md")
        .to_string()
}

/// Whether a folder name is a period: `YYYY` or `YYYYhN`.
pub(crate) fn is_period_name(name: &str) -> bool {
    let b = name.as_bytes();
    let year = b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit);
    year && (b.len() == 4
        || (b.len() == 6 && (b[4] == b'h' || b[4] == b'H') && b[5].is_ascii_digit()))
}

/// Resolves `.` and `..` in a relative path without touching the file
/// system. `None` when `..` climbs above the start.
pub(crate) fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(s) => out.push(s),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The file a relative link `rel` written in the chapter `file` points
/// at, both `/`-separated and relative to the source folder, in the form
/// [`slash`] gives [`normalize`]'s result; `None` when it leaves the
/// folder or is absolute. One pass over the segments, no path types.
pub(crate) fn join(file: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') {
        return None;
    }
    let dir = file.rfind('/').map_or("", |i| &file[..i]);
    let mut out = String::with_capacity(dir.len() + rel.len() + 1);
    for segment in dir.split('/').chain(rel.split('/')) {
        match segment {
            "" | "." => {}
            ".." => {
                let cut = out.rfind('/').unwrap_or(0);
                if out.is_empty() {
                    return None;
                }
                out.truncate(cut);
            }
            _ => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(segment);
            }
        }
    }
    Some(out)
}

/// Where `path` really lives (symbolic links followed) when that is outside
/// the folder `root`, which must be canonical. `None` when the path stays
/// inside, or cannot be resolved (reading it will then report why).
pub(crate) fn outside(root: &Path, path: &Path) -> Option<PathBuf> {
    let real = path.canonicalize().ok()?;
    (!real.starts_with(root)).then_some(real)
}

/// [`outside`] for the entries of one folder, resolving the folder once:
/// an entry that is not itself a symbolic link lives in the folder's real
/// path, so only links are resolved one by one.
pub(crate) struct FolderCheck<'a> {
    root: &'a Path,
    /// The folder's real path, when it resolves.
    real: Option<PathBuf>,
}

impl<'a> FolderCheck<'a> {
    pub(crate) fn new(root: &'a Path, folder: &Path) -> FolderCheck<'a> {
        FolderCheck {
            root,
            real: folder.canonicalize().ok(),
        }
    }

    /// [`outside`] for the entry `name` of the folder at `path`, which is a
    /// symbolic link when `link`.
    pub(crate) fn outside(&self, path: &Path, name: &str, link: bool) -> Option<PathBuf> {
        match &self.real {
            Some(real) if !link => {
                let real = real.join(name);
                (!real.starts_with(self.root)).then_some(real)
            }
            _ => outside(self.root, path),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_check_agrees_with_resolving_each_entry() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().canonicalize().unwrap();
        let root = base.join("src");
        let outside_dir = base.join("elsewhere");
        for d in [&root.join("2027"), &outside_dir] {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("a.md"), "a").unwrap();
        }
        std::fs::write(outside_dir.join("b.md"), "b").unwrap();
        // A period that is a link to a folder outside the book, links out
        // of and within a period, a dangling link.
        symlink(&outside_dir, root.join("2028")).unwrap();
        symlink(outside_dir.join("b.md"), root.join("2027/out.md")).unwrap();
        symlink(root.join("2027/a.md"), root.join("2027/in.md")).unwrap();
        symlink(base.join("nowhere"), root.join("2027/dangling.md")).unwrap();
        let mut outside_seen = 0;
        for period in ["2027", "2028"] {
            let folder = root.join(period);
            let check = FolderCheck::new(&root, &folder);
            for e in std::fs::read_dir(&folder).unwrap().flatten() {
                let name = e.file_name().into_string().unwrap();
                let link = e.file_type().unwrap().is_symlink();
                let expected = outside(&root, &e.path());
                outside_seen += usize::from(expected.is_some());
                assert_eq!(
                    check.outside(&e.path(), &name, link),
                    expected,
                    "{period}/{name}"
                );
            }
        }
        // 2027/out.md, 2028/a.md and 2028/b.md.
        assert_eq!(outside_seen, 3);
    }

    #[test]
    fn links_between_chapters() {
        assert_eq!(relative_link("2027/goals.md", "2027/a.md"), "./a.md");
        assert_eq!(relative_link("2027/sub/x.md", "2027/a.md"), "../a.md");
        assert_eq!(relative_link("README.md", "2027/a.md"), "./2027/a.md");
        // The shortcut for links within the folder gives what the walk
        // over the components gives.
        let walk = |from: &str, to: &str| {
            let from_dir: Vec<&str> = from.split('/').collect();
            let from_dir = &from_dir[..from_dir.len() - 1];
            let to: Vec<&str> = to.split('/').collect();
            let common = from_dir.iter().zip(&to).take_while(|(a, b)| a == b).count();
            let mut parts = vec![".."; from_dir.len() - common];
            parts.extend(&to[common..]);
            let joined = parts.join("/");
            if from_dir.len() == common {
                format!("./{joined}")
            } else {
                joined
            }
        };
        let paths = [
            "x.md", "a/x.md", "a/b/x.md", "a//x.md", "ab/x.md", "a/", "a", "", "b/a/x.md",
        ];
        for from in paths {
            for to in paths {
                assert_eq!(
                    relative_link(from, to),
                    walk(from, to),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn period_names() {
        for ok in ["2026", "2024h2", "2025H1"] {
            assert!(is_period_name(ok), "{ok}");
        }
        for bad in [
            "202", "2024h", "2024h12", "about", "2024-h2", "2024hx", "2024x2", "20a4", "2024 ",
            "2024h½",
        ] {
            assert!(!is_period_name(bad), "{bad}");
        }
    }

    #[test]
    fn normalizing() {
        assert_eq!(
            normalize(Path::new("a/./b/../c")),
            Some(PathBuf::from("a/c"))
        );
        assert_eq!(normalize(Path::new("../x")), None);
    }

    #[test]
    fn joining_is_normalizing_the_joined_path() {
        let files = [
            "x.md", "a/x.md", "a/b/x.md", "a//x.md", "./a/x.md", "a/./x.md",
        ];
        let rels = [
            "y.md",
            "./y.md",
            "../y.md",
            "../../y.md",
            "../../../y.md",
            "b/../y.md",
            "b//y.md",
            ".",
            "..",
            "",
            "./",
            "b/",
            "/y.md",
            "a/.../y.md",
            "..y.md",
            "b/./../../y.md",
        ];
        for file in files {
            for rel in rels {
                let dir = Path::new(file).parent().unwrap_or(Path::new(""));
                let long = normalize(&dir.join(rel)).map(|p| slash(&p));
                assert_eq!(join(file, rel), long, "{file:?} + {rel:?}");
            }
        }
    }
}
