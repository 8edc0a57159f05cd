//! Typed async Stripe client for the Connect portal.
//!
//! - [`StripeClient`] talks to Stripe's v1 API (form bodies in bracket notation, `Stripe-Account`)
//!   and v2 API (JSON bodies, `Stripe-Context`) over one reqwest client, with the API versions
//!   pinned in [`API_VERSION_V1`] / [`API_VERSION_V2`], an idempotency key on every POST (kept
//!   across retries), retries with backoff and jitter, and typed [`StripeError`]s.
//! - [`models`] holds the Stripe objects the portal reads; unknown fields are ignored and
//!   unknown enum values kept.
//! - [`webhook`] verifies `Stripe-Signature` headers.
//!
//! Secrets ([`SecretString`]) never appear in `Debug` output or logs.

pub mod api;
mod client;
pub mod config;
pub mod error;
pub mod models;
pub mod params;
mod secret;
pub mod webhook;

pub use api::oauth::OAuthAuthorize;
pub use client::{parse_http_date, Dated, RequestOptions, StripeClient};
pub use config::{StripeConfig, API_VERSION_V1, API_VERSION_V2, DEFAULT_MAX_RETRIES};
pub use error::{ApiError, ErrorKind, OAuthError, StripeError};
pub use models::list::List;
pub use params::{ParamValue, Params};
pub use secret::SecretString;
