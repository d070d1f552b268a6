//! larder-view against its peers. (Rows arrive with the component.)

use crate::Pair;

/// The `view/…` pairs.
pub fn pairs() -> Vec<Pair> {
    Vec::new()
}
