//! Mark and sweep on `Slots` and `Tree`: cycles, self-loops, shared children, diamonds,
//! islands, stale roots and links, empty sets, a million-node chain, panicking drops, and a
//! model check of random graphs.

use larder_compact::{
    Collection, Collector, DefaultKey, Slots, StaleRoot, Tracer, Tree, TreeError,
};
use proptest::prelude::*;

mod programs {
    include!("programs/collect.rs");
}

type Graph = Slots<DefaultKey, Vec<DefaultKey>>;

fn links(v: &Vec<DefaultKey>, t: &mut Tracer<'_, DefaultKey>) {
    for &k in v {
        t.edge(k);
    }
}

fn node(g: &mut Graph) -> DefaultKey {
    g.insert(Vec::new())
}

#[test]
fn cycles_self_loops_and_islands() {
    let mut g = Graph::new();
    let root = node(&mut g);
    let a = node(&mut g);
    let b = node(&mut g);
    let selfie = node(&mut g);
    let island1 = node(&mut g);
    let island2 = node(&mut g);
    g[root] = vec![a];
    g[a] = vec![b];
    g[b] = vec![a, root]; // cycle back to the root
    g[selfie] = vec![selfie]; // unreachable self-loop
    g[island1] = vec![island2];
    g[island2] = vec![island1, a]; // an island pointing into the live set stays dead
    let mut gc = Collector::new();
    let report = gc.collect(&mut g, [root], links).unwrap();
    assert_eq!(
        report,
        Collection {
            marked: 3,
            freed: 3,
            freed_bytes: 3 * std::mem::size_of::<Vec<DefaultKey>>(),
            stale_links: 0
        }
    );
    for dead in [selfie, island1, island2] {
        assert!(!g.contains(dead));
    }
    for live in [root, a, b] {
        assert!(g.contains(live));
    }
    // freed slots are reused with new generations: old keys stay dead
    let fresh: Vec<_> = (0..3).map(|_| node(&mut g)).collect();
    assert_eq!(g.len(), 6);
    for dead in [selfie, island1, island2] {
        assert!(g.get(dead).is_none());
        assert!(!fresh.contains(&dead));
    }
}

#[test]
fn shared_children_and_diamonds_are_marked_once() {
    let mut g = Graph::new();
    let top = node(&mut g);
    let left = node(&mut g);
    let right = node(&mut g);
    let bottom = node(&mut g);
    g[top] = vec![left, right, left, right];
    g[left] = vec![bottom];
    g[right] = vec![bottom, bottom];
    let report = Collector::new().collect(&mut g, [top, top], links).unwrap();
    assert_eq!((report.marked, report.freed), (4, 0));
}

#[test]
fn stale_roots_are_errors_and_change_nothing() {
    let mut g = Graph::new();
    let a = node(&mut g);
    let b = node(&mut g);
    let dead = node(&mut g);
    g.remove(dead);
    let err = Collector::new()
        .collect(&mut g, [a, dead, b], links)
        .unwrap_err();
    assert_eq!(err.position, 1);
    assert_eq!(
        err,
        StaleRoot {
            position: 1,
            key: larder_compact::Key::data(dead)
        }
    );
    assert_eq!(g.len(), 2, "nothing was freed");
}

#[test]
fn stale_links_are_ignored_and_counted() {
    let mut g = Graph::new();
    let a = node(&mut g);
    let gone = node(&mut g);
    g.remove(gone);
    g[a] = vec![gone, gone];
    let report = Collector::new().collect(&mut g, [a], links).unwrap();
    assert_eq!(report.stale_links, 2);
    assert_eq!(report.marked, 1);
}

#[test]
fn empty_graph_and_no_roots() {
    let mut g = Graph::new();
    let mut gc = Collector::new();
    assert_eq!(
        gc.collect(&mut g, [], links).unwrap(),
        Collection::default()
    );
    for _ in 0..10 {
        node(&mut g);
    }
    let report = gc.collect(&mut g, [], links).unwrap();
    assert_eq!(report.freed, 10, "no roots: everything goes");
    assert!(g.is_empty());
}

