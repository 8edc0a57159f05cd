//! SQL for the `installation` table: one row holding this portal installation's random id.

use super::{unix_now, Db};

/// This installation's id, made on the first call: the INSERT does nothing when a row exists
/// (another instance on the same database may have written it a moment ago), and the SELECT
/// reads whichever row won, so every instance on one database agrees.
pub async fn ensure(db: &Db) -> Result<String, sqlx::Error> {
    use rand::Rng;
    let candidate: String = {
        let mut rng = rand::thread_rng();
        (0..16)
            .map(|_| format!("{:02x}", rng.gen::<u8>()))
            .collect()
    };
    sqlx::query(
        "INSERT INTO installation (id, installation_id, created_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&candidate)
    .bind(unix_now())
    .execute(db.pool())
    .await?;
    let (id,): (String,) = sqlx::query_as("SELECT installation_id FROM installation WHERE id = 1")
        .fetch_one(db.pool())
        .await?;
    Ok(id)
}
