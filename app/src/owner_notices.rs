//! Mail to an account's owner about what Stripe needs: written with the cache write that shows
//! the change (same transaction), or by the reminder job, or for a `payout.failed` event. What
//! to tell is decided by `domain::owner_notices`; each notice's key is unique per account, so a
//! notice and its mail are written once per change however often the change is seen.

use crate::db::connected_accounts::{AccountRecord, ConnectedAccountRow};
use crate::db::{mail_outbox, owner_notices, Db};
use crate::mail::{self, Letterhead, OwnerNoticeMail};
use domain::owner_notices::{notices_for_change, reminder_due, Notice, NoticeFacts, Preference};
use sqlx::AnyConnection;

fn facts(
    requirements: &str,
    future: &str,
    capabilities: &str,
    details_submitted: bool,
    charges_enabled: bool,
    payouts_enabled: bool,
    disabled_reason: Option<&str>,
) -> NoticeFacts {
    let v2 = requirements.contains("\"entries\"");
    let current = crate::account_view::requirements_of(v2, requirements, future).current;
    let fields = |list: &[domain::requirements::Requirement]| -> Vec<String> {
        list.iter().flat_map(|r| r.fields.iter().cloned()).collect()
    };
    NoticeFacts {
        details_submitted,
        charges_enabled,
        payouts_enabled,
        disabled_reason: disabled_reason.map(str::to_string),
        currently_due: fields(&current.currently_due),
        past_due: fields(&current.past_due),
        deadline: current.deadline,
        capabilities: crate::account_view::capabilities_from_json(capabilities)
            .into_iter()
            .map(|c| (c.name, c.status))
            .collect(),
    }
}

pub fn facts_of_record(r: &AccountRecord) -> NoticeFacts {
    facts(
        &r.requirements,
        &r.future_requirements,
        &r.capabilities,
        r.details_submitted,
        r.charges_enabled,
        r.payouts_enabled,
        r.disabled_reason.as_deref(),
    )
}

pub fn facts_of_row(r: &ConnectedAccountRow) -> NoticeFacts {
    facts(
        &r.requirements,
        &r.future_requirements,
        &r.capabilities,
        r.details_submitted != 0,
        r.charges_enabled != 0,
        r.payouts_enabled != 0,
        r.disabled_reason.as_deref(),
    )
}

/// The platform's colour for the letterhead (read before a transaction starts).
pub async fn letterhead_color(db: &Db) -> String {
    color_of(crate::db::platform_settings::load(db).await)
}

/// [`letterhead_color`] read on the caller's connection (inside its transaction).
pub async fn letterhead_color_in(conn: &mut AnyConnection) -> String {
    color_of(crate::db::platform_settings::load_in(conn).await)
}

fn color_of(saved: Result<Option<(String, i64)>, sqlx::Error>) -> String {
    saved
        .ok()
        .flatten()
        .and_then(|(json, _)| serde_json::from_str::<domain::platform::PlatformConfig>(&json).ok())
        .map(|c| c.branding.primary_color)
        .unwrap_or_else(|| domain::platform::Branding::default().primary_color)
}

/// After the cache row of `after` was written over `before` (read, locked, in this transaction):
/// writes the notices the change causes and queues their mails.
pub async fn after_write_in(
    conn: &mut AnyConnection,
    public_url: &str,
    before: Option<&ConnectedAccountRow>,
    after: &AccountRecord,
    now: i64,
) -> Result<usize, sqlx::Error> {
    let before = before.map(facts_of_row);
    let after_facts = facts_of_record(after);
    let notices = notices_for_change(before.as_ref(), &after_facts);
    if notices.is_empty() {
        // Most writes change nothing an owner is told of: no more work on this hot path.
        return Ok(0);
    }
    let color = letterhead_color_in(conn).await;
    let mut told = 0;
    for notice in notices {
        if tell_in(
            conn,
            public_url,
            &color,
            &after.stripe_account_id,
            &notice,
            &after_facts,
            None,
            now,
        )
        .await?
        {
            told += 1;
        }
    }
    Ok(told)
}

