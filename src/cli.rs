//! The `mdbook-goals` command line: argument parsing, reading files and
//! printing, around the commands of the other modules. The binary is
//! [`main`] and nothing else.

use crate::book::Book;
use crate::check;
use crate::diagnostic::{Diagnostics, renderer_for};
use crate::grammar::count;
use crate::output::Inputs;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Goals program tooling: an mdBook preprocessor plus commands that check a
/// slate and export it.
///
/// Without a subcommand it runs as an mdBook preprocessor (book JSON on
/// stdin, book JSON on stdout); on a terminal it prints this help instead.
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
        /// Write the site here instead of the book's build folder (relative
        /// to the current folder); the RFC goes to its `rfc/` folder.
        #[arg(short, long, value_name = "DIR")]
        dest_dir: Option<PathBuf>,
        /// Write the RFC of this period (e.g. `2026`) instead of the newest.
        #[arg(long, value_name = "NAME", conflicts_with = "no_rfc")]
        period: Option<String>,
        /// Build the site only.
        #[arg(long)]
        no_rfc: bool,
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
    /// Export a period's slate as JSON or the champions sheet as CSV.
    Export {
        #[command(subcommand)]
        what: Export,
    },
    /// Write the FCP checklist comment for the period's RFC: per asked
    /// team, its leads (required) and members (optional).
    Fcp {
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// Write to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a team's review agenda for the period's goals.
    Review {
        /// The team, e.g. `lang`.
        team: String,
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// Write to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Scaffold a new period folder and add it to SUMMARY.md.
    New {
        /// The new period folder, e.g. `book/2028`.
        period_dir: PathBuf,
        /// List this earlier period's unfinished live goals as carry-over
        /// candidates.
        #[arg(long, value_name = "PERIOD")]
        from: Option<String>,
    },
    /// Fetch the period's tracking issues and their comments from GitHub
    /// into the snapshot `<tracking-data>/<period>.json`.
    ///
    /// Uses the network (as `tracking-issues` does). The token comes from
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
    /// Bring the tracking issues of the period's accepted goals in line
    /// with the goal files: print the plan, or carry it out with `--apply`.
    ///
    /// The plan compares the goal files with the period's tracking snapshot
    /// (written by `sync`) and uses no network. `--apply` reads the current
    /// issues, labels and milestones from GitHub (a token is needed, as for
    /// `sync`), creates and edits issues, labels and the milestone, and
    /// writes each new issue's number into its goal file. Never closes or
    /// deletes anything.
    TrackingIssues {
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// Carry the plan out (the only part that talks to GitHub).
        #[arg(long)]
        apply: bool,
        /// GitHub API base URL (overrides the book's `api-url`).
        #[arg(long, value_name = "URL")]
        api_url: Option<String>,
        /// The longest a rate limit may make the run wait, in seconds.
        #[arg(long, value_name = "SECONDS", default_value_t = 60)]
        max_wait: u64,
    },
    /// Write the monthly updates post from the tracking snapshot: plain
    /// CommonMark for a blog, GitHub and feed readers.
    ///
    /// Reads only the snapshot written by `sync`. An update is a comment
    /// created in the window that is not hidden, not from a bot or an
    /// ignored user, and not the tool's own boilerplate.
    Updates {
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// The month, e.g. `2027-02` (default: the month before the
        /// snapshot's `fetched_at`).
        #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
        month: Option<String>,
        /// The first day of the window (with `--to`).
        #[arg(long, value_name = "DATE", requires = "to")]
        from: Option<String>,
        /// The day after the window (end exclusive; with `--from`).
        #[arg(long, value_name = "DATE", requires = "from")]
        to: Option<String>,
        /// Keep the goals that have a champion from this team.
        #[arg(long, value_name = "TEAM")]
        team: Option<String>,
        /// Cut updates longer than this many lines (at a block boundary).
        #[arg(long, value_name = "N", default_value_t = crate::updates::DEFAULT_MAX_LINES)]
        max_lines: usize,
        /// Write the post to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Tell mdBook whether a renderer is supported (always yes). mdBook's
    /// plumbing: hidden from the help.
    #[command(hide = true)]
    Supports {
        /// The renderer's name.
        renderer: String,
    },
}

#[derive(Subcommand)]
enum Export {
    /// The slate as one JSON document (see `--schema`).
    Json {
        /// The period folder, e.g. `book/2027`.
        #[arg(required_unless_present = "schema")]
        period_dir: Option<PathBuf>,
        /// Print the JSON Schema of the document instead.
        #[arg(long, conflicts_with = "period_dir")]
        schema: bool,
        /// Write to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// The champions sheet: one row per goal, one column per asked team.
    ChampionsCsv {
        /// The period folder, e.g. `book/2027`.
        period_dir: PathBuf,
        /// Write to this file (atomically) instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// rustc-style messages.
    Human,
    /// One JSON object per diagnostic, one per line.
    Json,
}

/// Runs the command line on the process's arguments and streams.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    let run = match cli.command {
        None if std::io::stdin().is_terminal() => {
            // Nothing to read: mdBook pipes the book in. A person gets help.
            err(&Cli::command().render_help().to_string()).map(|()| ExitCode::from(2))
        }
        None => run_preprocessor(),
        Some(Command::Supports { .. }) => Ok(ExitCode::SUCCESS),
        Some(Command::Check {
            book_dir,
            period,
            format,
            deny_warnings,
        }) => run_check(&book_dir, period.as_deref(), format, deny_warnings),
        Some(Command::Build {
            book_dir,
            dest_dir,
            period,
            no_rfc,
        }) => run_build(
            &book_dir,
            &crate::site::Options {
                dest_dir,
                period,
                no_rfc,
            },
        ),
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
        Some(Command::Export { what }) => run_export(what),
        Some(Command::TrackingIssues {
            period_dir,
            apply,
            api_url,
            max_wait,
        }) => run_tracking_issues(
            &period_dir,
            crate::tracking::issues::RunOptions {
                api_url,
                max_wait: std::time::Duration::from_secs(max_wait),
                // Only `--apply` talks to GitHub; the plan reads the snapshot.
                token: if apply {
                    crate::github::find_token(
                        |name| std::env::var(name).ok(),
                        std::env::var_os("PATH").as_deref(),
                    )
                } else {
                    None
                },
            },
            apply,
        ),
        Some(Command::Updates {
            period_dir,
            month,
            from,
            to,
            team,
            max_lines,
            output,
        }) => with_period(&period_dir, |book, slate| {
            let args = crate::updates::Args {
                month: month.as_deref(),
                from: from.as_deref(),
                to: to.as_deref(),
                team: team.as_deref(),
                max_lines,
            };
            match crate::updates::run(book, slate, &period_dir, &args) {
                Ok(text) => emit(output.as_deref(), text.as_bytes(), &Inputs::of_book(book)),
                Err(crate::updates::RunError::Usage(e)) => {
                    say(format_args!("error: {e}"))?;
                    Ok(ExitCode::from(2))
                }
                Err(crate::updates::RunError::Failed(e)) => {
                    say(format_args!("error: {e}"))?;
                    Ok(ExitCode::from(1))
                }
            }
        }),
        Some(Command::Fcp { period_dir, output }) => with_period(&period_dir, |book, slate| {
            let list = crate::fcp::checklist(book, slate);
            if !list.diags.is_empty() {
                print(&list.diags, Format::Human)?;
            }
            emit(
                output.as_deref(),
                list.text.as_bytes(),
                &Inputs::of_book(book),
            )
        }),
        Some(Command::Review {
            team,
            period_dir,
            output,
        }) => with_period(&period_dir, |book, slate| {
            use crate::review::{resolve_team, review};
            match resolve_team(book, slate, &team) {
                Ok(key) => emit(
                    output.as_deref(),
                    review(book, slate, &key).as_bytes(),
                    &Inputs::of_book(book),
                ),
                Err(unknown) => {
                    say(format_args!(
                        "error: no team `{}` in the team registry or in the asks of {}",
                        unknown.name, slate.name
                    ))?;
                    if let Some(s) = unknown.suggestion {
                        say(format_args!("help: did you mean `{s}`?"))?;
                    }
                    Ok(ExitCode::from(2))
                }
            }
        }),
        Some(Command::New { period_dir, from }) => run_new(&period_dir, from.as_deref()),
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

/// `say` for the command's own report on stdout (what `build` wrote).
fn say_out(line: impl std::fmt::Display) -> Result<(), WriteFailed> {
    out(format!("{line}\n").as_bytes())
}

fn run_export(what: Export) -> Run {
    match what {
        Export::Json {
            schema: true,
            output,
            ..
        } => emit(
            output.as_deref(),
            crate::export::schema().as_bytes(),
            &Inputs::none(),
        ),
        Export::Json {
            period_dir, output, ..
        } => {
            let Some(dir) = period_dir else {
                return Ok(ExitCode::from(2));
            };
            with_period(&dir, |book, slate| {
                let export = crate::export::export(book, slate);
                emit(
                    output.as_deref(),
                    crate::export::to_json(&export).as_bytes(),
                    &Inputs::of_book(book),
                )
            })
        }
        Export::ChampionsCsv { period_dir, output } => {
            with_period(
                &period_dir,
                |book, slate| match crate::export::champions::champions_csv(book, slate) {
                    Ok(bytes) => emit(output.as_deref(), &bytes, &Inputs::of_book(book)),
                    Err(e) => {
                        say(format_args!("error: cannot write the CSV: {e}"))?;
                        Ok(ExitCode::from(1))
                    }
                },
            )
        }
    }
}

/// Opens the book around a period folder and loads the period; prints its
/// diagnostics, and runs `then` only when there is no error.
fn with_period(period_dir: &Path, then: impl FnOnce(&Book, &crate::slate::Slate) -> Run) -> Run {
    let (book, name) = match Book::open_period(period_dir) {
        Ok(b) => b,
        Err(e) => return period_error(e),
    };
    let slate = book.load(&name);
    let mut diags = book.diags.clone();
    diags.extend(slate.diagnostics());
    diags.sort();
    if !diags.is_empty() {
        print(&diags, Format::Human)?;
    }
    if diags.has_errors() {
        say(format_args!(
            "error: {name} has errors; nothing was written"
        ))?;
        return Ok(ExitCode::from(1));
    }
    then(&book, &slate)
}

/// Reports a period folder that cannot be opened: exit 2 for a folder that
/// is not a period, 1 for a book that cannot be read.
fn period_error(e: crate::book::PeriodError) -> Run {
    use crate::book::PeriodError;
    match e {
        PeriodError::NotABook(dir) => not_a_book(&format!(
            "no `book.toml` in any folder above `{}`",
            dir.display()
        )),
        PeriodError::NotAPeriod(msg) => {
            say(format_args!("error: {msg}"))?;
            Ok(ExitCode::from(2))
        }
        PeriodError::Book(d) => {
            print(&d, Format::Human)?;
            Ok(ExitCode::from(1))
        }
    }
}

/// Writes the output to FILE (atomically, never over one of `inputs`) or to
/// stdout.
fn emit(output: Option<&Path>, bytes: &[u8], inputs: &Inputs) -> Run {
    match output {
        Some(file) => match crate::output::write_atomic(file, bytes, inputs) {
            Ok(()) => {
                say(format_args!("wrote {}", file.display()))?;
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                say(format_args!("error: {e}"))?;
                Ok(ExitCode::from(1))
            }
        },
        None => {
            out(bytes)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn run_new(period_dir: &Path, from: Option<&str>) -> Run {
    use crate::scaffold::new_period;
    match new_period(period_dir, from) {
        Ok(done) => {
            for f in &done.files {
                say(format_args!("created {}", f.display()))?;
            }
            say(format_args!(
                "added {} to {}",
                period_dir.display(),
                done.summary.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            say(format_args!("error: {e}"))?;
            Ok(ExitCode::from(1))
        }
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
    if !is_book(book_dir) {
        return not_a_book(&format!("no `book.toml` in `{}`", book_dir.display()));
    }
    let book = match Book::open(book_dir) {
        Ok(b) => b,
        Err(d) => {
            print(&d, format)?;
            return Ok(ExitCode::from(1));
        }
    };
    let report = match check::check_for(&book, period, crate::slate::Lifetime::Exit) {
        Ok(r) => r,
        Err(msg) => {
            say(format_args!("error: {msg}"))?;
            return Ok(ExitCode::from(2));
        }
    };
    print(&report.diags, format)?;
    if report.periods.is_empty() {
        say(format_args!(
            "error: no period folder in `{}`: there are no goals to check",
            book.src_display.display()
        ))?;
        if !report.skipped.is_empty() {
            let names: Vec<String> = report.skipped.iter().map(|n| format!("`{n}`")).collect();
            say(format_args!(
                "note: not named like a period, so read as plain pages: {}",
                names.join(", ")
            ))?;
        }
        say(format_args!(
            "help: a period folder is named after its year or half-year, like `2026` or `2025h2`"
        ))?;
        return Ok(ExitCode::from(1));
    }
    if matches!(format, Format::Human) && report.diags.is_empty() {
        say(format_args!(
            "checked {} ({}, {}, {}): no problems",
            count(report.periods.len(), "period"),
            count(report.goals, "goal"),
            count(report.roadmaps, "roadmap"),
            count(report.files, "file")
        ))?;
    }
    let failed = report.diags.has_errors() || (deny_warnings && report.diags.warnings() > 0);
    if failed {
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

/// Standard output without the line buffering of [`std::io::Stdout`],
/// for a writer that buffers itself: the book is megabytes of lines, each
/// of which the line buffer would look for and copy.
fn unbuffered_stdout() -> Box<dyn std::io::Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    Box::new(std::io::stdout().lock())
}

/// The mdBook protocol: `[context, book]` on stdin, the book on stdout.
fn run_preprocessor() -> Run {
    use crate::preprocessor::{ProtocolError, run_protocol_then_exit};
    let stderr = std::io::stderr();
    let styled = stderr.is_terminal();
    match run_protocol_then_exit(
        std::io::stdin().lock(),
        unbuffered_stdout(),
        stderr.lock(),
        styled,
    ) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(ProtocolError::Input(e)) => {
            say(format_args!(
                "error: mdbook-goals expects mdBook's preprocessor input on stdin: {e}"
            ))?;
            say(format_args!(
                "help: run it through `mdbook build`, or use a subcommand (see `mdbook-goals --help`)"
            ))?;
            Ok(ExitCode::from(2))
        }
        Err(ProtocolError::Failed(e)) => {
            say(format_args!("error: {e}"))?;
            Ok(ExitCode::from(1))
        }
        Err(ProtocolError::Output(e)) => {
            say(format_args!("error: cannot write the book to stdout: {e}"))?;
            Ok(ExitCode::from(1))
        }
    }
}

fn run_build(book_dir: &Path, options: &crate::site::Options) -> Run {
    use crate::site::{BuildError, RfcOutcome};
    if !is_book(book_dir) {
        return not_a_book(&format!("no `book.toml` in `{}`", book_dir.display()));
    }
    let built = match crate::site::build(book_dir, options) {
        Ok(built) => built,
        Err(BuildError::Usage(e)) => {
            say(format_args!("error: {e}"))?;
            return Ok(ExitCode::from(2));
        }
        Err(BuildError::Failed(e)) => {
            say(format_args!("error: {e}"))?;
            return Ok(ExitCode::from(1));
        }
    };
    if !built.diags.is_empty() {
        // The same form as the site's build printed its own.
        err(&built
            .diags
            .render_compact(&renderer_for(std::io::stderr().is_terminal())))?;
    }
    say_out(format_args!(
        "wrote the site: {}",
        built.site.join("index.html").display()
    ))?;
    match built.rfc {
        RfcOutcome::Written { period, path } => {
            say_out(format_args!(
                "wrote the RFC of {period}: {}",
                path.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        RfcOutcome::NotAsked => {
            say_out(format_args!("wrote no RFC (--no-rfc)"))?;
            Ok(ExitCode::SUCCESS)
        }
        RfcOutcome::NoPeriod => {
            say_out(format_args!("wrote no RFC: the book has no period folder"))?;
            Ok(ExitCode::SUCCESS)
        }
        RfcOutcome::Failed { period } => {
            say(format_args!(
                "error: the RFC of {period} was not written: the period has errors"
            ))?;
            Ok(ExitCode::from(1))
        }
    }
}

fn is_book(dir: &Path) -> bool {
    dir.join("book.toml").is_file()
}

/// The one report for a folder that is not (inside) a book, for every
/// command: a usage error.
fn not_a_book(why: &str) -> Run {
    say(format_args!("error: not a book: {why}"))?;
    say(format_args!(
        "help: run the command in a book folder, or pass the folder that holds `book.toml`"
    ))?;
    Ok(ExitCode::from(2))
}

fn run_rfc(period_dir: &Path, output: Option<&Path>, check: Option<&Path>) -> Run {
    let rfc = match crate::rfc::export_dir_for(period_dir, crate::slate::Lifetime::Exit) {
        Ok(r) => r,
        Err(e) => return period_error(e),
    };
    if !rfc.diags.is_empty() {
        print(&rfc.diags, Format::Human)?;
    }
    if rfc.diags.has_errors() {
        return Ok(ExitCode::from(1));
    }
    if let Some(file) = check {
        // The same reader as for the book: a regular file, bounded.
        let old = crate::source::read_bounded(file).and_then(|bytes| {
            String::from_utf8(bytes).map_err(|_| {
                crate::source::ReadError::Io(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "it is not valid UTF-8",
                ))
            })
        });
        return match old {
            Ok(old) if old == rfc.text => {
                say(format_args!("`{}` is up to date", file.display()))?;
                Ok(ExitCode::SUCCESS)
            }
            Ok(old) => {
                say(format_args!(
                    "error: `{}` is stale: {}",
                    file.display(),
                    crate::rfc::difference(&old, &rfc.text)
                ))?;
                say(format_args!(
                    "help: regenerate it with `mdbook-goals rfc {} -o {}`",
                    period_dir.display(),
                    file.display()
                ))?;
                Ok(ExitCode::from(1))
            }
            Err(e) => {
                say(format_args!(
                    "error: cannot read `{}`: {}",
                    file.display(),
                    e.describe()
                ))?;
                Ok(ExitCode::from(1))
            }
        };
    }
    emit(output, rfc.text.as_bytes(), &rfc.inputs)
}

fn run_sync(period_dir: &Path, api_url: Option<String>, max_wait: u64) -> Run {
    use crate::tracking::sync::{SyncError, SyncOptions, sync_dir};
    let token = crate::github::find_token(
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
            let _ = err("\r\x1b[K");
        }
        let _ = say(format_args!("note: {line}"));
    });
    let progress = |done: usize, total: usize| {
        if terminal {
            let _ = err(&format!("\r\x1b[Kfetching tracking issues: {done}/{total}"));
            if done == total {
                let _ = say("");
            }
        }
    };
    match sync_dir(period_dir, options, notify, &progress) {
        Ok(synced) => {
            for w in &synced.warnings {
                say(format_args!("warning: {w}"))?;
            }
            if let Some(path) = &synced.path {
                say(format_args!(
                    "wrote {} ({}, {}, {} hidden)",
                    path.display(),
                    count(synced.issues, "issue"),
                    count(synced.comments, "comment"),
                    synced.minimized
                ))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(SyncError::NotAPeriod(msg)) => {
            say(format_args!("error: {msg}"))?;
            Ok(ExitCode::from(2))
        }
        Err(SyncError::Book(d)) => {
            print(&d, Format::Human)?;
            Ok(ExitCode::from(1))
        }
        Err(SyncError::Failed(msg)) => {
            if terminal {
                say("")?;
            }
            say(format_args!("error: {msg}"))?;
            say(format_args!("note: nothing was written"))?;
            Ok(ExitCode::from(1))
        }
    }
}

fn run_tracking_issues(
    period_dir: &Path,
    options: crate::tracking::issues::RunOptions,
    apply: bool,
) -> Run {
    use crate::tracking::issues::{self, RunError};
    let run = || -> Result<Result<(), WriteFailed>, RunError> {
        let prepared = issues::prepare(period_dir)?;
        // The plan alone reads the snapshot; only `--apply` talks to GitHub.
        let (state, client) = if !apply {
            (issues::offline_state(&prepared)?, None)
        } else {
            let notify = Box::new(|line: &str| {
                let _ = say(format_args!("note: {line}"));
            });
            let client = issues::client(&prepared, &options, notify)?;
            (issues::online_state(&prepared, &client)?, Some(client))
        };
        let plan = issues::plan(
            &prepared.book,
            &prepared.slate,
            &prepared.repository,
            &state,
        );
        if let Err(e) = out(plan.describe().as_bytes()) {
            return Ok(Err(e));
        }
        let last = match client {
            Some(client) if apply && !plan.is_empty() => {
                issues::apply(&plan, &client, &mut |line| {
                    let _ = say(line);
                })?;
                "done: GitHub matches the goal files"
            }
            _ if apply => "nothing to change",
            _ if plan.is_empty() => "nothing to change",
            _ => "nothing was changed; run with `--apply` to carry the plan out",
        };
        Ok(say(last))
    };
    match run() {
        Ok(written) => written.map(|()| ExitCode::SUCCESS),
        Err(RunError::Usage(msg)) => {
            say(format_args!("error: {msg}"))?;
            Ok(ExitCode::from(2))
        }
        Err(RunError::Book(d)) => {
            print(&d, Format::Human)?;
            say("error: the period has errors; nothing was sent to GitHub")?;
            Ok(ExitCode::from(1))
        }
        Err(RunError::Failed(msg)) => {
            say(format_args!("error: {msg}"))?;
            Ok(ExitCode::from(1))
        }
    }
}
