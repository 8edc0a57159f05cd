//! Creating platform admins: from the command line, or from env at first start.

use app::auth::{password, Role};
use app::db::{users, Db};
use app::validation::{normalize_email, validate_email, validate_new_password};

#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("{0}")]
    Invalid(String),
    #[error("a login with this email already exists")]
    EmailTaken,
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
}

pub async fn create(db: &Db, email: &str, password: &str) -> Result<i64, CreateAdminError> {
    let email = normalize_email(email);
    validate_email(&email).map_err(|e| CreateAdminError::Invalid(e.to_string()))?;
    validate_new_password(password).map_err(|e| CreateAdminError::Invalid(e.to_string()))?;
    let hash = password::hash(password.to_string())
        .await
        .map_err(|e| CreateAdminError::Invalid(e.to_string()))?;
    match users::insert(db, &email, &hash, Role::Admin.as_str()).await {
        Ok(id) => Ok(id),
        Err(users::InsertUserError::EmailTaken) => Err(CreateAdminError::EmailTaken),
        Err(users::InsertUserError::Db(e)) => Err(e.into()),
    }
}

/// At start: when ADMIN_EMAIL and ADMIN_PASSWORD are set and no admin exists, create one.
pub async fn ensure_from_env(
    db: &Db,
    email: Option<&str>,
    password: Option<&str>,
) -> Result<(), CreateAdminError> {
    let (Some(email), Some(password)) = (email, password) else {
        return Ok(());
    };
    let has_admin = users::count_by_role(db)
        .await?
        .iter()
        .any(|(role, count)| role == Role::Admin.as_str() && *count > 0);
    if has_admin {
        return Ok(());
    }
    let id = create(db, email, password).await?;
    tracing::info!(
        user_id = id,
        "created the first platform admin from ADMIN_EMAIL"
    );
    Ok(())
}
