#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;

mod atomic;
mod bitset;
mod collect;
mod iter;
mod key;
pub mod packed;
pub mod slots;
pub mod tree;
mod view;
mod words;

pub use atomic::AtomicBitSet;
pub use bitset::{BitSet, BitSetError};
pub use collect::{Collection, Collector, StaleRoot, Tracer};
pub use iter::{Ones, Zeros};
pub use key::{DefaultKey, Key, KeyData};
pub use packed::PackedInts;
pub use slots::Slots;
pub use tree::{NodeId, Tree, TreeError};
pub use view::{BitSetRef, Ranked};
pub use words::word_kernel;
