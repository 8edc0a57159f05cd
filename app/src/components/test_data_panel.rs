//! The "Create test data" panel: test payments, a refund and a payout on one connected account.
//! Shown only where the tools exist (test modes); see `crate::test_data`.

use crate::error::AppError;
use crate::test_data::{CreateTestPayments, CreateTestPayout, RefundTestPayment, TestDataReport};
use leptos::prelude::*;

/// `account`: the Stripe account id when an admin acts on any account; owners leave it out and
/// act on their own.
#[component]
pub fn TestDataPanel(#[prop(optional, into)] account: Option<String>) -> impl IntoView {
    // An owner's own payments open in the portal's payment details page.
    let link_payments = account.is_none();
    let payments = ServerAction::<CreateTestPayments>::new();
    let refund = ServerAction::<RefundTestPayment>::new();
    let payout = ServerAction::<CreateTestPayout>::new();
    let busy = Signal::derive(move || {
        payments.pending().get() || refund.pending().get() || payout.pending().get()
    });
    // The newest answer of any of the three actions is the one shown.
    let (last, set_last) = signal(None::<Result<TestDataReport, AppError>>);
    Effect::new(move |_| {
        if let Some(result) = payments.value().get() {
            set_last.set(Some(result));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = refund.value().get() {
            set_last.set(Some(result));
        }
    });
    Effect::new(move |_| {
        if let Some(result) = payout.value().get() {
            set_last.set(Some(result));
        }
    });
    let count_error = Signal::derive(move || match last.get() {
        Some(Err(e)) if e.field() == Some("count") => Some(e.to_string()),
        _ => None,
    });
    let hidden = || {
        account
            .clone()
            .map(|id| view! { <input type="hidden" name="account" value=id/> })
    };
    let (hidden_payments, hidden_refund, hidden_payout) = (hidden(), hidden(), hidden());
    view! {
        <section class="card stack test-data" aria-labelledby="test-data-title" data-testid="test-data-panel">
            <h2 id="test-data-title">"Create test data"</h2>
            <p class="hint">
                "Test mode only. Payments are direct charges on this account, paid with Stripe's test cards, "
                "with the platform's application fee. They show in Payments, Balances and Payouts."
            </p>
            <ActionForm action=payments attr:class="stack">
                {hidden_payments}
                <div class="field" class:field-invalid=move || count_error.get().is_some()>
                    <label for="test-data-count">"Number of payments"</label>
                    <input
                        id="test-data-count"
                        name="count"
                        type="number"
                        min="1"
                        max="20"
                        value="5"
                        required
                        aria-invalid=move || count_error.get().is_some().then_some("true")
                        aria-describedby="test-data-count-error"
                    />
                    <p class="field-error" id="test-data-count-error" role="alert">{count_error}</p>
                </div>
                <label class="check">
                    <input type="checkbox" name="with_dispute" value="true"/>
                    " Add one payment the customer disputes"
                </label>
                <label class="check">
                    <input type="checkbox" name="with_decline" value="true"/>
                    " Add one payment the card issuer declines"
                </label>
                <div class="actions">
                    <button type="submit" class="button" disabled=busy>"Create payments"</button>
                </div>
            </ActionForm>
            <div class="actions">
                <ActionForm action=refund>
                    {hidden_refund}
                    <button type="submit" class="button button-quiet" disabled=busy>"Refund a test payment"</button>
                </ActionForm>
                <ActionForm action=payout>
                    {hidden_payout}
                    <button type="submit" class="button button-quiet" disabled=busy>"Pay out the available balance"</button>
                </ActionForm>
            </div>
            <p class="loading" role="status">{move || busy.get().then_some("Working with Stripe…")}</p>
            {move || match last.get() {
                None => None,
                Some(Err(e)) if e.field().is_some() => None,
                Some(Err(e)) => Some(view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any()),
                Some(Ok(report)) => Some(view! { <ReportList report link_payments/> }.into_any()),
            }}
        </section>
    }
}

#[component]
fn ReportList(report: TestDataReport, link_payments: bool) -> impl IntoView {
    view! {
        <div class="test-data-report" role="status">
            <h3>"Created"</h3>
            <table class="table">
                <thead>
                    <tr><th scope="col">"What"</th><th scope="col">"Stripe id"</th><th scope="col">"Details"</th></tr>
                </thead>
                <tbody>
                    {report.items.into_iter().map(|item| view! {
                        <tr class:row-failed=!item.succeeded>
                            <td>{item.kind}</td>
                            <td>
                                {if link_payments && item.id.starts_with("pi_") {
                                    let href = format!("/account/payments/{}", item.id);
                                    view! { <a href=href><code>{item.id}</code></a> }
                                    .into_any()
                                } else {
                                    view! { <code>{item.id}</code> }.into_any()
                                }}
                            </td>
                            <td>{item.summary}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
