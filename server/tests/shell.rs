//! The HTTP shell: health, security headers, 404s and the plain-form (no JavaScript) path.

mod common;

use app::auth::SignUp;
use common::*;
use leptos::server_fn::ServerFn;

#[tokio::test]
async fn health_and_security_headers() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start(&db).await;
    let http = client();

    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.headers()["content-security-policy"],
        app::csp::NON_PAGE_POLICY
    );
    assert_eq!(health.text().await.unwrap(), "ok");

    let page = http.get(server.url("/sign-in")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let headers = page.headers().clone();
    let csp = headers["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .expect("a nonce")
        .to_string();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the page's nonce"
    );
    assert!(html.contains("<title>Sign in · Connect portal</title>"));

    let again = http.get(server.url("/sign-in")).send().await.unwrap();
    assert!(
        !again.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a new nonce per page"
    );

    let missing = http.get(server.url("/no-such-page")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Page not found"));

    let compressed = http
        .get(server.url("/sign-in"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "gzip");

    server.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn a_plain_form_post_signs_up_and_redirects() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start(&db).await;
    let browser = client();
    let form = [
        ("email", "plain@example.com"),
        ("password", "a long enough password"),
        ("password_confirm", "a long enough password"),
    ];
    let response = browser
        .post(server.url(SignUp::PATH))
        .header("accept", "text/html")
        .header("referer", server.url("/sign-up"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    assert_eq!(response.headers()["location"], "/sign-up/check-email");

    // An error goes back to the form, carried in the URL for the page to show.
    let mismatched = [
        ("email", "plain2@example.com"),
        ("password", "a long enough password"),
        ("password_confirm", "another long password"),
    ];
    let response = client()
        .post(server.url(SignUp::PATH))
        .header("accept", "text/html")
        .header("referer", server.url("/sign-up"))
        .form(&mismatched)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 302);
    let location = response.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.contains("/sign-up?") && location.contains("__err="),
        "{location}"
    );
    let page = client()
        .get(location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("The two passwords do not match."));

    server.stop().await;
    db.drop_now().await;
}
