//! The mail worker: sends what the outbox holds (`app::db::mail_outbox`), through SMTP or, with
//! no SMTP server configured, into the development mailbox (the mail stays in the database and
//! `/dev/mailbox` shows it). Also the development mailbox's pages.
//!
//! Each mail is claimed with a lease by one conditional UPDATE, so two instances on one
//! PostgreSQL never send the same mail; a failed send is retried with growing pauses, then
//! marked failed (the console shows it). A mail is sent at least once: an instance killed after
//! the SMTP server took a mail but before it was marked sent sends it again after the lease.

use crate::config::MailSettings;
use app::db::{mail_outbox, unix_now, Db};
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How long a claimed mail is this instance's (an SMTP send is bounded well inside it).
const LEASE_SECS: i64 = 120;
/// How long one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the outbox is looked at when nothing woke the worker.
const POLL_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("SMTP_URL is not a valid smtp:// or smtps:// URL")]
    SmtpUrl,
    #[error("MAIL_FROM is not a valid address (e.g. `Payouts <payouts@platform.example>`)")]
    From,
}

/// Where mail goes.
pub enum Delivery {
    /// Kept in the database for the development mailbox.
    DevMailbox,
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
}

impl Delivery {
    pub fn from_settings(settings: &MailSettings) -> Result<(Delivery, Mailbox), MailSetupError> {
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|_| MailSetupError::From)?;
        let delivery = match settings.smtp_url.as_deref().map(str::trim) {
            None | Some("") => Delivery::DevMailbox,
            Some(url) => Delivery::Smtp(Box::new(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|_| MailSetupError::SmtpUrl)?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            )),
        };
        Ok((delivery, from))
    }
}

/// The running worker: wake it when mail was queued, stop it on shutdown.
pub struct MailWorker {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl MailWorker {
    pub fn spawn(
        db: Db,
        delivery: Delivery,
        from: Mailbox,
        max_attempts: i64,
        wake: Arc<Notify>,
    ) -> MailWorker {
        let (stop, mut stopped) = watch::channel(false);
        let task = tokio::spawn(async move {
            loop {
                // Send until nothing is due, then wait for a wake-up, the poll or the stop.
                loop {
                    match send_next(&db, &delivery, &from, max_attempts).await {
                        Ok(true) => continue,
                        Ok(false) => break,
                        Err(e) => {
                            tracing::warn!(error = %e, "mail outbox unreadable");
                            break;
                        }
                    }
                }
                tokio::select! {
                    _ = wake.notified() => {}
                    _ = tokio::time::sleep(POLL_EVERY) => {}
                    _ = stopped.changed() => return,
                }
            }
        });
        MailWorker { stop, task }
    }

    /// Stops after the mail in hand.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// The pause before try number `attempts + 1`: 10 s, doubling, at most an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 20) - 1;
    (10i64 << exp.min(9)).min(3_600)
}

/// Sends the next due mail, if any: `Ok(true)` when one was handled.
async fn send_next(
    db: &Db,
    delivery: &Delivery,
    from: &Mailbox,
    max_attempts: i64,
) -> Result<bool, sqlx::Error> {
    let Some(mail) = mail_outbox::claim_next(db, unix_now(), LEASE_SECS).await? else {
        return Ok(false);
    };
    let result = match delivery {
        Delivery::DevMailbox => Ok(()),
        Delivery::Smtp(transport) => send_smtp(transport, from, &mail).await,
    };
    match result {
        Ok(()) => {
            let keep_bodies = matches!(delivery, Delivery::DevMailbox);
            mail_outbox::mark_sent(db, mail.id, unix_now(), keep_bodies).await?;
            tracing::info!(mail_id = mail.id, kind = %mail.kind, "mail sent");
        }
        Err(error) => {
            let retry_at =
                (mail.attempts < max_attempts).then(|| unix_now() + backoff_secs(mail.attempts));
            mail_outbox::mark_failed_attempt(db, mail.id, &error, retry_at).await?;
            tracing::warn!(
                mail_id = mail.id,
                attempts = mail.attempts,
                retry = retry_at.is_some(),
                %error,
                "mail not sent"
            );
        }
    }
    Ok(true)
}

/// One SMTP send. The error is a short description of our own (what the server said is not
/// shown: it may quote the message).
async fn send_smtp(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &mail_outbox::MailRow,
) -> Result<(), String> {
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|_| "the recipient's address is not valid".to_string())?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.text_body.clone()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.html_body.clone()),
                ),
        )
        .map_err(|_| "the mail could not be built".to_string())?;
    transport.send(message).await.map(|_| ()).map_err(|e| {
        if e.is_permanent() {
            format!("the SMTP server refused the mail ({})", smtp_code(&e))
        } else if e.is_transient() {
            format!("the SMTP server asked to try later ({})", smtp_code(&e))
        } else if e.is_timeout() {
            "the SMTP server did not answer in time".to_string()
        } else {
            "the SMTP server could not be reached".to_string()
        }
    })
}

fn smtp_code(e: &lettre::transport::smtp::Error) -> String {
    e.status()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "no code".to_string())
}

