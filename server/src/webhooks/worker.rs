//! The webhook workers: claim due events with a lease, process them, record the outcome. A failure
//! is recorded with its error and retried with exponential backoff; a worker that stops gives its
//! claims back, and a claim whose instance died expires after the lease.
//!
//! Before each event of a batch the worker renews its claim and counts the attempt; a claim that
//! ran out (another worker may hold the event now) is left alone. An event whose attempts never
//! finish (processing panics, the process dies) is given up after the last one like any other.

use super::processing::{self, Outcome, ProcessError};
use app::db::stripe_events::{self, ClaimedEvent};
use app::db::{unix_now, Db};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use stripe_client::StripeClient;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tracing::Instrument;

/// How long a claim lasts by default: longer than a batch's processing with the client's retries.
/// Events claimed by an instance that died are taken up again when it runs out.
pub const DEFAULT_LEASE_SECS: i64 = 300;
/// Events claimed at once by one worker.
const BATCH: i64 = 16;
/// Attempts before an event is given up (`failed`): about 8 hours of retries.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 24;
/// Longest wait between looks at the table (events stored by other instances, retries).
const IDLE_POLL: Duration = Duration::from_secs(2);

/// Delay after failed attempt number `attempts + 1` (1 s, 2 s, 4 s, … at most 2048 s).
pub fn backoff_secs(attempts: i64) -> i64 {
    1i64 << attempts.clamp(0, 11)
}

/// What a worker does with an event: [`processing::process`], or another function in tests (one
/// that panics, or takes its time).
pub type Process = Arc<
    dyn Fn(
            Db,
            StripeClient,
            ClaimedEvent,
        ) -> Pin<Box<dyn Future<Output = Result<Outcome, ProcessError>> + Send>>
        + Send
        + Sync,
>;

/// [`processing::process`] as a [`Process`].
pub fn default_process() -> Process {
    Arc::new(|db, stripe, event| {
        Box::pin(async move { processing::process(&db, &stripe, &event).await })
    })
}

/// Running workers; stopped by [`WebhookWorkers::shutdown`] or when dropped.
pub struct WebhookWorkers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl WebhookWorkers {
    pub fn spawn(
        count: usize,
        lease_secs: i64,
        max_attempts: i64,
        db: Db,
        stripe: StripeClient,
        wake: Arc<Notify>,
    ) -> Self {
        Self::spawn_with(
            count,
            lease_secs,
            max_attempts,
            db,
            stripe,
            wake,
            default_process(),
        )
    }

    /// [`WebhookWorkers::spawn`] with another processing function.
    pub fn spawn_with(
        count: usize,
        lease_secs: i64,
        max_attempts: i64,
        db: Db,
        stripe: StripeClient,
        wake: Arc<Notify>,
        process: Process,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let instance = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
        let tasks = (0..count)
            .map(|n| {
                let worker = Worker {
                    id: format!("{instance}-{n}"),
                    lease_secs: lease_secs.max(1),
                    max_attempts: max_attempts.max(1),
                    db: db.clone(),
                    stripe: stripe.clone(),
                    wake: wake.clone(),
                    stopped: stopped.clone(),
                    process: process.clone(),
                };
                tokio::spawn(worker.supervised())
            })
            .collect();
        WebhookWorkers { stop, tasks }
    }

    /// Lets each worker finish the event in hand, give back its other claims, and stop.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for WebhookWorkers {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[derive(Clone)]
struct Worker {
    id: String,
    lease_secs: i64,
    max_attempts: i64,
    db: Db,
    stripe: StripeClient,
    wake: Arc<Notify>,
    stopped: watch::Receiver<bool>,
    process: Process,
}

impl Worker {
    fn stopping(&self) -> bool {
        *self.stopped.borrow() || self.db.pool().is_closed()
    }

