//! The admins' digest (rules in `domain::admin_digest`): gathered from the account cache, the
//! webhook events and the mail outbox, and queued for every admin who wants it in the transaction
//! that claims its period. The server's schedule sends it (`ADMIN_DIGEST_EVERY_SECS`); an admin
//! can send it now from the console's mail page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One digest, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestLine {
    pub period: String,
    /// What it reported, e.g. "2 deadlines this week, 1 failed mail".
    pub summary: String,
    pub mailed: i64,
    pub by_admin: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestInfo {
    /// "Every day", "Every 6 hours", or `None` when the schedule is off.
    pub schedule: Option<String>,
    /// Admins who get it.
    pub recipients: i64,
    pub admins: i64,
    /// Whether the admin looking gets it.
    pub mine: bool,
    pub recent: Vec<DigestLine>,
}

/// What "send now" did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SendResult {
    Mailed(i64),
    NothingToReport,
    /// The last digest ended less than `domain::admin_digest::MANUAL_GAP_SECS` ago.
    TooSoon,
}

impl SendResult {
    pub fn message(self) -> String {
        match self {
            SendResult::Mailed(1) => "The digest was mailed to 1 admin.".to_string(),
            SendResult::Mailed(n) => format!("The digest was mailed to {n} admins."),
            SendResult::NothingToReport => {
                "Nothing to report since the last digest: no mail was sent.".to_string()
            }
            SendResult::TooSoon => {
                "A digest went out less than 5 minutes ago: try again in a few minutes.".to_string()
            }
        }
    }
}

#[server]
pub async fn digest_overview() -> Result<DigestInfo, AppError> {
    crate::error::with_status(ssr::digest_overview().await)
}

#[server]
pub async fn send_digest_now() -> Result<SendResult, AppError> {
    crate::error::with_status(ssr::send_digest_now().await)
}

/// A checkbox sends its value only when ticked: a missing field means "off".
#[server]
pub async fn save_digest_choice(digest: Option<String>) -> Result<(), AppError> {
    crate::error::with_status(ssr::save_digest_choice(digest).await)
}

#[cfg(feature = "ssr")]
pub use ssr::{send, Report, Trigger};

#[cfg(feature = "ssr")]
mod ssr {
    use super::{DigestInfo, DigestLine, SendResult};
    use crate::auth::{ssr as auth, Role};
    use crate::db::connected_accounts::{self, ConnectedAccountRow};
    use crate::db::mail_outbox::{self, FailedMail};
    use crate::db::stripe_events::{self, FailedEvent};
    use crate::db::{admin_digests, audit_log, unix_now, users, Db};
    use crate::error::AppError;
    use crate::mail::{self, Letterhead};
    use crate::state::app_state;
    use domain::account_status::AccountStatus;
    use domain::admin_digest::{
        first_period_start, DigestCounts, DEADLINE_WINDOW_SECS, LINES_PER_SECTION, MANUAL_GAP_SECS,
    };
    use sqlx::AnyConnection;

    /// Who starts a digest.
    #[derive(Debug, Clone, Copy)]
    pub enum Trigger<'a> {
        Schedule,
        Admin { id: i64, email: &'a str },
    }

    /// What one digest reports.
    #[derive(Debug, Clone)]
    pub struct Report {
        pub period_start: i64,
        pub period_end: i64,
        pub counts: DigestCounts,
        /// Stripe's deadline within 7 days, soonest first.
        pub deadlines: Vec<ConnectedAccountRow>,
        /// Restricted or rejected in the period, and still so.
        pub restricted: Vec<ConnectedAccountRow>,
        pub failed_events: Vec<FailedEvent>,
        /// Events failed now, whenever they failed.
        pub failed_events_in_all: i64,
        pub failed_mails: Vec<FailedMail>,
        /// Mails failed now, whenever they failed.
        pub failed_mails_in_all: i64,
    }

    /// Reads on the transaction that claimed the period: on SQLite it holds the write lock, and
    /// it needs no second connection from the pool.
    async fn gather(conn: &mut AnyConnection, from: i64, to: i64) -> Result<Report, sqlx::Error> {
        let (soon, week) = (to, to + DEADLINE_WINDOW_SECS);
        let deadlines =
            connected_accounts::deadlines_between_in(&mut *conn, soon, week, LINES_PER_SECTION)
                .await?;
        let deadline_count =
            connected_accounts::count_deadlines_between_in(&mut *conn, soon, week).await?;
        let (restricted, restricted_count) = connected_accounts::status_changed_between_in(
            &mut *conn,
            (
                AccountStatus::Restricted.slug(),
                AccountStatus::Rejected.slug(),
            ),
            from,
            to,
            LINES_PER_SECTION,
        )
        .await?;
        let (failed_events, failed_event_count, failed_events_in_all) =
            stripe_events::failed_between_in(&mut *conn, from, to, LINES_PER_SECTION).await?;
        let (failed_mails, failed_mail_count, failed_mails_in_all) =
            mail_outbox::failed_between_in(&mut *conn, from, to, LINES_PER_SECTION).await?;
        Ok(Report {
            period_start: from,
            period_end: to,
            counts: DigestCounts {
                deadlines: deadline_count,
                restricted: restricted_count,
                failed_events: failed_event_count,
                failed_mails: failed_mail_count,
            },
            deadlines,
            restricted,
            failed_events,
            failed_events_in_all,
            failed_mails,
            failed_mails_in_all,
        })
    }

