//! The self-service portal for a connected account's owner (`/account/...`).

pub mod test_data;

use crate::auth::Role;
use crate::components::guard::RequireRole;
use crate::components::layout::{AreaLayout, NavItem};
use crate::AuthContext;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

/// Everything under `/account`: owners only, with the portal's navigation.
#[component]
pub fn AccountArea() -> impl IntoView {
    view! {
        <RequireRole role=Role::Owner>
            <AreaLayout label="Your account" items=vec![
                NavItem { href: "/account", label: "Home" },
                NavItem { href: "/account/test-data", label: "Test data" },
            ]>
                <Outlet/>
            </AreaLayout>
        </RequireRole>
    }
}

#[component]
pub fn AccountHome() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                auth.user.await.ok().flatten().map(|user| view! {
                    <p class="lead">"Signed in as " <strong>{user.email}</strong> "."</p>
                })
            })}
        </Transition>
    }
}
