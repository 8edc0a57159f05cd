//! `/admin/settings`: the platform configuration, with a live preview of the branding.

use crate::components::error_view::error_fallback;
use crate::components::form::{action_error, field_message, FormError};
use crate::error::AppError;
use crate::settings::{get_platform_settings, SavePlatformSettings};
use domain::fees::format_percent_bps;
use domain::platform::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let save = ServerAction::<SavePlatformSettings>::new();
    let current = Resource::new(|| (), |_| get_platform_settings());
    view! {
        <Title text="Platform settings"/>
        <h1>"Platform settings"</h1>
        <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move { current.await.map(|c| view! { <SettingsForm config=c save/> }) })}
            </ErrorBoundary>
        </Transition>
    }
}

fn select<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    label: &'static str,
    all: &'static [T],
    current: T,
    slug: fn(T) -> &'static str,
    text: fn(T) -> &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_message(error, name);
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <label for=format!("setting-{name}")>{label}</label>
            <select id=format!("setting-{name}") name=name>
                {all.iter().map(|v| view! { <option value=slug(*v) selected=*v == current>{text(*v)}</option> }).collect_view()}
            </select>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
}

fn check(
    name: &'static str,
    label: &'static str,
    on: bool,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_message(error, name);
    view! {
        <div class="field-check">
            <label class="check"><input type="checkbox" name=name value="true" checked=on/>" " {label}</label>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
}

fn text(
    name: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = field_message(error, name);
    view! {
        <div class="field" class:field-invalid=move || message.get().is_some()>
            <label for=format!("setting-{name}")>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="hint">{hint}</p> })}
            <input id=format!("setting-{name}") name=name value=value/>
            <p class="field-error" role="alert">{message}</p>
        </div>
    }
}

