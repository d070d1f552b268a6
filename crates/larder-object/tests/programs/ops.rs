// Operation programs on a `Pool<Vec<u8>>` checked against a model. Shared by the proptest
// in `tests/model.rs` and the fuzz target `object_ops` (which derives `Arbitrary` under
// `cfg(fuzzing)`).
//
// On one thread, without a byte limit, the model is exact: it predicts every counter. A
// program may give a guard back on another thread; from then on the objects that thread
// cached are out of this thread's reach, so the model only checks the invariants (books
// balance, limits hold, outstanding matches what the program holds). `Rebuild` drops
// everything held and starts over with another configuration.

use larder_core::{Limits, RecyclePolicy, Stats};
use larder_object::{Pool, Pooled};

/// One step. Indices pick a held guard modulo how many are held.
#[derive(Clone, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub enum Op {
    Get(u8),
    TryGet,
    Drop(u8),
    DropElsewhere(u8),
    Detach(u8),
    Put(u8),
    Trim,
    Tick,
    Rebuild(Config),
}

/// A pool's configuration, possibly invalid (then `build` must refuse it).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(fuzzing, derive(arbitrary::Arbitrary))]
pub struct Config {
    pub max_objects: Option<u8>,
    pub max_bytes: Option<u16>,
    pub cache: u8,
    pub prefill: u8,
}

/// Objects at least this long are refused by the policy.
const REJECT_AT: usize = 200;

/// The pool `c` describes, or `None` when `c` is invalid (checked to be refused exactly
/// then).
fn build(c: Config) -> Option<Pool<Vec<u8>>> {
    let prefill = c.prefill as usize % 16;
    let mut limits = Limits::new();
    if let Some(n) = c.max_objects {
        limits = limits.max_objects(n as usize);
    }
    if let Some(n) = c.max_bytes {
        limits = limits.max_bytes(n as usize);
    }
    let built = Pool::builder()
        .factory(|| Vec::<u8>::with_capacity(8))
        .reset(Vec::clear)
        .policy(RecyclePolicy::new().validate(|v| v.len() < REJECT_AT))
        .limits(limits)
        .footprint()
        .cache_size(c.cache as usize)
        .prefill(prefill)
        .build();
    let valid = c.max_objects != Some(0)
        && c.max_bytes != Some(0)
        && c.cache != 0
        && c.max_objects.is_none_or(|m| prefill <= m as usize);
    assert_eq!(built.is_ok(), valid, "{c:?}");
    built.ok()
}

struct Model {
    s: Stats,
    exact: bool,
    max_objects: Option<usize>,
}

impl Model {
    fn new(c: Config, pool: &Pool<Vec<u8>>) -> Self {
        Model {
            s: pool.stats(),
            exact: c.max_bytes.is_none(),
            max_objects: c.max_objects.map(usize::from),
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

    fn give(&mut self, len: usize) {
        if len >= REJECT_AT {
            self.s.dropped_rejected += 1;
        } else if self
            .max_objects
            .is_some_and(|m| self.s.retained_objects as usize >= m)
        {
            self.s.dropped_full += 1;
        } else {
            self.s.returned += 1;
            self.s.retained_objects += 1;
        }
    }

    fn check(&mut self, pool: &Pool<Vec<u8>>, held: usize, c: Config) {
        let s = pool.stats();
        assert!(s.is_balanced(), "books: {s}");
        assert_eq!(s.outstanding, held as u64, "{s}");
        if let Some(m) = c.max_objects {
            assert!(s.retained_objects <= m as u64, "limit {m}: {s}");
        }
        if let Some(m) = c.max_bytes {
            assert!(s.retained_bytes <= m as u64, "byte limit {m}: {s}");
        }
        if self.exact {
            let mut want = self.s;
            want.retained_bytes = s.retained_bytes;
            assert_eq!(s, want);
        }
        self.s = s;
    }
}

/// Runs `ops` on the pool `config` describes (and on the ones `Rebuild`s describe).
pub fn run(mut config: Config, ops: Vec<Op>) {
    let mut pool = build(config);
    let mut ops = ops.into_iter();
    loop {
        let Some(current) = pool.as_ref() else {
            // an invalid configuration: go on from the next rebuild
            match ops.find(|op| matches!(op, Op::Rebuild(_))) {
                Some(Op::Rebuild(c)) => {
                    config = c;
                    pool = build(c);
                    continue;
                }
                _ => return,
            }
        };
        let mut model = Model::new(config, current);
        let mut held: Vec<Pooled<'_, Vec<u8>>> = Vec::new();
        let mut rebuild = None;
        for op in ops.by_ref() {
            match op {
                Op::Get(fill) => {
                    model.take();
                    let mut g = current.get();
                    g.resize(fill as usize, 1);
                    held.push(g);
                }
                Op::TryGet => match current.try_get() {
                    Some(g) => {
                        model.take();
                        held.push(g);
                    }
                    None => assert!(!model.exact || model.s.retained_objects == 0),
                },
                Op::Drop(i) if !held.is_empty() => {
                    let g = held.swap_remove(i as usize % held.len());
                    model.s.outstanding -= 1;
                    model.give(g.len());
                    drop(g);
                }
                Op::DropElsewhere(i) if !held.is_empty() => {
                    let g = held.swap_remove(i as usize % held.len());
                    // Joined, not left to the scope: a join also waits for the thread's
                    // exit (its cache goes back with its thread-local destructors), which
                    // the end of a scope does not. Otherwise a leak check right after the
                    // program (the fuzz target's) can run before that exit and see the
                    // thread's cache as leaked.
                    std::thread::scope(|s| s.spawn(move || drop(g)).join().unwrap());
                    model.exact = false;
                }
                Op::Detach(i) if !held.is_empty() => {
                    let g = held.swap_remove(i as usize % held.len());
                    model.s.outstanding -= 1;
                    model.s.detached += 1;
                    drop(g.detach());
                }
                Op::Put(fill) => {
                    model.s.adopted += 1;
                    model.give(fill as usize);
                    current.put(vec![0; fill as usize]);
                }
                Op::Trim => {
                    current.trim();
                    if model.exact {
                        model.s.released += model.s.retained_objects;
                        model.s.retained_objects = 0;
                    }
                }
                Op::Tick => {
                    let before = current.stats();
                    current.tick();
                    let after = current.stats();
                    assert!(after.retained_objects <= before.retained_objects);
                    assert_eq!(
                        after.released - before.released,
                        before.retained_objects - after.retained_objects
                    );
                    model.s = after;
                }
                Op::Rebuild(c) => {
                    rebuild = Some(c);
                    break;
                }
                _ => {}
            }
            model.check(current, held.len(), config);
        }
        drop(held);
        let s = current.stats();
        assert!(s.is_balanced() && s.outstanding == 0, "{s}");
        match rebuild {
            Some(c) => {
                config = c;
                pool = build(c);
            }
            None => return,
        }
    }
}
