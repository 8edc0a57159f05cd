/*
 * Connect.js stand-in served by the offline Stripe emulator (GET /v1.0/connect.js).
 *
 * Keeps to the runtime contract Stripe's loader, @stripe/connect-js (3.4.6, src/init.ts), relies
 * on, and to nothing more:
 * - window.StripeConnect.init({publishableKey, fetchClientSecret, appearance, locale, fonts,
 *   metaOptions: {sdk, sdkOptions: {sdkVersion}, eagerClientSecretPromise}}) (the loader's
 *   `createWrapper` and `initStripeConnect`) returns the runtime instance: `connect` (what the
 *   loader hands to element.setConnector), update({appearance, locale, fonts}) and logout(). It has
 *   no `create`: the loader makes the elements itself with document.createElement.
 * - Each `stripe-connect-<tag>` custom element offers setConnector and exactly the
 *   `<setter>InternalOnly` methods the loader declares for the tag (its
 *   ConnectElementCustomMethodConfig[tag] and ConnectElementCommonMethodConfig). The plain setters
 *   (`setOnExit`, …) are the loader's own properties, routed to those: an element made without the
 *   loader has none, as on Stripe.
 * Elements have a shadow root each; they read the emulator's data from its JSON API under
 * /_connectjs/v1, authenticated only by the AccountSession client secret.
 *
 * Plain JavaScript, no build step, no eval, no inline event handlers, styles through constructed
 * stylesheets (CSP friendly). Under Node the pure helpers are exported for tests.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- pure helpers

  // Stripe's zero- and three-decimal currencies: amounts are in the currency's minor unit.
  var ZERO_DECIMAL = ['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx',
    'vnd', 'vuv', 'xaf', 'xof', 'xpf'];
  var THREE_DECIMAL = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

  function decimalsFor(currency) {
    var c = String(currency || '').toLowerCase();
    if (ZERO_DECIMAL.indexOf(c) >= 0) return 0;
    if (THREE_DECIMAL.indexOf(c) >= 0) return 3;
    return 2;
  }

  /** Formats an amount in minor units (Stripe's integers) as money in `currency`. */
  function formatMoney(minor, currency, locale) {
    var cur = String(currency || 'usd').toUpperCase();
    var d = decimalsFor(cur);
    var n = Number(minor || 0);
    var value = n / Math.pow(10, d);
    try {
      return new Intl.NumberFormat(locale || undefined, {
        style: 'currency', currency: cur, minimumFractionDigits: d, maximumFractionDigits: d
      }).format(value);
    } catch (e) {
      return value.toFixed(d) + ' ' + cur;
    }
  }

  /** Minor units as a plain decimal string ("12.34", "1200" for JPY), for form inputs. */
  function minorToInput(minor, currency) {
    var d = decimalsFor(currency);
    var n = Math.abs(Math.trunc(Number(minor || 0)));
    var sign = Number(minor) < 0 ? '-' : '';
    if (d === 0) return sign + String(n);
    var s = String(n).padStart(d + 1, '0');
    return sign + s.slice(0, s.length - d) + '.' + s.slice(s.length - d);
  }

  /** Parses what a person typed ("12.5", "1,200") into minor units; null when not a valid amount. */
  function parseMoney(text, currency) {
    var d = decimalsFor(currency);
    var s = String(text == null ? '' : text).trim().replace(/[,\s_]/g, '');
    var m = /^(\d+)(?:\.(\d*))?$/.exec(s);
    if (!m) return null;
    var frac = m[2] || '';
    if (frac.length > d) return null;
    var minor = Number(m[1]) * Math.pow(10, d) + Number((frac + '000').slice(0, d) || 0);
    return Number.isSafeInteger(minor) ? minor : null;
  }

  function formatDate(unix, locale) {
    if (unix == null) return '';
    try {
      return new Intl.DateTimeFormat(locale || undefined, { year: 'numeric', month: 'short', day: 'numeric' })
        .format(new Date(Number(unix) * 1000));
    } catch (e) {
      return new Date(Number(unix) * 1000).toISOString().slice(0, 10);
    }
  }

  function formatDateTime(unix, locale) {
    if (unix == null) return '';
    try {
      return new Intl.DateTimeFormat(locale || undefined, {
        year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit'
      }).format(new Date(Number(unix) * 1000));
    } catch (e) {
      return new Date(Number(unix) * 1000).toISOString();
    }
  }

  function kebab(name) {
    return String(name).replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  }

  /** Appearance variables → [[css custom property, value]] (numbers in px for sizes). */
  function appearanceVariables(appearance) {
    var vars = (appearance && appearance.variables) || {};
    var out = [];
    Object.keys(vars).forEach(function (k) {
      var v = vars[k];
      if (v == null || v === '') return;
      if (typeof v === 'number' && /(size|radius|spacing|width|padding|height)/i.test(k)) v = v + 'px';
      if (typeof v !== 'string' && typeof v !== 'number') return;
      var text = String(v);
      if (/[;{}<>]/.test(text)) return; // not a CSS value
      out.push(['--cjs-' + kebab(k), text]);
    });
    return out;
  }

  var STATUS_LABELS = {
    successful: 'Succeeded', refunded: 'Refunded', partially_refunded: 'Partially refunded',
    disputed: 'Disputed', failed: 'Failed', pending: 'Pending', uncaptured: 'Uncaptured',
    paid: 'Paid', in_transit: 'In transit', canceled: 'Canceled', succeeded: 'Succeeded',
    needs_response: 'Needs response', under_review: 'Under review', won: 'Won', lost: 'Lost',
    warning_needs_response: 'Inquiry: needs response', warning_under_review: 'Inquiry under review',
    warning_closed: 'Inquiry closed'
  };

  function statusLabel(status) {
    if (!status) return '';
    return STATUS_LABELS[status] || String(status).replace(/_/g, ' ').replace(/^./, function (c) { return c.toUpperCase(); });
  }

  function cap(s) { return String(s || '').replace(/^./, function (c) { return c.toUpperCase(); }); }

  function ordinal(n) {
    var s = ['th', 'st', 'nd', 'rd'];
    var v = n % 100;
    return n + (s[(v - 20) % 10] || s[v] || s[0]);
  }

  /** A payout schedule as a sentence. */
  function scheduleText(schedule) {
    if (!schedule || !schedule.interval) return 'Not set';
    var delay = schedule.delay_days != null ? ' (' + schedule.delay_days + '-day rolling delay)' : '';
    switch (schedule.interval) {
      case 'manual': return 'Manual payouts';
      case 'daily': return 'Daily' + delay;
      case 'weekly': return 'Weekly on ' + cap(schedule.weekly_anchor || 'monday') + delay;
      case 'monthly': return 'Monthly on the ' + ordinal(Number(schedule.monthly_anchor || 1)) + delay;
      default: return cap(schedule.interval) + delay;
    }
  }

  function toUnix(date) {
    if (date == null) return null;
    var t = date instanceof Date ? date.getTime() : new Date(date).getTime();
    return isNaN(t) ? null : Math.floor(t / 1000);
  }

  /**
   * Payments `setDefaultFilters` → query parameters of the emulator's payments list. Amounts are in
   * major units of `currency` (what a person types in the filter); dates are Dates.
   */
  function filtersToQuery(filters, currency) {
    var q = {};
    if (!filters) return q;
    if (Array.isArray(filters.status) && filters.status.length) q.status = filters.status.join(',');
    var toMinor = function (n) { return Math.round(Number(n) * Math.pow(10, decimalsFor(currency))); };
    var a = filters.amount;
    if (a) {
      if (a.equals != null) { q.amount_gte = toMinor(a.equals); q.amount_lte = toMinor(a.equals); }
      if (a.greaterThan != null) q.amount_gte = toMinor(a.greaterThan) + 1;
      if (a.lessThan != null) q.amount_lte = toMinor(a.lessThan) - 1;
      if (a.between) { q.amount_gte = toMinor(a.between.lowerBound); q.amount_lte = toMinor(a.between.upperBound); }
    }
    var d = filters.date;
    if (d) {
      if (d.before != null) q.created_lte = toUnix(d.before);
      if (d.after != null) q.created_gte = toUnix(d.after);
      if (d.between) { q.created_gte = toUnix(d.between.start); q.created_lte = toUnix(d.between.end); }
    }
    if (filters.paymentMethod) q.payment_method = filters.paymentMethod;
    Object.keys(q).forEach(function (k) { if (q[k] == null || (typeof q[k] === 'number' && isNaN(q[k]))) delete q[k]; });
    return q;
  }

  function queryString(q) {
    var parts = [];
    Object.keys(q || {}).forEach(function (k) {
      if (q[k] == null || q[k] === '') return;
      parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(String(q[k])));
    });
    return parts.length ? '?' + parts.join('&') : '';
  }

  /** `account-onboarding` → `account_onboarding` (the AccountSession component name). */
  function tagToComponent(tag) {
    return String(tag).replace(/^stripe-connect-/, '').replace(/-/g, '_');
  }

  /** Maps an HTTP answer of the emulator to Connect.js's EmbeddedError type. */
  function errorTypeFor(status) {
    if (status === 401) return 'authentication_error';
    if (status === 429) return 'rate_limit_error';
    if (status >= 500) return 'api_error';
    return 'invalid_request_error';
  }

  var helpers = {
    decimalsFor: decimalsFor, formatMoney: formatMoney, parseMoney: parseMoney, minorToInput: minorToInput,
    formatDate: formatDate, formatDateTime: formatDateTime, appearanceVariables: appearanceVariables,
    statusLabel: statusLabel, scheduleText: scheduleText, filtersToQuery: filtersToQuery,
    queryString: queryString, tagToComponent: tagToComponent, errorTypeFor: errorTypeFor
  };

  if (typeof module === 'object' && module && module.exports) module.exports = helpers;
  if (typeof window === 'undefined' || typeof document === 'undefined' || !window.customElements) return;

  // ---------------------------------------------------------------- browser part

  var scriptEl = document.currentScript || document.querySelector('script[src$="/v1.0/connect.js"]');
  var ORIGIN = scriptEl && scriptEl.src ? new URL(scriptEl.src, window.location.href).origin : window.location.origin;
  var API = ORIGIN + '/_connectjs/v1';

  var uidCounter = 0;
  function uid(prefix) { uidCounter += 1; return (prefix || 'cjs') + '-' + uidCounter; }

  function embeddedError(type, message, extra) {
    var e = new Error(message || type);
    e.type = type;
    if (extra) Object.keys(extra).forEach(function (k) { e[k] = extra[k]; });
    return e;
  }

  function isAbort(e) { return e && e.name === 'AbortError'; }

  function messageOf(e) { return (e && (e.message || String(e))) || 'Unknown error'; }

  /** Element builder: attributes, `on<event>` listeners (functions), children (nodes/strings). */
  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    attrs = attrs || {};
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v == null || v === false) return;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (k === 'value' && (tag === 'input' || tag === 'textarea')) { el.value = v; el.defaultValue = v; }
      else if (v === true) el.setAttribute(k, '');
      else el.setAttribute(k, String(v));
    });
    [].concat(children == null ? [] : children).forEach(function (c) {
      if (c == null || c === false) return;
      el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return el;
  }

  var CSS = [
    ':host{display:block}',
    ':host([hidden]){display:none}',
    '.root,dialog{--p:var(--cjs-color-primary,#635bff);--bg:var(--cjs-color-background,#ffffff);--tx:var(--cjs-color-text,#30313d);',
    '--tx2:var(--cjs-color-secondary-text,#6a7383);--bd:var(--cjs-color-border,#d5dbe1);--danger:var(--cjs-color-danger,#df1b41);',
    '--ok:var(--cjs-color-success,#1a7f37);--warn:var(--cjs-color-warning,#a15c07);--r:var(--cjs-border-radius,8px);--u:var(--cjs-spacing-unit,8px);',
    'font-family:var(--cjs-font-family,inherit);font-size:var(--cjs-font-size-base,14px);line-height:1.45;color:var(--tx);background:var(--bg)}',
    '.root{border:1px solid var(--bd);border-radius:var(--r);padding:calc(var(--u)*2);box-sizing:border-box}',
    '.root.empty{display:none}',
    '.root *,dialog *{box-sizing:border-box}',
    'h2{font-size:1.2em;margin:0 0 var(--u)}h3{font-size:1.05em;margin:calc(var(--u)*2) 0 var(--u)}',
    'p{margin:0 0 var(--u)}.muted{color:var(--tx2)}.hint{color:var(--tx2);font-size:.9em;margin:2px 0 var(--u)}',
    'section+section{margin-top:calc(var(--u)*2);padding-top:calc(var(--u)*2);border-top:1px solid var(--bd)}',
    'label{display:block;font-weight:600;margin:var(--u) 0 4px}',
    'label.check{display:flex;gap:var(--u);align-items:flex-start;font-weight:400}',
    'input,select,textarea{font:inherit;color:inherit;background:var(--bg);width:100%;padding:6px 8px;border:1px solid var(--bd);border-radius:calc(var(--r)/2)}',
    'input[type=checkbox],input[type=radio]{width:auto;margin-top:3px}',
    'input:focus,select:focus,textarea:focus,button:focus-visible{outline:2px solid var(--p);outline-offset:1px}',
    'button{font:inherit;cursor:pointer;border-radius:calc(var(--r)/2);padding:6px 14px;border:1px solid var(--p);background:var(--p);color:#fff;margin:var(--u) var(--u) 0 0}',
    'button.secondary{background:transparent;color:var(--p)}',
    'button.link{background:none;border:0;padding:0;margin:0;color:var(--p);text-decoration:underline;text-align:left}',
    'button.danger{background:var(--danger);border-color:var(--danger)}',
    'button[disabled]{opacity:.6;cursor:default}',
    'table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--bd);vertical-align:top}',
    'th{color:var(--tx2);font-weight:600;font-size:.9em}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}',
    'caption{text-align:left;font-weight:600;padding-bottom:var(--u)}',
    '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}',
    'dl{display:grid;grid-template-columns:minmax(8em,max-content) 1fr;gap:4px calc(var(--u)*2);margin:0}dt{color:var(--tx2)}dd{margin:0}',
    '.badge{display:inline-block;padding:0 8px;border-radius:999px;font-size:.85em;border:1px solid var(--bd)}',
    '.badge.successful,.badge.paid,.badge.won,.badge.succeeded{color:var(--ok);border-color:currentColor}',
    '.badge.failed,.badge.disputed,.badge.lost,.badge.needs_response,.badge.canceled{color:var(--danger);border-color:currentColor}',
    '.badge.refunded,.badge.partially_refunded,.badge.pending,.badge.in_transit,.badge.under_review{color:var(--warn);border-color:currentColor}',
    '.error{color:var(--danger)}.alert{border:1px solid var(--danger);border-radius:calc(var(--r)/2);padding:var(--u);margin:var(--u) 0;color:var(--danger)}',
    '.notice{border-left:4px solid var(--p);padding:var(--u) calc(var(--u)*1.5);margin:0 0 var(--u);background:var(--bg)}',
    '.notice.critical{border-left-color:var(--danger)}.notice.warning{border-left-color:var(--warn)}',
    '.amount{font-size:1.4em;font-weight:600}',
    '.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(10em,1fr));gap:calc(var(--u)*2)}',
    '.progress{color:var(--tx2);font-size:.9em}',
    '.loading{color:var(--tx2)}',
    'dialog{border:1px solid var(--bd);border-radius:var(--r);padding:0;max-width:min(640px,96vw);width:100%;color:var(--tx);background:var(--bg);',
    'font-family:var(--cjs-font-family,inherit);font-size:var(--cjs-font-size-base,14px)}',
    'dialog.drawer{margin:0 0 0 auto;height:100vh;max-height:100vh;border-radius:0}',
    'dialog::backdrop{background:rgba(0,0,0,.35)}',
    '.dialog-head{display:flex;justify-content:space-between;align-items:center;padding:calc(var(--u)*1.5) calc(var(--u)*2);border-bottom:1px solid var(--bd)}',
    '.dialog-head h2{margin:0}.dialog-head button{margin:0}',
    '.dialog-body{padding:calc(var(--u)*2)}'
  ].join('\n');

  var sharedSheet = null;
  function adoptStyles(root) {
    try {
      if (!sharedSheet) {
        sharedSheet = new CSSStyleSheet();
        sharedSheet.replaceSync(CSS);
      }
      root.adoptedStyleSheets = [sharedSheet];
    } catch (e) {
      // Browsers without constructable stylesheets: a <style> in the shadow root.
      root.appendChild(h('style', { text: CSS }));
    }
  }

  var loadedFonts = new Set();
  function loadFonts(fonts) {
    (Array.isArray(fonts) ? fonts : []).forEach(function (f) {
      if (!f) return;
      if (f.cssSrc) {
        if (loadedFonts.has(f.cssSrc)) return;
        loadedFonts.add(f.cssSrc);
        document.head.appendChild(h('link', { rel: 'stylesheet', href: f.cssSrc }));
      } else if (f.family && f.src && typeof FontFace === 'function') {
        var key = f.family + '|' + f.src + '|' + (f.weight || '') + '|' + (f.style || '');
        if (loadedFonts.has(key)) return;
        loadedFonts.add(key);
        try {
          var face = new FontFace(f.family, f.src, {
            weight: f.weight || 'normal', style: f.style || 'normal', display: f.display || 'auto',
            unicodeRange: f.unicodeRange || 'U+0-10FFFF'
          });
          face.load().then(function (loaded) { document.fonts.add(loaded); }, function () { /* font unavailable */ });
        } catch (e) { /* invalid descriptor */ }
      }
    });
  }

  // ---------------------------------------------------------------- the connector (one per init)

  function Connector(params) {
    this.fetchClientSecret = params.fetchClientSecret;
    this.appearance = params.appearance || {};
    this.locale = params.locale || undefined;
    this.elements = new Set();
    this.loggedOut = false;
    this.sessionInfo = null;
    this.secretPromise = null;
    var eager = params.metaOptions && params.metaOptions.eagerClientSecretPromise;
    if (eager && typeof eager.then === 'function') {
      // @stripe/connect-js already called fetchClientSecret once; use that answer.
      this.secretPromise = this._checkSecret(eager);
    } else {
      this.secretPromise = this._fetchSecret();
    }
    loadFonts(params.fonts);
  }

  Connector.prototype._checkSecret = function (promise) {
    var self = this;
    var p = Promise.resolve(promise).then(function (secret) {
      if (typeof secret !== 'string' || !secret) {
        throw embeddedError('account_session_create_error', 'fetchClientSecret did not return a client secret.');
      }
      return secret;
    }, function (e) {
      throw embeddedError('account_session_create_error', 'fetchClientSecret failed: ' + messageOf(e));
    });
    p.catch(function () { if (self.secretPromise === p) self.secretPromise = null; });
    return p;
  };

  Connector.prototype._fetchSecret = function () {
    var p;
    try { p = this.fetchClientSecret(); } catch (e) { p = Promise.reject(e); }
    return this._checkSecret(p);
  };

  Connector.prototype.secret = function () {
    if (!this.secretPromise) this.secretPromise = this._fetchSecret();
    return this.secretPromise;
  };

  /** A fresh secret after `stale` was refused; concurrent callers share one fetchClientSecret call. */
  Connector.prototype.refresh = function (stale) {
    var self = this;
    var renew = function () {
      self.sessionInfo = null;
      self.secretPromise = self._fetchSecret();
      return self.secretPromise;
    };
    return this.secret().then(function (current) {
      return current === stale ? renew() : current;
    }, renew);
  };

  Connector.prototype.request = function (method, path, opts) {
    opts = opts || {};
    var self = this;
    if (this.loggedOut) {
      return Promise.reject(embeddedError('authentication_error', 'This session was ended with logout().'));
    }
    var url = API + path + queryString(opts.query);
    var send = function (secret) {
      var init = {
        method: method, mode: 'cors', credentials: 'omit', cache: 'no-store', signal: opts.signal,
        headers: { Authorization: 'Bearer ' + secret }
      };
      if (opts.body !== undefined) {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(opts.body);
      }
      return fetch(url, init).then(function (resp) {
        return resp.text().then(function (text) {
          var data = null;
          try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
          return { status: resp.status, ok: resp.ok, data: data };
        });
      }, function (e) {
        if (isAbort(e)) throw e;
        throw embeddedError('api_connection_error', 'Could not reach the offline Stripe emulator: ' + messageOf(e));
      });
    };
    return this.secret().then(function (secret) {
      return send(secret).then(function (r) {
        if (r.status !== 401) return r;
        // Expired or unknown session: ask the platform for a new one, then retry once.
        return self.refresh(secret).then(send);
      });
    }).then(function (r) {
      if (r.ok) return r.data;
      var err = (r.data && r.data.error) || {};
      throw embeddedError(errorTypeFor(r.status), err.message || ('The request failed (' + r.status + ').'),
        { status: r.status, code: err.code });
    });
  };

  Connector.prototype.session = function () {
    var self = this;
    if (!this.sessionInfo) {
      this.sessionInfo = this.request('GET', '/session');
      this.sessionInfo.catch(function () { self.sessionInfo = null; });
    }
    return this.sessionInfo;
  };

  Connector.prototype.update = function (options) {
    options = options || {};
    var relocalize = false;
    if (options.appearance) this.appearance = options.appearance;
    if (options.locale !== undefined && options.locale !== this.locale) {
      this.locale = options.locale || undefined;
      relocalize = true;
    }
    if (options.fonts) loadFonts(options.fonts);
    this.elements.forEach(function (el) {
      el._restyle();
      if (relocalize) el.reload();
    });
  };

  Connector.prototype.logout = function () {
    var self = this;
    if (this.loggedOut) return Promise.resolve();
    var done = function () {
      self.loggedOut = true;
      self.secretPromise = null;
      self.sessionInfo = null;
      self.elements.forEach(function (el) { el._signedOut(); });
    };
    return this.request('POST', '/logout', { body: {} }).then(done, done);
  };

  // ---------------------------------------------------------------- elements

  var COMMON_SETTERS = {
    setOnLoadError: 'handler:onLoadError',
    setOnLoaderStart: 'handler:onLoaderStart'
  };

  class ConnectElement extends HTMLElement {
    constructor() {
      super();
      this._shadow = this.attachShadow({ mode: 'open' });
      adoptStyles(this._shadow);
      this._root = h('div', { class: 'root', part: 'root' });
      this._layer = h('div', { class: 'layer' });
      this._shadow.appendChild(this._root);
      this._shadow.appendChild(this._layer);
      this._connector = null;
      this._handlers = {};
      this._opts = {};
      this._abort = null;
      this._timers = new Set();
      this._dialogs = new Set();
      this._mounted = false;
      this._gen = 0;
    }

    get componentName() { return tagToComponent(this.localName); }

    setConnector(connector) {
      if (this._connector === connector) return;
      if (this._connector) this._connector.elements.delete(this);
      this._connector = connector;
      if (this.isConnected) this._mount();
    }

    connectedCallback() { if (this._connector) this._mount(); }

    disconnectedCallback() { this._unmount(); }

    _mount() {
      this._unmount();
      this._mounted = true;
      this._connector.elements.add(this);
      this._abort = typeof AbortController === 'function' ? new AbortController() : null;
      this._restyle();
      this._root.replaceChildren(h('p', { class: 'loading', role: 'status', 'aria-live': 'polite', text: 'Loading…' }));
      // Start after the setters @stripe/connect-js applies right after setConnector.
      this._later(function () {
        this._emit('onLoaderStart', { elementTagName: this.localName });
        this.reload();
        this._startPolling();
      }, 0);
    }

    _unmount() {
      if (this._abort) this._abort.abort();
      this._abort = null;
      this._timers.forEach(function (t) { clearTimeout(t); clearInterval(t); });
      this._timers.clear();
      this._dialogs.forEach(function (d) { d._silent = true; if (d.open) d.close(); d.remove(); });
      this._dialogs.clear();
      if (this._connector) this._connector.elements.delete(this);
      this._mounted = false;
      this._gen += 1;
    }

    _later(fn, ms) {
      var self = this;
      var t = setTimeout(function () { self._timers.delete(t); if (self._mounted) fn.call(self); }, ms);
      this._timers.add(t);
    }

    _every(fn, ms) {
      var self = this;
      var t = setInterval(function () { if (self._mounted) fn.call(self); }, ms);
      this._timers.add(t);
    }

    _startPolling() { /* components that refresh on their own override this */ }

    _restyle() {
      var style = this._root.style;
      var keep = [];
      for (var i = 0; i < style.length; i++) if (style[i].indexOf('--cjs-') === 0) keep.push(style[i]);
      keep.forEach(function (p) { style.removeProperty(p); });
      var appearance = (this._connector && this._connector.appearance) || {};
      appearanceVariables(appearance).forEach(function (pair) { style.setProperty(pair[0], pair[1]); });
      var locale = this._connector && this._connector.locale;
      if (locale) this._root.setAttribute('lang', locale); else this._root.removeAttribute('lang');
      var drawer = appearance.overlays === 'drawer';
      this._dialogs.forEach(function (d) { d.classList.toggle('drawer', drawer); });
    }

    get locale() { return (this._connector && this._connector.locale) || undefined; }

    money(minor, currency) { return formatMoney(minor, currency, this.locale); }

    date(unix) { return formatDate(unix, this.locale); }

    /** Loads (again): the subclass's `load(gen)` renders; failures go to onLoadError. */
    reload(quiet) {
      if (!this._mounted || !this._connector) return;
      var gen = ++this._gen;
      var self = this;
      if (this._connector.loggedOut) { this._signedOut(); return; }
      if (!quiet && !this._root.firstChild) {
        this._root.replaceChildren(h('p', { class: 'loading', role: 'status', text: 'Loading…' }));
      }
      Promise.resolve().then(function () { return self.load(gen, quiet); }).catch(function (err) {
        if (isAbort(err) || !self._alive(gen)) return;
        self._fail(err);
      });
    }

    _alive(gen) { return this._mounted && gen === this._gen; }

    _fail(err) {
      var type = err && err.type ? err.type : 'render_error';
      var message = messageOf(err);
      var self = this;
      this._root.classList.remove('empty');
      this._root.replaceChildren(h('div', { class: 'alert', role: 'alert' }, [
        h('p', { text: 'This content could not be loaded.' }),
        h('p', { class: 'muted', text: message }),
        h('button', { type: 'button', class: 'secondary', onclick: function () { self.reload(); } }, 'Try again')
      ]));
      this._emit('onLoadError', { elementTagName: this.localName, error: { type: type, message: message } });
    }

    _signedOut() {
      this._gen += 1;
      this._dialogs.forEach(function (d) { d._silent = true; if (d.open) d.close(); d.remove(); });
      this._dialogs.clear();
      this._root.classList.remove('empty');
      this._root.replaceChildren(h('p', { role: 'status', text: 'You have been signed out.' }));
    }

    _emit(name, payload) {
      var fn = this._handlers[name];
      if (typeof fn !== 'function') return;
      try { fn(payload); } catch (e) { setTimeout(function () { throw e; }, 0); }
    }

    _set(spec, value) {
      var parts = spec.split(':');
      if (parts[0] === 'handler') {
        this._handlers[parts[1]] = typeof value === 'function' ? value : undefined;
      } else {
        this._opts[parts[1]] = value;
        if (parts[2] === 'reload' && this._mounted) this.reload();
        if (parts[2] === 'render' && this._mounted && typeof this._optionChanged === 'function') this._optionChanged(parts[1]);
      }
    }

    /** A JSON API call on behalf of this component; aborted when the element leaves the page. */
    api(method, path, opts) {
      opts = opts || {};
      var query = Object.assign({}, opts.query || {}, { component: opts.component || this.componentName });
      return this._connector.request(method, path, {
        query: query, body: opts.body, signal: this._abort ? this._abort.signal : undefined
      });
    }

    render(nodes) {
      this._root.classList.remove('empty');
      this._root.replaceChildren.apply(this._root, [].concat(nodes).filter(Boolean));
    }

    /** Opens an overlay (dialog or drawer per appearance.overlays); returns {dialog, body, close}. */
    openDialog(title, onClosed) {
      var self = this;
      var id = uid('dlg');
      var drawer = this._connector && this._connector.appearance && this._connector.appearance.overlays === 'drawer';
      var body = h('div', { class: 'dialog-body' });
      var dialog = h('dialog', { class: drawer ? 'drawer' : 'modal', 'aria-labelledby': id });
      dialog.appendChild(h('div', { class: 'dialog-head' }, [
        h('h2', { id: id, text: title }),
        h('button', { type: 'button', class: 'secondary', 'aria-label': 'Close', onclick: function () { dialog.close(); } }, 'Close')
      ]));
      dialog.appendChild(body);
      dialog.addEventListener('close', function () {
        self._dialogs.delete(dialog);
        dialog.remove();
        if (!dialog._silent && typeof onClosed === 'function') onClosed();
      });
      // Appearance variables live on the root; copy them so the overlay matches.
      var style = this._root.style;
      for (var i = 0; i < style.length; i++) dialog.style.setProperty(style[i], style.getPropertyValue(style[i]));
      this._dialogs.add(dialog);
      this._layer.appendChild(dialog);
      if (typeof dialog.showModal === 'function') dialog.showModal(); else dialog.setAttribute('open', '');
      return { dialog: dialog, body: body, close: function () { if (dialog.open) dialog.close(); } };
    }
  }

  /**
   * The setters of a component, as the runtime offers them to @stripe/connect-js: only
   * `<name>InternalOnly` (src/init.ts `initStripeConnect` calls `this[method + "InternalOnly"]` and
   * throws when it is missing). `setters` must list exactly the loader's
   * ConnectElementCustomMethodConfig[tag]; sandbox/tests/js/browser-smoke.js compares the two.
   */
  function defineSetters(cls, setters) {
    var all = Object.assign({}, COMMON_SETTERS, setters || {});
    Object.keys(all).forEach(function (name) {
      cls.prototype[name + 'InternalOnly'] = function (value) { this._set(all[name], value); };
    });
  }

  // ---------------------------------------------------------------- shared UI pieces

  function busy(button, on) {
    if (!button) return;
    button.disabled = !!on;
    if (on) button.setAttribute('aria-busy', 'true'); else button.removeAttribute('aria-busy');
  }

  function alertBox(message) { return h('div', { class: 'alert', role: 'alert', text: message }); }

  function badge(status) { return h('span', { class: 'badge ' + status, text: statusLabel(status) }); }

  function dl(pairs) {
    var list = h('dl');
    pairs.forEach(function (p) {
      if (p == null) return;
      list.appendChild(h('dt', { text: p[0] }));
      list.appendChild(h('dd', {}, [p[1] == null || p[1] === '' ? '—' : p[1]]));
    });
    return list;
  }

  function table(caption, heads, rows, numeric) {
    numeric = numeric || [];
    return h('table', {}, [
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, heads.map(function (t, i) {
        return h('th', { scope: 'col', class: numeric.indexOf(i) >= 0 ? 'num' : null, text: t });
      }))),
      h('tbody', {}, rows.map(function (cells) {
        return h('tr', {}, cells.map(function (c, i) {
          return h('td', { class: numeric.indexOf(i) >= 0 ? 'num' : null }, [c]);
        }));
      }))
    ]);
  }

  function field(labelText, input, hint) {
    var id = input.id || uid('f');
    input.id = id;
    var nodes = [h('label', { for: id, text: labelText }), input];
    if (hint) {
      var hid = uid('hint');
      input.setAttribute('aria-describedby', hid);
      nodes.push(h('p', { class: 'hint', id: hid, text: hint }));
    }
    return nodes;
  }

  function select(name, options, value) {
    return h('select', { name: name }, options.map(function (o) {
      return h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label);
    }));
  }

  function externalText(e) {
    if (!e) return '—';
    var name = e.object === 'card' ? (e.brand || 'Card') : (e.bank_name || 'Bank account');
    return name + ' •••• ' + (e.last4 || '') + (e.currency ? ' (' + String(e.currency).toUpperCase() + ')' : '');
  }

  var BANK_TOKENS = [
    { value: 'btok_us_verified', label: 'STRIPE TEST BANK ••••6789 (btok_us_verified)' },
    { value: 'btok_us_verified_noAccount', label: 'Test account whose payouts fail ••••1116' },
    { value: 'tok_visa_debit', label: 'Visa debit card ••••5556 (tok_visa_debit)' }
  ];

  /** "Change payout account" form (needs external_account_collection). */
  function bankAccountForm(el, component, onDone) {
    var error = h('div');
    var sel = select('token', BANK_TOKENS, BANK_TOKENS[0].value);
    var submit = h('button', { type: 'submit' }, 'Save payout account');
    var form = h('form', {}, [].concat(
      field('New payout account (test)', sel, 'Test bank tokens of the offline Stripe emulator.'),
      [error, submit]
    ));
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      busy(submit, true);
      el.api('POST', '/external_accounts', { component: component, body: { token: sel.value } }).then(function () {
        onDone();
      }, function (e) {
        if (isAbort(e)) return;
        busy(submit, false);
        error.replaceChildren(alertBox(messageOf(e)));
      });
    });
    return form;
  }

  // ---------------------------------------------------------------- onboarding flow

  var STEP_ORDER = ['business_type', 'business_details', 'personal_details', 'representative', 'owners',
    'external_account', 'summary'];
  var STEP_TITLES = {
    business_type: 'Type of business', business_details: 'Business details', personal_details: 'Personal details',
    representative: 'Representative', owners: 'Business owners', external_account: 'Payout account',
    summary: 'Review and submit'
  };

  function collectionQuery(opts) {
    var o = opts || {};
    return {
      fields: o.fields === 'eventually_due' ? 'eventually_due' : 'currently_due',
      future_requirements: o.futureRequirements === 'include' ? 'include' : 'omit'
    };
  }

  /**
   * Renders the embedded onboarding form into `mount` from the emulator's onboarding state.
   * cfg: {component, query, skipTos, termsUrl, recipientTermsUrl, privacyUrl, onStep(step), onExit(), onComplete()}
   */
  function onboardingFlow(el, mount, data, cfg) {
    var gen = el._gen;
    var values = {};
    var inputs = (data.inputs || []).filter(function (i) { return !(cfg.skipTos && i.input === 'tos'); });
    inputs.forEach(function (i) { if (i.value != null && i.input !== 'tos' && i.input !== 'checkbox') values[i.name] = String(i.value); });
    var steps = STEP_ORDER.filter(function (s) {
      return s === 'summary' || inputs.some(function (i) { return i.step === s; });
    });
    var index = 0;
    var submitError = null;
    var errorsByReq = {};
    (data.errors || []).forEach(function (e) { errorsByReq[e.requirement] = e; });

    function show(i, announce) {
      if (el._gen !== gen && !cfg.dialog) return;
      index = i;
      var step = steps[index];
      if (announce !== false && typeof cfg.onStep === 'function') cfg.onStep(step);
      var headingId = uid('step');
      var heading = h('h2', { id: headingId, tabindex: '-1', text: STEP_TITLES[step] || step });
      var form = h('form', { 'aria-labelledby': headingId, novalidate: false });
      var errs = inputs.filter(function (x) { return x.step === step; })
        .map(function (x) { return errorsByReq[x.requirement] || errorsByReq[x.requirement + '.year']; })
        .filter(Boolean);
      if (index === 0 && (data.errors || []).length) {
        form.appendChild(h('div', { class: 'alert', role: 'alert' }, [
          h('p', { text: 'Some information could not be verified:' }),
          h('ul', {}, data.errors.map(function (e) { return h('li', { text: (e.label || e.requirement) + ': ' + e.reason }); }))
        ]));
      } else if (errs.length) {
        form.appendChild(h('div', { class: 'alert', role: 'alert' }, errs.map(function (e) {
          return h('p', { text: (e.label || e.requirement) + ': ' + e.reason });
        })));
      }
      if (step === 'summary') buildSummary(form); else buildStep(form, step);
      var nav = h('div', { class: 'nav' });
      if (index > 0) {
        nav.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () { save(form); show(index - 1); } }, 'Back'));
      }
      var primary = h('button', { type: 'submit' }, step === 'summary' ? 'Submit' : 'Continue');
      nav.appendChild(primary);
      nav.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () { cfg.onExit(); } }, 'Exit'));
      form.appendChild(nav);
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        if (!form.reportValidity()) return;
        save(form);
        if (step !== 'summary') { show(index + 1); return; }
        submit(primary);
      });
      mount.replaceChildren(h('p', { class: 'progress', text: 'Step ' + (index + 1) + ' of ' + steps.length }), heading, form);
      if (announce !== false) heading.focus();
    }

    function control(inp) {
      var value = values[inp.name] != null ? values[inp.name] : inp.value;
      if (inp.input === 'select') return select(inp.name, inp.options || [], value);
      if (inp.input === 'checkbox') {
        return h('input', { type: 'checkbox', name: inp.name, value: inp.value || 'true', checked: values[inp.name] !== '' });
      }
      return h('input', {
        type: inp.input === 'date' ? 'date' : inp.input, name: inp.name, value: value == null ? '' : String(value),
        required: inp.required !== false, autocomplete: inp.input === 'email' ? 'email' : (inp.input === 'tel' ? 'tel' : null)
      });
    }

    function buildStep(form, step) {
      inputs.filter(function (i) { return i.step === step; }).forEach(function (inp) {
        var c = control(inp);
        if (inp.input === 'checkbox') {
          form.appendChild(h('label', { class: 'check' }, [c, inp.label]));
        } else {
          field(inp.label, c, inp.hint).forEach(function (n) { form.appendChild(n); });
        }
      });
    }

    function buildSummary(form) {
      var pairs = inputs.filter(function (i) { return i.step !== 'summary'; }).map(function (i) {
        var v = values[i.name];
        if (i.input === 'select') {
          var o = (i.options || []).filter(function (x) { return String(x.value) === String(v); })[0];
          v = o ? o.label : v;
        }
        if (i.input === 'checkbox') v = values[i.name] === '' ? 'No' : 'Yes';
        if (/id_number|ssn_last_4|tax_id/.test(i.requirement) && v) v = '•••• provided';
        return [i.label, v];
      });
      if (pairs.length) form.appendChild(dl(pairs));
      else form.appendChild(h('p', { text: 'Nothing else is needed. Submit to confirm your details.' }));
      inputs.filter(function (i) { return i.input === 'tos'; }).forEach(function (i) {
        var box = h('input', { type: 'checkbox', name: 'tos', value: 'accepted', required: true, checked: values.tos === 'accepted' });
        var links = [h('a', { href: cfg.termsUrl || 'https://stripe.com/connect-account/legal/full', target: '_blank', rel: 'noopener' }, 'Stripe Connected Account Agreement')];
        if (cfg.recipientTermsUrl) links.push(' · ', h('a', { href: cfg.recipientTermsUrl, target: '_blank', rel: 'noopener' }, 'Recipient terms'));
        if (cfg.privacyUrl) links.push(' · ', h('a', { href: cfg.privacyUrl, target: '_blank', rel: 'noopener' }, 'Privacy policy'));
        form.appendChild(h('label', { class: 'check' }, [box, i.label]));
        form.appendChild(h('p', { class: 'hint' }, links));
      });
      if (data.asks_sms_code) {
        field('Verification code sent by SMS', h('input', { name: 'sms_code', value: values.sms_code || '000-000', required: true, inputmode: 'numeric', autocomplete: 'one-time-code' }),
          'Test code 000-000.').forEach(function (n) { form.appendChild(n); });
      }
      var fail = h('input', { type: 'checkbox', name: 'simulate_failure', value: '1', checked: values.simulate_failure === '1' });
      form.appendChild(h('fieldset', {}, [
        h('legend', { text: 'Testing' }),
        h('label', { class: 'check' }, [fail, 'Submit failing test data (date of birth 1900-01-01, ID number 111111111, address address_no_match) to produce verification errors'])
      ]));
      if (submitError) form.appendChild(alertBox(submitError));
    }

    function save(form) {
      Array.prototype.forEach.call(form.elements, function (c) {
        if (!c.name) return;
        if (c.type === 'checkbox') values[c.name] = c.checked ? c.value : '';
        else values[c.name] = c.value;
      });
    }

    function submit(button) {
      busy(button, true);
      var payload = {};
      Object.keys(values).forEach(function (k) { if (values[k] !== '' && values[k] != null) payload[k] = values[k]; });
      el.api('POST', '/onboarding', { component: cfg.component, query: cfg.query, body: { values: payload } }).then(function (next) {
        if ((next.due || []).length === 0 || (next.inputs || []).length === 0) {
          cfg.onComplete(next);
          return;
        }
        // Still due (e.g. verification failed): start over with what is left.
        onboardingFlow(el, mount, next, cfg);
      }, function (e) {
        if (isAbort(e)) return;
        submitError = messageOf(e);
        show(index, false);
      });
    }

    if (!inputs.length) {
      cfg.onComplete(data);
      return;
    }
    show(0);
  }

  function completeScreen(data, onDone, doneLabel) {
    var acct = data.account || {};
    return [
      h('h2', { text: 'Your information is complete' }),
      h('p', { role: 'status', text: acct.details_submitted ? 'Thanks — your details have been submitted.' : 'Nothing is needed right now.' }),
      dl([
        ['Payments', acct.charges_enabled ? 'Enabled' : 'Not enabled yet'],
        ['Payouts', acct.payouts_enabled ? 'Enabled' : 'Not enabled yet']
      ]),
      h('button', { type: 'button', onclick: onDone }, doneLabel || 'Done')
    ];
  }

  /** Opens the onboarding form for `component` in an overlay; `after` runs when it closes. */
  function openOnboardingDialog(el, component, collectionOptions, after) {
    var query = collectionQuery(collectionOptions);
    var d = el.openDialog('Update your information', after);
    d.body.replaceChildren(h('p', { class: 'loading', role: 'status', text: 'Loading…' }));
    el.api('GET', '/onboarding', { component: component, query: query }).then(function (data) {
      onboardingFlow(el, d.body, data, {
        component: component, query: query, dialog: true,
        onExit: d.close,
        onComplete: function (next) { d.body.replaceChildren.apply(d.body, completeScreen(next, d.close)); }
      });
    }, function (e) {
      if (!isAbort(e)) d.body.replaceChildren(alertBox(messageOf(e)));
    });
  }

  // ---------------------------------------------------------------- account-onboarding

  class AccountOnboarding extends ConnectElement {
    async load(gen) {
      var query = collectionQuery(this._opts.collectionOptions);
      var data = await this.api('GET', '/onboarding', { query: query });
      if (!this._alive(gen)) return;
      var self = this;
      var mount = h('div');
      this.render(mount);
      onboardingFlow(this, mount, data, {
        component: this.componentName, query: query,
        skipTos: this._opts.skipTermsOfServiceCollection === true,
        termsUrl: this._opts.fullTermsOfServiceUrl, recipientTermsUrl: this._opts.recipientTermsOfServiceUrl,
        privacyUrl: this._opts.privacyPolicyUrl,
        onStep: function (step) { self._emit('onStepChange', { step: step }); },
        onExit: function () { self._emit('onExit'); },
        onComplete: function (next) {
          mount.replaceChildren.apply(mount, completeScreen(next, function () { self._emit('onExit'); }));
        }
      });
    }
  }
  defineSetters(AccountOnboarding, {
    setOnExit: 'handler:onExit',
    setOnStepChange: 'handler:onStepChange',
    setCollectionOptions: 'option:collectionOptions:reload',
    setFullTermsOfServiceUrl: 'option:fullTermsOfServiceUrl:reload',
    setRecipientTermsOfServiceUrl: 'option:recipientTermsOfServiceUrl:reload',
    setPrivacyPolicyUrl: 'option:privacyPolicyUrl:reload',
    setSkipTermsOfServiceCollection: 'option:skipTermsOfServiceCollection:reload'
  });

  // ---------------------------------------------------------------- account-management

  var PROFILE_FIELDS = [
    ['name', 'Business name', 'text'], ['url', 'Business website', 'url'], ['support_email', 'Support email', 'email'],
    ['support_phone', 'Support phone', 'tel'], ['product_description', 'Product description', 'text']
  ];

  class AccountManagement extends ConnectElement {
    async load(gen) {
      var data = await this.api('GET', '/account');
      if (!this._alive(gen)) return;
      this._data = data;
      this._show(false);
    }

    _show(editing, error) {
      var self = this;
      var data = this._data;
      var bp = data.business_profile || {};
      var due = (data.requirements && data.requirements.currently_due) || [];
      var nodes = [h('h2', { text: 'Account settings' })];
      if (due.length) {
        nodes.push(h('div', { class: 'notice warning', role: 'status' }, [
          h('p', { text: 'More information is needed (' + due.length + ' item' + (due.length === 1 ? '' : 's') + ').' }),
          h('button', { type: 'button', onclick: function () {
            openOnboardingDialog(self, self.componentName, self._opts.collectionOptions, function () { self.reload(true); });
          } }, 'Update information')
        ]));
      }
      var business = h('section', { 'aria-labelledby': 'am-business' }, [h('h3', { id: 'am-business', text: 'Business details' })]);
      if (!editing) {
        business.appendChild(dl(PROFILE_FIELDS.map(function (f) { return [f[1], bp[f[0]]]; }).concat([['Account email', data.email]])));
        business.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () {
          self._emit('onSectionOpen', { sectionName: 'business_details' });
          self._show(true);
        } }, 'Edit business details'));
      } else {
        var form = h('form');
        PROFILE_FIELDS.forEach(function (f) {
          field(f[1], h('input', { type: f[2], name: f[0], value: bp[f[0]] || '' })).forEach(function (n) { form.appendChild(n); });
        });
        field('Account email', h('input', { type: 'email', name: 'email', value: data.email || '' })).forEach(function (n) { form.appendChild(n); });
        if (error) form.appendChild(alertBox(error));
        var save = h('button', { type: 'submit' }, 'Save');
        form.appendChild(save);
        form.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () { self._show(false); } }, 'Cancel'));
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          if (!form.reportValidity()) return;
          var profile = {};
          PROFILE_FIELDS.forEach(function (f) { profile[f[0]] = form.elements[f[0]].value.trim(); });
          busy(save, true);
          self.api('POST', '/account', { body: { email: form.elements.email.value.trim(), business_profile: profile } }).then(function (next) {
            self._data = next;
            self._show(false);
          }, function (e) {
            if (!isAbort(e)) self._show(true, messageOf(e));
          });
        });
        business.appendChild(form);
      }
      nodes.push(business);
      if ((data.details || []).length) {
        nodes.push(h('section', { 'aria-labelledby': 'am-details' }, [
          h('h3', { id: 'am-details', text: data.business_type === 'individual' ? 'Personal details' : 'Company and representative' }),
          dl(data.details.map(function (d) { return [d.label, d.value]; }))
        ]));
      }
      var payout = h('section', { 'aria-labelledby': 'am-payout' }, [h('h3', { id: 'am-payout', text: 'Payout account' })]);
      var ext = data.external_accounts || [];
      payout.appendChild(ext.length
        ? h('ul', {}, ext.map(function (e) { return h('li', { text: externalText(e) + (e.default ? ' — default' : '') }); }))
        : h('p', { class: 'muted', text: 'No payout account yet.' }));
      if (data.features && data.features.external_account_collection) {
        var holder = h('div');
        payout.appendChild(holder);
        holder.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () {
          holder.replaceChildren(bankAccountForm(self, self.componentName, function () { self.reload(true); }));
        } }, ext.length ? 'Change payout account' : 'Add payout account'));
      }
      nodes.push(payout);
      this.render(nodes);
    }
  }
  defineSetters(AccountManagement, {
    setCollectionOptions: 'option:collectionOptions:reload',
    setOnSectionOpen: 'handler:onSectionOpen'
  });

  // ---------------------------------------------------------------- notification-banner

  class NotificationBanner extends ConnectElement {
    _startPolling() { this._every(function () { this.reload(true); }, 30000); }

    async load(gen) {
      var self = this;
      var data = await this.api('GET', '/notifications', { query: collectionQuery(this._opts.collectionOptions) });
      if (!this._alive(gen)) return;
      var counts = { total: data.total, actionRequired: data.action_required };
      if (!this._lastCounts || this._lastCounts.total !== counts.total || this._lastCounts.actionRequired !== counts.actionRequired) {
        this._lastCounts = counts;
        this._emit('onNotificationsChange', counts);
      }
      if (!data.total) {
        this._root.replaceChildren();
        this._root.classList.add('empty');
        return;
      }
      var items = data.notifications.map(function (n) {
        var reqs = n.requirements || [];
        var shown = reqs.slice(0, 5).map(function (r) { return h('li', { text: r.label }); });
        if (reqs.length > 5) shown.push(h('li', { text: 'and ' + (reqs.length - 5) + ' more' }));
        return h('div', { class: 'notice ' + n.severity, role: n.severity === 'critical' ? 'alert' : null }, [
          h('p', {}, h('strong', { text: n.title })),
          n.description ? h('p', { text: n.description }) : null,
          n.deadline ? h('p', { class: 'muted', text: 'Due by ' + self.date(n.deadline) }) : null,
          shown.length ? h('ul', {}, shown) : null,
          n.action_required ? h('button', { type: 'button', onclick: function () {
            openOnboardingDialog(self, self.componentName, self._opts.collectionOptions, function () { self.reload(true); });
          } }, 'Resolve') : null
        ]);
      });
      this.render(h('section', { 'aria-label': 'Account notifications' }, items));
    }
  }
  defineSetters(NotificationBanner, {
    setCollectionOptions: 'option:collectionOptions:reload',
    setOnNotificationsChange: 'handler:onNotificationsChange'
  });

  // ---------------------------------------------------------------- payments

  function paymentDetailsView(el, mount, detail, component, onChanged) {
    var f = detail.features || {};
    var cur = detail.currency;
    var nodes = [
      h('p', { class: 'amount', text: el.money(detail.amount, cur) }),
      h('p', {}, badge(detail.status)),
      dl([
        ['Payment', detail.payment_intent || detail.id],
        ['Charge', detail.id],
        ['Date', formatDateTime(detail.created, el.locale)],
        ['Description', detail.description],
        ['Customer', [detail.customer && detail.customer.name, detail.customer && detail.customer.email].filter(Boolean).join(' · ')],
        ['Payment method', detail.payment_method ? cap(detail.payment_method.brand) + ' •••• ' + (detail.payment_method.last4 || '') : ''],
        ['Refunded', detail.amount_refunded ? el.money(detail.amount_refunded, cur) : null],
        ['Fees', detail.fee != null ? el.money(detail.fee, cur) : null],
        ['Net', detail.net != null ? el.money(detail.net, cur) : null],
        ['Application fee', detail.application_fee_amount != null ? el.money(detail.application_fee_amount, cur) : null],
        ['Statement descriptor', detail.statement_descriptor]
      ])
    ];
    if ((detail.refunds || []).length) {
      nodes.push(h('h3', { text: 'Refunds' }));
      nodes.push(table('Refunds', ['Amount', 'Status', 'Reason', 'Date'], detail.refunds.map(function (r) {
        return [el.money(r.amount, r.currency), badge(r.status), r.reason ? statusLabel(r.reason) : '—', el.date(r.created)];
      }), [0]));
    }
    var reload = function (next) { paymentDetailsView(el, mount, next, component, onChanged); if (onChanged) onChanged(); };
    (detail.disputes || []).forEach(function (d) {
      var box = h('section', { 'aria-label': 'Dispute' }, [
        h('h3', { text: 'Dispute' }),
        dl([['Amount', el.money(d.amount, d.currency)], ['Status', badge(d.status)], ['Reason', statusLabel(d.reason)],
          ['Respond by', d.evidence_due_by ? el.date(d.evidence_due_by) : null]])
      ]);
      if (f.dispute_management && (d.status === 'needs_response' || d.status === 'warning_needs_response')) {
        var err = h('div');
        var text = h('textarea', { name: 'evidence', rows: '3', required: true });
        var submitBtn = h('button', { type: 'submit' }, 'Submit evidence');
        var form = h('form', {}, field('Evidence for the card issuer', text).concat([err, submitBtn,
          h('button', { type: 'button', class: 'danger', onclick: function (ev) {
            busy(ev.currentTarget, true);
            el.api('POST', '/disputes/' + encodeURIComponent(d.id) + '/accept', { component: component }).then(reload, function (e) {
              if (!isAbort(e)) err.replaceChildren(alertBox(messageOf(e)));
            });
          } }, 'Accept dispute')]));
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          if (!form.reportValidity()) return;
          busy(submitBtn, true);
          el.api('POST', '/disputes/' + encodeURIComponent(d.id) + '/evidence', { component: component, body: { text: text.value } })
            .then(reload, function (e) { busy(submitBtn, false); if (!isAbort(e)) err.replaceChildren(alertBox(messageOf(e))); });
        });
        box.appendChild(form);
      }
      nodes.push(box);
    });
    if (f.refund_management && detail.refundable_amount > 0) {
      var holder = h('section', { 'aria-label': 'Refund' });
      holder.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () {
        var err = h('div');
        var amount = h('input', { name: 'amount', inputmode: 'decimal', required: true, value: minorToInput(detail.refundable_amount, cur) });
        var reason = select('reason', [
          { value: '', label: 'No reason' }, { value: 'requested_by_customer', label: 'Requested by customer' },
          { value: 'duplicate', label: 'Duplicate' }, { value: 'fraudulent', label: 'Fraudulent' }
        ], '');
        var go = h('button', { type: 'submit' }, 'Refund');
        var form = h('form', {}, [].concat(
          field('Refund amount (' + String(cur).toUpperCase() + ')', amount, 'At most ' + el.money(detail.refundable_amount, cur) + '.'),
          field('Reason', reason), [err, go]));
        form.addEventListener('submit', function (ev) {
          ev.preventDefault();
          var minor = parseMoney(amount.value, cur);
          if (minor == null || minor <= 0 || minor > detail.refundable_amount) {
            err.replaceChildren(alertBox('Enter an amount up to ' + el.money(detail.refundable_amount, cur) + '.'));
            return;
          }
          busy(go, true);
          el.api('POST', '/payments/' + encodeURIComponent(detail.id) + '/refunds', {
            component: component, body: { amount: minor, reason: reason.value || null }
          }).then(reload, function (e) { busy(go, false); if (!isAbort(e)) err.replaceChildren(alertBox(messageOf(e))); });
        });
        holder.replaceChildren(h('h3', { text: 'Refund this payment' }), form);
        amount.focus();
      } }, 'Refund payment'));
      nodes.push(holder);
    }
    mount.replaceChildren.apply(mount, nodes);
  }

  function openPaymentDialog(el, id, component, onClosed, onChanged) {
    var d = el.openDialog('Payment details', onClosed);
    d.body.replaceChildren(h('p', { class: 'loading', role: 'status', text: 'Loading…' }));
    return el.api('GET', '/payments/' + encodeURIComponent(id), { component: component }).then(function (detail) {
      paymentDetailsView(el, d.body, detail, component, onChanged);
      return d;
    }, function (e) {
      if (!isAbort(e)) d.body.replaceChildren(alertBox(messageOf(e)));
      throw e;
    });
  }

  var PAYMENT_STATUSES = ['successful', 'refunded', 'partially_refunded', 'disputed', 'failed', 'pending', 'uncaptured'];

  class Payments extends ConnectElement {
    async load(gen) {
      var filters = this._opts.defaultFilters || null;
      var currency = 'usd';
      if (filters && filters.amount) {
        var session = await this._connector.session();
        currency = session.account.default_currency;
      }
      if (this._status === undefined) this._status = filters && filters.status && filters.status.length === 1 ? filters.status[0] : '';
      var query = filtersToQuery(filters, currency);
      if (this._status) query.status = this._status;
      var page = await this.api('GET', '/payments', { query: query });
      if (!this._alive(gen)) return;
      this._rows = page.data;
      this._query = query;
      this._renderList(page.has_more);
    }

    _optionChanged() { this._status = undefined; this.reload(); }

    _renderList(hasMore) {
      var self = this;
      var statusSel = select('status', [{ value: '', label: 'All payments' }].concat(PAYMENT_STATUSES.map(function (s) {
        return { value: s, label: statusLabel(s) };
      })), this._status || '');
      statusSel.addEventListener('change', function () { self._status = statusSel.value; self.reload(true); });
      var nodes = [h('h2', { text: 'Payments' }), h('div', {}, field('Status', statusSel))];
      if (!this._rows.length) {
        nodes.push(h('p', { class: 'muted', role: 'status', text: 'No payments yet.' }));
      } else {
        nodes.push(table('Payments', ['Amount', 'Status', 'Description', 'Customer', 'Date'], this._rows.map(function (p) {
          return [
            h('button', { type: 'button', class: 'link', 'aria-label': 'View payment of ' + self.money(p.amount, p.currency), onclick: function () {
              openPaymentDialog(self, p.id, self.componentName, null, function () { self.reload(true); }).catch(function () {});
            } }, self.money(p.amount, p.currency)),
            badge(p.status), p.description || '—', (p.customer && (p.customer.email || p.customer.name)) || '—', self.date(p.created)
          ];
        }), [0]));
        if (hasMore) {
          nodes.push(h('button', { type: 'button', class: 'secondary', onclick: function (ev) {
            busy(ev.currentTarget, true);
            var q = Object.assign({}, self._query, { starting_after: self._rows[self._rows.length - 1].id });
            self.api('GET', '/payments', { query: q }).then(function (page) {
              self._rows = self._rows.concat(page.data);
              self._renderList(page.has_more);
            }, function (e) { if (!isAbort(e)) self._fail(e); });
          } }, 'Load more'));
        }
      }
      this.render(nodes);
    }
  }
  defineSetters(Payments, { setDefaultFilters: 'option:defaultFilters:render' });

  class PaymentDetails extends ConnectElement {
    async load(gen) {
      var self = this;
      this._dialogs.forEach(function (d) { d._silent = true; d.close(); });
      this._root.replaceChildren();
      this._root.classList.add('empty');
      var id = this._opts.payment;
      if (!id) return;
      await openPaymentDialog(this, id, this.componentName, function () { self._emit('onClose'); });
      if (!this._alive(gen)) return;
    }
  }
  defineSetters(PaymentDetails, { setPayment: 'option:payment:reload', setOnClose: 'handler:onClose' });

  // ---------------------------------------------------------------- balances and payouts

  function balancesSection(el, data) {
    var currencies = {};
    (data.available || []).forEach(function (b) { currencies[b.currency] = { available: b.amount, pending: 0 }; });
    (data.pending || []).forEach(function (b) {
      currencies[b.currency] = currencies[b.currency] || { available: 0, pending: 0 };
      currencies[b.currency].pending = b.amount;
    });
    var cards = Object.keys(currencies).sort(function (a, b) {
      return (a === data.default_currency ? -1 : 0) - (b === data.default_currency ? -1 : 0) || a.localeCompare(b);
    }).map(function (c) {
      return h('div', { class: 'balance' }, [
        h('p', { class: 'muted', text: 'Available (' + c.toUpperCase() + ')' }),
        h('p', { class: 'amount', text: el.money(currencies[c].available, c) }),
        h('p', { class: 'muted', text: 'Pending: ' + el.money(currencies[c].pending, c) })
      ]);
    });
    return h('section', { 'aria-label': 'Balance' }, [h('h3', { text: 'Balance' }), h('div', { class: 'grid' }, cards)]);
  }

  function payoutActions(el, data, done) {
    var f = data.features || {};
    var section = h('section', { 'aria-label': 'Pay out' });
    if (!f.standard_payouts && !f.instant_payouts) return null;
    if (!data.payouts_enabled) {
      section.appendChild(h('p', { class: 'muted', text: 'Payouts are not enabled for this account yet.' }));
      return section;
    }
    var cur = data.default_currency;
    var avail = ((data.available || []).filter(function (b) { return b.currency === cur; })[0] || {}).amount || 0;
    section.appendChild(h('button', { type: 'button', onclick: function () {
      var err = h('div');
      var amount = h('input', { name: 'amount', inputmode: 'decimal', required: true, value: minorToInput(Math.max(avail, 0), cur) });
      var methods = [];
      if (f.standard_payouts) methods.push({ value: 'standard', label: 'Standard (arrives in 2 days)' });
      if (f.instant_payouts) methods.push({ value: 'instant', label: 'Instant (arrives in about 30 minutes)' });
      var method = select('method', methods, methods[0].value);
      var go = h('button', { type: 'submit' }, 'Pay out');
      var form = h('form', {}, [].concat(
        field('Amount (' + cur.toUpperCase() + ')', amount, 'Available: ' + el.money(avail, cur) + '.'),
        field('Speed', method), [err, go,
          h('button', { type: 'button', class: 'secondary', onclick: function () { done(); } }, 'Cancel')]));
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        var minor = parseMoney(amount.value, cur);
        if (minor == null || minor <= 0) { err.replaceChildren(alertBox('Enter an amount to pay out.')); return; }
        busy(go, true);
        el.api('POST', '/payouts', { body: { amount: minor, currency: cur, method: method.value } }).then(function () { done(); },
          function (e) { busy(go, false); if (!isAbort(e)) err.replaceChildren(alertBox(messageOf(e))); });
      });
      section.replaceChildren(h('h3', { text: 'Pay out' }), form);
      amount.focus();
    } }, 'Pay out'));
    return section;
  }

  var WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

  function scheduleSection(el, data, done) {
    var f = data.features || {};
    var section = h('section', { 'aria-label': 'Payout schedule' }, [
      h('h3', { text: 'Payout schedule' }), h('p', { text: scheduleText(data.schedule) })
    ]);
    if (!f.edit_payout_schedule) return section;
    section.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () {
      var s = data.schedule || {};
      var err = h('div');
      var interval = select('interval', ['manual', 'daily', 'weekly', 'monthly'].map(function (v) { return { value: v, label: cap(v) }; }), s.interval || 'daily');
      var delay = h('input', { type: 'number', name: 'delay_days', min: String(data.minimum_delay_days || 0), max: '365', value: String(s.delay_days != null ? s.delay_days : data.minimum_delay_days) });
      var weekly = select('weekly_anchor', WEEKDAYS.map(function (v) { return { value: v, label: cap(v) }; }), s.weekly_anchor || 'monday');
      var monthly = h('input', { type: 'number', name: 'monthly_anchor', min: '1', max: '31', value: String(s.monthly_anchor || 1) });
      var weeklyBox = h('div', {}, field('Day of the week', weekly));
      var monthlyBox = h('div', {}, field('Day of the month', monthly));
      var delayBox = h('div', {}, field('Delay (days)', delay, 'At least ' + data.minimum_delay_days + ' days for this country.'));
      var sync = function () {
        weeklyBox.hidden = interval.value !== 'weekly';
        monthlyBox.hidden = interval.value !== 'monthly';
        delayBox.hidden = interval.value === 'manual';
      };
      interval.addEventListener('change', sync);
      var go = h('button', { type: 'submit' }, 'Save schedule');
      var form = h('form', {}, [].concat(field('Frequency', interval), [delayBox, weeklyBox, monthlyBox, err, go,
        h('button', { type: 'button', class: 'secondary', onclick: function () { done(); } }, 'Cancel')]));
      sync();
      form.addEventListener('submit', function (ev) {
        ev.preventDefault();
        if (!form.reportValidity()) return;
        var body = { interval: interval.value };
        if (interval.value !== 'manual') body.delay_days = delay.value;
        if (interval.value === 'weekly') body.weekly_anchor = weekly.value;
        if (interval.value === 'monthly') body.monthly_anchor = monthly.value;
        busy(go, true);
        el.api('POST', '/payout_schedule', { body: body }).then(function () { done(); },
          function (e) { busy(go, false); if (!isAbort(e)) err.replaceChildren(alertBox(messageOf(e))); });
      });
      section.replaceChildren(h('h3', { text: 'Payout schedule' }), form);
    } }, 'Edit schedule'));
    return section;
  }

  function payoutAccountSection(el, data, done) {
    var ext = (data.external_accounts || [])[0];
    var section = h('section', { 'aria-label': 'Payout account' }, [
      h('h3', { text: 'Payout account' }), h('p', { text: ext ? externalText(ext) : 'No payout account yet.' })
    ]);
    if (data.features && data.features.external_account_collection) {
      var holder = h('div');
      holder.appendChild(h('button', { type: 'button', class: 'secondary', onclick: function () {
        holder.replaceChildren(bankAccountForm(el, el.componentName, done));
      } }, ext ? 'Change payout account' : 'Add payout account'));
      section.appendChild(holder);
    }
    return section;
  }

  function payoutDetailsView(el, mount, p) {
    mount.replaceChildren(
      h('p', { class: 'amount', text: el.money(p.amount, p.currency) }),
      h('p', {}, badge(p.status)),
      dl([
        ['Payout', p.id], ['Created', formatDateTime(p.created, el.locale)],
        ['Expected arrival', el.date(p.arrival_date)], ['Method', cap(p.method)],
        ['Destination', externalText(p.destination)], ['Description', p.description],
        ['Failure', p.failure_message]
      ])
    );
  }

  function openPayoutDialog(el, id, component, onClosed) {
    var d = el.openDialog('Payout details', onClosed);
    d.body.replaceChildren(h('p', { class: 'loading', role: 'status', text: 'Loading…' }));
    return el.api('GET', '/payouts/' + encodeURIComponent(id), { component: component }).then(function (p) {
      payoutDetailsView(el, d.body, p);
    }, function (e) {
      if (!isAbort(e)) d.body.replaceChildren(alertBox(messageOf(e)));
    });
  }

  function payoutList(el, state, reloadList) {
    var rows = state.rows;
    if (!rows.length) return h('section', { 'aria-label': 'Payouts' }, [h('h3', { text: 'Payouts' }), h('p', { class: 'muted', role: 'status', text: 'No payouts yet.' })]);
    var nodes = [h('h3', { text: 'Payouts' }), table('Payouts', ['Amount', 'Status', 'Arrival', 'Destination'], rows.map(function (p) {
      return [
        h('button', { type: 'button', class: 'link', 'aria-label': 'View payout of ' + el.money(p.amount, p.currency), onclick: function () {
          openPayoutDialog(el, p.id, el.componentName);
        } }, el.money(p.amount, p.currency)),
        badge(p.status), el.date(p.arrival_date), externalText(p.destination)
      ];
    }), [0])];
    if (state.hasMore) {
      nodes.push(h('button', { type: 'button', class: 'secondary', onclick: function (ev) {
        busy(ev.currentTarget, true);
        el.api('GET', '/payouts', { query: { starting_after: rows[rows.length - 1].id } }).then(function (page) {
          state.rows = rows.concat(page.data);
          state.hasMore = page.has_more;
          reloadList();
        }, function (e) { if (!isAbort(e)) el._fail(e); });
      } }, 'Load more'));
    }
    return h('section', { 'aria-label': 'Payouts' }, nodes);
  }

  class Payouts extends ConnectElement {
    async load(gen) {
      var results = await Promise.all([this.api('GET', '/balances'), this.api('GET', '/payouts')]);
      if (!this._alive(gen)) return;
      var self = this;
      var data = results[0];
      var state = { rows: results[1].data, hasMore: results[1].has_more };
      var done = function () { self.reload(true); };
      var draw = function () {
        self.render([h('h2', { text: 'Payouts' }), balancesSection(self, data), payoutActions(self, data, done),
          scheduleSection(self, data, done), payoutAccountSection(self, data, done), payoutList(self, state, draw)]);
      };
      draw();
    }
  }
  defineSetters(Payouts, {});

  class PayoutsList extends ConnectElement {
    async load(gen) {
      var page = await this.api('GET', '/payouts');
      if (!this._alive(gen)) return;
      var self = this;
      var state = { rows: page.data, hasMore: page.has_more };
      var draw = function () { self.render(payoutList(self, state, draw)); };
      draw();
    }
  }
  defineSetters(PayoutsList, {});

  class PayoutDetails extends ConnectElement {
    async load(gen) {
      var self = this;
      this._dialogs.forEach(function (d) { d._silent = true; d.close(); });
      this._root.replaceChildren();
      this._root.classList.add('empty');
      if (!this._opts.payout || !this._alive(gen)) return;
      await openPayoutDialog(this, this._opts.payout, this.componentName, function () { self._emit('onClose'); });
    }
  }
  defineSetters(PayoutDetails, { setPayout: 'option:payout:reload', setOnClose: 'handler:onClose' });

  class Balances extends ConnectElement {
    async load(gen) {
      var data = await this.api('GET', '/balances');
      if (!this._alive(gen)) return;
      var self = this;
      var done = function () { self.reload(true); };
      this.render([h('h2', { text: 'Balances' }), balancesSection(this, data), payoutActions(this, data, done),
        scheduleSection(this, data, done)]);
    }
  }
  defineSetters(Balances, {});

  // ---------------------------------------------------------------- documents

  class Documents extends ConnectElement {
    async load(gen) {
      var page = await this.api('GET', '/documents');
      if (!this._alive(gen)) return;
      var self = this;
      var nodes = [h('h2', { text: 'Documents' })];
      if (!page.data.length) {
        nodes.push(h('p', { class: 'muted', role: 'status', text: 'No documents yet.' }));
      } else {
        nodes.push(table('Documents', ['Document', 'Date'], page.data.map(function (d) {
          return [d.url ? h('a', { href: d.url, target: '_blank', rel: 'noopener' }, d.title || d.id) : (d.title || d.id), self.date(d.created)];
        })));
      }
      this.render(nodes);
    }
  }
  defineSetters(Documents, {});

  // ---------------------------------------------------------------- components the emulator lacks

  var UNSUPPORTED = {
    'payment-disputes': { setPayment: 'option:payment', setOnDisputesLoaded: 'handler:onDisputesLoaded' },
    'disputes-list': {},
    'instant-payouts-promotion': { setOnInstantPayoutsPromotionLoaded: 'handler:onPromotionLoaded', setOnInstantPayoutCreated: 'handler:onInstantPayoutCreated' },
    'issuing-card': { setDefaultCard: 'option:defaultCard', setCardSwitching: 'option:cardSwitching', setFetchEphemeralKey: 'option:fetchEphemeralKey', setShowSpendControls: 'option:showSpendControls' },
    'issuing-cards-list': { setFetchEphemeralKey: 'option:fetchEphemeralKey', setShowSpendControls: 'option:showSpendControls', setIssuingProgram: 'option:issuingProgram' },
    'financial-account': { setFinancialAccount: 'option:financialAccount' },
    'financial-account-transactions': { setFinancialAccount: 'option:financialAccount' },
    'tax-registrations': { setOnAfterTaxRegistrationAdded: 'handler:a', setDisplayCountries: 'option:countries', setOnAfterTaxRegistrationExpired: 'handler:b' },
    'tax-settings': { setHideProductTaxCodeSelector: 'option:hide', setDisplayHeadOfficeCountries: 'option:countries', setOnTaxSettingsUpdated: 'handler:c' },
    'balance-report': {},
    'payout-reconciliation-report': { setOnReportAvailabilityLoaded: 'handler:d' }
  };

  function unsupportedClass() {
    return class extends ConnectElement {
      async load() {
        throw embeddedError('render_error', 'The ' + this.localName + ' component is not available in the offline Stripe emulator.');
      }
    };
  }

  var SUPPORTED = {
    'account-onboarding': AccountOnboarding,
    'account-management': AccountManagement,
    'notification-banner': NotificationBanner,
    payments: Payments,
    'payment-details': PaymentDetails,
    payouts: Payouts,
    'payouts-list': PayoutsList,
    'payout-details': PayoutDetails,
    balances: Balances,
    documents: Documents
  };

  var TAGS = {};
  Object.keys(SUPPORTED).forEach(function (t) { TAGS[t] = SUPPORTED[t]; });
  Object.keys(UNSUPPORTED).forEach(function (t) {
    var cls = unsupportedClass();
    defineSetters(cls, UNSUPPORTED[t]);
    TAGS[t] = cls;
  });
  Object.keys(TAGS).forEach(function (t) {
    var name = 'stripe-connect-' + t;
    if (!window.customElements.get(name)) window.customElements.define(name, TAGS[t]);
  });

  // ---------------------------------------------------------------- StripeConnect

  /** What each init was called with (no secrets): tests check the loader was the caller. */
  var inits = [];

  function init(params) {
    if (!params || typeof params.fetchClientSecret !== 'function') {
      throw new Error('StripeConnect.init: fetchClientSecret (a function returning a Promise of an AccountSession client secret) is required.');
    }
    if (typeof params.publishableKey !== 'string' || params.publishableKey.indexOf('pk_') !== 0) {
      throw new Error('StripeConnect.init: publishableKey must be a publishable key (pk_…).');
    }
    var meta = params.metaOptions || {};
    inits.push({
      sdk: meta.sdk === true,
      sdkVersion: (meta.sdkOptions && meta.sdkOptions.sdkVersion) || null,
      eagerClientSecret: !!(meta.eagerClientSecretPromise && typeof meta.eagerClientSecretPromise.then === 'function'),
      locale: params.locale || null
    });
    if (meta.sdk !== true) {
      // Stripe documents Connect.js only through its loader; the runtime's own init is not a promise.
      console.warn('StripeConnect.init was called without @stripe/connect-js (no metaOptions.sdk): use the loader.');
    }
    var connector = new Connector(params);
    return {
      connect: connector,
      update: function (options) { connector.update(options); },
      logout: function () { return connector.logout(); }
    };
  }

  var SC = window.StripeConnect && typeof window.StripeConnect === 'object' ? window.StripeConnect : {};
  SC.init = init;
  SC.offlineEmulator = true;
  SC.offlineEmulatorInits = inits;
  SC.helpers = helpers;
  window.StripeConnect = SC;
  if (typeof SC.onLoad === 'function') {
    try { SC.onLoad(); } catch (e) { setTimeout(function () { throw e; }, 0); }
  }
})();
