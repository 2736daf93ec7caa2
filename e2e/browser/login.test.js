// A person logs in on the demo tenant's browser-only page (/demo/sdk/) in
// headless Chromium that presents itself as WeChat's in-app browser: the
// page's SDK sends them to wxlogin's hosted login, through the sandbox
// WeChat pages (user chooser, consent) and back, where the SDK redeems the
// code and verifies the JWT; the page shows openid and unionid. Screenshots
// of every step go to $WXLOGIN_SCREENSHOTS.
//
// Run by cmd/wxlogin's TestBrowserLogin, which starts `wxlogin demo` and
// sets WXLOGIN_URL (its public URL) and WXLOGIN_SCREENSHOTS.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const base = process.env.WXLOGIN_URL;
const shots = process.env.WXLOGIN_SCREENSHOTS;
const executablePath = process.env.WXLOGIN_CHROMIUM || "/usr/bin/chromium";

// WeChat's in-app browser on Android.
const wechatUA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) " +
  "Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240301 MMWEBID/6533 " +
  "MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";

let profile, context, page;

before(async () => {
  assert.ok(base, "WXLOGIN_URL is not set");
  assert.ok(shots, "WXLOGIN_SCREENSHOTS is not set");
  await mkdir(shots, { recursive: true });
  profile = await mkdtemp(path.join(tmpdir(), "wxlogin-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    userAgent: wechatUA,
    viewport: { width: 414, height: 860 },
    locale: "zh-CN",
  });
  page = context.pages()[0] ?? (await context.newPage());
});

after(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

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

async function loginWith(button, first) {
  await page.click(`#${button}`);
  if (first) {
    await page.waitForSelector("button[name=user][value=alice]");
    assert.match(page.url(), /\/sandbox\/wechat\/demo\/connect\/oauth2\/authorize\?/);
    await shot("02-wechat-choose-user");
    await page.click("button[name=user][value=alice]");
  }
  await page.waitForSelector("button[name=decision][value=allow]");
  await shot(first ? "03-wechat-consent" : "05-wechat-consent-account-b");
  await page.click("button[name=decision][value=allow]");
  await page.waitForURL((u) => u.pathname === "/demo/sdk/");
  await ready();
  const failed = await page.isVisible("#error");
  assert.ok(!failed, `the demo page shows an error: ${failed && (await text("error"))}`);
  await page.waitForSelector("#result:not([hidden])");
  await shot(first ? "04-logged-in-account-a" : "06-logged-in-account-b");
  assert.doesNotMatch(page.url(), /[?&](code|state)=/, "the SDK left the code in the address bar");
  return { openid: await text("openid"), unionid: await text("unionid"), nickname: await text("nickname") };
}

test("a person logs in inside WeChat with the SDK and sees openid and unionid", async () => {
  await page.goto(`${base}/demo/sdk/`);
  await ready();
  assert.equal(await page.evaluate(() => navigator.userAgent), wechatUA);
  await shot("01-demo-page");

  const a = await loginWith("login-userinfo-0", true);
  assert.match(a.openid, /^o\S{20,}$/, "openid");
  assert.match(a.unionid, /^o\S{20,}$/, "unionid");
  assert.equal(a.nickname, "爱丽丝");

  // WeChat remembers the person: the second account asks for consent only.
  const b = await loginWith("login-userinfo-1", false);
  assert.notEqual(b.openid, a.openid, "one openid in two accounts");
  assert.equal(b.unionid, a.unionid, "the unionid differs across accounts of one Open Platform");
});

test("an answer this tab did not ask for is refused", async () => {
  await page.goto(`${base}/demo/sdk/?code=forged&state=forged`);
  await ready();
  await page.waitForSelector("#error:not([hidden])");
  assert.match(await text("error"), /state_mismatch/);
  assert.ok(await page.isHidden("#result"));
  await shot("07-forged-answer-refused");
});
