//! The pages a mailed link or the sign-up opens: "check your email", confirming an address
//! (new login or changed address), "forgot your password?" and choosing a new one.
//!
//! A link opens a page with a button rather than acting on the GET: mail scanners open links
//! before people do, and must not use them up.

use crate::account_email::{
    check_email_link, ConfirmEmail, ConfirmEmailChange, RequestPasswordReset, ResetPassword,
};
use crate::components::form::{action_error, field_message, Field, FormError};
use crate::validation::PASSWORD_HINT;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn token_from_query() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let query = use_query_map();
    move || query.with(|q| q.get("token")).unwrap_or_default()
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    view! {
        <Title text="Check your email"/>
        <section class="card narrow" data-testid="check-email">
            <h1>"Check your email"</h1>
            <p>"We sent a mail to the address you gave. Follow its link to confirm the address and finish creating your login."</p>
            <p class="muted">"The link works for 48 hours. Nothing arrived after a few minutes? Look in your spam folder, or sign in and send it again."</p>
            <p><a href="/sign-in" class="button button-quiet">"Sign in"</a></p>
        </section>
    }
}

/// A link's page: whether it can still be used, then `open` (the form that uses it).
#[component]
fn LinkCheck(purpose: &'static str, children: ChildrenFn) -> impl IntoView {
    let token = token_from_query();
    let open = Resource::new(token, move |token| {
        check_email_link(token, purpose.to_string())
    });
    let children = StoredValue::new(children);
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match open.await {
                    Ok(()) => children.with_value(|c| c()).into_any(),
                    Err(e) => view! {
                        <p class="form-error" role="alert">{e.to_string()}</p>
                        <p class="muted">"Sign in to send a new confirmation link, or ask for a new password reset link."</p>
                        <p><a href="/sign-in">"Sign in"</a>" · "<a href="/forgot-password">"Forgot your password?"</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let token = token_from_query();
    let action = ServerAction::<ConfirmEmail>::new();
    let error = action_error(action);
    view! {
        <Title text="Confirm your email address"/>
        <section class="card narrow">
            <h1>"Confirm your email address"</h1>
            <LinkCheck purpose="confirm_email">
                <p class="muted">"Confirm that this address is yours; then sign in with your password."</p>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token/>
                    <FormError error/>
                    <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                        "Confirm my address"
                    </button>
                </ActionForm>
            </LinkCheck>
        </section>
    }
}

#[component]
pub fn ConfirmEmailChangePage() -> impl IntoView {
    let token = token_from_query();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let error = action_error(action);
    view! {
        <Title text="Confirm your new email address"/>
        <section class="card narrow">
            <h1>"Confirm your new email address"</h1>
            <LinkCheck purpose="change_email">
                <p class="muted">"Your login will sign in with this address from now on, and every other signed-in browser is signed out."</p>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token/>
                    <FormError error/>
                    <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                        "Use this address"
                    </button>
                </ActionForm>
            </LinkCheck>
        </section>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Forgot your password?"/>
        <section class="card narrow">
            <h1>"Forgot your password?"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p class="muted">"Give the address you sign in with. If a login has it, we mail a link to choose a new password."</p>
                    <ActionForm action=action>
                        <Field label="Email" name="email" kind="email" autocomplete="email"
                            error=field_message(error, "email")/>
                        <FormError error/>
                        <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                            "Send me a link"
                        </button>
                    </ActionForm>
                }
            >
                <p class="form-success" role="status">"If a login has that address, a mail with a link is on its way. The link works once, for one hour."</p>
            </Show>
            <p class="muted"><a href="/sign-in">"Back to sign in"</a></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = token_from_query();
    let action = ServerAction::<ResetPassword>::new();
    let error = action_error(action);
    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow">
            <h1>"Choose a new password"</h1>
            <LinkCheck purpose="reset_password">
                <p class="muted">"Every other browser signed in to your login is signed out."</p>
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token/>
                    <Field label="New password" name="new_password" kind="password" autocomplete="new-password"
                        hint=PASSWORD_HINT error=field_message(error, "new_password")/>
                    <Field label="Repeat the new password" name="new_password_confirm" kind="password"
                        autocomplete="new-password" error=field_message(error, "new_password_confirm")/>
                    <FormError error/>
                    <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                        "Set the new password"
                    </button>
                </ActionForm>
            </LinkCheck>
        </section>
    }
}
