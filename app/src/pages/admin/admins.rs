//! `/admin/admins`: the admins (each removable, after a confirmation step), invite another admin
//! with a one-time link, and withdraw open invites.

use crate::admin_invites::{list_admin_invites, CreateAdminInvite, RevokeAdminInvite, INVITE_DAYS};
use crate::admins::{list_admins, AdminLine, RemoveAdmin};
use crate::components::error_view::error_fallback;
use crate::components::form::{action_error, FormError};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminsPage() -> impl IntoView {
    let create = ServerAction::<CreateAdminInvite>::new();
    let revoke = ServerAction::<RevokeAdminInvite>::new();
    let revoke_error = action_error(revoke);
    let invites = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_admin_invites(),
    );
    let remove = ServerAction::<RemoveAdmin>::new();
    let admins = Resource::new(
        move || (create.version().get(), remove.version().get()),
        |_| list_admins(),
    );
    // "Remove" asks first: a plain GET form names the admin in the URL, and the page then shows
    // what removing them does, with the button that does it (no script needed).
    let query = use_query_map();
    let confirming = move || {
        query
            .with(|q| q.get("remove"))
            .and_then(|id| id.parse::<i64>().ok())
    };
    view! {
        <Title text="Admins"/>
        <h1>"Admins"</h1>
        <div class="stack">
        <section class="card stack" aria-labelledby="admins-title">
            <h2 id="admins-title">"Platform admins"</h2>
            {move || remove.value().get().map(|r| match r {
                Ok(text) => view! { <p class="form-success" role="status">{text}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let asked = confirming();
                        let admins = admins.await?;
                        let asked = asked
                            .and_then(|id| admins.iter().find(|a| a.id == id).cloned());
                        Ok::<_, AppError>(view! {
                            {asked.map(|a| view! { <ConfirmRemoval admin=a remove=remove/> })}
                            <table class="table" data-testid="admins">
                                <thead><tr><th scope="col">"Email"</th><th scope="col">"Admin since"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                <tbody>
                                    {admins.into_iter().map(|a| {
                                        let label = format!("Remove {}", a.email);
                                        view! {
                                            <tr>
                                                <td>{a.email.clone()}{a.you.then_some(" (you)")}</td>
                                                <td>{a.since.clone()}</td>
                                                <td class="cell-action">
                                                    <form method="get" action="/admin/admins">
                                                        <input type="hidden" name="remove" value=a.id.to_string()/>
                                                        <button type="submit" class="button button-quiet button-small" aria-label=label>"Remove"</button>
                                                    </form>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        <section class="card stack" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite an admin"</h2>
            <p class="muted">{format!(
                "The link works once, for {INVITE_DAYS} days. Whoever opens it chooses an email and a password and becomes an admin, so send it only to the person you mean."
            )}</p>
            <ActionForm action=create attr:class="inline-reject">
                <label for="invite-note">"Who is it for?"</label>
                <input id="invite-note" name="note" maxlength="200" placeholder="Name or email (a reminder for you)"/>
                <button type="submit" class="button" disabled=move || create.pending().get()>"Create invite link"</button>
            </ActionForm>
            {move || create.value().get().map(|r| match r {
                Ok(url) => view! {
                    <div class="field">
                        <label for="invite-link">"Invite link"</label>
                        <input id="invite-link" readonly value=url data-testid="invite-link"/>
                        <p class="hint">"Copy it now: it is not shown again."</p>
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
        <section class="card stack" aria-labelledby="open-invites-title">
            <h2 id="open-invites-title">"Open invites"</h2>
            <FormError error=revoke_error/>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let invites = invites.await?;
                        Ok::<_, AppError>(if invites.is_empty() {
                            view! { <p class="muted">"No open invites."</p> }.into_any()
                        } else {
                            view! {
                                <table class="table" data-testid="invites">
                                    <thead><tr><th scope="col">"For"</th><th scope="col">"Created by"</th><th scope="col">"Created"</th><th scope="col">"Expires"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                                    <tbody>
                                        {invites.into_iter().map(|i| view! {
                                            <tr>
                                                <td>{if i.note.is_empty() { "—".to_string() } else { i.note.clone() }}</td>
                                                <td>{i.invited_by}</td>
                                                <td>{i.created}</td>
                                                <td>{i.expires}</td>
                                                <td class="cell-action">
                                                    <ActionForm action=revoke>
                                                        <input type="hidden" name="id" value=i.id/>
                                                        <button type="submit" class="button button-quiet button-small">"Withdraw"</button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
        </div>
    }
}

/// The confirmation step of removing an admin.
#[component]
fn ConfirmRemoval(admin: AdminLine, remove: ServerAction<RemoveAdmin>) -> impl IntoView {
    let what = if admin.you {
        "Remove yourself as an admin? Your login is deleted and you are signed out; the invites you made are withdrawn. Another admin must remain.".to_string()
    } else {
        format!(
            "Remove {} as an admin? Their login is deleted, they are signed out everywhere, and the invites they made are withdrawn.",
            admin.email
        )
    };
    view! {
        <div class="card card-danger stack" role="group" aria-labelledby="confirm-remove-text">
            <p id="confirm-remove-text">{what}</p>
            <ActionForm action=remove attr:class="inline-reject">
                <input type="hidden" name="id" value=admin.id.to_string()/>
                <button type="submit" class="button button-danger" disabled=move || remove.pending().get()>{format!("Yes, remove {}", admin.email)}</button>
                <a href="/admin/admins" class="button button-quiet">"Cancel"</a>
            </ActionForm>
        </div>
    }
}
