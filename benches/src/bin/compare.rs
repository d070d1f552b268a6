//! Prints larder against its peers, side by side, as a markdown table of ratios.
//!
//! `cargo run --release -p larder-bench --bin compare -- [FILTER] [--quick] [--write DIR]`
//!
//! FILTER keeps the pairs whose `component/workload/peer` id contains it. `--quick` uses
//! short batches (for smoke runs; the numbers are noisier). `--write DIR` also writes
//! `DIR/comparison.md` (the table) and `DIR/comparison.svg` (a bar chart of the ratios).
//!
//! Before and after the pairs it runs a machine check ([`larder_bench::machine`]): whether
//! the two cores shared one physical core's execution units at that time, which slows
//! two-thread rows of execution-bound code.

use larder_bench::{HEADER, Settings, all_pairs, machine, measure, report};
use std::time::Duration;

const USAGE: &str = "usage: compare [FILTER] [--quick] [--write DIR]";

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cpu}, {cores} cores, {}", std::env::consts::OS)
}

fn today() -> String {
    std::process::Command::new("date")
        .arg("+%Y-%m-%d")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown date".into())
}

fn main() {
    let mut filter = String::new();
    let mut settings = Settings::default();
    let mut write_dir = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => {
                settings = Settings {
                    batch: Duration::from_millis(2),
                    rounds: 3,
                }
            }
            "--write" => match args.next() {
                Some(dir) => write_dir = Some(dir),
                None => {
                    eprintln!("--write needs a directory; {USAGE}");
                    std::process::exit(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            _ if arg.starts_with('-') => {
                eprintln!("unknown flag {arg}; {USAGE}");
                std::process::exit(2);
            }
            _ => filter = arg,
        }
    }
    let mut pairs: Vec<_> = all_pairs()
        .into_iter()
        .filter(|p| p.id().contains(&filter))
        .collect();
    let before = format!("Machine check before the pairs: {}.", machine::check());
    println!("{before}\n");
    println!("{HEADER}");
    if pairs.is_empty() {
        let which = if filter.is_empty() {
            String::new()
        } else {
            format!(" matching {filter:?}")
        };
        println!("(no pairs registered{which})");
        return;
    }
    let mut rows = Vec::with_capacity(pairs.len());
    for pair in &mut pairs {
        let row = measure(pair, settings);
        println!("{}", row.markdown());
        rows.push(row);
    }
    let after = format!("Machine check after the pairs: {}.", machine::check());
    println!("\n{after}");
    if let Some(dir) = write_dir {
        let (machine, date) = (machine(), today());
        let md = report::markdown(&rows, &machine, &date, &[before, after]);
        let svg = report::svg(&rows, &format!("larder vs peers ({date}, {machine})"));
        let dir = std::path::Path::new(&dir);
        std::fs::create_dir_all(dir).expect("create the output directory");
        std::fs::write(dir.join("comparison.md"), md).expect("write comparison.md");
        std::fs::write(dir.join("comparison.svg"), svg).expect("write comparison.svg");
        eprintln!(
            "wrote comparison.md and comparison.svg in {}",
            dir.display()
        );
    }
}
