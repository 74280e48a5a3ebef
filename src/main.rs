//! The `mdbook-goals` command line: argument parsing, reading files and
//! printing. Everything else lives in the library.

use clap::{Parser, Subcommand, ValueEnum};
use mdbook_goals::book::Book;
use mdbook_goals::check;
use mdbook_goals::diagnostic::{Diagnostics, renderer_for};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Goals program tooling: an mdBook preprocessor plus commands that check a
/// slate and export it.
///
/// Without a subcommand it runs as an mdBook preprocessor (book JSON on
/// stdin, book JSON on stdout).
#[derive(Parser)]
#[command(name = "mdbook-goals", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and validate every period of a book, directives included.
    Check {
        /// The book folder (holding `book.toml`).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
        /// Check only this period (e.g. `2026`).
        #[arg(long, value_name = "NAME")]
        period: Option<String>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build the book's HTML site (through mdBook's library, with this
    /// preprocessor in-process) and the RFC of its newest period.
    Build {
        /// The book folder (holding `book.toml`).
        #[arg(default_value = ".")]
        book_dir: PathBuf,
    },
    /// Export a period's slate as one self-contained RFC file.
    Rfc {
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// Write the RFC to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE", conflicts_with = "check")]
        output: Option<PathBuf>,
        /// Compare FILE with a fresh export: exit 0 when equal, 1 when stale.
        #[arg(long, value_name = "FILE")]
        check: Option<PathBuf>,
    },
    /// Fetch the period's tracking issues and their comments from GitHub
    /// into the snapshot `<tracking-data>/<period>.json`.
    ///
    /// The only command that uses the network. The token comes from
    /// `GITHUB_TOKEN`, else `GH_TOKEN`, else `gh auth token`.
    Sync {
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// GitHub API base URL (overrides the book's `api-url`).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// The longest a rate limit may make the run wait, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        max_wait: u64,
    },
    /// Tell mdBook whether a renderer is supported (always yes).
    Supports {
        /// The renderer's name.
        renderer: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style messages.
    Human,
    /// One JSON object per diagnostic, one per line.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => run_preprocessor(),
        Some(Command::Supports { .. }) => ExitCode::SUCCESS,
        Some(Command::Check {
            book_dir,
            period,
            format,
            deny_warnings,
        }) => run_check(&book_dir, period.as_deref(), format, deny_warnings),
        Some(Command::Build { book_dir }) => run_build(&book_dir),
        Some(Command::Rfc {
            period_dir,
            output,
            check,
        }) => run_rfc(&period_dir, output.as_deref(), check.as_deref()),
        Some(Command::Sync {
            period_dir,
            api_url,
            max_wait,
        }) => run_sync(&period_dir, api_url, max_wait),
    }
}

/// Prints diagnostics to stderr (human) or stdout (JSON).
fn print(diags: &Diagnostics, format: Format) {
    match format {
        Format::Human => {
            let stderr = std::io::stderr();
            let text = diags.render(&renderer_for(stderr.is_terminal()));
            let _ = stderr.lock().write_all(text.as_bytes());
        }
        Format::Json => {
            let _ = std::io::stdout()
                .lock()
                .write_all(diags.render_json().as_bytes());
        }
    }
}

