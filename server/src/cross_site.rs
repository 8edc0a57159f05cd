//! Refuses state-changing requests sent by another site's page (cross-site request forgery).
//!
//! Session cookies are `SameSite=Lax`, so browsers do not send them on cross-site POSTs; but
//! another origin on the same site (another port, a sibling subdomain) still gets them. Browsers
//! say where a request comes from (`Sec-Fetch-Site`, `Origin`): any POST that names another
//! origin is refused before it reaches a server function. Requests that name none (API
//! clients, older browsers on same-origin forms) pass, and the session check still applies.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn refuse_cross_origin_posts(
    public_origin: Option<String>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        if let Some(reason) = cross_origin(&request, public_origin.as_deref()) {
            tracing::warn!(path = %request.uri().path(), reason, "cross-origin request refused");
            return (StatusCode::FORBIDDEN, "cross-origin request refused").into_response();
        }
    }
    next.run(request).await
}

fn cross_origin(request: &Request<Body>, public_origin: Option<&str>) -> Option<&'static str> {
    let headers = request.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // `none`: typed by the person (a bookmark); `same-origin`: this portal's own pages.
        if !matches!(site, "same-origin" | "none") {
            return Some("sec-fetch-site");
        }
    }
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    if origin == "null" {
        return Some("opaque origin");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let same_host = host.is_some_and(|host| {
        origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host))
    });
    let public = public_origin.is_some_and(|p| p.eq_ignore_ascii_case(origin));
    (!same_host && !public).then_some("origin")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(headers: &[(&str, &str)]) -> Request<Body> {
        let mut builder = Request::post("/api/sign_out").header("host", "portal.example.com");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        builder.body(Body::empty()).unwrap()
    }

    #[test]
    fn which_posts_are_cross_origin() {
        let public = Some("https://portal.example.com");
        assert_eq!(cross_origin(&post(&[]), public), None, "no browser signal");
        assert_eq!(
            cross_origin(&post(&[("origin", "https://portal.example.com")]), public),
            None
        );
        assert_eq!(
            cross_origin(&post(&[("sec-fetch-site", "same-origin")]), public),
            None
        );
        assert_eq!(
            cross_origin(&post(&[("origin", "https://evil.example")]), public),
            Some("origin")
        );
        assert_eq!(
            cross_origin(
                &post(&[("origin", "https://portal.example.com.evil.example")]),
                public
            ),
            Some("origin")
        );
        assert_eq!(
            cross_origin(&post(&[("sec-fetch-site", "same-site")]), public),
            Some("sec-fetch-site"),
            "another port or subdomain of the same site"
        );
        assert_eq!(
            cross_origin(&post(&[("sec-fetch-site", "cross-site")]), public),
            Some("sec-fetch-site")
        );
        assert_eq!(
            cross_origin(&post(&[("origin", "null")]), public),
            Some("opaque origin")
        );
        // Behind a proxy that rewrites Host, the public URL's origin is still this portal.
        let mut behind_proxy = post(&[("origin", "https://portal.example.com")]);
        behind_proxy
            .headers_mut()
            .insert("host", "10.0.0.5:3000".parse().unwrap());
        assert_eq!(cross_origin(&behind_proxy, public), None);
    }
}
