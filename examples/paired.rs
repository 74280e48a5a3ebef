//! Wall-clock times of a baseline and the commands measured against it,
//! run in turn: each round runs every command once (starting with a
//! different one each round), so a change in the machine's load falls on
//! all of them alike. `scripts/bench-instructions --wall` uses it.
//!
//! ```text
//! cargo run --release --example paired -- ROUNDS INPUT CMD... [-- INPUT CMD...]...
//! ```
//!
//! The first command is the baseline. Each reads its INPUT file on
//! standard input (`/dev/null` for none); its output is discarded. One
//! round runs first unmeasured. For each command it prints its median time
//! in milliseconds and, for all but the baseline, the median of the
//! per-round ratios to the baseline's time of the same round:
//!
//! ```text
//! 0 12.345
//! 1 30.123 2.44
//! ```
//!
//! A command that cannot start, or that a signal ends, is an error; exit
//! codes are not (`check` exits with 1 on a book with errors).

use std::fs::File;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

struct Case {
    input: String,
    argv: Vec<String>,
}

fn parse(args: &[String]) -> Option<(usize, Vec<Case>)> {
    let (rounds, rest) = args.split_first()?;
    let rounds = rounds.parse().ok().filter(|&n| n > 0)?;
    let mut cases = Vec::new();
    for part in rest.split(|a| a == "--") {
        let (input, argv) = part.split_first()?;
        if argv.is_empty() {
            return None;
        }
        cases.push(Case {
            input: input.clone(),
            argv: argv.to_vec(),
        });
    }
    Some((rounds, cases))
}

/// One run of `case`, in seconds.
fn run(case: &Case) -> Result<f64, String> {
    let input = File::open(&case.input).map_err(|e| format!("{}: {e}", case.input))?;
    let start = Instant::now();
    let status = Command::new(&case.argv[0])
        .args(&case.argv[1..])
        .stdin(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("{}: {e}", case.argv[0]))?;
    let elapsed = start.elapsed().as_secs_f64();
    match status.code() {
        Some(_) => Ok(elapsed),
        None => Err(format!("{} was ended by a signal", case.argv.join(" "))),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

fn measure(rounds: usize, cases: &[Case]) -> Result<Vec<Vec<f64>>, String> {
    let mut times = vec![Vec::with_capacity(rounds); cases.len()];
    for round in 0..=rounds {
        let mut this = vec![0.0; cases.len()];
        for k in 0..cases.len() {
            let i = (round + k) % cases.len();
            this[i] = run(&cases[i])?;
        }
        // Round 0 warms the caches and is not counted.
        if round > 0 {
            for (list, t) in times.iter_mut().zip(this) {
                list.push(t);
            }
        }
    }
    Ok(times)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((rounds, cases)) = parse(&args) else {
        eprintln!("usage: paired ROUNDS INPUT CMD... [-- INPUT CMD...]...");
        return ExitCode::from(2);
    };
    let times = match measure(rounds, &cases) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let base = &times[0];
    println!("0 {:.3}", median(base.clone()) * 1e3);
    for (i, list) in times.iter().enumerate().skip(1) {
        let ratios = list.iter().zip(base).map(|(t, b)| t / b).collect();
        println!(
            "{i} {:.3} {:.2}",
            median(list.clone()) * 1e3,
            median(ratios)
        );
    }
    ExitCode::SUCCESS
}
