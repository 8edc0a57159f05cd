//! Argon2id password hashes. Hashing is deliberately slow and takes ~19 MiB per hash (Argon2's
//! default parameters), so it runs off the async workers, on [`hashing_permits`] threads of its
//! own: a burst of sign-ups or sign-ins waits its turn for a moment, then is told the server is
//! busy. Each hashing thread keeps its Argon2 working memory and reuses it: allocating and
//! freeing 19 MiB per hash fragmented the heap (measured: 200 sign-ups one after another grew the
//! server from 41 MiB to 347 MiB, 200 at once to 710 MiB; page loads alone did not).

use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use std::cell::RefCell;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use tokio::sync::{oneshot, Semaphore};

/// How long a hash waits for its turn before the request is answered 503.
pub const HASHING_WAIT: Duration = Duration::from_secs(3);

/// Hashes that may run at once: one per core.
pub fn hashing_permits() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

fn hashing() -> &'static Semaphore {
    static HASHING: OnceLock<Semaphore> = OnceLock::new();
    HASHING.get_or_init(|| Semaphore::new(hashing_permits()))
}

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads, fed through one queue (started on first use).
fn hashing_threads() -> &'static Mutex<mpsc::Sender<Job>> {
    static THREADS: OnceLock<Mutex<mpsc::Sender<Job>>> = OnceLock::new();
    THREADS.get_or_init(|| {
        let (send, receive) = mpsc::channel::<Job>();
        let receive = Arc::new(Mutex::new(receive));
        for n in 0..hashing_permits() {
            let receive = receive.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || loop {
                    let job = match receive.lock() {
                        Ok(queue) => queue.recv(),
                        Err(_) => return,
                    };
                    match job {
                        // A panic in a job (a bug) must not take the thread down with it.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Mutex::new(send)
    })
}

/// Runs one Argon2 computation on a hashing thread when a permit is free within
/// [`HASHING_WAIT`] (so no more jobs are queued than there are threads).
async fn run_limited<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = tokio::time::timeout(HASHING_WAIT, hashing().acquire())
        .await
        .map_err(|_| {
            tracing::warn!("password hashing busy; request refused");
            AppError::Busy
        })?
        .map_err(|_| AppError::Internal)?;
    let (done, result) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    let sent = hashing_threads()
        .lock()
        .map_err(|_| AppError::Internal)?
        .send(job);
    if sent.is_err() {
        tracing::error!("password hashing threads are gone");
        return Err(AppError::Internal);
    }
    let result = result.await.map_err(|_| {
        tracing::error!("password hashing job failed");
        AppError::Internal
    });
    drop(permit);
    result
}

pub async fn hash(password: String) -> Result<String, AppError> {
    run_limited(move || hash_blocking(&password)).await?
}

thread_local! {
    /// This thread's Argon2 working memory, kept between hashes.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Argon2 of `password` and `salt` into an output of `len` bytes, in this thread's kept memory.
fn argon2_output(
    argon2: &Argon2<'_>,
    password: &[u8],
    salt: &[u8],
    len: usize,
) -> Result<Output, AppError> {
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    };
    BLOCKS.with(|blocks| {
        let mut blocks = blocks.borrow_mut();
        let count = argon2.params().block_count();
        if blocks.len() < count {
            blocks.resize(count, Block::default());
        }
        Output::init_with(len, |out| {
            argon2
                .hash_password_into_with_memory(password, salt, out, &mut blocks[..count])
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .map_err(|e| failed(&e))
    })
}

/// A new PHC-format Argon2id hash (`$argon2id$v=19$m=…`) of `password` with a fresh salt, as
/// `PasswordHasher::hash_password` makes it, but in kept memory.
pub fn hash_blocking(password: &str) -> Result<String, AppError> {
    let failed = |e: argon2::password_hash::Error| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    };
    let argon2 = Argon2::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let raw_salt = salt.as_salt().decode_b64(&mut salt_bytes).map_err(failed)?;
    let hash = argon2_output(
        &argon2,
        password.as_bytes(),
        raw_salt,
        Params::DEFAULT_OUTPUT_LEN,
    )?;
    Ok(PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon2.params()).map_err(failed)?,
        salt: Some(salt.as_salt()),
        hash: Some(hash),
    }
    .to_string())
}

/// Whether `password` matches a stored PHC hash (with the parameters it was made with), compared
/// in constant time.
fn matches(password: &str, stored: &str) -> bool {
    let check = || -> Option<bool> {
        let parsed = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()
            .ok()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed).ok()?;
        let expected = parsed.hash?;
        let mut salt_bytes = [0u8; 64];
        let salt = parsed.salt?.decode_b64(&mut salt_bytes).ok()?;
        let argon2 = Argon2::new(algorithm, version, params);
        let got = argon2_output(&argon2, password.as_bytes(), salt, expected.len()).ok()?;
        Some(got == expected)
    };
    check().unwrap_or(false)
}

/// Checks a password against a stored hash. With no stored hash (unknown email) it still does the
/// same work against a fixed hash and answers `false`. [`AppError::Busy`] when the check could not
/// run in time.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, AppError> {
    run_limited(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| dummy_hash().to_string());
        let ok = matches(&password, &stored);
        known && ok
    })
    .await
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_blocking("not a real password, only for timing").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash("correct horse battery".into()).await.unwrap();
        let b = hash("correct horse battery".into()).await.unwrap();
        assert_ne!(a, b, "salted");
        assert!(a.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(a.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery".into(), Some(a)).await.unwrap());
        assert!(!verify("not a real password, only for timing".into(), None)
            .await
            .unwrap());
    }

    #[test]
    fn hashes_are_argon2s_own_format_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Ours verifies with the argon2 crate's own verifier…
        let ours = hash_blocking("a long enough password").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"a long enough password", &parsed)
            .is_ok());
        // …and a hash made by the crate (and stored before this change) verifies with ours.
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"another password", &salt)
            .unwrap()
            .to_string();
        assert!(matches("another password", &theirs));
        assert!(!matches("another passwort", &theirs));
        assert!(!matches("another password", "not a hash"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn no_more_hashes_run_at_once_than_there_are_permits() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..hashing_permits() * 3)
            .map(|_| {
                let (running, most) = (running.clone(), most.clone());
                tokio::spawn(async move {
                    run_limited(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(50));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= hashing_permits());
    }
}