    /// Runs the worker, and runs it again if it panics (a bug must not silently halve event
    /// processing; what it held is claimed again when the lease runs out).
    async fn supervised(self) {
        loop {
            match tokio::spawn(self.clone().run()).await {
                Err(e) if e.is_panic() && !self.stopping() => {
                    tracing::error!(worker = %self.id, "webhook worker panicked; starting it again");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                _ => break,
            }
        }
    }

    async fn run(mut self) {
        while !self.stopping() {
            match stripe_events::claim_due(&self.db, &self.id, unix_now(), self.lease_secs, BATCH)
                .await
            {
                Ok(events) if !events.is_empty() => {
                    for event in events {
                        if self.stopping() {
                            break;
                        }
                        self.handle(event).await;
                    }
                    continue;
                }
                Ok(_) => {}
                Err(error) if !self.stopping() => {
                    tracing::warn!(%error, worker = %self.id, "claiming webhook events failed");
                }
                Err(_) => break,
            }
            let wait = match stripe_events::next_due_at(&self.db).await {
                Ok(Some(at)) => Duration::from_secs((at - unix_now()).max(0) as u64)
                    .clamp(Duration::from_millis(50), IDLE_POLL),
                _ => IDLE_POLL,
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = self.stopped.changed() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
        if !self.db.pool().is_closed() {
            if let Err(error) = stripe_events::release_claims(&self.db, &self.id).await {
                tracing::warn!(%error, worker = %self.id, "giving back webhook claims failed");
            }
        }
    }

    async fn handle(&self, event: ClaimedEvent) {
        let span = tracing::info_span!(
            "stripe_event",
            event_id = %event.id,
            event_type = %event.event_type,
            attempt = tracing::field::Empty,
        );
        async {
            // The batch was claimed at once; this event's claim may have run out since (a slow
            // event before it) and another worker may hold it now.
            let attempts = match stripe_events::start_attempt(
                &self.db,
                &event.id,
                &self.id,
                unix_now(),
                self.lease_secs,
            )
            .await
            {
                Ok(Some(attempts)) => attempts,
                Ok(None) => {
                    tracing::info!("claim ran out before processing; left to whoever holds it");
                    return;
                }
                Err(error) => {
                    tracing::warn!(%error, "starting an attempt failed; the claim will run out");
                    return;
                }
            };
            tracing::Span::current().record("attempt", attempts);
            if attempts > self.max_attempts {
                // Every attempt so far started and never recorded an outcome: processing this
                // event panics or kills the process. Processing it again would do the same.
                let message = format!(
                    "gave up after {} attempts (processing did not finish)",
                    attempts - 1
                );
                tracing::error!(
                    attempts = attempts - 1,
                    "event processing never finished; giving up"
                );
                if let Err(error) =
                    stripe_events::abandon(&self.db, &event.id, &self.id, &message, unix_now())
                        .await
                {
                    tracing::warn!(%error, "giving up an event failed");
                }
                return;
            }
            let result = (self.process)(self.db.clone(), self.stripe.clone(), event.clone()).await;
            let recorded = match result {
                Ok(outcome) => {
                    if outcome == Outcome::Ignored {
                        tracing::debug!("event type not handled; marked ignored");
                    }
                    stripe_events::finish(&self.db, &event.id, &self.id, outcome.as_str()).await
                }
                Err(error) => {
                    let give_up = attempts >= self.max_attempts;
                    let message: String = error.to_string().chars().take(1000).collect();
                    if give_up {
                        tracing::error!(%error, attempts, "event processing failed; giving up");
                    } else {
                        tracing::warn!(%error, attempts, "event processing failed; will retry");
                    }
                    stripe_events::record_failure(
                        &self.db,
                        &event.id,
                        &self.id,
                        &message,
                        unix_now(),
                        unix_now() + backoff_secs(attempts - 1),
                        give_up,
                    )
                    .await
                }
            };
            if let Err(error) = recorded {
                // The claim expires and the event is processed again (processing is idempotent).
                tracing::warn!(%error, "recording an event's outcome failed");
            }
        }
        .instrument(span)
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_a_limit() {
        assert_eq!(backoff_secs(0), 1);
        assert_eq!(backoff_secs(1), 2);
        assert_eq!(backoff_secs(5), 32);
        assert_eq!(backoff_secs(11), 2048);
        assert_eq!(backoff_secs(30), 2048);
    }
}