#[test]
fn a_million_node_chain_needs_no_recursion() {
    let n = if cfg!(debug_assertions) {
        200_000
    } else {
        1_000_000
    };
    let mut g: Slots<DefaultKey, Option<DefaultKey>> = Slots::with_capacity(n);
    let mut prev = None;
    let mut first = None;
    for _ in 0..n {
        let k = g.insert(prev);
        first.get_or_insert(k);
        prev = Some(k);
    }
    let head = prev.unwrap();
    let mut gc = Collector::new();
    let chain = |v: &Option<DefaultKey>, t: &mut Tracer<'_, DefaultKey>| {
        if let Some(k) = *v {
            t.edge(k)
        }
    };
    let report = gc.collect(&mut g, [head], chain).unwrap();
    assert_eq!((report.marked, report.freed), (n, 0));
    // cut the chain in the middle: the older half goes
    let mut k = head;
    for _ in 0..n / 2 - 1 {
        k = g[k].unwrap();
    }
    g[k] = None;
    let report = gc.collect(&mut g, [head], chain).unwrap();
    assert_eq!((report.marked, report.freed), (n / 2, n / 2));
    assert!(!g.contains(first.unwrap()));
}

struct Bomb(bool);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0 && !std::thread::panicking() {
            panic!("boom");
        }
    }
}

#[test]
fn a_panicking_drop_leaves_the_slots_consistent() {
    let mut s: Slots<DefaultKey, Bomb> = Slots::new();
    let keep = s.insert(Bomb(false));
    let quiet = s.insert(Bomb(false));
    let loud = s.insert(Bomb(true));
    let after = s.insert(Bomb(false));
    let mut gc = Collector::new();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        gc.collect(&mut s, [keep], |_, _| {})
    }));
    assert!(caught.is_err(), "the drop panicked");
    assert!(s.contains(keep));
    assert!(
        !s.contains(quiet) && !s.contains(loud),
        "freed before and at the panic"
    );
    assert!(s.contains(after), "not reached yet, still consistent");
    assert_eq!(s.len(), 2);
    // the structure is usable: a later collection finishes the job
    let report = gc.collect(&mut s, [keep], |_, _| {}).unwrap();
    assert_eq!(report.freed, 1);
    let k = s.insert(Bomb(false));
    assert!(s.contains(k) && s.len() == 2);
}

#[test]
fn tree_collect_frees_detached_branches() {
    let mut t = Tree::new();
    let root = t.new_node(0);
    let a = t.append_new(root, 1).unwrap();
    let a1 = t.append_new(a, 2).unwrap();
    let b = t.append_new(root, 3).unwrap();
    let b1 = t.append_new(b, 4).unwrap();
    let loose = t.new_node(5);
    let mut gc = Collector::new();
    assert_eq!(
        t.collect(&mut gc, [root]).unwrap().freed,
        1,
        "the loose root"
    );
    assert!(!t.contains(loose));
    t.detach(a).unwrap();
    let report = t.collect(&mut gc, [root]).unwrap();
    assert_eq!((report.marked, report.freed), (3, 2));
    assert!(!t.contains(a) && !t.contains(a1));
    assert_eq!(t.children(root).unwrap().collect::<Vec<_>>(), [b]);
    // keeping a subtree whose parent goes: it becomes a root with valid links
    let report = t.collect(&mut gc, [b]).unwrap();
    assert_eq!((report.marked, report.freed), (2, 1));
    assert_eq!(t.parent(b), None);
    assert_eq!(t.children(b).unwrap().collect::<Vec<_>>(), [b1]);
    assert_eq!(t.collect(&mut gc, [root]), Err(TreeError::Missing));
}

#[test]
fn tree_collect_with_nested_roots_keeps_structure() {
    let mut t = Tree::new();
    let root = t.new_node('r');
    let x = t.append_new(root, 'x').unwrap();
    let y = t.append_new(x, 'y').unwrap();
    let report = t.collect(&mut Collector::new(), [y, root]).unwrap();
    assert_eq!((report.marked, report.freed), (3, 0));
    assert_eq!(
        t.parent(y),
        Some(x),
        "a root inside a kept subtree stays where it is"
    );
}

proptest! {
    #[test]
    fn random_graphs_match_a_breadth_first_model(
        n in 1usize..60,
        edges in proptest::collection::vec((0usize..60, 0usize..60), 0..150),
        removed in proptest::collection::vec(0usize..60, 0..10),
        roots in proptest::collection::vec(0usize..60, 0..5),
    ) {
        programs::check_collect(n, &edges, &removed, &roots, 2);
    }
}
