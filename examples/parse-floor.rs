//! The floor of the period benchmarks as a process: reads every `.md` file
//! under the given period folders and parses each once with pulldown-cmark
//! (the options mdbook-goals parses with), as `benches/period.rs` does in
//! process. `scripts/bench-instructions` counts its instructions next to
//! those of `check` and `rfc` on the same folders.
//!
//! ```sh
//! cargo build --release --example parse-floor
//! target/release/examples/parse-floor book/src/2027
//! ```

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: parse-floor PERIOD_DIR...");
        return ExitCode::from(2);
    }
    let mut sum = 0;
    for dir in &dirs {
        sum += common::floor(&common::markdown_files(Path::new(dir)));
    }
    println!("{sum}");
    ExitCode::SUCCESS
}
