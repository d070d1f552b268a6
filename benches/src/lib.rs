//! The measuring harness behind the `compare` binary: larder and a peer crate doing the
//! same work, run alternately in one process so that machine noise hits both alike.
//!
//! Each component contributes [`Pair`]s from its module (`object::pairs()`, …). A pair's
//! two sides are closures that perform `iters` operations and return the time they took
//! (like criterion's `iter_custom`), so a side may spawn threads or exclude set-up.
//!
//! The ratio of a row is the median of the ratios of its rounds, each taken from two
//! batches run back to back, not the ratio of the two medians. The machines this was
//! developed on switch between a fast and a slow state for seconds at a time: one pool
//! ran the same get + put at 9.4–10.5 ns for a dozen batches, then at 5.6–5.7 ns from one
//! batch on, at the same addresses. Two medians can come from different states; two
//! adjacent batches rarely do. [`machine`] tells the states apart.
//!
//! The object and buffer sides build a fresh pool for every round (outside the timed
//! part), so that no row rests on one pool instance.

use std::time::{Duration, Instant};

pub mod arena;
pub mod buffer;
pub mod collect;
pub mod compact;
pub mod core;
pub mod machine;
pub mod object;
pub mod report;
pub mod view;

/// Runs `iters` operations and returns how long they took.
pub type Run = Box<dyn FnMut(u64) -> Duration>;

/// One workload done by larder and by one peer.
pub struct Pair {
    /// The component, as in benchmark ids (`object`, `buffer`, …).
    pub component: &'static str,
    /// What is done, as in benchmark ids (`get_put_1k`, …).
    pub workload: String,
    /// The peer's name, as in benchmark ids (`object-pool`, `malloc`, …).
    pub peer: &'static str,
    /// larder's side.
    pub larder: Run,
    /// The peer's side.
    pub other: Run,
}

impl Pair {
    /// A pair from two closures.
    pub fn new(
        component: &'static str,
        workload: impl Into<String>,
        peer: &'static str,
        larder: impl FnMut(u64) -> Duration + 'static,
        other: impl FnMut(u64) -> Duration + 'static,
    ) -> Self {
        Pair {
            component,
            workload: workload.into(),
            peer,
            larder: Box::new(larder),
            other: Box::new(other),
        }
    }

    /// `component/workload/peer`, what a filter matches against.
    pub fn id(&self) -> String {
        format!("{}/{}/{}", self.component, self.workload, self.peer)
    }
}

/// Times `f` over `iters` iterations, for the simple single-threaded sides.
pub fn timed(iters: u64, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed()
}

/// The outcome of measuring one pair.
#[derive(Debug, Clone)]
pub struct Row {
    /// `component/workload`.
    pub workload: String,
    /// The peer's name.
    pub peer: &'static str,
    /// Median nanoseconds per operation, larder.
    pub larder_ns: f64,
    /// Median nanoseconds per operation, the peer.
    pub peer_ns: f64,
    /// Median over the rounds of larder's time over the peer's in that round.
    pub ratio: f64,
}

impl Row {
    /// larder's time over the peer's (the median of the rounds' ratios): below 1 means
    /// larder is faster.
    pub fn ratio(&self) -> f64 {
        self.ratio
    }

    /// The row as a markdown table row.
    pub fn markdown(&self) -> String {
        format!(
            "| {} | {} | {:.2} | {:.2} | {:.3} |",
            self.workload,
            self.peer,
            self.larder_ns,
            self.peer_ns,
            self.ratio()
        )
    }
}

/// The markdown header matching [`Row::markdown`].
pub const HEADER: &str =
    "| workload | peer | larder ns/op | peer ns/op | larder/peer |\n|---|---|---:|---:|---:|";

/// How long and how often to measure.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Target duration of one batch of one side.
    pub batch: Duration,
    /// Alternating rounds; the median of each side, and of the rounds' ratios, is reported.
    pub rounds: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            batch: Duration::from_millis(20),
            rounds: 11,
        }
    }
}

fn calibrate(run: &mut Run, batch: Duration) -> u64 {
    let mut iters = 1u64;
    loop {
        let took = run(iters);
        if took >= batch / 4 || iters >= 1 << 40 {
            let per = took.as_secs_f64() / iters as f64;
            return ((batch.as_secs_f64() / per.max(1e-12)) as u64).clamp(1, 1 << 40);
        }
        iters *= 4;
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Measures a pair: both sides warmed up and calibrated to `settings.batch`, then run in
/// alternating order for `settings.rounds` rounds, each round one batch of each side.
pub fn measure(pair: &mut Pair, settings: Settings) -> Row {
    let iters_l = calibrate(&mut pair.larder, settings.batch);
    let iters_p = calibrate(&mut pair.other, settings.batch);
    let mut l = Vec::with_capacity(settings.rounds);
    let mut p = Vec::with_capacity(settings.rounds);
    let mut ratios = Vec::with_capacity(settings.rounds);
    for round in 0..settings.rounds {
        let (first, second) = if round % 2 == 0 {
            (&mut pair.larder, &mut pair.other)
        } else {
            (&mut pair.other, &mut pair.larder)
        };
        let a = first(if round % 2 == 0 { iters_l } else { iters_p });
        let b = second(if round % 2 == 0 { iters_p } else { iters_l });
        let (tl, tp) = if round % 2 == 0 { (a, b) } else { (b, a) };
        let (nl, np) = (
            tl.as_secs_f64() * 1e9 / iters_l as f64,
            tp.as_secs_f64() * 1e9 / iters_p as f64,
        );
        l.push(nl);
        p.push(np);
        ratios.push(nl / np);
    }
    Row {
        workload: format!("{}/{}", pair.component, pair.workload),
        peer: pair.peer,
        larder_ns: median(l),
        peer_ns: median(p),
        ratio: median(ratios),
    }
}

/// Every registered pair, in table order.
pub fn all_pairs() -> Vec<Pair> {
    let mut pairs = Vec::new();
    pairs.extend(core::pairs());
    pairs.extend(object::pairs());
    pairs.extend(view::pairs());
    pairs.extend(buffer::pairs());
    pairs.extend(arena::pairs());
    pairs.extend(compact::pairs());
    pairs.extend(collect::pairs());
    pairs
}
