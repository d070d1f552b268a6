//! Loom models of `AtomicBitSet`: every interleaving of a few threads claiming and
//! releasing slots. Run with
//! `RUSTFLAGS="--cfg larder_loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p larder-compact --test loom`.
#![cfg(larder_loom)]

use larder_compact::AtomicBitSet;
use loom::sync::Arc;
use loom::sync::atomic::{AtomicUsize, Ordering};

/// Two threads claim a slot, mark it owned, check nobody else owns it, release it; the
/// owner marks would catch a slot handed out twice.
#[test]
fn loom_claim_release_never_hands_out_a_slot_twice() {
    loom::model(|| {
        let set = Arc::new(AtomicBitSet::new(2));
        let owners: Arc<[AtomicUsize; 2]> = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
        let threads: Vec<_> = (1..=2)
            .map(|me| {
                let set = Arc::clone(&set);
                let owners = Arc::clone(&owners);
                loom::thread::spawn(move || {
                    for _ in 0..2 {
                        if let Some(slot) = set.claim_first_zero() {
                            let before = owners[slot].swap(me, Ordering::Relaxed);
                            assert_eq!(before, 0, "slot {slot} claimed twice");
                            owners[slot].store(0, Ordering::Relaxed);
                            assert!(set.test_and_clear(slot), "released a free slot");
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(set.count_ones(), 0);
    });
}

/// With one slot and two claimers, exactly one wins until it releases.
#[test]
fn loom_one_slot_one_winner() {
    loom::model(|| {
        let set = Arc::new(AtomicBitSet::new(1));
        let wins = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let set = Arc::clone(&set);
                let wins = Arc::clone(&wins);
                loom::thread::spawn(move || {
                    if set.claim_first_zero() == Some(0) {
                        wins.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(wins.load(Ordering::Relaxed), 1);
        assert!(set.contains(0));
        assert_eq!(set.claim_first_zero(), None);
    });
}

/// A value written into a slot before `clear` is seen by the next claimer of that slot.
#[test]
fn loom_release_publishes_to_the_next_claimer() {
    loom::model(|| {
        let set = Arc::new(AtomicBitSet::new(1));
        let data = Arc::new(loom::cell::UnsafeCell::new(0u32));
        assert_eq!(set.claim_first_zero(), Some(0));
        let t = {
            let set = Arc::clone(&set);
            let data = Arc::clone(&data);
            loom::thread::spawn(move || {
                if set.claim_first_zero() == Some(0) {
                    // SAFETY: holding slot 0 excludes the main thread's access.
                    data.with(|p| assert_eq!(unsafe { *p }, 7));
                }
            })
        };
        // SAFETY: the main thread holds slot 0, so nobody else touches `data`.
        data.with_mut(|p| unsafe { *p = 7 });
        set.clear(0);
        t.join().unwrap();
    });
}
