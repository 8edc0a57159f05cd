//! Configuration from the environment (and an optional `.env`), or the command line.

use clap::{Args, Parser, Subcommand};
use domain::platform::{
    AccountApi, CollectFields, Dashboard, FeesPayer, OnboardingMode, Party, PlatformConfig,
    V2Configurations,
};
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

    #[command(flatten)]
    pub platform: PlatformArgs,

    #[command(flatten)]
    pub limits: LimitSettings,

    #[command(flatten)]
    pub mail: MailSettings,
}

/// Where mail goes. Without `SMTP_URL`, mail is kept in the database and shown in the
/// development mailbox (`/dev/mailbox`, from the loopback address only).
#[derive(Clone, Args)]
pub struct MailSettings {
    /// `smtps://user:pass@host:465` (TLS from the start), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS), or `smtp://host:25` (no TLS: a relay on the same machine only). lettre's URL
    /// format; percent-encode special characters in the user and password.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of every mail, e.g. `Payouts <payouts@platform.example>`.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Connect portal <no-reply@localhost>"
    )]
    pub mail_from: String,

    /// Tries per mail before it is marked failed (pauses grow from 10 s to an hour: about 8
    /// hours of retries with the default).
    #[arg(long, env = "MAIL_MAX_ATTEMPTS", default_value_t = 15)]
    pub mail_max_attempts: i64,

    /// Keep mail for the development mailbox although PUBLIC_URL is not a loopback address (a
    /// test install whose mail nobody must receive).
    #[arg(long, env = "ALLOW_DEV_MAILBOX", default_value_t = false)]
    pub allow_dev_mailbox: bool,

    /// Every this many seconds one instance mails the admins' digest (deadlines in the next 7
    /// days, accounts restricted, events and mails that failed since the last digest); 0 turns
    /// the schedule off (admins can still send it from the console's mail page).
    #[arg(long, env = "ADMIN_DIGEST_EVERY_SECS", default_value_t = 86_400)]
    pub admin_digest_every_secs: u64,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            mail_from: "Connect portal <no-reply@localhost>".to_string(),
            mail_max_attempts: 15,
            allow_dev_mailbox: false,
            admin_digest_every_secs: 86_400,
        }
    }
}

// The SMTP URL carries a password: never printed.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "<set>"))
            .field("mail_from", &self.mail_from)
            .field("mail_max_attempts", &self.mail_max_attempts)
            .field("allow_dev_mailbox", &self.allow_dev_mailbox)
            .field("admin_digest_every_secs", &self.admin_digest_every_secs)
            .finish()
    }
}

/// Limits on work an anonymous or signed-in caller can make the server do.
#[derive(Debug, Clone, Args)]
pub struct LimitSettings {
    /// Wrong passwords allowed per email address in 15 minutes (sign-in and every re-check of the
    /// current password count alike).
    #[arg(long, env = "SIGN_IN_FAILURES_PER_EMAIL", default_value_t = 5)]
    pub sign_in_failures_per_email: i64,

    /// Wrong passwords allowed per client address (IPv6: per /64) in 15 minutes, across emails.
    #[arg(long, env = "SIGN_IN_FAILURES_PER_CLIENT", default_value_t = 20)]
    pub sign_in_failures_per_client: i64,

    /// Sign-ups allowed per client address (IPv6: per /64) in an hour.
    #[arg(long, env = "SIGN_UPS_PER_CLIENT_PER_HOUR", default_value_t = 20)]
    pub sign_ups_per_client_per_hour: i64,

    /// Sign-ups allowed in all in an hour.
    #[arg(long, env = "SIGN_UPS_PER_HOUR", default_value_t = 500)]
    pub sign_ups_per_hour: i64,

    /// Seconds a request may take before it is answered 408 (Stripe calls included).
    #[arg(long, env = "REQUEST_TIMEOUT_SECS", default_value_t = 30)]
    pub request_timeout_secs: u64,

    /// Requests handled at once by this instance; more wait their turn.
    #[arg(long, env = "MAX_CONCURRENT_REQUESTS", default_value_t = 512)]
    pub max_concurrent_requests: usize,

