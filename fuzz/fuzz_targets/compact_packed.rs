//! `PackedInts` round trips in both modes with exact size accounting, on arbitrary
//! values; shared with the crate's proptest.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod programs {
    include!("../../crates/larder-compact/tests/programs/packed.rs");
}

fuzz_target!(|input: (Vec<u64>, u8)| {
    let (mut values, narrow) = input;
    // Narrow some inputs so that small widths and long runs are common too.
    if narrow < 200 {
        let bits = u32::from(narrow % 65);
        let mask = if bits == 64 {
            u64::MAX
        } else {
            (1u64 << bits) - 1
        };
        values.iter_mut().for_each(|v| *v &= mask);
    }
    programs::run_packed(&values);
});
