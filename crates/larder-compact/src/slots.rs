//! [`Slots`]: generational storage with 8-byte keys.

use crate::key::{Key, KeyData};
use alloc::vec::Vec;
use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::num::NonZeroU32;
use core::ops::{Index, IndexMut};

/// The end of the free list. It is past every slot index (there are at most `u32::MAX`
/// slots), so the bounds check of the free-list head also finds the end of the list.
const NONE: u32 = u32::MAX;
/// The largest number of slots: indices `0..MAX_SLOTS` (`u32::MAX` marks "none").
pub(crate) const MAX_SLOTS: usize = u32::MAX as usize;

/// One slot: the generation of the value it holds, and the value or the free-list link in
/// the same bytes.
///
/// The invariant everything in this module keeps: `generation` is `Some` exactly when
/// `body.value` is the initialised field (the slot is occupied); while it is `None`,
/// `body.free` is (the slot is vacant or retired). A key's generation is never zero, so
/// comparing it with `generation` tests "occupied" and "same generation" at once. A slot
/// of a `u64` is 16 bytes: the value (or the 8-byte link) and the generation, padded.
struct Slot<T> {
    /// The generation of the value held; `None` when vacant or retired.
    generation: Option<NonZeroU32>,
    body: Body<T>,
}

/// The value of an occupied slot or the link of a free one; which one is live is told by
/// [`Slot::generation`].
union Body<T> {
    value: ManuallyDrop<T>,
    free: Free,
}

/// What a vacant slot remembers: the generation its next value gets (high half) and the
/// next slot of the free list, or [`NONE`] (low half). One `u64`, so freeing a slot writes
/// it with one store and reusing the slot reads it with one load; two 4-byte halves
/// written and read back separately made insert + remove measurably slower. Aligned to 4
/// so it does not make slots of small values larger.
///
/// A retired slot keeps its exhausted generation here and is never on the free list, so
/// its link is never read.
#[derive(Clone, Copy)]
#[repr(C, packed(4))]
struct Free(u64);

impl Free {
    #[inline]
    fn new(generation: NonZeroU32, next_free: u32) -> Self {
        Free(u64::from(generation.get()) << 32 | u64::from(next_free))
    }

    #[inline]
    fn generation(self) -> NonZeroU32 {
        let generation = (self.0 >> 32) as u32;
        // SAFETY: `new` is the only way to make a `Free`, and it puts a `NonZeroU32` in the
        // high half.
        unsafe { NonZeroU32::new_unchecked(generation) }
    }

    #[inline]
    fn next_free(self) -> u32 {
        self.0 as u32
    }
}

impl<T> Slot<T> {
    /// A slot holding `value` at `generation`.
    #[inline]
    fn occupied(generation: NonZeroU32, value: T) -> Self {
        Slot {
            generation: Some(generation),
            body: Body {
                value: ManuallyDrop::new(value),
            },
        }
    }

    /// The generation and value, if the slot holds one.
    #[inline]
    fn value(&self) -> Option<(NonZeroU32, &T)> {
        let generation = self.generation?;
        // SAFETY: a `Some` generation means `value` is the initialised field (the invariant).
        Some((generation, unsafe { &self.body.value }))
    }

    /// The generation and value, mutably, if the slot holds one.
    #[inline]
    fn value_mut(&mut self) -> Option<(NonZeroU32, &mut T)> {
        let generation = self.generation?;
        // SAFETY: as in `value`; the `&mut self` borrow makes the reference unique.
        Some((generation, unsafe { &mut self.body.value }))
    }

    /// The value, if the slot holds one inserted at `generation`: one compare, as a vacant
    /// slot's `None` never equals a key's non-zero generation.
    #[inline]
    fn get(&self, generation: NonZeroU32) -> Option<&T> {
        if self.generation == Some(generation) {
            // SAFETY: the generation is `Some`, so `value` is initialised (the invariant).
            Some(unsafe { &self.body.value })
        } else {
            None
        }
    }

    /// As [`get`](Self::get), mutably.
    #[inline]
    fn get_mut(&mut self, generation: NonZeroU32) -> Option<&mut T> {
        if self.generation == Some(generation) {
            // SAFETY: as in `get`; the `&mut self` borrow makes the reference unique.
            Some(unsafe { &mut self.body.value })
        } else {
            None
        }
    }

