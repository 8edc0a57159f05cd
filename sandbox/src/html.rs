//! Plain server-rendered HTML pages: escaping and one shared layout.

use axum::response::Html;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f6f8fa;color:#1a1f36}\
main{max-width:720px;margin:2rem auto;background:#fff;border:1px solid #e3e8ee;border-radius:8px;padding:1.5rem 2rem}\
header.banner{background:#635bff;color:#fff;padding:.5rem 1rem;font-size:.85rem}\
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}label{display:block;margin:.75rem 0 .25rem;font-weight:600}\
input,select{width:100%;padding:.45rem;border:1px solid #c1c9d2;border-radius:4px;box-sizing:border-box}\
button{margin:1rem .5rem 0 0;padding:.55rem 1rem;border-radius:4px;border:1px solid #635bff;background:#635bff;color:#fff;cursor:pointer}\
button.secondary{background:#fff;color:#635bff}.hint{color:#697386;font-size:.85rem}.error{color:#df1b41}.notice{color:#0a7d32}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.35rem;border-bottom:1px solid #e3e8ee}\
code{background:#f6f8fa;padding:0 .2rem}fieldset{border:1px solid #e3e8ee;border-radius:6px;margin-top:1rem}";

/// The emulator's page icon, served at [`FAVICON_PATH`]. Every page names it: a page without an
/// icon link makes the browser ask for `/favicon.ico`, which the emulator does not have (a 404 in
/// the browser's console on every hosted page).
pub const FAVICON_PATH: &str = "/favicon.svg";
const FAVICON_SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
<rect width=\"32\" height=\"32\" rx=\"6\" fill=\"#635bff\"/>\
<path d=\"M9 22V10h9a4 4 0 0 1 0 8h-5v4z\" fill=\"#fff\"/></svg>";

/// Serves the emulator's page icon.
pub async fn favicon() -> impl axum::response::IntoResponse {
    (
        [
            (axum::http::header::CONTENT_TYPE, "image/svg+xml"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        FAVICON_SVG,
    )
}

/// Wraps `body` (already-escaped HTML) in the emulator's page layout.
pub fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{t}</title><link rel=\"icon\" href=\"{FAVICON_PATH}\" type=\"image/svg+xml\"><style>{STYLE}</style></head><body><header class=\"banner\" role=\"banner\">Offline Stripe emulator — test data only</header>\
<main>{body}</main></body></html>",
        t = esc(title)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
