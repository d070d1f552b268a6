//! Mark and sweep: free every value of a [`Slots`] that no root reaches.
//!
//! See the crate docs ("Reclaiming what no root reaches") for the algorithm and a worked
//! example; [`Collector::collect`] for the contract.

use crate::key::{Key, KeyData};
use crate::{BitSet, Slots};
use alloc::vec::Vec;
use core::fmt;
use core::mem::size_of;

/// Reusable mark bits and work list for [`Collector::collect`].
///
/// # Examples
///
/// ```
/// use larder_compact::{Collector, DefaultKey, Slots};
/// let mut slots: Slots<DefaultKey, ()> = Slots::new();
/// let root = slots.insert(());
/// slots.insert(()); // unreachable
/// let report = Collector::new().collect(&mut slots, [root], |_, _| {})?;
/// assert_eq!((report.marked, report.freed), (1, 1));
/// # Ok::<(), larder_compact::StaleRoot>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct Collector {
    pub(crate) marks: BitSet,
    pub(crate) work: Vec<u32>,
}

/// Reports the links of one value during marking (see [`Collector::collect`]).
///
/// # Examples
///
/// ```
/// use larder_compact::{Collector, DefaultKey, Slots, Tracer};
/// let mut s: Slots<DefaultKey, Option<DefaultKey>> = Slots::new();
/// let leaf = s.insert(None);
/// let root = s.insert(Some(leaf));
/// let links = |v: &Option<DefaultKey>, t: &mut Tracer<'_, DefaultKey>| {
///     if let Some(k) = *v { t.edge(k) }
/// };
/// assert_eq!(Collector::new().collect(&mut s, [root], links)?.marked, 2);
/// # Ok::<(), larder_compact::StaleRoot>(())
/// ```
pub struct Tracer<'a, K> {
    live: &'a dyn Fn(K) -> Option<u32>,
    marks: &'a mut BitSet,
    work: &'a mut Vec<u32>,
    stale: &'a mut usize,
}

impl<K: Key> Tracer<'_, K> {
    /// The value being traced links to `key`: it is reachable too. A stale key is ignored
    /// (and counted in [`Collection::stale_links`]).
    ///
    /// # Examples
    ///
    /// See [`Tracer`].
    #[inline]
    pub fn edge(&mut self, key: K) {
        match (self.live)(key) {
            Some(index) => {
                if self.marks.insert(index as usize) {
                    self.work.push(index);
                }
            }
            None => *self.stale += 1,
        }
    }
}

/// What one collection did.
///
/// # Examples
///
/// ```
/// let c = larder_compact::Collection::default();
/// assert_eq!(c.freed, 0);
/// ```
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Collection {
    /// Values reached from the roots (kept).
    pub marked: usize,
    /// Values freed.
    pub freed: usize,
    /// Bytes of slot storage freed: `freed × size_of::<T>()` (heap memory the values owned
    /// is freed too, by their `Drop`, but not counted here).
    pub freed_bytes: usize,
    /// Links to stale keys that were ignored.
    pub stale_links: usize,
}

/// A root key that no longer names a value; the collection did nothing.
///
/// # Examples
///
/// ```
/// use larder_compact::{Collector, DefaultKey, Slots};
/// let mut s: Slots<DefaultKey, u8> = Slots::new();
/// let gone = s.insert(1);
/// s.remove(gone);
/// let err = Collector::new().collect(&mut s, [gone], |_, _| {}).unwrap_err();
/// assert_eq!(err.position, 0);
/// assert!(err.to_string().contains("stale"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StaleRoot {
    /// Position of the stale key among the roots.
    pub position: usize,
    /// The stale key.
    pub key: KeyData,
}

impl fmt::Display for StaleRoot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "root {} ({:?}) is a stale key: its value was removed",
            self.position, self.key
        )
    }
}

impl core::error::Error for StaleRoot {}

