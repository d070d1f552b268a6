#![doc = include_str!("../README.md")]
#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "bytes")]
mod bytes_impls;
mod chain;
mod common;
mod local;
mod reader;
mod storage;
mod str_view;
mod view;

pub use chain::ViewChain;
pub use common::RangeError;
pub use local::LocalView;
pub use reader::{LengthPrefix, ReadError, ReadErrorKind, Reader, Source};
pub use storage::{ViewBlock, ViewOwner, ViewStorage};
pub use str_view::{StrView, Utf8ViewError};
pub use view::ByteView;
