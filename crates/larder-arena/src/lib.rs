#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "allocator-api2")]
mod api2;
mod arena;
mod boxed;
mod error;
mod methods;
mod policy;
#[cfg(feature = "std")]
mod pool;
mod scope;
mod vec;

pub use arena::{Arena, ArenaBuilder, ArenaStats, Checkpoint};
pub use boxed::ArenaBox;
pub use error::{ArenaError, CheckpointError};
pub use policy::GrowthPolicy;
#[cfg(feature = "std")]
pub use pool::{ArenaPool, ArenaPoolBuilder, OwnedArena, PooledArena};
pub use scope::Scope;
pub use vec::ArenaVec;