impl Collector {
    /// A collector with no memory yet; it grows to the largest `Slots` it collects.
    ///
    /// # Examples
    ///
    /// ```
    /// let gc = larder_compact::Collector::new();
    /// # let _ = gc;
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Frees every value of `slots` that is not reachable from `roots` through `links`.
    ///
    /// `links(value, tracer)` must call [`tracer.edge(key)`](Tracer::edge) for every key
    /// `value` holds. It is called once per reachable value. No recursion: chains of any
    /// length and graphs full of cycles are fine.
    ///
    /// If a value's `Drop` panics during the sweep, the panic propagates; the slot of that
    /// value is already free, every other value is either freed or still in place, and
    /// `slots` is consistent (a later collection finishes the job).
    ///
    /// # Errors
    ///
    /// [`StaleRoot`] if a root is stale; nothing is marked or freed then.
    ///
    /// # Examples
    ///
    /// A million-value chain, collected from its middle:
    ///
    /// ```
    /// use larder_compact::{Collector, DefaultKey, Slots};
    /// let mut s: Slots<DefaultKey, Option<DefaultKey>> = Slots::new();
    /// let mut next = None;
    /// let mut keys = Vec::new();
    /// for _ in 0..1_000_000 {
    ///     let k = s.insert(next);
    ///     keys.push(k);
    ///     next = Some(k);
    /// }
    /// let middle = keys[499_999];
    /// let report = Collector::new().collect(&mut s, [middle], |v, t| {
    ///     if let Some(k) = *v { t.edge(k) }
    /// })?;
    /// assert_eq!((report.marked, report.freed), (500_000, 500_000));
    /// # Ok::<(), larder_compact::StaleRoot>(())
    /// ```
    pub fn collect<K: Key, T>(
        &mut self,
        slots: &mut Slots<K, T>,
        roots: impl IntoIterator<Item = K>,
        mut links: impl FnMut(&T, &mut Tracer<'_, K>),
    ) -> Result<Collection, StaleRoot> {
        let slot_count = slots.slot_count();
        self.marks.clear();
        self.marks.grow(slot_count);
        self.work.clear();
        // 1. roots: all checked before anything is marked
        for (position, root) in roots.into_iter().enumerate() {
            match slots.live_index(root) {
                Some(index) => {
                    if self.marks.insert(index as usize) {
                        self.work.push(index);
                    }
                }
                None => {
                    self.work.clear();
                    return Err(StaleRoot {
                        position,
                        key: root.data(),
                    });
                }
            }
        }
        // 2. mark: pop a grey value, list its links, the unmarked ones turn grey
        let mut stale = 0usize;
        let mut marked = 0usize;
        {
            let view: &Slots<K, T> = slots;
            let live = |key: K| view.live_index(key);
            let Collector { marks, work } = self;
            while let Some(index) = work.pop() {
                marked += 1;
                let value = view.value_at(index).expect("marked slots are occupied");
                let mut tracer = Tracer {
                    live: &live,
                    marks,
                    work,
                    stale: &mut stale,
                };
                links(value, &mut tracer);
            }
        }
        // 3. sweep every occupied slot left white
        let freed = sweep(&self.marks, slots);
        Ok(Collection {
            marked,
            freed,
            freed_bytes: freed.saturating_mul(size_of::<T>()),
            stale_links: stale,
        })
    }
}

/// Frees every occupied slot whose mark bit is clear; returns how many.
///
/// `remove_at` frees the slot (free list, bumped generation) before the value is dropped
/// here, so a panicking `Drop` leaves `slots` consistent.
pub(crate) fn sweep<K: Key, T>(marks: &BitSet, slots: &mut Slots<K, T>) -> usize {
    let slot_count = slots.slot_count();
    let mut freed = 0usize;
    let mut index = 0usize;
    while let Some(white) = next_zero(marks, index, slot_count) {
        if let Some(value) = slots.remove_at(white as u32) {
            freed += 1;
            drop(value);
        }
        index = white + 1;
    }
    freed
}

/// The first clear bit at or after `from`, below `end`.
fn next_zero(marks: &BitSet, from: usize, end: usize) -> Option<usize> {
    let words = marks.as_words();
    let mut w = from / 64;
    if from >= end {
        return None;
    }
    let mut word = !words[w] & (!0u64 << (from % 64));
    loop {
        if word != 0 {
            let i = w * 64 + word.trailing_zeros() as usize;
            return (i < end).then_some(i);
        }
        w += 1;
        if w * 64 >= end {
            return None;
        }
        word = !words[w];
    }
}
