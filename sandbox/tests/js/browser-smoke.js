// Browser smoke test of the Connect.js stand-in driven through Stripe's OFFICIAL loader,
// @stripe/connect-js as installed in app/node_modules (pinned in app/package.json; not a copy): every
// component in Chromium on a page served from another origin under a strict CSP (no 'unsafe-inline'),
// and each element's `…InternalOnly` setters compared with what the installed loader declares.
// Run from the repo root after `cargo build -p sandbox` (scripts/test runs it):
//   node sandbox/tests/js/browser-smoke.js
// Env: SANDBOX_BIN (default target/debug/sandbox, or $CARGO_TARGET_DIR/debug/sandbox), CHROMIUM
// (default /usr/bin/chromium), PLAYWRIGHT_CORE (default end2end/node_modules/playwright-core),
// CONNECT_JS_PACKAGE (default app/node_modules/@stripe/connect-js), SMOKE_EMULATOR_PORT, SMOKE_PAGE_PORT.
'use strict';
const fs = require('fs');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');
const ROOT = path.join(__dirname, '../../..');
const { chromium } = require(process.env.PLAYWRIGHT_CORE || path.join(ROOT, 'end2end/node_modules/playwright-core'));
const BIN = process.env.SANDBOX_BIN || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'debug/sandbox');
const LOADER_DIR = process.env.CONNECT_JS_PACKAGE || path.join(ROOT, 'app/node_modules/@stripe/connect-js');
const LOADER_VERSION = JSON.parse(fs.readFileSync(path.join(LOADER_DIR, 'package.json'), 'utf8')).version;
// What the installed loader declares (its CommonJS build of the same source as the page's ESM one).
const declared = require(path.join(LOADER_DIR, 'dist/pure.js'));
const EMU_PORT = Number(process.env.SMOKE_EMULATOR_PORT || 12199);
const PAGE_PORT = Number(process.env.SMOKE_PAGE_PORT || 12198);
const EMU = 'http://127.0.0.1:' + EMU_PORT;
const KEY = 'sk_test_offline_emulator';
// The loader's own warning when it finds a runtime already in the page (src/utils/scriptUtils.ts
// EXISTING_SCRIPT_MESSAGE): the emulator's stand-in is put in before the loader runs, as the portal does.
const EXISTING_SCRIPT_WARNING = 'loadConnect was called but an existing Connect.js script already exists';

async function stripe(method, path, form, account) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const url = EMU + path + (method === 'GET' && body ? '?' + body : '');
  const headers = { Authorization: 'Bearer ' + KEY, 'Content-Type': 'application/x-www-form-urlencoded' };
  if (account) headers['Stripe-Account'] = account;
  const r = await fetch(url, { method, headers, body: method === 'GET' ? undefined : body });
  const j = await r.json();
  if (!r.ok) throw new Error(path + ' ' + JSON.stringify(j));
  return j;
}

const page = `<!doctype html><html><head><meta charset="utf-8"><title>smoke</title>
<script src="${EMU}/v1.0/connect.js"></script><script type="module" src="/page.js"></script></head><body><div id="app"></div></body></html>`;
// The test page's own module (served as /page.js): builds the components named in the URL hash through
// the loader (served as /loader.js from the installed package).
function pageMain(loader) {
  window.loader = loader;
  window.events = [];
  const cfg = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  const inst = loader.loadConnectAndInitialize({
    publishableKey: 'pk_test_offline_emulator',
    fetchClientSecret: () => window.makeSecret(cfg.components),
    appearance: { variables: { colorPrimary: '#0a7a55', borderRadius: 4 } },
    locale: cfg.locale,
  });
  window.inst = inst;
  for (const tag of cfg.tags) {
    const el = inst.create(tag);
    el.setOnLoadError((e) => window.events.push(['loadError', tag, e]));
    el.setOnLoaderStart((e) => window.events.push(['loaderStart', tag, e]));
    if (el.setOnExit) el.setOnExit(() => window.events.push(['exit', tag]));
    if (el.setOnStepChange) el.setOnStepChange((s) => window.events.push(['step', tag, s]));
    if (el.setOnNotificationsChange) el.setOnNotificationsChange((c) => window.events.push(['notifications', tag, c]));
    if (el.setOnSectionOpen) el.setOnSectionOpen((s) => window.events.push(['section', tag, s]));
    if (el.setOnClose) el.setOnClose(() => window.events.push(['close', tag]));
    if (tag === 'payment-details' && cfg.payment) el.setPayment(cfg.payment);
    el.id = 'c-' + tag;
    document.getElementById('app').appendChild(el);
  }
}
const PAGE_JS = "import * as loader from '/loader.js';\n(" + pageMain.toString() + ')(loader);';
const csp = `default-src 'self'; script-src 'self' ${EMU}; connect-src 'self' ${EMU}; style-src 'self'; img-src 'self'; frame-src 'none'`;
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/page.js')) { res.writeHead(200, { 'Content-Type': 'text/javascript' }); return res.end(PAGE_JS); }
  if (req.url.startsWith('/loader.js')) {
    res.writeHead(200, { 'Content-Type': 'text/javascript' });
    return res.end(fs.readFileSync(path.join(LOADER_DIR, 'dist/pure.esm.js')));
  }
  res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': csp }); res.end(page);
});

