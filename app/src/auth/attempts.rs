//! Counting costly attempts before doing the work (see `crate::throttle` for the policy): a
//! password check takes a slot for the email and one for the client address; a sign-up takes one
//! for the client address and one of everyone's.

use crate::db::{attempt_slots, unix_now, Db};
use crate::error::AppError;
use crate::throttle::{self, Limit, Scope};

/// One slot taken for one attempt.
#[derive(Debug, Clone)]
struct Taken {
    scope: Scope,
    key: String,
    slot: i64,
    at: i64,
}

impl Taken {
    async fn release(&self, db: &Db) -> Result<(), sqlx::Error> {
        attempt_slots::release(db, self.scope, &self.key, self.slot, self.at).await
    }
}

/// Takes a free slot of `key` under `limit`, or says how many minutes until one is free.
async fn take(db: &Db, limit: &Limit, key: &str, now: i64) -> Result<Result<Taken, i64>, AppError> {
    // A slot another attempt took between our read and our write is lost to us; read again. Each
    // round either takes a slot or sees one more taken, so this ends within `max` rounds.
    for _ in 0..=limit.max {
        let used = attempt_slots::used(db, limit.scope, key).await?;
        let free = throttle::free_slots(limit, &used, now);
        if free.is_empty() {
            return Ok(Err(throttle::wait_minutes(limit, &used, now)));
        }
        for slot in free {
            let free_before = now - limit.window_secs;
            if attempt_slots::try_take(db, limit.scope, key, slot, now, free_before).await? {
                return Ok(Ok(Taken {
                    scope: limit.scope,
                    key: key.to_string(),
                    slot,
                    at: now,
                }));
            }
        }
    }
    Ok(Err(1))
}

/// Takes one slot under each limit, or none: when one limit is full, the slots already taken are
/// given back and the longest wait is returned.
async fn take_all(db: &Db, wanted: &[(&Limit, &str)]) -> Result<Result<Vec<Taken>, i64>, AppError> {
    let now = unix_now();
    let mut taken = Vec::new();
    for (limit, key) in wanted {
        match take(db, limit, key, now).await? {
            Ok(t) => taken.push(t),
            Err(wait) => {
                for t in &taken {
                    t.release(db).await?;
                }
                return Ok(Err(wait));
            }
        }
    }
    Ok(Ok(taken))
}

/// A password check that has been counted; say how it ended.
#[must_use]
pub struct PasswordAttempt {
    email_key: String,
    taken: Vec<Taken>,
}

/// Counts a password check for `email` from `client` before it runs; refused with
/// [`AppError::TooManyAttempts`] when either limit is reached.
pub async fn begin_password_check(
    db: &Db,
    limits: &throttle::Limits,
    email: &str,
    client: &str,
) -> Result<PasswordAttempt, AppError> {
    let wanted = [
        (&limits.password_per_email, email),
        (&limits.password_per_client, client),
    ];
    match take_all(db, &wanted).await? {
        Ok(taken) => Ok(PasswordAttempt {
            email_key: email.to_string(),
            taken,
        }),
        Err(minutes) => {
            tracing::warn!("password check refused: too many failures");
            Err(AppError::TooManyAttempts(throttle::password_message(
                minutes,
            )))
        }
    }
}

impl PasswordAttempt {
    /// The password was right: the email's failures are forgiven and this check does not count.
    pub async fn succeeded(self, db: &Db) -> Result<(), AppError> {
        attempt_slots::release_all(db, Scope::PasswordPerEmail, &self.email_key).await?;
        for t in &self.taken {
            t.release(db).await?;
        }
        Ok(())
    }

    /// The password was wrong: the slots stay taken until the window passes.
    pub fn failed(self) {}

    /// The check did not run (the server was too busy): it does not count.
    pub async fn did_not_run(self, db: &Db) -> Result<(), AppError> {
        for t in &self.taken {
            t.release(db).await?;
        }
        Ok(())
    }
}

/// Counts a sign-up from `client` before its password is hashed; refused with
/// [`AppError::TooManyAttempts`] when a limit is reached. Sign-ups count whether or not they end
/// with a new login (each one costs a hash).
pub async fn count_sign_up(
    db: &Db,
    limits: &throttle::Limits,
    client: &str,
) -> Result<(), AppError> {
    let wanted = [
        (&limits.sign_up_per_client, client),
        (&limits.sign_up_overall, "all"),
    ];
    match take_all(db, &wanted).await? {
        Ok(_) => Ok(()),
        Err(minutes) => {
            tracing::warn!("sign-up refused: too many from this client or in all");
            Err(AppError::TooManyAttempts(throttle::sign_up_message(
                minutes,
            )))
        }
    }
}

/// Counts a request for a mailed link (password reset, confirmation resend) for `email` from
/// `client` before anything is looked up or sent; refused with [`AppError::TooManyAttempts`]
/// when a limit is reached. Counted whether or not the address has a login, so the answer does
/// not tell.
pub async fn count_mail_request(
    db: &Db,
    limits: &throttle::Limits,
    email: &str,
    client: &str,
) -> Result<(), AppError> {
    let wanted = [
        (&limits.mail_per_email, email),
        (&limits.mail_per_client, client),
    ];
    match take_all(db, &wanted).await? {
        Ok(_) => Ok(()),
        Err(minutes) => {
            tracing::warn!("mailed link refused: too many asked for");
            Err(AppError::TooManyAttempts(format!(
                "Too many links were asked for. Please try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            )))
        }
    }
}