    /// The free-list link, if the slot is vacant (or retired).
    #[inline]
    fn free(&self) -> Option<Free> {
        match self.generation {
            // SAFETY: a `None` generation means `free` is the initialised field (the
            // invariant); it is `Copy`, so reading it takes nothing.
            None => Some(unsafe { self.body.free }),
            Some(_) => None,
        }
    }

    /// The free-list link of a slot known to be vacant, without checking.
    ///
    /// # Safety
    ///
    /// The slot must be vacant or retired (its generation `None`).
    #[inline]
    unsafe fn free_unchecked(&self) -> Free {
        debug_assert!(
            self.generation.is_none(),
            "read the link of an occupied slot"
        );
        // SAFETY: the caller guarantees the generation is `None`, so `free` is the initialised
        // field (the invariant); it is `Copy`, so reading it takes nothing.
        unsafe { self.body.free }
    }

    /// Stores `value` at `generation` in a vacant slot (an occupied one would leak its value,
    /// so callers only fill slots they know are vacant).
    #[inline]
    fn fill(&mut self, generation: NonZeroU32, value: T) {
        debug_assert!(self.generation.is_none(), "filled an occupied slot");
        // Assigning a union field drops nothing, so the link is simply overwritten.
        self.body = Body {
            value: ManuallyDrop::new(value),
        };
        self.generation = Some(generation);
    }

    /// Takes the value out of an occupied slot and leaves the slot vacant with `free`;
    /// `None`, and nothing changes, if the slot holds no value.
    #[inline]
    fn take(&mut self, free: Free) -> Option<T> {
        self.generation?;
        // SAFETY: the generation is `Some`, so `value` is initialised (the invariant). It is
        // read out exactly once: the slot is marked vacant and given its link right after,
        // with no code in between that could panic, so the value is never dropped here.
        let value = unsafe { ManuallyDrop::take(&mut self.body.value) };
        self.generation = None;
        self.body = Body { free };
        Some(value)
    }
}

impl<T> Drop for Slot<T> {
    #[inline]
    fn drop(&mut self) {
        if self.generation.is_some() {
            // SAFETY: the generation is `Some`, so `value` is initialised (the invariant), and
            // the slot is never used after it is dropped.
            unsafe { ManuallyDrop::drop(&mut self.body.value) }
        }
    }
}

impl<T: Clone> Clone for Slot<T> {
    fn clone(&self) -> Self {
        let body = match self.value() {
            Some((_, value)) => Body {
                value: ManuallyDrop::new(value.clone()),
            },
            None => {
                // SAFETY: the slot holds no value, so its generation is `None`.
                let free = unsafe { self.free_unchecked() };
                Body { free }
            }
        };
        Slot {
            generation: self.generation,
            body,
        }
    }
}

/// Generational storage: values in one `Vec` of slots, reached by 8-byte keys that go
/// stale when their value is removed.
///
/// Layout: a `Vec` of slots, each a generation (`u32`, zero while the slot is free) and, in
/// the same bytes (a union), either the value or the free-list link: the next free index
/// and the generation the slot's next value gets. A `u64` value makes a 16-byte slot.
/// Freed slots form a LIFO free list threaded through them. A key is the slot index and
/// the generation at insertion ([`KeyData`]).
///
/// Costs: `insert` pops the free list (one bounds check, which also finds its end) or
/// pushes one slot (amortised O(1), no allocation once the `Vec` is large enough);
/// `get`/`remove`/`contains` one bounds check and one generation compare, which also tells
/// a free slot (its zero never equals a key's generation). Iteration walks every slot,
/// free ones too (O(slots), not O(len)).
///
/// **Stale keys never reach a new value.** Removing a value bumps its slot's generation,
/// so the old key no longer matches. **Exhausted generations:** a slot whose generation
/// reached `u32::MAX` is *retired* when that value is removed: it never goes back on the
/// free list and is never used again, so no generation ever repeats. A retired slot costs
/// its bytes until the `Slots` is dropped ([`retired`](Self::retired) counts them); to
/// reach it one slot must be reused four billion times.
///
/// # Examples
///
/// ```
/// use larder_compact::{DefaultKey, Slots};
///
/// let mut s: Slots<DefaultKey, String> = Slots::new();
/// let a = s.insert("a".to_string());
/// let b = s.insert("b".to_string());
/// assert_eq!(s.remove(a).as_deref(), Some("a"));
/// let c = s.insert("c".to_string()); // reuses a's slot
/// assert_eq!(s.get(a), None);        // the stale key misses
/// assert_eq!(s[c], "c");
/// assert_eq!(s.len(), 2);
/// # let _ = b;
/// ```
///
/// Values that borrow must outlive the `Slots` holding them, even values without a
/// destructor of their own: a slot has a destructor (it tells at run time whether it holds
/// a value), so unlike a `Vec`, a `Slots` may not outlive what its values borrow.
///
/// ```compile_fail,E0597
/// let mut s: larder_compact::Slots<larder_compact::DefaultKey, &String> =
///     larder_compact::Slots::new();
/// let name = String::from("a");
/// s.insert(&name);
/// // `name` is dropped before `s`, which still holds a borrow of it.
/// ```
///
/// `Slots` is `Send`/`Sync` exactly when its values are (derived from its fields; no
/// `unsafe impl`):
///
/// ```compile_fail
/// fn needs_send<T: Send>(_: T) {}
/// let s: larder_compact::Slots<larder_compact::DefaultKey, std::rc::Rc<u8>> =
///     larder_compact::Slots::new();
/// needs_send(s);
/// ```
pub struct Slots<K, T> {
    slots: Vec<Slot<T>>,
    free_head: u32,
    len: usize,
    retired: usize,
    _key: PhantomData<fn(K) -> K>,
}

