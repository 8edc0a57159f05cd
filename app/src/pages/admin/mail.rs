//! `/admin/mail`: the mail outbox, newest first, with each mail's state, attempts and last error.

use crate::components::error_view::error_fallback;
use crate::error::AppError;
use crate::outbox::list_mail;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MailPage() -> impl IntoView {
    let mail = Resource::new(|| (), |_| list_mail());
    view! {
        <Title text="Mail"/>
        <h1>"Mail"</h1>
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

/// The badge colour of a mail's state.
fn tone(state: &str) -> &'static str {
    match state {
        "sent" => "tone-good",
        "failed" => "tone-bad",
        _ => "tone-info",
    }
}
