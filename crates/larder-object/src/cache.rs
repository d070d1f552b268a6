//! The thread-cache machinery behind [`Pool`]'s public operations: finding this thread's
//! cache, the fast and slow paths of taking and returning, batch moves, budget credit and
//! aging.
//!
//! Rule for everything holding a `&mut LocalInner`: no user code (factory, reset,
//! validity check, size function, `T`'s `Drop`) runs while it is held; objects to drop are
//! collected into a `Vec` and dropped afterwards. User code may use the pool, or evict this
//! thread's cache from its slot, either of which would otherwise alias the cache or hand it
//! to another thread while it is in use.

use larder_core::Counter;
use larder_core::sync::Arc;
use larder_core::sync::atomic::{AtomicPtr, Ordering};

use crate::Boxed;
use crate::local::{CLAIMED, Local, LocalInner, OWNED};
use crate::pool::{PUBLISHED, Pool, UNBOUNDED};
use crate::tls::{self, ExitGuard, LocalHead, with_slot};

impl<T: Send> Pool<T> {
    /// This thread's cache for this pool, when installed in its slot.
    #[inline(always)]
    pub(crate) fn installed(&self) -> Option<&Local<T>> {
        self.with_published((), |local, ()| Some(local), |()| self.installed_in_slot())
    }

    /// The published entry of the threads with id `id`, after the first entry (which
    /// belongs to whichever thread published there first).
    #[inline(always)]
    fn entry_of(&self, id: u64) -> &AtomicPtr<LocalHead> {
        &self.published[1 + (id % (PUBLISHED as u64 - 1)) as usize]
    }

    /// Runs `hit` on this thread's published cache, else `miss`, handing either `carry`:
    /// the cache in the first entry (reached without waiting for the thread id, which is
    /// only compared: the fastest path, for the thread that published first), else in its
    /// own entry, when this thread owns it.
    ///
    /// Branches rather than returning an `Option`: the compiler cannot tell that a
    /// published cache is not null, and would test it again.
    #[inline(always)]
    fn with_published<'a, C, R>(
        &'a self,
        carry: C,
        hit: impl FnOnce(&'a Local<T>, C) -> R,
        miss: impl FnOnce(C) -> R,
    ) -> R {
        let id = tls::thread_id();
        let mut ptr = self.published[0].load(Ordering::Acquire);
        if !Self::owned_by(ptr, id) {
            ptr = self.entry_of(id).load(Ordering::Acquire);
            if !Self::owned_by(ptr, id) {
                return miss(carry);
            }
        }
        // SAFETY: the owner matched, so `ptr` is not the vacant head but the head of a
        // `Local<T>` (its first field, `#[repr(C)]`) in this pool's registry, alive for as
        // long as the pool, which `&self` borrows.
        hit(unsafe { &*ptr.cast::<Local<T>>() }, carry)
    }

    /// Unpublishes every published cache (`trim` and `tick`: published caches skip the
    /// generation check, so their owners must sync at their next operation, and publish
    /// them again).
    pub(crate) fn unpublish(&self) {
        for entry in &self.published {
            entry.store(self.vacant_ptr(), Ordering::Release);
        }
    }

    /// What an empty published entry points to.
    #[inline]
    pub(crate) fn vacant_ptr(&self) -> *mut LocalHead {
        core::ptr::from_ref::<LocalHead>(&self.vacant).cast_mut()
    }

    /// Runs `hit` on this thread's cache when a fast path may use it, else `miss`: the
    /// published one (`trim` and `tick` unpublish every entry, so a published cache is
    /// never behind them), else the one in the slot, when it has seen the pool's latest
    /// generation.
    #[inline(always)]
    fn with_current<C, R>(
        &self,
        carry: C,
        hit: impl FnOnce(&Local<T>, C) -> R,
        miss: impl FnOnce(C) -> R,
    ) -> R {
        // `hit` is wanted on both paths, so it travels with `carry` into the miss path.
        self.with_published(
            (carry, hit),
            |local, (carry, hit)| hit(local, carry),
            |(carry, hit)| match self.current_in_slot() {
                Some(local) => hit(local, carry),
                None => miss(carry),
            },
        )
    }

