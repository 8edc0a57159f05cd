// Pure helpers of the Connect.js stand-in (sandbox/assets/connect.js).
// Run: node --test sandbox/tests/js/
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

const source = fs.readFileSync(path.join(__dirname, '../../assets/connect.js'), 'utf8');

// Evaluate the script as a browser would not: without window, it only exports its helpers.
function load() {
  const sandbox = { module: { exports: {} }, Intl, Date, Number, String, Math, Object, Array, JSON, isNaN };
  vm.runInNewContext(source, sandbox, { filename: 'connect.js' });
  return sandbox.module.exports;
}
const h = load();

test('exports the helpers without touching the DOM', () => {
  for (const name of ['formatMoney', 'parseMoney', 'minorToInput', 'decimalsFor', 'filtersToQuery', 'appearanceVariables']) {
    assert.equal(typeof h[name], 'function', name);
  }
});

test('money is formatted from minor units', () => {
  assert.equal(h.formatMoney(123456, 'usd', 'en-US'), '$1,234.56');
  assert.equal(h.formatMoney(5, 'usd', 'en-US'), '$0.05');
  assert.equal(h.formatMoney(-2500, 'eur', 'en-US'), '-€25.00');
  assert.equal(h.formatMoney(0, 'gbp', 'en-GB'), '£0.00');
});

test('zero- and three-decimal currencies', () => {
  assert.equal(h.decimalsFor('JPY'), 0);
  assert.equal(h.decimalsFor('krw'), 0);
  assert.equal(h.decimalsFor('kwd'), 3);
  assert.equal(h.decimalsFor('usd'), 2);
  assert.equal(h.formatMoney(5000, 'jpy', 'en-US'), '¥5,000');
  assert.equal(h.formatMoney(5000, 'jpy', 'ja-JP'), '￥5,000');
  assert.equal(h.formatMoney(1234, 'kwd', 'en-US').replace(/\s/g, ' '), 'KWD 1.234');
});

test('amounts typed by a person become minor units', () => {
  assert.equal(h.parseMoney('12.34', 'usd'), 1234);
  assert.equal(h.parseMoney('12.5', 'usd'), 1250);
  assert.equal(h.parseMoney('1,200', 'usd'), 120000);
  assert.equal(h.parseMoney('1200', 'jpy'), 1200);
  assert.equal(h.parseMoney('12.5', 'jpy'), null);
  assert.equal(h.parseMoney('0.001', 'usd'), null);
  assert.equal(h.parseMoney('1.234', 'kwd'), 1234);
  assert.equal(h.parseMoney('abc', 'usd'), null);
  assert.equal(h.parseMoney('-5', 'usd'), null);
  assert.equal(h.minorToInput(1500, 'usd'), '15.00');
  assert.equal(h.minorToInput(5, 'usd'), '0.05');
  assert.equal(h.minorToInput(1500, 'jpy'), '1500');
  for (const [minor, cur] of [[1, 'usd'], [99, 'eur'], [123456789, 'usd'], [777, 'jpy'], [1001, 'bhd']]) {
    assert.equal(h.parseMoney(h.minorToInput(minor, cur), cur), minor);
  }
});

test('payments default filters become list query parameters', () => {
  const q = h.filtersToQuery({
    status: ['successful', 'refunded'],
    amount: { between: { lowerBound: 10, upperBound: 20.5 } },
    date: { after: new Date('2024-01-01T00:00:00Z') },
    paymentMethod: 'card',
  }, 'usd');
  assert.deepEqual({ ...q }, {
    status: 'successful,refunded', amount_gte: 1000, amount_lte: 2050, created_gte: 1704067200, payment_method: 'card',
  });
  assert.deepEqual({ ...h.filtersToQuery({ amount: { equals: 500 } }, 'jpy') }, { amount_gte: 500, amount_lte: 500 });
  assert.deepEqual({ ...h.filtersToQuery({ amount: { greaterThan: 1 } }, 'usd') }, { amount_gte: 101 });
  assert.deepEqual({ ...h.filtersToQuery(undefined, 'usd') }, {});
});

test('appearance variables become CSS custom properties', () => {
  const vars = h.appearanceVariables({
    variables: { colorPrimary: '#ff0000', spacingUnit: 10, borderRadius: '4px', fontFamily: 'Georgia, serif', colorText: 'red;}x{' },
  });
  assert.deepEqual(Array.from(vars, (v) => [...v]), [
    ['--cjs-color-primary', '#ff0000'], ['--cjs-spacing-unit', '10px'], ['--cjs-border-radius', '4px'],
    ['--cjs-font-family', 'Georgia, serif'],
  ]);
  assert.deepEqual([...h.appearanceVariables(undefined)], []);
});

test('labels, schedules and error types', () => {
  assert.equal(h.statusLabel('partially_refunded'), 'Partially refunded');
  assert.equal(h.scheduleText({ interval: 'weekly', weekly_anchor: 'friday', delay_days: 3 }), 'Weekly on Friday (3-day rolling delay)');
  assert.equal(h.scheduleText({ interval: 'monthly', monthly_anchor: 22, delay_days: 7 }), 'Monthly on the 22nd (7-day rolling delay)');
  assert.equal(h.scheduleText({ interval: 'manual' }), 'Manual payouts');
  assert.equal(h.tagToComponent('stripe-connect-account-onboarding'), 'account_onboarding');
  assert.equal(h.errorTypeFor(401), 'authentication_error');
  assert.equal(h.errorTypeFor(403), 'invalid_request_error');
  assert.equal(h.errorTypeFor(429), 'rate_limit_error');
  assert.equal(h.errorTypeFor(502), 'api_error');
  assert.equal(h.queryString({ a: 'x y', b: null, c: 2 }), '?a=x%20y&c=2');
});
