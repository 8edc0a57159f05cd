//! What a stored event does to the account cache.
//!
//! Out-of-order delivery never lets older data overwrite newer data: a v1 `account.updated` carries
//! the whole account and is written only when it is newer than every event the cache reflects and
//! than the last fetch (see `connected_accounts::apply_event_snapshot`); when that cannot be told
//! (same second, or the account is cached as a v2 account) the account is fetched instead. Every
//! other account event, and every thin event, fetches the account.

use app::account_sync::{self, SyncCause, SyncError, VersionHint};
use app::db::connected_accounts::{self, ApiVersion};
use app::db::stripe_events::{ClaimedEvent, EventSource};
use app::db::{unix_now, Db};
use stripe_client::models::event::Event;
use stripe_client::StripeClient;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The event was applied (or found older than the cache, which is the same end state).
    Processed,
    /// A type the portal does not act on.
    Ignored,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Processed => "processed",
            Outcome::Ignored => "ignored",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("stored payload is not a {0} event: {1}")]
    Payload(&'static str, serde_json::Error),
    #[error("{0}")]
    Sync(#[from] SyncError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("dispute: {0}")]
    Dispute(#[from] app::disputes::ssr::DisputeSyncError),
    #[error("balance: {0}")]
    Balance(#[from] app::balances::ssr::BalanceSyncError),
    #[error("payout: {0}")]
    Payout(#[from] app::failed_payouts::ssr::PayoutSyncError),
    #[error("refund: {0}")]
    Refund(#[from] app::refunds::ssr::RefundSyncError),
}

pub async fn process(
    db: &Db,
    stripe: &StripeClient,
    event: &ClaimedEvent,
) -> Result<Outcome, ProcessError> {
    match EventSource::parse(&event.source) {
        Some(EventSource::Snapshot) => {
            let parsed: Event =
                serde_json::from_str(&event.payload).map_err(|e| ProcessError::Payload("v1", e))?;
            process_snapshot(db, stripe, &parsed).await
        }
        Some(EventSource::Thin) => process_thin(db, stripe, event).await,
        None => Ok(Outcome::Ignored),
    }
}

async fn sync(
    db: &Db,
    stripe: &StripeClient,
    account: &str,
    new_account_version: ApiVersion,
    cause: SyncCause,
) -> Result<Outcome, ProcessError> {
    account_sync::sync(
        db,
        stripe,
        account,
        VersionHint::IfNew(new_account_version),
        cause,
    )
    .await?;
    Ok(Outcome::Processed)
}

async fn process_snapshot(
    db: &Db,
    stripe: &StripeClient,
    event: &Event,
) -> Result<Outcome, ProcessError> {
    match event.event_type.as_str() {
        // The platform's own events (no `account`: the fee is the platform's; the fee's own
        // `account` names the connected account it came from). Both carry the ApplicationFee
        // (Stripe's event types list, docs.stripe.com/api/events/types). Not
        // `application_fee.refund.updated`: it carries the fee refund, whose amount never
        // changes, and the `.refunded` event already carries the fee's new `amount_refunded`.
        "application_fee.created" | "application_fee.refunded" => {
            return Ok(if app::fee_revenue::ssr::apply_event(db, event).await? {
                Outcome::Processed
            } else {
                Outcome::Ignored
            });
        }
        _ => {}
    }
    // Otherwise only events of connected accounts (the platform's own carry no `account`).
    let Some(account) = event.account.as_deref() else {
        return Ok(Outcome::Ignored);
    };
    let cause = SyncCause {
        event_created: event.created,
        reconnected: false,
    };
    let kind = event.event_type.as_str();
    if kind.starts_with("payout.") {
        app::failed_payouts::ssr::apply_event(db, stripe, account, event).await?;
    }
    let outcome = match kind {
        "balance.available" => {
            app::balances::ssr::apply_event(db, account, event).await?;
            return Ok(Outcome::Processed);
        }
        "account.updated" => apply_account_updated(db, stripe, account, event).await,
        "account.application.authorized" => {
            let cause = SyncCause {
                reconnected: true,
                ..cause
            };
            sync(db, stripe, account, ApiVersion::V1, cause).await
        }
        "account.application.deauthorized" => {
            // The platform can no longer read the account: mark the connection, fetch nothing.
            if !connected_accounts::mark_revoked(db, account, event.created).await? {
                tracing::info!("deauthorization not newer than the cache, or account not cached");
            }
            Ok(Outcome::Processed)
        }
        "payout.failed" => {
            // The owner hears of it once per payout (Stripe may deliver the event more than once:
            // docs.stripe.com/webhooks#handle-duplicate-events).
            if event.data_object_type() == Some("payout") {
                app::owner_notices::payout_failed(db, account, &event.data.object, unix_now())
                    .await?;
            }
            sync(db, stripe, account, ApiVersion::V1, cause).await
        }
        "capability.updated" => sync(db, stripe, account, ApiVersion::V1, cause).await,
        // created, updated, closed, funds_withdrawn, funds_reinstated: each carries the
        // dispute (Stripe's event types list, docs.stripe.com/api/events/types).
        _ if kind.starts_with("charge.dispute.") => {
            app::disputes::ssr::apply_event(db, stripe, account, event).await?;
            Ok(Outcome::Processed)
        }
        _ if kind.starts_with("account.external_account.") => {
            sync(db, stripe, account, ApiVersion::V1, cause).await
        }
        // Kept in the payouts table above; a failed payout can also change the account's state.
        _ if kind.starts_with("payout.") => Ok(Outcome::Processed),
        "charge.refunded" => Ok(Outcome::Processed),
        // created, updated, failed: each carries the refund.
        _ if kind.starts_with("refund.") => {
            app::refunds::ssr::apply_event(db, stripe, account, event).await?;
            Ok(Outcome::Processed)
        }
        _ => Ok(Outcome::Ignored),
    }?;
    if app::balances::MONEY_MOVING_EVENTS.contains(&kind) {
        app::balances::ssr::sync(db, stripe, account).await?;
    }
    Ok(outcome)
}

async fn apply_account_updated(
    db: &Db,
    stripe: &StripeClient,
    account: &str,
    event: &Event,
) -> Result<Outcome, ProcessError> {
    let cause = SyncCause {
        event_created: event.created,
        reconnected: false,
    };
    let record = (event.data_object_type() == Some("account"))
        .then(|| account_sync::record_from_v1(&event.data.object).ok())
        .flatten()
        .filter(|r| r.stripe_account_id == account);
    let Some(record) = record else {
        // Not an account the event names: trust Stripe's current state instead.
        return sync(db, stripe, account, ApiVersion::V1, cause).await;
    };
    let cached = connected_accounts::find_by_stripe_id(db, account).await?;
    if let Some(row) = &cached {
        if row.api_version() != Some(ApiVersion::V1) {
            return sync(db, stripe, account, ApiVersion::V1, cause).await;
        }
        if event.created < row.last_event_at {
            tracing::info!(
                cached_event_at = row.last_event_at,
                "event older than the cache; not applied"
            );
            return Ok(Outcome::Processed);
        }
        if event.created == row.last_event_at || event.created <= row.last_synced_at {
            // Same second as what the cache reflects: which is newer cannot be told.
            return sync(db, stripe, account, ApiVersion::V1, cause).await;
        }
    }
    if connected_accounts::apply_event_snapshot(db, &record, event.created, unix_now()).await? {
        return Ok(Outcome::Processed);
    }
    // Another worker wrote the row in between: decide again from what it wrote.
    match connected_accounts::find_by_stripe_id(db, account).await? {
        Some(row) if event.created < row.last_event_at => Ok(Outcome::Processed),
        _ => sync(db, stripe, account, ApiVersion::V1, cause).await,
    }
}

/// Thin events name the account; its state is always fetched.
async fn process_thin(
    db: &Db,
    stripe: &StripeClient,
    event: &ClaimedEvent,
) -> Result<Outcome, ProcessError> {
    let kind = event.event_type.as_str();
    let about_account = kind.starts_with("v2.core.account[")
        || kind.starts_with("v2.core.account.")
        || kind == "v2.core.account_link.returned";
    let Some(account) = event.account_id.as_deref().filter(|_| about_account) else {
        return Ok(Outcome::Ignored);
    };
    let cause = SyncCause {
        event_created: event.created,
        reconnected: false,
    };
    // A cached account is read with the API it is cached with. One the portal has not seen yet
    // (its snapshot event lost or still on the way) is read with v1, which reads every account:
    // the portal records v2 itself for the accounts it creates with v2.
    sync(db, stripe, account, ApiVersion::V1, cause).await
}
