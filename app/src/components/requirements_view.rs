//! The requirements status view: one status in words, what Stripe needs and by when, the
//! capabilities, and (for the owner) the one action that moves the account forward. The same
//! view serves the owner's home page and the admin console's account page.

use crate::account_view::{AccountOverview, CapabilityView, DeadlineView};
use domain::account_status::AccountStatus;
use domain::requirements::{Requirement, RequirementProblem, RequirementSet};
use leptos::prelude::*;

/// CSS class of the status badge.
fn tone(status: AccountStatus) -> &'static str {
    match status {
        AccountStatus::Active => "tone-good",
        AccountStatus::PendingVerification | AccountStatus::OnboardingNotFinished => "tone-info",
        AccountStatus::ActionRequired | AccountStatus::RestrictedSoon => "tone-warn",
        AccountStatus::Restricted | AccountStatus::Rejected => "tone-bad",
    }
}

fn status_tone_for_capability(status: &str) -> &'static str {
    match status {
        "active" => "tone-good",
        "pending" => "tone-info",
        "inactive" | "restricted" | "unrequested" => "tone-bad",
        _ => "tone-info",
    }
}

/// Who reads the view: its words address the account's owner, or an admin looking at someone
/// else's account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reader {
    #[default]
    Owner,
    Admin,
}

impl Reader {
    /// What "What Stripe needs" says when Stripe needs nothing.
    pub fn nothing_needed(self) -> &'static str {
        match self {
            Reader::Owner => "Stripe needs nothing from you right now.",
            Reader::Admin => "Stripe needs nothing for this account right now.",
        }
    }

    /// The notice on an account whose connection to the platform was removed.
    pub fn revoked_notice(self) -> &'static str {
        match self {
            Reader::Owner => "The platform's connection to this Stripe account was removed. Connect it again to manage it here.",
            Reader::Admin => "The platform's connection to this Stripe account was removed. Only its owner can connect it again.",
        }
    }
}

/// `action`: the owner's button (or nothing, in the console), rendered under the status.
/// `capabilities_apart`: the page shows [`CapabilitiesView`] elsewhere (the console's account
/// page has it on a tab), so this view leaves it out.
#[component]
pub fn RequirementsView(
    account: AccountOverview,
    #[prop(optional)] action: Option<AnyView>,
    #[prop(optional)] reader: Reader,
    #[prop(optional)] capabilities_apart: bool,
) -> impl IntoView {
    let status = account.status;
    let current = account.requirements.current.clone();
    let future = account.requirements.future.clone();
    let has_future = !future.is_empty();
    let status_card = view! {
        <section class="card stack status-card" aria-labelledby="status-title" data-status=status.slug()>
            <div class="status-head">
                <h2 id="status-title" class="visually-hidden">"Account status"</h2>
                <span class=format!("status-badge {}", tone(status)) data-testid="account-status">{status.label()}</span>
                {account.business_name.clone().map(|n| view! { <span class="muted">{n}</span> })}
            </div>
            {account.revoked.then(|| view! {
                <p class="notice notice-error">{reader.revoked_notice()}</p>
            })}
            {account.reason.clone().map(|r| view! { <p class="lead" data-testid="status-reason">{r}</p> })}
            {account.deadline.clone().map(|d| view! { <Deadline label="Deadline" deadline=d/> })}
            {action}
            <dl class="facts">
                <div><dt>"Payments"</dt><dd>{if account.charges_enabled { "Enabled" } else { "Not enabled" }}</dd></div>
                <div><dt>"Payouts"</dt><dd>{if account.payouts_enabled { "Enabled" } else { "Not enabled" }}</dd></div>
                <div><dt>"Details submitted"</dt><dd>{if account.details_submitted { "Yes" } else { "Not yet" }}</dd></div>
            </dl>
        </section>
    }
    .into_any();
    let lists = view! {
        <RequirementLists set=current title="What Stripe needs" empty=reader.nothing_needed()/>
    }
    .into_any();
    let coming = has_future.then(|| view! {
            <section class="card stack" aria-labelledby="future-title">
                <h2 id="future-title">"Coming up"</h2>
                <p class="hint">
                    "Stripe will need these later"
                    {account.future_deadline.clone().map(|d| format!(" (by {}, {})", d.date, d.phrase))}
                    ". Nothing is restricted until then."
                </p>
                <RequirementItems items=future.currently_due.iter().chain(future.eventually_due.iter()).chain(future.past_due.iter()).cloned().collect()/>
            </section>
        }.into_any());
    let capabilities = (!capabilities_apart)
        .then(|| view! { <CapabilitiesView capabilities=account.capabilities.clone()/> });
    view! { {status_card} {lists} {coming} {capabilities} }
}

