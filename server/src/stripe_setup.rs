//! Connects the portal to Stripe at start: with `STRIPE_SECRET_KEY`, to Stripe (or the configured
//! base URLs); without it, to the offline Stripe emulator started in-process, with the portal's
//! webhook endpoints registered so events flow with no manual step. Past this point nothing in the
//! portal knows which of the two it talks to.

use crate::config::StripeSettings;
use app::csp::CspSources;
use app::embedded::ConnectJsSource;
use std::net::SocketAddr;
use std::path::Path;
use stripe_client::{StripeClient, StripeConfig};

/// The fixed test keys of the in-process emulator.
pub const EMULATOR_SECRET_KEY: &str = "sk_test_offline_emulator";
pub const EMULATOR_PUBLISHABLE_KEY: &str = "pk_test_offline_emulator";
/// File in DATA_DIR holding the webhook signing secret shared with the emulator.
pub const WEBHOOK_SECRET_FILE: &str = "emulator-webhook-secret";

/// The portal's webhook paths.
pub const SNAPSHOT_WEBHOOK_PATH: &str = "/webhooks/stripe";
pub const THIN_WEBHOOK_PATH: &str = "/webhooks/stripe/thin";

#[derive(Debug, thiserror::Error)]
pub enum StripeSetupError {
    #[error("Stripe client: {0}")]
    Client(#[from] stripe_client::StripeError),
    #[error("offline Stripe emulator: {0}")]
    Emulator(#[from] sandbox::SandboxError),
    #[error(
        "STRIPE_SECRET_KEY is not set, so the offline Stripe emulator would run behind \
         PUBLIC_URL={public_url}, which is not a loopback http address: pages would load \
         Connect.js from the emulator and offer test-data tools. Set STRIPE_SECRET_KEY (with \
         STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRETS) to use Stripe, or ALLOW_EMULATOR=true \
         if this deployment is meant to run on the emulator."
    )]
    EmulatorNotAllowed { public_url: String },
    #[error("webhook secret file {path}: {source}")]
    SecretFile {
        path: String,
        source: std::io::Error,
    },
}

/// What the rest of the portal gets.
pub struct StripeSetup {
    pub client: StripeClient,
    pub publishable_key: String,
    /// Every secret a webhook signature may be made with.
    pub webhook_secrets: Vec<String>,
    /// The in-process emulator, when there is one (kept alive by holding it).
    pub emulator: Option<sandbox::SandboxHandle>,
    /// Which Connect.js runtime pages use.
    pub connect_js: ConnectJsSource,
    /// What pages' Content-Security-Policy must allow for Connect.js.
    pub csp: CspSources,
}

/// The sources Stripe requires for Connect.js (FACTS.md), and where forms may lead: a plain form
/// post answered with a redirect to Stripe (Account Links v1 and v2, Express dashboard login links,
/// OAuth on `STRIPE_CONNECT_BASE`). Stripe chooses the host of each link it returns (its own
/// example Account Link in `stripe-fixtures/fixtures3.json` is not on connect.stripe.com), so every
/// subdomain of stripe.com is allowed rather than a guessed list.
pub fn stripe_csp_sources(connect_base: Option<&str>) -> CspSources {
    let stripe = vec![
        "https://connect-js.stripe.com".to_string(),
        "https://js.stripe.com".to_string(),
    ];
    CspSources {
        script: stripe.clone(),
        frame: stripe,
        connect: Vec::new(),
        img: vec!["https://*.stripe.com".to_string()],
        style: vec!["'sha256-0hAheEzaMe6uXIKV4EehS9pu1am1lj/KnnzrOYqckXk='".to_string()],
        form_action: std::iter::once("https://*.stripe.com".to_string())
            .chain(
                connect_base
                    .and_then(crate::origin_of)
                    .filter(|o| !o.ends_with(".stripe.com")),
            )
            .collect(),
    }
}

/// The emulator's stand-in is served from the emulator's own origin.
pub fn emulator_csp_sources(emulator_base: &str) -> CspSources {
    let origin = vec![emulator_base.trim_end_matches('/').to_string()];
    CspSources {
        script: origin.clone(),
        frame: origin.clone(),
        connect: origin.clone(),
        img: origin.clone(),
        style: origin.clone(),
        form_action: origin,
    }
}

