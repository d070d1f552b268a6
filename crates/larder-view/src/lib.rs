#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]
