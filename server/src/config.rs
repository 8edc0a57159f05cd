//! Configuration from the environment (and an optional `.env`), or the command line.

use clap::{Args, Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    about = "Connect portal: the self-service portal and admin console for a Stripe Connect platform"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal (the default).
    Serve,
    /// Create a platform admin. The password is read from ADMIN_PASSWORD or, if unset, from stdin.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on. Defaults to the address cargo-leptos gives (127.0.0.1:3000).
    #[arg(long, env = "BIND_ADDR")]
    pub bind_addr: Option<SocketAddr>,

    /// Folder for the SQLite file and other local state.
    #[arg(long, env = "DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// `sqlite://path/to/file.db` or `postgres://user@host/db`. Defaults to a SQLite file in DATA_DIR.
    #[arg(long, env = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// The address people use to reach the portal. `https://…` makes cookies Secure.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Trust the last `X-Forwarded-For` entry as the client address (only behind your own proxy).
    #[arg(long, env = "TRUST_FORWARDED_FOR", default_value_t = false)]
    pub trust_forwarded_for: bool,

    /// Create this platform admin at start when no admin exists yet (with ADMIN_PASSWORD).
    #[arg(long, env = "ADMIN_EMAIL")]
    pub admin_email: Option<String>,

    #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Log filter, e.g. `info` or `server=debug,tower_http=info`.
    #[arg(long, env = "LOG", default_value = "info")]
    pub log: String,

    #[command(flatten)]
    pub stripe: StripeSettings,
}

/// Stripe keys and where to reach Stripe. Without a secret key the portal starts the offline
/// Stripe emulator in-process and talks to it exactly as it would to Stripe.
#[derive(Clone, Args)]
pub struct StripeSettings {
    /// The platform's secret key (`sk_…` or a restricted `rk_…`). Unset: the offline emulator.
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<String>,

    /// The platform's publishable key (`pk_…`), for Stripe's browser libraries.
    #[arg(long, env = "STRIPE_PUBLISHABLE_KEY")]
    pub stripe_publishable_key: Option<String>,

    /// Webhook signing secrets (`whsec_…`), comma-separated: every one is accepted, so a secret
    /// can be rolled without losing deliveries.
    #[arg(
        long,
        env = "STRIPE_WEBHOOK_SECRETS",
        hide_env_values = true,
        value_delimiter = ','
    )]
    pub stripe_webhook_secrets: Vec<String>,

    /// Base URL of Stripe's API (default https://api.stripe.com).
    #[arg(long, env = "STRIPE_API_BASE")]
    pub stripe_api_base: Option<String>,

    /// Base URL of Stripe's OAuth host (default https://connect.stripe.com).
    #[arg(long, env = "STRIPE_CONNECT_BASE")]
    pub stripe_connect_base: Option<String>,

    /// Where the offline emulator listens when STRIPE_SECRET_KEY is unset (port 0: any free port).
    #[arg(long, env = "EMULATOR_ADDR", default_value = "127.0.0.1:12111")]
    pub emulator_addr: SocketAddr,

    /// Webhook workers in this instance; 0 only stores events (another instance processes them).
    #[arg(long, env = "WEBHOOK_WORKERS", default_value_t = 2)]
    pub webhook_workers: usize,
}

impl Default for StripeSettings {
    /// The command line's defaults: the emulator on 127.0.0.1:12111, two webhook workers.
    fn default() -> Self {
        StripeSettings {
            stripe_secret_key: None,
            stripe_publishable_key: None,
            stripe_webhook_secrets: Vec::new(),
            stripe_api_base: None,
            stripe_connect_base: None,
            emulator_addr: SocketAddr::from(([127, 0, 0, 1], 12111)),
            webhook_workers: 2,
        }
    }
}

impl StripeSettings {
    /// The configured webhook secrets, blanks dropped.
    pub fn webhook_secrets(&self) -> Vec<String> {
        self.stripe_webhook_secrets
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

impl std::fmt::Debug for StripeSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeSettings")
            .field(
                "stripe_secret_key",
                &self.stripe_secret_key.as_ref().map(|_| "…redacted"),
            )
            .field("stripe_publishable_key", &self.stripe_publishable_key)
            .field("stripe_webhook_secrets", &self.stripe_webhook_secrets.len())
            .field("stripe_api_base", &self.stripe_api_base)
            .field("stripe_connect_base", &self.stripe_connect_base)
            .field("emulator_addr", &self.emulator_addr)
            .field("webhook_workers", &self.webhook_workers)
            .finish()
    }
}

impl Config {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("portal.db").display()),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from(std::iter::once("server").chain(args.iter().copied())).unwrap()
    }

    #[test]
    fn defaults_to_a_sqlite_file_in_the_data_dir() {
        let cli = parse(&["--data-dir", "/tmp/portal-data"]);
        assert_eq!(
            cli.config.database_url(),
            "sqlite:///tmp/portal-data/portal.db"
        );
        assert!(!cli.config.secure_cookies());
        assert!(cli.command.is_none());
    }

    #[test]
    fn https_public_url_makes_cookies_secure() {
        let cli = parse(&["--public-url", "https://portal.example.com"]);
        assert!(cli.config.secure_cookies());
    }

    #[test]
    fn stripe_defaults_run_the_emulator() {
        let cli = parse(&[]);
        let stripe = &cli.config.stripe;
        assert!(stripe.stripe_secret_key.is_none());
        assert_eq!(stripe.emulator_addr.to_string(), "127.0.0.1:12111");
        assert_eq!(stripe.webhook_workers, 2);
        assert_eq!(
            format!("{:?}", StripeSettings::default()),
            format!("{stripe:?}")
        );
    }

    #[test]
    fn webhook_secrets_are_a_comma_separated_list_and_never_debug_printed() {
        let cli = parse(&[
            "--stripe-secret-key",
            "sk_test_very_secret",
            "--stripe-webhook-secrets",
            "whsec_new, whsec_old,",
        ]);
        let stripe = &cli.config.stripe;
        assert_eq!(stripe.webhook_secrets(), vec!["whsec_new", "whsec_old"]);
        let debug = format!("{:?}", cli.config);
        assert!(!debug.contains("sk_test_very_secret"), "{debug}");
        assert!(!debug.contains("whsec_"), "{debug}");
    }

    #[test]
    fn create_admin_subcommand() {
        let cli = parse(&["create-admin", "--email", "ops@example.com"]);
        assert!(
            matches!(cli.command, Some(Command::CreateAdmin { email }) if email == "ops@example.com")
        );
    }
}
