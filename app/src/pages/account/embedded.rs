//! The owner's pages built on Stripe's embedded components: payments, payouts, balances,
//! documents, account settings, and embedded onboarding.

use crate::components::connect_embed::{ConnectEmbed, ConnectPage};
use crate::components::error_view::error_fallback;
use crate::components::payout_schedule_view::PayoutScheduleSection;
use crate::onboarding::get_my_account;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shows its children once the owner has a connected account; before that, the way to start.
#[component]
fn RequireAccount(children: ChildrenFn) -> impl IntoView {
    let my = Resource::new(|| (), |_| get_my_account());
    let children = StoredValue::new(children);
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    my.await.map(|my| match my.account {
                        Some(_) => children.read_value()().into_any(),
                        None => view! {
                            <section class="card stack">
                                <p class="lead">"This appears once your Stripe account is set up."</p>
                                <p><a class="button" href="/account">"Set up payments"</a></p>
                            </section>
                        }
                        .into_any(),
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
pub fn PaymentsPage() -> impl IntoView {
    view! {
        <Title text="Payments"/>
        <h1>"Payments"</h1>
        <p class="lead">"Payments your customers made, with refunds and disputes. Select a payment for its details."</p>
        <RequireAccount>
            <ConnectPage components=vec!["payments"]>
                <section class="card embed-card"><ConnectEmbed tag="payments" height="28rem"/></section>
            </ConnectPage>
        </RequireAccount>
    }
}

/// Whether `id` names a payment as Stripe's payment details component takes it (a PaymentIntent
/// or a charge id); anything else is not sent to Stripe.
fn is_payment_id(id: &str) -> bool {
    (id.starts_with("pi_") || id.starts_with("ch_") || id.starts_with("py_"))
        && id.len() <= 255
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// One payment's details (Stripe's `payment-details` overlay over the payments list); closing
/// it goes back to the list.
#[component]
pub fn PaymentDetailsPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let navigate = leptos_router::hooks::use_navigate();
    let on_close = Callback::new(move |()| navigate("/account/payments", Default::default()));
    view! {
        <Title text="Payment"/>
        <h1>"Payment"</h1>
        <p><a href="/account/payments">"All payments"</a></p>
        <RequireAccount>
            {if is_payment_id(&id) {
                let id = id.clone();
                view! {
                    <ConnectPage components=vec!["payment-details"]>
                        <section class="card embed-card" aria-label="Payment details">
                            <ConnectEmbed tag="payment-details" height="20rem" payment=id on_close/>
                        </section>
                    </ConnectPage>
                }
                .into_any()
            } else {
                view! { <p class="form-error" role="alert">"This is not a payment's address."</p> }.into_any()
            }}
        </RequireAccount>
    }
}

#[cfg(test)]
mod tests {
    use super::is_payment_id;

    #[test]
    fn only_payment_ids_reach_the_component() {
        assert!(is_payment_id("pi_3Nxyz123"));
        assert!(is_payment_id("ch_1abc"));
        assert!(!is_payment_id("acct_1abc"));
        assert!(!is_payment_id("pi_1\"><script>"));
        assert!(!is_payment_id(""));
    }
}

#[component]
pub fn PayoutsPage() -> impl IntoView {
    view! {
        <Title text="Payouts"/>
        <h1>"Payouts"</h1>
        <RequireAccount>
            <div class="stack">
                <PayoutScheduleSection/>
                <ConnectPage components=vec!["payouts"]>
                    <section class="card embed-card" aria-label="Payouts from Stripe">
                        <ConnectEmbed tag="payouts" height="24rem"/>
                    </section>
                </ConnectPage>
            </div>
        </RequireAccount>
    }
}

#[component]
pub fn BalancesPage() -> impl IntoView {
    view! {
        <Title text="Balances"/>
        <h1>"Balances"</h1>
        <RequireAccount>
            <ConnectPage components=vec!["balances"]>
                <section class="card embed-card"><ConnectEmbed tag="balances" height="14rem"/></section>
            </ConnectPage>
        </RequireAccount>
    }
}

#[component]
pub fn DocumentsPage() -> impl IntoView {
    view! {
        <Title text="Documents"/>
        <h1>"Documents"</h1>
        <p class="lead">"Tax forms and other documents Stripe makes for your account."</p>
        <RequireAccount>
            <ConnectPage components=vec!["documents"]>
                <section class="card embed-card"><ConnectEmbed tag="documents" height="12rem"/></section>
            </ConnectPage>
        </RequireAccount>
    }
}

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <Title text="Account settings"/>
        <h1>"Account settings"</h1>
        <p class="lead">"Your business details, bank accounts and the people on your account, kept with Stripe."</p>
        <RequireAccount>
            <ConnectPage components=vec!["account-management"]>
                <section class="card embed-card"><ConnectEmbed tag="account-management" height="26rem"/></section>
            </ConnectPage>
        </RequireAccount>
    }
}

#[component]
pub fn OnboardingEmbeddedPage() -> impl IntoView {
    view! {
        <Title text="Set up payments"/>
        <h1>"Set up payments"</h1>
        <RequireAccount>
            <ConnectPage components=vec!["account-onboarding"]>
                <section class="card embed-card"><ConnectEmbed tag="account-onboarding" height="30rem"/></section>
            </ConnectPage>
        </RequireAccount>
    }
}

/// The home page's embedded parts around `children` (the account's status and next step):
/// Stripe's notification banner above them (empty unless Stripe needs something), the balance
/// summary below them. The banner's count drives the badge in the navigation.
#[component]
pub fn HomeEmbeds(children: Children) -> impl IntoView {
    let count = use_context::<super::NotificationCount>();
    let on_notifications = Callback::new(move |(_total, action_required): (u32, u32)| {
        if let Some(c) = count {
            c.0.set(action_required);
        }
    });
    view! {
        <ConnectPage components=vec!["notification-banner", "balances"]>
            <div class="stack">
                <ConnectEmbed tag="notification-banner" height="0" on_notifications/>
                {children()}
                <section class="card embed-card" aria-label="Balances">
                    <ConnectEmbed tag="balances" height="12rem"/>
                </section>
            </div>
        </ConnectPage>
    }
}
