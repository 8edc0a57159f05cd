//! Stripe's embedded components in Leptos, through Stripe's loader `@stripe/connect-js` (the only
//! code that touches `window.StripeConnect`). [`ConnectPage`] starts one Connect.js instance for
//! the page it wraps (once, after hydration: nothing on the server touches `window`), with a
//! session enabling exactly the components the page names; each [`ConnectEmbed`] inside mounts
//! one component and removes it when the route changes. The runtime script loads once per visit.
//! While loading, a skeleton of the component's size holds the place; a load error is shown in
//! plain words with a retry.

#[cfg(feature = "hydrate")]
use crate::embedded::{get_embed_settings, EmbedSettings};
use leptos::prelude::*;

/// What a [`ConnectEmbed`] reads from its page: the instance (browser only), or why it failed.
#[derive(Clone, Copy)]
pub struct ConnectContext {
    /// Bumped when the instance is ready (or started again after a retry).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    ready: RwSignal<u32>,
    error: RwSignal<Option<String>>,
    retry: RwSignal<u32>,
    /// Connect.js's script failed to load: the loader keeps that answer for the rest of the visit
    /// (it loads the script at most once, `loadScript` in src/init.ts of @stripe/connect-js
    /// 3.4.6), so only a reload tries again.
    reload_to_retry: RwSignal<bool>,
    #[cfg(feature = "hydrate")]
    instance: StoredValue<Option<browser::ConnectInstance>, LocalStorage>,
    #[cfg(feature = "hydrate")]
    settings: StoredValue<Option<EmbedSettings>, LocalStorage>,
}

/// Called with `(total, action_required)` when the notification banner's count changes.
pub type NotificationsCallback = Callback<(u32, u32)>;

