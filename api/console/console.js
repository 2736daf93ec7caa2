// The console's pages: each reads and changes the tenant through /v1 with
// the session cookie (and the CSRF token on changes), so the admin API's
// rules (roles, validation, audit) are the console's.
const app = document.getElementById("app");
const cfg = app.dataset;
const T = JSON.parse(document.getElementById("strings").textContent);
const content = document.getElementById("content");
const flash = document.getElementById("flash");
const admin = cfg.role === "admin";
const pageSize = 20;
// Dates are shown in the tenant's time zone, which its admins set.
let tz = cfg.timeZone;

/** t is the string key in the page's language, with {name} replaced from vars. */
function t(key, vars = {}) {
  return (T[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ""));
}

/** h makes an element; strings and numbers among children become text, never HTML. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

const svgNS = "http://www.w3.org/2000/svg";
function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(svgNS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : String(c));
  return el;
}

function fmtDate(iso) {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(cfg.lang, { timeZone: tz, dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}
function fmtNum(n) {
  return new Intl.NumberFormat(cfg.lang).format(n);
}

class APIError extends Error {
  constructor(status, problem) {
    const words = t(`status.${status}`) === `status.${status}` ? t("status.other", { status }) : t(`status.${status}`);
    const fields = (problem?.errors || []).map((e) => `${e.field}: ${e.reason}`).join("; ");
    super([words, problem?.detail, fields].filter(Boolean).join(" — "));
    this.status = status;
  }
}

/** api calls /v1/tenants/{tenant}{path}; it returns the JSON body and ETag or throws APIError. */
async function api(method, path, { body, headers = {} } = {}) {
  const hdr = { Accept: "application/json", ...headers };
  if (body !== undefined) hdr["Content-Type"] = "application/json";
  if (method !== "GET") hdr["X-CSRF-Token"] = cfg.csrf;
  let res;
  try {
    res = await fetch(`/v1/tenants/${encodeURIComponent(cfg.tenant)}${path}`, { method, headers: hdr, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  } catch {
    throw new APIError(0, { detail: t("error.network") });
  }
  if (res.status === 401) {
    location.assign("/console/");
  }
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) throw new APIError(res.status, data);
  return { data, etag: res.headers.get("ETag") };
}

function say(kind, text) {
  flash.replaceChildren(h("p", { class: kind }, text));
  if (kind === "error") flash.scrollIntoView({ block: "nearest" });
}
function clearFlash() {
  flash.replaceChildren();
}
/**
 * run calls fn and shows what failed in words; it returns fn's result or
 * undefined. A change (done given) replaces the last message; a read
 * leaves it be.
 */
async function run(fn, done) {
  if (done) clearFlash();
  try {
    const r = await fn();
    if (done) say("ok", done);
    return r;
  } catch (e) {
    say("error", e.message);
  }
}

function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, v);
  const str = q.toString();
  return str ? `?${str}` : "";
}

function table(headers, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.length ? rows : h("tr", {}, h("td", { colspan: headers.length }, t("empty")))));
}

/**
 * paged shows a list a page at a time: load(cursor) returns the API's
 * {items, next_cursor}; render(items) its table. Earlier cursors are kept
 * for the previous button.
 */
function paged(into, load, render) {
  const stack = [];
  let cursor = "";
  const body = h("div");
  const prev = h("button", { type: "button", class: "secondary", onclick: () => show(stack.pop()) }, t("pager.prev"));
  const next = h("button", { type: "button", class: "secondary" }, t("pager.next"));
  const where = h("span", { "aria-live": "polite" });
  into.replaceChildren(body, h("div", { class: "pager" }, prev, next, where));
  async function show(c) {
    const r = await run(() => load(c));
    if (!r) return;
    cursor = c;
    body.replaceChildren(render(r.items));
    prev.disabled = stack.length === 0;
    next.disabled = !r.next_cursor;
    next.onclick = () => {
      stack.push(cursor);
      show(r.next_cursor);
    };
    where.textContent = t("pager.number", { n: stack.length + 1 });
  }
  show("");
  return { reload: () => show(cursor) };
}

function field(label, input, help) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  const hid = help ? `${id}-help` : null;
  if (hid) input.setAttribute("aria-describedby", hid);
  return [h("label", { for: id }, label), h("div", {}, input, help ? h("p", { class: "help", id: hid }, help) : null)];
}

