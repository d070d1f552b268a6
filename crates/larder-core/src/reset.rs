//! [`Reset`]: how a value is made ready for its next user.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, BinaryHeap, LinkedList, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;

/// Makes a used value ready for reuse, keeping the memory it owns.
///
/// A pool calls `reset` on every object handed back to it, before the object can be taken
/// again. A reset must leave the value indistinguishable from a fresh one to its next user
/// (empty collections, default fields) while keeping allocations it can reuse: `Vec::clear`
/// rather than `*v = Vec::new()`.
///
/// If `reset` panics, the pool drops the object instead of keeping it, and stays usable.
///
/// # Examples
///
/// ```
/// use larder_core::Reset;
///
/// struct Request {
///     headers: Vec<(String, String)>,
///     body: Vec<u8>,
///     retries: u32,
/// }
///
/// impl Reset for Request {
///     fn reset(&mut self) {
///         self.headers.reset();
///         self.body.reset();
///         self.retries = 0;
///     }
/// }
///
/// let mut r = Request { headers: vec![("a".into(), "b".into())], body: vec![1; 100], retries: 3 };
/// r.reset();
/// assert!(r.headers.is_empty() && r.body.is_empty() && r.retries == 0);
/// assert!(r.body.capacity() >= 100, "the allocation is kept");
/// ```
pub trait Reset {
    /// Brings `self` back to its freshly made state, keeping reusable memory.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::Reset;
    /// let mut s = String::from("hello");
    /// s.reset();
    /// assert_eq!(s, "");
    /// ```
    fn reset(&mut self);
}

