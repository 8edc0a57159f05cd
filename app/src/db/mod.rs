//! The database: SQLite by default, PostgreSQL when the URL says so, behind one `sqlx::Any` pool so
//! that the same queries serve both. Each table's SQL lives in the module named for it.

pub mod account_balances;
pub mod account_capabilities;
pub mod admin_digests;
pub mod admin_invites;
pub mod application_fees;
pub mod attempt_slots;
pub mod audit_log;
pub mod background_jobs;
pub mod connected_accounts;
pub mod disputes;
pub mod email_tokens;
pub mod installation;
pub mod mail_outbox;
pub mod owner_notices;
pub mod payouts;
pub mod platform_settings;
pub mod refunds;
pub mod sessions;
pub mod stripe_events;
pub mod users;

use sqlx::any::{AnyPoolOptions, AnyQueryResult};
use sqlx::AnyPool;
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported DATABASE_URL scheme (use sqlite:// or postgres://)")]
    UnsupportedUrl,
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// Where people reach the portal, for links in mail queued by background work (webhooks,
    /// reconciliation) that has no request to take it from; set once at start-up.
    public_url: Option<std::sync::Arc<str>>,
}

impl Db {
    /// Opens a pool with the default size. A SQLite file (and its folder) is created when missing.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, None).await
    }

    /// Opens a pool of at most `max_connections` (default: 8 for SQLite, 16 for PostgreSQL).
    pub async fn connect_with(url: &str, max_connections: Option<u32>) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url).ok_or(DbError::UnsupportedUrl)?;
        let (url, default_max) = match backend {
            Backend::Sqlite => {
                if let Some(parent) = sqlite_file(url).and_then(|p| p.parent()) {
                    if !parent.as_os_str().is_empty() {
                        std::fs::create_dir_all(parent).map_err(sqlx::Error::Io)?;
                    }
                }
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                (url, 8)
            }
            Backend::Postgres => (url.to_string(), 16),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.unwrap_or(default_max).max(1))
            .connect(&url)
            .await?;
        if backend == Backend::Sqlite {
            // WAL lets readers and the one writer work at once; the setting persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&pool)
                .await?;
        }
        Ok(Db {
            pool,
            backend,
            public_url: None,
        })
    }

    /// Applies the migrations of this backend's folder (kept in step with the other one).
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// This handle, with the portal's public address for links in mail (see [`Db::public_url`]).
    pub fn with_public_url(mut self, url: &str) -> Db {
        self.public_url = Some(url.trim_end_matches('/').into());
        self
    }

    /// The portal's public address, once the server set it (empty before: links are relative).
    pub fn public_url(&self) -> &str {
        self.public_url.as_deref().unwrap_or("")
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_: AnyQueryResult| ())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_file(url: &str) -> Option<&std::path::Path> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| std::path::Path::new(path))
}

/// Current time as Unix seconds, the unit every timestamp column uses.
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// Whether an error is a unique-constraint violation (same check on both databases).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.is_unique_violation())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn backend_from_url() {
        assert_eq!(
            Backend::from_url("sqlite://data/portal.db"),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::from_url("postgres://localhost/test"),
            Some(Backend::Postgres)
        );
        assert_eq!(
            Backend::from_url("postgresql://localhost/test"),
            Some(Backend::Postgres)
        );
        assert_eq!(Backend::from_url("mysql://localhost/test"), None);
    }

    #[test]
    fn sqlite_file_paths() {
        assert_eq!(
            sqlite_file("sqlite://data/portal.db"),
            Some(std::path::Path::new("data/portal.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///tmp/x.db?mode=rwc"),
            Some(std::path::Path::new("/tmp/x.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }

    #[test]
    fn migrations_are_in_step() {
        let names = |dir: &str| {
            let mut v: Vec<String> = std::fs::read_dir(format!(
                "{}/../migrations/{dir}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
            v.sort();
            v
        };
        let sqlite = names("sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(
            sqlite,
            names("postgres"),
            "every migration must exist for both databases"
        );
    }
}