    /// Database connections in this instance's pool (default: 8 for SQLite, 16 for PostgreSQL).
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,
}

impl Default for LimitSettings {
    /// The command line's defaults.
    fn default() -> Self {
        LimitSettings {
            sign_in_failures_per_email: 5,
            sign_in_failures_per_client: 20,
            sign_ups_per_client_per_hour: 20,
            sign_ups_per_hour: 500,
            request_timeout_secs: 30,
            max_concurrent_requests: 512,
            database_max_connections: None,
        }
    }
}

impl LimitSettings {
    pub fn to_limits(&self) -> app::throttle::Limits {
        app::throttle::Limits::new(
            self.sign_in_failures_per_email,
            self.sign_in_failures_per_client,
            self.sign_ups_per_client_per_hour,
            self.sign_ups_per_hour,
        )
    }
}

/// The platform configuration's start-up defaults (an admin's saved settings win over these).
/// Unset flags keep the documented defaults of `domain::platform::PlatformConfig`.
#[derive(Debug, Clone, Default, Args)]
pub struct PlatformArgs {
    /// `v1` (controller properties) or `v2` (configurations).
    #[arg(long, env = "PLATFORM_ACCOUNT_API")]
    pub platform_account_api: Option<String>,
    /// v2 configurations, comma-separated: merchant, customer, recipient.
    #[arg(long, env = "PLATFORM_V2_CONFIGURATIONS", value_delimiter = ',')]
    pub platform_v2_configurations: Option<Vec<String>>,
    /// `full`, `express` or `none`.
    #[arg(long, env = "PLATFORM_DASHBOARD")]
    pub platform_dashboard: Option<String>,
    /// Who pays Stripe's fees: `application` or `account`.
    #[arg(long, env = "PLATFORM_FEES_PAYER")]
    pub platform_fees_payer: Option<String>,
    /// Who is liable for negative balances: `application` or `stripe`.
    #[arg(long, env = "PLATFORM_LOSSES")]
    pub platform_losses: Option<String>,
    /// Who collects requirements: `application` or `stripe`.
    #[arg(long, env = "PLATFORM_REQUIREMENT_COLLECTION")]
    pub platform_requirement_collection: Option<String>,
    /// Capabilities requested for new accounts, comma-separated.
    #[arg(long, env = "PLATFORM_CAPABILITIES", value_delimiter = ',')]
    pub platform_capabilities: Option<Vec<String>>,
    /// Country of new accounts (two letters).
    #[arg(long, env = "PLATFORM_COUNTRY")]
    pub platform_country: Option<String>,
    /// `hosted`, `embedded` or `express_oauth`.
    #[arg(long, env = "PLATFORM_ONBOARDING")]
    pub platform_onboarding: Option<String>,
    /// `currently_due` (incremental) or `eventually_due` (up front).
    #[arg(long, env = "PLATFORM_COLLECT")]
    pub platform_collect: Option<String>,
    /// Include future requirements in onboarding.
    #[arg(long, env = "PLATFORM_FUTURE_REQUIREMENTS")]
    pub platform_future_requirements: Option<bool>,
    /// The platform's Connect client id (`ca_…`), for OAuth.
    #[arg(long, env = "STRIPE_CONNECT_CLIENT_ID")]
    pub stripe_connect_client_id: Option<String>,
}

