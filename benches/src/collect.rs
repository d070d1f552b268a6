//! Mark and sweep (`larder_compact::Collector`) against the usual way to do it by hand: a
//! breadth-first search with a `HashSet` of keys, then `SlotMap::retain` of what it did not
//! reach (`compact/collect_100k/slotmap-bfs`).
//!
//! The graph: 100 000 nodes with two links each; the first half is reachable from node 0
//! (a chain plus a random link within the half), the second half links anywhere and is
//! unreachable. Each timed operation collects a fresh copy (the copy is not timed).

use crate::Pair;
use larder_compact::{Collector, DefaultKey, Slots};
use slotmap::SlotMap;
use std::collections::{HashSet, VecDeque};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Nodes in the benchmark graph.
pub const NODES: usize = 100_000;

fn edges() -> Vec<[usize; 2]> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut below = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let half = NODES / 2;
    (0..NODES)
        .map(|i| {
            if i < half {
                [(i + 1).min(half - 1), below(half)]
            } else {
                [below(NODES), below(NODES)]
            }
        })
        .collect()
}

/// The graph in `Slots`, and its root.
pub fn larder_graph() -> (Slots<DefaultKey, [DefaultKey; 2]>, DefaultKey) {
    let e = edges();
    let mut s = Slots::with_capacity(NODES);
    let keys: Vec<_> = (0..NODES).map(|_| s.insert_with_key(|k| [k, k])).collect();
    for (i, [a, b]) in e.into_iter().enumerate() {
        s[keys[i]] = [keys[a], keys[b]];
    }
    (s, keys[0])
}

/// The graph in a `SlotMap`, and its root.
pub fn slotmap_graph() -> (
    SlotMap<slotmap::DefaultKey, [slotmap::DefaultKey; 2]>,
    slotmap::DefaultKey,
) {
    let e = edges();
    let mut s = SlotMap::with_capacity(NODES);
    let keys: Vec<_> = (0..NODES).map(|_| s.insert_with_key(|k| [k, k])).collect();
    for (i, [a, b]) in e.into_iter().enumerate() {
        s[keys[i]] = [keys[a], keys[b]];
    }
    (s, keys[0])
}

/// larder: one collection; returns the number freed.
pub fn larder_collect(
    gc: &mut Collector,
    g: &mut Slots<DefaultKey, [DefaultKey; 2]>,
    root: DefaultKey,
) -> usize {
    gc.collect(g, [root], |v, t| {
        t.edge(v[0]);
        t.edge(v[1]);
    })
    .expect("live root")
    .freed
}

/// The peer: breadth-first search with a `HashSet`, then `retain`; returns the number freed.
pub fn slotmap_collect(
    g: &mut SlotMap<slotmap::DefaultKey, [slotmap::DefaultKey; 2]>,
    root: slotmap::DefaultKey,
) -> usize {
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    seen.insert(root);
    queue.push_back(root);
    while let Some(k) = queue.pop_front() {
        for &to in &g[k] {
            if g.contains_key(to) && seen.insert(to) {
                queue.push_back(to);
            }
        }
    }
    let before = g.len();
    g.retain(|k, _| seen.contains(&k));
    before - g.len()
}

/// The `compact/collect_100k` pair.
pub fn pairs() -> Vec<Pair> {
    let (lg, lroot) = larder_graph();
    let (sg, sroot) = slotmap_graph();
    let mut gc = Collector::new();
    vec![Pair::new(
        "compact",
        "collect_100k",
        "slotmap-bfs",
        move |iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut g = lg.clone();
                let start = Instant::now();
                black_box(larder_collect(&mut gc, &mut g, lroot));
                total += start.elapsed();
            }
            total
        },
        move |iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut g = sg.clone();
                let start = Instant::now();
                black_box(slotmap_collect(&mut g, sroot));
                total += start.elapsed();
            }
            total
        },
    )]
}