impl<K: Key, T: Clone> Clone for Slots<K, T> {
    fn clone(&self) -> Self {
        Slots {
            slots: self.slots.clone(),
            free_head: self.free_head,
            len: self.len,
            retired: self.retired,
            _key: PhantomData,
        }
    }
}

impl<K: Key, T: fmt::Debug> fmt::Debug for Slots<K, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Key, T> Default for Slots<K, T> {
    fn default() -> Self {
        Self::new()
    }
}

const FIRST_GENERATION: NonZeroU32 = NonZeroU32::MIN;

/// The panic of a full `Slots`, kept out of line so `insert` stays small enough to inline.
#[cold]
#[inline(never)]
#[track_caller]
fn full<T>(value: T) -> ! {
    drop(value);
    panic!("Slots is full: all {MAX_SLOTS} slot indices are in use")
}

impl<K: Key, T> Slots<K, T> {
    /// An empty `Slots`; allocates nothing until the first insert.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// assert!(s.is_empty());
    /// ```
    pub const fn new() -> Self {
        Slots {
            slots: Vec::new(),
            free_head: NONE,
            len: 0,
            retired: 0,
            _key: PhantomData,
        }
    }

    /// An empty `Slots` with room for `capacity` values before it allocates again.
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::with_capacity(64);
    /// assert!(s.capacity() >= 64);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        let mut s = Self::new();
        s.slots.reserve(capacity.min(MAX_SLOTS));
        s
    }

    /// Values held.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// s.insert(1);
    /// assert_eq!(s.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no value is held.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::Slots::<larder_compact::DefaultKey, u8>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Values the slot `Vec` holds without reallocating (free slots are reused first).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::with_capacity(8);
    /// assert!(s.capacity() >= 8);
    /// ```
    pub fn capacity(&self) -> usize {
        self.slots.capacity()
    }

    /// Makes room for `additional` more values beyond the free slots.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// s.reserve(100);
    /// assert!(s.capacity() >= 100);
    /// ```
    pub fn reserve(&mut self, additional: usize) {
        let free = self.slots.len() - self.len - self.retired;
        self.slots.reserve(additional.saturating_sub(free));
    }

    /// Slot indices in use so far (occupied, free and retired): every key's index is below
    /// it, so a side table indexed by [`KeyData::index`] needs this many entries.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// s.remove(k);
    /// assert_eq!(s.slot_count(), 1);
    /// ```
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    /// Slots retired because their generation was exhausted (see the type docs).
    ///
    /// # Examples
    ///
    /// ```
    /// let s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// assert_eq!(s.retired(), 0);
    /// ```
    pub fn retired(&self) -> usize {
        self.retired
    }

    /// Stores `value` and returns its key.
    ///
    /// # Panics
    ///
    /// If `u32::MAX` slots are in use (see [`try_insert`](Self::try_insert)).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, &str>::new();
    /// let k = s.insert("x");
    /// assert_eq!(s[k], "x");
    /// ```
    #[inline]
    pub fn insert(&mut self, value: T) -> K {
        match self.try_insert(value) {
            Ok(k) => k,
            Err(value) => full(value),
        }
    }

    /// Stores `value` and returns its key, or gives `value` back if all `u32::MAX` slot
    /// indices are in use (occupied or retired).
    ///
    /// # Errors
    ///
    /// `Err(value)` when no slot index is left.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// assert!(s.try_insert(1).is_ok());
    /// ```
    #[inline]
    pub fn try_insert(&mut self, value: T) -> Result<K, T> {
        let index = self.free_head;
        // `NONE` is past every slot, so this one bounds check also finds the end of the list.
        if let Some(slot) = self.slots.get_mut(index as usize) {
            // SAFETY: the free list links only vacant slots: `remove_at` links a slot only
            // after emptying it, a slot leaves the list (here) before it is filled, and
            // nothing else links, unlinks, fills or empties slots.
            let free = unsafe { slot.free_unchecked() };
            let generation = free.generation();
            slot.fill(generation, value);
            self.free_head = free.next_free();
            self.len += 1;
            return Ok(K::from(KeyData::new(index, generation)));
        }
        let index = self.slots.len();
        if index >= MAX_SLOTS {
            return Err(value);
        }
        self.slots.push(Slot::occupied(FIRST_GENERATION, value));
        self.len += 1;
        Ok(K::from(KeyData::new(index as u32, FIRST_GENERATION)))
    }

    /// Stores the value `f` makes from its own key (for values that refer to themselves).
    ///
    /// # Panics
    ///
    /// As [`insert`](Self::insert); if `f` panics nothing is stored.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_compact::{DefaultKey, Slots};
    /// let mut s: Slots<DefaultKey, (DefaultKey, u8)> = Slots::new();
    /// let k = s.insert_with_key(|k| (k, 7));
    /// assert_eq!(s[k].0, k);
    /// ```
    pub fn insert_with_key(&mut self, f: impl FnOnce(K) -> T) -> K {
        let key = self.next_key();
        let value = f(key);
        let got = self.insert(value);
        debug_assert_eq!(got, key);
        got
    }

    /// The key the next insert will return.
    fn next_key(&self) -> K {
        if let Some(free) = self.slots.get(self.free_head as usize).and_then(Slot::free) {
            K::from(KeyData::new(self.free_head, free.generation()))
        } else {
            assert!(
                self.slots.len() < MAX_SLOTS,
                "Slots is full: all {MAX_SLOTS} slot indices are in use"
            );
            K::from(KeyData::new(self.slots.len() as u32, FIRST_GENERATION))
        }
    }

    /// The slot index of `key` if it is live.
    #[inline]
    pub(crate) fn live_index(&self, key: K) -> Option<u32> {
        let data = key.data();
        let slot = self.slots.get(data.index() as usize)?;
        (slot.generation == Some(data.generation())).then_some(data.index())
    }

    /// Removes and returns the value of `key`; `None` (and nothing changes) if the key is
    /// stale or from elsewhere.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(5);
    /// assert_eq!(s.remove(k), Some(5));
    /// assert_eq!(s.remove(k), None);
    /// ```
    #[inline]
    pub fn remove(&mut self, key: K) -> Option<T> {
        let index = self.live_index(key)?;
        self.remove_at(index)
    }

    /// Frees slot `index` if it holds a value, bumping its generation (or retiring it), and
    /// returns the value. The building block of `remove` and of collection by index.
    #[inline]
    pub(crate) fn remove_at(&mut self, index: u32) -> Option<T> {
        let slot = self.slots.get_mut(index as usize)?;
        let generation = slot.generation?;
        // `None` when the generation is exhausted: then the slot is retired, never linked.
        let value = match NonZeroU32::new(generation.get().wrapping_add(1)) {
            Some(next) => {
                let value = slot.take(Free::new(next, self.free_head))?;
                // Linked only now that it is vacant.
                self.free_head = index;
                value
            }
            None => {
                let value = slot.take(Free::new(generation, NONE))?;
                self.retired += 1;
                value
            }
        };
        self.len -= 1;
        Some(value)
    }

    /// The live key of slot `index`, if it holds a value.
    #[inline]
    pub(crate) fn key_at(&self, index: u32) -> Option<K> {
        let (generation, _) = self.slots.get(index as usize)?.value()?;
        Some(K::from(KeyData::new(index, generation)))
    }

    /// The value in slot `index`, whatever its generation.
    #[inline]
    pub(crate) fn value_at(&self, index: u32) -> Option<&T> {
        Some(self.slots.get(index as usize)?.value()?.1)
    }

    /// The value in slot `index`, whatever its generation.
    #[inline]
    pub(crate) fn value_at_mut(&mut self, index: u32) -> Option<&mut T> {
        Some(self.slots.get_mut(index as usize)?.value_mut()?.1)
    }

    /// Whether `key` is live.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(5);
    /// assert!(s.contains(k));
    /// s.remove(k);
    /// assert!(!s.contains(k));
    /// ```
    #[inline]
    pub fn contains(&self, key: K) -> bool {
        self.live_index(key).is_some()
    }

    /// The value of `key`, if the key is live.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(5);
    /// assert_eq!(s.get(k), Some(&5));
    /// ```
    #[inline]
    pub fn get(&self, key: K) -> Option<&T> {
        let data = key.data();
        self.slots
            .get(data.index() as usize)?
            .get(data.generation())
    }

    /// The value of `key`, mutably, if the key is live.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(5);
    /// *s.get_mut(k).unwrap() += 1;
    /// assert_eq!(s[k], 6);
    /// ```
    #[inline]
    pub fn get_mut(&mut self, key: K) -> Option<&mut T> {
        let data = key.data();
        self.slots
            .get_mut(data.index() as usize)?
            .get_mut(data.generation())
    }

    /// Keeps only the values for which `keep` returns true; the others are removed (their
    /// keys go stale) and dropped. A panic in `keep` or in a value's `Drop` leaves every
    /// value either kept or removed, never half-removed.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u32>::new();
    /// for i in 0..10 {
    ///     s.insert(i);
    /// }
    /// s.retain(|_, v| *v % 2 == 0);
    /// assert_eq!(s.len(), 5);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(K, &mut T) -> bool) {
        for index in 0..self.slots.len() {
            let drop_it = match self.slots[index].value_mut() {
                Some((generation, value)) => {
                    !keep(K::from(KeyData::new(index as u32, generation)), value)
                }
                None => false,
            };
            if drop_it {
                drop(self.remove_at(index as u32));
            }
        }
    }

    /// Removes every value (their keys go stale); keeps the memory. O(slots).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// s.clear();
    /// assert!(s.is_empty() && !s.contains(k));
    /// ```
    pub fn clear(&mut self) {
        self.drain().for_each(drop);
    }

    /// Removes every value, yielding it with its (now stale) key. Values not taken from
    /// the iterator are dropped with it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// assert_eq!(s.drain().collect::<Vec<_>>(), [(k, 1)]);
    /// assert!(s.is_empty());
    /// ```
    pub fn drain(&mut self) -> Drain<'_, K, T> {
        Drain {
            slots: self,
            next: 0,
        }
    }

    /// `(key, &value)` pairs in slot order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// assert_eq!(s.iter().collect::<Vec<_>>(), [(k, &1)]);
    /// ```
    pub fn iter(&self) -> Iter<'_, K, T> {
        Iter {
            inner: self.slots.iter().enumerate(),
            left: self.len,
            _key: PhantomData,
        }
    }

    /// `(key, &mut value)` pairs in slot order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// for (_, v) in s.iter_mut() {
    ///     *v += 1;
    /// }
    /// assert_eq!(s[k], 2);
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, K, T> {
        IterMut {
            inner: self.slots.iter_mut().enumerate(),
            left: self.len,
            _key: PhantomData,
        }
    }

    /// The live keys in slot order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// assert_eq!(s.keys().collect::<Vec<_>>(), [k]);
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values in slot order.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// s.insert(1);
    /// s.insert(2);
    /// assert_eq!(s.values().sum::<u8>(), 3);
    /// ```
    pub fn values(&self) -> impl Iterator<Item = &T> + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// The values in slot order, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// s.insert(1);
    /// s.values_mut().for_each(|v| *v = 9);
    /// assert_eq!(s.values().next(), Some(&9));
    /// ```
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> + '_ {
        self.iter_mut().map(|(_, v)| v)
    }

    #[cfg(test)]
    pub(crate) fn set_generation_for_test(&mut self, index: u32, generation: NonZeroU32) {
        let slot = &mut self.slots[index as usize];
        match slot.free() {
            None => slot.generation = Some(generation),
            Some(free) => {
                slot.body = Body {
                    free: Free::new(generation, free.next_free()),
                }
            }
        }
    }
}

