// The tenant admin console in headless Chromium: an admin of tenant acme
// signs in with an API key, creates a sandbox account, sets its AppSecret,
// tries its login through the sandbox's WeChat pages, finds the identity
// (by nickname too) and the person, and reads the reports, whose numbers
// must be the admin API's; a viewer sees but cannot change anything; an
// admin of another tenant sees none of acme's data. People sign in with
// WeChat through the demo tenant's hosted login: unbound, they are refused
// and shown their ids, which admins bind in the console; a bound admin sets
// the tenant's time zone, and dates follow it; a bound viewer cannot
// change anything; a person bound to two tenants chooses; revoking a
// binding ends its session. Screenshots of every page go to
// $WXLOGIN_SCREENSHOTS.
//
// Run by cmd/wxlogin's TestConsole (`node --test console.spec.js`), which
// starts `wxlogin demo`, creates the tenants and keys and sets WXLOGIN_URL,
// WXLOGIN_SCREENSHOTS, WXLOGIN_TENANT, WXLOGIN_ADMIN_KEY,
// WXLOGIN_VIEWER_KEY and WXLOGIN_OTHER_ADMIN_KEY.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Browsers, wechatUA } from "./chromium.js";

const base = process.env.WXLOGIN_URL;
const shots = process.env.WXLOGIN_SCREENSHOTS;
const tenant = process.env.WXLOGIN_TENANT;
const adminKey = process.env.WXLOGIN_ADMIN_KEY;
const viewerKey = process.env.WXLOGIN_VIEWER_KEY;
const otherAdminKey = process.env.WXLOGIN_OTHER_ADMIN_KEY;

const appid = "wxc0501e0000000a01";
const appSecret = "console-test-app-secret-7f3a";
const browsers = new Browsers();
let page;
let claims;
const consoleErrors = [];

// launch starts Chromium as WeChat's browser (so that the sandbox login
// runs in WeChat's pages) and collects the errors its pages log.
async function launch() {
  const p = await browsers.page(wechatUA, { width: 1280, height: 900 });
  p.setDefaultTimeout(15000);
  // Scripts blocked by the CSP, or failing, show here; answers refused on
  // purpose (403 to a viewer) are not errors of the console.
  p.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) consoleErrors.push(m.text());
  });
  p.on("pageerror", (e) => consoleErrors.push(e.message));
  return p;
}

before(async () => {
  for (const [k, v] of Object.entries({ base, shots, tenant, adminKey, viewerKey, otherAdminKey })) assert.ok(v, `${k} is not set`);
  await mkdir(shots, { recursive: true });
  page = await launch();
});

after(() => browsers.close());

async function shot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// api calls the admin API with an API key, as a tenant's program would.
async function api(key, p) {
  const res = await fetch(`${base}/v1/tenants/${tenant}${p}`, { headers: { Authorization: `Bearer ${key}` } });
  assert.equal(res.status, 200, `GET ${p}: ${res.status}`);
  return res.json();
}

const keyButton = "form[action='/console/signin'] button";

async function signIn(key) {
  await page.goto(`${base}/console/`);
  await page.fill("#key", key);
  await page.click(keyButton);
  await page.waitForURL((u) => u.pathname === "/console/accounts");
  await page.waitForSelector("#content table");
}

async function signOut() {
  await page.click("form.signout button");
  await page.waitForSelector("#key");
}

// unlabelled lists the page's form controls that have no accessible name.
async function unlabelled() {
  return page.$$eval("input:not([type=hidden]), select, textarea", (els) =>
    els.filter((e) => e.labels.length === 0 && !e.getAttribute("aria-label")).map((e) => e.outerHTML));
}

async function flash() {
  await page.waitForSelector("#flash p");
  return (await page.textContent("#flash p")).trim();
}

