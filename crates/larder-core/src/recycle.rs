//! The recycle policy: what a pool does with an object handed back to it.
//!
//! Every larder pool runs the same steps on a returned object, in this order:
//!
//! 1. **validate**: an optional check (`fn(&T) -> bool`); an object that fails it is dropped
//!    (a broken connection, a buffer someone leaked a secret into);
//! 2. **reset**: the pool's reset hook (usually [`Reset::reset`](crate::Reset));
//! 3. **bound the footprint**: if the object holds more than `max_footprint` bytes it is
//!    either dropped or shrunk to fit ([`Oversize`]), so one huge request does not pin a huge
//!    allocation in the pool forever;
//! 4. **zero**: optionally overwrite the object's byte storage, so one user's bytes never
//!    reach the next.
//!
//! [`RecyclePolicy`] holds steps 1, 3 and 4 as plain data and function pointers: it is
//! `Copy`, costs nothing when a step is off, and one indirect call when it is on.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use core::mem::size_of;

/// How many bytes of heap memory a value holds, and how to give some back.
///
/// Pools use it to enforce byte limits and the maximum footprint of a recycled object.
/// `footprint` should be cheap (a capacity times an element size), not a deep walk.
///
/// # Examples
///
/// ```
/// use larder_core::Footprint;
///
/// let mut v: Vec<u32> = Vec::with_capacity(1000);
/// assert_eq!(v.footprint(), 4000);
/// v.shrink_footprint(400);
/// assert!(v.footprint() <= 400);
/// ```
pub trait Footprint {
    /// Heap bytes held, as the capacity times the element size.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::Footprint;
    /// assert_eq!(String::with_capacity(10).footprint(), 10);
    /// ```
    fn footprint(&self) -> usize;

    /// Gives memory back until `footprint() <= max`, if the type can.
    ///
    /// The default does nothing; a pool that asked for [`Oversize::Shrink`] drops an object
    /// that is still too large afterwards.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::Footprint;
    /// let mut s = String::with_capacity(100);
    /// s.shrink_footprint(10);
    /// assert!(s.footprint() <= 10);
    /// ```
    fn shrink_footprint(&mut self, max: usize) {
        let _ = max;
    }
}

/// Overwrites the byte storage a value owns, its whole capacity and not only its length.
///
/// # Examples
///
/// ```
/// use larder_core::ZeroStorage;
///
/// let mut v = vec![0xAAu8; 16];
/// v.truncate(4);
/// v.zero_storage();
/// // Every byte of the capacity is now zero, including the 12 past the length.
/// v.resize(16, 1);
/// assert_eq!(&v[..4], &[0; 4]);
/// ```
pub trait ZeroStorage {
    /// Sets every byte of the storage to zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::ZeroStorage;
    /// let mut b: Box<[u8]> = vec![7; 3].into();
    /// b.zero_storage();
    /// assert_eq!(&*b, &[0, 0, 0]);
    /// ```
    fn zero_storage(&mut self);
}

impl<T> Footprint for Vec<T> {
    #[inline]
    fn footprint(&self) -> usize {
        self.capacity().saturating_mul(size_of::<T>())
    }
    fn shrink_footprint(&mut self, max: usize) {
        let cap = max.checked_div(size_of::<T>()).unwrap_or(usize::MAX);
        self.truncate(cap);
        self.shrink_to(cap);
    }
}

impl<T> Footprint for VecDeque<T> {
    #[inline]
    fn footprint(&self) -> usize {
        self.capacity().saturating_mul(size_of::<T>())
    }
    fn shrink_footprint(&mut self, max: usize) {
        let cap = max.checked_div(size_of::<T>()).unwrap_or(usize::MAX);
        self.truncate(cap);
        self.shrink_to(cap);
    }
}

impl Footprint for String {
    #[inline]
    fn footprint(&self) -> usize {
        self.capacity()
    }
    fn shrink_footprint(&mut self, max: usize) {
        if self.len() > max {
            let mut cut = max;
            while !self.is_char_boundary(cut) {
                cut -= 1;
            }
            self.truncate(cut);
        }
        self.shrink_to(max);
    }
}

impl<T> Footprint for Box<[T]> {
    #[inline]
    fn footprint(&self) -> usize {
        self.len().saturating_mul(size_of::<T>())
    }
}

