//! `Slots` and `Tree` operation programs against a `HashMap` with parent and child links;
//! the programs and checks are shared with the crate's proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod programs {
    include!("../../crates/larder-compact/tests/programs/slots_tree.rs");
}

fuzz_target!(|input: (Vec<programs::SlotOp>, Vec<programs::TreeOp>)| {
    let (slot_ops, tree_ops) = input;
    programs::run_slots(&slot_ops[..slot_ops.len().min(256)]);
    programs::run_tree(&tree_ops[..tree_ops.len().min(128)]);
});
