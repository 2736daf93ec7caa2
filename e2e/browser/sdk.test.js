// The SDK (sdk/wxlogin.js) in Node against the running `wxlogin demo` (as
// cmd/wxlogin's TestBrowserLogin starts it, WXLOGIN_URL): its login URL
// carries PKCE S256 and a kept state; complete() redeems a real login's code
// and hands back verified claims once; verify() refuses tokens that were
// altered, are for another AppId or name another algorithm.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { WxLogin } from "../../sdk/wxlogin.js";

const base = process.env.WXLOGIN_URL;
const issuer = `${base}/t/demo`;
const appid = "wxdemo000000000001";
const redirectUri = `${base}/demo/sdk/`;
const wechat = { "user-agent": "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Mobile MicroMessenger/8.0.50" };

class MemoryStorage {
  #items = new Map();
  getItem(k) { return this.#items.has(k) ? this.#items.get(k) : null; }
  setItem(k, v) { this.#items.set(k, String(v)); }
  removeItem(k) { this.#items.delete(k); }
}

const b64url = (buf) => Buffer.from(buf).toString("base64url");

// walk follows a login URL through the sandbox's WeChat pages as user,
// allowing when asked, up to the redirect to the demo page, which it returns.
async function walk(url, user) {
  let res = await fetch(url, { headers: wechat, redirect: "manual" });
  for (let step = 0; step < 10; step++) {
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get("location"), url).href;
      if (url.startsWith(redirectUri)) return url;
      res = await fetch(url, { headers: wechat, redirect: "manual" });
      continue;
    }
    const body = await res.text();
    const form = body.includes('name="decision"') ? { user, decision: "allow" } : { user, custom: "" };
    res = await fetch(url, { method: "POST", headers: wechat, body: new URLSearchParams(form), redirect: "manual" });
  }
  throw new Error(`no redirect to ${redirectUri}`);
}

test("the login URL carries PKCE S256 and the state the SDK keeps", async () => {
  const storage = new MemoryStorage();
  const u = new URL(await new WxLogin({ issuer, appid, redirectUri, storage }).loginURL({ scope: "snsapi_userinfo" }));
  const pending = JSON.parse(storage.getItem("wxlogin.pending"));
  assert.equal(`${u.origin}${u.pathname}`, `${issuer}/wechat/${appid}/login`);
  assert.equal(u.searchParams.get("redirect_uri"), redirectUri);
  assert.equal(u.searchParams.get("scope"), "snsapi_userinfo");
  assert.equal(u.searchParams.get("state"), pending.state);
  assert.equal(u.searchParams.get("code_challenge_method"), "S256");
  assert.equal(u.searchParams.get("code_challenge"), b64url(createHash("sha256").update(pending.verifier).digest()));
  assert.match(pending.verifier, /^[A-Za-z0-9_-]{43}$/);
});

test("complete() redeems a login once, and verify() refuses altered tokens", async () => {
  const storage = new MemoryStorage();
  const wx = new WxLogin({ issuer, appid, redirectUri, storage });
  assert.equal(await wx.complete(redirectUri), null, "a page load without an answer");
  const back = await walk(await wx.loginURL({ scope: "snsapi_userinfo" }), "bob");
  const { token, claims } = await wx.complete(back);
  assert.equal(claims.iss, issuer);
  assert.deepEqual([].concat(claims.aud), [appid]);
  assert.match(claims.openid, /^o/);
  assert.match(claims.unionid, /^o/);
  assert.equal(claims.nickname, "鲍勃");
  await assert.rejects(wx.complete(back), { code: "state_mismatch" }, "the same answer twice");

  const [header, payload, signature] = token.split(".");
  const altered = b64url(JSON.stringify({ ...claims, unionid: "oSomeoneElse" }));
  await assert.rejects(wx.verify(`${header}.${altered}.${signature}`), { code: "invalid_token", message: /bad signature/ });
  await assert.rejects(wx.verify(token, "wxdemo000000000002"), { code: "invalid_token", message: /audience/ });
  const hs256 = b64url(JSON.stringify({ ...JSON.parse(Buffer.from(header, "base64url")), alg: "HS256" }));
  await assert.rejects(wx.verify(`${hs256}.${payload}.${signature}`), { code: "invalid_token", message: /algorithm HS256/ });
  const unknownKey = b64url(JSON.stringify({ ...JSON.parse(Buffer.from(header, "base64url")), kid: "no-such-key" }));
  await assert.rejects(wx.verify(`${unknownKey}.${payload}.${signature}`), { code: "invalid_token", message: /no key/ });
});

test("complete() hands back a refusal in WeChat as an error", async () => {
  const storage = new MemoryStorage();
  const wx = new WxLogin({ issuer, appid, redirectUri, storage });
  const state = new URL(await wx.loginURL()).searchParams.get("state");
  const answer = `${redirectUri}?error=access_denied&error_description=refused&state=${state}`;
  await assert.rejects(wx.complete(answer), { name: "WxLoginError", code: "access_denied" });
  assert.equal(storage.getItem("wxlogin.pending"), null, "the pending login outlived its answer");
});
