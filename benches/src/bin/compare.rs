//! Prints larder against its peers, side by side, as a markdown table of ratios.
//!
//! `cargo run --release -p larder-bench --bin compare -- [FILTER] [--quick]`
//!
//! FILTER keeps the pairs whose `component/workload/peer` id contains it. `--quick` uses
//! short batches (for smoke runs; the numbers are noisier).

use larder_bench::{HEADER, Settings, all_pairs, measure};
use std::time::Duration;

fn main() {
    let mut filter = String::new();
    let mut settings = Settings::default();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--quick" => {
                settings = Settings {
                    batch: Duration::from_millis(2),
                    rounds: 3,
                }
            }
            "-h" | "--help" => {
                println!("usage: compare [FILTER] [--quick]");
                return;
            }
            _ if arg.starts_with('-') => {
                eprintln!("unknown flag {arg}; usage: compare [FILTER] [--quick]");
                std::process::exit(2);
            }
            _ => filter = arg,
        }
    }
    let mut pairs: Vec<_> = all_pairs()
        .into_iter()
        .filter(|p| p.id().contains(&filter))
        .collect();
    println!("{HEADER}");
    if pairs.is_empty() {
        println!(
            "(no pairs registered{})",
            if filter.is_empty() {
                String::new()
            } else {
                format!(" match {filter:?}")
            }
        );
        return;
    }
    for pair in &mut pairs {
        println!("{}", measure(pair, settings).markdown());
    }
}
