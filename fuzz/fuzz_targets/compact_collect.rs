//! Mark and sweep on random graphs and root sets against a model (a `HashMap` and a
//! breadth-first search): exactly the unreachable values are freed, every reachable value
//! survives untouched, stale links are counted.
#![no_main]

use larder_compact::{Collector, DefaultKey, Slots};
use libfuzzer_sys::fuzz_target;
use std::collections::{HashMap, HashSet, VecDeque};

fuzz_target!(|input: (u8, Vec<(u8, u8)>, Vec<u8>, Vec<u8>, u8)| {
    let (n, edges, removed, roots, rounds) = input;
    let n = n as usize % 200 + 1;
    let mut g: Slots<DefaultKey, Vec<DefaultKey>> = Slots::new();
    let keys: Vec<_> = (0..n).map(|_| g.insert(Vec::new())).collect();
    for (from, to) in edges {
        let (from, to) = (keys[from as usize % n], keys[to as usize % n]);
        g[from].push(to);
    }
    let removed: HashSet<_> = removed.into_iter().map(|i| keys[i as usize % n]).collect();
    for &k in &removed {
        g.remove(k);
    }
    let roots: Vec<_> = roots
        .into_iter()
        .map(|i| keys[i as usize % n])
        .filter(|k| !removed.contains(k))
        .collect();
    let mut gc = Collector::new();
    // collecting again must change nothing: run it a few times
    for round in 0..=(rounds % 3) {
        let model: HashMap<DefaultKey, Vec<DefaultKey>> =
            g.iter().map(|(k, v)| (k, v.clone())).collect();
        let mut reach: HashSet<DefaultKey> = roots.iter().copied().collect();
        let mut queue: VecDeque<_> = reach.iter().copied().collect();
        let mut stale = 0;
        while let Some(k) = queue.pop_front() {
            for &to in &model[&k] {
                if !model.contains_key(&to) {
                    stale += 1;
                } else if reach.insert(to) {
                    queue.push_back(to);
                }
            }
        }
        let report = gc
            .collect(&mut g, roots.iter().copied(), |v, t| {
                v.iter().for_each(|&k| t.edge(k))
            })
            .expect("roots are live");
        assert_eq!(report.marked, reach.len());
        assert_eq!(report.freed, model.len() - reach.len());
        assert_eq!(report.stale_links, stale);
        if round > 0 {
            assert_eq!(report.freed, 0, "a second collection finds nothing new");
        }
        let left: HashSet<_> = g.keys().collect();
        assert_eq!(left, reach);
        for k in &left {
            assert_eq!(&g[*k], &model[k]);
        }
    }
});
