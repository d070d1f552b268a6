//! Keys of [`Slots`](crate::Slots): [`KeyData`], the [`Key`] trait and [`new_key_type!`].

use core::fmt;
use core::hash::Hash;
use core::num::NonZeroU32;

/// What every key holds: a slot index and the generation the slot had when the value was
/// inserted. Eight bytes; the generation is never zero, so `Option<KeyData>` (and
/// `Option` of every key type) is eight bytes too.
///
/// # Examples
///
/// ```
/// use larder_compact::KeyData;
///
/// assert_eq!(size_of::<Option<KeyData>>(), 8);
/// let k = KeyData::from_bits(0x0000_0002_0000_0007).unwrap();
/// assert_eq!((k.index(), k.generation().get()), (7, 2));
/// assert_eq!(k.to_bits(), 0x0000_0002_0000_0007);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct KeyData {
    index: u32,
    generation: NonZeroU32,
}

impl KeyData {
    pub(crate) const fn new(index: u32, generation: NonZeroU32) -> Self {
        KeyData { index, generation }
    }

    /// The slot index.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut slots = larder_compact::Slots::<larder_compact::DefaultKey, _>::new();
    /// let k = slots.insert("a");
    /// assert_eq!(larder_compact::Key::data(k).index(), 0);
    /// ```
    pub const fn index(self) -> u32 {
        self.index
    }

    /// The generation (never zero).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut slots = larder_compact::Slots::<larder_compact::DefaultKey, _>::new();
    /// let k = slots.insert("a");
    /// assert_eq!(larder_compact::Key::data(k).generation().get(), 1);
    /// ```
    pub const fn generation(self) -> NonZeroU32 {
        self.generation
    }

    /// The key as one `u64`: generation in the high half, index in the low half.
    ///
    /// # Examples
    ///
    /// ```
    /// let k = larder_compact::KeyData::from_bits(1 << 32).unwrap();
    /// assert_eq!(k.to_bits(), 1 << 32);
    /// ```
    pub const fn to_bits(self) -> u64 {
        (self.generation.get() as u64) << 32 | self.index as u64
    }

    /// The key from [`to_bits`](Self::to_bits); `None` if the generation half is zero.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_compact::KeyData::from_bits(5).is_none());
    /// ```
    pub const fn from_bits(bits: u64) -> Option<Self> {
        match NonZeroU32::new((bits >> 32) as u32) {
            Some(generation) => Some(KeyData {
                index: bits as u32,
                generation,
            }),
            None => None,
        }
    }
}

impl fmt::Debug for KeyData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}v{}", self.index, self.generation)
    }
}

/// A typed key of [`Slots`](crate::Slots). Make one with [`new_key_type!`](crate::new_key_type) so that keys of
/// different collections cannot be mixed up.
///
/// # Examples
///
/// ```
/// use larder_compact::{Key, KeyData};
///
/// larder_compact::new_key_type! { struct UserId; }
/// let k = UserId::from(KeyData::from_bits(1 << 32).unwrap());
/// assert_eq!(k.data().index(), 0);
/// ```
pub trait Key: Copy + Eq + Ord + Hash + fmt::Debug + From<KeyData> {
    /// The index and generation.
    fn data(self) -> KeyData;
}

/// Declares key types for [`Slots`](crate::Slots): 8-byte `Copy` newtypes of [`KeyData`].
///
/// # Examples
///
/// ```
/// use larder_compact::{Slots, new_key_type};
///
/// new_key_type! {
///     /// Keys of the users table.
///     pub struct UserId;
///     struct OrderId;
/// }
///
/// let mut users: Slots<UserId, &str> = Slots::new();
/// let ada = users.insert("Ada");
/// assert_eq!(users[ada], "Ada");
/// assert_eq!(size_of::<Option<OrderId>>(), 8);
/// ```
///
/// A key of one type does not index a collection of another:
///
/// ```compile_fail
/// use larder_compact::{Slots, new_key_type};
/// new_key_type! { struct A; struct B; }
/// let mut a: Slots<A, i32> = Slots::new();
/// let mut b: Slots<B, i32> = Slots::new();
/// let k = a.insert(1);
/// b.get(k);
/// ```
#[macro_export]
macro_rules! new_key_type {
    ($($(#[$meta:meta])* $vis:vis struct $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(transparent)]
        $vis struct $name($crate::KeyData);

        impl ::core::convert::From<$crate::KeyData> for $name {
            fn from(data: $crate::KeyData) -> Self {
                $name(data)
            }
        }

        impl $crate::Key for $name {
            fn data(self) -> $crate::KeyData {
                self.0
            }
        }
    )+};
}

new_key_type! {
    /// The key type to use when no typed key is needed.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut s = larder_compact::Slots::<larder_compact::DefaultKey, u8>::new();
    /// let k = s.insert(1);
    /// assert_eq!(s.get(k), Some(&1));
    /// ```
    pub struct DefaultKey;
}
