//! How many failed sign-ins we allow before asking a person (or a script) to wait.
//!
//! Counted per email address (protects one login from guessing) and per client address (slows a
//! script trying many logins). The counts come from the database so every server instance sees
//! the same numbers.

/// The window in which failures count.
pub const WINDOW_SECS: i64 = 15 * 60;
/// Failures allowed for one email address within the window.
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failures allowed from one client address within the window, across all emails.
pub const MAX_FAILURES_PER_CLIENT: i64 = 20;

/// What we know about recent failures for one sign-in attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecentFailures {
    pub for_email: i64,
    /// Unix time of the oldest failure for the email that still counts.
    pub email_oldest_at: Option<i64>,
    pub for_client: i64,
    /// Unix time of the oldest failure from the client address that still counts.
    pub client_oldest_at: Option<i64>,
}

/// `Ok(())` when the attempt may go ahead, otherwise the number of whole minutes to wait.
pub fn check(failures: RecentFailures, now: i64) -> Result<(), i64> {
    // Refused attempts are not recorded, so a blocked count stays at its limit and drops below it
    // when its oldest failure leaves the window.
    let wait_for = |count: i64, limit: i64, oldest: Option<i64>| {
        (count >= limit).then(|| oldest.unwrap_or(now) + WINDOW_SECS - now)
    };
    let wait_secs = [
        wait_for(
            failures.for_email,
            MAX_FAILURES_PER_EMAIL,
            failures.email_oldest_at,
        ),
        wait_for(
            failures.for_client,
            MAX_FAILURES_PER_CLIENT,
            failures.client_oldest_at,
        ),
    ]
    .into_iter()
    .flatten()
    .max();
    match wait_secs {
        None => Ok(()),
        Some(secs) => Err((secs.max(1) + 59) / 60),
    }
}

/// The message shown when an attempt is refused.
pub fn message(wait_minutes: i64) -> String {
    let unit = if wait_minutes == 1 {
        "minute"
    } else {
        "minutes"
    };
    format!("Too many failed sign-in attempts. Try again in {wait_minutes} {unit}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failures(for_email: i64, for_client: i64, oldest_at: Option<i64>) -> RecentFailures {
        RecentFailures {
            for_email,
            email_oldest_at: oldest_at,
            for_client,
            client_oldest_at: oldest_at,
        }
    }

    #[test]
    fn allows_below_the_limits() {
        assert_eq!(check(failures(0, 0, None), 1000), Ok(()));
        assert_eq!(
            check(failures(MAX_FAILURES_PER_EMAIL - 1, 19, Some(900)), 1000),
            Ok(())
        );
    }

    #[test]
    fn blocks_at_the_email_limit_until_the_oldest_failure_leaves_the_window() {
        let now = 10_000;
        assert_eq!(check(failures(5, 5, Some(now - 60)), now), Err(14));
        assert_eq!(
            check(failures(5, 5, Some(now - WINDOW_SECS + 30)), now),
            Err(1)
        );
    }

    #[test]
    fn blocks_at_the_client_limit() {
        assert!(check(failures(0, MAX_FAILURES_PER_CLIENT, Some(0)), 10).is_err());
    }

    #[test]
    fn waits_for_the_dimension_that_blocks() {
        let now = 10_000;
        let f = RecentFailures {
            for_email: 5,
            email_oldest_at: Some(now - 60),
            for_client: 3,
            client_oldest_at: Some(now - WINDOW_SECS + 10),
        };
        assert_eq!(check(f, now), Err(14));
    }

    #[test]
    fn message_is_plain() {
        assert_eq!(
            message(1),
            "Too many failed sign-in attempts. Try again in 1 minute."
        );
        assert_eq!(
            message(3),
            "Too many failed sign-in attempts. Try again in 3 minutes."
        );
    }
}