test("sign-in refuses a wrong key in words and takes a good one; the key stays out of the browser", async () => {
  await page.goto(`${base}/console/`);
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  await shot("console-01-signin");
  await page.fill("#key", "wxk_not-a-key");
  await page.click(keyButton);
  assert.match((await page.textContent("#signin-error")).trim(), /API 密钥无效/);
  await signIn(adminKey);
  const cookies = await page.context().cookies(base);
  const session = cookies.find((c) => c.name === "wxlogin-console");
  assert.ok(session?.httpOnly, "the session cookie is not HttpOnly");
  assert.equal(session.sameSite, "Strict");
  assert.ok(!cookies.some((c) => c.value.includes(adminKey)), "a cookie holds the API key");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(adminKey), "web storage holds the API key");
  await shot("console-02-accounts-empty");
  // The first load of a console page: the page, its script and style
  // sheet, and the API answers they read.
  const load = await page.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const bytes = performance.getEntriesByType("resource").reduce((n, r) => n + r.transferSize, nav.transferSize);
    return { bytes, ms: Math.round(nav.loadEventEnd) };
  });
  console.log(`first load of /console/accounts: ${load.bytes} bytes in ${load.ms} ms`);
  assert.ok(load.bytes < 300 * 1024, `the first load is ${load.bytes} bytes`);
});

test("an admin creates a sandbox account, sets its AppSecret and tries its login", async () => {
  await page.fill("#account-create [name=appid]", appid);
  await page.fill("#account-create [name=name]", "控制台测试号");
  await page.fill("#account-create [name=open_platform_id]", "console-open");
  await page.selectOption("#account-create [name=mode]", "sandbox");
  await page.click("#account-create button[type=submit]");
  assert.match(await flash(), new RegExp(`已创建 ${appid}`));
  await page.waitForSelector("#account-secret");
  assert.match(await page.textContent("#secret-status"), /未设置/);
  await page.fill("#account-secret [name=app_secret]", appSecret);
  await page.click("#account-secret button[type=submit]");
  assert.match(await flash(), /AppSecret 已保存/);
  await page.waitForFunction(() => /第 1 版/.test(document.querySelector("#secret-status")?.textContent));
  assert.ok(!(await page.content()).includes(appSecret), "the page shows the AppSecret");
  assert.equal(await page.inputValue("#account-secret [name=app_secret]"), "", "the AppSecret field kept its value");
  assert.deepEqual(await unlabelled(), []);
  await shot("console-03-account-created");

  // Another redirect URI, sent with the account's ETag.
  await page.fill("#account-edit [name=redirect_uris]", `${base}/console/try\nhttps://shop.example/wechat/callback`);
  await page.click("#account-edit button[type=submit]");
  assert.match(await flash(), /已保存/);
  await page.waitForFunction(() => document.querySelector("#account-edit [name=redirect_uris]")?.value.includes("shop.example"));

  await page.click("#try-login");
  await page.waitForSelector("button[name=user][value=alice]");
  await shot("console-04-try-choose-user");
  await page.click("button[name=user][value=alice]");
  await page.waitForSelector("button[name=decision][value=allow]");
  await page.click("button[name=decision][value=allow]");
  await page.waitForURL((u) => u.pathname === "/console/try");
  await page.waitForSelector("#claims");
  await shot("console-05-try-claims");
  claims = Object.fromEntries(await page.$$eval("#claims dd", (dds) => dds.map((d) => [d.dataset.claim, d.textContent])));
  assert.equal(claims.appid, appid);
  assert.equal(claims.iss, `${base}/t/${tenant}`);
  assert.match(claims.openid, /^o\S{20,}$/);
  assert.match(claims.unionid, /^o\S{20,}$/);
  assert.doesNotMatch(page.url(), /[?&](code|state)=/, "the code stayed in the address bar");
});

