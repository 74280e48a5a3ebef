//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

/// `tests/diagnostics`: the base book and one overlay per diagnostic code.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diagnostics")
}

/// Copies a folder into another; a file named `x.symlink` becomes a
/// symbolic link `x` to the path it contains.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else if let Some(link) = name.strip_suffix(".symlink") {
            let dest = fs::read_to_string(entry.path()).unwrap();
            #[cfg(unix)]
            std::os::unix::fs::symlink(dest.trim(), to.join(link)).unwrap();
            #[cfg(not(unix))]
            let _ = (dest, link);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Builds the fixture book `name` (the base with the overlay of that name
/// laid over it) in a fresh scratch folder under `scratch`.
pub fn fixture_book(scratch: &Path, name: &str) -> PathBuf {
    let dir = scratch.join(name);
    let _ = fs::remove_dir_all(&dir);
    copy_tree(&fixtures().join("_base"), &dir);
    if name != "_base" {
        copy_tree(&fixtures().join(name), &dir);
    }
    dir
}
