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

fn guard(role: Option<Role>, children: ChildrenFn) -> impl IntoView {
    let auth = expect_context::<AuthContext>();
    let location = use_location();
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match auth.user.await {
                    Ok(Some(user)) if role.is_none_or(|r| r == user.role) => children.read_value()().into_any(),
                    Ok(Some(_)) => view! { <ErrorNotice error=AppError::Forbidden/> }.into_any(),
                    Ok(None) => {
                        let here = format!("{}{}", location.pathname.get_untracked(), location.search.get_untracked());
                        let next: String = leptos_router::params::ParamsMap::from_iter([("next".to_string(), here)])
                            .to_query_string();
                        view! { <Redirect path=format!("/sign-in{next}")/> }.into_any()
                    }
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                }
            })}
        </Transition>
    }
}