    /// Whether the published head `ptr` (loaded from an entry with acquire, which pairs
    /// with the release store that published it) is the cache of thread `id`.
    #[inline(always)]
    fn owned_by(ptr: *mut LocalHead, id: u64) -> bool {
        // SAFETY: a published pointer points to the head of a cache in this pool's
        // registry or to the pool's `vacant` head, both alive for as long as the pool,
        // which the caller borrows.
        let head = unsafe { &*ptr };
        // Only the owning thread writes its id there, so reading ours means the cache is in
        // our slot and ours to use (see `LocalHead::owner`). No thread has id 0 (it means
        // "none yet") and no owner is 0, so a thread without an id never matches; the
        // vacant head's owner is `NO_OWNER`, which is no thread's id.
        head.owner.load(Ordering::Relaxed) == id
    }

    /// The slot path of [`with_current`](Self::with_current), for threads whose published
    /// entry holds another thread's cache: out of line, so that the published path keeps
    /// its registers.
    #[inline(never)]
    fn current_in_slot(&self) -> Option<&Local<T>> {
        let local = self.installed_in_slot()?;
        let generation = self.generation.load(Ordering::Relaxed);
        self.with_inner(local, |inner| inner.seen_generation == generation)
            .then_some(local)
    }

    /// Publishes this thread's freshly synced cache in the first entry, or else in its
    /// own, whichever is empty first (never used, or a `trim` or `tick` unpublished it).
    fn publish(&self, local: &Local<T>, inner: &LocalInner<T>) {
        let id = tls::thread_id();
        if local.head.owner.load(Ordering::Relaxed) != id {
            return;
        }
        let ptr = core::ptr::from_ref(local).cast_mut().cast::<LocalHead>();
        let vacant = self.vacant_ptr();
        for entry in [&self.published[0], self.entry_of(id)] {
            let now = entry.load(Ordering::Relaxed);
            if now == ptr {
                return;
            }
            if now != vacant {
                continue;
            }
            let published = entry
                .compare_exchange(vacant, ptr, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok();
            if !published {
                continue;
            }
            // A `trim` or `tick` may have come between the sync and the publication; then
            // it may also have unpublished before we published, so take it back (the
            // acquire above makes its generation visible if its unpublishing came first).
            if self.generation.load(Ordering::Acquire) != inner.seen_generation {
                let _ = entry.compare_exchange(ptr, vacant, Ordering::Release, Ordering::Relaxed);
            }
            return;
        }
    }

    /// [`installed`](Self::installed) through the slot table.
    #[inline(always)]
    fn installed_in_slot(&self) -> Option<&Local<T>> {
        let ptr = with_slot(self.slot, |slot| {
            (slot.tag.get() == self.tag).then(|| slot.local.get())
        })
        .flatten()?;
        // SAFETY: the tag is this pool's and unique, so the slot holds a reference from
        // `Arc::into_raw` of this pool's `Local<T>`. The pool's registry holds another
        // reference for as long as the pool lives, which `&self` outlives.
        Some(unsafe { &*ptr.cast::<Local<T>>() })
    }

    /// Runs `f` on the cache's contents.
    ///
    /// `local` must be this thread's installed cache (or one it claimed), and `f` must not
    /// run user code (see the module docs).
    #[inline(always)]
    pub(crate) fn with_inner<R>(
        &self,
        local: &Local<T>,
        f: impl FnOnce(&mut LocalInner<T>) -> R,
    ) -> R {
        local.inner.with_mut(|inner| {
            // SAFETY: this thread is the cache's only user (it is OWNED by this thread's
            // slot, or CLAIMED by this thread), and `f` runs no code that could reach it.
            f(unsafe { &mut *inner })
        })
    }

    // ---- taking ---------------------------------------------------------------------

    /// Pops the top of this thread's cache, when the fast path applies.
    #[inline(always)]
    pub(crate) fn pop_fast(&self) -> Option<Boxed<T>> {
        self.with_current(
            (),
            |local, ()| {
                self.with_inner(local, |inner| {
                    let value = inner.cache.pop()?;
                    self.after_pop(local, inner);
                    Some(value)
                })
            },
            |()| None,
        )
    }

    /// Bookkeeping of a hit, after the object left `inner.cache`.
    #[inline(always)]
    fn after_pop(&self, local: &Local<T>, inner: &mut LocalInner<T>) {
        local.tally.hits.add(1);
        // One compare against `pop_mark = max(low, take_mark)`, which this cache keeps in
        // step: in steady state the length stays at or above both, so a hit does nothing
        // more (see `after_pop_slow` for what crossing either mark means).
        if inner.cache.len() < inner.pop_mark {
            self.after_pop_slow(local, inner);
        }
    }

    /// The rest of a hit that left the cache below its low-water mark or its take mark;
    /// out of line, so that other hits do not pay for its registers.
    ///
    /// Below the low-water mark, the mark moves down. The take mark is the credit less
    /// `take_slack`, which is `slack_objects` without a size function: two grains of the
    /// object bound, or `UNBOUNDED` like the credit of unbounded pools, whose mark is then
    /// 0 and never crossed. Bounded pools cross it when they hold more credit than that
    /// beyond their objects. With a size function the slack is 0 and the credit always
    /// above the objects left after a pop, so every hit crosses it (the byte side).
    #[inline(never)]
    fn after_pop_slow(&self, local: &Local<T>, inner: &mut LocalInner<T>) {
        let len = inner.cache.len();
        if len < inner.low {
            inner.set_low(len);
        }
        if len >= inner.take_mark {
            return;
        }
        if self.size_fn.is_none() {
            return self.return_excess_credit(inner);
        }
        let bytes = inner.sizes.pop().unwrap_or(0);
        inner.bytes -= bytes;
        local.tally.bytes.add((bytes as u64).wrapping_neg());
        if len + self.slack_objects < inner.credit_objects
            || inner.bytes.saturating_add(self.slack_bytes) < inner.credit_bytes
        {
            self.return_excess_credit(inner);
        }
    }

    /// Everything `get` does when the fast path does not apply: the slow path, else the
    /// factory.
    #[cold]
    #[inline(never)]
    pub(crate) fn take_slow_or_create(&self) -> Boxed<T> {
        self.take_slow(true).unwrap_or_else(|| self.create())
    }

    #[cold]
    #[inline(never)]
    pub(crate) fn take_slow(&self, create: bool) -> Option<Boxed<T>> {
        if let Some(local) = self.installed().or_else(|| self.install()) {
            let mut drops = Vec::new();
            let got = self.with_inner(local, |inner| {
                self.sync(local, inner, &mut drops);
                if inner.cache.is_empty() {
                    self.refill(local, inner);
                }
                let value = inner.cache.pop()?;
                self.after_pop(local, inner);
                Some(value)
            });
            drop(drops);
            if got.is_some() {
                return got;
            }
        }
        create.then(|| self.create())
    }

    pub(crate) fn create(&self) -> Boxed<T> {
        let value = Boxed::new((self.factory)());
        self.tally.created.add_shared(1);
        self.tally.misses.add_shared(1);
        value
    }

    /// Moves the oldest full magazine of the shared layer into an empty cache.
    fn refill(&self, local: &Local<T>, inner: &mut LocalInner<T>) {
        let Some((mut magazine, n, bytes)) = self.depot.pop() else {
            return;
        };
        debug_assert!(inner.cache.is_empty() && n <= self.cache_size);
        inner.cache.append(&mut magazine.values);
        inner.sizes.append(&mut magazine.sizes);
        self.depot.recycle_magazine(magazine);
        if self.objects.is_some() {
            inner.set_credit_objects(inner.credit_objects + n);
        }
        if self.bytes.is_some() {
            inner.credit_bytes += bytes;
        }
        inner.bytes += bytes;
        local.tally.bytes.add(bytes as u64);
        local.tally.batch_in.add(n as u64);
    }

    // ---- returning ------------------------------------------------------------------

    /// Recycles the object and keeps it or drops it (also when a hook panics: the object
    /// is then dropped and counted rejected).
    #[inline(always)]
    pub(crate) fn give_back_box(&self, mut value: Boxed<T>) {
        // The common cases, kept small: reset, then onto this thread's cache. A hook in
        // `plain_reset` means a plain pool, so the hook's test is the only one.
        if let Some(reset) = &self.plain_reset {
            let on_unwind = CountOnUnwind(&self.tally.dropped_rejected);
            reset(&mut value);
            core::mem::forget(on_unwind);
            self.keep_plain(value);
        } else if self.plain_return {
            // Its own copy of the push rather than a join with the arm above: joined, the
            // hooked return measured one instruction more.
            self.keep_plain(value);
        } else {
            self.give_back_general(value, false, true);
        }
    }

    /// The plain return of an object already reset: onto this thread's cache, else the
    /// general path.
    #[inline(always)]
    fn keep_plain(&self, value: Boxed<T>) {
        if let Err(value) = self.keep_fast::<false>(value, 0) {
            self.give_back_general(value, true, true);
        }
    }

    /// [`give_back_box`](Self::give_back_box) without the reset hook (the caller reset the
    /// object).
    #[inline(always)]
    pub(crate) fn give_back_reset_box(&self, value: Boxed<T>) {
        // No test of `plain_return` here: the caches of other pools refuse every plain
        // return (their `plain_keep_limit` is 0), which sends it to the general path.
        if let Err(value) = self.keep_fast::<false>(value, 0) {
            self.give_back_general(value, self.plain_return, false);
        }
    }

    /// [`give_back_box`](Self::give_back_box) for every case: `reset_done` says the
    /// common case already reset the object (with a trivial policy and no size function);
    /// `run_hook` whether the reset hook is still to run (false when the caller reset the
    /// object itself).
    #[inline(never)]
    fn give_back_general(&self, mut value: Boxed<T>, reset_done: bool, run_hook: bool) {
        // Should a hook panic, `value` is dropped by the unwinding and this counts it.
        let on_unwind = CountOnUnwind(&self.tally.dropped_rejected);
        let hook = self.reset.as_ref().filter(|_| run_hook);
        let kept = if reset_done {
            true
        } else if self.trivial_policy {
            if let Some(reset) = hook {
                reset(&mut value);
            }
            true
        } else {
            let reset = |v: &mut T| {
                if let Some(reset) = hook {
                    reset(v);
                }
            };
            self.policy.recycle(&mut value, reset).is_ok()
        };
        let bytes = match self.size_fn {
            Some(size) if kept => size(&value),
            _ => 0,
        };
        core::mem::forget(on_unwind);
        if kept && !reset_done {
            match self.keep_fast::<true>(value, bytes) {
                Ok(()) => return,
                Err(back) => value = back,
            }
        }
        if kept {
            self.keep_slow(value, bytes);
        } else {
            self.tally.dropped_rejected.add_shared(1);
            drop(value);
        }
    }

    /// Pushes the object onto this thread's cache when nothing stands in the way, else
    /// hands it back. `MAY_SIZE` false is the plain return path: it keeps only below
    /// `plain_keep_limit` (0 unless the pool's returns are plain, so never without a size
    /// function, `bytes` being 0), and skips the size bookkeeping.
    #[inline(always)]
    fn keep_fast<const MAY_SIZE: bool>(
        &self,
        value: Boxed<T>,
        bytes: usize,
    ) -> Result<(), Boxed<T>> {
        self.with_current(
            value,
            |local, value| self.keep_in::<MAY_SIZE>(local, value, bytes),
            Err,
        )
    }

    /// The return of an object already reset onto this thread's published cache, when it
    /// has one with room: no call on any path, so that callers can make their slower path
    /// a last call (see [`Pool::try_keep_reset`]).
    #[inline(always)]
    pub(crate) fn keep_published(&self, value: Boxed<T>) -> Result<(), Boxed<T>> {
        self.with_published(
            value,
            |local, value| self.keep_in::<false>(local, value, 0),
            Err,
        )
    }

    /// [`keep_fast`](Self::keep_fast) once this thread's cache is found.
    #[inline(always)]
    fn keep_in<const MAY_SIZE: bool>(
        &self,
        local: &Local<T>,
        value: Boxed<T>,
        bytes: usize,
    ) -> Result<(), Boxed<T>> {
        self.with_inner(local, |inner| {
            let len = inner.cache.len();
            let limit = if MAY_SIZE {
                inner.keep_limit
            } else {
                inner.plain_keep_limit
            };
            if len >= limit
                || (MAY_SIZE
                    && bytes != 0
                    && bytes > inner.credit_bytes.saturating_sub(inner.bytes))
            {
                return Err(value);
            }
            debug_assert!(len < inner.cache.capacity());
            // SAFETY: `len < limit <= keep_limit <= cache_size <= capacity` (the cache is allocated
            // with capacity `cache_size` and only the pool's `Drop` takes it away), so slot
            // `len` is allocated and unused; writing the box there and growing the length
            // by one hands it over.
            unsafe {
                inner.cache.as_mut_ptr().add(len).write(value);
                inner.cache.set_len(len + 1);
            }
            if MAY_SIZE && self.size_fn.is_some() {
                inner.sizes.push(bytes);
                inner.bytes += bytes;
                local.tally.bytes.add(bytes as u64);
            }
            local.tally.returned.add(1);
            Ok(())
        })
    }

    /// Pushes onto the cache; the caller checked room and credit.
    #[inline]
    fn push(&self, local: &Local<T>, inner: &mut LocalInner<T>, value: Boxed<T>, bytes: usize) {
        debug_assert!(inner.cache.len() < inner.cache.capacity());
        inner.cache.push(value);
        if self.size_fn.is_some() {
            inner.sizes.push(bytes);
            inner.bytes += bytes;
            local.tally.bytes.add(bytes as u64);
        }
        local.tally.returned.add(1);
    }

    #[cold]
    #[inline(never)]
    fn keep_slow(&self, value: Boxed<T>, bytes: usize) {
        let Some(local) = self.installed().or_else(|| self.install()) else {
            return self.keep_without_cache(value, bytes);
        };
        let mut drops = Vec::new();
        let refused = self.with_inner(local, |inner| {
            self.sync(local, inner, &mut drops);
            if inner.cache.len() >= self.cache_size {
                self.flush(local, inner);
            }
            if !self.ensure_credit(inner, bytes) {
                return Some(value);
            }
            self.push(local, inner, value, bytes);
            None
        });
        if refused.is_some() {
            self.tally.dropped_full.add_shared(1);
        }
        drop(refused);
        drop(drops);
    }

    /// The return path when this thread has no cache (its thread-locals are being
    /// destroyed): one object straight to the shared layer, within the limits.
    #[cold]
    fn keep_without_cache(&self, value: Boxed<T>, bytes: usize) {
        if self.reserve_exact(bytes) {
            let mut magazine = self.depot.empty_magazine();
            magazine.values.push(value);
            if self.size_fn.is_some() {
                magazine.sizes.push(bytes);
            }
            self.depot.push(magazine);
            self.tally.returned.add_shared(1);
        } else {
            self.tally.dropped_full.add_shared(1);
            drop(value);
        }
    }

    /// Moves the oldest batch of a full cache to the shared layer.
    fn flush(&self, local: &Local<T>, inner: &mut LocalInner<T>) {
        let n = self.batch.min(inner.cache.len());
        let mut magazine = self.depot.empty_magazine();
        magazine.values.extend(inner.cache.drain(..n));
        if self.size_fn.is_some() {
            magazine.sizes.extend(inner.sizes.drain(..n));
        }
        let bytes = magazine.bytes();
        inner.bytes -= bytes;
        if self.objects.is_some() {
            inner.set_credit_objects(inner.credit_objects - n);
        }
        if self.bytes.is_some() {
            inner.credit_bytes -= bytes;
        }
        inner.set_low(inner.low.saturating_sub(n));
        local.tally.bytes.add((bytes as u64).wrapping_neg());
        local.tally.batch_out.add(n as u64);
        self.depot.push(magazine);
    }

    // ---- trim and aging -------------------------------------------------------------

    /// Releases the `n` oldest cached objects into `drops`, with their budget.
    fn release(
        &self,
        local: &Local<T>,
        inner: &mut LocalInner<T>,
        n: usize,
        drops: &mut Vec<Boxed<T>>,
    ) {
        if n == 0 {
            return;
        }
        drops.extend(inner.cache.drain(..n));
        let bytes: usize = inner.sizes.drain(..n.min(inner.sizes.len())).sum();
        inner.bytes -= bytes;
        if self.objects.is_some() {
            inner.set_credit_objects(inner.credit_objects - n);
        }
        if self.bytes.is_some() {
            inner.credit_bytes -= bytes;
        }
        self.release_budget(n, bytes);
        local.tally.bytes.add((bytes as u64).wrapping_neg());
        local.tally.released.add(n as u64);
    }

    /// Applies the trims and ticks this cache has not seen yet.
    pub(crate) fn sync(
        &self,
        local: &Local<T>,
        inner: &mut LocalInner<T>,
        drops: &mut Vec<Boxed<T>>,
    ) {
        let generation = self.generation.load(Ordering::Acquire);
        if inner.seen_generation == generation {
            return;
        }
        let trims = self.trims.load(Ordering::Relaxed);
        let ticks = self.ticks.load(Ordering::Relaxed);
        if trims != inner.seen_trims {
            self.release(local, inner, inner.cache.len(), drops);
        } else {
            // Each tick releases what stayed below the low-water mark for the whole
            // interval it ends; a cache that missed two ticks was idle for a whole one.
            for _ in 0..ticks.wrapping_sub(inner.seen_ticks).min(2) {
                self.release(local, inner, inner.low, drops);
                inner.set_low(inner.cache.len());
            }
        }
        inner.set_low(inner.low.min(inner.cache.len()));
        inner.seen_generation = generation;
        inner.seen_trims = trims;
        inner.seen_ticks = ticks;
        self.return_excess_credit(inner);
        self.publish(local, inner);
    }

    /// Brings this thread's cache and the exited threads' caches up to date.
    pub(crate) fn sync_reachable(&self, drops: &mut Vec<Boxed<T>>) {
        if let Some(local) = self.installed() {
            self.with_inner(local, |inner| self.sync(local, inner, drops));
        }
        self.for_each_orphan(|local, inner| self.sync(local, inner, drops));
    }

    /// Runs `f` on every orphaned cache this thread can claim.
    pub(crate) fn for_each_orphan(&self, mut f: impl FnMut(&Local<T>, &mut LocalInner<T>)) {
        for local in self.registry.lock().iter() {
            if local.claim(CLAIMED) {
                self.with_inner(local, |inner| f(local, inner));
                local.orphan();
            }
        }
    }

    // ---- installing a cache ---------------------------------------------------------

    fn new_local(&self) -> Local<T> {
        let local = Local::new(
            OWNED,
            self.cache_size,
            self.size_fn.is_some(),
            self.plain_return,
            if self.objects.is_some() { 0 } else { UNBOUNDED },
            // A size function leaves no slack: every hit has byte bookkeeping to do.
            if self.size_fn.is_some() {
                0
            } else {
                self.slack_objects
            },
            if self.bytes.is_some() { 0 } else { UNBOUNDED },
        );
        let generation = self.generation.load(Ordering::Acquire);
        local.inner.with_mut(|inner| {
            // SAFETY: the cache was just made; nothing else can reach it yet.
            let inner = unsafe { &mut *inner };
            inner.seen_generation = generation;
            inner.seen_ticks = self.ticks.load(Ordering::Relaxed);
            inner.seen_trims = self.trims.load(Ordering::Relaxed);
        });
        local
    }

    /// Gives this thread a cache for this pool (an exited thread's, or a new one) and puts
    /// it in the slot; `None` when this thread's thread-locals are gone.
    #[cold]
    fn install(&self) -> Option<&Local<T>> {
        let local = {
            let mut registry = self.registry.lock();
            match registry.iter().find(|l| l.claim(OWNED)) {
                Some(orphan) => orphan.clone(),
                None => {
                    let local = Arc::new(self.new_local());
                    registry.push(local.clone());
                    local
                }
            }
        };
        let raw = Arc::into_raw(local);
        let id = tls::assign_thread_id();
        let installed = id != 0
            && ExitGuard::arm()
            && with_slot(self.slot, |slot| {
                // SAFETY: `raw` is an owned reference from `Arc::into_raw` of a `Local<T>`,
                // whose head's `release` is `release_local::<T>`; the slot takes it over.
                unsafe { slot.replace(self.tag, raw.cast()) }
            })
            .is_some();
        if !installed {
            // SAFETY: the slot did not take the reference; take it back to release it.
            let local = unsafe { Arc::from_raw(raw) };
            local.orphan();
            return None;
        }
        // SAFETY: the registry holds a reference for as long as the pool lives.
        let local = unsafe { &*raw };
        local.head.owner.store(id, Ordering::Relaxed);
        // The first cache installed takes the first entry; any other takes over its own
        // entry, so a thread reaches its cache without the slot table even when an exited
        // thread's cache (now another thread's, or nobody's) held that entry. Entries are
        // only hints: the fast path trusts one only after reading its own id as the owner.
        // Release pairs with the acquire in `with_published`; acquire makes a `trim` or `tick`
        // that unpublished the entry before visible to the `sync` that follows every
        // install, so a cache published here always catches up before its fast path is
        // used.
        let raw_mut = raw.cast_mut().cast::<LocalHead>();
        if self.published[0]
            .compare_exchange(
                self.vacant_ptr(),
                raw_mut,
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .is_err()
        {
            self.entry_of(id).swap(raw_mut, Ordering::AcqRel);
        }
        Some(local)
    }
}

/// Counts an object rejected if a hook panics while the pool recycles it (the unwinding
/// drops the object itself).
struct CountOnUnwind<'a>(&'a Counter);

impl Drop for CountOnUnwind<'_> {
    fn drop(&mut self) {
        self.0.add_shared(1);
    }
}
