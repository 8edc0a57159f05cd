//! What the benches share: signing an owner up as a person does (the form, the link in the
//! development mailbox, which the portal keeps without SMTP_URL, then sign-in).

/// Signs `email` up, follows the mailed confirmation link and signs in; returns the session cookie
/// (`portal_session=…`).
pub async fn sign_up_confirmed(
    client: &reqwest::Client,
    base: &str,
    email: &str,
    password: &str,
) -> String {
    use leptos::server_fn::ServerFn;
    let response = client
        .post(format!("{base}{}", app::auth::SignUp::PATH))
        .header("accept", "application/json")
        .form(&[
            ("email", email),
            ("password", password),
            ("password_confirm", password),
        ])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "sign-up: {}",
        response.status()
    );
    let token = mailed_token(client, base, email).await;
    let response = client
        .post(format!("{base}{}", app::account_email::ConfirmEmail::PATH))
        .header("accept", "application/json")
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "confirm: {}",
        response.status()
    );
    // The link confirms; the password signs in.
    sign(
        client,
        base,
        app::auth::SignIn::PATH,
        &[("email", email), ("password", password)],
    )
    .await
}

/// Calls a sign-in or sign-up server function and returns the session cookie it set.
pub async fn sign(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    form: &[(&str, &str)],
) -> String {
    let response = client
        .post(format!("{base}{path}"))
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("portal_session="))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_string()
}

/// A page's text.
async fn text(client: &reqwest::Client, url: String) -> String {
    client.get(url).send().await.unwrap().text().await.unwrap()
}

/// The link token of the newest mail to `email` in the development mailbox.
async fn mailed_token(client: &reqwest::Client, base: &str, email: &str) -> String {
    let index = text(client, format!("{base}/dev/mailbox")).await;
    let row = index
        .split("<tr>")
        .find(|row| row.contains(&format!("<td>{email}</td>")))
        .expect("a mail to the new owner");
    let start = row.find("href=\"").unwrap() + "href=\"".len();
    let path = &row[start..start + row[start..].find('"').unwrap()];
    let mail = text(client, format!("{base}{path}")).await;
    let at = mail.find("?token=").expect("a link") + "?token=".len();
    mail[at..at + 64].to_string()
}
