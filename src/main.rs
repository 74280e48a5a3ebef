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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    let run = match cli.command {
        None => run_preprocessor(),
        Some(Command::Supports { .. }) => Ok(ExitCode::SUCCESS),
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
    };
    run.unwrap_or_else(|WriteFailed| ExitCode::from(1))
}

/// A write to stdout or stderr failed (and was reported where possible).
struct WriteFailed;

/// What a command returns: its exit status, or a failed write.
type Run = Result<ExitCode, WriteFailed>;

/// Writes the command's output to stdout, all of it, and flushes it. A
/// reader that closed the pipe early (`| head -1`) stops the output
/// quietly; any other error is reported in one line on stderr.
fn out(bytes: &[u8]) -> Result<(), WriteFailed> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: cannot write to stdout: {e}");
            Err(WriteFailed)
        }
    }
}

/// Writes messages or diagnostics to stderr. A failure cannot be reported
/// anywhere, so it only sets the exit status.
fn err(text: &str) -> Result<(), WriteFailed> {
    match std::io::stderr().lock().write_all(text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(_) => Err(WriteFailed),
    }
}

/// `err` for one line.
fn say(line: impl std::fmt::Display) -> Result<(), WriteFailed> {
    err(&format!("{line}\n"))
}

/// Help and version go to stdout (checked like any output); usage errors
/// to stderr with status 2.
fn usage(e: &clap::Error) -> ExitCode {
    if e.use_stderr() {
        let _ = e.print();
        return ExitCode::from(2);
    }
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let text = if std::io::stdout().is_terminal() && !no_color {
        e.render().ansi().to_string()
    } else {
        e.render().to_string()
    };
    match out(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(WriteFailed) => ExitCode::from(1),
    }
}

/// Prints diagnostics to stderr (human) or stdout (JSON).
fn print(diags: &Diagnostics, format: Format) -> Result<(), WriteFailed> {
    match format {
        Format::Human => err(&diags.render(&renderer_for(std::io::stderr().is_terminal()))),
        Format::Json => out(diags.render_json().as_bytes()),
    }
}

fn run_check(
    book_dir: &std::path::Path,
    period: Option<&str>,
    format: Format,
    deny_warnings: bool,
) -> Run {
    let book = match Book::open(book_dir) {
        Ok(b) => b,
        Err(d) => {
            print(&d, format)?;
            return Ok(ExitCode::from(1));
        }
    };
    let report = match check::check(&book, period) {
        Ok(r) => r,
        Err(msg) => {
            say(format_args!("error: {msg}"))?;
            return Ok(ExitCode::from(2));
        }
    };
    print(&report.diags, format)?;
    if matches!(format, Format::Human) && report.diags.is_empty() {
        say(format_args!(
            "checked {} ({} goals, {} roadmaps, {} files): no problems",
            plural(report.periods.len(), "period"),
            report.goals,
            report.roadmaps,
            report.files
        ))?;
    }
    let failed = report.diags.has_errors() || (deny_warnings && report.diags.warnings() > 0);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The mdBook protocol: `[context, book]` on stdin, the book on stdout.
/// mdBook needs the whole book, so here a closed stdout is an error too.
fn run_preprocessor() -> Run {
    use mdbook_goals::preprocessor::{ProtocolError, run_protocol};
    let stderr = std::io::stderr();
    let styled = stderr.is_terminal();
    Ok(
        match run_protocol(
            std::io::stdin().lock(),
            std::io::stdout().lock(),
            stderr.lock(),
            styled,
        ) {
            Ok(()) => ExitCode::SUCCESS,
            Err(ProtocolError::Input(e)) => {
                say(format_args!(
                    "error: mdbook-goals expects mdBook's preprocessor input on stdin: {e}"
                ))?;
                say(
                    "help: run it through `mdbook build`, or use a subcommand (see `mdbook-goals --help`)",
                )?;
                ExitCode::from(2)
            }
            Err(ProtocolError::Failed(e)) => {
                say(format_args!("error: {e}"))?;
                ExitCode::from(1)
            }
            Err(ProtocolError::Output(e)) => {
                say(format_args!("error: cannot write the book to stdout: {e}"))?;
                ExitCode::from(1)
            }
        },
    )
}

fn run_build(book_dir: &Path) -> Run {
    match mdbook_goals::site::build(book_dir) {
        Ok(built) => {
            if !built.diags.is_empty() {
                print(&built.diags, Format::Human)?;
            }
            let mut paths = format!("{}\n", built.site.join("index.html").display());
            if let Some(rfc) = built.rfc {
                paths.push_str(&format!("{}\n", rfc.display()));
            }
            out(paths.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            say(format_args!("error: {e}"))?;
            Ok(ExitCode::from(1))
        }
    }
}

fn run_rfc(period_dir: &Path, output: Option<&Path>, check: Option<&Path>) -> Run {
    use mdbook_goals::rfc::{RfcError, export_dir};
    let rfc = match export_dir(period_dir) {
        Ok(r) => r,
        Err(RfcError::NotAPeriod(msg)) => {
            say(format_args!("error: {msg}"))?;
            return Ok(ExitCode::from(2));
        }
        Err(RfcError::Book(d)) => {
            print(&d, Format::Human)?;
            return Ok(ExitCode::from(1));
        }
    };
    if !rfc.diags.is_empty() {
        print(&rfc.diags, Format::Human)?;
    }
    if rfc.diags.has_errors() {
        return Ok(ExitCode::from(1));
    }
    if let Some(file) = check {
        return Ok(match std::fs::read_to_string(file) {
            Ok(old) if old == rfc.text => {
                say(format_args!("`{}` is up to date", file.display()))?;
                ExitCode::SUCCESS
            }
            Ok(old) => {
                say(format_args!(
                    "error: `{}` is stale: {}",
                    file.display(),
                    mdbook_goals::rfc::difference(&old, &rfc.text)
                ))?;
                say(format_args!(
                    "help: regenerate it with `mdbook-goals rfc {} -o {}`",
                    period_dir.display(),
                    file.display()
                ))?;
                ExitCode::from(1)
            }
            Err(e) => {
                say(format_args!("error: cannot read `{}`: {e}", file.display()))?;
                ExitCode::from(1)
            }
        });
    }
    match output {
        Some(file) => {
            match mdbook_goals::output::write_atomic(file, rfc.text.as_bytes(), &rfc.inputs) {
                Ok(()) => {
                    say(format_args!("wrote {}", file.display()))?;
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    say(format_args!("error: {e}"))?;
                    Ok(ExitCode::from(1))
                }
            }
        }
        None => {
            out(rfc.text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
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
