//! The page frame: header with the signed-in person, and the navigation of each area.

use crate::auth::{CurrentUser, Role};
use crate::AuthContext;
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar on every page.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    view! {
        <header class="site-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                "Connect portal"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) => view! { <UserMenu user/> }.into_any(),
                        _ => view! {
                            <nav class="header-links" aria-label="Account">
                                <A href="/sign-in">"Sign in"</A>
                                <A href="/sign-up" attr:class="button button-small">"Create an account"</A>
                            </nav>
                        }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}

#[component]
fn UserMenu(user: CurrentUser) -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let area = match user.role {
        Role::Admin => ("/admin", "Admin console"),
        Role::Owner => ("/account", "Your account"),
    };
    view! {
        <div class="user-menu">
            <A href=area.0>{area.1}</A>
            <A href="/profile" attr:class="user-email" attr:title="Your profile">{user.email}</A>
            <ActionForm action=auth.sign_out attr:class="inline-form">
                <button type="submit" class="button button-quiet button-small">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

/// One entry of an area's navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    /// A count shown beside the label when above zero (e.g. notifications needing action).
    pub badge: Option<Signal<u32>>,
}

impl NavItem {
    pub fn new(href: &'static str, label: &'static str) -> Self {
        NavItem {
            href,
            label,
            badge: None,
        }
    }
}

/// An area of the site (the portal or the console): its navigation beside its pages.
#[component]
pub fn AreaLayout(label: &'static str, items: Vec<NavItem>, children: Children) -> impl IntoView {
    view! {
        <div class="area">
            <nav class="area-nav" aria-label=label>
                <p class="area-label">{label}</p>
                <ul>
                    {items
                        .into_iter()
                        .map(|item| {
                            let badge = item.badge.map(|count| view! {
                                <span class="badge nav-badge" hidden=move || count.get() == 0>
                                    {move || count.get()}
                                    <span class="visually-hidden">" need attention"</span>
                                </span>
                            });
                            view! { <li><A href=item.href exact=true>{item.label}{badge}</A></li> }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <div class="area-content">{children()}</div>
        </div>
    }
}
