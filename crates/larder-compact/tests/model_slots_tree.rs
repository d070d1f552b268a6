//! Property tests: `Slots` and `Tree` operation programs against a `HashMap` model.

#[allow(dead_code)]
mod programs {
    include!("programs/slots_tree.rs");
}

use programs::{SlotOp, TreeOp, run_slots, run_tree};
use proptest::prelude::*;

fn slot_op() -> impl Strategy<Value = SlotOp> {
    prop_oneof![
        6 => any::<u32>().prop_map(SlotOp::Insert),
        4 => any::<u8>().prop_map(SlotOp::Remove),
        3 => any::<u8>().prop_map(SlotOp::Get),
        2 => (any::<u8>(), any::<u32>()).prop_map(|(k, v)| SlotOp::Set(k, v)),
        1 => Just(SlotOp::RetainOdd),
        1 => any::<u8>().prop_map(SlotOp::DrainSome),
        1 => Just(SlotOp::Clear),
    ]
}

fn tree_op() -> impl Strategy<Value = TreeOp> {
    let k = any::<u8>();
    let v = any::<u32>();
    prop_oneof![
        2 => v.prop_map(TreeOp::New),
        4 => (k, v).prop_map(|(a, b)| TreeOp::AppendNew(a, b)),
        2 => (k, v).prop_map(|(a, b)| TreeOp::PrependNew(a, b)),
        2 => (k, k).prop_map(|(a, b)| TreeOp::Append(a, b)),
        1 => (k, k).prop_map(|(a, b)| TreeOp::Prepend(a, b)),
        1 => (k, k).prop_map(|(a, b)| TreeOp::InsertBefore(a, b)),
        1 => (k, k).prop_map(|(a, b)| TreeOp::InsertAfter(a, b)),
        1 => k.prop_map(TreeOp::Detach),
        1 => k.prop_map(TreeOp::Remove),
        1 => k.prop_map(TreeOp::RemoveSubtree),
        1 => (k, v).prop_map(|(a, b)| TreeOp::Set(a, b)),
    ]
}

proptest! {
    #[test]
    fn slots_programs_match_hashmap(ops in proptest::collection::vec(slot_op(), 0..120)) {
        run_slots(&ops);
    }

    #[test]
    fn tree_programs_match_model(ops in proptest::collection::vec(tree_op(), 0..80)) {
        run_tree(&ops);
    }
}