function select(name, values, current, labels = {}) {
  return h("select", { name }, values.map((v) => h("option", { value: v, selected: v === current }, labels[v] ?? v)));
}

function copyButton(text, label) {
  return h("button", { type: "button", class: "secondary", "aria-label": label, onclick: async () => {
    try {
      await navigator.clipboard.writeText(text);
      say("ok", t("copied"));
    } catch {
      say("error", t("error.copy"));
    }
  } }, t("copy"));
}

/** confirmDialog asks in a modal dialog; it resolves true when confirmed. */
function confirmDialog(text, action) {
  return new Promise((resolve) => {
    const d = h("dialog", { "aria-labelledby": "dialog-text" },
      h("p", { id: "dialog-text" }, text),
      h("form", { method: "dialog", class: "actions" },
        h("button", { value: "cancel", class: "secondary", autofocus: true }, t("cancel")),
        h("button", { value: "ok", class: "danger" }, action)));
    d.addEventListener("close", () => {
      resolve(d.returnValue === "ok");
      d.remove();
    });
    document.body.append(d);
    d.showModal();
  });
}

// ---- accounts ----

async function accountsPage() {
  const list = h("section");
  const parts = [];
  if (admin) parts.push(h("h2", {}, t("accounts.new")), accountForm(() => pager.reload()));
  parts.push(h("h2", {}, t("accounts.list")), list, h("div", { id: "account-detail" }));
  content.replaceChildren(...parts);
  const pager = paged(list, async (cursor) => (await api("GET", `/accounts${qs({ limit: pageSize, cursor })}`)).data, (items) =>
    table([t("account.appid"), t("account.name"), t("account.kind"), t("account.mode"), t("account.secret"), t("account.login_url"), ""], items.map((a) =>
      h("tr", {}, h("td", {}, h("code", {}, a.appid)), h("td", {}, a.name), h("td", {}, t(`kind.${a.kind}`)), h("td", {}, t(`mode.${a.mode}`)),
        h("td", {}, a.secret.set ? t("secret.set", { v: a.secret.version, at: fmtDate(a.secret.updated_at) }) : t("secret.unset")),
        h("td", {}, h("code", {}, a.login_url), " ", copyButton(a.login_url, t("copy.login_url", { appid: a.appid }))),
        h("td", {}, h("button", { type: "button", class: "secondary", onclick: () => accountDetail(a.appid, () => pager.reload()) }, t("open"), h("span", { class: "sr-only" }, ` ${a.appid}`)))))));
}

function accountForm(done) {
  const f = h("form", { class: "panel", id: "account-create" });
  const kind = select("kind", ["official", "website"], "official", { official: t("kind.official"), website: t("kind.website") });
  const scope = select("default_scope", ["snsapi_base", "snsapi_userinfo", "snsapi_login"], "snsapi_userinfo");
  f.append(
    ...field(t("account.appid"), h("input", { name: "appid", required: true, pattern: "wx[0-9a-f]{16}", autocomplete: "off" }), t("account.appid.help")),
    ...field(t("account.name"), h("input", { name: "name", required: true, maxlength: 200 })),
    ...field(t("account.kind"), kind),
    ...field(t("account.mode"), select("mode", ["sandbox", "live"], "sandbox", { sandbox: t("mode.sandbox"), live: t("mode.live") })),
    ...field(t("account.scope"), scope),
    ...field(t("account.redirect_uris"), h("textarea", { name: "redirect_uris", required: true }, cfg.tryUrl), t("account.redirect_uris.help")),
    ...field(t("account.open_platform"), h("input", { name: "open_platform_id", autocomplete: "off" })),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("create"))));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = new FormData(f);
    const body = { appid: v.get("appid"), name: v.get("name"), kind: v.get("kind"), mode: v.get("mode"), default_scope: v.get("default_scope"), redirect_uris: lines(v.get("redirect_uris")) };
    if (v.get("open_platform_id")) body.open_platform_id = v.get("open_platform_id");
    const r = await run(() => api("POST", "/accounts", { body }), t("account.created", { appid: body.appid }));
    if (r) {
      f.reset();
      done();
      accountDetail(body.appid, done);
    }
  });
  return f;
}

function lines(text) {
  return text.split(/\s+/).map((x) => x.trim()).filter(Boolean);
}

