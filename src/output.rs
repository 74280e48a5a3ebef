//! Writing files all at once: a reader never sees half a file, and nothing
//! but a regular file that is not one of the book's inputs is ever
//! replaced.
//!
//! [`write_atomic`] writes to a fresh temporary file in the target's folder
//! (an unpredictable name, created exclusively, so a planted file or link
//! cannot redirect it), syncs it, gives it the permission bits of the file
//! it replaces and renames it over the target. It refuses a target that
//! exists and is not a regular file (a device, a FIFO, a folder, a symbolic
//! link) and a target that is one of the book's inputs.

use crate::book::Book;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The files a run reads, which a write may never replace: `book.toml`, the
/// team registry and every markdown file of the source folder (the
/// `SUMMARY.md`, goals, roadmaps and pages). Paths are canonical.
#[derive(Clone, Debug, Default)]
pub(crate) struct Inputs {
    files: Vec<(PathBuf, &'static str)>,
    /// Folders whose `.md` files are inputs.
    sources: Vec<PathBuf>,
}

impl Inputs {
    /// No protected files.
    pub(crate) fn none() -> Inputs {
        Inputs::default()
    }

    /// The inputs of a book.
    pub(crate) fn of_book(book: &Book) -> Inputs {
        let mut files = vec![(book.root.join("book.toml"), "the book's configuration")];
        if let Some(teams) = &book.config.teams {
            files.push((book.root.join(teams), "the team registry"));
        }
        Inputs {
            files: files
                .into_iter()
                .filter_map(|(p, what)| Some((p.canonicalize().ok()?, what)))
                .collect(),
            sources: book.src.canonicalize().into_iter().collect(),
        }
    }

    /// What input `canonical` is, if it is one.
    fn role(&self, canonical: &Path) -> Option<&'static str> {
        if let Some((_, what)) = self.files.iter().find(|(p, _)| p == canonical) {
            return Some(what);
        }
        let markdown = canonical.extension().is_some_and(|e| e == "md");
        (markdown && self.sources.iter().any(|s| canonical.starts_with(s)))
            .then_some("a markdown file of the book's source folder")
    }
}

/// Why a file was not written. Its message names the path.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// The target exists and is not a regular file.
    NotRegular { path: PathBuf, kind: &'static str },
    /// The target is a symbolic link (to `to`).
    Symlink { path: PathBuf, to: PathBuf },
    /// The target is one of the book's inputs.
    Input { path: PathBuf, role: &'static str },
    /// The operating system refused.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotRegular { path, kind } => write!(
                f,
                "cannot write `{}`: it is {kind}, not a regular file",
                path.display()
            ),
            WriteError::Symlink { path, to } => write!(
                f,
                "cannot write `{}`: it is a symbolic link (to `{}`); name the file itself",
                path.display(),
                to.display()
            ),
            WriteError::Input { path, role } => write!(
                f,
                "cannot write `{}`: it is an input of the book ({role})",
                path.display()
            ),
            WriteError::Io { path, error } => {
                write!(f, "cannot write `{}`: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for WriteError {}

/// Writes `bytes` to `path` through a temporary file in the same folder,
/// then renames it over the target. Creates the folder when needed. A
/// replaced file keeps its permission bits; a new one gets the usual
/// `0666` less the umask.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8], inputs: &Inputs) -> Result<(), WriteError> {
    let io = |error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    };
    let existing = match std::fs::symlink_metadata(path) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    if let Some(meta) = &existing {
        refuse(path, meta, inputs)?;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".mdbook-goals-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    if let Some(meta) = &existing {
        tmp.as_file()
            .set_permissions(kept_permissions(meta))
            .map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.flush().map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    // On failure the temporary file is removed when the error drops it.
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

/// The permission bits of the replaced file, without set-user-ID, set-group-ID
/// and sticky bits (the new file may have another owner).
fn kept_permissions(meta: &std::fs::Metadata) -> std::fs::Permissions {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::Permissions::from_mode(meta.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    meta.permissions()
}

/// Refuses an existing target that is not a regular file, or is an input.
fn refuse(path: &Path, meta: &std::fs::Metadata, inputs: &Inputs) -> Result<(), WriteError> {
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Err(WriteError::Symlink {
            path: path.to_path_buf(),
            to: std::fs::read_link(path).unwrap_or_default(),
        });
    }
    if !kind.is_file() {
        return Err(WriteError::NotRegular {
            path: path.to_path_buf(),
            kind: describe(&kind),
        });
    }
    let canonical = path.canonicalize().map_err(|error| WriteError::Io {
        path: path.to_path_buf(),
        error,
    })?;
    match inputs.role(&canonical) {
        Some(role) => Err(WriteError::Input {
            path: path.to_path_buf(),
            role,
        }),
        None => Ok(()),
    }
}

fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_whole_files_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub/out.md");
        write_atomic(&target, b"one", &Inputs::none()).unwrap();
        write_atomic(&target, b"two", &Inputs::none()).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"two");
        assert_eq!(names(&dir.path().join("sub")), ["out.md"]);
    }

    #[test]
    fn a_folder_target_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("taken");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), b"x").unwrap();
        let err = write_atomic(&target, b"new", &Inputs::none()).unwrap_err();
        assert!(matches!(
            err,
            WriteError::NotRegular {
                kind: "a folder",
                ..
            }
        ));
        assert!(err.to_string().contains(&target.display().to_string()));
        assert_eq!(names(dir.path()), ["taken"]);
        assert_eq!(names(&target), ["keep"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_at_the_old_temporary_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        // The names the previous scheme used for this process.
        for name in ["out.md", "other.md"] {
            let planted = dir
                .path()
                .join(format!(".{name}.tmp-{}", std::process::id()));
            std::os::unix::fs::symlink(&victim, &planted).unwrap();
            write_atomic(&dir.path().join(name), b"rfc", &Inputs::none()).unwrap();
            assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
            assert!(planted.symlink_metadata().unwrap().is_symlink());
            assert_eq!(std::fs::read(dir.path().join(name)).unwrap(), b"rfc");
        }
    }

    #[cfg(unix)]
    #[test]
    fn permission_bits_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        for mode in [0o600, 0o644, 0o640] {
            let target = dir.path().join(format!("m{mode:o}"));
            std::fs::write(&target, b"old").unwrap();
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(mode)).unwrap();
            write_atomic(&target, b"new", &Inputs::none()).unwrap();
            let meta = std::fs::metadata(&target).unwrap();
            assert_eq!(meta.permissions().mode() & 0o7777, mode);
            assert_eq!(std::fs::read(&target).unwrap(), b"new");
        }
    }
}