(async () => {
  const emu = spawn(BIN, ['--addr', '127.0.0.1:' + EMU_PORT, '--seed', '5'], { stdio: 'ignore' });
  await new Promise((r) => server.listen(PAGE_PORT, r));
  for (let i = 0; i < 50; i++) { try { await fetch(EMU + '/v1.0/connect.js'); break; } catch { await new Promise((r) => setTimeout(r, 200)); } }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  let failures = 0;
  const check = (cond, msg) => { if (!cond) { failures++; console.log('FAIL', msg); } else console.log('ok  ', msg); };
  try {
    const individual = { country: 'US', 'controller[stripe_dashboard][type]': 'none', 'controller[fees][payer]': 'application',
      'controller[losses][payments]': 'application', 'controller[requirement_collection]': 'application',
      'capabilities[card_payments][requested]': 'true', 'capabilities[transfers][requested]': 'true', business_type: 'individual' };
    const acct = (await stripe('POST', '/v1/accounts', individual)).id;
    let secretMode = 'real';
    async function open(components, tags, extra = {}) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const errors = [];
      page.on('console', (m) => {
        if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith(EXISTING_SCRIPT_WARNING)) errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push('pageerror ' + e.message));
      await page.exposeFunction('makeSecret', async (comps) => {
        if (secretMode === 'bogus') return 'accs_secret__bogus';
        if (secretMode === 'bogus-once') { secretMode = 'real'; return 'accs_secret__bogus'; }
        const form = { account: extra.account || acct };
        for (const [k, v] of Object.entries(comps)) form[k] = v;
        return (await stripe('POST', '/v1/account_sessions', form)).client_secret;
      });
      await page.goto('http://127.0.0.1:' + PAGE_PORT + '/#' + encodeURIComponent(JSON.stringify({ components, tags, ...extra })));
      return { page, errors, ctx };
    }
    const shadowText = (page, tag) => page.evaluate((t) => { const el = document.getElementById('c-' + t); return el && el.shadowRoot ? el.shadowRoot.textContent : null; }, tag);

    // 1. Onboarding through the embedded form.
    {
      const { page, errors, ctx } = await open({ 'components[account_onboarding][enabled]': 'true', 'components[notification_banner][enabled]': 'true' }, ['notification-banner', 'account-onboarding']);
      const ob = page.locator('#c-account-onboarding');
      await ob.getByRole('button', { name: 'Continue' }).waitFor();
      check((await shadowText(page, 'notification-banner')).includes('Payments or payouts are paused'), 'banner shows due items');
      for (let i = 0; i < 10; i++) {
        if (await ob.getByRole('button', { name: 'Submit' }).count()) break;
        await ob.getByRole('button', { name: 'Continue' }).click();
      }
      await ob.getByRole('checkbox', { name: 'I agree to the Stripe Connected Account Agreement' }).check();
      await ob.getByRole('button', { name: 'Submit' }).click();
      await ob.getByText('Your information is complete').waitFor();
      await ob.getByRole('button', { name: 'Done' }).click();
      const a = await stripe('GET', '/v1/accounts/' + acct);
      check(a.details_submitted && a.charges_enabled && a.payouts_enabled, 'account completed through embedded onboarding');
      const ev = await page.evaluate(() => window.events);
      check(ev.some((e) => e[0] === 'exit'), 'onExit called');
      check(ev.filter((e) => e[0] === 'step').length >= 3, 'onStepChange called: ' + ev.filter((e) => e[0] === 'step').map((e) => e[2].step).join(','));
      check(ev.some((e) => e[0] === 'notifications' && e[2].total > 0 && e[2].actionRequired > 0), 'notifications counted');
      check(ev.some((e) => e[0] === 'loaderStart'), 'onLoaderStart called');
      // The banner refreshes after its own reload; removing the element detaches it.
      const n = await page.evaluate(async () => { document.getElementById('c-notification-banner').remove(); return (await window.inst.debugInstance()).connect.elements.size; });
      check(n === 1, 'removed element detaches from the instance (left ' + n + ')');
      check(errors.length === 0, 'no console errors/CSP violations: ' + errors.join(' | '));
      await ctx.close();
    }
    // 2. Banner with nothing due renders nothing and reports zero.
    {
      const { page, errors, ctx } = await open({ 'components[notification_banner][enabled]': 'true' }, ['notification-banner']);
      await page.waitForFunction(() => (window.events || []).some((e) => e[0] === 'notifications'));
      const ev = await page.evaluate(() => window.events.filter((e) => e[0] === 'notifications'));
      check(ev[0][2].total === 0 && ev[0][2].actionRequired === 0, 'banner reports {0,0}');
      const h = await page.evaluate(() => document.getElementById('c-notification-banner').getBoundingClientRect().height);
      check(h === 0, 'empty banner takes no space (' + h + ')');
      check(errors.length === 0, 'no console errors: ' + errors.join(' | '));
      await ctx.close();
    }
    // 3. Payments: list, details, refund.
    const pi = await stripe('POST', '/v1/payment_intents', { amount: '2599', currency: 'usd', confirm: 'true', 'automatic_payment_methods[enabled]': 'true', 'automatic_payment_methods[allow_redirects]': 'never', payment_method: 'pm_card_visa', description: 'Ride to airport' }, acct);
    await stripe('POST', '/v1/payment_intents', { amount: '1000', currency: 'usd', confirm: 'true', 'automatic_payment_methods[enabled]': 'true', 'automatic_payment_methods[allow_redirects]': 'never', payment_method: 'pm_card_visa' }, acct);
    {
      const { page, errors, ctx } = await open({ 'components[payments][enabled]': 'true' }, ['payments']);
      const el = page.locator('#c-payments');
      await el.getByRole('button', { name: 'View payment of $25.99' }).click();
      await el.getByRole('dialog').getByText('Ride to airport').waitFor();
      await el.getByRole('button', { name: 'Refund payment' }).click();
      await el.getByLabel('Refund amount (USD)').fill('5.99');
      await el.getByRole('button', { name: 'Refund', exact: true }).click();
      await el.getByRole('dialog').getByText('Partially refunded').first().waitFor();
      const ch = await stripe('GET', '/v1/charges/' + pi.latest_charge, null, acct);
      check(ch.amount_refunded === 599, 'refund through embedded payments (' + ch.amount_refunded + ')');
      const color = await page.evaluate(() => getComputedStyle(document.getElementById('c-payments').shadowRoot.querySelector('.root')).getPropertyValue('--cjs-color-primary'));
      check(color.trim() === '#0a7a55', 'appearance variable applied: ' + color);
      await page.evaluate(() => window.inst.update({ appearance: { variables: { colorPrimary: '#123456' } } }));
      const color2 = await page.evaluate(() => getComputedStyle(document.getElementById('c-payments').shadowRoot.querySelector('.root')).getPropertyValue('--cjs-color-primary'));
      check(color2.trim() === '#123456', 'update() restyles live: ' + color2);
      check(errors.length === 0, 'no console errors: ' + errors.join(' | '));
      await ctx.close();
    }
    // 4. Without refund_management there is no refund button.
    {
      const { page, ctx } = await open({ 'components[payments][enabled]': 'true', 'components[payments][features][refund_management]': 'false' }, ['payments']);
      const el = page.locator('#c-payments');
      await el.getByRole('button', { name: 'View payment of $10.00' }).click();
      await el.getByRole('dialog').getByText('Charge').first().waitFor();
      check(await el.getByRole('button', { name: 'Refund payment' }).count() === 0, 'no refund without refund_management');
      await ctx.close();
    }
    // 5. Unknown secret once → fetchClientSecret again → renders. Always unknown → onLoadError.
    {
      secretMode = 'bogus-once';
      const { page, ctx } = await open({ 'components[balances][enabled]': 'true' }, ['balances']);
      await page.locator('#c-balances').getByText('Available (USD)').waitFor();
      check(true, 'recovers from a refused secret by fetching a new one');
      await ctx.close();
      secretMode = 'bogus';
      const b = await open({ 'components[balances][enabled]': 'true' }, ['balances']);
      await b.page.waitForFunction(() => (window.events || []).some((e) => e[0] === 'loadError'));
      const ev = await b.page.evaluate(() => window.events.find((e) => e[0] === 'loadError'));
      check(ev[2].error.type === 'authentication_error' && ev[2].elementTagName === 'stripe-connect-balances', 'onLoadError after a second refusal: ' + JSON.stringify(ev[2]));
      secretMode = 'real';
      await b.ctx.close();
    }
    // 5b. The runtime contract the installed loader relies on: init called by the loader (metaOptions), each
    // element's `…InternalOnly` setters equal to what the loader declares for its tag, setConnector present,
    // no plain setters without the loader, and no `create` on the runtime instance.
    {
      const { page, errors, ctx } = await open({ 'components[payments][enabled]': 'true' }, ['payments']);
      await page.locator('#c-payments').getByRole('table').waitFor();
      const seen = await page.evaluate((tags) => {
        const setters = {};
        for (const tag of tags) {
          const el = document.createElement('stripe-connect-' + tag);
          const names = new Set();
          for (let p = Object.getPrototypeOf(el); p && p !== HTMLElement.prototype; p = Object.getPrototypeOf(p)) {
            for (const n of Object.getOwnPropertyNames(p)) if (n.endsWith('InternalOnly') && typeof el[n] === 'function') names.add(n.slice(0, -'InternalOnly'.length));
          }
          setters[tag] = { names: [...names].sort(), connector: typeof el.setConnector === 'function', plain: typeof el.setOnLoadError };
        }
        return { setters, inits: window.StripeConnect.offlineEmulatorInits, runtimeCreate: typeof window.StripeConnect.init({ publishableKey: 'pk_test_x', fetchClientSecret: () => new Promise(() => {}), metaOptions: { sdk: true } }).create };
      }, declared.connectElementTagNames);
      for (const tag of declared.connectElementTagNames) {
        const want = Object.keys({ ...(declared.ConnectElementCustomMethodConfig[tag] || {}), ...declared.ConnectElementCommonMethodConfig }).sort();
        const got = seen.setters[tag];
        check(JSON.stringify(got.names) === JSON.stringify(want), `stripe-connect-${tag}: InternalOnly setters ${got.names.join(',')} = loader ${LOADER_VERSION}'s ${want.join(',')}`);
        check(got.connector && got.plain === 'undefined', `stripe-connect-${tag}: setConnector, and no plain setter without the loader`);
      }
      const first = seen.inits[0] || {};
      check(first.sdk === true && first.sdkVersion === LOADER_VERSION && first.eagerClientSecret, 'init called by the loader: ' + JSON.stringify(first));
      check(seen.runtimeCreate === 'undefined', 'the runtime instance has no create (the loader makes the elements)');
      check(errors.length === 0, 'no console errors: ' + errors.join(' | '));
      await ctx.close();
    }
    // 6. Payouts with schedule editing, two instances on one page, documents, payment-details overlay.
    {
      const { page, errors, ctx } = await open({ 'components[payouts][enabled]': 'true', 'components[payouts][features][edit_payout_schedule]': 'true', 'components[documents][enabled]': 'true', 'components[payment_details][enabled]': 'true', 'components[account_management][enabled]': 'true' }, ['payouts', 'documents', 'payment-details', 'account-management'], { payment: pi.id });
      const pd = page.locator('#c-payment-details');
      await pd.getByRole('dialog').getByText('Ride to airport').waitFor();
      await pd.getByRole('button', { name: 'Close' }).click();
      await page.waitForFunction(() => (window.events || []).some((e) => e[0] === 'close'));
      check(true, 'payment-details overlay closes and calls onClose');
      const el = page.locator('#c-payouts');
      await el.getByRole('button', { name: 'Edit schedule' }).click();
      await el.getByLabel('Frequency').selectOption('weekly');
      await el.getByLabel('Day of the week').selectOption('friday');
      await el.getByRole('button', { name: 'Save schedule' }).click();
      await el.getByText('Weekly on Friday').waitFor();
      const a = await stripe('GET', '/v1/accounts/' + acct);
      check(a.settings.payouts.schedule.interval === 'weekly', 'schedule edited');
      await page.locator('#c-documents').getByText('No documents yet').waitFor();
      check(true, 'documents empty state');
      const am = page.locator('#c-account-management');
      await am.getByRole('button', { name: 'Edit business details' }).click();
      await am.getByLabel('Business name').fill('Rocket Rides');
      await am.getByRole('button', { name: 'Save' }).click();
      await am.getByText('Rocket Rides').waitFor();
      // A second instance on the same page.
      const second = await page.evaluate(async () => {
        const inst2 = window.loader.loadConnectAndInitialize({ publishableKey: 'pk_test_x', fetchClientSecret: () => window.makeSecret({ 'components[balances][enabled]': 'true' }) });
        const el = inst2.create('balances'); el.id = 'c-second'; document.body.appendChild(el);
        for (let i = 0; i < 50 && !el.shadowRoot.textContent.includes('Available'); i++) await new Promise((r) => setTimeout(r, 100));
        return el.shadowRoot.textContent.includes('Available');
      });
      check(second, 'second instance on the same page renders');
      await page.evaluate(() => window.inst.logout());
      await el.getByText('You have been signed out.').waitFor();
      check(true, 'logout signs components out');
      check(errors.length === 0, 'no console errors: ' + errors.join(' | '));
      await ctx.close();
    }
  } catch (e) {
    failures++;
    console.log('ERROR', e);
  } finally {
    await browser.close();
    server.close();
    emu.kill();
  }
  console.log(failures ? failures + ' FAILURES' : 'ALL OK');
  process.exit(failures ? 1 : 0);
})();
