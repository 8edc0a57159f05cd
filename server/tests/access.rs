//! The access matrix: every registered server function and every page area, called as
//! {anonymous, an owner acting on another owner's account, the account's owner, an admin}, gets
//! exactly the answer that role may have. The table must name every server function the app
//! registers: adding one without deciding who may call it fails this test.

mod common;

use common::*;
use leptos::server_fn::ServerFn;
use std::collections::BTreeSet;

/// What a role may get from a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum May {
    /// Past authentication and authorisation (the call may still fail validation: 409/422).
    Allowed,
    /// 401: sign in first.
    Unauthenticated,
    /// 403.
    Forbidden,
}

use May::*;

/// One server function: its arguments (the account id placeholder `{A}` is replaced by the first
/// owner's Stripe account) and what each role may get, in the order anonymous, other owner
/// (naming `{A}` where the function takes an id), the account's owner, admin.
struct Entry {
    path: &'static str,
    args: &'static [(&'static str, &'static str)],
    may: [May; 4],
}

/// A well-formed link token that no link has.
const ZERO_TOKEN: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every server function. Arguments are chosen so that nothing destructive succeeds (wrong
/// passwords, unknown handles): the answer still shows whether the caller got past the gate.
fn table() -> Vec<Entry> {
    use app::account_email::{
        CheckEmailLink, ConfirmEmail, ConfirmEmailChange, RequestPasswordReset, ResendConfirmation,
        ResetPassword,
    };
    use app::admin_digest::{DigestOverview, SaveDigestChoice, SendDigestNow};
    use app::admin_invites::{
        AcceptAdminInvite, CheckAdminInvite, CreateAdminInvite, ListAdminInvites, RevokeAdminInvite,
    };
    use app::admins::{ListAdmins, RemoveAdmin};
    use app::auth::{GetCurrentUser, SignIn, SignOut, SignUp};
    use app::balances::GetExposure;
    use app::console::{
        AdminAccountLink, AdminCapability, AdminLoginLink, AdminReject, AdminResync,
        AdminUpdatePayoutSchedule, GetAccountDetail, GetAccountPayouts, GetConsoleOverview,
        ListAccounts, ListAudit, ListEvents, RetryEvent,
    };
    use app::disputes::{GetDisputeSummary, ListAccountDisputes, ListOpenDisputes};
    use app::embedded::{CreateAccountSession, GetEmbedSettings};
    use app::failed_payouts::ListFailedPayouts;
    use app::fee_revenue::{GetFeeRevenue, GetPlatformFeeRevenue};
    use app::mail_choices::{GetMailChoices, SaveMailChoices};
    use app::onboarding::{
        ContinueOnboarding, DisconnectStripe, FinishOauth, GetMyAccount, OpenExpressDashboard,
        RefreshOnboardingLink, StartOauth, StartOnboarding, SyncMyAccount, UpdateInformation,
    };
    use app::outbox::ListMail;
    use app::pages::admin::GetPeopleCounts;
    use app::payouts::{GetPayoutOverview, PayOutNow, UpdatePayoutSchedule};
    use app::profile::{ChangeEmail, ChangePassword, DeleteMyLogin, EndSession, ListMySessions};
    use app::refunds::ListAccountRefunds;
    use app::settings::{GetPlatformSettings, SavePlatformSettings};
    use app::test_data::{
        CreateTestPayments, CreateTestPayout, RefundTestPayment, TestDataAvailable,
    };
    vec![
        // Public: who is signed in (nobody: `null`), and the ways in.
        Entry {
            path: GetCurrentUser::PATH,
            args: &[],
            may: [Allowed; 4],
        },
        Entry {
            path: SignIn::PATH,
            args: &[
                ("email", "nobody@example.com"),
                ("password", "wrong password here"),
            ],
            may: [Allowed; 4],
        },
        Entry {
            path: SignUp::PATH,
            args: &[
                ("email", "not-an-email"),
                ("password", "x"),
                ("password_confirm", "y"),
            ],
            may: [Allowed; 4],
        },
        // Mailed links: the link is the caller's authority (an unknown one is refused, 409).
        Entry {
            path: ConfirmEmail::PATH,
            args: &[("token", ZERO_TOKEN)],
            may: [Allowed; 4],
        },
        Entry {
            path: ConfirmEmailChange::PATH,
            args: &[("token", ZERO_TOKEN)],
            may: [Allowed; 4],
        },
        Entry {
            path: CheckEmailLink::PATH,
            args: &[("token", ZERO_TOKEN), ("purpose", "reset_password")],
            may: [Allowed; 4],
        },
        Entry {
            path: ResetPassword::PATH,
            args: &[
                ("token", ZERO_TOKEN),
                ("new_password", "another long password"),
                ("new_password_confirm", "another long password"),
            ],
            may: [Allowed; 4],
        },
        Entry {
            path: RequestPasswordReset::PATH,
            args: &[("email", "nobody@example.com")],
            may: [Allowed; 4],
        },
        // Signed in, acting on one's own login only.
        Entry {
            path: ResendConfirmation::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        Entry {
            path: ListMySessions::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        Entry {
            path: ChangeEmail::PATH,
            args: &[
                ("new_email", "new@example.com"),
                ("password", "wrong password here"),
            ],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        Entry {
            path: ChangePassword::PATH,
            args: &[
                ("current_password", "wrong password here"),
                ("new_password", "another long password"),
                ("new_password_confirm", "another long password"),
            ],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        Entry {
            path: EndSession::PATH,
            args: &[("handle", "not-a-handle")],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        Entry {
            path: DeleteMyLogin::PATH,
            args: &[("password", "wrong password here")],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        // The owner's own mail choices (admins own no account).
        Entry {
            path: GetMailChoices::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: SaveMailChoices::PATH,
            args: &[("reminders", "true")],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: TestDataAvailable::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Allowed],
        },
        // Onboarding: owners only, each on their own account (no id is ever taken). The other
        // owner has no account yet, so acting gets 409 "start onboarding first" or starts theirs.
        Entry {
            path: GetMyAccount::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: ContinueOnboarding::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: UpdateInformation::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: RefreshOnboardingLink::PATH,
            args: &[("kind", "onboarding")],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: SyncMyAccount::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: OpenExpressDashboard::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: StartOnboarding::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        // Embedded components and payouts: owners, on their own account only.
        Entry {
            path: GetEmbedSettings::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: CreateAccountSession::PATH,
            args: &[("components[0]", "payments")],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: GetPayoutOverview::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: UpdatePayoutSchedule::PATH,
            args: &[
                ("interval", "monthly"),
                ("delay_days", "2"),
                ("monthly_anchor", "40"),
            ],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: PayOutNow::PATH,
            args: &[("currency", "usd"), ("request", "short")],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        // OAuth (the platform here onboards with hosted links: start is refused with 409).
        Entry {
            path: StartOauth::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: FinishOauth::PATH,
            args: &[("code", "ac_forged"), ("state", "forged")],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        Entry {
            path: DisconnectStripe::PATH,
            args: &[],
            may: [Unauthenticated, Allowed, Allowed, Forbidden],
        },
        // Test data: owners on their own account (no id); naming an account is for admins.
        Entry {
            path: CreateTestPayments::PATH,
            args: &[("account", "{A}"), ("count", "0")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: RefundTestPayment::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: CreateTestPayout::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // The console.
        Entry {
            path: GetPeopleCounts::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetFeeRevenue::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetPlatformFeeRevenue::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListOpenDisputes::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListAccountRefunds::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListFailedPayouts::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetExposure::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetDisputeSummary::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListAccountDisputes::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetConsoleOverview::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListAccounts::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetAccountDetail::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: AdminResync::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: AdminAccountLink::PATH,
            args: &[("account", "{A}"), ("kind", "update")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: AdminLoginLink::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: AdminReject::PATH,
            args: &[("account", "{A}"), ("reason", "not-a-reason")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetAccountPayouts::PATH,
            args: &[("account", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // An invalid anchor: past the gate, refused before Stripe is called.
        Entry {
            path: AdminUpdatePayoutSchedule::PATH,
            args: &[
                ("account", "{A}"),
                ("interval", "monthly"),
                ("delay_days", ""),
                ("monthly_anchor", "32"),
            ],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: AdminCapability::PATH,
            args: &[
                ("account", "{A}"),
                ("capability", "card_payments"),
                ("requested", "maybe"),
            ],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // Admin invites: made, listed and withdrawn by admins; checked and accepted by whoever
        // holds the link (a made-up token: 409, nothing created).
        Entry {
            path: ListAdminInvites::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: CreateAdminInvite::PATH,
            args: &[("note", "{A}")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: RevokeAdminInvite::PATH,
            args: &[("id", "not-an-invite")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // Admins: listed and removed by admins only (an unknown id: 404, nobody removed).
        Entry {
            path: ListAdmins::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: RemoveAdmin::PATH,
            args: &[("id", "0")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: CheckAdminInvite::PATH,
            args: &[(
                "token",
                "0000000000000000000000000000000000000000000000000000000000000000",
            )],
            may: [Allowed; 4],
        },
        Entry {
            path: AcceptAdminInvite::PATH,
            args: &[
                (
                    "token",
                    "0000000000000000000000000000000000000000000000000000000000000000",
                ),
                ("email", "new-admin@example.com"),
                ("password", "a long enough password"),
                ("password_confirm", "a long enough password"),
            ],
            may: [Allowed; 4],
        },
        Entry {
            path: ListEvents::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: RetryEvent::PATH,
            args: &[("id", "evt_none")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListMail::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // The admins' digest: its overview, sending it now, and each admin's own choice.
        Entry {
            path: DigestOverview::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: SendDigestNow::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: SaveDigestChoice::PATH,
            args: &[("digest", "true")],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: ListAudit::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        Entry {
            path: GetPlatformSettings::PATH,
            args: &[],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // A complete form whose country is refused: past the gate, nothing saved.
        Entry {
            path: SavePlatformSettings::PATH,
            args: &[
                ("account_api", "v1"),
                ("dashboard", "express"),
                ("fees_payer", "application"),
                ("losses", "application"),
                ("requirement_collection", "stripe"),
                ("capabilities", "card_payments"),
                ("country", "XYZ"),
                ("onboarding", "hosted"),
                ("collect", "currently_due"),
                ("oauth_client_id", ""),
                ("primary_color", "#123456"),
                ("font_family", "Inter"),
                ("theme", "system"),
                ("overlays", "dialog"),
                ("fee_percent", "2.9"),
                ("fee_fixed", "0.30"),
                ("fee_currency", "usd"),
            ],
            may: [Unauthenticated, Forbidden, Forbidden, Allowed],
        },
        // Sign out last: it ends the caller's session.
        Entry {
            path: SignOut::PATH,
            args: &[],
            may: [Allowed; 4],
        },
    ]
}

fn classify(status: u16) -> Option<May> {
    match status {
        401 => Some(Unauthenticated),
        403 => Some(Forbidden),
        200..=399 | 404 | 409 | 422 | 429 => Some(Allowed),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_server_function_answers_each_role_as_the_table_says() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start(&db).await;

    // The table names every registered server function, and nothing else.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    let listed: BTreeSet<String> = table().iter().map(|e| e.path.to_string()).collect();
    let missing: Vec<_> = registered.difference(&listed).collect();
    let extra: Vec<_> = listed.difference(&registered).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "server functions without an access entry: {missing:?}; entries for unknown paths: {extra:?}"
    );

    // The roles. Owner A's account is the one named in `{A}`.
    let anonymous = client();
    let owner_a = client();
    let owner_b = client();
    let admin = client();
    sign_up(&owner_a, &server, "owner-a@example.com").await;
    sign_up(&owner_b, &server, "owner-b@example.com").await;
    assert_eq!(
        sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .status(),
        200
    );
    let account_a = "acct_1OwnerAAccount";
    let record = app::db::connected_accounts::AccountRecord {
        stripe_account_id: account_a.into(),
        requirements: "{}".into(),
        future_requirements: "{}".into(),
        capabilities: "{}".into(),
        controller: "{}".into(),
        ..Default::default()
    };
    app::db::connected_accounts::store_fetched(
        server.db(),
        &record,
        app::db::connected_accounts::ApiVersion::V1,
        true,
        app::db::connected_accounts::FetchedAt {
            started_ms: 1,
            finished: 1,
            stripe_time: 1,
            event_created: 0,
            reconnected: false,
        },
    )
    .await
    .unwrap();
    let a = app::db::users::find_by_email(server.db(), "owner-a@example.com")
        .await
        .unwrap()
        .unwrap();
    app::db::connected_accounts::set_owner(server.db(), account_a, a.id)
        .await
        .unwrap();

    let roles = [
        ("anonymous", &anonymous),
        ("another owner", &owner_b),
        ("the owner", &owner_a),
        ("admin", &admin),
    ];
    let mut leaks = Vec::new();
    for entry in table() {
        let args: Vec<(&str, String)> = entry
            .args
            .iter()
            .map(|(k, v)| (*k, v.replace("{A}", account_a)))
            .collect();
        for (i, (role, who)) in roles.iter().enumerate() {
            let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
            // Signing out would end the session the next entries need: only anonymous and the
            // other owner call it, and the other owner signs in again.
            if entry.path == app::auth::SignOut::PATH && i > 1 {
                continue;
            }
            let status = call(who, &server, entry.path, &form)
                .await
                .status()
                .as_u16();
            let got = classify(status);
            if got != Some(entry.may[i]) {
                leaks.push(format!(
                    "{} as {role}: HTTP {status}, expected {:?}",
                    entry.path, entry.may[i]
                ));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "access matrix violations:\n{}",
        leaks.join("\n")
    );

    // Garbage and oversized arguments (and unknown extra fields) change nothing: a caller who may
    // not call a function is told so before anything it sent is looked at.
    let garbage = |v: &str| {
        if v.parse::<i64>().is_ok() {
            // Typed numbers are decoded before the function runs; keep them decodable.
            v.to_string()
        } else {
            format!(
                "\u{0}<script>{}'; DROP TABLE users;--",
                "x".repeat(8 * 1024)
            )
        }
    };
    // The other owner signed out at the end of the table.
    assert_eq!(
        sign_in(&owner_b, &server, "owner-b@example.com", PASSWORD)
            .await
            .status(),
        200
    );
    let mut early = Vec::new();
    for entry in table() {
        let mut args: Vec<(String, String)> = entry
            .args
            .iter()
            .map(|(k, v)| (k.to_string(), garbage(v)))
            .collect();
        args.extend((0..20).map(|n| (format!("unknown_{n}"), "y".repeat(1024))));
        let form: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        for (i, (role, who)) in roles.iter().enumerate() {
            let gated = match entry.may[i] {
                Unauthenticated => 401,
                Forbidden => 403,
                Allowed => continue,
            };
            let status = call(who, &server, entry.path, &form)
                .await
                .status()
                .as_u16();
            if status != gated {
                early.push(format!(
                    "{} as {role} with garbage: HTTP {status}, expected {gated}",
                    entry.path
                ));
            }
        }
    }
    assert!(
        early.is_empty(),
        "validated before authorising:\n{}",
        early.join("\n")
    );

    // A body beyond the portal's limit is refused unread, whoever sends it.
    let huge = "z".repeat(server::PORTAL_MAX_BODY_BYTES + 1);
    for (role, who) in roles {
        let status = call(who, &server, app::auth::SignIn::PATH, &[("email", &huge)])
            .await
            .status()
            .as_u16();
        assert_eq!(status, 413, "{role}");
    }
    server.stop().await;
    db.drop_now().await;
}

/// Page areas: what each role gets when it opens them in a browser.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn page_areas_answer_each_role() {
    let db = TestDb::sqlite().await;
    let server = TestServer::start(&db).await;
    let anonymous = client();
    let owner = client();
    let admin = client();
    sign_up(&owner, &server, "pages-owner@example.com").await;
    sign_in(&admin, &server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // (path, anonymous, owner, admin): 200 page, 302 to sign-in, 403 refused.
    let pages: &[(&str, u16, u16, u16)] = &[
        ("/", 200, 200, 200),
        ("/sign-in", 200, 200, 200),
        ("/profile", 302, 200, 200),
        ("/account", 302, 200, 403),
        ("/account/test-data", 302, 200, 403),
        ("/account/payments", 302, 200, 403),
        ("/account/payouts", 302, 200, 403),
        ("/account/balances", 302, 200, 403),
        ("/account/documents", 302, 200, 403),
        ("/account/settings", 302, 200, 403),
        ("/admin", 302, 403, 200),
        ("/admin/accounts", 302, 403, 200),
        ("/admin/accounts/acct_1NotCached", 302, 403, 404),
        ("/admin/events", 302, 403, 200),
        ("/admin/audit", 302, 403, 200),
        ("/admin/settings", 302, 403, 200),
        ("/admin/admins", 302, 403, 200),
    ];
    let mut wrong = Vec::new();
    for (path, expected_anon, expected_owner, expected_admin) in pages {
        for (role, who, expected) in [
            ("anonymous", &anonymous, *expected_anon),
            ("owner", &owner, *expected_owner),
            ("admin", &admin, *expected_admin),
        ] {
            let response = who.get(server.url(path)).send().await.unwrap();
            let status = response.status().as_u16();
            let ok = match expected {
                302 => {
                    (300..400).contains(&status)
                        && response
                            .headers()
                            .get("location")
                            .and_then(|l| l.to_str().ok())
                            .is_some_and(|l| l.starts_with("/sign-in"))
                }
                other => status == other,
            };
            if !ok {
                wrong.push(format!(
                    "{path} as {role}: HTTP {status}, expected {expected}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    server.stop().await;
    db.drop_now().await;
}