/// The address webhooks reach this portal at, from the address it listens on.
pub fn local_base_url(listen: SocketAddr) -> String {
    let ip = if listen.ip().is_unspecified() {
        if listen.is_ipv4() {
            std::net::IpAddr::from([127, 0, 0, 1])
        } else {
            std::net::IpAddr::from(std::net::Ipv6Addr::LOCALHOST)
        }
    } else {
        listen.ip()
    };
    format!("http://{}", SocketAddr::new(ip, listen.port()))
}

/// Whether `url` is a plain-`http` address on this machine (127.0.0.0/8, ::1, `localhost`): the
/// only place the emulator serves without `ALLOW_EMULATOR`.
pub fn is_loopback_http(url: &str) -> bool {
    let Some(rest) = url.trim().strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return false;
    }
    let host = match authority.strip_prefix('[') {
        Some(inner) => match inner.split_once(']') {
            Some((host, _)) => host,
            None => return false,
        },
        None => authority.split(':').next().unwrap_or_default(),
    };
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Refuses to run the emulator where people other than the developer may reach the portal: a
/// `PUBLIC_URL` that is set and not loopback `http`, unless `ALLOW_EMULATOR` says so.
pub fn check_emulator_allowed(
    public_url: Option<&str>,
    allow_emulator: bool,
) -> Result<(), StripeSetupError> {
    match public_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if !allow_emulator && !is_loopback_http(url) => {
            Err(StripeSetupError::EmulatorNotAllowed {
                public_url: url.to_string(),
            })
        }
        _ => Ok(()),
    }
}

/// Connects to Stripe, or starts the emulator. `portal_addr` is where this portal listens (the
/// emulator delivers webhooks there); `public_url` is where people reach the portal (see
/// [`check_emulator_allowed`]).
pub async fn connect(
    settings: &StripeSettings,
    data_dir: &Path,
    portal_addr: SocketAddr,
    public_url: Option<&str>,
) -> Result<StripeSetup, StripeSetupError> {
    let configured_secrets = settings.webhook_secrets();
    if let Some(secret_key) = settings.stripe_secret_key.as_deref() {
        let mut config =
            StripeConfig::new(secret_key).with_max_retries(settings.stripe_max_retries);
        if let Some(base) = &settings.stripe_api_base {
            config = config.with_api_base(base.as_str());
        }
        if let Some(base) = &settings.stripe_connect_base {
            config = config.with_connect_base(base.as_str());
        }
        if configured_secrets.is_empty() {
            tracing::warn!(
                "STRIPE_WEBHOOK_SECRETS is not set: every webhook delivery will be refused"
            );
        }
        let publishable_key = settings.stripe_publishable_key.clone().unwrap_or_default();
        if publishable_key.is_empty() {
            tracing::warn!("STRIPE_PUBLISHABLE_KEY is not set");
        }
        return Ok(StripeSetup {
            client: StripeClient::new(config)?,
            publishable_key,
            webhook_secrets: configured_secrets,
            emulator: None,
            // @stripe/connect-js injects Stripe's script itself (src/utils/scriptUtils.ts).
            connect_js: ConnectJsSource::Stripe,
            csp: stripe_csp_sources(settings.stripe_connect_base.as_deref()),
        });
    }

    check_emulator_allowed(public_url, settings.allow_emulator)?;
    let secret = webhook_secret(data_dir)?;
    let portal = local_base_url(portal_addr);
    let emulator = sandbox::start(
        sandbox::SandboxConfig {
            secret_key: EMULATOR_SECRET_KEY.into(),
            publishable_key: EMULATOR_PUBLISHABLE_KEY.into(),
            data_dir: Some(data_dir.to_path_buf()),
            webhook_endpoints: vec![
                sandbox::WebhookEndpointConfig {
                    url: format!("{portal}{SNAPSHOT_WEBHOOK_PATH}"),
                    secret: secret.clone(),
                    connect: true,
                    thin: false,
                },
                // The platform's own events (`application_fee.*`) reach only an endpoint for
                // the account itself, not a Connect endpoint (docs.stripe.com/connect/webhooks).
                sandbox::WebhookEndpointConfig {
                    url: format!("{portal}{SNAPSHOT_WEBHOOK_PATH}"),
                    secret: secret.clone(),
                    connect: false,
                    thin: false,
                },
                sandbox::WebhookEndpointConfig {
                    url: format!("{portal}{THIN_WEBHOOK_PATH}"),
                    secret: secret.clone(),
                    connect: true,
                    thin: true,
                },
            ],
            ..sandbox::SandboxConfig::default()
        },
        settings.emulator_addr,
    )
    .await?;
    tracing::info!(base_url = %emulator.base_url, "no STRIPE_SECRET_KEY: using the offline Stripe emulator");
    let config = StripeConfig::new(EMULATOR_SECRET_KEY)
        .with_max_retries(settings.stripe_max_retries)
        .with_api_base(emulator.base_url.as_str())
        .with_connect_base(emulator.base_url.as_str());
    let mut webhook_secrets = vec![secret];
    webhook_secrets.extend(configured_secrets);
    Ok(StripeSetup {
        client: StripeClient::new(config)?,
        publishable_key: EMULATOR_PUBLISHABLE_KEY.into(),
        webhook_secrets,
        connect_js: ConnectJsSource::Emulator {
            script_url: format!(
                "{}/v1.0/connect.js",
                emulator.base_url.trim_end_matches('/')
            ),
        },
        csp: emulator_csp_sources(emulator.base_url.as_str()),
        emulator: Some(emulator),
    })
}

