//! Operation programs against a model of the pool (proptest); the programs and the model
//! are shared with the fuzz target `object_ops` (`tests/programs/ops.rs`).
#![cfg(not(larder_loom))]

use proptest::prelude::*;

#[allow(dead_code)]
mod programs {
    include!("programs/ops.rs");
}

use programs::{Config, Op};

/// Mostly valid configurations, now and then an invalid one (a zero limit or cache), which
/// the pool must refuse.
fn config() -> impl Strategy<Value = Config> {
    (
        proptest::option::of(0u8..12),
        proptest::option::weighted(0.2, 0u16..400),
        prop_oneof![20 => 1u8..9, 1 => Just(0u8)],
        0u8..6,
    )
        .prop_map(|(max_objects, max_bytes, cache, prefill)| Config {
            max_objects,
            max_bytes,
            cache,
            prefill,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        40 => any::<u8>().prop_map(Op::Get),
        10 => Just(Op::TryGet),
        40 => any::<u8>().prop_map(Op::Drop),
        10 => any::<u8>().prop_map(Op::DropElsewhere),
        10 => any::<u8>().prop_map(Op::Detach),
        10 => any::<u8>().prop_map(Op::Put),
        10 => Just(Op::Trim),
        10 => Just(Op::Tick),
        1 => config().prop_map(Op::Rebuild),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn pool_matches_model(
        config in config(),
        ops in proptest::collection::vec(op(), 0..120),
    ) {
        programs::run(config, ops);
    }
}
