//! Reminders to account owners 7 days and 1 day before Stripe's deadline for what is currently
//! due (`requirements.current_deadline`; v2 `summary.minimum_deadline.time`), by one instance at a
//! time (the `background_jobs` lease). Each reminder is written once per deadline
//! (`app::owner_notices::send_reminders`), so a run repeated by another instance sends nothing new.

use crate::periodic_job::{PeriodicJob, Schedule};
use app::db::{unix_now, Db};
use std::time::Duration;

const JOB: &str = "owner_deadline_reminders";

/// Looks every `every` (15 minutes by default) on whichever instance claims the job first.
pub fn spawn(db: Db, every: Duration) -> PeriodicJob {
    if every.is_zero() {
        return PeriodicJob::off();
    }
    let schedule = Schedule {
        job: JOB,
        every_secs: every.as_secs() as i64,
        lease_secs: 600,
        tick: every.min(Duration::from_secs(60)),
        look_at_start: true,
    };
    PeriodicJob::spawn(db.clone(), schedule, move || {
        let db = db.clone();
        async move {
            let told = app::owner_notices::send_reminders(&db, unix_now())
                .await
                .map_err(|e| format!("owner reminders: {e}"))?;
            if told > 0 {
                tracing::info!(told, "deadline reminders written");
            }
            Ok(())
        }
    })
}
