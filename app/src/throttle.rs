//! How many costly attempts (password checks, sign-ups) we allow before asking a person (or a
//! script) to wait.
//!
//! Each limit allows `max` attempts per `window_secs` for one key (an email address, a client
//! address, or everyone). The attempt is counted *before* the work is done: it takes one of the
//! key's `max` slots, and a slot is free again once the attempt that took it is older than the
//! window. Taking a slot is one conditional write in the database (`db::attempt_slots`), so
//! concurrent attempts cannot all pass a count read before any of them was recorded, and every
//! server instance on one database shares the same slots.

use std::net::IpAddr;

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Password checks (sign-in and every re-check of the current password) for one email.
    PasswordPerEmail,
    /// Password checks from one client address, across all emails.
    PasswordPerClient,
    /// New logins from one client address.
    SignUpPerClient,
    /// New logins from anyone.
    SignUpOverall,
    /// Mailed links asked for one address (password resets, confirmation resends).
    MailPerEmail,
    /// Mailed links asked for from one client address.
    MailPerClient,
}

impl Scope {
    /// The name stored in `attempt_slots.scope`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::PasswordPerEmail => "password_email",
            Scope::PasswordPerClient => "password_client",
            Scope::SignUpPerClient => "sign_up_client",
            Scope::SignUpOverall => "sign_up_all",
            Scope::MailPerEmail => "mail_email",
            Scope::MailPerClient => "mail_client",
        }
    }
}

/// At most `max` attempts per `window_secs` for one key of `scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub scope: Scope,
    pub max: i64,
    pub window_secs: i64,
}

/// The window in which failed password checks count.
pub const PASSWORD_WINDOW_SECS: i64 = 15 * 60;
/// The window in which sign-ups count.
pub const SIGN_UP_WINDOW_SECS: i64 = 60 * 60;
/// The longest window of any limit: slots older than this are free whatever their scope.
pub const LONGEST_WINDOW_SECS: i64 = SIGN_UP_WINDOW_SECS;

/// The limits in force (the server crate reads them from the environment).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub password_per_email: Limit,
    pub password_per_client: Limit,
    pub sign_up_per_client: Limit,
    pub sign_up_overall: Limit,
    /// Fixed: 5 mailed links per address and 20 per client address an hour (each is a mail in
    /// someone's inbox).
    pub mail_per_email: Limit,
    pub mail_per_client: Limit,
}

impl Limits {
    pub fn new(
        password_failures_per_email: i64,
        password_failures_per_client: i64,
        sign_ups_per_client: i64,
        sign_ups_overall: i64,
    ) -> Limits {
        let limit = |scope, max: i64, window_secs| Limit {
            scope,
            max: max.max(1),
            window_secs,
        };
        Limits {
            password_per_email: limit(
                Scope::PasswordPerEmail,
                password_failures_per_email,
                PASSWORD_WINDOW_SECS,
            ),
            password_per_client: limit(
                Scope::PasswordPerClient,
                password_failures_per_client,
                PASSWORD_WINDOW_SECS,
            ),
            sign_up_per_client: limit(
                Scope::SignUpPerClient,
                sign_ups_per_client,
                SIGN_UP_WINDOW_SECS,
            ),
            sign_up_overall: limit(Scope::SignUpOverall, sign_ups_overall, SIGN_UP_WINDOW_SECS),
            mail_per_email: limit(Scope::MailPerEmail, 5, SIGN_UP_WINDOW_SECS),
            mail_per_client: limit(Scope::MailPerClient, 20, SIGN_UP_WINDOW_SECS),
        }
    }
}

impl Default for Limits {
    /// 5 failed password checks per email and 20 per client address in 15 minutes; 20 sign-ups
    /// per client address and 500 in all per hour.
    fn default() -> Limits {
        Limits::new(5, 20, 20, 500)
    }
}

/// A slot of a key as stored: its number and when the attempt that took it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotUse {
    pub slot: i64,
    pub at: i64,
}