impl PlatformArgs {
    /// The defaults with these flags applied, checked with Stripe's rules.
    pub fn to_config(&self) -> Result<PlatformConfig, String> {
        fn pick<T>(
            value: &Option<String>,
            flag: &str,
            parse: fn(&str) -> Option<T>,
            into: &mut T,
        ) -> Result<(), String> {
            if let Some(v) = value {
                *into = parse(v.trim()).ok_or_else(|| format!("{flag}: unknown value {v:?}"))?;
            }
            Ok(())
        }
        let mut c = PlatformConfig::default();
        pick(
            &self.platform_account_api,
            "PLATFORM_ACCOUNT_API",
            AccountApi::parse,
            &mut c.account_api,
        )?;
        pick(
            &self.platform_dashboard,
            "PLATFORM_DASHBOARD",
            Dashboard::parse,
            &mut c.dashboard,
        )?;
        pick(
            &self.platform_fees_payer,
            "PLATFORM_FEES_PAYER",
            FeesPayer::parse,
            &mut c.fees_payer,
        )?;
        pick(
            &self.platform_losses,
            "PLATFORM_LOSSES",
            Party::parse,
            &mut c.losses,
        )?;
        pick(
            &self.platform_requirement_collection,
            "PLATFORM_REQUIREMENT_COLLECTION",
            Party::parse,
            &mut c.requirement_collection,
        )?;
        pick(
            &self.platform_onboarding,
            "PLATFORM_ONBOARDING",
            OnboardingMode::parse,
            &mut c.onboarding,
        )?;
        pick(
            &self.platform_collect,
            "PLATFORM_COLLECT",
            CollectFields::parse,
            &mut c.collect,
        )?;
        if let Some(names) = &self.platform_v2_configurations {
            let mut v2 = V2Configurations {
                merchant: false,
                customer: false,
                recipient: false,
            };
            for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
                match name {
                    "merchant" => v2.merchant = true,
                    "customer" => v2.customer = true,
                    "recipient" => v2.recipient = true,
                    other => {
                        return Err(format!(
                            "PLATFORM_V2_CONFIGURATIONS: unknown configuration {other:?}"
                        ))
                    }
                }
            }
            c.v2_configurations = v2;
        }
        if let Some(caps) = &self.platform_capabilities {
            c.capabilities = caps
                .iter()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
        }
        if let Some(country) = &self.platform_country {
            c.country = country.trim().to_ascii_uppercase();
        }
        if let Some(future) = self.platform_future_requirements {
            c.future_requirements = future;
        }
        if let Some(id) = &self.stripe_connect_client_id {
            c.oauth_client_id = id.trim().to_string();
        }
        c.validate().map_err(|problems| {
            problems
                .into_iter()
                .map(|p| format!("{}: {}", p.field, p.message))
                .collect::<Vec<_>>()
                .join(" ")
        })?;
        Ok(c)
    }
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

    /// Run the offline emulator although PUBLIC_URL is not a loopback `http` address (a shared
    /// demo or staging host). Without it such a start is refused: pages would load Connect.js
    /// from the emulator and offer test-data tools to whoever reaches the portal.
    #[arg(long, env = "ALLOW_EMULATOR", default_value_t = false)]
    pub allow_emulator: bool,

    /// Where the offline emulator listens when STRIPE_SECRET_KEY is unset (port 0: any free port).
    #[arg(long, env = "EMULATOR_ADDR", default_value = "127.0.0.1:12111")]
    pub emulator_addr: SocketAddr,

    /// Webhook workers in this instance; 0 only stores events (another instance processes them).
    #[arg(long, env = "WEBHOOK_WORKERS", default_value_t = 2)]
    pub webhook_workers: usize,

    /// Seconds a worker holds the events it claimed: after a crash, another instance (or this
    /// one restarted) takes them up when this runs out.
    #[arg(long, env = "WEBHOOK_LEASE_SECS", default_value_t = crate::webhooks::worker::DEFAULT_LEASE_SECS)]
    pub webhook_lease_secs: i64,

    /// Attempts at processing an event before it is marked failed (then an admin retries it from
    /// the console). Waits between attempts double from 1 s up to about 34 minutes.
    #[arg(long, env = "WEBHOOK_MAX_ATTEMPTS", default_value_t = crate::webhooks::worker::DEFAULT_MAX_ATTEMPTS)]
    pub webhook_max_attempts: i64,

    /// Days processed and ignored webhook events are kept (one instance deletes older ones every
    /// hour); failed and pending events are kept whatever their age. 0 keeps every event.
    #[arg(long, env = "WEBHOOK_RETENTION_DAYS", default_value_t = 30)]
    pub webhook_retention_days: u32,

    /// Every this many seconds one instance reads every account from Stripe into the cache
    /// (catching what webhooks missed); 0 turns it off.
    #[arg(long, env = "RECONCILE_EVERY_SECS", default_value_t = 3_600)]
    pub reconcile_every_secs: u64,

    /// Every this many seconds one instance looks for deadlines 7 days or 1 day away and mails
    /// their owners a reminder (once per deadline); 0 turns reminders off.
    #[arg(long, env = "OWNER_REMINDERS_EVERY_SECS", default_value_t = 900)]
    pub owner_reminders_every_secs: u64,

    /// Retries of a Stripe request that failed in a way Stripe says is safe to retry (network
    /// errors, 409, 429, 5xx), with backoff and the same idempotency key. Stripe's libraries use 2.
    #[arg(long, env = "STRIPE_MAX_RETRIES", default_value_t = stripe_client::DEFAULT_MAX_RETRIES)]
    pub stripe_max_retries: u32,
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
            allow_emulator: false,
            emulator_addr: SocketAddr::from(([127, 0, 0, 1], 12111)),
            webhook_workers: 2,
            webhook_lease_secs: crate::webhooks::worker::DEFAULT_LEASE_SECS,
            webhook_max_attempts: crate::webhooks::worker::DEFAULT_MAX_ATTEMPTS,
            webhook_retention_days: 30,
            reconcile_every_secs: 3_600,
            owner_reminders_every_secs: 900,
            stripe_max_retries: stripe_client::DEFAULT_MAX_RETRIES,
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
            .field("allow_emulator", &self.allow_emulator)
            .field("emulator_addr", &self.emulator_addr)
            .field("webhook_workers", &self.webhook_workers)
            .field("webhook_lease_secs", &self.webhook_lease_secs)
            .field("webhook_max_attempts", &self.webhook_max_attempts)
            .field("webhook_retention_days", &self.webhook_retention_days)
            .field("reconcile_every_secs", &self.reconcile_every_secs)
            .field(
                "owner_reminders_every_secs",
                &self.owner_reminders_every_secs,
            )
            .field("stripe_max_retries", &self.stripe_max_retries)
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
    fn platform_defaults_and_flags() {
        let cli = parse(&[]);
        assert_eq!(
            cli.config.platform.to_config().unwrap(),
            PlatformConfig::default()
        );
        let cli = parse(&[
            "--platform-dashboard",
            "none",
            "--platform-requirement-collection",
            "application",
            "--platform-capabilities",
            "card_payments, transfers",
            "--platform-country",
            "de",
        ]);
        let config = cli.config.platform.to_config().unwrap();
        assert_eq!(config.dashboard, Dashboard::None);
        assert!(config.uses_update_links());
        assert_eq!(config.country, "DE");
        // Stripe forbids the platform collecting requirements with a Stripe dashboard.
        let cli = parse(&["--platform-requirement-collection", "application"]);
        let err = cli.config.platform.to_config().unwrap_err();
        assert!(err.contains("requirement_collection"), "{err}");
        let cli = parse(&["--platform-dashboard", "fancy"]);
        assert!(cli.config.platform.to_config().is_err());
    }

    #[test]
    fn limit_defaults_match_the_command_line() {
        let cli = parse(&[]);
        assert_eq!(
            format!("{:?}", cli.config.limits),
            format!("{:?}", LimitSettings::default())
        );
        assert_eq!(
            cli.config.limits.to_limits(),
            LimitSettings::default().to_limits()
        );
        assert_eq!(
            LimitSettings::default().to_limits(),
            app::throttle::Limits::default()
        );
    }

    #[test]
    fn allow_emulator_is_off_unless_asked_for() {
        assert!(!parse(&[]).config.stripe.allow_emulator);
        assert!(parse(&["--allow-emulator"]).config.stripe.allow_emulator);
    }

    #[test]
    fn create_admin_subcommand() {
        let cli = parse(&["create-admin", "--email", "ops@example.com"]);
        assert!(
            matches!(cli.command, Some(Command::CreateAdmin { email }) if email == "ops@example.com")
        );
    }
}