/// Whether the request comes from this machine itself (the development mailbox shows single-use
/// links: only to someone at the machine). A proxy on the same machine makes every request look
/// local, so a forwarded request is refused too.
fn from_loopback(addr: &SocketAddr, headers: &HeaderMap) -> bool {
    addr.ip().is_loopback()
        && !headers.contains_key("x-forwarded-for")
        && !headers.contains_key("forwarded")
}

/// The development mailbox's pages style themselves and the mail's HTML inline (the mail's own
/// HTML is written that way for mail clients); they load nothing and run no script.
const MAILBOX_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

fn mailbox_page(html: String) -> Response {
    (
        [(axum::http::header::CONTENT_SECURITY_POLICY, MAILBOX_CSP)],
        Html(html),
    )
        .into_response()
}

/// `/dev/mailbox`: every kept mail, newest first.
pub async fn mailbox_index(
    State(state): State<app::state::AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if !state.settings.dev_mailbox || !from_loopback(&addr, &headers) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mails = match mail_outbox::list_recent(&state.db, 200).await {
        Ok(m) => m,
        Err(e) => {
            tracing::error!(error = %e, "development mailbox unreadable");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let rows: String = mails
        .iter()
        .map(|m| {
            format!(
                "<tr><td><a href=\"/dev/mailbox/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
                m.id,
                app::mail::escape(&m.subject),
                app::mail::escape(&m.to_address),
                app::mail::escape(&m.state)
            )
        })
        .collect();
    mailbox_page(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Development mailbox</title>\
         <meta name=\"viewport\" content=\"width=device-width\"></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:2rem;max-width:60rem\">\
         <h1>Development mailbox</h1><p>No SMTP server is configured (<code>SMTP_URL</code>), so the portal keeps its mail here. Only this machine can open this page.</p>\
         <table style=\"border-collapse:collapse;width:100%\" data-testid=\"mailbox\"><thead><tr><th align=\"left\">Subject</th><th align=\"left\">To</th><th align=\"left\">State</th></tr></thead><tbody>{rows}</tbody></table></body></html>"
    ))
}

/// `/dev/mailbox/{id}`: one mail, its text part and its HTML part.
pub async fn mailbox_mail(
    State(state): State<app::state::AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    if !state.settings.dev_mailbox || !from_loopback(&addr, &headers) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let mail = match mail_outbox::find(&state.db, id).await {
        Ok(Some(m)) => m,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "development mailbox unreadable");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    mailbox_page(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{subject}</title>\
         <meta name=\"viewport\" content=\"width=device-width\"></head>\
         <body style=\"font-family:system-ui,sans-serif;margin:2rem;max-width:60rem\">\
         <p><a href=\"/dev/mailbox\">All mail</a></p><h1>{subject}</h1>\
         <p>To: <span data-testid=\"to\">{to}</span> · {state} · <a href=\"/dev/mailbox/{id}/html\">the HTML part</a></p>\
         <h2>Text part</h2><pre data-testid=\"text\" style=\"white-space:pre-wrap\">{text}</pre>\
         </body></html>",
        subject = app::mail::escape(&mail.subject),
        to = app::mail::escape(&mail.to_address),
        state = app::mail::escape(&mail.state),
        text = app::mail::escape(&mail.text_body),
    ))
}

/// `/dev/mailbox/{id}/html`: the mail's HTML part as a mail client would show it. It is the
/// portal's own (every value in it escaped when it was composed), and the page's policy lets it
/// load and run nothing.
pub async fn mailbox_mail_html(
    State(state): State<app::state::AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    if !state.settings.dev_mailbox || !from_loopback(&addr, &headers) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match mail_outbox::find(&state.db, id).await {
        Ok(Some(m)) => mailbox_page(m.html_body),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "development mailbox unreadable");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_grow_to_an_hour() {
        assert_eq!(backoff_secs(1), 10);
        assert_eq!(backoff_secs(2), 20);
        assert_eq!(backoff_secs(3), 40);
        assert_eq!(backoff_secs(9), 2_560);
        assert_eq!(backoff_secs(10), 3_600);
        assert_eq!(backoff_secs(1_000), 3_600);
    }

    #[test]
    fn settings_are_checked() {
        let mut settings = MailSettings::default();
        assert!(matches!(
            Delivery::from_settings(&settings),
            Ok((Delivery::DevMailbox, _))
        ));
        settings.smtp_url = Some("smtp://mail.example.com:2525".into());
        assert!(matches!(
            Delivery::from_settings(&settings),
            Ok((Delivery::Smtp(_), _))
        ));
        settings.smtp_url = Some("http://mail.example.com".into());
        assert!(matches!(
            Delivery::from_settings(&settings),
            Err(MailSetupError::SmtpUrl)
        ));
        settings.smtp_url = None;
        settings.mail_from = "not an address".into();
        assert!(matches!(
            Delivery::from_settings(&settings),
            Err(MailSetupError::From)
        ));
    }

    #[test]
    fn only_local_unforwarded_requests_open_the_mailbox() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        assert!(from_loopback(&local, &headers));
        assert!(!from_loopback(&remote, &headers));
        headers.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert!(!from_loopback(&local, &headers));
    }
}