/// Starts Connect.js for the page with `components` (tag names) in its sessions.
#[component]
pub fn ConnectPage(components: Vec<&'static str>, children: Children) -> impl IntoView {
    let context = ConnectContext {
        ready: RwSignal::new(0),
        error: RwSignal::new(None),
        retry: RwSignal::new(0),
        reload_to_retry: RwSignal::new(false),
        #[cfg(feature = "hydrate")]
        instance: StoredValue::new_local(None),
        #[cfg(feature = "hydrate")]
        settings: StoredValue::new_local(None),
    };
    provide_context(context);
    #[cfg(feature = "hydrate")]
    {
        let components: Vec<String> = components.iter().map(|c| c.to_string()).collect();
        Effect::new(move |_| {
            context.retry.track();
            let components = components.clone();
            leptos::task::spawn_local(async move {
                context.error.set(None);
                let script_failed = move || {
                    context.reload_to_retry.set(true);
                    context.error.set(Some(SCRIPT_FAILED.to_string()));
                };
                match browser::start(components, script_failed).await {
                    Ok((settings, instance)) => {
                        context.settings.set_value(Some(settings));
                        context.instance.set_value(Some(instance));
                        context.ready.update(|n| *n += 1);
                    }
                    Err(message) => context.error.set(Some(message)),
                }
            });
        });
        on_cleanup(move || {
            if let Some(instance) = context.instance.try_get_value().flatten() {
                browser::logout(&instance);
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = components;
    children()
}

/// Shown when Connect.js's script could not be loaded.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const SCRIPT_FAILED: &str =
    "Stripe's embedded components could not be loaded. Check your connection, then try again.";

/// What one [`ConnectEmbed`] hands to its component besides the page's settings.
#[derive(Clone, Default)]
pub struct EmbedOptions {
    /// Called with `(total, action_required)` by the notification banner.
    pub on_notifications: Option<NotificationsCallback>,
    /// The payment (`pi_…`/`ch_…`) a `payment-details` component shows.
    pub payment: Option<String>,
    /// Called when the person closes a `payment-details` overlay.
    pub on_close: Option<Callback<()>>,
}

/// "Try again": starts the page's instance again, or reloads the page when the script itself
/// failed (see [`ConnectContext::reload_to_retry`]).
fn retry(context: ConnectContext) {
    if context.reload_to_retry.get_untracked() {
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    } else {
        context.retry.update(|n| *n += 1);
    }
}

/// One embedded component (`tag`, e.g. `payments`), inside a [`ConnectPage`] that names it.
#[component]
pub fn ConnectEmbed(
    tag: &'static str,
    /// Skeleton height while loading (in rem: 0, 12, 14, 16, 20, 24, 26, 28 or 30; classes in
    /// the stylesheet, since the pages' policy allows no inline styles), so the page does not jump.
    #[prop(default = "20rem")]
    height: &'static str,
    #[prop(optional)] on_notifications: Option<NotificationsCallback>,
    /// For `payment-details`: the payment shown.
    #[prop(optional, into)]
    payment: Option<String>,
    /// For `payment-details`: what closing the overlay does.
    #[prop(optional)]
    on_close: Option<Callback<()>>,
) -> impl IntoView {
    let options = EmbedOptions {
        on_notifications,
        payment,
        on_close,
    };
    let context = expect_context::<ConnectContext>();
    let container = NodeRef::<leptos::html::Div>::new();
    let (loading, set_loading) = signal(true);
    let (load_error, set_load_error) = signal(None::<String>);
    #[cfg(feature = "hydrate")]
    {
        let mounted = StoredValue::new_local(None::<web_sys::Element>);
        Effect::new(move |_| {
            if context.ready.get() == 0 {
                return;
            }
            let (Some(instance), Some(settings), Some(div)) = (
                context.instance.get_value(),
                context.settings.get_value(),
                container.get(),
            ) else {
                return;
            };
            if let Some(old) = mounted.get_value() {
                old.remove();
            }
            set_load_error.set(None);
            set_loading.set(true);
            match browser::mount(
                &instance,
                &settings,
                tag,
                &div,
                move |message| {
                    set_loading.set(false);
                    set_load_error.set(Some(message));
                },
                move || set_loading.set(false),
                options.clone(),
            ) {
                Ok(element) => mounted.set_value(Some(element)),
                Err(message) => {
                    set_loading.set(false);
                    set_load_error.set(Some(message));
                }
            }
        });
        on_cleanup(move || {
            if let Some(element) = mounted.try_get_value().flatten() {
                element.remove();
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (set_loading, set_load_error, &options);
    let error = move || load_error.get().or_else(|| context.error.get());
    view! {
        <div class="connect-embed" data-component=tag>
            <div class="embed-error" role="alert" hidden=move || error().is_none()>
                <p>{move || error().unwrap_or_default()}</p>
                <button type="button" class="button button-quiet" on:click=move |_| retry(context)>
                    "Try again"
                </button>
            </div>
            <div
                class=format!("embed-skeleton skeleton-{}", height.trim_end_matches("rem"))
                aria-hidden="true"
                hidden=move || !loading.get() || error().is_some()
            ></div>
            <div node_ref=container class="embed-slot"></div>
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::{get_embed_settings, EmbedOptions, EmbedSettings};
    use crate::embedded::{create_account_session, ConnectJsSource};
    use js_sys::{Object, Promise, Reflect};
    use leptos::prelude::Callable;
    use std::cell::RefCell;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{future_to_promise, JsFuture};

    // Stripe's loader, @stripe/connect-js 3.4.6 (pinned in app/package.json), its side-effect-free
    // entry (src/pure.ts, built as dist/pure.esm.js): it looks for the runtime script only when
    // `loadConnectAndInitialize` is called, so the emulator's stand-in can be put in first.
    // wasm-bindgen copies the file into the bundle's snippets, served from the portal's origin.
    #[wasm_bindgen(module = "/node_modules/@stripe/connect-js/dist/pure.esm.js")]
    extern "C" {
        #[wasm_bindgen(js_name = loadConnectAndInitialize, catch)]
        fn load_connect_and_initialize(params: &Object) -> Result<ConnectInstance, JsValue>;
    }

    #[wasm_bindgen]
    extern "C" {
        /// The loader's instance (`StripeConnectInstance`, src/exportedTypes/shared.ts).
        #[derive(Clone)]
        pub type ConnectInstance;
        /// `create` makes the `stripe-connect-<tag>` element itself and gives it, as its own
        /// properties, exactly the setters `ConnectElementCustomMethodConfig[tag]` and
        /// `ConnectElementCommonMethodConfig` declare (`initStripeConnect`, src/init.ts): a setter
        /// not declared for the tag is not a function (caught here); one the runtime lacks
        /// (`<name>InternalOnly`) throws inside the loader's promise.
        #[wasm_bindgen(method, catch)]
        fn create(this: &ConnectInstance, tag: &str) -> Result<ConnectElement, JsValue>;
        #[wasm_bindgen(method)]
        fn update(this: &ConnectInstance, options: &Object);
        #[wasm_bindgen(method)]
        fn logout(this: &ConnectInstance) -> Promise;

        #[wasm_bindgen(extends = web_sys::Element)]
        type ConnectElement;
        #[wasm_bindgen(method, catch, js_name = setOnLoadError)]
        fn set_on_load_error(this: &ConnectElement, listener: &JsValue) -> Result<(), JsValue>;
        #[wasm_bindgen(method, catch, js_name = setOnLoaderStart)]
        fn set_on_loader_start(this: &ConnectElement, listener: &JsValue) -> Result<(), JsValue>;
        #[wasm_bindgen(method, catch, js_name = setCollectionOptions)]
        fn set_collection_options(this: &ConnectElement, options: &Object) -> Result<(), JsValue>;
        #[wasm_bindgen(method, catch, js_name = setOnExit)]
        fn set_on_exit(this: &ConnectElement, listener: &JsValue) -> Result<(), JsValue>;
        #[wasm_bindgen(method, catch, js_name = setOnNotificationsChange)]
        fn set_on_notifications_change(
            this: &ConnectElement,
            listener: &JsValue,
        ) -> Result<(), JsValue>;
        #[wasm_bindgen(method, catch, js_name = setPayment)]
        fn set_payment(this: &ConnectElement, payment: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(method, catch, js_name = setOnClose)]
        fn set_on_close(this: &ConnectElement, listener: &JsValue) -> Result<(), JsValue>;
    }

    /// The URL the loader injects and then looks for (`V1_URL`, src/utils/scriptUtils.ts).
    const STRIPE_SCRIPT_URL: &str = "https://connect-js.stripe.com/v1.0/connect.js";

    fn set(target: &JsValue, key: &str, value: impl Into<JsValue>) {
        let _ = Reflect::set(target, &JsValue::from_str(key), &value.into());
    }

    fn get(target: &JsValue, key: &str) -> JsValue {
        Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn message_of(value: &JsValue) -> String {
        value
            .as_string()
            .or_else(|| get(value, "message").as_string())
            .unwrap_or_else(|| "The embedded view could not be loaded.".to_string())
    }

    /// A call the loader refused (a setter it does not declare for the component): the detail
    /// goes to the console for the developer, the person gets plain words.
    fn refused(detail: JsValue) -> String {
        web_sys::console::error_2(&"Connect.js refused a call:".into(), &detail);
        "The embedded view could not be set up.".to_string()
    }

    thread_local! {
        /// The emulator's stand-in script once it is in the page, and its load.
        static STAND_IN: RefCell<Option<(web_sys::HtmlScriptElement, Promise)>> =
            const { RefCell::new(None) };
    }

    /// Puts the offline emulator's stand-in in the page (once per visit) and waits for it, so
    /// that the loader finds a `window.StripeConnect` whose `init` is a function and wraps it
    /// instead of injecting Stripe's URL (`loadScript`/`isWindowStripeConnectDefined`,
    /// src/init.ts of @stripe/connect-js 3.4.6; it logs its `EXISTING_SCRIPT_MESSAGE` warning).
    async fn load_stand_in(url: &str) -> Result<(), String> {
        let (script, loaded) = match STAND_IN.with(|s| s.borrow().clone()) {
            Some(existing) => existing,
            None => {
                let document = web_sys::window()
                    .and_then(|w| w.document())
                    .ok_or("no document")?;
                let script: web_sys::HtmlScriptElement = document
                    .create_element("script")
                    .map_err(|_| "could not create the script element")?
                    .unchecked_into();
                script.set_src(url);
                let loaded = Promise::new(&mut |resolve, reject| {
                    script.set_onload(Some(&resolve));
                    script.set_onerror(Some(&reject));
                });
                document
                    .head()
                    .ok_or("no head")?
                    .append_child(&script)
                    .map_err(|_| "could not add the script")?;
                STAND_IN.with(|s| *s.borrow_mut() = Some((script.clone(), loaded.clone())));
                (script, loaded)
            }
        };
        if JsFuture::from(loaded).await.is_err() {
            // Nothing reached the loader yet: the next try puts a fresh tag in.
            script.remove();
            STAND_IN.with(|s| s.borrow_mut().take());
            return Err(super::SCRIPT_FAILED.to_string());
        }
        Ok(())
    }

    /// Calls `on_error` if the script the loader injected (Stripe's) fails to load: the loader
    /// itself reports that to nobody but its own promise.
    fn watch_stripe_script(on_error: impl Fn() + 'static) {
        let script = web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector(&format!("script[src=\"{STRIPE_SCRIPT_URL}\"]"))
                .ok()
                .flatten()
        });
        if let Some(script) = script {
            let listener = Closure::<dyn FnMut()>::new(on_error);
            let _ =
                script.add_event_listener_with_callback("error", listener.as_ref().unchecked_ref());
            listener.forget();
        }
    }

    fn dark_mode(settings: &EmbedSettings) -> bool {
        match settings.theme.as_str() {
            "dark" => true,
            "light" => false,
            _ => web_sys::window()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches()),
        }
    }

    /// Connect.js `appearance` from the platform's branding and the portal's colour scheme.
    fn appearance(settings: &EmbedSettings) -> JsValue {
        let appearance: JsValue = Object::new().into();
        set(&appearance, "overlays", settings.overlays.as_str());
        let variables: JsValue = Object::new().into();
        set(&variables, "colorPrimary", settings.primary_color.as_str());
        set(&variables, "fontFamily", settings.font_family.as_str());
        set(&variables, "borderRadius", "10px");
        if dark_mode(settings) {
            set(&variables, "colorBackground", "#171a23");
            set(&variables, "colorText", "#e8eaf2");
            set(&variables, "colorSecondaryText", "#9aa1b5");
            set(&variables, "colorBorder", "#2b3040");
        } else {
            set(&variables, "colorBackground", "#ffffff");
            set(&variables, "colorText", "#1a1d29");
            set(&variables, "colorSecondaryText", "#5b6275");
            set(&variables, "colorBorder", "#dfe3ec");
        }
        set(&appearance, "variables", variables);
        appearance
    }

    /// The person's language: the request's `Accept-Language` (in the settings), else the
    /// browser's.
    fn locale(settings: &EmbedSettings) -> Option<String> {
        settings
            .locale
            .clone()
            .or_else(|| web_sys::window().and_then(|w| w.navigator().language()))
    }

    /// Starts an instance through Stripe's loader, whose `fetchClientSecret` asks the portal for
    /// a fresh session each time (so long visits keep working). `script_failed` is called if
    /// Stripe's script, injected by the loader, does not load.
    pub async fn start(
        components: Vec<String>,
        script_failed: impl Fn() + 'static,
    ) -> Result<(EmbedSettings, ConnectInstance), String> {
        let settings = get_embed_settings().await.map_err(|e| e.to_string())?;
        if let ConnectJsSource::Emulator { script_url } = &settings.connect_js {
            load_stand_in(script_url).await?;
        }
        let fetch_secret = Closure::<dyn FnMut() -> Promise>::new(move || {
            let components = components.clone();
            future_to_promise(async move {
                create_account_session(components)
                    .await
                    .map(JsValue::from)
                    .map_err(|e| JsValue::from_str(&e.to_string()))
            })
        });
        let params = Object::new();
        set(&params, "publishableKey", settings.publishable_key.as_str());
        set(&params, "fetchClientSecret", fetch_secret.into_js_value());
        set(&params, "appearance", appearance(&settings));
        if let Some(locale) = locale(&settings) {
            set(&params, "locale", locale);
        }
        let instance = load_connect_and_initialize(&params).map_err(|e| message_of(&e))?;
        if settings.connect_js == ConnectJsSource::Stripe {
            watch_stripe_script(script_failed);
        }
        follow_colour_scheme(&settings, &instance);
        Ok((settings, instance))
    }

    /// Keeps the components' colours in step with the device's light/dark setting.
    fn follow_colour_scheme(settings: &EmbedSettings, instance: &ConnectInstance) {
        if settings.theme != "system" {
            return;
        }
        let Some(query) = web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        else {
            return;
        };
        let (settings, instance) = (settings.clone(), instance.clone());
        let on_change = Closure::<dyn FnMut()>::new(move || {
            let options = Object::new();
            set(&options, "appearance", appearance(&settings));
            instance.update(&options);
        });
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }

    pub fn logout(instance: &ConnectInstance) {
        // The loader's logout waits for its instance, which never comes if the script failed.
        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_| {});
        let _ = instance.logout().catch(&ignore);
        ignore.forget();
    }

    /// `collectionOptions` for the onboarding, account management and notification banner
    /// components (one set, so the banner asks for what onboarding collects).
    fn collection_options(settings: &EmbedSettings) -> Object {
        let options = Object::new();
        set(&options, "fields", settings.collect.as_str());
        set(
            &options,
            "futureRequirements",
            settings.future_requirements.as_str(),
        );
        options
    }

    /// Creates the component with the loader, wires its callbacks through the loader's setters
    /// and puts it into `slot`.
    pub fn mount(
        instance: &ConnectInstance,
        settings: &EmbedSettings,
        tag: &str,
        slot: &web_sys::HtmlDivElement,
        on_error: impl Fn(String) + 'static,
        on_loaded: impl Fn() + 'static,
        options: EmbedOptions,
    ) -> Result<web_sys::Element, String> {
        let element = instance.create(tag).map_err(refused)?;
        let load_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            on_error(message_of(&get(&event, "error")));
        });
        element
            .set_on_load_error(&load_error.into_js_value())
            .map_err(refused)?;
        let loader_start = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| on_loaded());
        element
            .set_on_loader_start(&loader_start.into_js_value())
            .map_err(refused)?;
        match tag {
            "account-onboarding" => {
                element
                    .set_collection_options(&collection_options(settings))
                    .map_err(refused)?;
                // Leaving the form goes back to the requirements view, which reads the account again.
                let on_exit = Closure::<dyn FnMut()>::new(move || {
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().set_href("/account/onboarding/return");
                    }
                });
                element
                    .set_on_exit(&on_exit.into_js_value())
                    .map_err(refused)?;
            }
            "account-management" | "notification-banner" => element
                .set_collection_options(&collection_options(settings))
                .map_err(refused)?,
            "payment-details" => {
                if let Some(payment) = &options.payment {
                    element.set_payment(payment).map_err(refused)?;
                }
                if let Some(callback) = options.on_close {
                    let closed = Closure::<dyn FnMut()>::new(move || callback.run(()));
                    element
                        .set_on_close(&closed.into_js_value())
                        .map_err(refused)?;
                }
            }
            _ => {}
        }
        if let Some(callback) = options.on_notifications {
            let changed = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let total = get(&event, "total").as_f64().unwrap_or(0.0) as u32;
                let action = get(&event, "actionRequired").as_f64().unwrap_or(0.0) as u32;
                callback.run((total, action));
            });
            element
                .set_on_notifications_change(&changed.into_js_value())
                .map_err(refused)?;
        }
        let element: web_sys::Element = element.into();
        slot.append_child(&element)
            .map_err(|_| "The embedded view could not be shown.".to_string())?;
        Ok(element)
    }
}
