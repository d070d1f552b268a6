//! larder-object against its peers. (Rows arrive with the component.)

use crate::Pair;

/// The `object/…` pairs.
pub fn pairs() -> Vec<Pair> {
    Vec::new()
}
