//! Panicking user code (a `retain` predicate, a value's `Drop`) leaves `Slots` and `Tree`
//! consistent and usable.

use larder_compact::{DefaultKey, Slots, Tree};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Panics when dropped if its flag is set.
struct Bomb(bool);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0 && !std::thread::panicking() {
            panic!("boom");
        }
    }
}

#[test]
fn retain_predicate_panic_leaves_slots_consistent() {
    let mut s: Slots<DefaultKey, u32> = Slots::new();
    let keys: Vec<_> = (0..10).map(|i| s.insert(i)).collect();
    let r = catch_unwind(AssertUnwindSafe(|| {
        s.retain(|_, v| {
            assert!(*v != 5, "predicate panics");
            *v % 2 == 0
        })
    }));
    assert!(r.is_err());
    // 1 and 3 were removed before the panic; everything else is still there.
    let left: Vec<u32> = s.values().copied().collect();
    assert_eq!(left, [0, 2, 4, 5, 6, 7, 8, 9]);
    assert_eq!(s.len(), 8);
    assert!(!s.contains(keys[1]) && s.contains(keys[5]));
    let k = s.insert(42);
    assert_eq!(s[k], 42);
    assert_eq!(s.iter().count(), 9);
}

#[test]
fn drop_panic_in_retain_leaves_slots_consistent() {
    let mut s: Slots<DefaultKey, Bomb> = Slots::new();
    for i in 0..6 {
        s.insert(Bomb(i == 2));
    }
    let r = catch_unwind(AssertUnwindSafe(|| s.retain(|_, _| false)));
    assert!(r.is_err());
    // The bomb's slot was already freed when its drop panicked.
    assert_eq!(s.len(), 3);
    assert_eq!(s.iter().count(), 3);
    s.clear();
    assert!(s.is_empty());
}

#[test]
fn drop_panic_in_remove_subtree_leaves_tree_consistent() {
    let mut t: Tree<Bomb> = Tree::new();
    let root = t.new_node(Bomb(false));
    let a = t.append_new(root, Bomb(false)).unwrap();
    t.append_new(a, Bomb(true)).unwrap();
    t.append_new(a, Bomb(false)).unwrap();
    let b = t.append_new(root, Bomb(false)).unwrap();
    let r = catch_unwind(AssertUnwindSafe(|| t.remove_subtree(a)));
    assert!(r.is_err());
    // The subtree is gone and the links are intact.
    assert_eq!(t.len(), 2);
    assert!(!t.contains(a));
    assert_eq!(t.children(root).unwrap().collect::<Vec<_>>(), [b]);
    assert_eq!(t.descendants(root).unwrap().count(), 2);
    let c = t.append_new(b, Bomb(false)).unwrap();
    assert_eq!(t.ancestors(c).unwrap().collect::<Vec<_>>(), [b, root]);
}
