use crate::auth::SignUp;
use crate::components::form::{action_error, field_message, Field, FormError};
use crate::validation::PASSWORD_HINT;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let error = action_error(action);
    view! {
        <Title text="Create an account"/>
        <section class="card narrow">
            <h1>"Create an account"</h1>
            <p class="muted">"For people who will receive payouts through this platform."</p>
            <ActionForm action=action>
                <Field label="Email" name="email" kind="email" autocomplete="email"
                    error=field_message(error, "email")/>
                <Field label="Password" name="password" kind="password" autocomplete="new-password"
                    hint=PASSWORD_HINT error=field_message(error, "password")/>
                <Field label="Repeat the password" name="password_confirm" kind="password"
                    autocomplete="new-password" error=field_message(error, "password_confirm")/>
                <FormError error/>
                <button type="submit" class="button button-wide" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { "Creating your account…" } else { "Create account" }}
                </button>
            </ActionForm>
            <p class="muted">"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}
