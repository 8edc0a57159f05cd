//! A job that runs every so often on one instance at a time: each instance looks whether it is
//! due, and the one that claims it (the `background_jobs` lease) runs it; a run that fails gives
//! the job back, so another look retries it. Reconciliation and event retention run this way.

use app::db::{background_jobs, unix_now, Db};
use std::future::Future;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// When a job runs and how long a run may hold it.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    /// The job's name in `background_jobs`.
    pub job: &'static str,
    /// A run is due this long after the last one finished (on any instance).
    pub every_secs: i64,
    /// How long a run may hold the job before another instance may take it.
    pub lease_secs: i64,
    /// How often each instance looks whether the job is due.
    pub tick: Duration,
    /// Look once at start-up, before the first tick.
    pub look_at_start: bool,
}

/// A running job; stopped by [`PeriodicJob::shutdown`] (or never started).
pub struct PeriodicJob {
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl PeriodicJob {
    /// A job that never runs (turned off by its setting).
    pub fn off() -> PeriodicJob {
        PeriodicJob {
            stop: watch::channel(false).0,
            task: None,
        }
    }

    /// Runs `run` whenever this instance claims the job. `run` logs what it did; its error is
    /// logged here and the job given back.
    pub fn spawn<F, Fut>(db: Db, schedule: Schedule, mut run: F) -> PeriodicJob
    where
        F: FnMut() -> Fut + Send + 'static,
        Fut: Future<Output = Result<(), String>> + Send,
    {
        let (stop, mut stopped) = watch::channel(false);
        let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
        let job = schedule.job;
        let task = tokio::spawn(async move {
            let mut first = true;
            loop {
                if !(first && schedule.look_at_start) {
                    tokio::select! {
                        _ = tokio::time::sleep(schedule.tick) => {}
                        _ = stopped.changed() => return,
                    }
                }
                first = false;
                let claimed = background_jobs::try_claim(
                    &db,
                    job,
                    &worker,
                    unix_now(),
                    schedule.every_secs,
                    schedule.lease_secs,
                )
                .await;
                match claimed {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(_) if db.pool().is_closed() => return,
                    Err(error) => {
                        tracing::warn!(%error, job, "claiming a periodic job failed");
                        continue;
                    }
                }
                match run().await {
                    Ok(()) => {
                        let _ = background_jobs::finish(&db, job, &worker, unix_now()).await;
                    }
                    Err(error) => {
                        tracing::warn!(%error, job, "a periodic job failed; trying again later");
                        let _ = background_jobs::release(&db, job, &worker).await;
                    }
                }
            }
        });
        PeriodicJob {
            stop,
            task: Some(task),
        }
    }

    /// Lets a run in progress finish, then stops.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}
