//! The owner's onboarding journeys: creating the connected account (once), Stripe-hosted
//! onboarding with Account Links (and their refresh and return URLs), updating information, and
//! the Express dashboard. Every function acts on the signed-in owner's own account, looked up from
//! the session: no account id ever comes from the browser.

use crate::account_view::AccountOverview;
use crate::error::AppError;
use domain::platform::{OnboardingMode, UpdateRoute};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The owner's account as the home page shows it, and how this platform onboards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyAccount {
    /// `None`: no connected account yet.
    pub account: Option<AccountOverview>,
    pub onboarding: OnboardingMode,
    pub update_route: UpdateRoute,
    /// The owner's address is confirmed (onboarding with Stripe waits for it).
    pub email_confirmed: bool,
    /// The account's open disputes, nearest deadline first.
    pub disputes: Vec<crate::disputes::DisputeLine>,
    /// The embedded payments component takes responses to disputes (the platform's settings).
    pub respond_to_disputes: bool,
    /// Payouts of the last 30 days that failed, newest first.
    pub failed_payouts: Vec<crate::failed_payouts::FailedPayoutLine>,
}

/// The signed-in owner's account from the cache (no Stripe call: the page polls this).
#[server]
pub async fn get_my_account() -> Result<MyAccount, AppError> {
    crate::error::with_status(ssr::my_account().await)
}

/// Creates the owner's connected account if there is none (once, whatever the number of
/// clicks), then sends the owner on to onboarding.
#[server]
pub async fn start_onboarding() -> Result<(), AppError> {
    crate::error::with_status(ssr::start_onboarding().await)
}

/// Sends the owner to onboarding: a fresh Stripe-hosted link, or the embedded page.
#[server]
pub async fn continue_onboarding() -> Result<(), AppError> {
    crate::error::with_status(ssr::continue_onboarding().await)
}

/// Sends the owner where their details can be changed (an update link, the account settings
/// page, or the Express dashboard), as the platform's configuration allows.
#[server]
pub async fn update_information() -> Result<(), AppError> {
    crate::error::with_status(ssr::update_information().await)
}

/// The refresh URL: a used, expired or previewed link was opened; a new one is made with the
/// same parameters (`kind`: `onboarding` or `update`).
#[server]
pub async fn refresh_onboarding_link(kind: String) -> Result<(), AppError> {
    crate::error::with_status(ssr::refresh(kind).await)
}

/// The return URL: the account is read again from Stripe (leaving the form says nothing about
/// whether it was finished), then the owner lands on the home page, which shows what is due.
#[server]
pub async fn sync_my_account() -> Result<(), AppError> {
    crate::error::with_status(ssr::sync_mine().await)
}

/// A one-time login link to the Express dashboard (never stored).
#[server]
pub async fn open_express_dashboard() -> Result<(), AppError> {
    crate::error::with_status(ssr::express_dashboard().await)
}

/// "Connect with Stripe" (Express OAuth): sends the owner to Stripe's authorize page with a
/// random `state` bound to this session.
#[server]
pub async fn start_oauth() -> Result<(), AppError> {
    crate::error::with_status(ssr::start_oauth().await)
}

/// The OAuth redirect URI's work: checks `state` (once: a replayed callback is refused), handles
/// a denial, exchanges the code and links the connected account to the owner.
#[server]
pub async fn finish_oauth(
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
) -> Result<(), AppError> {
    crate::error::with_status(ssr::finish_oauth(code, state, error, error_description).await)
}

