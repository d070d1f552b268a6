// Mark and sweep on a random graph against a model (a `HashMap` and a breadth-first
// search). Shared by `tests/collect.rs` and the fuzz target `compact_collect`.

use larder_compact::{Collector, DefaultKey, Slots};
use std::collections::{HashMap, HashSet, VecDeque};

/// Builds a graph of `n` nodes with `edges` (index pairs, taken modulo `n`), removes the
/// nodes in `removed` (their keys go stale), and collects `rounds` times from `roots`
/// (stale ones dropped). Each collection must free exactly what a breadth-first search
/// from the roots does not reach, leave the rest untouched, and count every link to a
/// stale key; a repeated collection frees nothing.
pub fn check_collect(
    n: usize,
    edges: &[(usize, usize)],
    removed: &[usize],
    roots: &[usize],
    rounds: usize,
) {
    let mut g: Slots<DefaultKey, Vec<DefaultKey>> = Slots::new();
    let keys: Vec<_> = (0..n).map(|_| g.insert(Vec::new())).collect();
    for &(from, to) in edges {
        let (from, to) = (keys[from % n], keys[to % n]);
        g[from].push(to);
    }
    let removed: HashSet<_> = removed.iter().map(|&i| keys[i % n]).collect();
    for &k in &removed {
        g.remove(k);
    }
    let roots: Vec<_> = roots
        .iter()
        .map(|&i| keys[i % n])
        .filter(|k| !removed.contains(k))
        .collect();
    let mut gc = Collector::new();
    for round in 0..rounds.max(1) {
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
        assert_eq!(left, reach, "exactly the reachable values survive");
        for k in &left {
            assert_eq!(&g[*k], &model[k], "survivors are untouched");
        }
    }
}