async function accountDetail(appid, changed) {
  const box = document.getElementById("account-detail");
  const r = await run(() => api("GET", `/accounts/${appid}`));
  if (!r) return;
  const a = r.data;
  const sec = h("section", { class: "panel", "aria-labelledby": "detail-title" },
    h("h2", { id: "detail-title", tabindex: "-1" }, t("account.detail", { appid: a.appid, name: a.name })),
    h("p", {}, t("account.login_url"), ": ", h("code", {}, a.login_url), " ", copyButton(a.login_url, t("copy.login_url", { appid: a.appid }))),
    h("p", { id: "secret-status" }, t("account.secret"), ": ", a.secret.set ? t("secret.set", { v: a.secret.version, at: fmtDate(a.secret.updated_at) }) : t("secret.unset")));
  if (admin) sec.append(editForm(a, r.etag, changed), secretForm(a, changed));
  sec.append(tryBox(a));
  box.replaceChildren(sec);
  sec.querySelector("h2").focus();
}

function editForm(a, etag, changed) {
  const f = h("form", { class: "panel", id: "account-edit" });
  f.append(
    h("h3", {}, t("account.edit")),
    h("span"),
    ...field(t("account.name"), h("input", { name: "name", value: a.name, required: true, maxlength: 200 })),
    ...field(t("account.mode"), select("mode", ["sandbox", "live"], a.mode, { sandbox: t("mode.sandbox"), live: t("mode.live") })),
    ...field(t("account.redirect_uris"), h("textarea", { name: "redirect_uris", required: true }, a.redirect_uris.join("\n")), t("account.redirect_uris.help")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, t("save"))));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = new FormData(f);
    const body = { name: v.get("name"), mode: v.get("mode"), redirect_uris: lines(v.get("redirect_uris")) };
    const r = await run(() => api("PATCH", `/accounts/${a.appid}`, { body, headers: { "If-Match": etag } }), t("saved"));
    if (r) {
      changed();
      accountDetail(a.appid, changed);
    }
  });
  return f;
}

function secretForm(a, changed) {
  const f = h("form", { class: "panel", id: "account-secret" });
  f.append(
    h("h3", {}, a.secret.set ? t("secret.rotate") : t("secret.put")),
    h("span"),
    ...field(t("secret.value"), h("input", { name: "app_secret", type: "password", required: true, autocomplete: "new-password", spellcheck: "false" }), t("secret.help")),
    h("div", { class: "actions" }, h("button", { type: "submit" }, a.secret.set ? t("secret.rotate") : t("secret.put"))));
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const value = new FormData(f).get("app_secret");
    f.reset();
    const r = await run(() => api("PUT", `/accounts/${a.appid}/secret`, { body: { app_secret: value } }), t("secret.saved"));
    if (r) {
      changed();
      accountDetail(a.appid, changed);
    }
  });
  return f;
}

function tryBox(a) {
  const box = h("div", { class: "panel" }, h("h3", {}, t("try.title")));
  if (a.mode !== "sandbox") {
    box.append(h("p", { class: "help" }, t("try.live")));
  } else if (!a.redirect_uris.includes(cfg.tryUrl)) {
    box.append(h("p", { class: "help" }, t("try.allowlist", { uri: cfg.tryUrl })));
  } else {
    box.append(h("p", { class: "help" }, t("try.help")),
      h("button", { type: "button", id: "try-login", onclick: async () => {
        const { WxLogin } = await import("/sdk/wxlogin.js");
        await new WxLogin({ issuer: cfg.issuer, appid: a.appid, redirectUri: cfg.tryUrl }).login({ scope: a.default_scope });
      } }, t("try.button")));
  }
  return box;
}

async function tryPage() {
  const { WxLogin } = await import("/sdk/wxlogin.js");
  // complete() checks the token's audience against the AppId the login
  // was started with, which it kept; the constructor's is not used.
  const wx = new WxLogin({ issuer: cfg.issuer, appid: "try", redirectUri: cfg.tryUrl });
  const result = await run(() => wx.complete());
  const back = h("p", {}, h("a", { href: "/console/accounts" }, t("try.back")));
  if (!result) {
    content.replaceChildren(h("p", {}, t("try.none")), back);
    return;
  }
  const c = result.claims;
  const shown = ["sub", "openid", "unionid", "appid", "aud", "iss", "scope", "nickname", "iat", "exp"];
  content.replaceChildren(
    h("p", { role: "status" }, t("try.ok")),
    h("dl", { class: "claims", id: "claims" }, shown.filter((k) => c[k] !== undefined).map((k) => [h("dt", {}, k), h("dd", { "data-claim": k }, String(c[k]))])),
    h("p", {}, h("a", { href: `/console/identities?openid=${encodeURIComponent(c.openid)}` }, t("try.identity"))),
    back);
}

