//! The admins' digest (issue 17, item 5): every day (configurable) one mail to each admin with
//! what needs the platform's staff: accounts whose Stripe deadline falls in the next 7 days,
//! accounts restricted or rejected since the last digest, webhook events given up and mails given
//! up since then. This module holds the rules; `app::admin_digest` gathers and sends.
//!
//! Each digest covers the time from the end of the one before, so nothing is reported twice and
//! nothing between two digests is missed; the deadlines are the state at sending time, since a
//! deadline matters until it passes.

/// What a digest lists about the accounts' deadlines: Stripe's deadline within this many seconds.
pub const DEADLINE_WINDOW_SECS: i64 = 7 * 24 * 60 * 60;

/// At most this many lines per section; the rest is counted, with a link to the console.
pub const LINES_PER_SECTION: i64 = 20;

/// An admin asking for a digest now gets one only when the last ended at least this long ago: a
/// second click, or two admins at once, does not mail everyone the same deadlines again.
pub const MANUAL_GAP_SECS: i64 = 5 * 60;

/// How many of each a digest reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DigestCounts {
    /// Accounts with Stripe's deadline in the next 7 days.
    pub deadlines: i64,
    /// Accounts whose status became restricted or rejected in the period.
    pub restricted: i64,
    /// Events given up in the period (and not retried since).
    pub failed_events: i64,
    /// Mails given up in the period.
    pub failed_mails: i64,
}

impl DigestCounts {
    /// Nothing to report: no mail is sent (the period still counts as reported).
    pub fn is_empty(&self) -> bool {
        *self == DigestCounts::default()
    }

    /// The mail's subject: what it holds, largest worry first.
    pub fn subject(&self) -> String {
        let parts: Vec<String> = [
            (self.restricted, "account restricted", "accounts restricted"),
            (self.deadlines, "deadline this week", "deadlines this week"),
            (self.failed_events, "failed event", "failed events"),
            (self.failed_mails, "failed mail", "failed mails"),
        ]
        .into_iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            "Platform digest: nothing needs you".to_string()
        } else {
            format!("Platform digest: {}", parts.join(", "))
        }
    }
}

/// Where the first digest starts: one interval back (a day by default), or a day when the
/// schedule is off and an admin asks for one.
pub fn first_period_start(now: i64, every_secs: i64) -> i64 {
    let every = if every_secs > 0 {
        every_secs
    } else {
        24 * 60 * 60
    };
    now - every
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_digest_is_not_mailed() {
        assert!(DigestCounts::default().is_empty());
        assert!(!DigestCounts {
            failed_mails: 1,
            ..DigestCounts::default()
        }
        .is_empty());
    }

    #[test]
    fn the_subject_counts_what_is_in_it_restrictions_first() {
        let counts = DigestCounts {
            deadlines: 2,
            restricted: 1,
            failed_events: 0,
            failed_mails: 3,
        };
        assert_eq!(
            counts.subject(),
            "Platform digest: 1 account restricted, 2 deadlines this week, 3 failed mails"
        );
        assert_eq!(
            DigestCounts::default().subject(),
            "Platform digest: nothing needs you"
        );
    }

    #[test]
    fn the_first_digest_looks_one_interval_back() {
        assert_eq!(first_period_start(100_000, 3_600), 96_400);
        assert_eq!(first_period_start(100_000, 0), 100_000 - 86_400);
    }
}
