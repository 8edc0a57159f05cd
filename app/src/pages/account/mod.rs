//! The self-service portal for a connected account's owner (`/account/...`).

pub mod embedded;
pub mod onboarding;
pub mod test_data;

use crate::account_email::ResendConfirmation;
use crate::account_view::AccountOverview;
use crate::auth::Role;
use crate::components::error_view::error_fallback;
use crate::components::form::FormError;
use crate::components::guard::RequireRole;
use crate::components::layout::{AreaLayout, NavItem};
use crate::components::poll::polled;
use crate::components::requirements_view::RequirementsView;
use crate::error::AppError;
use crate::onboarding::{
    get_my_account, ContinueOnboarding, DisconnectStripe, MyAccount, OpenExpressDashboard,
    StartOauth, StartOnboarding, UpdateInformation,
};
use domain::account_status::NextAction;
use domain::platform::{OnboardingMode, UpdateRoute};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Outlet;

/// Notifications from Stripe that need the owner's action (the home page's banner sets it).
#[derive(Clone, Copy)]
pub struct NotificationCount(pub RwSignal<u32>);

/// Everything under `/account`: owners only, with the portal's navigation.
#[component]
pub fn AccountArea() -> impl IntoView {
    let count = NotificationCount(RwSignal::new(0));
    provide_context(count);
    view! {
        <RequireRole role=Role::Owner>
            <AreaLayout label="Your account" items=vec![
                NavItem { href: "/account", label: "Home", badge: Some(count.0.into()) },
                NavItem::new("/account/payments", "Payments"),
                NavItem::new("/account/payouts", "Payouts"),
                NavItem::new("/account/balances", "Balances"),
                NavItem::new("/account/documents", "Documents"),
                NavItem::new("/account/settings", "Account settings"),
                NavItem::new("/account/test-data", "Test data"),
            ]>
                <Outlet/>
            </AreaLayout>
        </RequireRole>
    }
}

