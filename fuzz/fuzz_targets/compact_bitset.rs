//! `BitSet` operation programs (with its view, rank index and atomic twin) against a
//! `BTreeSet<usize>`; the program and checks are shared with the crate's proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod programs {
    include!("../../crates/larder-compact/tests/programs/bitset.rs");
}

fuzz_target!(|input: (u16, Vec<programs::BitOp>)| {
    let (len, ops) = input;
    programs::run_bitset(len, &ops[..ops.len().min(64)]);
});
