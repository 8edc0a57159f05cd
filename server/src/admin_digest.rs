//! The admins' digest on its schedule (`ADMIN_DIGEST_EVERY_SECS`, a day by default), by one
//! instance at a time (the `background_jobs` lease); the period's unique start in
//! `admin_digests` keeps a digest from going out twice even if two runs overlap
//! (`app::admin_digest::send`).

use crate::periodic_job::{PeriodicJob, Schedule};
use app::admin_digest::Trigger;
use app::db::{unix_now, Db};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

const JOB: &str = "admin_digest";

pub fn spawn(db: Db, every: Duration, mail_wake: Arc<Notify>) -> PeriodicJob {
    if every.is_zero() {
        return PeriodicJob::off();
    }
    let every_secs = every.as_secs() as i64;
    let schedule = Schedule {
        job: JOB,
        every_secs,
        lease_secs: 600,
        tick: every.min(Duration::from_secs(60)),
        look_at_start: false,
    };
    PeriodicJob::spawn(db.clone(), schedule, move || {
        let (db, mail_wake) = (db.clone(), mail_wake.clone());
        async move {
            let result = app::admin_digest::send(&db, unix_now(), every_secs, Trigger::Schedule)
                .await
                .map_err(|e| format!("admins' digest: {e}"))?;
            if matches!(result, app::admin_digest::SendResult::Mailed(n) if n > 0) {
                mail_wake.notify_one();
            }
            Ok(())
        }
    })
}
