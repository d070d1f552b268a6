//! Operation programs on a `Pool<Vec<u8>>` (including returns from another thread and
//! pools rebuilt with other limits) checked against a model: exact counters while
//! everything happens on this thread without a byte limit, the invariants always. The
//! programs and the model are the proptest's (`crates/larder-object/tests/programs/ops.rs`).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod programs {
    include!("../../crates/larder-object/tests/programs/ops.rs");
}

#[derive(Debug, arbitrary::Arbitrary)]
struct Program {
    config: programs::Config,
    ops: Vec<programs::Op>,
}

fuzz_target!(|p: Program| programs::run(p.config, p.ops));
