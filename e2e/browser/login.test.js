// A person logs in on the demo tenant's browser-only page (/demo/sdk/) in
// headless Chromium that presents itself as WeChat's in-app browser: the
// page's SDK sends them to wxlogin's hosted login, through the sandbox
// WeChat pages (user chooser, consent) and back, where the SDK redeems the
// code and verifies the JWT; the page shows openid and unionid. The same
// person then comes back in a desktop browser and logs in through the demo
// website app's QR login, with the same unionid. Screenshots of every step
// go to $WXLOGIN_SCREENSHOTS.
//
// Run by cmd/wxlogin's TestBrowserLogin, which starts `wxlogin demo` and
// sets WXLOGIN_URL (its public URL) and WXLOGIN_SCREENSHOTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Browsers, wechatUA } from "./chromium.js";

const base = process.env.WXLOGIN_URL;
const shots = process.env.WXLOGIN_SCREENSHOTS;

// Chrome on Windows: not WeChat.
const desktopUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

const browsers = new Browsers();
let page;
// The unionid the person got inside WeChat.
let unionid;

before(async () => {
  assert.ok(base, "WXLOGIN_URL is not set");
  assert.ok(shots, "WXLOGIN_SCREENSHOTS is not set");
  await mkdir(shots, { recursive: true });
  page = await browsers.page(wechatUA, { width: 414, height: 860 });
});

after(() => browsers.close());

async function shot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// ready waits until the demo page's script finished (it then sets
// data-ready on the body).
async function ready() {
  await page.waitForSelector("body[data-ready=true]");
}

async function text(id) {
  return (await page.textContent(`#${id}`)).trim();
}

// loginWith clicks a log-in button of the demo page and goes through the
// sandbox's pages: the user chooser at the WeChat page at wechatPath
// (unless WeChat already knows the person), then consent. It returns the
// claims the page shows; shots names the screenshots of the chooser,
// consent and result.
async function loginWith(button, wechatPath, shots) {
  await page.click(`#${button}`);
  if (shots.choose) {
    await page.waitForSelector("button[name=user][value=alice]");
    assert.equal(new URL(page.url()).pathname, `/sandbox/wechat/demo${wechatPath}`);
    await shot(shots.choose);
    await page.click("button[name=user][value=alice]");
  }
  await page.waitForSelector("button[name=decision][value=allow]");
  await shot(shots.consent);
  await page.click("button[name=decision][value=allow]");
  await page.waitForURL((u) => u.pathname === "/demo/sdk/");
  await ready();
  const failed = await page.isVisible("#error");
  assert.ok(!failed, `the demo page shows an error: ${failed && (await text("error"))}`);
  await page.waitForSelector("#result:not([hidden])");
  await shot(shots.result);
  assert.doesNotMatch(page.url(), /[?&](code|state)=/, "the SDK left the code in the address bar");
  return { openid: await text("openid"), unionid: await text("unionid"), nickname: await text("nickname"), appid: await text("appid") };
}

test("a person logs in inside WeChat with the SDK and sees openid and unionid", async () => {
  await page.goto(`${base}/demo/sdk/`);
  await ready();
  assert.equal(await page.evaluate(() => navigator.userAgent), wechatUA);
  await shot("01-demo-page");

  const authorize = "/connect/oauth2/authorize";
  const a = await loginWith("login-userinfo-0", authorize,
    { choose: "02-wechat-choose-user", consent: "03-wechat-consent", result: "04-logged-in-account-a" });
  assert.match(a.openid, /^o\S{20,}$/, "openid");
  assert.match(a.unionid, /^o\S{20,}$/, "unionid");
  assert.equal(a.nickname, "爱丽丝");

  // WeChat remembers the person: the second account asks for consent only.
  const b = await loginWith("login-userinfo-1", authorize, { consent: "05-wechat-consent-account-b", result: "06-logged-in-account-b" });
  assert.notEqual(b.openid, a.openid, "one openid in two accounts");
  assert.equal(b.unionid, a.unionid, "the unionid differs across accounts of one Open Platform");
  unionid = a.unionid;
});

test("the same person logs in from a desktop browser through the website app's QR login", async () => {
  assert.ok(unionid, "the WeChat login did not run");
  page = await browsers.page(desktopUA, { width: 1280, height: 900 });
  await page.goto(`${base}/demo/sdk/`);
  await ready();
  const c = await loginWith("login-userinfo-0", "/connect/qrconnect",
    { choose: "08-desktop-qr-login", consent: "09-desktop-qr-confirm", result: "10-desktop-logged-in" });
  assert.equal(c.unionid, unionid, "the website app's unionid differs from the official account's");
  assert.equal(c.appid, "wxdemo00000000web1", "the openid is not the website app's");
});

test("an answer this tab did not ask for is refused", async () => {
  await page.goto(`${base}/demo/sdk/?code=forged&state=forged`);
  await ready();
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await text("error"), /state_mismatch/);
  assert.ok(await page.isHidden("#result"));
  await shot("07-forged-answer-refused");
});