/// Removes the platform's access to the owner's Stripe account (OAuth deauthorization).
#[server]
pub async fn disconnect_stripe() -> Result<(), AppError> {
    crate::error::with_status(ssr::disconnect().await)
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::MyAccount;
    use crate::account_sync::{self, SyncCause, VersionHint};
    use crate::account_view::overview;
    use crate::auth::{ssr as auth, CurrentUser, Role};
    use crate::db::connected_accounts::{self, ApiVersion, ConnectedAccountRow};
    use crate::db::unix_now;
    use crate::error::AppError;
    use crate::idempotency_keys;
    use crate::state::{app_state, AppState};
    use crate::stripe_errors::to_app_error;
    use domain::platform::{AccountApi, OnboardingMode, PlatformConfig, UpdateRoute};
    use serde_json::{json, Value};
    use stripe_client::{Params, RequestOptions};

    /// Which kind of Account Link.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum LinkKind {
        Onboarding,
        Update,
    }

    impl LinkKind {
        fn slug(self) -> &'static str {
            match self {
                LinkKind::Onboarding => "onboarding",
                LinkKind::Update => "update",
            }
        }
    }

    pub(crate) async fn owner() -> Result<CurrentUser, AppError> {
        auth::require_role(Role::Owner).await
    }

    /// Stripe gets the owner's address as the account's email: only a confirmed one.
    fn require_confirmed_email(user: &CurrentUser) -> Result<(), AppError> {
        if user.email_confirmed {
            Ok(())
        } else {
            Err(AppError::Conflict(
                "Confirm your email address first: follow the link we mailed you, or send a new one from this page."
                    .to_string(),
            ))
        }
    }

    pub(crate) async fn my_row(
        state: &AppState,
        user: &CurrentUser,
    ) -> Result<Option<ConnectedAccountRow>, AppError> {
        Ok(connected_accounts::find_by_owner(&state.db, user.id).await?)
    }

    fn sync_failed(e: account_sync::SyncError) -> AppError {
        match e {
            account_sync::SyncError::Stripe(e) => to_app_error("read your account", &e),
            other => {
                tracing::error!(error = %other, "syncing an account");
                AppError::Internal
            }
        }
    }

    pub async fn my_account() -> Result<MyAccount, AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        let row = my_row(&state, &user).await?;
        let (disputes, failed_payouts) = match &row {
            Some(r) => (
                crate::disputes::ssr::open_of_owner_account(&state.db, &r.stripe_account_id)
                    .await?,
                crate::failed_payouts::ssr::of_owner_account(&state.db, &r.stripe_account_id)
                    .await?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok(MyAccount {
            account: row.map(|r| overview(&r, unix_now())),
            onboarding: config.onboarding,
            update_route: config.update_route(),
            email_confirmed: user.email_confirmed,
            disputes,
            respond_to_disputes: config.components.payments && config.components.dispute_management,
            failed_payouts,
        })
    }

    /// Creates the account on Stripe with the platform's configuration. The idempotency key is
    /// this installation's, the owner's and the request's (see [`crate::idempotency_keys`]): a
    /// double click, a retry or two tabs get the same account back from Stripe, and a retry
    /// after an admin changed the platform settings makes the account as now configured.
    async fn create_account(
        state: &AppState,
        config: &PlatformConfig,
        user: &CurrentUser,
    ) -> Result<(String, ApiVersion), AppError> {
        let installation = &state.settings.installation_id;
        let purpose = format!("owner-{}-account", user.id);
        match config.account_api {
            AccountApi::V1 => {
                let pairs = config.v1_account_params(&user.email);
                let opts = RequestOptions::new().idempotency_key(idempotency_keys::derive(
                    installation,
                    &purpose,
                    &idempotency_keys::form_parameters(&pairs),
                ));
                let mut params = Params::new();
                for (k, v) in pairs {
                    params = params.set(k, v);
                }
                let account: Value = state
                    .stripe
                    .post_form("/v1/accounts", &params, &opts)
                    .await
                    .map_err(|e| to_app_error("create your account", &e))?;
                let id = account["id"]
                    .as_str()
                    .ok_or(AppError::Internal)?
                    .to_string();
                Ok((id, ApiVersion::V1))
            }
            AccountApi::V2 => {
                let mut configuration = serde_json::Map::new();
                if config.v2_configurations.merchant {
                    configuration.insert(
                        "merchant".into(),
                        json!({"capabilities": {"card_payments": {"requested": true}}}),
                    );
                }
                if config.v2_configurations.customer {
                    configuration.insert("customer".into(), json!({}));
                }
                if config.v2_configurations.recipient {
                    configuration.insert(
                        "recipient".into(),
                        json!({"capabilities": {"stripe_balance": {"stripe_transfers": {"requested": true}}}}),
                    );
                }
                let body = json!({
                    "contact_email": user.email,
                    "dashboard": config.dashboard.slug(),
                    "identity": {"country": config.country.to_ascii_lowercase()},
                    "configuration": configuration,
                    "defaults": {"responsibilities": {
                        "fees_collector": if config.fees_payer == domain::platform::FeesPayer::Application { "application" } else { "stripe" },
                        "losses_collector": config.losses.slug(),
                    }},
                });
                let opts = RequestOptions::new().idempotency_key(idempotency_keys::derive(
                    installation,
                    &purpose,
                    body.to_string().as_bytes(),
                ));
                let account: Value = state
                    .stripe
                    .post_json("/v2/core/accounts", &body, &opts)
                    .await
                    .map_err(|e| to_app_error("create your account", &e))?;
                let id = account["id"]
                    .as_str()
                    .ok_or(AppError::Internal)?
                    .to_string();
                Ok((id, ApiVersion::V2))
            }
        }
    }

    /// The owner's account, created (and cached, and linked to the owner) when there is none.
    async fn ensure_account(
        state: &AppState,
        config: &PlatformConfig,
        user: &CurrentUser,
    ) -> Result<ConnectedAccountRow, AppError> {
        if let Some(row) = my_row(state, user).await? {
            return Ok(row);
        }
        require_confirmed_email(user)?;
        let (id, version) = create_account(state, config, user).await?;
        account_sync::sync(
            &state.db,
            &state.stripe,
            &id,
            VersionHint::Known(version),
            SyncCause::default(),
        )
        .await
        .map_err(sync_failed)?;
        if !connected_accounts::set_owner(&state.db, &id, user.id).await? {
            return Err(AppError::Internal);
        }
        tracing::info!(user_id = user.id, account = %id, "connected account created");
        my_row(state, user).await?.ok_or(AppError::Internal)
    }

    /// A fresh Account Link (v1 or v2, as the account is read) for the owner's account.
    pub(crate) async fn account_link(
        state: &AppState,
        config: &PlatformConfig,
        row: &ConnectedAccountRow,
        kind: LinkKind,
    ) -> Result<String, AppError> {
        let base = &state.settings.public_url;
        let refresh_url = format!("{base}/account/onboarding/refresh?kind={}", kind.slug());
        let return_url = format!("{base}/account/onboarding/return");
        let fields = config.collection_fields();
        let future = config.future_requirements_option();
        if row.api_version() == Some(ApiVersion::V2) {
            let use_case = match kind {
                LinkKind::Onboarding => "account_onboarding",
                LinkKind::Update => "account_update",
            };
            let body = json!({
                "account": row.stripe_account_id,
                "use_case": {
                    "type": use_case,
                    use_case: {
                        "configurations": config.v2_configurations.names(),
                        "refresh_url": refresh_url,
                        "return_url": return_url,
                        "collection_options": {"fields": fields, "future_requirements": future},
                    }
                }
            });
            let link: Value = state
                .stripe
                .post_json("/v2/core/account_links", &body, &RequestOptions::new())
                .await
                .map_err(|e| to_app_error("prepare the onboarding form", &e))?;
            return link["url"]
                .as_str()
                .map(str::to_string)
                .ok_or(AppError::Internal);
        }
        let params = Params::new()
            .set("account", row.stripe_account_id.as_str())
            .set(
                "type",
                match kind {
                    LinkKind::Onboarding => "account_onboarding",
                    LinkKind::Update => "account_update",
                },
            )
            .set("refresh_url", refresh_url)
            .set("return_url", return_url)
            .set("collection_options[fields]", fields)
            .set("collection_options[future_requirements]", future);
        let link: Value = state
            .stripe
            .post_form("/v1/account_links", &params, &RequestOptions::new())
            .await
            .map_err(|e| to_app_error("prepare the onboarding form", &e))?;
        link["url"]
            .as_str()
            .map(str::to_string)
            .ok_or(AppError::Internal)
    }

    /// Where "continue onboarding" goes for this configuration.
    async fn onboarding_destination(
        state: &AppState,
        config: &PlatformConfig,
        row: &ConnectedAccountRow,
    ) -> Result<String, AppError> {
        match config.onboarding {
            OnboardingMode::Embedded => Ok("/account/onboarding/embedded".to_string()),
            OnboardingMode::Hosted | OnboardingMode::ExpressOauth => {
                account_link(state, config, row, LinkKind::Onboarding).await
            }
        }
    }

    pub async fn start_onboarding() -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        if config.onboarding == OnboardingMode::ExpressOauth {
            return Err(AppError::Conflict(
                "This platform connects accounts with \"Connect with Stripe\".".into(),
            ));
        }
        let row = ensure_account(&state, &config, &user).await?;
        let to = onboarding_destination(&state, &config, &row).await?;
        leptos_axum::redirect(&to);
        Ok(())
    }

    async fn require_account(
        state: &AppState,
        user: &CurrentUser,
    ) -> Result<ConnectedAccountRow, AppError> {
        my_row(state, user).await?.ok_or_else(|| {
            AppError::Conflict("You have no connected account yet: start onboarding first.".into())
        })
    }

    pub async fn continue_onboarding() -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        let row = require_account(&state, &user).await?;
        let to = onboarding_destination(&state, &config, &row).await?;
        leptos_axum::redirect(&to);
        Ok(())
    }

    pub async fn update_information() -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        let row = require_account(&state, &user).await?;
        let to = match config.update_route() {
            UpdateRoute::UpdateLink => {
                account_link(&state, &config, &row, LinkKind::Update).await?
            }
            UpdateRoute::AccountManagement => "/account/settings".to_string(),
            UpdateRoute::ExpressDashboard => login_link(&state, &row).await?,
            UpdateRoute::StripeDashboard => "https://dashboard.stripe.com/".to_string(),
        };
        leptos_axum::redirect(&to);
        Ok(())
    }

    pub async fn refresh(kind: String) -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        let row = require_account(&state, &user).await?;
        let kind = if kind == "update" && config.uses_update_links() {
            LinkKind::Update
        } else {
            LinkKind::Onboarding
        };
        let url = account_link(&state, &config, &row, kind).await?;
        leptos_axum::redirect(&url);
        Ok(())
    }

    pub async fn sync_mine() -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let row = require_account(&state, &user).await?;
        account_sync::sync(
            &state.db,
            &state.stripe,
            &row.stripe_account_id,
            VersionHint::IfNew(ApiVersion::V1),
            SyncCause::default(),
        )
        .await
        .map_err(sync_failed)?;
        leptos_axum::redirect("/account?returned=1");
        Ok(())
    }

    async fn login_link(state: &AppState, row: &ConnectedAccountRow) -> Result<String, AppError> {
        if row.dashboard_type.as_deref() != Some("express") {
            return Err(AppError::Conflict(
                "Your account has no Express dashboard.".into(),
            ));
        }
        let link = state
            .stripe
            .create_login_link(&row.stripe_account_id, &RequestOptions::new())
            .await
            .map_err(|e| to_app_error("open the Express dashboard", &e))?;
        Ok(link.url)
    }

    const OAUTH_STATE: &str = "oauth_state";

    pub async fn start_oauth() -> Result<(), AppError> {
        let user = owner().await?;
        require_confirmed_email(&user)?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        if config.onboarding != OnboardingMode::ExpressOauth {
            return Err(AppError::Conflict(
                "This platform does not use Connect with Stripe.".into(),
            ));
        }
        let token = format!("{:032x}", rand::random::<u128>());
        auth::session()
            .await?
            .insert(OAUTH_STATE, &token)
            .await
            .map_err(auth::session_error)?;
        let mut authorize =
            stripe_client::OAuthAuthorize::express(config.oauth_client_id.clone(), token)
                .redirect_uri(format!(
                    "{}/account/oauth/callback",
                    state.settings.public_url
                ))
                .stripe_user("email", user.email.clone())
                .stripe_user("business_type", "individual");
        for capability in &config.capabilities {
            authorize = authorize.suggested_capability(capability.clone());
        }
        leptos_axum::redirect(&authorize.url(&state.stripe.config().connect_base));
        Ok(())
    }

    pub const ALREADY_LINKED: &str =
        "This Stripe account is already linked to another login of this portal.";

    pub async fn finish_oauth(
        code: Option<String>,
        returned_state: Option<String>,
        error: Option<String>,
        error_description: Option<String>,
    ) -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        // The state is used up whatever happens next: a callback works once.
        let expected: Option<String> = auth::session()
            .await?
            .remove(OAUTH_STATE)
            .await
            .map_err(auth::session_error)?;
        let state_ok =
            matches!((&expected, &returned_state), (Some(e), Some(r)) if !e.is_empty() && e == r);
        if !state_ok {
            tracing::warn!(
                user_id = user.id,
                "OAuth callback with a missing or mismatched state"
            );
            return Err(AppError::invalid(
                "state",
                "This connection request is not valid any more (it was used, or did not start here). Start again from your account page.",
            ));
        }
        if let Some(error) = error {
            tracing::info!(user_id = user.id, %error, description = ?error_description, "OAuth not granted");
            return Err(AppError::Conflict(if error == "access_denied" {
                "You chose not to connect your Stripe account. You can connect it any time.".into()
            } else {
                "Stripe did not connect your account. Try again.".into()
            }));
        }
        let code = code.filter(|c| !c.is_empty()).ok_or_else(|| {
            AppError::invalid("code", "Stripe sent no authorization code. Start again.")
        })?;
        let assert: Vec<&str> = config.capabilities.iter().map(String::as_str).collect();
        let token = state
            .stripe
            .oauth_token(&code, &assert)
            .await
            .map_err(|e| match e.kind() {
                stripe_client::ErrorKind::OAuth(o) if o.error == "invalid_grant" => {
                    AppError::Conflict(
                        "That authorization has expired or was already used. Start again.".into(),
                    )
                }
                _ => to_app_error("connect your account", &e),
            })?;
        // Connected when Stripe answered (its clock, the answer's `Date`): newer than any earlier
        // disconnection, which is dated by Stripe's clock too.
        let connected_at = token.date.unwrap_or_else(unix_now);
        let account = token.value.stripe_user_id;
        account_sync::sync(
            &state.db,
            &state.stripe,
            &account,
            VersionHint::Known(ApiVersion::V1),
            SyncCause {
                event_created: connected_at,
                reconnected: true,
            },
        )
        .await
        .map_err(sync_failed)?;
        let linked = match connected_accounts::set_owner(&state.db, &account, user.id).await {
            Ok(linked) => linked,
            // `owner_user_id` is unique: this login already has another account.
            Err(e) if crate::db::is_unique_violation(&e) => {
                return Err(AppError::Conflict(
                    "Your login is already linked to another Stripe account.".into(),
                ))
            }
            Err(e) => return Err(e.into()),
        };
        if !linked {
            // The account was just cached, so the guard refused it: another login owns it.
            // Granting OAuth proves access to the Stripe account, not to that other login.
            tracing::warn!(
                user_id = user.id,
                %account,
                "OAuth connected an account linked to another login: refused"
            );
            return Err(AppError::Conflict(ALREADY_LINKED.into()));
        }
        tracing::info!(user_id = user.id, %account, "Stripe account connected with OAuth");
        leptos_axum::redirect("/account?returned=1");
        Ok(())
    }

    pub async fn disconnect() -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let config = crate::platform::current(&state).await?;
        let row = require_account(&state, &user).await?;
        let answer = state
            .stripe
            .oauth_deauthorize(&config.oauth_client_id, &row.stripe_account_id)
            .await
            .map_err(|e| to_app_error("disconnect your account", &e))?;
        // Ordered against the account's events by Stripe's clock (the answer's `Date`), like
        // every other write to the cache: this machine's clock may differ from Stripe's.
        let at = answer.date.unwrap_or_else(unix_now);
        connected_accounts::mark_revoked(&state.db, &row.stripe_account_id, at).await?;
        tracing::info!(user_id = user.id, account = %row.stripe_account_id, "OAuth connection removed");
        Ok(())
    }

    pub async fn express_dashboard() -> Result<(), AppError> {
        let user = owner().await?;
        let state = app_state()?;
        let row = require_account(&state, &user).await?;
        let url = login_link(&state, &row).await?;
        leptos_axum::redirect(&url);
        Ok(())
    }
}