test("the identity and the person appear, searchable", async () => {
  await page.click("text=查看这个身份");
  await page.waitForURL((u) => u.pathname === "/console/identities");
  await page.waitForSelector("#content tbody tr td code");
  const rows = await page.$$eval("#content tbody tr", (trs) => trs.map((tr) => tr.textContent));
  assert.equal(rows.length, 1, `identities shown: ${rows}`);
  assert.ok(rows[0].includes(claims.openid) && rows[0].includes(claims.unionid));
  await shot("console-06-identities");

  // By the start of the nickname (alice is 爱丽丝 in the sandbox).
  await page.selectOption("[name=by]", "nickname");
  await page.fill("[name=q]", "爱丽");
  await page.click("form[role=search] button");
  await page.waitForFunction(() => new URLSearchParams(location.search).get("nickname") === "爱丽");
  await page.waitForFunction((o) => document.querySelector("#content tbody")?.textContent.includes(o), claims.openid);
  assert.match(await page.textContent("#content tbody"), /爱丽丝/);
  await shot("console-06b-identities-nickname");
  await page.fill("[name=q]", "丽");
  await page.click("form[role=search] button");
  await page.waitForFunction(() => /暂无数据/.test(document.querySelector("#content tbody")?.textContent));
  const found = await api(adminKey, `/identities?nickname=${encodeURIComponent("丽")}`);
  assert.equal(found.items.length, 0, "a nickname matched by its middle");

  await page.click("nav.menu >> text=用户");
  await page.fill("[name=unionid]", claims.unionid);
  await page.click("form[role=search] button");
  await page.waitForFunction((u) => document.querySelector("#content tbody")?.textContent.includes(u), claims.unionid);
  assert.ok((await page.textContent("#content tbody")).includes(appid));
  await shot("console-07-persons");
});

test("the reports show the numbers the admin API reports", async () => {
  await page.click("nav.menu >> text=报表");
  await page.waitForSelector("#overlap");
  await page.waitForSelector("#activity");
  const from = await page.$eval("[name=from]", (e) => e.value);
  const to = await page.$eval("[name=to]", (e) => e.value);
  const offset = "+08:00"; // Asia/Shanghai, the console's default zone
  const end = new Date(Date.parse(`${to}T00:00:00${offset}`) + 86400000).toISOString();
  const sum = await api(adminKey, `/reports/summary?from=${encodeURIComponent(`${from}T00:00:00${offset}`)}&to=${encodeURIComponent(end)}`);
  assert.equal(sum.total.identities, 1);
  const card = async (k) => (await page.textContent(`[data-card=${k}] .n`)).trim();
  assert.equal(await card("identities"), String(sum.total.identities));
  assert.equal(await card("persons"), String(sum.total.persons));
  assert.equal(await card("logins"), String(sum.total.logins));
  assert.equal(await card("active_persons"), String(sum.total.active_persons));
  assert.equal(await card("coverage"), "100%");
  const overlap = await api(adminKey, "/reports/overlap");
  assert.equal(await page.textContent("[data-cell='0,0']"), String(overlap.both[0][0]));
  assert.deepEqual(await unlabelled(), []);
  await shot("console-08-reports");
  await page.selectOption("[name=interval]", "week");
  await page.waitForFunction(() => document.querySelector("#activity-desc"));
  await shot("console-09-reports-week");
});

test("the other pages list keys and the audit log", async () => {
  await page.click("nav.menu >> text=API 密钥");
  await page.waitForSelector("#content tbody tr");
  await shot("console-10-api-keys");
  await page.click("nav.menu >> text=签名密钥");
  await page.waitForSelector("#content tbody tr");
  await shot("console-11-signing-keys");
  await page.click("nav.menu >> text=审计日志");
  await page.waitForFunction(() => document.querySelector("#content tbody")?.textContent.includes("app_secret.put"));
  assert.ok(!(await page.content()).includes(appSecret));
  await shot("console-12-audit-events");
  await page.click("a[lang=en]");
  await page.waitForSelector("#content tbody tr");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.match(await page.textContent("h1"), /Audit events/);
  await shot("console-13-audit-events-en");
  await page.click("a[lang=zh-CN]");
  await signOut();
});