    /// Claims the period since the last digest and mails its report to every admin who wants it,
    /// in one transaction: a digest is mailed once, by whichever instance or admin claims it.
    pub async fn send(
        db: &Db,
        now: i64,
        every_secs: i64,
        trigger: Trigger<'_>,
    ) -> Result<SendResult, sqlx::Error> {
        let (gap, started_by) = match trigger {
            Trigger::Schedule => (0, None),
            Trigger::Admin { id, .. } => (MANUAL_GAP_SECS, Some(id)),
        };
        let mut tx = db.pool().begin().await?;
        let Some((id, start)) = admin_digests::claim_in(
            &mut tx,
            first_period_start(now, every_secs),
            now,
            gap,
            started_by,
        )
        .await?
        else {
            return Ok(SendResult::TooSoon);
        };
        let report = gather(&mut tx, start, now).await?;
        let mut mailed = 0;
        if !report.counts.is_empty() {
            let color = crate::owner_notices::letterhead_color_in(&mut tx).await;
            let head = Letterhead {
                public_url: db.public_url(),
                color: &color,
            };
            for to in users::digest_recipients_in(&mut tx).await? {
                mail_outbox::enqueue_in(&mut *tx, &mail::admin_digest(&head, &to, &report), now)
                    .await?;
                mailed += 1;
            }
        }
        admin_digests::record_in(&mut tx, id, &report.counts, mailed).await?;
        if let Trigger::Admin { id, email } = trigger {
            audit_log::record_in(
                &mut *tx,
                now,
                id,
                email,
                "send digest",
                None,
                &format!("{} ({mailed} mailed)", report.counts.subject()),
            )
            .await?;
        }
        tx.commit().await?;
        tracing::info!(
            mailed,
            deadlines = report.counts.deadlines,
            restricted = report.counts.restricted,
            failed_events = report.counts.failed_events,
            failed_mails = report.counts.failed_mails,
            "admins' digest"
        );
        Ok(if report.counts.is_empty() {
            SendResult::NothingToReport
        } else {
            SendResult::Mailed(mailed)
        })
    }

    fn schedule_label(every_secs: i64) -> Option<String> {
        match every_secs {
            0 => None,
            86_400 => Some("Every day".into()),
            s if s % 86_400 == 0 => Some(format!("Every {} days", s / 86_400)),
            3_600 => Some("Every hour".into()),
            s if s % 3_600 == 0 => Some(format!("Every {} hours", s / 3_600)),
            s => Some(format!("Every {s} seconds")),
        }
    }

    fn summary(row: &admin_digests::DigestRow) -> String {
        let counts = DigestCounts {
            deadlines: row.deadlines,
            restricted: row.restricted,
            failed_events: row.failed_events,
            failed_mails: row.failed_mails,
        };
        counts
            .subject()
            .trim_start_matches("Platform digest: ")
            .to_string()
    }

    pub async fn digest_overview() -> Result<DigestInfo, AppError> {
        let admin = auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let (admins, recipients) = users::count_admins_and_digest_recipients(&state.db).await?;
        let recent = admin_digests::recent(&state.db, 5)
            .await?
            .iter()
            .map(|row| DigestLine {
                period: format!(
                    "{} to {}",
                    domain::calendar::moment_label(row.period_start),
                    domain::calendar::moment_label(row.period_end)
                ),
                summary: summary(row),
                mailed: row.mailed,
                by_admin: row.started_by.is_some(),
            })
            .collect();
        Ok(DigestInfo {
            schedule: schedule_label(state.settings.admin_digest_every_secs),
            recipients,
            admins,
            mine: users::wants_digest(&state.db, admin.id).await?,
            recent,
        })
    }

    pub async fn send_digest_now() -> Result<SendResult, AppError> {
        let admin = auth::require_role(Role::Admin).await?;
        let state = app_state()?;
        let result = send(
            &state.db,
            unix_now(),
            state.settings.admin_digest_every_secs,
            Trigger::Admin {
                id: admin.id,
                email: &admin.email,
            },
        )
        .await?;
        if matches!(result, SendResult::Mailed(n) if n > 0) {
            state.mail_wake.notify_one();
        }
        Ok(result)
    }

    pub async fn save_digest_choice(digest: Option<String>) -> Result<(), AppError> {
        let admin = auth::require_role(Role::Admin).await?;
        let wants = match digest.as_deref() {
            None => false,
            Some("on" | "true") => true,
            Some(_) => {
                return Err(AppError::invalid(
                    "digest",
                    "Tick the box or leave it empty.",
                ))
            }
        };
        let state = app_state()?;
        users::set_wants_digest(&state.db, admin.id, wants).await?;
        Ok(())
    }
}
