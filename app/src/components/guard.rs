//! Route guards: a page area renders only for the role it is for. The server functions behind the
//! pages check the caller again; this guard decides what the person sees and where they go.

use crate::auth::Role;
use crate::components::error_view::ErrorNotice;
use crate::error::AppError;
use crate::AuthContext;
use leptos::prelude::*;
use leptos_router::{components::Redirect, hooks::use_location};

/// Renders its children for people of this role only.
#[component]
pub fn RequireRole(role: Role, children: ChildrenFn) -> impl IntoView {
    guard(Some(role), children)
}

/// Renders its children for anyone signed in.
#[component]
pub fn RequireSignedIn(children: ChildrenFn) -> impl IntoView {
    guard(None, children)
}

/// The children are rendered synchronously, never inside a Suspense: an `<Outlet/>` among them
/// rendered inside one is rebuilt by the server a varying number of times, which numbers the
/// page's resources differently from the browser (a hydration mismatch on a share of page loads).
/// So the decision reads the person already known (`AuthContext::known`), never the resource.
fn guard(role: Option<Role>, children: ChildrenFn) -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let location = use_location();
    let allowed = Memo::new(
        move |_| matches!(auth.known.get(), Some(Ok(Some(user))) if role.is_none_or(|r| r == user.role)),
    );
    move || {
        match allowed.get() {
        true => children().into_any(),
        // Anything else waits for the person to be read again (in the browser, a navigation
        // right after signing in finds the previous answer still there while it reloads).
        false => view! {
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match auth.user.await {
                        Ok(Some(user)) if role.is_none_or(|r| r == user.role) => ().into_any(),
                        Ok(Some(_)) => view! { <ErrorNotice error=AppError::Forbidden/> }.into_any(),
                        Ok(None) => {
                            let here = format!(
                                "{}{}",
                                location.pathname.get_untracked(),
                                location.search.get_untracked()
                            );
                            let next: String = leptos_router::params::ParamsMap::from_iter([(
                                "next".to_string(),
                                here,
                            )])
                            .to_query_string();
                            view! { <Redirect path=format!("/sign-in{next}")/> }.into_any()
                        }
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        }
        .into_any(),
    }
    }
}
