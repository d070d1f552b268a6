//! Operation programs against a simple model of the pool (proptest).
//!
//! On one thread the model is exact: it predicts every counter. Programs may also give a
//! guard back on another thread; from then on the objects that thread cached are out of
//! this thread's reach, so the model only checks the invariants (books balance, limits
//! hold, outstanding matches what the program holds).
#![cfg(not(larder_loom))]

use larder_core::{Limits, RecyclePolicy, Stats};
use larder_object::{Pool, Pooled};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Get(u8),
    TryGet,
    Drop(usize),
    DropElsewhere(usize),
    Detach(usize),
    Put(u8),
    Trim,
    Tick,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<u8>().prop_map(Op::Get),
        1 => Just(Op::TryGet),
        4 => any::<usize>().prop_map(Op::Drop),
        1 => any::<usize>().prop_map(Op::DropElsewhere),
        1 => any::<usize>().prop_map(Op::Detach),
        1 => any::<u8>().prop_map(Op::Put),
        1 => Just(Op::Trim),
        1 => Just(Op::Tick),
    ]
}

/// Objects longer than this are refused by the policy.
const REJECT_AT: usize = 200;

#[derive(Default)]
struct Model {
    s: Stats,
    exact: bool,
}

impl Model {
    fn give(&mut self, len: usize, max: Option<usize>) {
        if len >= REJECT_AT {
            self.s.dropped_rejected += 1;
        } else if max.is_some_and(|m| self.s.retained_objects as usize >= m) {
            self.s.dropped_full += 1;
        } else {
            self.s.returned += 1;
            self.s.retained_objects += 1;
        }
    }

    fn take(&mut self) {
        if self.s.retained_objects > 0 {
            self.s.hits += 1;
            self.s.retained_objects -= 1;
        } else {
            self.s.misses += 1;
            self.s.created += 1;
        }
        self.s.outstanding += 1;
    }
}

fn check(pool: &Pool<Vec<u8>>, model: &mut Model, held: usize, max: Option<usize>) {
    let s = pool.stats();
    assert!(s.is_balanced(), "books: {s}");
    assert_eq!(s.outstanding, held as u64);
    if let Some(m) = max {
        assert!(s.retained_objects <= m as u64, "limit {m}: {s}");
    }
    if model.exact {
        let mut want = model.s;
        want.retained_bytes = s.retained_bytes;
        assert_eq!(s, want);
    } else {
        model.s = s;
    }
}

fn run(ops: Vec<Op>, max: Option<usize>, cache: usize, prefill: usize) {
    let mut limits = Limits::new();
    if let Some(m) = max {
        limits = limits.max_objects(m);
    }
    let pool = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(8))
        .reset(Vec::clear)
        .policy(RecyclePolicy::new().validate(|v| v.len() < REJECT_AT))
        .limits(limits)
        .cache_size(cache)
        .prefill(prefill)
        .build()
        .unwrap();
    let mut model = Model {
        exact: true,
        ..Model::default()
    };
    model.s.created = prefill as u64;
    model.s.retained_objects = prefill as u64;
    let mut held: Vec<Pooled<'_, Vec<u8>>> = Vec::new();
    check(&pool, &mut model, 0, max);
    for op in ops {
        match op {
            Op::Get(fill) => {
                model.take();
                let mut g = pool.get();
                g.resize(fill as usize, 1);
                held.push(g);
            }
            Op::TryGet => match pool.try_get() {
                Some(g) => {
                    model.take();
                    held.push(g);
                }
                None => assert!(!model.exact || model.s.retained_objects == 0),
            },
            Op::Drop(i) if !held.is_empty() => {
                let g = held.swap_remove(i % held.len());
                model.s.outstanding -= 1;
                model.give(g.len(), max);
                drop(g);
            }
            Op::DropElsewhere(i) if !held.is_empty() => {
                let g = held.swap_remove(i % held.len());
                std::thread::scope(|s| {
                    s.spawn(move || drop(g));
                });
                model.exact = false;
            }
            Op::Detach(i) if !held.is_empty() => {
                let g = held.swap_remove(i % held.len());
                model.s.outstanding -= 1;
                model.s.detached += 1;
                drop(g.detach());
            }
            Op::Put(fill) => {
                model.s.adopted += 1;
                model.give(fill as usize, max);
                pool.put(vec![0; fill as usize]);
            }
            Op::Trim => {
                pool.trim();
                if model.exact {
                    model.s.released += model.s.retained_objects;
                    model.s.retained_objects = 0;
                }
            }
            Op::Tick => {
                let before = pool.stats();
                pool.tick();
                let after = pool.stats();
                assert!(after.retained_objects <= before.retained_objects);
                assert_eq!(
                    after.released - before.released,
                    before.retained_objects - after.retained_objects
                );
                model.s.released = after.released;
                model.s.retained_objects = after.retained_objects;
            }
            _ => {}
        }
        check(&pool, &mut model, held.len(), max);
    }
    drop(held);
    let s = pool.stats();
    assert!(s.is_balanced());
    assert_eq!(s.outstanding, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 8 } else { 256 }))]

    #[test]
    fn pool_matches_model(
        ops in proptest::collection::vec(op(), 0..120),
        max in proptest::option::of(1usize..12),
        cache in 1usize..9,
        prefill in 0usize..6,
    ) {
        let prefill = max.map_or(prefill, |m| prefill.min(m));
        run(ops, max, cache, prefill);
    }
}
