//! Leak tracking: which taken items were never given back.
//!
//! Every pool always knows how many of its items are outstanding (`Stats::outstanding`).
//! With the `leak-backtrace` feature a [`LeakTracker`] also records a backtrace each time an
//! item is taken and forgets it when the item comes back, so [`LeakTracker::report`] can say
//! *where* every un-returned item was taken. Capturing a backtrace costs microseconds: this is
//! a debugging feature. Without it, [`LeakTracker::track`] and [`LeakTracker::untrack`]
//! compile to nothing and [`LeakToken`] is zero-sized.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

/// Records where outstanding items were taken (with feature `leak-backtrace`).
///
/// # Examples
///
/// ```
/// use larder_core::LeakTracker;
///
/// let tracker = LeakTracker::new();
/// let kept = tracker.track();
/// let lost = tracker.track();
/// tracker.untrack(kept);
/// let report = tracker.report(1);
/// assert_eq!(report.outstanding(), 1);
/// // With `leak-backtrace`, report.sites() holds one backtrace: where `lost` was taken.
/// # let _ = lost;
/// ```
#[derive(Default)]
pub struct LeakTracker {
    #[cfg(feature = "leak-backtrace")]
    inner: crate::sync::Mutex<Sites>,
}

#[cfg(feature = "leak-backtrace")]
#[derive(Default)]
struct Sites {
    next_id: u64,
    live: alloc::collections::BTreeMap<u64, std::backtrace::Backtrace>,
}

/// Proof that an item was tracked; hand it back to [`LeakTracker::untrack`].
///
/// Zero-sized without the `leak-backtrace` feature. Dropping a token without untracking it
/// keeps its site in the report (that is the point: the item was not given back).
///
/// # Examples
///
/// ```
/// let tracker = larder_core::LeakTracker::new();
/// let token: larder_core::LeakToken = tracker.track();
/// tracker.untrack(token);
/// ```
#[derive(Debug)]
#[must_use = "a token that is never untracked reports a leak"]
pub struct LeakToken {
    #[cfg(feature = "leak-backtrace")]
    id: u64,
}

impl LeakTracker {
    /// An empty tracker.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_core::LeakTracker::new().report(0).sites().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether backtraces are recorded (the `leak-backtrace` feature is on).
    ///
    /// # Examples
    ///
    /// ```
    /// let on = larder_core::LeakTracker::ENABLED;
    /// assert_eq!(on, cfg!(feature = "leak-backtrace"));
    /// ```
    pub const ENABLED: bool = cfg!(feature = "leak-backtrace");

    /// Records that an item is being taken here.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = larder_core::LeakTracker::new();
    /// let token = t.track();
    /// t.untrack(token);
    /// ```
    #[inline]
    pub fn track(&self) -> LeakToken {
        #[cfg(feature = "leak-backtrace")]
        {
            let mut sites = self.inner.lock();
            let id = sites.next_id;
            sites.next_id += 1;
            sites
                .live
                .insert(id, std::backtrace::Backtrace::force_capture());
            LeakToken { id }
        }
        #[cfg(not(feature = "leak-backtrace"))]
        LeakToken {}
    }

    /// Records that the item behind `token` came back.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = larder_core::LeakTracker::new();
    /// t.untrack(t.track());
    /// assert!(t.report(0).sites().is_empty());
    /// ```
    #[inline]
    pub fn untrack(&self, token: LeakToken) {
        #[cfg(feature = "leak-backtrace")]
        {
            self.inner.lock().live.remove(&token.id);
        }
        #[cfg(not(feature = "leak-backtrace"))]
        let _ = token;
    }