#[component]
pub fn AccountHome() -> impl IntoView {
    let my = Resource::new(|| (), |_| get_my_account());
    // Set by the return URL after it read the account again from Stripe.
    let returned =
        leptos_router::hooks::use_query_map().with_untracked(|q| q.get("returned").is_some());
    view! {
        <Title text="Your account"/>
        <h1>"Your account"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    my.await.map(|my| {
                        // What matters first comes first: the status, the one next step and
                        // any deadline; the money below. The embedded parts are mounted once,
                        // around (not inside) the part that follows webhooks.
                        let onboarded = my.account.as_ref().is_some_and(|a| a.details_submitted);
                        if onboarded {
                            view! {
                                <embedded::HomeEmbeds>
                                    <AccountPanel initial=my returned/>
                                </embedded::HomeEmbeds>
                            }
                            .into_any()
                        } else {
                            view! { <div class="stack"><AccountPanel initial=my returned/></div> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

/// Error of a server action whose output is `()`.
fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Output = (), Error = AppError> + Clone + Send + Sync + 'static,
{
    crate::components::form::action_error(action)
}

/// The owner's account: the start button when there is none, else the requirements view with
/// the one action that moves it forward. Reads the cache again every few seconds (no Stripe call),
/// so a webhook's change shows without a reload.
#[component]
pub fn AccountPanel(initial: MyAccount, returned: bool) -> impl IntoView {
    let my = polled(initial, std::time::Duration::from_secs(4), get_my_account);
    move || {
        let my = my.get();
        match my.account {
            None if !my.email_confirmed => view! { <ConfirmEmailCard/> }.into_any(),
            None => view! { <StartCard onboarding=my.onboarding/> }.into_any(),
            Some(account) => {
                let action =
                    view! { <NextStep account=account.clone() onboarding=my.onboarding update_route=my.update_route returned/> }
                        .into_any();
                let disputes = (!my.disputes.is_empty()).then(|| {
                    view! { <OpenDisputes lines=my.disputes.clone() respond=my.respond_to_disputes/> }
                        .into_any()
                });
                let failed = (!my.failed_payouts.is_empty())
                    .then(|| view! { <FailedPayouts lines=my.failed_payouts.clone()/> }.into_any());
                view! { <div class="stack">{failed}<RequirementsView account action/>{disputes}</div> }
                    .into_any()
            }
        }
    }
}

/// Disputes of the owner's payments that are not decided yet, with what to do by when.
#[component]
fn OpenDisputes(lines: Vec<crate::disputes::DisputeLine>, respond: bool) -> impl IntoView {
    let count = lines.len();
    let due = lines.iter().filter(|l| l.needs_response).count();
    view! {
        <section class="card stack" aria-labelledby="disputes-title" data-testid="owner-disputes">
            <h2 id="disputes-title">
                {if count == 1 { "A payment is disputed".to_string() } else { format!("{count} payments are disputed") }}
            </h2>
            {(due > 0).then(|| if respond {
                view! { <p>"A customer's bank questioned these payments. Respond with your evidence before the deadline, or accept the dispute."</p> }.into_any()
            } else {
                view! { <p>"A customer's bank questioned these payments. The platform responds to disputes for you: contact them before the deadline with anything that shows the payment was genuine."</p> }.into_any()
            })}
            <crate::disputes::DisputeTable lines respond_link=respond/>
        </section>
    }
}

/// Payouts that failed in the last 30 days, in Stripe's words, with where to check the bank
/// account (the payouts page, whose embedded component manages it where the settings allow).
#[component]
fn FailedPayouts(lines: Vec<crate::failed_payouts::FailedPayoutLine>) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="failed-payouts-title" data-testid="owner-failed-payouts">
            <h2 id="failed-payouts-title">{if lines.len() == 1 { "A payout failed" } else { "Payouts failed" }}</h2>
            <ul class="requirements">
                {lines.into_iter().map(|l| view! {
                    <li>
                        <strong>{l.amount}</strong>
                        <span class="muted">{format!(" — {}", l.created)}</span>
                        {l.reason.map(|r| view! { <p>{format!("Stripe says: {r}")}</p> })}
                    </li>
                }).collect_view()}
            </ul>
            <p>"Check the bank account your payouts go to, and correct it if it is wrong."</p>
            <p><a class="button" href="/account/payouts">"Check your bank account"</a></p>
        </section>
    }
    .into_any()
}

/// Before onboarding: the address Stripe will get must be confirmed first.
#[component]
fn ConfirmEmailCard() -> impl IntoView {
    let resend = ServerAction::<ResendConfirmation>::new();
    let error = error_of(resend);
    let sent = move || matches!(resend.value().get(), Some(Ok(())));
    view! {
        <section class="card stack" aria-labelledby="confirm-title" data-testid="confirm-email-first">
            <h2 id="confirm-title">"Confirm your email address"</h2>
            <p>"We mailed you a link when you signed up. Follow it to confirm your address; then you can set up payments with Stripe, which uses this address for your account."</p>
            <Show when=sent>
                <p class="form-success" role="status">"A new link is on its way. It works for 48 hours."</p>
            </Show>
            <FormError error/>
            <ActionForm action=resend>
                <button type="submit" class="button button-quiet" disabled=move || resend.pending().get()>"Send the link again"</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn StartCard(onboarding: OnboardingMode) -> impl IntoView {
    let start = ServerAction::<StartOnboarding>::new();
    let oauth = ServerAction::<StartOauth>::new();
    let error = error_of(start);
    let oauth_error = error_of(oauth);
    view! {
        <section class="card stack" aria-labelledby="start-title">
            <h2 id="start-title">"Set up payments"</h2>
            <p>"To take payments and receive payouts through this platform, you need a Stripe account connected to it. It takes a few minutes: Stripe asks about you and your business, and where to send your money."</p>
            {if onboarding == OnboardingMode::ExpressOauth {
                view! {
                    <p class="hint">"You will sign in to Stripe (or create your Stripe account) and allow this platform to connect to it."</p>
                    <FormError error=oauth_error/>
                    <ActionForm action=oauth>
                        <button type="submit" class="button" disabled=move || oauth.pending().get()>"Connect with Stripe"</button>
                    </ActionForm>
                }.into_any()
            } else {
                view! {
                    <FormError error/>
                    <ActionForm action=start>
                        <button type="submit" class="button" disabled=move || start.pending().get()>
                            {move || if start.pending().get() { "Preparing your account…" } else { "Start onboarding" }}
                        </button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn NextStep(
    account: AccountOverview,
    onboarding: OnboardingMode,
    update_route: UpdateRoute,
    returned: bool,
) -> impl IntoView {
    let continue_ = ServerAction::<ContinueOnboarding>::new();
    let update = ServerAction::<UpdateInformation>::new();
    let express = ServerAction::<OpenExpressDashboard>::new();
    let continue_error = error_of(continue_);
    let update_error = error_of(update);
    let express_error = error_of(express);
    let still_due = !account.requirements.current.past_due.is_empty()
        || !account.requirements.current.currently_due.is_empty();
    let returned_note = returned.then(|| {
        if still_due || !account.details_submitted {
            view! { <p class="notice" role="status">"Welcome back. Stripe still needs the items below: continue when you are ready."</p> }.into_any()
        } else {
            view! { <p class="form-success" role="status">"Welcome back. Stripe has what it needs for now."</p> }.into_any()
        }
    });
    // Where Stripe collects requirements, what is due is collected by the onboarding form again
    // (an `account_update` link exists only where the platform collects them).
    let next = match account.next_action {
        NextAction::UpdateInformation if still_due && update_route != UpdateRoute::UpdateLink => {
            NextAction::ContinueOnboarding
        }
        other => other,
    };
    let button = match next {
        NextAction::ContinueOnboarding => Some(view! {
            <FormError error=continue_error/>
            <ActionForm action=continue_>
                <button type="submit" class="button" disabled=move || continue_.pending().get()>
                    {if onboarding == OnboardingMode::Embedded { "Continue onboarding" } else { "Continue onboarding on Stripe" }}
                </button>
            </ActionForm>
        }.into_any()),
        NextAction::UpdateInformation => Some(view! {
            <FormError error=update_error/>
            <ActionForm action=update>
                <button type="submit" class="button" disabled=move || update.pending().get()>"Update information"</button>
            </ActionForm>
        }.into_any()),
        NextAction::WaitForStripe => Some(view! {
            <p class="hint">{NextAction::WaitForStripe.label()}</p>
        }.into_any()),
        NextAction::None => None,
    };
    let express_button = (account.dashboard_type.as_deref() == Some("express") && account.details_submitted).then(|| view! {
        <FormError error=express_error/>
        <ActionForm action=express>
            <button type="submit" class="button button-quiet" disabled=move || express.pending().get()>"Open your Express dashboard"</button>
        </ActionForm>
    });
    let disconnect = ServerAction::<DisconnectStripe>::new();
    let disconnect_error = error_of(disconnect);
    let disconnect_button = (onboarding == OnboardingMode::ExpressOauth && !account.revoked).then(|| view! {
        <FormError error=disconnect_error/>
        <ActionForm action=disconnect on:submit=|ev| {
            if !window().confirm_with_message("Disconnect your Stripe account from this platform?").unwrap_or(false) {
                ev.prevent_default();
            }
        }>
            <button type="submit" class="button button-quiet">"Disconnect from Stripe"</button>
        </ActionForm>
    });
    view! {
        {returned_note}
        <div class="actions">{button}{express_button}{disconnect_button}</div>
    }
}