/// The slots of a key that an attempt made at `now` may take, lowest first: those never used and
/// those whose attempt left the window. `used` are the key's stored slots.
pub fn free_slots(limit: &Limit, used: &[SlotUse], now: i64) -> Vec<i64> {
    (0..limit.max)
        .filter(|slot| {
            used.iter()
                .find(|u| u.slot == *slot)
                .is_none_or(|u| u.at <= now - limit.window_secs)
        })
        .collect()
}

/// Whole minutes until a slot of a full key is free again (at least one).
pub fn wait_minutes(limit: &Limit, used: &[SlotUse], now: i64) -> i64 {
    let oldest = used
        .iter()
        .filter(|u| u.slot < limit.max)
        .map(|u| u.at)
        .min()
        .unwrap_or(now);
    let secs = (oldest + limit.window_secs - now).max(1);
    (secs + 59) / 60
}

/// The message shown when a password check is refused.
pub fn password_message(wait_minutes: i64) -> String {
    format!(
        "Too many failed sign-in attempts. Try again in {}.",
        minutes(wait_minutes)
    )
}

/// The message shown when a sign-up is refused.
pub fn sign_up_message(wait_minutes: i64) -> String {
    format!(
        "Too many new logins were made from here recently. Try again in {}.",
        minutes(wait_minutes)
    )
}

fn minutes(n: i64) -> String {
    format!("{n} minute{}", if n == 1 { "" } else { "s" })
}

/// The key a client address is limited by: the address itself for IPv4, its /64 network for IPv6
/// (one subscriber usually holds a whole /64, so single IPv6 addresses cost an attacker nothing).
pub fn client_key(addr: IpAddr) -> String {
    match addr {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let network = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{network}/64")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(max: i64) -> Limit {
        Limit {
            scope: Scope::PasswordPerEmail,
            max,
            window_secs: PASSWORD_WINDOW_SECS,
        }
    }

    fn used(pairs: &[(i64, i64)]) -> Vec<SlotUse> {
        pairs
            .iter()
            .map(|&(slot, at)| SlotUse { slot, at })
            .collect()
    }

    #[test]
    fn every_slot_is_free_at_first() {
        assert_eq!(free_slots(&limit(5), &[], 1000), vec![0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_slot_is_taken_until_its_attempt_leaves_the_window() {
        let now = 10_000;
        let taken = used(&[(0, now - 60), (1, now - PASSWORD_WINDOW_SECS), (3, now)]);
        assert_eq!(free_slots(&limit(5), &taken, now), vec![1, 2, 4]);
    }

    #[test]
    fn a_full_key_waits_for_its_oldest_attempt() {
        let now = 10_000;
        let taken = used(&[(0, now - 60), (1, now - 30), (2, now)]);
        assert!(free_slots(&limit(3), &taken, now).is_empty());
        assert_eq!(wait_minutes(&limit(3), &taken, now), 14);
        let almost = used(&[(0, now - PASSWORD_WINDOW_SECS + 30), (1, now), (2, now)]);
        assert_eq!(wait_minutes(&limit(3), &almost, now), 1);
    }

    #[test]
    fn slots_beyond_a_lowered_limit_do_not_count() {
        let now = 10_000;
        let taken = used(&[(0, now), (7, now - 600)]);
        assert_eq!(free_slots(&limit(2), &taken, now), vec![1]);
        assert_eq!(wait_minutes(&limit(1), &taken, now), 15);
    }

    #[test]
    fn limits_are_at_least_one() {
        let limits = Limits::new(0, -3, 0, 0);
        assert_eq!(limits.password_per_email.max, 1);
        assert_eq!(limits.password_per_client.max, 1);
        assert_eq!(limits.sign_up_overall.window_secs, SIGN_UP_WINDOW_SECS);
    }

    #[test]
    fn messages_are_plain() {
        assert_eq!(
            password_message(1),
            "Too many failed sign-in attempts. Try again in 1 minute."
        );
        assert_eq!(
            password_message(3),
            "Too many failed sign-in attempts. Try again in 3 minutes."
        );
        assert!(sign_up_message(60).ends_with("Try again in 60 minutes."));
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), "2001:db8:1:2::/64");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        assert_eq!(client_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(
            client_key("::ffff:203.0.113.7".parse().unwrap()),
            "203.0.113.7"
        );
    }
}
