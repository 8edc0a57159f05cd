//! The platform's configuration at request time: what an admin saved in the console, or the
//! defaults the server was started with (environment / command line).

use crate::db::{platform_settings, unix_now};
use crate::state::AppState;
use domain::platform::{ConfigProblem, PlatformConfig};

/// The configuration in force. A saved row that no longer decodes is logged and the start-up
/// defaults apply, so one bad row never takes the portal down.
pub async fn current(state: &AppState) -> Result<PlatformConfig, sqlx::Error> {
    Ok(match platform_settings::load(&state.db).await? {
        Some((json, _)) => serde_json::from_str(&json).unwrap_or_else(|e| {
            tracing::error!(error = %e, "saved platform settings do not decode; using the defaults");
            state.settings.platform_defaults.clone()
        }),
        None => state.settings.platform_defaults.clone(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("refused: {0:?}")]
    Invalid(Vec<ConfigProblem>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Saves a configuration after checking it with Stripe's rules.
pub async fn save(
    state: &AppState,
    config: &PlatformConfig,
    by_user: i64,
) -> Result<(), SaveError> {
    config.validate().map_err(SaveError::Invalid)?;
    let json = serde_json::to_string(config).map_err(|e| {
        // Serialising plain data cannot fail; keep the type honest anyway.
        SaveError::Db(sqlx::Error::Protocol(e.to_string()))
    })?;
    platform_settings::save(&state.db, &json, by_user, unix_now()).await?;
    Ok(())
}