/// Writes `notice` for the account's owner unless its key was written before, and queues its
/// mail when the owner wants that kind. `true` when the notice is new.
#[allow(clippy::too_many_arguments)]
pub async fn tell_in(
    conn: &mut AnyConnection,
    public_url: &str,
    color: &str,
    stripe_account_id: &str,
    notice: &Notice,
    facts: &NoticeFacts,
    payout: Option<(String, Option<String>)>,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some(owner) = owner_notices::owner_in(&mut *conn, stripe_account_id).await? else {
        return Ok(false);
    };
    let Some(id) = owner_notices::insert_in(
        &mut *conn,
        stripe_account_id,
        &notice.key,
        notice.kind.as_str(),
        owner.user_id,
        now,
    )
    .await?
    else {
        return Ok(false);
    };
    let wanted = match notice.kind.preference() {
        None => true,
        Some(Preference::Reminders) => owner.mail_reminders != 0,
        Some(Preference::PayoutsAndCapabilities) => owner.mail_payouts_and_capabilities != 0,
    };
    if wanted {
        let head = Letterhead { public_url, color };
        let mail = mail::owner_notice(
            &head,
            &owner.email,
            &OwnerNoticeMail {
                notice,
                facts,
                payout,
            },
        );
        let mail_id = mail_outbox::enqueue_in(&mut *conn, &mail, now).await?;
        owner_notices::set_mail_in(&mut *conn, id, mail_id).await?;
    }
    tracing::info!(kind = notice.kind.as_str(), mailed = wanted, "owner notice");
    Ok(true)
}

/// A payout of the account failed (`payout.failed`; Stripe sends one per payout, maybe more than
/// once): one notice per payout id. `payout` is the event's payout object.
pub async fn payout_failed(
    db: &Db,
    stripe_account_id: &str,
    payout: &serde_json::Value,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let Some(id) = payout.get("id").and_then(|v| v.as_str()) else {
        return Ok(false);
    };
    let amount = match (
        payout.get("amount").and_then(|v| v.as_i64()),
        payout.get("currency").and_then(|v| v.as_str()),
    ) {
        (Some(amount), Some(currency)) => domain::money::format_amount(amount, currency),
        _ => String::new(),
    };
    let reason = payout
        .get("failure_message")
        .and_then(|v| v.as_str())
        .map(str::to_string);
    let color = letterhead_color(db).await;
    let mut tx = db.pool().begin().await?;
    crate::db::connected_accounts::lock_in(&mut tx, stripe_account_id).await?;
    let told = tell_in(
        &mut tx,
        db.public_url(),
        &color,
        stripe_account_id,
        &domain::owner_notices::payout_failed(id),
        &NoticeFacts::default(),
        Some((amount, reason)),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(told)
}

/// The reminder job: for every account whose deadline is within a week, the reminder due now
/// (7 days, then 1 day before), once per deadline. Returns how many were written.
pub async fn send_reminders(db: &Db, now: i64) -> Result<usize, sqlx::Error> {
    let rows = crate::db::connected_accounts::deadlines_between(
        db,
        now + 1,
        now + 7 * 24 * 60 * 60 + 1,
        10_000,
    )
    .await?;
    let color = letterhead_color(db).await;
    let mut told = 0;
    for row in rows.iter().filter(|r| r.owner_user_id.is_some()) {
        let facts = facts_of_row(row);
        let Some(notice) = reminder_due(&facts, now) else {
            continue;
        };
        let mut tx = db.pool().begin().await?;
        crate::db::connected_accounts::lock_in(&mut tx, &row.stripe_account_id).await?;
        if tell_in(
            &mut tx,
            db.public_url(),
            &color,
            &row.stripe_account_id,
            &notice,
            &facts,
            None,
            now,
        )
        .await?
        {
            told += 1;
        }
        tx.commit().await?;
    }
    Ok(told)
}
