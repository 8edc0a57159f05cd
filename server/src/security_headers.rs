//! Headers every response carries. Pages set their own nonce-bearing CSP while rendering
//! (`app::shell`); any response without one gets the policy that allows nothing.

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// HSTS for a portal served over https (`PUBLIC_URL`): a year, this host only (the platform's
/// other subdomains are not ours to pin).
const HSTS: &str = "max-age=31536000";

/// Adds the headers; `https` says whether people reach the portal over https.
pub async fn add(https: bool, request: Request<Body>, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(app::csp::NON_PAGE_POLICY),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        // Stripe's embedded components need `unsafe-none` (the browsers' default):
        // ../shared/stripe-docs/embedded-uis-getting-started.txt, "Cross-Origin-Opener-Policy".
        HeaderValue::from_static("unsafe-none"),
    );
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    response
}
