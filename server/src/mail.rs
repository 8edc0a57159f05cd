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
/// How long one whole send may take: well inside the lease.
const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How often the outbox is looked at when nothing woke the worker.
const POLL_EVERY: Duration = Duration::from_secs(2);

#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("SMTP_URL is not a valid smtp:// or smtps:// URL")]
    SmtpUrl,
    #[error(
        "SMTP_URL would send mail (and the SMTP password) unencrypted to another machine: use \
         smtps://, or smtp://…?tls=required"
    )]
    Cleartext,
    #[error("MAIL_FROM is not a valid address (e.g. `Payouts <payouts@platform.example>`)")]
    From,
    #[error(
        "SMTP_URL is not set and PUBLIC_URL is not a loopback http address: mail would only reach \
         the development mailbox. Set SMTP_URL (or ALLOW_DEV_MAILBOX=true for a test install)"
    )]
    NoSmtp,
}

/// Where mail goes.
pub enum Delivery {
    /// Kept in the database for the development mailbox.
    DevMailbox,
    Smtp(Box<AsyncSmtpTransport<Tokio1Executor>>),
}

impl Delivery {
    /// `public_url`: where people reach the portal (`None`: this machine).
    pub fn from_settings(
        settings: &MailSettings,
        public_url: Option<&str>,
    ) -> Result<(Delivery, Mailbox), MailSetupError> {
        let from: Mailbox = settings
            .mail_from
            .parse()
            .map_err(|_| MailSetupError::From)?;
        let delivery = match settings.smtp_url.as_deref().map(str::trim) {
            None | Some("") => {
                let local = public_url.is_none_or(crate::stripe_setup::is_loopback_http);
                if !local && !settings.allow_dev_mailbox {
                    return Err(MailSetupError::NoSmtp);
                }
                Delivery::DevMailbox
            }
            Some(url) if cleartext_to_another_machine(url) => {
                return Err(MailSetupError::Cleartext)
            }
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

/// Whether lettre would speak plain SMTP (no `tls=required`) to a host other than this machine.
fn cleartext_to_another_machine(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("smtp://") else {
        return false;
    };
    let (authority, query) = match rest.split_once('?') {
        Some((a, q)) => (a, q),
        None => (rest, ""),
    };
    if query.split('&').any(|p| p == "tls=required") {
        return false;
    }
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host_port = host_port.split('/').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    let local = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    !local
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
                    if *stopped.borrow() {
                        return;
                    }
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
        // The whole send inside the lease (lettre's timeout is per command), so no other instance
        // takes the mail while this one may still deliver it.
        Delivery::Smtp(transport) => {
            match tokio::time::timeout(SEND_TIMEOUT, send_smtp(transport, from, &mail)).await {
                Ok(result) => result,
                Err(_) => Err(SendError::Retry(
                    "the SMTP server did not finish in time".to_string(),
                )),
            }
        }
    };
    match result {
        Ok(()) => {
            let keep_bodies = matches!(delivery, Delivery::DevMailbox);
            mail_outbox::mark_sent(db, mail.id, mail.attempts, unix_now(), keep_bodies).await?;
            tracing::info!(mail_id = mail.id, kind = %mail.kind, "mail sent");
        }
        Err(error) => {
            let (error, retry) = match error {
                SendError::Retry(e) => (e, mail.attempts < max_attempts),
                SendError::Permanent(e) => (e, false),
            };
            let retry_at = retry.then(|| unix_now() + backoff_secs(mail.attempts));
            mail_outbox::mark_failed_attempt(
                db,
                mail.id,
                mail.attempts,
                &error,
                retry_at,
                unix_now(),
            )
            .await?;
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

/// Why a send failed: worth another try later, or not.
enum SendError {
    Retry(String),
    Permanent(String),
}

/// One SMTP send. The error is a short description of our own (what the server said is not
/// shown: it may quote the message).
async fn send_smtp(
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
    mail: &mail_outbox::MailRow,
) -> Result<(), SendError> {
    // The bare address, never a display name: what was stored is where the mail goes.
    let to = Mailbox::new(
        None,
        mail.to_address.parse().map_err(|_| {
            SendError::Permanent("the recipient's address is not valid".to_string())
        })?,
    );
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
        .map_err(|_| SendError::Permanent("the mail could not be built".to_string()))?;
    transport.send(message).await.map(|_| ()).map_err(|e| {
        if e.is_permanent() {
            SendError::Permanent(format!(
                "the SMTP server refused the mail ({})",
                smtp_code(&e)
            ))
        } else if e.is_transient() {
            SendError::Retry(format!(
                "the SMTP server asked to try later ({})",
                smtp_code(&e)
            ))
        } else if e.is_timeout() {
            SendError::Retry("the SMTP server did not answer in time".to_string())
        } else {
            SendError::Retry("the SMTP server could not be reached".to_string())
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
    // The Host too: a page elsewhere whose name resolves to 127.0.0.1 (DNS rebinding) names
    // itself, not this machine.
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    let local_name = name == "localhost"
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    addr.ip().is_loopback()
        && local_name
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
    let mail = match kept_mail(&state, &addr, &headers, id).await {
        Ok(mail) => mail,
        Err(refused) => return refused,
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
    match kept_mail(&state, &addr, &headers, id).await {
        Ok(mail) => mailbox_page(mail.html_body),
        Err(refused) => refused,
    }
}

/// Mail `id` of the development mailbox, for a request that may open it (else 404, as if there
/// were no mailbox).
async fn kept_mail(
    state: &app::state::AppState,
    addr: &SocketAddr,
    headers: &HeaderMap,
    id: i64,
) -> Result<mail_outbox::MailRow, Response> {
    if !state.settings.dev_mailbox || !from_loopback(addr, headers) {
        return Err(StatusCode::NOT_FOUND.into_response());
    }
    match mail_outbox::find(&state.db, id).await {
        Ok(Some(mail)) => Ok(mail),
        Ok(None) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(e) => {
            tracing::error!(error = %e, "development mailbox unreadable");
            Err(StatusCode::INTERNAL_SERVER_ERROR.into_response())
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
        let local = Some("http://127.0.0.1:3000");
        let public = Some("https://portal.example.com");
        assert!(matches!(
            Delivery::from_settings(&settings, local),
            Ok((Delivery::DevMailbox, _))
        ));
        assert!(matches!(
            Delivery::from_settings(&settings, None),
            Ok((Delivery::DevMailbox, _))
        ));
        // A public portal without SMTP refuses to start, unless asked for.
        assert!(matches!(
            Delivery::from_settings(&settings, public),
            Err(MailSetupError::NoSmtp)
        ));
        settings.allow_dev_mailbox = true;
        assert!(matches!(
            Delivery::from_settings(&settings, public),
            Ok((Delivery::DevMailbox, _))
        ));
        for url in [
            "smtps://u:p@mail.example.com",
            "smtp://u:p@mail.example.com:587?tls=required",
            "smtp://127.0.0.1:2525",
            "smtp://localhost:25",
        ] {
            settings.smtp_url = Some(url.into());
            assert!(
                matches!(
                    Delivery::from_settings(&settings, public),
                    Ok((Delivery::Smtp(_), _))
                ),
                "{url}"
            );
        }
        for url in [
            "smtp://u:p@mail.example.com:587",
            "smtp://mail.example.com:25?tls=opportunistic",
        ] {
            settings.smtp_url = Some(url.into());
            assert!(
                matches!(
                    Delivery::from_settings(&settings, public),
                    Err(MailSetupError::Cleartext)
                ),
                "{url}"
            );
        }
        settings.smtp_url = Some("http://mail.example.com".into());
        assert!(matches!(
            Delivery::from_settings(&settings, public),
            Err(MailSetupError::SmtpUrl)
        ));
        settings.smtp_url = None;
        settings.mail_from = "not an address".into();
        assert!(matches!(
            Delivery::from_settings(&settings, local),
            Err(MailSetupError::From)
        ));
    }

    #[test]
    fn only_local_unforwarded_requests_open_the_mailbox() {
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let remote: SocketAddr = "203.0.113.9:5000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("host", "127.0.0.1:3000".parse().unwrap());
        assert!(from_loopback(&local, &headers));
        assert!(!from_loopback(&remote, &headers));
        headers.insert("host", "localhost:3000".parse().unwrap());
        assert!(from_loopback(&local, &headers));
        headers.insert("host", "[::1]:3000".parse().unwrap());
        assert!(from_loopback(&local, &headers));
        // DNS rebinding: another name that resolved to this machine.
        headers.insert("host", "rebind.attacker.example:3000".parse().unwrap());
        assert!(!from_loopback(&local, &headers));
        headers.insert("host", "127.0.0.1:3000".parse().unwrap());
        headers.insert("x-forwarded-for", "203.0.113.9".parse().unwrap());
        assert!(!from_loopback(&local, &headers));
    }
}
