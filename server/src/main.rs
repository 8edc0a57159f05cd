use clap::Parser;
use leptos::prelude::get_configuration;
use server::config::{Cli, Command};
use std::io::Read;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    // A missing .env is normal; values already in the environment win.
    let _ = dotenvy::dotenv();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(&cli.config.log))
        .init();

    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let conf = get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
            let mut options = conf.leptos_options;
            if let Some(addr) = config.bind_addr {
                options.site_addr = addr;
            }
            let addr = options.site_addr;
            let db = server::open_database(&config)
                .await
                .map_err(|e| e.to_string())?;
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
            let portal = server::start(&config, options, db)
                .await
                .map_err(|e| e.to_string())?;
            tracing::info!("Connect portal listening on http://{addr}");
            let served = server::serve(listener, portal.router.clone())
                .await
                .map_err(|e| e.to_string());
            portal.shutdown().await;
            served
        }
        Command::CreateAdmin { email } => {
            let password = match config.admin_password.clone() {
                Some(p) => p,
                None => {
                    let mut input = String::new();
                    std::io::stdin()
                        .read_to_string(&mut input)
                        .map_err(|e| format!("reading the password from stdin: {e}"))?;
                    input.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let db = server::open_database(&config)
                .await
                .map_err(|e| e.to_string())?;
            let id = server::admins::create(&db, &email, &password)
                .await
                .map_err(|e| e.to_string())?;
            println!("Created platform admin {email} (id {id}).");
            Ok(())
        }
    }
}