// ---- identities and persons ----

const identityFilters = ["nickname", "openid", "unionid", "appid"];

function identitiesPage() {
  const params = new URLSearchParams(location.search);
  const by = identityFilters.find((k) => params.has(k));
  const f = h("form", { class: "inline", role: "search" },
    h("label", {}, t("search.by"), select("by", identityFilters, by || "nickname", { nickname: t("identity.nickname"), openid: "openid", unionid: "unionid", appid: "AppID" })),
    h("label", {}, t("search.value"), h("input", { name: "q", value: by ? params.get(by) : "", autocomplete: "off" })),
    h("button", { type: "submit" }, t("search")));
  const list = h("section");
  content.replaceChildren(f, h("p", { class: "help" }, t("search.help")), list);
  const show = (filter) => paged(list, async (cursor) => (await api("GET", `/identities${qs({ ...filter, limit: pageSize, cursor })}`)).data, (items) =>
    table([t("identity.appid"), "openid", "unionid", t("identity.nickname"), t("identity.logins"), t("identity.first"), t("identity.last")], items.map((i) =>
      h("tr", {}, h("td", {}, h("code", {}, i.appid)), h("td", {}, h("code", {}, i.openid)),
        h("td", {}, i.unionid ? h("a", { href: `/console/persons?unionid=${encodeURIComponent(i.unionid)}` }, h("code", {}, i.unionid)) : "—"),
        h("td", {}, i.nickname || "—"), h("td", {}, fmtNum(i.login_count)), h("td", {}, fmtDate(i.first_login_at)), h("td", {}, fmtDate(i.last_login_at))))));
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = new FormData(f);
    const q = v.get("q").trim();
    const filter = q ? { [v.get("by")]: q } : {};
    history.replaceState(null, "", `/console/identities${qs(filter)}`);
    show(filter);
  });
  show(by ? { [by]: params.get(by) } : {});
}

function personsPage() {
  const params = new URLSearchParams(location.search);
  const f = h("form", { class: "inline", role: "search" },
    h("label", {}, "unionid", h("input", { name: "unionid", value: params.get("unionid") || "", autocomplete: "off" })),
    h("button", { type: "submit" }, t("search")));
  const list = h("section");
  content.replaceChildren(f, list);
  const render = (items) => table(["unionid", t("person.accounts"), t("identity.logins"), t("identity.first"), t("identity.last"), ""], items.map((p) =>
    h("tr", {}, h("td", {}, h("code", {}, p.unionid)),
      h("td", {}, h("ul", {}, p.accounts.map((a) => h("li", {}, h("code", {}, a.appid), " · ", h("a", { href: `/console/identities?openid=${encodeURIComponent(a.openid)}` }, h("code", {}, a.openid)))))),
      h("td", {}, fmtNum(p.logins)), h("td", {}, fmtDate(p.first_login_at)), h("td", {}, fmtDate(p.last_login_at)),
      h("td", {}, admin ? h("button", { type: "button", class: "danger", onclick: () => erase(p.unionid, () => search(f)) }, t("person.erase"), h("span", { class: "sr-only" }, ` ${p.unionid}`)) : null))));
  function search(form) {
    const u = new FormData(form).get("unionid").trim();
    if (!u) {
      paged(list, async (cursor) => (await api("GET", `/reports/persons${qs({ limit: pageSize, cursor })}`)).data, render);
      return;
    }
    paged(list, async () => {
      try {
        return { items: [(await api("GET", `/reports/persons/${encodeURIComponent(u)}`)).data] };
      } catch (e) {
        if (e.status === 404) return { items: [] }; // no such person: an empty result, not an error
        throw e;
      }
    }, render);
  }
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    search(f);
  });
  search(f);
}

async function erase(unionid, done) {
  if (!(await confirmDialog(t("person.erase.confirm", { unionid }), t("person.erase")))) return;
  const r = await run(() => api("DELETE", `/persons/${encodeURIComponent(unionid)}`));
  if (r) {
    say("ok", t("person.erased", { n: r.data.identities_erased, e: r.data.login_events_erased }));
    done();
  }
}

