//! `cargo run -p sandbox -- --addr 127.0.0.1:12111 --data-dir ./data --reset --seed 42 --webhook URL=whsec_...`

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;
use sandbox::{SandboxConfig, WebhookEndpointConfig};

#[derive(Parser, Debug)]
#[command(
    name = "sandbox",
    about = "Offline Stripe emulator for the Connect portal"
)]
struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "SANDBOX_ADDR", default_value = "127.0.0.1:12111")]
    addr: SocketAddr,
    /// Directory holding sandbox-state.json; without it state lives in memory only.
    #[arg(long, env = "SANDBOX_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Start from a clean state, ignoring any saved one.
    #[arg(long, env = "SANDBOX_RESET")]
    reset: bool,
    /// Seed for deterministic ids.
    #[arg(long, env = "SANDBOX_SEED")]
    seed: Option<u64>,
    /// Secret key clients must present.
    #[arg(
        long,
        env = "SANDBOX_SECRET_KEY",
        default_value = "sk_test_offline_emulator"
    )]
    secret_key: String,
    /// Publishable key used by the Connect.js stand-in.
    #[arg(
        long,
        env = "SANDBOX_PUBLISHABLE_KEY",
        default_value = "pk_test_offline_emulator"
    )]
    publishable_key: String,
    /// Base URL used in hosted-page links (default http://<bound addr>).
    #[arg(long, env = "SANDBOX_PUBLIC_URL")]
    public_url: Option<String>,
    /// Account link lifetime in seconds.
    #[arg(long, env = "SANDBOX_LINK_TTL_SECS", default_value_t = 300)]
    link_ttl_secs: i64,
    /// Webhook endpoint `URL=whsec_…` (Connect endpoint). Prefix with `platform:` for platform events or
    /// `thin:` for a v2 event destination. Repeatable; comma-separated in the env var.
    #[arg(long = "webhook", env = "SANDBOX_WEBHOOKS", value_delimiter = ',')]
    webhooks: Vec<String>,
    /// Seconds ID numbers and identity documents stay pending verification (0: verified at once).
    #[arg(long, env = "SANDBOX_VERIFICATION_SECS", default_value_t = 10)]
    verification_secs: i64,
    /// Print the bound address as `listening on http://…` once ready (for scripts using port 0).
    #[arg(long)]
    print_addr: bool,
}

fn parse_webhook(spec: &str) -> Result<WebhookEndpointConfig, String> {
    let (kind, rest) = match spec.split_once(':') {
        Some((k @ ("thin" | "platform" | "connect"), rest)) => (k, rest),
        _ => ("connect", spec),
    };
    let (url, secret) = rest
        .rsplit_once('=')
        .ok_or_else(|| format!("webhook `{spec}` must be URL=whsec_…"))?;
    if !secret.starts_with("whsec_") {
        return Err(format!("webhook secret for {url} must start with whsec_"));
    }
    Ok(WebhookEndpointConfig {
        url: url.to_string(),
        secret: secret.to_string(),
        connect: kind != "platform",
        thin: kind == "thin",
    })
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "sandbox=info".into()),
        )
        .init();
    let args = Args::parse();
    let webhook_endpoints = match args
        .webhooks
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| parse_webhook(w))
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let config = SandboxConfig {
        secret_key: args.secret_key,
        publishable_key: args.publishable_key,
        data_dir: args.data_dir,
        reset: args.reset,
        seed: args.seed,
        public_url: args.public_url,
        link_ttl_secs: args.link_ttl_secs,
        webhook_endpoints,
        verification_secs: args.verification_secs,
        ..SandboxConfig::default()
    };
    let handle = match sandbox::start(config, args.addr).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    if args.print_addr {
        println!("listening on {}", handle.base_url);
    }
    let _ = tokio::signal::ctrl_c().await;
    handle.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_webhook_specs() {
        let w = parse_webhook("http://127.0.0.1:3000/webhooks=whsec_abc").unwrap();
        assert_eq!(
            w,
            WebhookEndpointConfig {
                url: "http://127.0.0.1:3000/webhooks".into(),
                secret: "whsec_abc".into(),
                connect: true,
                thin: false
            }
        );
        assert!(parse_webhook("thin:http://x/y=whsec_1").unwrap().thin);
        assert!(
            !parse_webhook("platform:http://x/y=whsec_1")
                .unwrap()
                .connect
        );
        assert!(parse_webhook("http://x/y=nope").is_err());
    }
}
