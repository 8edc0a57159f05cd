"""Drives the offline Stripe emulator with Stripe's official Python SDK (PyPI `stripe`, pinned in
requirements.txt): create account -> account link -> account session -> update payout schedule ->
login link -> list events, and verifies a delivered webhook with the SDK's own verifier.

Usage: SANDBOX_URL=http://127.0.0.1:12111 python official_sdk_test.py   (run.sh does all of it)
"""

import http.server
import json
import os
import sys
import threading
import time

import stripe

BASE = os.environ["SANDBOX_URL"].rstrip("/")
stripe.api_key = os.environ.get("SANDBOX_SECRET_KEY", "sk_test_offline_emulator")
stripe.api_base = BASE
stripe.max_network_retries = 2

received = []


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        received.append((self.headers.get("Stripe-Signature"), body.decode("utf-8")))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def check(cond, message):
    if not cond:
        print("FAIL:", message, file=sys.stderr)
        sys.exit(1)
    print("ok -", message)


def main():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{server.server_address[1]}/hook"

    endpoint = stripe.WebhookEndpoint.create(url=hook_url, enabled_events=["*"], connect=True)
    check(endpoint.secret.startswith("whsec_"), "webhook endpoint returns its whsec_ secret on create")

    account = stripe.Account.create(
        country="US",
        email="sdk@example.com",
        controller={
            "fees": {"payer": "application"},
            "losses": {"payments": "application"},
            "stripe_dashboard": {"type": "express"},
        },
        capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}},
    )
    check(account.id.startswith("acct_") and account.object == "account", "account created: " + account.id)
    check(account.capabilities["card_payments"] == "inactive", "new account's capability is inactive")
    check(len(account.requirements.currently_due) > 0, "new account has currently_due requirements")

    link = stripe.AccountLink.create(
        account=account.id,
        type="account_onboarding",
        refresh_url="https://portal.example/refresh",
        return_url="https://portal.example/return",
        collection_options={"fields": "eventually_due"},
    )
    check(link.url.startswith(BASE) and link.expires_at > link.created, "account link created")

    session = stripe.AccountSession.create(
        account=account.id,
        components={
            "account_onboarding": {"enabled": True},
            "payouts": {"enabled": True, "features": {"edit_payout_schedule": True}},
        },
    )
    check(session.client_secret.startswith("accs_secret__"), "account session has a client secret")
    check(session.components["payouts"]["features"]["edit_payout_schedule"] is True, "session features echoed")

    updated = stripe.Account.modify(
        account.id,
        settings={"payouts": {"schedule": {"interval": "weekly", "weekly_anchor": "friday"}}},
    )
    schedule = updated.settings.payouts.schedule
    check(schedule.interval == "weekly" and schedule.weekly_anchor == "friday", "payout schedule updated")

    try:
        stripe.Account.modify(account.id, settings={"payouts": {"schedule": {"interval": "monthly", "monthly_anchor": 40}}})
        check(False, "an invalid monthly_anchor must be refused")
    except stripe.InvalidRequestError as e:
        check(e.param == "settings[payouts][schedule][monthly_anchor]", "invalid monthly_anchor refused with its param")

    login = stripe.Account.create_login_link(account.id)
    check(login.object == "login_link" and login.url.startswith(BASE), "login link created")

    events = stripe.Event.list(type="account.updated", limit=10)
    check(len(events.data) >= 1, "account.updated listed")
    ev = events.data[0]
    check(ev.account == account.id, "event carries the connected account")
    check("settings" in ev.data.previous_attributes, "previous_attributes names the changed settings")

    try:
        stripe.Account.retrieve("acct_doesnotexist")
        check(False, "unknown account must 404")
    except stripe.InvalidRequestError as e:
        check(e.http_status == 404 and e.code == "resource_missing", "unknown account -> resource_missing")

    deadline = time.time() + 15
    wanted = None
    while time.time() < deadline and wanted is None:
        for sig, body in list(received):
            if json.loads(body).get("type") == "account.updated":
                wanted = (sig, body)
                break
        time.sleep(0.1)
    check(wanted is not None, "account.updated webhook delivered")
    sig, body = wanted
    event = stripe.Webhook.construct_event(body, sig, endpoint.secret)
    check(event.type == "account.updated" and event.account == account.id, "stripe.Webhook.construct_event verifies the signature")
    try:
        stripe.Webhook.construct_event(body.replace("account.updated", "account.hacked"), sig, endpoint.secret)
        check(False, "a tampered payload must not verify")
    except stripe.SignatureVerificationError:
        check(True, "tampered payload rejected by the SDK verifier")
    server.shutdown()
    print("official SDK journey passed")


if __name__ == "__main__":
    main()