/// The emulator's webhook signing secret: made once and kept in DATA_DIR, so deliveries signed
/// before a restart still verify after it.
fn webhook_secret(data_dir: &Path) -> Result<String, StripeSetupError> {
    use rand::RngCore;
    let path = data_dir.join(WEBHOOK_SECRET_FILE);
    let file_error = |source| StripeSetupError::SecretFile {
        path: path.display().to_string(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) if text.trim().starts_with("whsec_") => return Ok(text.trim().to_string()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(file_error(e)),
    }
    std::fs::create_dir_all(data_dir).map_err(file_error)?;
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    let secret = format!(
        "whsec_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let tmp = data_dir.join(format!("{WEBHOOK_SECRET_FILE}.tmp"));
    write_private(&tmp, &secret).map_err(file_error)?;
    std::fs::rename(&tmp, &path).map_err(file_error)?;
    Ok(secret)
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_secret_is_made_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("portal-secret-{}", std::process::id()));
        let first = webhook_secret(&dir).unwrap();
        assert!(
            first.starts_with("whsec_") && first.len() == 6 + 48,
            "{first}"
        );
        assert_eq!(webhook_secret(&dir).unwrap(), first);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn forms_may_lead_to_every_stripe_host_and_the_configured_oauth_host() {
        assert_eq!(
            stripe_csp_sources(None).form_action,
            vec!["https://*.stripe.com"]
        );
        assert_eq!(
            stripe_csp_sources(Some("https://connect.stripe.com")).form_action,
            vec!["https://*.stripe.com"]
        );
        assert_eq!(
            stripe_csp_sources(Some("http://127.0.0.1:4242/base")).form_action,
            vec!["https://*.stripe.com", "http://127.0.0.1:4242"]
        );
    }

    #[test]
    fn loopback_http_addresses() {
        for url in [
            "http://127.0.0.1:3000",
            "http://127.0.0.1",
            "http://127.1.2.3:8080/portal",
            "http://localhost:3000/",
            "http://LOCALHOST",
            "http://[::1]:3000",
        ] {
            assert!(is_loopback_http(url), "{url}");
        }
        for url in [
            "https://portal.example.com",
            "http://portal.example.com",
            "https://127.0.0.1:3000",
            "https://localhost",
            "http://localhost.example.com",
            "http://127.0.0.1.example.com",
            "http://10.0.0.5:3000",
            "http://0.0.0.0:3000",
            "http://[::]:3000",
            "http://127.0.0.1@portal.example.com",
            "portal.example.com",
        ] {
            assert!(!is_loopback_http(url), "{url}");
        }
    }

    #[test]
    fn the_emulator_serves_production_only_when_allowed() {
        let refused = check_emulator_allowed(Some("https://portal.example.com"), false);
        let message = refused.unwrap_err().to_string();
        assert!(
            message.contains("PUBLIC_URL=https://portal.example.com"),
            "{message}"
        );
        assert!(message.contains("STRIPE_SECRET_KEY"), "{message}");
        assert!(message.contains("ALLOW_EMULATOR=true"), "{message}");
        assert!(check_emulator_allowed(Some("https://portal.example.com"), true).is_ok());
        assert!(check_emulator_allowed(Some("http://localhost:3000"), false).is_ok());
        assert!(check_emulator_allowed(None, false).is_ok());
        assert!(check_emulator_allowed(Some(" "), false).is_ok());
    }

    #[test]
    fn webhooks_reach_a_wildcard_listener_on_loopback() {
        assert_eq!(
            local_base_url("0.0.0.0:3000".parse().unwrap()),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            local_base_url("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
    }
}
