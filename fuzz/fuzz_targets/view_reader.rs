//! `Reader` on arbitrary bytes with an arbitrary sequence of reads, over a slice, a
//! `ByteView` and a `LocalView`: it never panics, and every result (value, error class and
//! offset, position after) agrees with a naive decoder. The decoder and the comparison are
//! the proptests' (`crates/larder-view/tests/programs/reader.rs`).
#![no_main]

use larder_view::{ByteView, LocalView, Reader};
use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
mod programs {
    include!("../../crates/larder-view/tests/programs/reader.rs");
}

#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    ops: Vec<programs::Read>,
    data: Vec<u8>,
}

fuzz_target!(|input: Input| {
    let ops = &input.ops[..input.ops.len().min(128)];
    let data = &input.data[..];
    programs::check_against_naive(Reader::new(data), data, ops);
    let view = ByteView::from(input.data.clone());
    programs::check_against_naive(Reader::new(&view), data, ops);
    let local = LocalView::from(input.data.clone());
    programs::check_against_naive(Reader::new(&local), data, ops);
});