#[component]
fn SettingsForm(config: PlatformConfig, save: ServerAction<SavePlatformSettings>) -> impl IntoView {
    let error = action_error(save);
    let c = config.components;
    let fixed = config.application_fee.fixed.first().cloned();
    let fee_currency = fixed
        .as_ref()
        .map(|f| f.currency.clone())
        .unwrap_or_else(|| "usd".into());
    let fee_fixed = fixed
        .map(|f| {
            domain::money::format_amount(f.amount, &f.currency)
                .trim_start_matches(|ch: char| !ch.is_ascii_digit())
                .to_string()
        })
        .unwrap_or_default();
    let (color, set_color) = signal(config.branding.primary_color.clone());
    let (font, set_font) = signal(config.branding.font_family.clone());
    let preview = NodeRef::<leptos::html::Div>::new();
    // The preview is restyled through the CSS object model: the page's policy allows no inline styles.
    Effect::new(move |_| {
        if let Some(el) = preview.get() {
            let style = leptos::web_sys::HtmlElement::style(&el);
            let _ = style.set_property("--preview-primary", &color.get());
            let _ = style.set_property("font-family", &font.get());
        }
    });
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    // Set once this form is live in the browser (effects run only there): before that a click is
    // a plain form post, which the server answers without the typed values.
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    view! {
        <ActionForm action=save attr:class="stack settings-form" attr:data-live=move || live.get().then_some("true")>
            <FormError error/>
            {move || saved().then(|| view! { <p class="form-success" role="status">"Settings saved. They apply to the next page an owner opens."</p> })}
            <section class="card stack">
                <h2>"Accounts"</h2>
                {select("account_api", "Accounts API", AccountApi::ALL, config.account_api, AccountApi::slug, AccountApi::label, error)}
                <fieldset class="stack-tight"><legend>"v2 configurations"</legend>
                    {check("v2_merchant", "Merchant (accept payments)", config.v2_configurations.merchant, error)}
                    {check("v2_customer", "Customer", config.v2_configurations.customer, error)}
                    {check("v2_recipient", "Recipient (receive transfers)", config.v2_configurations.recipient, error)}
                    <p class="field-error" role="alert">{field_message(error, "v2_configurations")}</p>
                </fieldset>
                {select("dashboard", "Stripe dashboard for owners", Dashboard::ALL, config.dashboard, Dashboard::slug, Dashboard::label, error)}
                {select("fees_payer", "Who pays Stripe's fees", FeesPayer::ALL, config.fees_payer, FeesPayer::slug, FeesPayer::label, error)}
                {select("losses", "Who is liable for negative balances", Party::ALL, config.losses, Party::slug, Party::label, error)}
                {select("requirement_collection", "Who collects requirements", Party::ALL, config.requirement_collection, Party::slug, Party::label, error)}
                {text("capabilities", "Requested capabilities", config.capabilities.join(", "), "Comma-separated, e.g. card_payments, transfers.", error)}
                {text("country", "Default country", config.country.clone(), "Two letters, e.g. US.", error)}
            </section>
            <section class="card stack">
                <h2>"Onboarding"</h2>
                {select("onboarding", "How owners onboard", OnboardingMode::ALL, config.onboarding, OnboardingMode::slug, OnboardingMode::label, error)}
                {select("collect", "What onboarding collects", CollectFields::ALL, config.collect, CollectFields::slug, CollectFields::label, error)}
                {check("future_requirements", "Include future requirements", config.future_requirements, error)}
                {text("oauth_client_id", "Connect client id (OAuth)", config.oauth_client_id.clone(), "ca_…; only for Express OAuth.", error)}
            </section>
            <section class="card stack">
                <h2>"What owners get"</h2>
                {check("payments", "Payments", c.payments, error)}
                {check("refund_management", "… with refunds", c.refund_management, error)}
                {check("dispute_management", "… with dispute handling", c.dispute_management, error)}
                {check("capture_payments", "… with capturing payments", c.capture_payments, error)}
                {check("payouts", "Payouts", c.payouts, error)}
                {check("standard_payouts", "… with standard payouts", c.standard_payouts, error)}
                {check("instant_payouts", "… with instant payouts", c.instant_payouts, error)}
                {check("owners_edit_payout_schedule", "Owners may change their payout schedule", config.owners_edit_payout_schedule, error)}
                {check("external_account_collection", "Owners manage their bank accounts", c.external_account_collection, error)}
                {check("balances", "Balances", c.balances, error)}
                {check("documents", "Documents", c.documents, error)}
                {check("account_management", "Account settings", c.account_management, error)}
                {check("notification_banner", "Notification banner", c.notification_banner, error)}
                {check("disable_stripe_user_authentication", "Skip Stripe's own sign-in inside the components", c.disable_stripe_user_authentication, error)}
            </section>
            <section class="card stack">
                <h2>"Branding"</h2>
                <div class="field" class:field-invalid=move || field_message(error, "primary_color").get().is_some()>
                    <label for="setting-primary_color">"Primary colour"</label>
                    <input id="setting-primary_color" name="primary_color" value=config.branding.primary_color.clone()
                        on:input=move |ev| set_color.set(event_target_value(&ev))/>
                    <p class="field-error" role="alert">{field_message(error, "primary_color")}</p>
                </div>
                <div class="field" class:field-invalid=move || field_message(error, "font_family").get().is_some()>
                    <label for="setting-font_family">"Font"</label>
                    <input id="setting-font_family" name="font_family" value=config.branding.font_family.clone()
                        on:input=move |ev| set_font.set(event_target_value(&ev))/>
                    <p class="field-error" role="alert">{field_message(error, "font_family")}</p>
                </div>
                {select("theme", "Colour scheme of the components", Theme::ALL, config.branding.theme, Theme::slug, Theme::label, error)}
                {select("overlays", "Overlays", Overlay::ALL, config.branding.overlays, Overlay::slug, Overlay::label, error)}
                <div class="brand-preview" node_ref=preview aria-label="Preview">
                    <p><strong>"Preview"</strong>" — how the embedded components' buttons will look."</p>
                    <span class="preview-button">"Pay out"</span>
                </div>
            </section>
            <section class="card stack">
                <h2>"Application fee on test payments"</h2>
                {text("fee_percent", "Percentage", format_percent_bps(config.application_fee.percent_bps).trim_end_matches('%').to_string(), "e.g. 2.9", error)}
                {text("fee_fixed", "Fixed amount", fee_fixed, "In the currency below, e.g. 0.30.", error)}
                {text("fee_currency", "Currency of the fixed amount", fee_currency, "", error)}
                <p class="field-error" role="alert">{field_message(error, "application_fee")}</p>
            </section>
            <div><button type="submit" class="button" disabled=move || save.pending().get()>"Save settings"</button></div>
        </ActionForm>
    }
}