fn run_check(
    book_dir: &std::path::Path,
    period: Option<&str>,
    format: Format,
    deny_warnings: bool,
) -> ExitCode {
    let book = match Book::open(book_dir) {
        Ok(b) => b,
        Err(d) => {
            print(&d, format);
            return ExitCode::from(1);
        }
    };
    let report = match check::check(&book, period) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    print(&report.diags, format);
    if matches!(format, Format::Human) && report.diags.is_empty() {
        eprintln!(
            "checked {} ({} goals, {} roadmaps, {} files): no problems",
            plural(report.periods.len(), "period"),
            report.goals,
            report.roadmaps,
            report.files
        );
    }
    let failed = report.diags.has_errors() || (deny_warnings && report.diags.warnings() > 0);
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The mdBook protocol: `[context, book]` on stdin, the book on stdout.
fn run_preprocessor() -> ExitCode {
    use mdbook_goals::preprocessor::{ProtocolError, run_protocol};
    let stderr = std::io::stderr();
    let styled = stderr.is_terminal();
    match run_protocol(
        std::io::stdin().lock(),
        std::io::stdout().lock(),
        stderr.lock(),
        styled,
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(ProtocolError::Input(e)) => {
            eprintln!("error: mdbook-goals expects mdBook's preprocessor input on stdin: {e}");
            eprintln!(
                "help: run it through `mdbook build`, or use a subcommand (see `mdbook-goals --help`)"
            );
            ExitCode::from(2)
        }
        Err(ProtocolError::Failed(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
        Err(ProtocolError::Output(e)) => {
            eprintln!("error: cannot write the book to stdout: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_build(book_dir: &Path) -> ExitCode {
    match mdbook_goals::site::build(book_dir) {
        Ok(built) => {
            if !built.diags.is_empty() {
                print(&built.diags, Format::Human);
            }
            println!("{}", built.site.join("index.html").display());
            if let Some(rfc) = built.rfc {
                println!("{}", rfc.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_rfc(period_dir: &Path, output: Option<&Path>, check: Option<&Path>) -> ExitCode {
    use mdbook_goals::rfc::{RfcError, export_dir};
    let rfc = match export_dir(period_dir) {
        Ok(r) => r,
        Err(RfcError::NotAPeriod(msg)) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
        Err(RfcError::Book(d)) => {
            print(&d, Format::Human);
            return ExitCode::from(1);
        }
    };
    if !rfc.diags.is_empty() {
        print(&rfc.diags, Format::Human);
    }
    if rfc.diags.has_errors() {
        return ExitCode::from(1);
    }
    if let Some(file) = check {
        return match std::fs::read_to_string(file) {
            Ok(old) if old == rfc.text => {
                eprintln!("`{}` is up to date", file.display());
                ExitCode::SUCCESS
            }
            Ok(old) => {
                eprintln!(
                    "error: `{}` is stale: {}",
                    file.display(),
                    mdbook_goals::rfc::difference(&old, &rfc.text)
                );
                eprintln!(
                    "help: regenerate it with `mdbook-goals rfc {} -o {}`",
                    period_dir.display(),
                    file.display()
                );
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", file.display());
                ExitCode::from(1)
            }
        };
    }
    match output {
        Some(file) => match mdbook_goals::output::write_atomic(file, rfc.text.as_bytes()) {
            Ok(()) => {
                eprintln!("wrote {}", file.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", file.display());
                ExitCode::from(1)
            }
        },
        None => {
            let _ = std::io::stdout().lock().write_all(rfc.text.as_bytes());
            ExitCode::SUCCESS
        }
    }
}

fn run_sync(period_dir: &Path, api_url: Option<String>, max_wait: u64) -> ExitCode {
    use mdbook_goals::tracking::sync::{SyncError, SyncOptions, sync_dir};
    let token = mdbook_goals::github::find_token(
        |name| std::env::var(name).ok(),
        std::env::var_os("PATH").as_deref(),
    );
    let terminal = std::io::stderr().is_terminal();
    let options = SyncOptions {
        api_url,
        max_wait: std::time::Duration::from_secs(max_wait),
        token,
    };
    let notify = Box::new(move |line: &str| {
        if terminal {
            eprint!("\r\x1b[K");
        }
        eprintln!("note: {line}");
    });
    let progress = |done: usize, total: usize| {
        if terminal {
            eprint!("\r\x1b[Kfetching tracking issues: {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    match sync_dir(period_dir, options, notify, &progress) {
        Ok(synced) => {
            for w in &synced.warnings {
                eprintln!("warning: {w}");
            }
            if let Some(path) = &synced.path {
                eprintln!(
                    "wrote {} ({}, {}, {} hidden)",
                    path.display(),
                    plural(synced.issues, "issue"),
                    plural(synced.comments, "comment"),
                    synced.minimized
                );
            }
            ExitCode::SUCCESS
        }
        Err(SyncError::NotAPeriod(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
        Err(SyncError::Book(d)) => {
            print(&d, Format::Human);
            ExitCode::from(1)
        }
        Err(SyncError::Failed(msg)) => {
            if terminal {
                eprintln!();
            }
            eprintln!("error: {msg}");
            eprintln!("note: nothing was written");
            ExitCode::from(1)
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