// ---- reports ----

/** zonedMidnight is the instant a yyyy-mm-dd day starts in the time zone. */
function zonedMidnight(day) {
  const [y, m, d] = day.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d);
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
    .formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
  const asUTC = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return new Date(guess - (asUTC - guess)).toISOString();
}
function today(offsetDays = 0) {
  const d = new Date(Date.now() + offsetDays * 86400000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: tz }).format(d);
}

function reportsPage() {
  const f = h("form", { class: "inline", id: "report-window" },
    h("label", {}, t("report.from"), h("input", { type: "date", name: "from", value: today(-29), required: true })),
    h("label", {}, t("report.to"), h("input", { type: "date", name: "to", value: today(), required: true })),
    h("label", {}, t("report.interval"), select("interval", ["day", "week", "month"], "day", { day: t("interval.day"), week: t("interval.week"), month: t("interval.month") })),
    h("button", { type: "submit" }, t("report.show")));
  const out = h("div");
  content.replaceChildren(f, out);
  const show = async () => {
    const v = new FormData(f);
    const from = zonedMidnight(v.get("from"));
    const to = zonedMidnight(new Date(Date.parse(v.get("to")) + 86400000).toISOString().slice(0, 10));
    const r = await run(() => Promise.all([
      api("GET", `/reports/summary${qs({ from, to })}`),
      api("GET", "/reports/overlap"),
      api("GET", `/reports/activity${qs({ from, to, interval: v.get("interval"), time_zone: tz })}`),
      api("GET", "/reports/accounts-without-unionid"),
    ]));
    if (!r) return;
    const [sum, overlap, activity, missing] = r.map((x) => x.data);
    out.replaceChildren(summaryCards(sum), h("h2", {}, t("report.per_account")), summaryTable(sum),
      h("h2", { id: "overlap-title" }, t("report.overlap")), heatMap(overlap),
      h("h2", { id: "activity-title" }, t("report.activity")), lineChart(activity),
      h("h2", {}, t("report.missing")), missing.appids.length ? h("ul", { id: "missing-unionid" }, missing.appids.map((a) => h("li", {}, h("code", {}, a)))) : h("p", { id: "missing-unionid" }, t("report.missing.none")));
  };
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    show();
  });
  f.interval.addEventListener("change", show);
  show();
}

function summaryCards(sum) {
  const s = sum.total;
  const coverage = s.identities ? Math.round((s.with_unionid / s.identities) * 1000) / 10 : 0;
  const card = (key, n, extra) => h("div", { class: "card", "data-card": key }, h("div", { class: "n" }, n), h("div", { class: "l" }, t(`report.${key}`)), extra ? h("div", { class: "help" }, extra) : null);
  return h("div", { class: "cards" },
    card("identities", fmtNum(s.identities)),
    card("persons", fmtNum(s.persons)),
    card("coverage", `${coverage}%`, t("report.coverage.of", { n: fmtNum(s.with_unionid), all: fmtNum(s.identities) })),
    card("logins", fmtNum(s.logins)),
    card("active_persons", fmtNum(s.active_persons)));
}

function summaryTable(sum) {
  return table([t("identity.appid"), t("report.identities"), t("report.with_unionid"), t("report.without_unionid"), t("report.persons"), t("report.logins"), t("report.active_persons")],
    sum.accounts.map((a) => h("tr", {}, h("td", {}, h("code", {}, a.appid)), [a.identities, a.with_unionid, a.without_unionid, a.persons, a.logins, a.active_persons].map((n) => h("td", {}, fmtNum(n))))));
}