impl<K: Key, T> Index<K> for Slots<K, T> {
    type Output = T;

    /// # Panics
    ///
    /// If the key is stale.
    #[track_caller]
    fn index(&self, key: K) -> &T {
        match self.get(key) {
            Some(v) => v,
            None => panic!("key {key:?} is stale or from another Slots"),
        }
    }
}

impl<K: Key, T> IndexMut<K> for Slots<K, T> {
    /// # Panics
    ///
    /// If the key is stale.
    #[track_caller]
    fn index_mut(&mut self, key: K) -> &mut T {
        match self.get_mut(key) {
            Some(v) => v,
            None => panic!("key {key:?} is stale or from another Slots"),
        }
    }
}

/// The iterator of [`Slots::iter`].
///
/// # Examples
///
/// ```
/// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
/// s.insert(3);
/// let it: larder_compact::slots::Iter<'_, _, _> = s.iter();
/// assert_eq!(it.len(), 1);
/// ```
#[derive(Clone)]
pub struct Iter<'a, K, T> {
    inner: core::iter::Enumerate<core::slice::Iter<'a, Slot<T>>>,
    left: usize,
    _key: PhantomData<fn(K) -> K>,
}

impl<'a, K: Key, T> Iterator for Iter<'a, K, T> {
    type Item = (K, &'a T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        for (i, slot) in self.inner.by_ref() {
            if let Some((generation, value)) = slot.value() {
                self.left -= 1;
                return Some((K::from(KeyData::new(i as u32, generation)), value));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<K: Key, T> ExactSizeIterator for Iter<'_, K, T> {}
impl<K: Key, T> FusedIterator for Iter<'_, K, T> {}

/// The iterator of [`Slots::iter_mut`].
///
/// # Examples
///
/// ```
/// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
/// s.insert(3);
/// let it: larder_compact::slots::IterMut<'_, _, _> = s.iter_mut();
/// assert_eq!(it.len(), 1);
/// ```
pub struct IterMut<'a, K, T> {
    inner: core::iter::Enumerate<core::slice::IterMut<'a, Slot<T>>>,
    left: usize,
    _key: PhantomData<fn(K) -> K>,
}

impl<'a, K: Key, T> Iterator for IterMut<'a, K, T> {
    type Item = (K, &'a mut T);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        for (i, slot) in self.inner.by_ref() {
            if let Some((generation, value)) = slot.value_mut() {
                self.left -= 1;
                return Some((K::from(KeyData::new(i as u32, generation)), value));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl<K: Key, T> ExactSizeIterator for IterMut<'_, K, T> {}
impl<K: Key, T> FusedIterator for IterMut<'_, K, T> {}

/// The iterator of [`Slots::drain`]: removes as it goes, and the rest when dropped.
///
/// # Examples
///
/// ```
/// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
/// s.insert(3);
/// s.insert(4);
/// let mut d = s.drain();
/// assert_eq!(d.next().map(|(_, v)| v), Some(3));
/// drop(d);
/// assert!(s.is_empty());
/// ```
pub struct Drain<'a, K: Key, T> {
    slots: &'a mut Slots<K, T>,
    next: usize,
}

impl<K: Key, T> Iterator for Drain<'_, K, T> {
    type Item = (K, T);

    fn next(&mut self) -> Option<(K, T)> {
        while self.next < self.slots.slots.len() {
            let index = self.next as u32;
            self.next += 1;
            if let Some(key) = self.slots.key_at(index) {
                let value = self.slots.remove_at(index)?;
                return Some((key, value));
            }
        }
        None
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.slots.len, Some(self.slots.len))
    }
}

impl<K: Key, T> ExactSizeIterator for Drain<'_, K, T> {}

impl<K: Key, T> Drop for Drain<'_, K, T> {
    fn drop(&mut self) {
        self.for_each(drop);
    }
}

impl<'a, K: Key, T> IntoIterator for &'a Slots<K, T> {
    type Item = (K, &'a T);
    type IntoIter = Iter<'a, K, T>;

    fn into_iter(self) -> Iter<'a, K, T> {
        self.iter()
    }
}

impl<'a, K: Key, T> IntoIterator for &'a mut Slots<K, T> {
    type Item = (K, &'a mut T);
    type IntoIter = IterMut<'a, K, T>;

    fn into_iter(self) -> IterMut<'a, K, T> {
        self.iter_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DefaultKey;

    #[test]
    fn generation_exhaustion_retires_the_slot() {
        let mut s: Slots<DefaultKey, u32> = Slots::new();
        let k0 = s.insert(0);
        let max = NonZeroU32::MAX;
        // One below the boundary: the slot is still reused, at generation MAX.
        s.set_generation_for_test(0, NonZeroU32::new(u32::MAX - 1).unwrap());
        let stale = k0;
        assert_eq!(s.get(stale), None, "generation changed under the key");
        assert_eq!(s.remove_at(0), Some(0));
        let k1 = s.insert(1);
        assert_eq!(k1.data().index(), 0);
        assert_eq!(k1.data().generation(), max);
        assert_eq!(s.retired(), 0);
        // At the boundary: removing the MAX-generation value retires the slot.
        assert_eq!(s.remove(k1), Some(1));
        assert_eq!(s.retired(), 1);
        assert_eq!(s.get(k1), None);
        assert_eq!(s.remove(k1), None);
        let k2 = s.insert(2);
        assert_eq!(k2.data().index(), 1, "a retired slot is never reused");
        assert_eq!(s.len(), 1);
        assert_eq!(s.iter().count(), 1);
        assert_eq!(s.slot_count(), 2);
        // Clearing does not resurrect it either.
        s.clear();
        let k3 = s.insert(3);
        assert_eq!(k3.data().index(), 1);
        assert_eq!(s.remove_at(0), None);
    }

    #[test]
    fn a_slot_of_u64_is_sixteen_bytes() {
        assert_eq!(size_of::<Slot<u64>>(), 16);
        // The 8-byte link sets the minimum: a generation and a link.
        assert_eq!(size_of::<Slot<u8>>(), 12);
        assert_eq!(size_of::<Slot<u32>>(), 12);
    }

    #[test]
    fn a_forged_key_for_a_free_slot_misses() {
        let mut s: Slots<DefaultKey, u32> = Slots::new();
        let k = s.insert(1);
        s.remove(k);
        // The generation the slot's next value will get, and every other one, misses.
        for generation in [1, 2, 3, u32::MAX] {
            let bits = u64::from(generation) << 32 | u64::from(k.data().index());
            let forged = DefaultKey::from(KeyData::from_bits(bits).unwrap());
            assert_eq!(s.get(forged), None);
            assert_eq!(s.get_mut(forged), None);
            assert!(!s.contains(forged));
            assert_eq!(s.remove(forged), None);
        }
        assert_eq!(s.len(), 0);
        let k2 = s.insert(2);
        assert_eq!((k2.data().index(), k2.data().generation().get()), (0, 2));
    }

    #[test]
    fn values_are_dropped_once_and_clones_keep_the_free_list() {
        use alloc::rc::Rc;
        let token = Rc::new(());
        let count = || Rc::strong_count(&token) - 1;
        let mut s: Slots<DefaultKey, Rc<()>> = Slots::new();
        let keys: Vec<_> = (0..8).map(|_| s.insert(Rc::clone(&token))).collect();
        for &k in &keys[..3] {
            drop(s.remove(k));
        }
        // Retire slot 3.
        s.set_generation_for_test(3, NonZeroU32::MAX);
        drop(s.remove_at(3));
        assert_eq!((count(), s.len(), s.retired()), (4, 4, 1));

        let mut c = s.clone();
        assert_eq!((count(), c.len(), c.retired()), (8, 4, 1));
        assert_eq!(
            c.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            s.keys().collect::<Vec<_>>()
        );
        // Both pop the same free list, and neither reuses the retired slot.
        for _ in 0..4 {
            let a = s.insert(Rc::clone(&token));
            let b = c.insert(Rc::clone(&token));
            assert_eq!(a, b);
            assert_ne!(a.data().index(), 3);
        }
        assert_eq!(count(), 16);
        drop(s);
        assert_eq!(count(), 8);
        c.clear();
        assert_eq!(count(), 0);
        c.insert(Rc::clone(&token));
        drop(c);
        assert_eq!(count(), 0);
    }

    #[test]
    fn keys_and_options_are_eight_bytes() {
        assert_eq!(size_of::<DefaultKey>(), 8);
        assert_eq!(size_of::<Option<DefaultKey>>(), 8);
    }
}
