//! The payout schedule in words, the next expected payout, balances, recent payouts, the
//! schedule form (where the platform lets owners edit it) and "pay out now" on manual schedules.

use crate::components::error_view::error_fallback;
use crate::components::form::{action_error, field_message, FormError};
use crate::error::AppError;
use crate::payouts::{get_payout_overview, PayOutNow, PayoutOverview, UpdatePayoutSchedule};
use domain::payout_schedule::ScheduleForm;
use leptos::prelude::*;

#[component]
pub fn PayoutScheduleSection() -> impl IntoView {
    let save = ServerAction::<UpdatePayoutSchedule>::new();
    let pay = ServerAction::<PayOutNow>::new();
    // Read again after a change went through; a refused form stays as typed.
    let changes = RwSignal::new(0u32);
    Effect::new(move |_| {
        let saved = matches!(save.value().get(), Some(Ok(())));
        let paid = matches!(pay.value().get(), Some(Ok(_)));
        if saved || paid {
            changes.update(|n| *n += 1);
        }
    });
    let overview = Resource::new(move || changes.get(), |_| get_payout_overview());
    view! {
        <Transition fallback=|| view! { <section class="card embed-skeleton skeleton-16" aria-busy="true"></section> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    overview.await.map(|o| view! { <ScheduleCard overview=o save pay/> })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn ScheduleCard(
    overview: PayoutOverview,
    save: ServerAction<UpdatePayoutSchedule>,
    pay: ServerAction<PayOutNow>,
) -> impl IntoView {
    let error = action_error(save);
    let form = overview.form.clone();
    let min_delay = overview.minimum_delay_days;
    let editable = overview.editable;
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <PayoutFacts overview pay=Some(pay)/>
        {editable.then(move || view! {
            <section class="card stack" aria-labelledby="edit-schedule-title">
                <h2 id="edit-schedule-title">"Change the schedule"</h2>
                <FormError error/>
                {move || saved().then(|| view! { <p class="form-success" role="status">"Schedule saved."</p> })}
                <ActionForm action=save attr:class="stack schedule-form">
                    <ScheduleFields form min_delay error/>
                    <div><button type="submit" class="button" disabled=move || save.pending().get()>"Save schedule"</button></div>
                </ActionForm>
            </section>
        })}
    }
}

/// The schedule in words, the next payout, balances (with "pay out now" when `pay` is given and
/// the schedule is manual) and the recent payouts.
#[component]
pub fn PayoutFacts(
    overview: PayoutOverview,
    pay: Option<ServerAction<PayOutNow>>,
) -> impl IntoView {
    let pay_result = move || pay.and_then(|pay| pay.value().get());
    view! {
        <section class="card stack" aria-labelledby="schedule-title" data-testid="payout-schedule">
            <h2 id="schedule-title">"Payout schedule"</h2>
            <p class="lead" data-testid="schedule-words">{overview.schedule.clone()}</p>
            {overview.next_payout.clone().map(|d| view! { <p>"Next expected payout: " <strong>{d}</strong></p> })}
            {(!overview.payouts_enabled).then(|| view! {
                <p class="notice">"Payouts are not enabled yet: Stripe still needs information."</p>
            })}
            <table class="table">
                <thead><tr><th scope="col">"Currency"</th><th scope="col">"Available"</th><th scope="col">"Pending"</th><th scope="col"><span class="visually-hidden">"Action"</span></th></tr></thead>
                <tbody>
                    {overview.balances.iter().map(|b| {
                        let currency = b.currency.clone();
                        let pay_now = pay.filter(|_| overview.manual && b.available_minor > 0);
                        let token = overview.pay_out_token.clone();
                        view! {
                            <tr>
                                <td>{b.currency.clone()}</td>
                                <td data-testid="available">{b.available.clone()}</td>
                                <td>{b.pending.clone()}</td>
                                <td class="cell-action">
                                    {pay_now.map(|pay| view! {
                                        <ActionForm action=pay>
                                            <input type="hidden" name="currency" value=currency/>
                                            <input type="hidden" name="request" value=token/>
                                            <button type="submit" class="button button-small" disabled=move || pay.pending().get()>"Pay out now"</button>
                                        </ActionForm>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {move || pay_result().map(|r| match r {
                Ok(message) => view! { <p class="form-success" role="status">{message}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <h3>"Recent payouts"</h3>
            {if overview.recent.is_empty() {
                view! { <p class="muted">"No payouts yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="recent-payouts">
                        <thead><tr><th scope="col">"Amount"</th><th scope="col">"Status"</th><th scope="col">"Arrives"</th></tr></thead>
                        <tbody>
                            {overview.recent.iter().map(|p| view! {
                                <tr><td>{p.amount.clone()}</td><td>{p.status.clone()}</td><td>{p.arrival.clone().unwrap_or_default()}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The schedule's fields (interval, delay, anchors), each showing its own error; the caller wraps
/// them in the form of its action.
#[component]
pub fn ScheduleFields(
    form: ScheduleForm,
    min_delay: u16,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let (interval, set_interval) = signal(form.interval.clone());
    view! {
        <div class="field" class:field-invalid=move || field_message(error, "interval").get().is_some()>
            <label for="schedule-interval">"How often"</label>
            <select id="schedule-interval" name="interval" on:change=move |ev| set_interval.set(event_target_value(&ev))>
                {["manual", "daily", "weekly", "monthly"].into_iter().map(|v| view! {
                    <option value=v selected=form.interval == v>{domain::payout_schedule::PayoutInterval::parse(v).map(|i| i.label()).unwrap_or(v)}</option>
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{field_message(error, "interval")}</p>
        </div>
        <div class="field" class:field-invalid=move || field_message(error, "delay_days").get().is_some() hidden=move || interval.get() == "manual">
            <label for="schedule-delay">"Days before funds are paid out"</label>
            <p class="hint">{format!("At least {min_delay} for this country. Leave empty for the shortest.")}</p>
            <input id="schedule-delay" name="delay_days" type="number" min=min_delay max="365" value=form.delay_days.clone()/>
            <p class="field-error" role="alert">{field_message(error, "delay_days")}</p>
        </div>
        <div class="field" class:field-invalid=move || field_message(error, "weekly_anchor").get().is_some() hidden=move || interval.get() != "weekly">
            <label for="schedule-weekday">"Day of the week"</label>
            <select id="schedule-weekday" name="weekly_anchor">
                {["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].into_iter().map(|d| view! {
                    <option value=d selected=form.weekly_anchor == d>{domain::calendar::Weekday::parse(d).map(|w| w.label()).unwrap_or(d)}</option>
                }).collect_view()}
            </select>
            <p class="field-error" role="alert">{field_message(error, "weekly_anchor")}</p>
        </div>
        <div class="field" class:field-invalid=move || field_message(error, "monthly_anchor").get().is_some() hidden=move || interval.get() != "monthly">
            <label for="schedule-monthday">"Day of the month"</label>
            <p class="hint">"1 to 31; in shorter months, the last day."</p>
            <input id="schedule-monthday" name="monthly_anchor" type="number" value=form.monthly_anchor.clone()/>
            <p class="field-error" role="alert">{field_message(error, "monthly_anchor")}</p>
        </div>
    }
}
