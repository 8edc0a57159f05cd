//! The mails the portal sends: what each says, as plain text and HTML with the platform's
//! colour. Composing is pure; `db::mail_outbox` queues them and the server's mail worker sends.

use crate::db::mail_outbox::NewMail;

/// The product's name as people see it in the header and in mail.
pub const PRODUCT_NAME: &str = "Connect portal";

/// How long a link to confirm an address (new login or changed address) works.
pub const CONFIRM_LINK_SECS: i64 = 48 * 60 * 60;
/// How long a password reset link works.
pub const RESET_LINK_SECS: i64 = 60 * 60;

/// Which mail, as stored in `mail_outbox.kind` and shown in the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    ConfirmEmail,
    SignUpWithTakenAddress,
    PasswordReset,
    ConfirmEmailChange,
    EmailChangeRequested,
    EmailChangeToTakenAddress,
    EmailChanged,
    /// Notices to an account's owner (`domain::owner_notices`).
    RequirementsDue,
    DeadlineReminder,
    AccountRestricted,
    AccountRejected,
    CapabilityLost,
    PayoutFailed,
    /// The admins' digest (`crate::admin_digest`).
    AdminDigest,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::ConfirmEmail => "confirm_email",
            MailKind::SignUpWithTakenAddress => "sign_up_taken",
            MailKind::PasswordReset => "password_reset",
            MailKind::ConfirmEmailChange => "confirm_email_change",
            MailKind::EmailChangeRequested => "email_change_requested",
            MailKind::EmailChangeToTakenAddress => "email_change_taken",
            MailKind::EmailChanged => "email_changed",
            MailKind::RequirementsDue => "requirements_due",
            MailKind::DeadlineReminder => "deadline_reminder",
            MailKind::AccountRestricted => "account_restricted",
            MailKind::AccountRejected => "account_rejected",
            MailKind::CapabilityLost => "capability_lost",
            MailKind::PayoutFailed => "payout_failed",
            MailKind::AdminDigest => "admin_digest",
        }
    }

    /// What the console calls it.
    pub fn label(kind: &str) -> &'static str {
        match kind {
            "confirm_email" => "Confirm a new login's address",
            "sign_up_taken" => "Sign-up with an address that has a login",
            "password_reset" => "Password reset link",
            "confirm_email_change" => "Confirm a changed address",
            "email_change_requested" => "Address change requested (to the old address)",
            "email_change_taken" => "Address change to an address that has a login",
            "email_changed" => "Address changed (to the old address)",
            "requirements_due" => "Stripe needs information (to the owner)",
            "deadline_reminder" => "Deadline reminder (to the owner)",
            "account_restricted" => "Account restricted or past due (to the owner)",
            "account_rejected" => "Account rejected (to the owner)",
            "capability_lost" => "A capability stopped working (to the owner)",
            "payout_failed" => "Payout failed (to the owner)",
            "admin_digest" => "Admins' digest",
            _ => "Other",
        }
    }
}

/// What a single-use link in a mail is for (`email_tokens.purpose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    ConfirmEmail,
    ResetPassword,
    ChangeEmail,
}

impl LinkPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkPurpose::ConfirmEmail => "confirm_email",
            LinkPurpose::ResetPassword => "reset_password",
            LinkPurpose::ChangeEmail => "change_email",
        }
    }

    /// The page the link opens.
    pub fn path(self) -> &'static str {
        match self {
            LinkPurpose::ConfirmEmail => "/confirm-email",
            LinkPurpose::ResetPassword => "/reset-password",
            LinkPurpose::ChangeEmail => "/confirm-email-change",
        }
    }

    /// Whether `token` has the shape of a link token (64 hex digits): anything else is refused
    /// before the database is asked.
    pub fn well_formed(token: &str) -> bool {
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

/// The link a mail carries: `{public_url}{path}?token={token}`.
pub fn link(public_url: &str, purpose: LinkPurpose, token: &str) -> String {
    format!(
        "{}{}?token={token}",
        public_url.trim_end_matches('/'),
        purpose.path()
    )
}

/// Who a mail is for and how it looks.
pub struct Letterhead<'a> {
    pub public_url: &'a str,
    /// `#rrggbb`, the platform's primary colour.
    pub color: &'a str,
}