/** heatMap draws persons shared by each pair of accounts; the diagonal is an account's persons. */
function heatMap(o) {
  const n = o.appids.length;
  if (!n) return h("p", {}, t("empty"));
  const cell = 56, left = 150, top = 130;
  const max = Math.max(1, ...o.both.flat());
  const svg = s("svg", { width: left + n * cell + top, height: top + n * cell + 10, role: "img", "aria-labelledby": "overlap-title overlap-desc", id: "overlap" },
    s("desc", { id: "overlap-desc" }, t("report.overlap.desc")));
  o.appids.forEach((a, i) => {
    svg.append(s("text", { x: left - 6, y: top + i * cell + cell / 2 + 4, "text-anchor": "end" }, a));
    svg.append(s("text", { x: left + i * cell + cell / 2, y: top - 6, transform: `rotate(-45 ${left + i * cell + cell / 2} ${top - 6})` }, a));
    o.appids.forEach((b, j) => {
      const v = o.both[i][j];
      const k = v / max;
      const light = Math.round(96 - k * 62);
      const g = s("g", {}, s("title", {}, t("report.overlap.cell", { a, b, n: v })),
        s("rect", { x: left + j * cell, y: top + i * cell, width: cell - 2, height: cell - 2, fill: `hsl(212 80% ${light}%)` }),
        s("text", { x: left + j * cell + cell / 2 - 1, y: top + i * cell + cell / 2 + 4, "text-anchor": "middle", fill: light < 55 ? "#fff" : "#1d2129", "data-cell": `${i},${j}` }, fmtNum(v)));
      svg.append(g);
    });
  });
  return h("div", { class: "chart" }, svg);
}

/** lineChart draws the tenant's activity: logins, active and new persons per bucket. */
function lineChart(act) {
  const b = act.total.buckets;
  if (!b.length) return h("p", {}, t("empty"));
  const series = [["logins", "#0b5cad"], ["active_persons", "#d4380d"], ["new_persons", "#1a7f45"]];
  const W = 800, H = 260, L = 50, B = 40, R = 50, TOP = 10;
  const max = Math.max(1, ...b.flatMap((x) => series.map(([k]) => x[k])));
  const x = (i) => L + (b.length === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (b.length - 1));
  const y = (v) => TOP + (H - TOP - B) * (1 - v / max);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "img", "aria-labelledby": "activity-title activity-desc", id: "activity" },
    s("desc", { id: "activity-desc" }, t("report.activity.desc", { n: b.length })));
  for (let k = 0; k <= 4; k++) {
    const v = Math.round((max * k) / 4);
    svg.append(s("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: "#e5e6eb" }), s("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end" }, fmtNum(v)));
  }
  const step = Math.ceil(b.length / 8);
  const label = new Intl.DateTimeFormat(cfg.lang, { timeZone: tz, month: "short", day: "numeric", year: act.interval === "month" ? "numeric" : undefined });
  b.forEach((bucket, i) => {
    if (i % step === 0) svg.append(s("text", { x: x(i), y: H - B + 18, "text-anchor": "middle" }, label.format(new Date(bucket.start))));
  });
  series.forEach(([k, color]) => {
    svg.append(s("polyline", { points: b.map((v, i) => `${x(i)},${y(v[k])}`).join(" "), fill: "none", stroke: color, "stroke-width": 2 }));
    b.forEach((v, i) => svg.append(s("circle", { cx: x(i), cy: y(v[k]), r: 3, fill: color }, s("title", {}, `${t(`report.${k}`)} ${label.format(new Date(v.start))}: ${v[k]}`))));
  });
  const totals = Object.fromEntries(series.map(([k]) => [k, b.reduce((n, v) => n + v[k], 0)]));
  return h("div", { class: "chart" }, h("div", { class: "legend" }, series.map(([k], i) => h("span", { class: `s${i}`, "data-total": k }, `${t(`report.${k}`)} (${fmtNum(totals[k])})`))), svg);
}

// ---- API keys, WeChat members, signing keys, audit events, settings ----

function apiKeysPage() {
  const list = h("section");
  const parts = [];
  if (admin) {
    const f = h("form", { class: "panel", id: "apikey-create" });
    f.append(...field(t("apikey.name"), h("input", { name: "name", required: true, maxlength: 200 })),
      ...field(t("apikey.role"), select("role", ["viewer", "admin"], "viewer", { viewer: t("role.viewer"), admin: t("role.admin") })),
      ...field(t("apikey.expires"), h("input", { name: "expires", type: "date" }), t("apikey.expires.help")),
      h("div", { class: "actions" }, h("button", { type: "submit" }, t("create"))));
    const shown = h("div", { id: "apikey-new", "aria-live": "polite" });
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const v = new FormData(f);
      const body = { name: v.get("name"), role: v.get("role") };
      if (v.get("expires")) body.expires_at = zonedMidnight(v.get("expires"));
      const r = await run(() => api("POST", "/api-keys", { body }), t("apikey.created"));
      if (!r) return;
      f.reset();
      shown.replaceChildren(h("p", {}, t("apikey.once")), h("p", {}, h("code", { id: "apikey-value" }, r.data.key), " ", copyButton(r.data.key, t("copy"))));
      pager.reload();
    });
    parts.push(h("h2", {}, t("apikey.new")), f, shown);
  }
  content.replaceChildren(...parts, h("h2", {}, t("apikey.list")), list);
  const pager = paged(list, async (cursor) => (await api("GET", `/api-keys${qs({ limit: pageSize, cursor })}`)).data, (items) =>
    table([t("apikey.name"), t("apikey.role"), t("created"), t("apikey.expires"), t("apikey.last_used"), t("apikey.revoked"), ""], items.map((k) =>
      h("tr", {}, h("td", {}, k.name), h("td", {}, t(`role.${k.role}`)), h("td", {}, fmtDate(k.created_at)), h("td", {}, fmtDate(k.expires_at)),
        h("td", {}, fmtDate(k.last_used_at)), h("td", {}, fmtDate(k.revoked_at)),
        h("td", {}, admin && !k.revoked_at ? h("button", { type: "button", class: "danger", onclick: async () => {
          if (!(await confirmDialog(t("apikey.revoke.confirm", { name: k.name }), t("apikey.revoke")))) return;
          if (await run(() => api("DELETE", `/api-keys/${k.id}`), t("apikey.revoked.done"))) pager.reload();
        } }, t("apikey.revoke"), h("span", { class: "sr-only" }, ` ${k.name}`)) : null)))));
}

