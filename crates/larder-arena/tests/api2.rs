//! `&Arena` as an `allocator_api2` allocator: `Vec` and hashbrown maps in an arena, with
//! growth and shrinking of the last block in place.
#![cfg(feature = "allocator-api2")]

use allocator_api2::alloc::{Allocator, Layout};
use allocator_api2::vec::Vec;
use hashbrown::HashMap;
use larder_arena::Arena;

#[test]
fn a_vec_grows_in_place_when_it_is_the_last_block() {
    let arena = Arena::new();
    let mut v: Vec<u32, &Arena> = Vec::new_in(&arena);
    v.reserve_exact(1);
    let first = v.as_ptr();
    for i in 0..900 {
        v.reserve_exact(1);
        v.push(i);
    }
    assert_eq!(v.as_ptr(), first);
    assert_eq!(arena.allocated_bytes(), 3600);
    v.shrink_to_fit();
    v.truncate(10);
    v.shrink_to_fit();
    assert_eq!(arena.allocated_bytes(), 40);
    drop(v);
    assert_eq!(arena.allocated_bytes(), 0);
}

#[test]
fn hashbrown_maps_live_in_the_arena() {
    let mut arena = Arena::new();
    {
        let mut m: HashMap<u64, &str, _, &Arena> = HashMap::new_in(&arena);
        for i in 0..1000 {
            m.insert(i, "v");
        }
        assert_eq!(m.len(), 1000);
        assert_eq!(m[&999], "v");
        assert!(arena.allocated_bytes() > 1000 * 16);
    }
    arena.reset();
    let mut scratch = 0;
    arena.scope(|s| {
        let mut m = HashMap::new_in(&*s);
        m.insert("k", 1);
        scratch = m["k"];
    });
    assert_eq!((scratch, arena.allocated_bytes()), (1, 0));
}

#[test]
fn grow_zeroed_shrink_and_realignment() {
    let arena = Arena::new();
    let a = &arena;
    let l8 = Layout::from_size_align(8, 8).unwrap();
    let p = a.allocate(l8).unwrap().cast::<u8>();
    // SAFETY: `p` is a live block of `l8`; the layouts are valid for grow/shrink.
    unsafe {
        p.as_ptr().write_bytes(0xAB, 8);
        let l64 = Layout::from_size_align(64, 8).unwrap();
        let g = a.grow_zeroed(p, l8, l64).unwrap().cast::<u8>();
        assert_eq!(g, p, "in place");
        let bytes = std::slice::from_raw_parts(g.as_ptr(), 64);
        assert!(bytes[..8].iter().all(|&b| b == 0xAB));
        assert!(bytes[8..].iter().all(|&b| b == 0));
        // A stricter alignment than the block has moves it.
        let l_page = Layout::from_size_align(128, 4096).unwrap();
        let moved = a.grow(g, l64, l_page).unwrap().cast::<u8>();
        assert_eq!(moved.as_ptr() as usize % 4096, 0);
        assert_eq!(*moved.as_ptr(), 0xAB);
        let small = Layout::from_size_align(16, 4096).unwrap();
        let s = a.shrink(moved, l_page, small).unwrap().cast::<u8>();
        assert_eq!(s, moved);
        a.deallocate(s, small);
    }
}
