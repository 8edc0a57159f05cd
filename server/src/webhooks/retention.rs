//! Stored events are bounded: processed and ignored events older than `WEBHOOK_RETENTION_DAYS`
//! are deleted now and then by one instance at a time (the `background_jobs` lease, as
//! reconciliation does). Failed and pending events are kept whatever their age: they still need
//! a worker or an admin.

use crate::periodic_job::{PeriodicJob, Schedule};
use app::db::{stripe_events, unix_now, Db};
use std::time::Duration;

const JOB: &str = "prune_stripe_events";
/// How often one instance prunes.
const EVERY_SECS: i64 = 3_600;
/// How long a run may hold the job before another instance may take it.
const LEASE_SECS: i64 = 600;
/// How often each instance looks whether the job is due.
const TICK: Duration = Duration::from_secs(60);
/// Rows deleted per statement.
const BATCH: i64 = 1_000;
const DAY_SECS: i64 = 86_400;

/// Deletes the processed and ignored events received more than `days` days before `now`.
pub async fn prune_once(db: &Db, now: i64, days: u32) -> Result<u64, sqlx::Error> {
    let before = now - i64::from(days) * DAY_SECS;
    let mut deleted = 0;
    loop {
        let n = stripe_events::prune_done(db, before, BATCH).await?;
        deleted += n;
        if n < BATCH as u64 {
            return Ok(deleted);
        }
    }
}

/// Runs [`prune_once`] every hour on whichever instance claims the job first; `days` of zero:
/// keep every event.
pub fn spawn(db: Db, days: u32) -> PeriodicJob {
    if days == 0 {
        return PeriodicJob::off();
    }
    let schedule = Schedule {
        job: JOB,
        every_secs: EVERY_SECS,
        lease_secs: LEASE_SECS,
        tick: TICK,
        look_at_start: true,
    };
    PeriodicJob::spawn(db.clone(), schedule, move || {
        let db = db.clone();
        async move {
            let deleted = prune_once(&db, unix_now(), days)
                .await
                .map_err(|e| format!("deleting old webhook events: {e}"))?;
            if deleted > 0 {
                tracing::info!(deleted, days, "old webhook events deleted");
            }
            Ok(())
        }
    })
}
