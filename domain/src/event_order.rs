//! Whether an event's snapshot of an object may be written over what is stored.
//!
//! Stripe does not promise to deliver events in order, and may deliver one more than once
//! (docs.stripe.com/webhooks: "Event ordering", "Handle duplicate events"). An object stored from
//! events and reads remembers the newest event written (`last_event_at`, the event's `created`)
//! and Stripe's time of the newest read (`fetched_at`, the response's `Date`). Both are Stripe's
//! clock, in seconds.

/// What to do with an event's snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Newer than everything stored: write the snapshot.
    Apply,
    /// Older than an event already written: what is stored is newer.
    Skip,
    /// Same second as what is stored: which is newer cannot be told, read the object instead.
    Fetch,
}

/// `stored`: `(last_event_at, fetched_at)` of the stored object, `None` when there is none.
pub fn decide(stored: Option<(i64, i64)>, event_created: i64) -> Decision {
    match stored {
        None => Decision::Apply,
        Some((last_event_at, _)) if event_created < last_event_at => Decision::Skip,
        Some((last_event_at, fetched_at))
            if event_created == last_event_at || event_created <= fetched_at =>
        {
            Decision::Fetch
        }
        Some(_) => Decision::Apply,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_applies_older_skips_ties_read_again() {
        assert_eq!(decide(None, 5), Decision::Apply);
        assert_eq!(decide(Some((10, 0)), 11), Decision::Apply);
        assert_eq!(decide(Some((10, 0)), 9), Decision::Skip);
        assert_eq!(decide(Some((10, 0)), 10), Decision::Fetch);
        // A read at Stripe's second 20 may reflect an event of second 15 or not.
        assert_eq!(decide(Some((10, 20)), 15), Decision::Fetch);
        assert_eq!(decide(Some((10, 20)), 21), Decision::Apply);
    }
}
