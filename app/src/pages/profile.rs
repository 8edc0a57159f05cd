//! `/profile`: the signed-in person's own login (owners and admins alike).

use crate::components::error_view::error_fallback;
use crate::components::form::{action_error, field_message, Field, FormError};
use crate::components::guard::RequireSignedIn;
use crate::mail_choices::{get_mail_choices, SaveMailChoices};
use crate::profile::{list_my_sessions, ChangeEmail, ChangePassword, DeleteMyLogin, EndSession};
use crate::validation::PASSWORD_HINT;
use crate::AuthContext;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <Title text="Your profile"/>
        <RequireSignedIn>
            <ProfileSections/>
        </RequireSignedIn>
    }
}

#[component]
fn ProfileSections() -> impl IntoView {
    // Shared so the list of sessions is read again when a password change signs the others out.
    let change_password = ServerAction::<ChangePassword>::new();
    view! {
        <div class="stack profile">
            <h1>"Your profile"</h1>
            <EmailSection/>
            <PasswordSection action=change_password/>
            <MailSection/>
            <SessionsSection password_changes=change_password/>
            <DeleteSection/>
        </div>
    }
}

/// A short confirmation shown after an action succeeded.
fn done_message<S>(action: ServerAction<S>, text: &'static str) -> impl IntoView
where
    S: leptos::server_fn::ServerFn<Output = (), Error = crate::error::AppError>
        + Clone
        + Send
        + Sync
        + 'static,
{
    move || {
        matches!(action.value().get(), Some(Ok(())))
            .then(|| view! { <p class="form-success" role="status">{text}</p> })
    }
}

#[component]
fn EmailSection() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let action = ServerAction::<ChangeEmail>::new();
    let error = action_error(action);
    // Set by the confirmation link's page once the new address took effect.
    let changed = leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("email").as_deref() == Some("changed"));
    view! {
        <section class="card" aria-labelledby="email-heading">
            <h2 id="email-heading">"Email"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    auth.user.await.ok().flatten().map(|u| view! {
                        <p class="muted">"You sign in with " <strong>{u.email}</strong> "."</p>
                    })
                })}
            </Transition>
            {changed.then(|| view! { <p class="form-success" role="status">"Your new address is confirmed: you sign in with it from now on, and your other sessions were signed out."</p> })}
            <ActionForm action=action>
                <Field label="New email" name="new_email" kind="email" autocomplete="email"
                    error=field_message(error, "new_email")/>
                <Field label="Your password" name="password" kind="password" autocomplete="current-password"
                    error=field_message(error, "password")/>
                <FormError error/>
                {done_message(action, "We sent a link to the new address. Your address changes when you follow it; until then you sign in with the current one.")}
                <button type="submit" class="button" disabled=move || action.pending().get()>"Change email"</button>
            </ActionForm>
        </section>
    }
}

/// The owner's optional mails; shown to account owners only (admins own no account). One
/// resource and one Suspend: whether to show the form and what it holds are read together (a
/// form inside a second, nested Suspend failed to hydrate now and then).
#[component]
fn MailSection() -> impl IntoView {
    let action = ServerAction::<SaveMailChoices>::new();
    let choices = Resource::new(
        move || action.version().get(),
        |_| async {
            let owner = crate::auth::get_current_user()
                .await?
                .is_some_and(|u| u.role == crate::auth::Role::Owner);
            if owner {
                get_mail_choices().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let error = action_error(action);
    view! {
        <Transition fallback=|| ()>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    choices.await.map(|c| c.map(|c| view! {
                        <section class="card" aria-labelledby="mail-heading">
                            <h2 id="mail-heading">"Mail about your account"</h2>
                            <p class="muted">
                                "We always mail you when Stripe needs information from you, and when your account is restricted or rejected: those need you to act. "
                                "You choose the others."
                            </p>
                            <ActionForm action=action>
                                <fieldset class="stack-tight mail-choices">
                                    <legend class="visually-hidden">"Optional mails"</legend>
                                    <label class="check">
                                        <input type="checkbox" name="reminders" value="true" checked=c.reminders/>
                                        " Reminders 7 days and 1 day before Stripe's deadline"
                                    </label>
                                    <label class="check">
                                        <input type="checkbox" name="payouts_and_capabilities" value="true" checked=c.payouts_and_capabilities/>
                                        " A failed payout, or a way of getting paid that Stripe turned off"
                                    </label>
                                </fieldset>
                                <FormError error/>
                                {done_message(action, "Your mail choices are saved.")}
                                <button type="submit" class="button" disabled=move || action.pending().get()>"Save mail choices"</button>
                            </ActionForm>
                        </section>
                    }))
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn PasswordSection(action: ServerAction<ChangePassword>) -> impl IntoView {
    let error = action_error(action);
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <ActionForm action=action>
                <Field label="Current password" name="current_password" kind="password"
                    autocomplete="current-password" error=field_message(error, "current_password")/>
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password"
                    hint=PASSWORD_HINT error=field_message(error, "new_password")/>
                <Field label="Repeat the new password" name="new_password_confirm" kind="password"
                    autocomplete="new-password" error=field_message(error, "new_password_confirm")/>
                <FormError error/>
                {done_message(action, "Your password was changed, and your other sessions were signed out.")}
                <button type="submit" class="button" disabled=move || action.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn SessionsSection(password_changes: ServerAction<ChangePassword>) -> impl IntoView {
    let end = ServerAction::<EndSession>::new();
    let sessions = Resource::new(
        move || (end.version().get(), password_changes.version().get()),
        |_| list_my_sessions(),
    );
    let error = action_error(end);
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you are signed in"</h2>
            <FormError error/>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        sessions.await.map(|list| view! {
                            <table class="table">
                                <thead><tr><th scope="col">"Device"</th><th scope="col">"Last seen"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|s| {
                                        let label = format!("Sign out {} ({})", s.device, s.last_seen);
                                        view! {
                                            <tr>
                                                <td>{s.device.clone()}</td>
                                                <td>{s.last_seen.clone()}</td>
                                                <td class="cell-action">
                                                    {if s.current {
                                                        view! { <span class="badge">"This browser"</span> }.into_any()
                                                    } else {
                                                        view! {
                                                            <ActionForm action=end attr:class="inline-form">
                                                                <input type="hidden" name="handle" value=s.handle.clone()/>
                                                                <button type="submit" class="button button-quiet button-small" aria-label=label>"Sign out"</button>
                                                            </ActionForm>
                                                        }.into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

#[component]
fn DeleteSection() -> impl IntoView {
    let action = ServerAction::<DeleteMyLogin>::new();
    let error = action_error(action);
    view! {
        <section class="card card-danger" aria-labelledby="delete-heading">
            <h2 id="delete-heading">"Remove your login"</h2>
            <p class="muted">
                "This deletes your login to this portal and signs you out everywhere. "
                "A Stripe account connected to it stays as it is on Stripe; the platform's staff will see it without an owner."
            </p>
            <ActionForm action=action>
                <Field label="Your password" name="password" kind="password" autocomplete="current-password"
                    error=field_message(error, "password")/>
                <FormError error/>
                <button type="submit" class="button button-danger" disabled=move || action.pending().get()>"Remove my login"</button>
            </ActionForm>
        </section>
    }
}