macro_rules! reset_by_clear {
    ($($(#[$m:meta])* [$($g:tt)*] $ty:ty;)*) => {$(
        $(#[$m])*
        impl<$($g)*> Reset for $ty {
            #[inline]
            fn reset(&mut self) {
                self.clear();
            }
        }
    )*};
}

reset_by_clear! {
    /// Clears the vector; its capacity is kept.
    [T] Vec<T>;
    /// Clears the deque; its capacity is kept.
    [T] VecDeque<T>;
    /// Clears the heap; its capacity is kept.
    [T] BinaryHeap<T>;
    /// Removes every node.
    [T] LinkedList<T>;
    /// Removes every entry.
    [K, V] BTreeMap<K, V>;
    /// Removes every element.
    [T] BTreeSet<T>;
}

/// Clears the string; its capacity is kept.
impl Reset for String {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

/// Clears the map; its buckets are kept.
#[cfg(feature = "std")]
impl<K, V, S> Reset for std::collections::HashMap<K, V, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

/// Clears the set; its buckets are kept.
#[cfg(feature = "std")]
impl<T, S> Reset for std::collections::HashSet<T, S> {
    #[inline]
    fn reset(&mut self) {
        self.clear();
    }
}

/// Resets the boxed value in place; the box's allocation is kept.
impl<T: Reset + ?Sized> Reset for Box<T> {
    #[inline]
    fn reset(&mut self) {
        (**self).reset();
    }
}

/// Sets the option to `None`.
impl<T> Reset for Option<T> {
    #[inline]
    fn reset(&mut self) {
        *self = None;
    }
}

/// Resets every element; the length is kept.
impl<T: Reset> Reset for [T] {
    fn reset(&mut self) {
        self.iter_mut().for_each(Reset::reset);
    }
}

/// Resets every element.
impl<T: Reset, const N: usize> Reset for [T; N] {
    fn reset(&mut self) {
        self.iter_mut().for_each(Reset::reset);
    }
}

/// Frees every allocation made in the arena and keeps its largest chunk.
#[cfg(feature = "bumpalo")]
impl Reset for bumpalo::Bump {
    #[inline]
    fn reset(&mut self) {
        bumpalo::Bump::reset(self);
    }
}

macro_rules! reset_tuple {
    ($(($($n:tt $t:ident),+))*) => {$(
        /// Resets every field.
        impl<$($t: Reset),+> Reset for ($($t,)+) {
            fn reset(&mut self) {
                $(self.$n.reset();)+
            }
        }
    )*};
}

reset_tuple! {
    (0 A)
    (0 A, 1 B)
    (0 A, 1 B, 2 C)
    (0 A, 1 B, 2 C, 3 D)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn check<T: Reset + PartialEq + core::fmt::Debug>(mut value: T, fresh: T) {
        value.reset();
        assert_eq!(value, fresh);
    }

    #[test]
    fn vec_clears_and_keeps_capacity() {
        let mut v: Vec<u32> = (0..100).collect();
        let cap = v.capacity();
        v.reset();
        assert!(v.is_empty());
        assert_eq!(v.capacity(), cap);
    }

    #[test]
    fn string_clears_and_keeps_capacity() {
        let mut s = String::with_capacity(64);
        s.push_str("payload");
        s.reset();
        assert!(s.is_empty());
        assert_eq!(s.capacity(), 64);
    }

    #[test]
    fn vecdeque_clears_and_keeps_capacity() {
        let mut d: VecDeque<u8> = VecDeque::with_capacity(32);
        d.extend([1, 2, 3]);
        d.push_front(0);
        d.reset();
        assert!(d.is_empty());
        assert!(d.capacity() >= 32);
    }

    #[test]
    fn binary_heap_and_linked_list_clear() {
        let mut h: BinaryHeap<i32> = [3, 1, 2].into_iter().collect();
        let cap = h.capacity();
        h.reset();
        assert!(h.is_empty());
        assert_eq!(h.capacity(), cap);
        check::<LinkedList<i32>>([1, 2].into_iter().collect(), LinkedList::new());
    }

    #[test]
    fn btree_collections_clear() {
        check(BTreeMap::from([(1, "a"), (2, "b")]), BTreeMap::new());
        check(BTreeSet::from([1, 2, 3]), BTreeSet::new());
    }

    #[cfg(feature = "std")]
    #[test]
    fn hash_collections_clear_and_keep_buckets() {
        let mut m: std::collections::HashMap<u32, u32> = (0..50).map(|i| (i, i)).collect();
        let cap = m.capacity();
        m.reset();
        assert!(m.is_empty());
        assert_eq!(m.capacity(), cap);

        let mut s: std::collections::HashSet<u32> = (0..50).collect();
        let cap = s.capacity();
        s.reset();
        assert!(s.is_empty());
        assert_eq!(s.capacity(), cap);
    }

    #[test]
    fn box_resets_in_place() {
        let mut b = Box::new(vec![1u8; 10]);
        let heap_ptr: *const Vec<u8> = &*b;
        b.reset();
        assert!(b.is_empty());
        assert_eq!(
            heap_ptr, &*b as *const Vec<u8>,
            "the box's allocation is kept"
        );

        let mut boxed_slice: Box<[String]> = vec![String::from("a"), String::from("b")].into();
        boxed_slice.reset();
        assert!(boxed_slice.iter().all(String::is_empty));
        assert_eq!(boxed_slice.len(), 2);
    }

    #[test]
    fn option_array_and_tuples_reset() {
        check(Some(5), None);
        check([vec![1], vec![2, 3]], [vec![], vec![]]);
        check((String::from("x"),), (String::new(),));
        check((vec![1], String::from("y")), (vec![], String::new()));
        check(
            (vec![1], String::from("y"), Some(1)),
            (vec![], String::new(), None),
        );
        check(
            (vec![1], String::from("y"), Some(1), BTreeSet::from([1])),
            (vec![], String::new(), None, BTreeSet::new()),
        );
    }

    #[cfg(feature = "bumpalo")]
    #[test]
    fn bump_reset_frees_allocations() {
        let mut bump = bumpalo::Bump::new();
        for i in 0..1000u64 {
            bump.alloc(i);
        }
        assert!(bump.allocated_bytes() >= 8000);
        bump.reset();
        // After a reset, bumpalo keeps only its last chunk and nothing is allocated in it.
        let after: usize = bump.iter_allocated_chunks().map(|c| c.len()).sum();
        assert_eq!(after, 0);
    }
}
