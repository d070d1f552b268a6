//! The larder showcase: the same record-processing job run twice on the same input, once
//! allocating afresh for every record and once reusing memory, with the allocator's own
//! counts side by side.
//!
//! Run with `cargo run --release -p larder --example showcase -- [--records N] [--seed S]`.

use larder::{CountingAlloc, Reset};
use std::time::Instant;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::system();

/// A tiny deterministic generator (xorshift64*), so both runs see the same input.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// A synthetic stream of length-prefixed records, sizes from tens of bytes to tens of KiB.
fn input(records: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed | 1);
    let mut out = Vec::new();
    for _ in 0..records {
        // log-uniform between 16 B and 32 KiB
        let len = 16usize << (rng.next() % 12);
        let len = len + (rng.next() as usize % len);
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend((0..len).map(|i| (i as u8).wrapping_mul(31) ^ (rng.next() as u8)));
    }
    out
}

/// What processing one record means here: copy it out of the stream, split it into words,
/// and fold a digest of the words.
fn process(record: &[u8], scratch: &mut Vec<u8>, words: &mut Vec<(usize, usize)>) -> u64 {
    scratch.extend_from_slice(record);
    let mut start = 0;
    for (i, &b) in scratch.iter().enumerate() {
        if b % 17 == 0 {
            words.push((start, i));
            start = i + 1;
        }
    }
    words.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &(a, b)| {
        (h ^ (b - a) as u64 ^ scratch.get(a).copied().unwrap_or(0) as u64)
            .wrapping_mul(0x100_0000_01b3)
    })
}

fn records(stream: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = stream;
    std::iter::from_fn(move || {
        let (len, tail) = rest.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len) as usize;
        let (record, tail) = tail.split_at(len);
        rest = tail;
        Some(record)
    })
}

struct Outcome {
    digest: u64,
    seconds: f64,
    allocations: u64,
    peak_bytes: u64,
}

fn run(stream: &[u8], reuse: bool) -> Outcome {
    CountingAlloc::reset_peak();
    let before = CountingAlloc::snapshot();
    let start = Instant::now();
    let mut digest = 0u64;
    let mut scratch = Vec::new();
    let mut words = Vec::new();
    for record in records(stream) {
        if reuse {
            digest ^= process(record, &mut scratch, &mut words);
            scratch.reset();
            words.reset();
        } else {
            digest ^= process(record, &mut Vec::new(), &mut Vec::new());
        }
    }
    let seconds = start.elapsed().as_secs_f64();
    let after = CountingAlloc::snapshot();
    Outcome {
        digest,
        seconds,
        allocations: after.allocations + after.reallocations
            - before.allocations
            - before.reallocations,
        peak_bytes: after.peak_bytes.saturating_sub(before.live_bytes),
    }
}

fn main() {
    let mut records_n = 20_000usize;
    let mut seed = 0x5eed_u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_default();
        match arg.as_str() {
            "--records" => records_n = value.parse().expect("--records takes a number"),
            "--seed" => seed = value.parse().expect("--seed takes a number"),
            other => {
                eprintln!("unknown flag {other}; flags: --records N, --seed S");
                std::process::exit(2);
            }
        }
    }
    let stream = input(records_n, seed);
    println!(
        "larder showcase: {records_n} records, {} MiB of input",
        stream.len() >> 20
    );
    let plain = run(&stream, false);
    let reused = run(&stream, true);
    assert_eq!(plain.digest, reused.digest, "both runs must agree");
    let n = records_n as f64;
    println!("| run | records/s | allocations/record | peak live bytes |");
    println!("|---|---:|---:|---:|");
    for (name, o) in [
        ("plain allocation", &plain),
        ("reusing (larder Reset)", &reused),
    ] {
        println!(
            "| {name} | {:.0} | {:.3} | {} |",
            n / o.seconds,
            o.allocations as f64 / n,
            o.peak_bytes
        );
    }
    println!("digest {:016x} (identical in both runs)", plain.digest);
}
