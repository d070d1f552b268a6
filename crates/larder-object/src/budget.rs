//! The budget side of [`Pool`]: reserving and giving back the credit that lets thread
//! caches keep objects within `Limits` (see "Limits, thread caches included" in the crate
//! docs).

use crate::local::LocalInner;
use crate::pool::Pool;
use crate::shared::Reservoir;

impl<T: Send> Pool<T> {
    /// Reserves room for one object of `bytes` directly in the budget.
    pub(crate) fn reserve_exact(&self, bytes: usize) -> bool {
        let objects_ok = self.objects.as_ref().is_none_or(|r| r.reserve(1, 1) == 1);
        if !objects_ok {
            return false;
        }
        let bytes_ok = self
            .bytes
            .as_ref()
            .is_none_or(|r| r.reserve(bytes, bytes) == bytes);
        if !bytes_ok {
            if let Some(r) = &self.objects {
                r.release(1);
            }
        }
        bytes_ok
    }

    /// Makes sure the cache has budget for one more object of `bytes`.
    pub(crate) fn ensure_credit(&self, inner: &mut LocalInner<T>, bytes: usize) -> bool {
        let reserve = |r: &Reservoir, need: usize| {
            let want = need.saturating_add(r.grain);
            match r.reserve(need, want) {
                0 => {
                    self.reclaim_orphan_credit();
                    r.reserve(need, want)
                }
                got => got,
            }
        };
        if let Some(r) = &self.objects {
            if inner.cache.len() >= inner.credit_objects {
                match reserve(r, 1) {
                    0 => return false,
                    got => inner.set_credit_objects(inner.credit_objects + got),
                }
            }
        }
        if let Some(r) = &self.bytes {
            let free = inner.credit_bytes - inner.bytes;
            if bytes > free {
                match reserve(r, bytes - free) {
                    0 => return false,
                    got => inner.credit_bytes += got,
                }
            }
        }
        true
    }

    /// Gives back budget a cache holds beyond its objects plus one grain.
    #[cold]
    pub(crate) fn return_excess_credit(&self, inner: &mut LocalInner<T>) {
        if let Some(r) = &self.objects {
            let keep = inner.cache.len() + r.grain;
            if inner.credit_objects > keep {
                r.release(inner.credit_objects - keep);
                inner.set_credit_objects(keep);
            }
        }
        if let Some(r) = &self.bytes {
            let keep = inner.bytes.saturating_add(r.grain);
            if inner.credit_bytes > keep {
                r.release(inner.credit_bytes - keep);
                inner.credit_bytes = keep;
            }
        }
    }

    pub(crate) fn release_budget(&self, objects: usize, bytes: usize) {
        if let Some(r) = &self.objects {
            r.release(objects);
        }
        if let Some(r) = &self.bytes {
            r.release(bytes);
        }
    }

    /// Takes back the budget exited threads' caches hold beyond their objects.
    #[cold]
    pub(crate) fn reclaim_orphan_credit(&self) {
        self.for_each_orphan(|_, inner| {
            if let Some(r) = &self.objects {
                r.release(inner.credit_objects - inner.cache.len());
                inner.set_credit_objects(inner.cache.len());
            }
            if let Some(r) = &self.bytes {
                r.release(inner.credit_bytes - inner.bytes);
                inner.credit_bytes = inner.bytes;
            }
        });
    }
}
