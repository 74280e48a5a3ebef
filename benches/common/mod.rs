//! A synthetic period for the tracking-data benchmarks: a book whose
//! `2027` period holds `goals` goal files, goal `n` tracked by
//! `bench-org/goals#n`.

use std::fs;
use std::path::{Path, PathBuf};

/// The repository the goals' tracking issues live in.
pub const REPOSITORY: &str = "bench-org/goals";

/// Writes the book into `root` (`book.toml`, `SUMMARY.md` and the goals,
/// each with the given `status`) and returns the period folder.
pub fn tracked_period(root: &Path, goals: u64, status: &str) -> PathBuf {
    let src = root.join("src/2027");
    fs::create_dir_all(&src).unwrap();
    fs::write(
        root.join("book.toml"),
        format!("[book]\nsrc = \"src\"\n\n[preprocessor.goals]\nrepository = \"{REPOSITORY}\"\n"),
    )
    .unwrap();
    fs::write(root.join("src/SUMMARY.md"), "# Summary\n").unwrap();
    for n in 1..=goals {
        fs::write(
            src.join(format!("goal-{n:03}.md")),
            format!(
                "# Goal {n}\n\n| Metadata | |\n|---|---|\n| Point of contact | @ada |\n| Status | {status} |\n| Tracking issue | [{REPOSITORY}#{n}] |\n\n## Summary\n\nWork.\n"
            ),
        )
        .unwrap();
    }
    src
}