test("a viewer sees the account but cannot change anything", async () => {
  await signIn(viewerKey);
  assert.ok((await page.textContent("#content tbody")).includes(appid));
  assert.equal(await page.$("#account-create"), null, "a viewer gets the create form");
  await page.click(`#content tbody button:has-text("查看")`);
  await page.waitForSelector("#secret-status");
  assert.equal(await page.$("#account-secret"), null, "a viewer gets the AppSecret form");
  assert.equal(await page.$("#account-edit"), null, "a viewer gets the edit form");
  await shot("console-14-viewer-account");
  // Even a change made by hand from the console's page is refused.
  const status = await page.evaluate(async ([t, a]) => {
    const csrf = document.getElementById("app").dataset.csrf;
    const r = await fetch(`/v1/tenants/${t}/accounts/${a}/secret`, { method: "PUT", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify({ app_secret: "x" }) });
    return r.status;
  }, [tenant, appid]);
  assert.equal(status, 403);
  await page.click("nav.menu >> text=用户");
  await page.waitForSelector("#content tbody tr");
  assert.equal(await page.$("#content button.danger"), null, "a viewer may erase a person");
  await signOut();
});

test("an admin of another tenant sees none of the first tenant's data", async () => {
  await signIn(otherAdminKey);
  assert.ok(!(await page.content()).includes(appid));
  await shot("console-15-other-tenant");
  await page.click("nav.menu >> text=身份");
  await page.waitForSelector("#content tbody");
  assert.ok(!(await page.textContent("#content")).includes(claims.openid));
  const status = await page.evaluate(async (t) => (await fetch(`/v1/tenants/${t}/identities`)).status, tenant);
  assert.equal(status, 403);
  await signOut();
});

// ---- sign-in with WeChat ----

// people are the WeChat users of these tests, each in a browser of their
// own, with the ids their refusal showed.
const people = {};
// dateStyle is how the console formats dates.
const dateStyle = { dateStyle: "medium", timeStyle: "short" };

/** wechatSignIn runs "微信登录" as user through the sandbox and waits to be back at the console. */
async function wechatSignIn(p, user) {
  await p.goto(`${base}/console/`);
  await p.click("#wechat-signin");
  await p.waitForSelector("button[name=decision][value=allow], [name=custom]");
  if (await p.$("[name=custom]")) {
    await p.fill("[name=custom]", user);
    await p.click("button[name=user][value='']");
    await p.waitForSelector("button[name=decision][value=allow]");
  }
  await p.click("button[name=decision][value=allow]");
  await p.waitForURL((u) => u.pathname.startsWith("/console/"));
}

/** signedInAs waits for the console's pages after a sign-in that went through. */
async function signedInAs(p, path) {
  await p.waitForURL((u) => u.pathname === path);
  await p.waitForSelector(path === "/console/choose" ? "form.choices" : "#content");
}

test("an unbound WeChat user is refused in words and shown the ids to hand to an admin", async () => {
  for (const user of ["erin", "frank", "gina"]) {
    const p = await launch();
    await wechatSignIn(p, user);
    assert.equal(new URL(p.url()).pathname, "/console/wechat/callback");
    assert.match((await p.textContent("#signin-error")).trim(), /没有绑定任何租户的控制台/);
    people[user] = { page: p, unionid: (await p.textContent("#person-unionid")).trim(), openid: (await p.textContent("#person-openid")).trim() };
    assert.match(people[user].unionid, /^o\S{20,}$/);
    assert.ok(!(await p.context().cookies(base)).some((c) => c.name === "wxlogin-console"), "an unbound person got a session");
    if (user === "erin") {
      await p.screenshot({ path: path.join(shots, "console-17-wechat-unbound.png"), fullPage: true });
    }
  }
});

/** bind binds a person in the console's WeChat members page of the signed-in admin. */
async function bind(name, user, role) {
  await page.fill("#binding-create [name=name]", name);
  await page.selectOption("#binding-create [name=by]", "unionid");
  await page.fill("#binding-create [name=id]", people[user].unionid);
  await page.selectOption("#binding-create [name=role]", role);
  await page.click("#binding-create button[type=submit]");
  assert.match(await flash(), new RegExp(`已绑定 ${name}`));
  await page.waitForFunction((n) => document.querySelector("#content tbody")?.textContent.includes(n), name);
}

