//! Mark and sweep on random graphs and root sets against a model (a `HashMap` and a
//! breadth-first search): exactly the unreachable values are freed, every reachable value
//! survives untouched, stale links are counted.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod programs {
    include!("../../crates/larder-compact/tests/programs/collect.rs");
}

fuzz_target!(|input: (u8, Vec<(u8, u8)>, Vec<u8>, Vec<u8>, u8)| {
    let (n, edges, removed, roots, rounds) = input;
    let n = n as usize % 200 + 1;
    let edges: Vec<_> = edges
        .iter()
        .map(|&(a, b)| (a as usize, b as usize))
        .collect();
    let removed: Vec<_> = removed.iter().map(|&i| i as usize).collect();
    let roots: Vec<_> = roots.iter().map(|&i| i as usize).collect();
    programs::check_collect(n, &edges, &removed, &roots, rounds as usize % 3 + 1);
});
