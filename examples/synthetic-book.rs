//! Writes the benchmarks' synthetic book: one current-format period of N
//! goals (see `benches/common/mod.rs`).
//!
//! ```sh
//! cargo run --release --example synthetic-book -- DIR GOALS
//! ```
//!
//! DIR must be missing, empty or an earlier synthetic book (which is
//! replaced); the same GOALS always writes the same bytes.

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, goals] = args.as_slice() else {
        eprintln!("usage: synthetic-book DIR GOALS");
        return ExitCode::from(2);
    };
    let Ok(goals) = goals.parse::<usize>() else {
        eprintln!("error: GOALS must be a number, not `{goals}`");
        return ExitCode::from(2);
    };
    match common::synthetic_book(&PathBuf::from(dir), goals) {
        Ok(root) => {
            println!("{}", root.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
