//! Loom models: views cloned, sliced and dropped on several threads; the storage is freed or
//! reclaimed exactly once, by the last holder, after every other holder is done with it.
#![cfg(larder_loom)]

use larder_core::sync::atomic::{AtomicUsize, Ordering};
use larder_core::sync::{Arc, Mutex, UnsafeCell, spawn};
use larder_view::{ByteView, ViewOwner, ViewStorage};

/// A loom-checked cell that holders read before dropping their view and the owner writes
/// when it is freed: loom reports a race unless the count orders the two.
struct Witness(UnsafeCell<u32>);

// SAFETY: test-only; every access goes through loom's `UnsafeCell`, which checks that no two
// accesses race. That check is the point of the model.
unsafe impl Sync for Witness {}
// SAFETY: as above; `u32` may move between threads.
unsafe impl Send for Witness {}

impl Witness {
    fn read(&self) -> u32 {
        // SAFETY: loom verifies this read does not race with the write in `Drop` of the owner.
        self.0.with(|p| unsafe { *p })
    }
    fn write(&self) {
        // SAFETY: loom verifies this write does not race with any holder's read.
        self.0.with_mut(|p| unsafe { *p += 1 })
    }
}

struct Owner {
    bytes: Vec<u8>,
    frees: Arc<AtomicUsize>,
    witness: Arc<Witness>,
}

impl Drop for Owner {
    fn drop(&mut self) {
        self.witness.write();
        self.frees.fetch_add(1, Ordering::Relaxed);
    }
}

impl ViewOwner for Owner {
    fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

fn owner() -> (Owner, Arc<AtomicUsize>, Arc<Witness>) {
    let frees = Arc::new(AtomicUsize::new(0));
    let witness = Arc::new(Witness(UnsafeCell::new(0)));
    let o = Owner {
        bytes: vec![1, 2, 3, 4, 5, 6],
        frees: frees.clone(),
        witness: witness.clone(),
    };
    (o, frees, witness)
}

#[test]
fn loom_clone_slice_drop_two_threads_frees_once() {
    loom::model(|| {
        let (o, frees, witness) = owner();
        let view = ByteView::from_storage(ViewStorage::new(o));
        let other = view.clone();
        let w = witness.clone();
        let t = spawn(move || {
            let s = other.slice(2..);
            assert_eq!(s[0], 3);
            w.read();
            drop(other);
            drop(s);
        });
        let head = view.slice(..2);
        witness.read();
        drop(view);
        assert_eq!(head[1], 2);
        drop(head);
        t.join().unwrap();
        assert_eq!(frees.load(Ordering::Relaxed), 1);
    });
}

#[test]
fn loom_split_three_threads_frees_once() {
    loom::model(|| {
        let (o, frees, witness) = owner();
        let mut view = ByteView::from_storage(ViewStorage::new(o));
        let a = view.split_to(2);
        let b = view.split_off(2);
        let handles: Vec<_> = [a, b]
            .into_iter()
            .map(|part| {
                let w = witness.clone();
                spawn(move || {
                    let c = part.clone();
                    w.read();
                    drop(part);
                    c.len()
                })
            })
            .collect();
        witness.read();
        drop(view);
        for h in handles {
            assert_eq!(h.join().unwrap(), 2);
        }
        assert_eq!(frees.load(Ordering::Relaxed), 1);
    });
}

/// An owner that goes back to a shared slot instead of being freed.
struct Pooled {
    bytes: Vec<u8>,
    slot: Arc<Mutex<Vec<ViewStorage<Pooled>>>>,
    witness: Arc<Witness>,
}

impl ViewOwner for Pooled {
    fn bytes(&self) -> &[u8] {
        &self.bytes
    }
    fn reclaim(storage: ViewStorage<Self>) {
        storage.witness.write();
        let slot = storage.slot.clone();
        slot.lock().push(storage);
    }
}

#[test]
fn loom_reclaim_once_by_last_holder() {
    loom::model(|| {
        let slot = Arc::new(Mutex::new(Vec::new()));
        let witness = Arc::new(Witness(UnsafeCell::new(0)));
        let storage = ViewStorage::new(Pooled {
            bytes: vec![9; 4],
            slot: slot.clone(),
            witness: witness.clone(),
        });
        let view = ByteView::from_storage(storage);
        let other = view.slice(1..);
        let w = witness.clone();
        let t = spawn(move || {
            assert_eq!(other.len(), 3);
            w.read();
            drop(other);
        });
        witness.read();
        drop(view);
        t.join().unwrap();
        let mut back = slot.lock().pop().expect("reclaimed");
        assert!(slot.lock().is_empty(), "reclaimed more than once");
        // Unshared again: it can be written and frozen again.
        back.get_mut().bytes.push(10);
        let again = ByteView::from_storage(back);
        assert!(again.is_unique());
        assert_eq!(again.len(), 5);
        drop(again);
        assert_eq!(slot.lock().len(), 1);
        // Break the cycle storage -> owner -> slot -> storage.
        slot.lock().clear();
    });
}