struct Body<'a> {
    greeting: &'a str,
    paragraphs: Vec<String>,
    /// Lists under headings, after the paragraphs (the admins' digest).
    sections: Vec<Section>,
    button: Option<(&'a str, String)>,
    footer: &'a str,
}

/// A heading and its lines, each with the console link that opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<(String, Option<String>)>,
}

/// A list line on one line: it carries names from Stripe (a business name is the owner's own
/// text), and a line break in one would let it pose as lines of the mail's own.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn compose(
    kind: MailKind,
    to: &str,
    subject: &str,
    head: &Letterhead<'_>,
    body: Body<'_>,
) -> NewMail {
    let mut text = format!("{}\n\n", body.greeting);
    for p in &body.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
    }
    for section in &body.sections {
        text.push_str(&format!("{}\n", section.heading));
        for (line, url) in &section.lines {
            let line = one_line(line);
            match url {
                Some(url) => text.push_str(&format!("- {line}\n  {url}\n")),
                None => text.push_str(&format!("- {line}\n")),
            }
        }
        text.push('\n');
    }
    if let Some((label, url)) = &body.button {
        text.push_str(&format!("{label}: {url}\n\n"));
    }
    text.push_str(body.footer);
    text.push_str(&format!("\n\n-- \n{PRODUCT_NAME}, {}\n", head.public_url));

    // Only a plain #rrggbb reaches the style attribute.
    let color = if head.color.len() == 7
        && head.color.starts_with('#')
        && head.color[1..].bytes().all(|b| b.is_ascii_hexdigit())
    {
        head.color
    } else {
        "#4f46e5"
    };
    let mut html = format!(
        "<!doctype html><html><body style=\"margin:0;padding:24px;background:#f6f7f9;\
         font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2328\">\
         <div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px\">\
         <p style=\"margin:0 0 16px;font-weight:600;color:{color}\">{}</p><p>{}</p>",
        escape(PRODUCT_NAME),
        escape(body.greeting)
    );
    for p in &body.paragraphs {
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    for section in &body.sections {
        html.push_str(&format!(
            "<h2 style=\"font-size:15px;margin:20px 0 8px\">{}</h2><ul style=\"padding-left:20px;margin:0\">",
            escape(&section.heading)
        ));
        for (line, url) in &section.lines {
            let line = &one_line(line);
            match url {
                Some(url) => html.push_str(&format!(
                    "<li style=\"margin:4px 0\"><a href=\"{}\" style=\"color:{color}\">{}</a></li>",
                    escape(url),
                    escape(line)
                )),
                None => html.push_str(&format!("<li style=\"margin:4px 0\">{}</li>", escape(line))),
            }
        }
        html.push_str("</ul>");
    }
    if let Some((label, url)) = &body.button {
        html.push_str(&format!(
            "<p style=\"margin:24px 0\"><a href=\"{url}\" style=\"background:{color};color:#fff;\
             padding:10px 16px;border-radius:6px;text-decoration:none;display:inline-block\">{}</a></p>\
             <p style=\"font-size:13px;color:#59636e\">{}<br>{}</p>",
            escape(label),
            escape("Or copy this address into your browser:"),
            escape(url),
            url = escape(url),
        ));
    }
    html.push_str(&format!(
        "<p style=\"font-size:13px;color:#59636e\">{}</p></div></body></html>",
        escape(body.footer)
    ));
    NewMail {
        kind: kind.as_str(),
        to_address: to.to_string(),
        subject: subject.to_string(),
        text_body: text,
        html_body: html,
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const NOT_YOU: &str = "If you did not ask for this, you can ignore this mail: nothing changes.";

pub fn confirm_email(head: &Letterhead<'_>, to: &str, token: &str) -> NewMail {
    compose(
        MailKind::ConfirmEmail,
        to,
        "Confirm your email address",
        head,
        Body {
            greeting: "Welcome!",
            paragraphs: vec![
                "Confirm that this is your address to finish creating your login. You can set up payouts with Stripe once it is confirmed.".into(),
                "The link works once, for 48 hours.".into(),
            ],
            sections: Vec::new(),
            button: Some(("Confirm my address", link(head.public_url, LinkPurpose::ConfirmEmail, token))),
            footer: NOT_YOU,
        },
    )
}

/// To the owner of an address someone tried to sign up with again (the sign-up page answers the
/// same whether or not the address has a login, so only this mail tells).
pub fn sign_up_with_taken_address(head: &Letterhead<'_>, to: &str) -> NewMail {
    compose(
        MailKind::SignUpWithTakenAddress,
        to,
        "Someone tried to create a login with your address",
        head,
        Body {
            greeting: "Hello,",
            paragraphs: vec![
                "Someone tried to create a new login with this address, which already has one. No second login was made.".into(),
                "If it was you, sign in instead; if you forgot your password, you can reset it.".into(),
            ],
            sections: Vec::new(),
            button: Some(("Reset my password", format!("{}/forgot-password", head.public_url.trim_end_matches('/')))),
            footer: "If it was not you, nothing changed and you need not do anything.",
        },
    )
}

pub fn password_reset(head: &Letterhead<'_>, to: &str, token: &str) -> NewMail {
    compose(
        MailKind::PasswordReset,
        to,
        "Reset your password",
        head,
        Body {
            greeting: "Hello,",
            paragraphs: vec![
                "Someone asked to reset the password of the login with this address. Choose a new password with the link below; every other signed-in browser is then signed out.".into(),
                "The link works once, for one hour.".into(),
            ],
            sections: Vec::new(),
            button: Some(("Choose a new password", link(head.public_url, LinkPurpose::ResetPassword, token))),
            footer: NOT_YOU,
        },
    )
}

pub fn confirm_email_change(head: &Letterhead<'_>, to: &str, token: &str) -> NewMail {
    compose(
        MailKind::ConfirmEmailChange,
        to,
        "Confirm your new email address",
        head,
        Body {
            greeting: "Hello,",
            paragraphs: vec![
                "Confirm this address to make it the one you sign in with. Until you do, your login keeps its old address.".into(),
                "The link works once, for 48 hours.".into(),
            ],
            sections: Vec::new(),
            button: Some(("Confirm my new address", link(head.public_url, LinkPurpose::ChangeEmail, token))),
            footer: NOT_YOU,
        },
    )
}

/// To the current address when a change to `new_address` is asked for.
pub fn email_change_requested(head: &Letterhead<'_>, to: &str, new_address: &str) -> NewMail {
    compose(
        MailKind::EmailChangeRequested,
        to,
        "Your login's address is about to change",
        head,
        Body {
            greeting: "Hello,",
            paragraphs: vec![
                format!("Someone signed in to your login asked to change its address to {new_address}. The change happens only when the link sent to that address is followed."),
                "If this was not you, sign in and change your password now.".into(),
            ],
            sections: Vec::new(),
            button: Some(("Sign in", format!("{}/sign-in", head.public_url.trim_end_matches('/')))),
            footer: "You get this mail because it is your login's current address.",
        },
    )
}

/// To an address that has a login, when another login asked to move to it.
pub fn email_change_to_taken_address(head: &Letterhead<'_>, to: &str) -> NewMail {
    compose(
        MailKind::EmailChangeToTakenAddress,
        to,
        "Someone tried to move their login to your address",
        head,
        Body {
            greeting: "Hello,",
            paragraphs: vec![
                "Another login asked to change its address to this one, which already has a login. Nothing changed: your login keeps this address.".into(),
            ],
            sections: Vec::new(),
            button: None,
            footer: "You need not do anything.",
        },
    )
}

/// To the old address once the change took effect.
pub fn email_changed(head: &Letterhead<'_>, to: &str, new_address: &str) -> NewMail {
    compose(
        MailKind::EmailChanged,
        to,
        "Your login's address was changed",
        head,
        Body {
            greeting: "Hello,",
            paragraphs: vec![
                format!("Your login now signs in with {new_address}. Mail about your account goes there from now on."),
                "If this was not you, contact the platform at once.".into(),
            ],
            sections: Vec::new(),
            button: None,
            footer: "This is the last mail this address gets about the login.",
        },
    )
}

/// What a notice to an account's owner is about, for its mail.
pub struct OwnerNoticeMail<'a> {
    pub notice: &'a domain::owner_notices::Notice,
    pub facts: &'a domain::owner_notices::NoticeFacts,
    /// For a failed payout: its amount in words and Stripe's reason, when given.
    pub payout: Option<(String, Option<String>)>,
}

const OWNER_FOOTER: &str =
    "You get this mail because your login owns this Stripe account on the platform. You choose which optional mails you get on your profile page.";

fn due_list(fields: &[String]) -> String {
    let mut labels: Vec<String> = fields
        .iter()
        .map(|f| domain::requirements::requirement_label(f))
        .collect();
    labels.sort();
    labels.dedup();
    labels.join("; ")
}

/// The sentence with Stripe's deadline, as Stripe gave it (never a date of the portal's own).
fn deadline_sentence(deadline: Option<i64>) -> String {
    match deadline {
        Some(d) => format!(
            "Stripe's deadline is {}. After it, Stripe may pause payments or payouts until the information is in.",
            domain::account_status::deadline_date_label(d)
        ),
        None => "Stripe has not set a deadline yet, but payments or payouts may be paused until the information is in.".into(),
    }
}

/// A mail to an account's owner about a change Stripe reported (see `domain::owner_notices`).
pub fn owner_notice(head: &Letterhead<'_>, to: &str, n: &OwnerNoticeMail<'_>) -> NewMail {
    use domain::owner_notices::NoticeKind;
    let base = head.public_url.trim_end_matches('/');
    let account = format!("{base}/account");
    let payouts = format!("{base}/account/payouts");
    let facts = n.facts;
    let (kind, subject, paragraphs, button) = match n.notice.kind {
        NoticeKind::RequirementsDue => (
            MailKind::RequirementsDue,
            "Stripe needs some information about your account".to_string(),
            vec![
                format!("Stripe asks for: {}.", due_list(&facts.currently_due)),
                deadline_sentence(facts.deadline),
                "It takes a few minutes on your account page.".into(),
            ],
            ("Provide the information", account),
        ),
        NoticeKind::ReminderWeek | NoticeKind::ReminderDay => (
            MailKind::DeadlineReminder,
            if n.notice.kind == NoticeKind::ReminderDay {
                "Reminder: Stripe's deadline is tomorrow".to_string()
            } else {
                "Reminder: Stripe's deadline is in a week".to_string()
            },
            vec![
                format!("Stripe still needs: {}.", due_list(&facts.currently_due)),
                deadline_sentence(facts.deadline),
            ],
            ("Provide the information", account),
        ),
        NoticeKind::Restricted => (
            MailKind::AccountRestricted,
            "Your account is restricted until Stripe has what it needs".to_string(),
            {
                let mut p = vec![match (facts.charges_enabled, facts.payouts_enabled) {
                    (false, false) => "Stripe has paused payments and payouts on your account.".to_string(),
                    (false, true) => "Stripe has paused payments on your account.".to_string(),
                    (true, false) => "Stripe has paused payouts on your account.".to_string(),
                    (true, true) => "The deadline for some information has passed, and Stripe may pause payments or payouts at any time.".to_string(),
                }];
                if !facts.past_due.is_empty() {
                    p.push(format!("Past due: {}.", due_list(&facts.past_due)));
                }
                p.push("Everything resumes once the information is in.".into());
                p
            },
            ("See what is needed", account),
        ),
        NoticeKind::Rejected => (
            MailKind::AccountRejected,
            "Your account was rejected".to_string(),
            vec![
                "Your Stripe account on the platform was rejected, so it cannot take payments or pay out.".into(),
                "If you think this is a mistake, reply to the platform's contact.".into(),
            ],
            ("Open your account", account),
        ),
        NoticeKind::CapabilityLost => {
            let name = n.notice.capability.as_deref().unwrap_or("A capability");
            (
                MailKind::CapabilityLost,
                format!("{} stopped working on your account", crate::account_view::capability_label(name)),
                vec![
                    format!("Stripe turned off {} on your account; it was active before.", crate::account_view::capability_label(name)),
                    "Your account page says what Stripe needs to turn it on again.".into(),
                ],
                ("Open your account", account),
            )
        }
        NoticeKind::PayoutFailed => {
            let (amount, reason) = n.payout.clone().unwrap_or_default();
            let mut p = vec![format!(
                "A payout{} to your bank account failed, and the money went back to your Stripe balance.",
                if amount.is_empty() { String::new() } else { format!(" of {amount}") }
            )];
            if let Some(reason) = reason {
                p.push(format!("Stripe's reason: {reason}"));
            }
            p.push("Check your bank details on the payouts page.".into());
            (MailKind::PayoutFailed, "A payout failed".to_string(), p, ("Open payouts", payouts))
        }
    };
    compose(
        kind,
        to,
        &subject,
        head,
        Body {
            greeting: "Hello,",
            paragraphs,
            sections: Vec::new(),
            button: Some((button.0, button.1)),
            footer: OWNER_FOOTER,
        },
    )
}

/// The name an account goes by in the console: its business name, else its email, else its id.
fn account_name(row: &crate::db::connected_accounts::ConnectedAccountRow) -> String {
    let name = row
        .business_name
        .as_deref()
        .or(row.email.as_deref())
        .unwrap_or(&row.stripe_account_id);
    if name == row.stripe_account_id {
        name.to_string()
    } else {
        format!("{name} ({})", row.stripe_account_id)
    }
}

/// A digest section of `total` items of which `lines` are listed, with "…and N more" linking to
/// `url` for the rest; `None` when there are none.
fn listed(
    heading: &str,
    mut lines: Vec<(String, Option<String>)>,
    total: i64,
    what: &str,
    url: String,
) -> Option<Section> {
    if total == 0 {
        return None;
    }
    let rest = total - lines.len() as i64;
    if rest > 0 {
        lines.push((format!("…and {rest} more {what} in the console"), Some(url)));
    }
    Some(Section {
        heading: heading.into(),
        lines,
    })
}

/// The admins' digest: each account, event and mail it reports links to the console page that
/// shows it. Only what Stripe's objects and the portal's records say (deadlines as Stripe gave
/// them, Stripe's `disabled_reason`).
pub fn admin_digest(head: &Letterhead<'_>, to: &str, r: &crate::admin_digest::Report) -> NewMail {
    use domain::account_status::{deadline_date_label, deadline_phrase, disabled_reason_text};
    use domain::calendar::moment_label;
    let base = head.public_url.trim_end_matches('/');
    let account_url = |id: &str| format!("{base}/admin/accounts/{id}");
    let restricted = r
        .restricted
        .iter()
        .map(|row| {
            let status = row
                .status
                .as_deref()
                .and_then(domain::account_status::AccountStatus::parse)
                .map_or("Restricted", |s| s.label());
            let reason = row
                .disabled_reason
                .as_deref()
                .map(|r| format!(" {}", disabled_reason_text(r)))
                .unwrap_or_default();
            (
                format!("{}: {status}.{reason}", account_name(row)),
                Some(account_url(&row.stripe_account_id)),
            )
        })
        .collect();
    let deadlines = r
        .deadlines
        .iter()
        .filter_map(|row| {
            let deadline = row.current_deadline?;
            Some((
                format!(
                    "{}: Stripe's deadline is {} ({})",
                    account_name(row),
                    deadline_date_label(deadline),
                    deadline_phrase(deadline, r.period_end)
                ),
                Some(account_url(&row.stripe_account_id)),
            ))
        })
        .collect();
    let events_url = format!("{base}/admin/events?status=failed");
    let failed_events = r
        .failed_events
        .iter()
        .map(|e| {
            let account = e
                .account_id
                .as_deref()
                .map(|a| format!(" for {a}"))
                .unwrap_or_default();
            let error = e
                .last_error
                .as_deref()
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            (
                format!("{} {}{account}{error}", e.event_type, e.id),
                Some(events_url.clone()),
            )
        })
        .collect();
    let mail_url = format!("{base}/admin/mail");
    let failed_mails = r
        .failed_mails
        .iter()
        .map(|m| {
            let error = m
                .last_error
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            (
                format!("{} to {}{error}", MailKind::label(&m.kind), m.to_address),
                Some(mail_url.clone()),
            )
        })
        .collect();
    let sections = [
        listed(
            "Restricted or rejected since the last digest",
            restricted,
            r.counts.restricted,
            "accounts",
            format!("{base}/admin/accounts?status=restricted"),
        ),
        listed(
            "Stripe's deadline in the next 7 days",
            deadlines,
            r.counts.deadlines,
            "accounts",
            format!("{base}/admin/accounts?deadline=7d"),
        ),
        listed(
            "Webhook events that failed since the last digest",
            failed_events,
            r.counts.failed_events,
            "events",
            events_url,
        ),
        listed(
            "Mail that could not be sent since the last digest",
            failed_mails,
            r.counts.failed_mails,
            "mails",
            mail_url,
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut paragraphs = vec![format!(
        "What needs the platform's staff, from {} to {}.",
        moment_label(r.period_start),
        moment_label(r.period_end)
    )];
    if r.failed_events_in_all > 0 {
        paragraphs.push(format!(
            "{} webhook event(s) are failed in all: retry them on the console's events page once the cause is fixed.",
            r.failed_events_in_all
        ));
    }
    if r.failed_mails_in_all > 0 {
        paragraphs.push(format!(
            "{} mail(s) could not be sent in all.",
            r.failed_mails_in_all
        ));
    }
    compose(
        MailKind::AdminDigest,
        to,
        &r.counts.subject(),
        head,
        Body {
            greeting: "Hello,",
            paragraphs,
            sections,
            button: Some(("Open the console", format!("{base}/admin"))),
            footer: "You get this digest because you are an admin of the platform. You can turn it off on the console's Mail page.",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> Letterhead<'static> {
        Letterhead {
            public_url: "https://portal.example.com/",
            color: "#123abc",
        }
    }

    #[test]
    fn links_carry_the_token_to_the_right_page() {
        assert_eq!(
            link("https://p.example/", LinkPurpose::ResetPassword, "ab"),
            "https://p.example/reset-password?token=ab"
        );
        let mail = confirm_email(&head(), "a@example.com", &"f".repeat(64));
        let url = format!(
            "https://portal.example.com/confirm-email?token={}",
            "f".repeat(64)
        );
        assert!(mail.text_body.contains(&url));
        assert!(mail.html_body.contains(&format!("href=\"{url}\"")));
        assert_eq!(mail.kind, "confirm_email");
        assert_eq!(mail.to_address, "a@example.com");
    }

    #[test]
    fn a_list_line_stays_one_line_and_escaped() {
        let mail = compose(
            MailKind::AdminDigest,
            "admin@example.com",
            "s",
            &head(),
            Body {
                greeting: "Hello,",
                paragraphs: vec![],
                sections: vec![Section {
                    heading: "Accounts".into(),
                    lines: vec![(
                        "Shop\r\n\nOpen: https://evil.example <b>x</b>".into(),
                        Some("https://portal.example.com/admin/accounts/acct_1".into()),
                    )],
                }],
                button: None,
                footer: "f",
            },
        );
        assert!(mail
            .text_body
            .contains("- Shop   Open: https://evil.example <b>x</b>\n  https://portal.example.com/admin/accounts/acct_1\n"));
        assert!(mail
            .html_body
            .contains("Shop   Open: https://evil.example &lt;b&gt;x&lt;/b&gt;</a>"));
    }

    #[test]
    fn html_is_escaped_and_the_colour_checked() {
        let mail = email_changed(&head(), "old@example.com", "<b>x</b>@example.com");
        assert!(mail.html_body.contains("&lt;b&gt;x&lt;/b&gt;@example.com"));
        assert!(!mail.html_body.contains("<b>x"));
        assert!(mail.html_body.contains("color:#123abc"));
        let odd = Letterhead {
            public_url: "https://p.example",
            color: "red;background:url(x)",
        };
        let mail = email_changed(&odd, "old@example.com", "new@example.com");
        assert!(!mail.html_body.contains("url(x)"));
        assert!(mail.html_body.contains("#4f46e5"));
    }

    #[test]
    fn owner_notices_link_to_the_page_that_fixes_them_with_stripes_deadline() {
        use domain::owner_notices::{notices_for_change, payout_failed, NoticeFacts};
        let facts = NoticeFacts {
            details_submitted: true,
            charges_enabled: true,
            payouts_enabled: true,
            currently_due: vec!["external_account".into()],
            deadline: Some(1_800_000_000),
            ..NoticeFacts::default()
        };
        let before = NoticeFacts {
            currently_due: vec![],
            ..facts.clone()
        };
        let notice = &notices_for_change(Some(&before), &facts)[0];
        let mail = owner_notice(
            &head(),
            "o@example.com",
            &OwnerNoticeMail {
                notice,
                facts: &facts,
                payout: None,
            },
        );
        assert_eq!(mail.kind, "requirements_due");
        assert!(mail
            .text_body
            .contains("https://portal.example.com/account\n"));
        assert!(mail
            .text_body
            .contains(&domain::account_status::deadline_date_label(1_800_000_000)));
        let none = NoticeFacts {
            deadline: None,
            ..facts.clone()
        };
        let mail = owner_notice(
            &head(),
            "o@example.com",
            &OwnerNoticeMail {
                notice,
                facts: &none,
                payout: None,
            },
        );
        assert!(mail.text_body.contains("has not set a deadline"));
        let mail = owner_notice(
            &head(),
            "o@example.com",
            &OwnerNoticeMail {
                notice: &payout_failed("po_1"),
                facts: &NoticeFacts::default(),
                payout: Some(("$5.00".into(), Some("<closed>".into()))),
            },
        );
        assert!(mail
            .text_body
            .contains("https://portal.example.com/account/payouts"));
        assert!(mail.html_body.contains("&lt;closed&gt;"));
    }

    #[test]
    fn tokens_are_64_hex_digits() {
        assert!(LinkPurpose::well_formed(&"0a".repeat(32)));
        assert!(!LinkPurpose::well_formed("0a"));
        assert!(!LinkPurpose::well_formed(&"zz".repeat(32)));
    }

    #[test]
    fn every_kind_has_a_label() {
        for kind in [
            MailKind::ConfirmEmail,
            MailKind::SignUpWithTakenAddress,
            MailKind::PasswordReset,
            MailKind::ConfirmEmailChange,
            MailKind::EmailChangeRequested,
            MailKind::EmailChangeToTakenAddress,
            MailKind::EmailChanged,
            MailKind::RequirementsDue,
            MailKind::DeadlineReminder,
            MailKind::AccountRestricted,
            MailKind::AccountRejected,
            MailKind::CapabilityLost,
            MailKind::PayoutFailed,
            MailKind::AdminDigest,
        ] {
            assert_ne!(MailKind::label(kind.as_str()), "Other");
        }
    }
}
