//! Stripe's embedded components in Leptos. [`ConnectPage`] starts one Connect.js instance for
//! the page it wraps (once, after hydration: nothing on the server touches `window`), with a
//! session enabling exactly the components the page names; each [`ConnectEmbed`] inside mounts
//! one component and removes it when the route changes. The script itself loads once per visit.
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
    #[cfg(feature = "hydrate")]
    instance: StoredValue<Option<wasm_bindgen::JsValue>, LocalStorage>,
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
                match browser::start(components).await {
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

/// One embedded component (`tag`, e.g. `payments`), inside a [`ConnectPage`] that names it.
#[component]
pub fn ConnectEmbed(
    tag: &'static str,
    /// Skeleton height while loading (in rem: 0, 12, 14, 16, 20, 24, 26, 28 or 30; classes in
    /// the stylesheet, since the pages' policy allows no inline styles), so the page does not jump.
    #[prop(default = "20rem")]
    height: &'static str,
    #[prop(optional)] on_notifications: Option<NotificationsCallback>,
) -> impl IntoView {
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
                on_notifications,
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
    let _ = (set_loading, set_load_error, &on_notifications);
    let error = move || load_error.get().or_else(|| context.error.get());
    view! {
        <div class="connect-embed" data-component=tag>
            <div class="embed-error" role="alert" hidden=move || error().is_none()>
                <p>{move || error().unwrap_or_default()}</p>
                <button type="button" class="button button-quiet" on:click=move |_| context.retry.update(|n| *n += 1)>
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
    use super::{get_embed_settings, EmbedSettings, NotificationsCallback};
    use crate::embedded::create_account_session;
    use js_sys::{Function, Object, Promise, Reflect};
    use leptos::prelude::Callable;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{future_to_promise, JsFuture};

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

    /// Loads the Connect.js script once per visit (later calls reuse it).
    async fn load_script(url: &str) -> Result<JsValue, String> {
        let window = web_sys::window().ok_or("no window")?;
        let existing = get(&window, "StripeConnect");
        if !existing.is_undefined() && !get(&existing, "init").is_undefined() {
            return Ok(existing);
        }
        let document = window.document().ok_or("no document")?;
        let script: web_sys::HtmlScriptElement = document
            .create_element("script")
            .map_err(|_| "could not create the script element")?
            .unchecked_into();
        script.set_src(url);
        script.set_async(true);
        let loaded = Promise::new(&mut |resolve, reject| {
            script.set_onload(Some(&resolve));
            script.set_onerror(Some(&reject));
        });
        document
            .head()
            .ok_or("no head")?
            .append_child(&script)
            .map_err(|_| "could not add the script")?;
        JsFuture::from(loaded).await.map_err(|_| {
            "Stripe's embedded components could not be loaded. Check your connection.".to_string()
        })?;
        Ok(get(&window, "StripeConnect"))
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

    /// Loads the script and starts an instance whose `fetchClientSecret` asks the portal for a
    /// fresh session each time (so long visits keep working).
    pub async fn start(components: Vec<String>) -> Result<(EmbedSettings, JsValue), String> {
        let settings = get_embed_settings().await.map_err(|e| e.to_string())?;
        let connect = load_script(&settings.script_url).await?;
        let init: Function = get(&connect, "init")
            .dyn_into()
            .map_err(|_| "Stripe's embedded components did not start.".to_string())?;
        let fetch_secret = Closure::<dyn FnMut() -> Promise>::new(move || {
            let components = components.clone();
            future_to_promise(async move {
                create_account_session(components)
                    .await
                    .map(JsValue::from)
                    .map_err(|e| JsValue::from_str(&e.to_string()))
            })
        });
        let params: JsValue = Object::new().into();
        set(&params, "publishableKey", settings.publishable_key.as_str());
        set(&params, "fetchClientSecret", fetch_secret.into_js_value());
        set(&params, "appearance", appearance(&settings));
        set(&params, "locale", settings.locale.as_str());
        let instance = init.call1(&connect, &params).map_err(|e| message_of(&e))?;
        follow_colour_scheme(&settings, &instance);
        Ok((settings, instance))
    }

    /// Keeps the components' colours in step with the device's light/dark setting.
    fn follow_colour_scheme(settings: &EmbedSettings, instance: &JsValue) {
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
            if let Ok(update) = get(&instance, "update").dyn_into::<Function>() {
                let options: JsValue = Object::new().into();
                set(&options, "appearance", appearance(&settings));
                let _ = update.call1(&instance, &options);
            }
        });
        let _ =
            query.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        on_change.forget();
    }

    pub fn logout(instance: &JsValue) {
        if let Ok(logout) = get(instance, "logout").dyn_into::<Function>() {
            let _ = logout.call0(instance);
        }
    }

    fn call_setter(element: &JsValue, name: &str, argument: &JsValue) {
        if let Ok(setter) = get(element, name).dyn_into::<Function>() {
            let _ = setter.call1(element, argument);
        }
    }

    /// Creates the component, wires its callbacks and puts it into `slot`.
    pub fn mount(
        instance: &JsValue,
        settings: &EmbedSettings,
        tag: &str,
        slot: &web_sys::HtmlDivElement,
        on_error: impl Fn(String) + 'static,
        on_loaded: impl Fn() + 'static,
        on_notifications: Option<NotificationsCallback>,
    ) -> Result<web_sys::Element, String> {
        let create: Function = get(instance, "create")
            .dyn_into()
            .map_err(|_| "Stripe's embedded components did not start.".to_string())?;
        let element = create
            .call1(instance, &JsValue::from_str(tag))
            .map_err(|e| message_of(&e))?;
        let load_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            on_error(message_of(&get(&event, "error")));
        });
        call_setter(&element, "setOnLoadError", &load_error.into_js_value());
        let loader_start = Closure::<dyn FnMut(JsValue)>::new(move |_event: JsValue| on_loaded());
        call_setter(&element, "setOnLoaderStart", &loader_start.into_js_value());
        if tag == "account-onboarding" {
            let options: JsValue = Object::new().into();
            set(&options, "fields", settings.collect.as_str());
            set(
                &options,
                "futureRequirements",
                settings.future_requirements.as_str(),
            );
            call_setter(&element, "setCollectionOptions", &options);
            // Leaving the form goes back to the requirements view, which reads the account again.
            let on_exit = Closure::<dyn FnMut()>::new(move || {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().set_href("/account/onboarding/return");
                }
            });
            call_setter(&element, "setOnExit", &on_exit.into_js_value());
        }
        if let Some(callback) = on_notifications {
            let changed = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
                let total = get(&event, "total").as_f64().unwrap_or(0.0) as u32;
                let action = get(&event, "actionRequired").as_f64().unwrap_or(0.0) as u32;
                callback.run((total, action));
            });
            call_setter(
                &element,
                "setOnNotificationsChange",
                &changed.into_js_value(),
            );
        }
        let element: web_sys::Element = element
            .dyn_into()
            .map_err(|_| "The embedded view could not be created.".to_string())?;
        slot.append_child(&element)
            .map_err(|_| "The embedded view could not be shown.".to_string())?;
        Ok(element)
    }
}
