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
    let list = NodeRef::<leptos::html::Ul>::new();
    // On a phone the navigation is one row that scrolls sideways (style/main.css): after each
    // navigation, bring the current page's link into view. Only that row scrolls, never the page.
    #[cfg(feature = "hydrate")]
    {
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            location.pathname.track();
            let Some(list) = list.get() else { return };
            // After the links have marked the current page.
            request_animation_frame(move || {
                let Some(current) = list
                    .query_selector("a[aria-current=page]")
                    .ok()
                    .flatten()
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                else {
                    return;
                };
                // The list is the links' offset parent (`position: relative`).
                let (left, width) = (current.offset_left(), current.offset_width());
                let (scrolled, visible) = (list.scroll_left(), list.client_width());
                if left < scrolled || left + width > scrolled + visible {
                    list.set_scroll_left((left - 16).max(0));
                }
            });
        });
    }
    view! {
        <div class="area">
            <nav class="area-nav" aria-label=label>
                <p class="area-label">{label}</p>
                <ul node_ref=list>
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
