use crate::components::error_view::set_status;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    set_status(404);
    view! {
        <Title text="Page not found"/>
        <section class="narrow">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. Check the link, or go back to the start."</p>
            <p><a class="button" href="/">"Go to the start page"</a></p>
        </section>
    }
}