test("admins bind the WeChat members of their tenants in the console", async () => {
  await signIn(adminKey);
  await page.click("nav.menu >> text=微信成员");
  await page.waitForSelector("#binding-create");
  await bind("Erin", "erin", "admin");
  await bind("Frank", "frank", "viewer");
  await bind("Gina", "gina", "admin");
  assert.deepEqual(await unlabelled(), []);
  await shot("console-18-wechat-members");
  await signOut();
  await signIn(otherAdminKey);
  await page.click("nav.menu >> text=微信成员");
  await page.waitForSelector("#binding-create");
  await bind("Gina at beta", "gina", "viewer");
  await signOut();
});

test("a bound admin signs in with WeChat and sets the tenant's time zone; dates follow it", async () => {
  const p = people.erin.page;
  await wechatSignIn(p, "erin");
  await signedInAs(p, "/console/accounts");
  assert.equal(await p.textContent("#who"), "Erin");
  assert.equal(await p.getAttribute("#app", "data-role"), "admin");
  assert.ok(await p.$("#account-create"), "a WeChat admin gets no create form");
  await p.screenshot({ path: path.join(shots, "console-19-wechat-admin.png"), fullPage: true });

  await p.click("nav.menu >> text=设置");
  await p.waitForSelector("#tenant-settings [name=time_zone]");
  assert.equal(await p.inputValue("#tenant-settings [name=time_zone]"), "Asia/Shanghai");
  await p.selectOption("#tenant-settings [name=time_zone]", "America/Los_Angeles");
  await p.click("#tenant-settings button[type=submit]");
  await p.waitForSelector("#flash p.ok");
  assert.equal((await p.textContent("#tz")).trim(), "America/Los_Angeles");
  const unlabelledHere = await p.$$eval("input:not([type=hidden]), select, textarea", (els) => els.filter((e) => e.labels.length === 0).map((e) => e.outerHTML));
  assert.deepEqual(unlabelledHere, []);
  await p.screenshot({ path: path.join(shots, "console-20-settings-time-zone.png"), fullPage: true });
  const tenantNow = await (await fetch(`${base}/v1/tenants/${tenant}`, { headers: { Authorization: `Bearer ${adminKey}` } })).json();
  assert.equal(tenantNow.time_zone, "America/Los_Angeles");
  const changes = await api(adminKey, "/audit-events?action=tenant.update");
  assert.equal(changes.items.length, 1);
  assert.equal(changes.items[0].actor_key_id, null);
  assert.match(changes.items[0].actor_binding_id, /^[0-9a-f]{32}$/);

  // The audit log's dates are Los Angeles time now, not Shanghai's.
  await p.click("nav.menu >> text=审计日志");
  await p.waitForFunction(() => document.querySelector("#content tbody")?.textContent.includes("tenant.update"));
  const newest = (await api(adminKey, "/audit-events?limit=1")).items[0];
  const [shown, inLA, inShanghai] = await p.evaluate(([at, style]) => [
    document.querySelector("#content tbody tr td").textContent,
    new Intl.DateTimeFormat("zh-CN", { ...style, timeZone: "America/Los_Angeles" }).format(new Date(at)),
    new Intl.DateTimeFormat("zh-CN", { ...style, timeZone: "Asia/Shanghai" }).format(new Date(at)),
  ], [newest.at, dateStyle]);
  assert.equal(shown, inLA);
  assert.notEqual(inLA, inShanghai);
  assert.match(await p.textContent("#content tbody tr"), /微信成员/);
  await p.screenshot({ path: path.join(shots, "console-21-dates-los-angeles.png"), fullPage: true });
});

