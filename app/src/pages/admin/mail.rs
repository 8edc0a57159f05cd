//! `/admin/mail`: the admins' digest (its schedule, the last ones, "send now") and the mail
//! outbox, newest first, with each mail's state, attempts and last error.

use crate::admin_digest::{digest_overview, SaveDigestChoice, SendDigestNow};
use crate::components::error_view::error_fallback;
use crate::error::AppError;
use crate::outbox::list_mail;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MailPage() -> impl IntoView {
    let send = ServerAction::<SendDigestNow>::new();
    let mail = Resource::new(move || send.version().get(), |_| list_mail());
    view! {
        <Title text="Mail"/>
        <h1>"Mail"</h1>
        <DigestSection send/>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let m = mail.await?;
                    Ok::<_, AppError>(view! {
                        <p class="muted">
                            {format!("{} sent · {} waiting · {} failed. ", m.sent, m.pending, m.failed)}
                            {if m.dev_mailbox {
                                view! { "No SMTP server is configured: mail is kept here, and opened in the "<a href="/dev/mailbox">"development mailbox"</a>" from this machine only." }.into_any()
                            } else {
                                view! { "Mail is sent through the configured SMTP server; waiting mail is tried again with growing pauses." }.into_any()
                            }}
                        </p>
                        {if m.lines.is_empty() {
                            view! { <p class="card muted">"No mail yet."</p> }.into_any()
                        } else {
                            view! {
                                <section class="card">
                                    <ul class="mail-list" data-testid="mail">
                                        {m.lines.into_iter().map(|l| view! {
                                            <li>
                                                <div class="mail-head">
                                                    <strong>{l.subject}</strong>
                                                    <span class=format!("status-badge small {}", tone(&l.state))>{l.state.clone()}</span>
                                                </div>
                                                <div class="muted">{format!("To {} · {} · {} attempt(s) · queued {}", l.to_address, l.kind, l.attempts, l.created)}</div>
                                                {l.last_error.map(|e| view! { <div class="field-error">{e}</div> })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            }.into_any()
                        }}
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// The digest's schedule, recipients and last runs, and a button that sends it now.
#[component]
fn DigestSection(send: ServerAction<SendDigestNow>) -> impl IntoView {
    let choose = ServerAction::<SaveDigestChoice>::new();
    let overview = Resource::new(
        move || (send.version().get(), choose.version().get()),
        |_| digest_overview(),
    );
    view! {
        <section class="card stack" aria-labelledby="digest-heading" data-testid="digest">
            <h2 id="digest-heading">"Admins' digest"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let o = overview.await?;
                        Ok::<_, AppError>(view! {
                            <p class="muted">
                                {match &o.schedule {
                                    Some(s) => format!("{s}, to {} of {} admin(s); not sent when there is nothing to report. ", o.recipients, o.admins),
                                    None => format!("Not scheduled (ADMIN_DIGEST_EVERY_SECS=0): sent only from here, to {} of {} admin(s). ", o.recipients, o.admins),
                                }}
                                "Each admin chooses here whether they get it."
                            </p>
                            <ActionForm action=choose>
                                <div class="inline-form">
                                    <label class="check">
                                        <input type="checkbox" name="digest" value="true" checked=o.mine/>
                                        " Send it to me"
                                    </label>
                                    <button type="submit" class="button button-quiet" disabled=move || choose.pending().get()>"Save"</button>
                                </div>
                            </ActionForm>
                            {(!o.recent.is_empty()).then(|| view! {
                                <ul class="mail-list">
                                    {o.recent.into_iter().map(|d| view! {
                                        <li>
                                            <div class="mail-head"><strong>{d.summary}</strong></div>
                                            <div class="muted">{format!(
                                                "{} · mailed to {} · {}",
                                                d.period,
                                                d.mailed,
                                                if d.by_admin { "sent by an admin" } else { "on schedule" }
                                            )}</div>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })}
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <ActionForm action=send>
                <button type="submit" class="button" disabled=move || send.pending().get()>"Send the digest now"</button>
            </ActionForm>
            {move || choose.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-success" role="status">"Your choice is saved."</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            {move || send.value().get().map(|r| match r {
                Ok(result) => view! { <p class="form-success" role="status">{result.message()}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

/// The badge colour of a mail's state.
fn tone(state: &str) -> &'static str {
    match state {
        "sent" => "tone-good",
        "failed" => "tone-bad",
        _ => "tone-info",
    }
}
