//! Stored events are bounded: processed and ignored events older than `WEBHOOK_RETENTION_DAYS`
//! are deleted now and then by one instance at a time (the `background_jobs` lease, as
//! reconciliation does). Failed and pending events are kept whatever their age: they still need
//! a worker or an admin.

use app::db::{background_jobs, stripe_events, unix_now, Db};
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

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

/// Runs [`prune_once`] every hour on whichever instance claims the job first.
pub struct EventRetention {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl EventRetention {
    /// `days` of zero: keep every event.
    pub fn spawn(db: Db, days: u32) -> EventRetention {
        let (stop, mut stopped) = watch::channel(false);
        if days == 0 {
            return EventRetention { stop, task: None };
        }
        let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
        let task = tokio::spawn(async move {
            loop {
                match background_jobs::try_claim(
                    &db,
                    JOB,
                    &worker,
                    unix_now(),
                    EVERY_SECS,
                    LEASE_SECS,
                )
                .await
                {
                    Ok(true) => match prune_once(&db, unix_now(), days).await {
                        Ok(deleted) => {
                            if deleted > 0 {
                                tracing::info!(deleted, days, "old webhook events deleted");
                            }
                            let _ = background_jobs::finish(&db, JOB, &worker, unix_now()).await;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "deleting old webhook events failed");
                            let _ = background_jobs::release(&db, JOB, &worker).await;
                        }
                    },
                    Ok(false) => {}
                    Err(error) if !db.pool().is_closed() => {
                        tracing::warn!(%error, "claiming the webhook event retention job failed");
                    }
                    Err(_) => return,
                }
                tokio::select! {
                    _ = tokio::time::sleep(TICK) => {}
                    _ = stopped.changed() => return,
                }
            }
        });
        EventRetention {
            stop,
            task: Some(task),
        }
    }

    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}