function bindingsPage() {
  const list = h("section");
  const parts = [h("p", { class: "help" }, t("binding.help"))];
  if (admin) {
    const f = h("form", { class: "panel", id: "binding-create" });
    f.append(...field(t("binding.name"), h("input", { name: "name", required: true, maxlength: 200 }), t("binding.name.help")),
      ...field(t("binding.by"), select("by", ["unionid", "openid"], "unionid")),
      ...field(t("binding.value"), h("input", { name: "id", required: true, maxlength: 128, pattern: "[0-9A-Za-z_\\-]+", autocomplete: "off", spellcheck: "false" })),
      ...field(t("apikey.role"), select("role", ["viewer", "admin"], "viewer", { viewer: t("role.viewer"), admin: t("role.admin") })),
      h("div", { class: "actions" }, h("button", { type: "submit" }, t("create"))));
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const v = new FormData(f);
      const body = { name: v.get("name"), role: v.get("role"), [v.get("by")]: v.get("id").trim() };
      if (await run(() => api("POST", "/console-bindings", { body }), t("binding.created", { name: body.name }))) {
        f.reset();
        pager.reload();
      }
    });
    parts.push(h("h2", {}, t("binding.new")), f);
  }
  content.replaceChildren(...parts, h("h2", {}, t("binding.list")), list);
  const pager = paged(list, async (cursor) => (await api("GET", `/console-bindings${qs({ limit: pageSize, cursor })}`)).data, (items) =>
    table([t("binding.name"), t("apikey.role"), t("binding.by"), t("created"), ""], items.map((b) =>
      h("tr", {}, h("td", {}, b.name), h("td", {}, t(`role.${b.role}`)),
        h("td", {}, b.unionid ? ["unionid ", h("code", {}, b.unionid)] : ["openid ", h("code", {}, b.openid)]), h("td", {}, fmtDate(b.created_at)),
        h("td", {}, admin ? h("button", { type: "button", class: "danger", onclick: async () => {
          if (!(await confirmDialog(t("binding.revoke.confirm", { name: b.name }), t("binding.revoke")))) return;
          if (await run(() => api("DELETE", `/console-bindings/${b.id}`), t("binding.revoked.done"))) pager.reload();
        } }, t("binding.revoke"), h("span", { class: "sr-only" }, ` ${b.name}`)) : null)))));
}

