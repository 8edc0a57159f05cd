//! The platform admin console (`/admin/...`).

use crate::auth::Role;
use crate::components::error_view::error_fallback;
use crate::components::guard::RequireRole;
use crate::components::layout::{AreaLayout, NavItem};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;
use serde::{Deserialize, Serialize};

/// Everything under `/admin`: platform admins only, with the console's navigation.
#[component]
pub fn ConsoleArea() -> impl IntoView {
    view! {
        <RequireRole role=Role::Admin>
            <AreaLayout label="Admin console" items=vec![NavItem::new("/admin", "Overview")]>
                <Outlet/>
            </AreaLayout>
        </RequireRole>
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeopleCounts {
    pub admins: i64,
    pub owners: i64,
}

#[server]
pub async fn get_people_counts() -> Result<PeopleCounts, AppError> {
    crate::error::with_status(people_counts().await)
}

#[cfg(feature = "ssr")]
async fn people_counts() -> Result<PeopleCounts, AppError> {
    crate::auth::ssr::require_role(Role::Admin).await?;
    let state = crate::state::app_state()?;
    let mut counts = PeopleCounts {
        admins: 0,
        owners: 0,
    };
    for (role, count) in crate::db::users::count_by_role(&state.db).await? {
        match Role::parse(&role) {
            Some(Role::Admin) => counts.admins = count,
            Some(Role::Owner) => counts.owners = count,
            None => {}
        }
    }
    Ok(counts)
}

#[component]
pub fn ConsoleOverview() -> impl IntoView {
    let counts = Resource::new(|| (), |_| get_people_counts());
    view! {
        <Title text="Admin console"/>
        <h1>"Overview"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    counts.await.map(|c| view! {
                        <dl class="stats">
                            <div class="stat"><dt>"Account owners"</dt><dd>{c.owners}</dd></div>
                            <div class="stat"><dt>"Platform admins"</dt><dd>{c.admins}</dd></div>
                        </dl>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
