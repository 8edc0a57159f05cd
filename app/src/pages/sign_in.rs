use crate::auth::SignIn;
use crate::components::form::{action_error, field_message, Field, FormError};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            {move || match query.read().get("email").as_deref() {
                Some("changed") => Some(view! { <p class="form-success" role="status">"Your new address is confirmed. Sign in with it."</p> }),
                Some("confirmed") => Some(view! { <p class="form-success" role="status">"Your address is confirmed. Sign in with your password to go on."</p> }),
                _ => None,
            }}
            <ActionForm action=action>
                <input type="hidden" name="next" prop:value=next value=next/>
                <Field label="Email" name="email" kind="email" autocomplete="email"
                    error=field_message(error, "email")/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password"
                    error=field_message(error, "password")/>
                <FormError error/>
                <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                </button>
            </ActionForm>
            <p class="muted"><a href="/forgot-password">"Forgot your password?"</a></p>
            <p class="muted">"New here? " <a href="/sign-up">"Create an account"</a></p>
        </section>
    }
}