async function signingKeysPage() {
  const list = h("section");
  const load = async () => {
    const r = await run(() => api("GET", "/signing-keys"));
    if (!r) return;
    list.replaceChildren(table(["kid", "alg", t("key.state"), t("created"), t("key.retired_at"), ""], r.data.items.map((k) =>
      h("tr", {}, h("td", {}, h("code", {}, k.kid)), h("td", {}, k.alg), h("td", {}, t(`key.${k.state}`)), h("td", {}, fmtDate(k.created_at)), h("td", {}, fmtDate(k.retired_at)),
        h("td", {}, admin && k.state === "passive" ? h("button", { type: "button", class: "danger", onclick: async () => {
          if (!(await confirmDialog(t("key.retire.confirm", { kid: k.kid }), t("key.retire")))) return;
          if (await run(() => api("DELETE", `/signing-keys/${k.kid}`), t("key.retired.done"))) load();
        } }, t("key.retire")) : null)))));
  };
  const parts = [h("p", { class: "help" }, t("key.help"))];
  if (admin) parts.push(h("p", {}, h("button", { type: "button", id: "key-rotate", onclick: async () => {
    if (await run(() => api("POST", "/signing-keys"), t("key.rotated"))) load();
  } }, t("key.rotate"))));
  content.replaceChildren(...parts, list);
  load();
}

/** actor says who made an audited change: an API key, or a person signed in with WeChat. */
function actor(e) {
  if (e.actor_binding_id) return t("audit.actor.binding", { id: e.actor_binding_id });
  if (e.actor_key_id) return t("audit.actor.key", { id: e.actor_key_id });
  return "—";
}

const auditActions = ["", "api_key.create", "api_key.revoke", "console_binding.create", "console_binding.delete", "account.create", "account.update", "account.delete", "app_secret.put", "client_secret.create",
  "client_secret.revoke", "identity.delete", "person.erase", "signing_key.rotate", "signing_key.retire", "tenant.update"];

function auditPage() {
  const f = h("form", { class: "inline", role: "search" },
    h("label", {}, t("audit.action"), select("action", auditActions, "", { "": t("audit.any") })),
    h("button", { type: "submit" }, t("search")));
  const list = h("section");
  content.replaceChildren(f, list);
  const show = () => paged(list, async (cursor) => (await api("GET", `/audit-events${qs({ action: new FormData(f).get("action"), limit: pageSize, cursor })}`)).data, (items) =>
    table([t("audit.at"), t("audit.action"), t("audit.target"), t("audit.actor"), t("audit.ip"), t("audit.request")], items.map((e) =>
      h("tr", {}, h("td", {}, fmtDate(e.at)), h("td", {}, h("code", {}, e.action)), h("td", {}, h("code", {}, e.target)), h("td", {}, actor(e)),
        h("td", {}, e.source_ip), h("td", {}, h("code", {}, e.request_id))))));
  f.addEventListener("submit", (ev) => {
    ev.preventDefault();
    show();
  });
  show();
}

/** timeZones are the IANA zones the browser knows, the tenant's among them. */
function timeZones(current) {
  const all = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  return [...new Set([current, "UTC", ...all])].sort();
}

async function settingsPage() {
  const r = await run(() => api("GET", ""));
  if (!r) return;
  let { data: tenant, etag } = r;
  const f = h("form", { class: "panel", id: "tenant-settings" });
  const render = () => {
    f.replaceChildren(
      ...field(t("settings.id"), h("input", { name: "id", value: tenant.id, readonly: true })),
      ...field(t("settings.name"), h("input", { name: "name", value: tenant.name, required: true, maxlength: 200, disabled: !admin })),
      ...field(t("settings.tz"), select("time_zone", timeZones(tenant.time_zone), tenant.time_zone), t("settings.tz.help")),
      ...field(t("created"), h("input", { name: "created", value: fmtDate(tenant.created_at), readonly: true })),
      admin ? h("div", { class: "actions" }, h("button", { type: "submit" }, t("save"))) : h("p", { class: "help actions" }, t("settings.readonly")));
    f.time_zone.disabled = !admin;
  };
  f.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const v = new FormData(f);
    const saved = await run(() => api("PATCH", "", { body: { name: v.get("name"), time_zone: v.get("time_zone") }, headers: { "If-Match": etag } }), t("saved"));
    if (!saved) return;
    ({ data: tenant, etag } = saved);
    tz = tenant.time_zone;
    document.getElementById("tz").textContent = tz;
    document.getElementById("tenant").textContent = tenant.name;
    render();
  });
  render();
  content.replaceChildren(f);
}

// ---- start ----

const pages = { accounts: accountsPage, identities: identitiesPage, persons: personsPage, reports: reportsPage, "api-keys": apiKeysPage,
  "console-bindings": bindingsPage, "signing-keys": signingKeysPage, "audit-events": auditPage, settings: settingsPage, try: tryPage };
pages[cfg.page]();