/// The account's capabilities and the status of each.
#[component]
pub fn CapabilitiesView(capabilities: Vec<CapabilityView>) -> impl IntoView {
    view! {
        <section class="card stack" aria-labelledby="capabilities-title">
            <h2 id="capabilities-title">"Capabilities"</h2>
            {if capabilities.is_empty() {
                view! { <p class="muted">"No capabilities requested."</p> }.into_any()
            } else {
                view! {
                    <ul class="capabilities">
                        {capabilities.into_iter().map(|c| {
                            let class = format!("status-badge small {}", status_tone_for_capability(&c.status));
                            view! {
                                <li>
                                    <span>{c.label}</span>
                                    <span class=class>{c.status}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Deadline(label: &'static str, deadline: DeadlineView) -> impl IntoView {
    view! {
        <p class="deadline" data-testid="deadline">
            <strong>{label}": "</strong>
            <time datetime=deadline.at.to_string()>{deadline.date}</time>
            " — " {deadline.phrase}
        </p>
    }
}

#[component]
fn RequirementLists(
    set: RequirementSet,
    title: &'static str,
    empty: &'static str,
) -> impl IntoView {
    let nothing = set.past_due.is_empty()
        && set.currently_due.is_empty()
        && set.eventually_due.is_empty()
        && set.pending_verification.is_empty()
        && set.errors.is_empty();
    view! {
        <section class="card stack" aria-labelledby="requirements-title" data-testid="requirements">
            <h2 id="requirements-title">{title}</h2>
            {nothing.then(|| view! { <p class="muted">{empty}</p> })}
            {view! { <Group title="Past due" hint="Overdue: Stripe has restricted the account until these are provided." items=set.past_due.clone() testid="past-due"/> }.into_any()}
            {view! { <Group title="Due now" hint="Needed now to keep payments and payouts running." items=set.currently_due.clone() testid="currently-due"/> }.into_any()}
            {view! { <Problems problems=set.errors.clone()/> }.into_any()}
            {view! { <Group title="Pending verification" hint="Provided, and Stripe is checking them. Nothing to do." items=set.pending_verification.clone() testid="pending-verification"/> }.into_any()}
            {view! { <Group title="Due eventually" hint="Needed later, as the account grows." items=set.eventually_due.clone() testid="eventually-due"/> }.into_any()}
        </section>
    }
}

#[component]
fn Group(
    title: &'static str,
    hint: &'static str,
    items: Vec<Requirement>,
    testid: &'static str,
) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <div class="requirement-group" data-testid=testid>
                <h3>{title} <span class="badge">{items.len()}</span></h3>
                <p class="hint">{hint}</p>
                <RequirementItems items/>
            </div>
        }
    })
}

#[component]
fn RequirementItems(items: Vec<Requirement>) -> impl IntoView {
    view! {
        <ul class="requirements">
            {items.into_iter().map(|r| {
                let from_stripe = r.awaiting_action_from == domain::requirements::AwaitingActionFrom::Stripe;
                view! {
                    <li title=r.fields.join(", ")>
                        <span>{r.display_label()}</span>
                        {from_stripe.then(|| view! { <span class="muted">" (Stripe is working on it)"</span> })}
                        {(!r.errors.is_empty()).then(|| view! { <span class="field-error">{" — "}{r.errors.join("; ")}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Problems(problems: Vec<RequirementProblem>) -> impl IntoView {
    (!problems.is_empty()).then(|| {
        view! {
            <div class="requirement-group" data-testid="requirement-errors">
                <h3>"Not accepted" <span class="badge">{problems.len()}</span></h3>
                <p class="hint">"Stripe could not verify these. Provide them again."</p>
                <ul class="requirements">
                    {problems.into_iter().map(|p| view! {
                        <li><span>{p.label}</span><span class="field-error">{" — "}{p.reason}</span></li>
                    }).collect_view()}
                </ul>
            </div>
        }
    })
}
