//! `/invite/{token}`: accepting an admin invite (a new admin login, then the console).

use crate::admin_invites::{check_admin_invite, AcceptAdminInvite};
use crate::components::form::{action_error, field_message, Field, FormError};
use crate::validation::PASSWORD_HINT;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn InvitePage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let invite = Resource::new(token, check_admin_invite);
    let action = ServerAction::<AcceptAdminInvite>::new();
    let error = action_error(action);
    view! {
        <Title text="Admin invite"/>
        <section class="card narrow">
            <h1>"Join the admin console"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match invite.await {
                        Ok(inviter) => view! {
                            <p class="muted">{format!("{inviter} invited you to administer this platform's connected accounts. Choose the email and password you will sign in with.")}</p>
                            <ActionForm action=action>
                                <input type="hidden" name="token" value=token/>
                                <Field label="Email" name="email" kind="email" autocomplete="email"
                                    error=field_message(error, "email")/>
                                <Field label="Password" name="password" kind="password" autocomplete="new-password"
                                    hint=PASSWORD_HINT error=field_message(error, "password")/>
                                <Field label="Repeat the password" name="password_confirm" kind="password"
                                    autocomplete="new-password" error=field_message(error, "password_confirm")/>
                                <FormError error/>
                                <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                                    "Create admin login"
                                </button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! {
                            <p class="form-error" role="alert">{e.to_string()}</p>
                            <p><a href="/sign-in">"Sign in"</a></p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