    /// A report of the outstanding items: `outstanding` is the owner's count (from its
    /// stats); the sites are the recorded backtraces, grouped, most frequent first.
    ///
    /// # Examples
    ///
    /// ```
    /// let t = larder_core::LeakTracker::new();
    /// let _leaked = t.track();
    /// let report = t.report(1);
    /// assert!(report.to_string().starts_with("1 item outstanding"));
    /// ```
    pub fn report(&self, outstanding: u64) -> LeakReport {
        #[cfg(not(feature = "leak-backtrace"))]
        let sites: Vec<LeakSite> = Vec::new();
        #[cfg(feature = "leak-backtrace")]
        let sites = {
            use alloc::string::ToString;
            let inner = self.inner.lock();
            let mut grouped: alloc::collections::BTreeMap<String, usize> = Default::default();
            for bt in inner.live.values() {
                *grouped.entry(bt.to_string()).or_default() += 1;
            }
            let mut sites: Vec<LeakSite> = grouped
                .into_iter()
                .map(|(backtrace, count)| LeakSite { count, backtrace })
                .collect();
            sites.sort_by_key(|s| core::cmp::Reverse(s.count));
            sites
        };
        LeakReport { outstanding, sites }
    }
}

impl fmt::Debug for LeakTracker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("LeakTracker");
        #[cfg(feature = "leak-backtrace")]
        d.field("tracked", &self.inner.lock().live.len());
        d.finish_non_exhaustive()
    }
}

/// One place where un-returned items were taken.
///
/// # Examples
///
/// ```
/// let t = larder_core::LeakTracker::new();
/// let _a = t.track();
/// for site in t.report(1).sites() {
///     println!("{} taken at\n{}", site.count, site.backtrace);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakSite {
    /// How many outstanding items were taken here.
    pub count: usize,
    /// The backtrace of the take, rendered.
    pub backtrace: String,
}

/// What [`LeakTracker::report`] found: a count, and the sites when backtraces are on.
///
/// # Examples
///
/// ```
/// let report = larder_core::LeakTracker::new().report(0);
/// assert!(report.is_clean());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakReport {
    outstanding: u64,
    sites: Vec<LeakSite>,
}

impl LeakReport {
    /// Items taken and not given back.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(larder_core::LeakTracker::new().report(3).outstanding(), 3);
    /// ```
    pub fn outstanding(&self) -> u64 {
        self.outstanding
    }

    /// Where they were taken (empty without `leak-backtrace`).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(larder_core::LeakTracker::new().report(0).sites().is_empty());
    /// ```
    pub fn sites(&self) -> &[LeakSite] {
        &self.sites
    }

    /// Whether nothing is outstanding.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(!larder_core::LeakTracker::new().report(1).is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.outstanding == 0
    }
}

impl fmt::Display for LeakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.outstanding == 1 { "" } else { "s" };
        write!(f, "{} item{s} outstanding", self.outstanding)?;
        if !LeakTracker::ENABLED {
            return write!(
                f,
                " (enable feature `leak-backtrace` to see where they were taken)"
            );
        }
        for site in &self.sites {
            write!(f, "\n{} taken at:\n{}", site.count, site.backtrace)?;
        }
        Ok(())
    }
}

#[cfg(all(test, not(larder_loom)))]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn tracking_pairs_up() {
        let t = LeakTracker::new();
        let tokens: Vec<_> = (0..5).map(|_| t.track()).collect();
        let mut it = tokens.into_iter();
        for token in it.by_ref().take(3) {
            t.untrack(token);
        }
        let leaked: Vec<_> = it.collect();
        let report = t.report(2);
        assert_eq!(report.outstanding(), 2);
        assert!(!report.is_clean());
        if LeakTracker::ENABLED {
            let total: usize = report.sites().iter().map(|s| s.count).sum();
            assert_eq!(total, 2, "two items were never untracked");
            assert!(report.to_string().contains("taken at"));
        } else {
            assert!(report.sites().is_empty());
            assert!(report.to_string().contains("leak-backtrace"));
            assert_eq!(core::mem::size_of::<LeakToken>(), 0);
        }
        drop(leaked);
    }

    #[test]
    fn plural() {
        assert!(
            LeakTracker::new()
                .report(2)
                .to_string()
                .starts_with("2 items outstanding")
        );
    }
}