test("a bound viewer signs in with WeChat and cannot change anything", async () => {
  const p = people.frank.page;
  await wechatSignIn(p, "frank");
  await signedInAs(p, "/console/accounts");
  assert.equal(await p.getAttribute("#app", "data-role"), "viewer");
  assert.equal(await p.$("#account-create"), null, "a WeChat viewer gets the create form");
  await p.click("nav.menu >> text=设置");
  await p.waitForSelector("#tenant-settings [name=time_zone]");
  assert.ok(await p.$eval("#tenant-settings [name=time_zone]", (e) => e.disabled), "a viewer may pick the time zone");
  assert.equal(await p.$("#tenant-settings button[type=submit]"), null);
  await p.screenshot({ path: path.join(shots, "console-22-wechat-viewer.png"), fullPage: true });
  const status = await p.evaluate(async (t) => {
    const csrf = document.getElementById("app").dataset.csrf;
    const r = await fetch(`/v1/tenants/${t}`, { method: "PATCH", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf }, body: JSON.stringify({ time_zone: "UTC" }) });
    return r.status;
  }, tenant);
  assert.equal(status, 403);
});

test("a person bound to two tenants chooses one, and may switch", async () => {
  const p = people.gina.page;
  await wechatSignIn(p, "gina");
  await signedInAs(p, "/console/choose");
  assert.equal(await p.$$eval("form.choices button", (bs) => bs.length), 2);
  await p.screenshot({ path: path.join(shots, "console-23-choose-tenant.png"), fullPage: true });
  await p.click("form.choices button[data-tenant=beta]");
  await signedInAs(p, "/console/accounts");
  assert.equal(await p.getAttribute("#app", "data-tenant"), "beta");
  assert.equal(await p.getAttribute("#app", "data-role"), "viewer");
  assert.ok(!(await p.content()).includes(appid), "beta's page shows acme's account");
  await p.click("#switch-tenant");
  await signedInAs(p, "/console/choose");
  await p.click(`form.choices button[data-tenant=${tenant}]`);
  await signedInAs(p, "/console/accounts");
  assert.equal(await p.getAttribute("#app", "data-tenant"), tenant);
  assert.ok((await p.textContent("#content tbody")).includes(appid));
  await p.screenshot({ path: path.join(shots, "console-24-switched-tenant.png"), fullPage: true });
});

test("revoking a WeChat member's binding ends their session", async () => {
  await signIn(adminKey);
  await page.click("nav.menu >> text=微信成员");
  await page.waitForFunction(() => document.querySelector("#content tbody")?.textContent.includes("Frank"));
  await page.click(`#content tbody button.danger:has-text("Frank")`);
  await page.waitForSelector("dialog[open]");
  await page.click("dialog button[value=ok]");
  assert.match(await flash(), /已撤销绑定/);
  await signOut();
  const p = people.frank.page;
  await p.reload();
  await p.waitForSelector("#wechat-signin");
  assert.match((await p.textContent("#signin-error")).trim(), /登录已过期或已退出/);
});

test("an admin signs in and erases the person with the keyboard alone", async () => {
  await page.goto(`${base}/console/`);
  await page.keyboard.press("Tab"); // the language links and the WeChat button come first
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "wechat-signin");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "key");
  await page.keyboard.type(adminKey);
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.pathname === "/console/accounts");
  await page.goto(`${base}/console/persons?unionid=${encodeURIComponent(claims.unionid)}`);
  await page.waitForSelector("#content button.danger");
  await page.focus("#content button.danger");
  await page.keyboard.press("Enter");
  await page.waitForSelector("dialog[open]");
  await shot("console-16-erase-confirm");
  // Cancel has the focus: Enter keeps the person.
  assert.equal(await page.evaluate(() => document.activeElement.value), "cancel");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.match(await flash(), /已删除 1 个身份/);
  await page.goto(`${base}/console/identities`);
  await page.waitForSelector("#content tbody");
  assert.match(await page.textContent("#content tbody"), /暂无数据/);
  const left = await api(adminKey, "/identities");
  assert.equal(left.items.length, 0);
});

test("no script failed and the CSP blocked nothing", () => {
  assert.deepEqual(consoleErrors, []);
});
