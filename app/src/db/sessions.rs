//! SQL for the `sessions` table: a tower-sessions store on the portal's own database, so every
//! server instance on one database shares sessions.

use super::{unix_now, Db};
use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};

/// The session key that holds the signed-in user's id; copied into `sessions.user_id`.
pub const USER_ID_KEY: &str = "user_id";
/// The session key that holds a short description of the browser (see `crate::devices`).
pub const DEVICE_KEY: &str = "device";
/// The session key that holds the login's credentials version at sign-in (see `users`).
pub const CREDENTIALS_VERSION_KEY: &str = "credentials_version";
/// The session key that holds the Unix time of the sign-in (sessions end a fixed time after it).
pub const SIGNED_IN_AT_KEY: &str = "signed_in_at";

/// A session's last-seen time is written at most this often (every request asks for a save, so
/// that inactivity expiry works; most of those writes would change nothing worth keeping).
const LAST_SEEN_RESOLUTION_SECS: i64 = 60;

/// A public, random name for a session (the id itself is the cookie's secret).
fn new_handle() -> String {
    use rand::Rng;
    format!("{:032x}", rand::thread_rng().gen::<u128>())
}

#[derive(Debug, Clone)]
pub struct SqlSessionStore {
    db: Db,
}

impl SqlSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn backend_error(err: sqlx::Error) -> session_store::Error {
    session_store::Error::Backend(err.to_string())
}

fn encode(record: &Record) -> session_store::Result<(String, Option<i64>, i64)> {
    let data = serde_json::to_string(&record.data)
        .map_err(|e| session_store::Error::Encode(e.to_string()))?;
    let user_id = record
        .data
        .get(USER_ID_KEY)
        .and_then(serde_json::Value::as_i64);
    Ok((data, user_id, record.expiry_date.unix_timestamp()))
}

#[async_trait]
impl SessionStore for SqlSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A new id on the (astronomically unlikely) collision, as the trait asks of stores.
        loop {
            let (data, user_id, expires_at) = encode(record)?;
            let inserted = sqlx::query(
                "INSERT INTO sessions (id, user_id, data, expires_at, updated_at, handle) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(user_id)
            .bind(data)
            .bind(expires_at)
            .bind(unix_now())
            .bind(new_handle())
            .execute(self.db.pool())
            .await
            .map_err(backend_error)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        // Update only: a session deleted while one of its requests was in flight (signed out,
        // ended from the profile, cut by a password change) stays deleted when that request
        // ends. New sessions come through `create`.
        let (data, user_id, expires_at) = encode(record)?;
        // A removed login's rows went with it (ON DELETE CASCADE), so this cannot bring one back.
        sqlx::query(
            "UPDATE sessions SET user_id = $1, data = $2, expires_at = $3, updated_at = $4 \
             WHERE id = $5 AND (data <> $2 OR updated_at < $4 - $6)",
        )
        .bind(user_id)
        .bind(data)
        .bind(expires_at)
        .bind(unix_now())
        .bind(record.id.to_string())
        .bind(LAST_SEEN_RESOLUTION_SECS)
        .execute(self.db.pool())
        .await
        .map_err(backend_error)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id.to_string())
        .bind(unix_now())
        .fetch_optional(self.db.pool())
        .await
        .map_err(backend_error)?;
        let Some((data, expires_at)) = row else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        let expiry_date = time::OffsetDateTime::from_unix_timestamp(expires_at)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(self.db.pool())
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}

#[async_trait]
impl ExpiredDeletion for SqlSessionStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(unix_now())
            .execute(self.db.pool())
            .await
            .map_err(backend_error)?;
        Ok(())
    }
}

/// One of a person's sessions, as they see it in their profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub handle: String,
    pub device: Option<String>,
    pub last_seen: i64,
    pub current: bool,
}

/// The person's unexpired sessions: this one first, then the most recently used.
pub async fn list_for_user(
    db: &Db,
    user_id: i64,
    current: &Id,
) -> Result<Vec<SessionSummary>, sqlx::Error> {
    let rows: Vec<(Option<String>, String, i64, i64)> = sqlx::query_as(
        "SELECT handle, data, updated_at, CAST(CASE WHEN id = $2 THEN 1 ELSE 0 END AS BIGINT) \
         FROM sessions WHERE user_id = $1 AND expires_at > $3 \
         ORDER BY CASE WHEN id = $2 THEN 0 ELSE 1 END, updated_at DESC",
    )
    .bind(user_id)
    .bind(current.to_string())
    .bind(unix_now())
    .fetch_all(db.pool())
    .await?;
    Ok(rows
        .into_iter()
        // Sessions made before handles existed cannot be named; "sign out everywhere else" still
        // reaches them.
        .filter_map(|(handle, data, last_seen, current)| {
            let device = serde_json::from_str::<serde_json::Value>(&data)
                .ok()
                .and_then(|d| {
                    d.get(DEVICE_KEY)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                });
            Some(SessionSummary {
                handle: handle?,
                device,
                last_seen,
                current: current == 1,
            })
        })
        .collect())
}

/// Ends one of the person's sessions by its handle. Returns whether there was one.
pub async fn delete_by_handle(db: &Db, user_id: i64, handle: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND handle = $2")
        .bind(user_id)
        .bind(handle)
        .execute(db.pool())
        .await
        .map(|r| r.rows_affected() > 0)
}

/// Ends every session of the person but the one making the request.
pub async fn delete_others(db: &Db, user_id: i64, keep: &Id) -> Result<u64, sqlx::Error> {
    delete_others_in(db.pool(), user_id, keep).await
}

/// [`delete_others`] on a connection or transaction of the caller's.
pub async fn delete_others_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
    keep: &Id,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.to_string())
        .execute(executor)
        .await
        .map(|r| r.rows_affected())
}

/// Signs a person out everywhere (used when their login is removed or their password changes).
pub async fn delete_for_user(db: &Db, user_id: i64) -> Result<u64, sqlx::Error> {
    delete_for_user_in(db.pool(), user_id).await
}

/// [`delete_for_user`] on a connection or transaction of the caller's.
pub async fn delete_for_user_in<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: i64,
) -> Result<u64, sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(executor)
        .await
        .map(|r| r.rows_affected())
}