#[cfg(feature = "std")]
impl<K, V, S> Footprint for std::collections::HashMap<K, V, S> {
    #[inline]
    fn footprint(&self) -> usize {
        self.capacity().saturating_mul(size_of::<(K, V)>())
    }
}

#[cfg(feature = "std")]
impl<T, S> Footprint for std::collections::HashSet<T, S> {
    #[inline]
    fn footprint(&self) -> usize {
        self.capacity().saturating_mul(size_of::<T>())
    }
}

impl ZeroStorage for Vec<u8> {
    fn zero_storage(&mut self) {
        self.spare_capacity_mut()
            .fill(core::mem::MaybeUninit::new(0));
        self.fill(0);
    }
}

impl ZeroStorage for Box<[u8]> {
    fn zero_storage(&mut self) {
        self.fill(0);
    }
}

impl ZeroStorage for [u8] {
    fn zero_storage(&mut self) {
        self.fill(0);
    }
}

/// What to do with a returned object whose footprint is above the policy's maximum.
///
/// # Examples
///
/// ```
/// use larder_core::{Oversize, RecyclePolicy};
/// let policy = RecyclePolicy::<Vec<u8>>::new().max_footprint(4096, Oversize::Shrink);
/// assert_eq!(policy.oversize(), Some((4096, Oversize::Shrink)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Oversize {
    /// Drop the object (counted as rejected).
    Drop,
    /// Shrink it with [`Footprint::shrink_footprint`]; drop it if it is still too large.
    Shrink,
}

/// Why a policy refused to keep an object.
///
/// # Examples
///
/// ```
/// use larder_core::{Oversize, RecyclePolicy, Rejected};
/// let policy = RecyclePolicy::<Vec<u8>>::new().max_footprint(16, Oversize::Drop);
/// let mut big = Vec::with_capacity(1024);
/// assert_eq!(policy.recycle(&mut big, |v| v.clear()), Err(Rejected::Oversize));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejected {
    /// The validity check returned `false`.
    Invalid,
    /// The object's footprint was above the maximum (and shrinking, if asked, did not help).
    Oversize,
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rejected::Invalid => "the object failed the pool's validity check",
            Rejected::Oversize => "the object holds more memory than the pool keeps",
        })
    }
}

/// The steps a pool runs on a returned object besides reset, in this order: the validity
/// check (an object that fails it is dropped), the pool's reset, the footprint bound (drop
/// or shrink an object holding more than the maximum, see [`Oversize`]), and zeroing of the
/// byte storage, so one user's bytes never reach the next.
///
/// The default keeps every object as it is.
///
/// # Examples
///
/// ```
/// use larder_core::{Oversize, RecyclePolicy, Rejected, Reset};
///
/// let policy = RecyclePolicy::<Vec<u8>>::new()
///     .max_footprint(1024, Oversize::Shrink)
///     .zero_on_return()
///     .validate(|v| v.first() != Some(&0xFF));
///
/// let mut buf = Vec::with_capacity(64 * 1024);
/// buf.extend_from_slice(b"secret");
/// assert_eq!(policy.recycle(&mut buf, Reset::reset), Ok(()));
/// assert!(buf.is_empty() && buf.capacity() <= 1024, "shrunk to the maximum");
///
/// let mut poisoned = vec![0xFF];
/// assert_eq!(policy.recycle(&mut poisoned, Reset::reset), Err(Rejected::Invalid));
/// ```
pub struct RecyclePolicy<T: ?Sized> {
    validate: Option<fn(&T) -> bool>,
    max_footprint: usize,
    oversize: Oversize,
    footprint: Option<fn(&T) -> usize>,
    shrink: Option<fn(&mut T, usize)>,
    zero: Option<fn(&mut T)>,
}

impl<T: ?Sized> Clone for RecyclePolicy<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for RecyclePolicy<T> {}

impl<T: ?Sized> Default for RecyclePolicy<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: ?Sized> fmt::Debug for RecyclePolicy<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecyclePolicy")
            .field("validate", &self.validate.is_some())
            .field("max_footprint", &self.oversize())
            .field("zero_on_return", &self.zero.is_some())
            .finish()
    }
}

impl<T: ?Sized> RecyclePolicy<T> {
    /// Keep every object, unchecked and unbounded.
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_core::RecyclePolicy::<String>::new();
    /// let mut s = String::from("x");
    /// assert!(p.recycle(&mut s, String::clear).is_ok());
    /// ```
    pub const fn new() -> Self {
        Self {
            validate: None,
            max_footprint: usize::MAX,
            oversize: Oversize::Drop,
            footprint: None,
            shrink: None,
            zero: None,
        }
    }

