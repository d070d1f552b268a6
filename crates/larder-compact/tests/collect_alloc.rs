//! A second collection over a live set of the same size allocates nothing: the mark bits
//! and the work list are the collector's and are reused.

use larder_compact::{Collector, DefaultKey, Slots, Tracer, Tree};
use larder_core::CountingAlloc;

#[global_allocator]
static A: CountingAlloc = CountingAlloc::system();

fn build(g: &mut Slots<DefaultKey, [Option<DefaultKey>; 2]>, n: usize) -> DefaultKey {
    let mut prev: Option<DefaultKey> = None;
    let mut root = None;
    for i in 0..n {
        let k = g.insert([prev, None]);
        if i % 2 == 0 {
            root = Some(k);
            prev = Some(k);
        }
    }
    root.unwrap()
}

#[test]
fn the_second_collection_allocates_nothing() {
    let links = |v: &[Option<DefaultKey>; 2], t: &mut Tracer<'_, DefaultKey>| {
        for k in v.iter().flatten() {
            t.edge(*k);
        }
    };
    let mut g = Slots::with_capacity(20_000);
    let mut gc = Collector::new();
    let root = build(&mut g, 10_000);
    let first = gc.collect(&mut g, [root], links).unwrap();
    assert_eq!((first.marked, first.freed), (5_000, 5_000));
    // new garbage in the freed slots; the live set is the same size as before
    for _ in 0..5_000 {
        g.insert([None, None]);
    }
    let (second, delta) = CountingAlloc::measure(|| gc.collect(&mut g, [root], links).unwrap());
    assert_eq!((second.marked, second.freed), (5_000, 5_000));
    assert!(delta.is_zero(), "{delta:?}");

    let mut t = Tree::with_capacity(1000);
    let r = t.new_node(0);
    for i in 0..500 {
        t.append_new(r, i).unwrap();
        t.new_node(i);
    }
    t.collect(&mut gc, [r]).unwrap();
    for i in 0..500 {
        t.new_node(i);
    }
    let (report, delta) = CountingAlloc::measure(|| t.collect(&mut gc, [r]).unwrap());
    assert_eq!(report.freed, 500);
    assert!(delta.is_zero(), "{delta:?}");
}
