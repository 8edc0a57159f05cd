use crate::AuthContext;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Landing() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    view! {
        <Title text=""/>
        <section class="hero">
            <h1>"Get paid through our platform"</h1>
            <p class="lead">
                "Connect portal is where you set up and manage the Stripe account that receives your payouts: "
                "finish verification, see what Stripe still needs and by when, and follow your payments and payouts."
            </p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! {
                            <p class="actions">
                                <a class="button" href=user.role.home_path()>"Continue"</a>
                            </p>
                        }.into_any(),
                        _ => view! {
                            <p class="actions">
                                <a class="button" href="/sign-up">"Create an account"</a>
                                <a class="button button-quiet" href="/sign-in">"Sign in"</a>
                            </p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