    /// Drop returned objects for which `check` is `false`. Runs before reset.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::{RecyclePolicy, Rejected};
    /// let p = RecyclePolicy::<Vec<u8>>::new().validate(|v| v.len() < 10);
    /// assert_eq!(p.recycle(&mut vec![0; 20], Vec::clear), Err(Rejected::Invalid));
    /// ```
    pub const fn validate(mut self, check: fn(&T) -> bool) -> Self {
        self.validate = Some(check);
        self
    }

    /// Keep only objects whose [`Footprint`] is at most `max` bytes after reset; `oversize`
    /// says whether a larger one is dropped or shrunk.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::{Oversize, RecyclePolicy};
    /// let p = RecyclePolicy::<String>::new().max_footprint(8, Oversize::Shrink);
    /// let mut s = String::with_capacity(100);
    /// assert!(p.recycle(&mut s, String::clear).is_ok());
    /// assert!(s.capacity() <= 8);
    /// ```
    pub fn max_footprint(mut self, max: usize, oversize: Oversize) -> Self
    where
        T: Footprint,
    {
        self.max_footprint = max;
        self.oversize = oversize;
        self.footprint = Some(T::footprint);
        self.shrink = Some(T::shrink_footprint);
        self
    }

    /// Zero the object's whole byte storage after reset ([`ZeroStorage`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let p = larder_core::RecyclePolicy::<Vec<u8>>::new().zero_on_return();
    /// assert!(p.zeroes());
    /// ```
    pub fn zero_on_return(mut self) -> Self
    where
        T: ZeroStorage,
    {
        self.zero = Some(T::zero_storage);
        self
    }

    /// The footprint bound and what happens above it, if one is set.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::RecyclePolicy::<Vec<u8>>::new().oversize(), None);
    /// ```
    pub fn oversize(&self) -> Option<(usize, Oversize)> {
        self.footprint.map(|_| (self.max_footprint, self.oversize))
    }

    /// Whether returned objects are zeroed.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!larder_core::RecyclePolicy::<Vec<u8>>::new().zeroes());
    /// ```
    pub fn zeroes(&self) -> bool {
        self.zero.is_some()
    }

    /// Whether the policy does anything besides calling `reset` (lets pools skip it).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_core::RecyclePolicy::<Vec<u8>>::new().is_trivial());
    /// ```
    pub fn is_trivial(&self) -> bool {
        self.validate.is_none() && self.footprint.is_none() && self.zero.is_none()
    }

