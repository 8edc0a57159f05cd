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
    fn create_admin_subcommand() {
        let cli = parse(&["create-admin", "--email", "ops@example.com"]);
        assert!(
            matches!(cli.command, Some(Command::CreateAdmin { email }) if email == "ops@example.com")
        );
    }
}
