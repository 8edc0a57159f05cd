//! The Content-Security-Policy, built in one place. HTML pages get a per-request nonce for the
//! hydration script; everything else gets a policy that allows nothing to run.

/// Extra origins a later feature needs (e.g. Stripe's Connect.js), added by configuration.
#[derive(Debug, Clone, Default)]
pub struct CspSources {
    pub script: Vec<String>,
    pub frame: Vec<String>,
    pub connect: Vec<String>,
    pub img: Vec<String>,
    pub style: Vec<String>,
    /// Where forms may lead: a server function that answers a plain form post with a redirect to
    /// Stripe's hosted pages (onboarding, Express dashboard, OAuth) needs Stripe's origin here.
    pub form_action: Vec<String>,
}

fn join(base: &str, extra: &[String]) -> String {
    let mut out = base.to_string();
    for source in extra {
        out.push(' ');
        out.push_str(source);
    }
    out
}

/// The policy for a server-rendered page whose inline scripts carry `nonce`.
pub fn page_policy(nonce: &str, extra: &CspSources) -> String {
    [
        "default-src 'self'".to_string(),
        // 'self' covers the hydration bundle and Stripe's Connect.js loader, which ships in the
        // bundle's snippets; 'wasm-unsafe-eval' lets the bundle compile its WebAssembly.
        join(
            &format!("script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
            &extra.script,
        ),
        join("style-src 'self'", &extra.style),
        join("img-src 'self' data:", &extra.img),
        join("connect-src 'self'", &extra.connect),
        join("frame-src 'self'", &extra.frame),
        "font-src 'self'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        join("form-action 'self'", &extra.form_action),
        "frame-ancestors 'none'".to_string(),
    ]
    .join("; ")
}

/// The policy for every response that is not a page (API answers, files, errors).
pub const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_policy_carries_the_nonce_and_denies_framing() {
        let policy = page_policy("abc123", &CspSources::default());
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn extra_sources_are_appended_to_their_directive() {
        let extra = CspSources {
            script: vec!["https://connect-js.stripe.com".into()],
            frame: vec!["https://connect-js.stripe.com".into()],
            ..Default::default()
        };
        let policy = page_policy("n", &extra);
        assert!(policy.contains(
            "script-src 'self' 'nonce-n' 'wasm-unsafe-eval' https://connect-js.stripe.com;"
        ));
        assert!(policy.contains("frame-src 'self' https://connect-js.stripe.com;"));
    }
}