    /// Runs the policy on a returned object: validate, `reset`, bound the footprint, zero.
    ///
    /// `Ok(())` means the object may be kept. If `reset` (or a policy hook) panics, the panic
    /// propagates; the caller should then drop the object rather than keep it.
    ///
    /// # Errors
    ///
    /// [`Rejected`] says why the object must be dropped; `reset` has then not necessarily run.
    ///
    /// # Examples
    ///
    /// ```
    /// use larder_core::{Oversize, RecyclePolicy, Rejected};
    /// let p = RecyclePolicy::<Vec<u64>>::new().max_footprint(80, Oversize::Drop);
    /// let mut small = Vec::with_capacity(10);
    /// let mut large = Vec::with_capacity(11);
    /// assert_eq!(p.recycle(&mut small, Vec::clear), Ok(()));
    /// assert_eq!(p.recycle(&mut large, Vec::clear), Err(Rejected::Oversize));
    /// ```
    #[inline]
    pub fn recycle(&self, value: &mut T, reset: impl FnOnce(&mut T)) -> Result<(), Rejected> {
        if let Some(check) = self.validate {
            if !check(value) {
                return Err(Rejected::Invalid);
            }
        }
        reset(value);
        if let Some(footprint) = self.footprint {
            if footprint(value) > self.max_footprint {
                match (self.oversize, self.shrink) {
                    (Oversize::Shrink, Some(shrink)) => {
                        shrink(value, self.max_footprint);
                        if footprint(value) > self.max_footprint {
                            return Err(Rejected::Oversize);
                        }
                    }
                    _ => return Err(Rejected::Oversize),
                }
            }
        }
        if let Some(zero) = self.zero {
            zero(value);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Reset;
    use alloc::vec;

    #[test]
    fn trivial_policy_only_resets() {
        let p = RecyclePolicy::<Vec<u8>>::new();
        assert!(p.is_trivial());
        let mut v = Vec::with_capacity(1 << 20);
        v.push(1);
        assert_eq!(p.recycle(&mut v, Reset::reset), Ok(()));
        assert!(v.is_empty());
        assert_eq!(v.capacity(), 1 << 20);
    }

    #[test]
    fn validation_runs_before_reset() {
        let p = RecyclePolicy::<Vec<u8>>::new().validate(|v| !v.is_empty());
        let mut v = vec![1];
        assert_eq!(
            p.recycle(&mut v, Reset::reset),
            Ok(()),
            "checked while still full"
        );
        let mut empty = Vec::new();
        let mut reset_ran = false;
        assert_eq!(
            p.recycle(&mut empty, |_| reset_ran = true),
            Err(Rejected::Invalid)
        );
        assert!(!reset_ran);
    }

    #[test]
    fn oversize_drop_and_shrink() {
        let drop = RecyclePolicy::<Vec<u32>>::new().max_footprint(400, Oversize::Drop);
        let mut at = Vec::<u32>::with_capacity(100);
        assert_eq!(drop.recycle(&mut at, Reset::reset), Ok(()));
        let mut over = Vec::<u32>::with_capacity(101);
        assert_eq!(
            drop.recycle(&mut over, Reset::reset),
            Err(Rejected::Oversize)
        );

        let shrink = RecyclePolicy::<Vec<u32>>::new().max_footprint(400, Oversize::Shrink);
        let mut big = Vec::<u32>::with_capacity(10_000);
        assert_eq!(shrink.recycle(&mut big, Reset::reset), Ok(()));
        assert!(big.footprint() <= 400);
    }

    #[test]
    fn shrink_that_cannot_shrink_drops() {
        let p = RecyclePolicy::<Box<[u8]>>::new().max_footprint(4, Oversize::Shrink);
        let mut b: Box<[u8]> = vec![0; 8].into();
        assert_eq!(p.recycle(&mut b, |_| {}), Err(Rejected::Oversize));
    }

    #[test]
    fn zero_on_return_covers_the_whole_capacity() {
        let p = RecyclePolicy::<Vec<u8>>::new().zero_on_return();
        let mut v = vec![0xEEu8; 256];
        v.truncate(3);
        assert_eq!(p.recycle(&mut v, |v| v.truncate(1)), Ok(()));
        assert_eq!(v.len(), 1);
        let ptr = v.as_ptr();
        let cap = v.capacity();
        // SAFETY: zero_storage initialised all `cap` bytes of the allocation.
        let all = unsafe { core::slice::from_raw_parts(ptr, cap) };
        assert!(all.iter().all(|&b| b == 0));
    }

    #[test]
    fn footprints() {
        assert_eq!(Vec::<u64>::with_capacity(3).footprint(), 24);
        assert_eq!(Vec::<()>::with_capacity(3).footprint(), 0);
        let mut zst = vec![(); 10];
        zst.shrink_footprint(0);
        assert_eq!(zst.len(), 10, "zero-sized elements cost nothing and stay");
        let mut d: VecDeque<u16> = VecDeque::with_capacity(100);
        d.extend(0..100);
        d.shrink_footprint(20);
        assert!(d.footprint() <= 20 && d.len() == 10);
        let mut s = String::from("héllo wörld");
        s.shrink_footprint(2);
        assert_eq!(s, "h", "cut at a char boundary");
        assert_eq!(Box::<[u32]>::from(vec![1, 2]).footprint(), 8);
    }

    #[cfg(feature = "std")]
    #[test]
    fn hash_footprints_follow_capacity() {
        let m: std::collections::HashMap<u64, u64> = std::collections::HashMap::with_capacity(10);
        assert_eq!(m.footprint(), m.capacity() * 16);
        let s: std::collections::HashSet<u32> = std::collections::HashSet::with_capacity(10);
        assert_eq!(s.footprint(), s.capacity() * 4);
    }

    #[test]
    fn rejected_messages() {
        use alloc::string::ToString;
        assert!(Rejected::Invalid.to_string().contains("validity"));
        assert!(Rejected::Oversize.to_string().contains("more memory"));
        let dbg = alloc::format!(
            "{:?}",
            RecyclePolicy::<Vec<u8>>::new().max_footprint(1, Oversize::Drop)
        );
        assert!(dbg.contains("max_footprint: Some((1, Drop))"), "{dbg}");
    }
}
