// wxlogin.js: log a person in with wxlogin's hosted WeChat login, from the
// browser alone. No dependencies; an ES module for current browsers.
//
//   import { WxLogin } from "https://login.example/sdk/wxlogin.js";
//   const wx = new WxLogin({ issuer: "https://login.example/t/acme", appid: "wx…", redirectUri: location.origin + "/" });
//   const result = await wx.complete();           // on every page load: null unless returning from a login
//   if (result) show(result.claims);              // { openid, unionid, nickname, … }, signature verified
//   button.onclick = () => wx.login({ scope: "snsapi_userinfo" });
//
// A login uses PKCE (S256, RFC 7636) and a random state, both kept in
// sessionStorage until the person returns. complete() checks the state,
// redeems the code at the token endpoint and verifies the ES256 JWT against
// the tenant's JWKS with WebCrypto (signature, iss, aud, exp) before handing
// back its claims. A backend that acts on the person must still verify the
// token itself: send it result.token, never the claims.

const pendingKey = "wxlogin.pending";

/** Thrown by complete() when a login came back failed or does not check out. */
export class WxLoginError extends Error {
  constructor(code, description) {
    super(description ? `${code}: ${description}` : code);
    this.name = "WxLoginError";
    this.code = code;
  }
}

export class WxLogin {
  /**
   * @param {object} options
   * @param {string} options.issuer      the tenant's issuer, `{wxlogin}/t/{tenant}`
   * @param {string} options.appid       the official account's AppId
   * @param {string} options.redirectUri a redirect URI on the account's allowlist, this page's
   * @param {Storage} [options.storage]  where the pending login is kept; sessionStorage
   */
  constructor({ issuer, appid, redirectUri, storage = globalThis.sessionStorage }) {
    if (!issuer || !appid || !redirectUri) throw new TypeError("issuer, appid and redirectUri are required");
    this.issuer = issuer.replace(/\/+$/, "");
    this.appid = appid;
    this.redirectUri = redirectUri;
    this.storage = storage;
  }

  /**
   * The hosted login URL for a new login; keeps its state and verifier.
   * scope is snsapi_base or snsapi_userinfo (default: the account's);
   * appid overrides the constructor's, for a page of several accounts.
   */
  async loginURL({ scope, appid = this.appid } = {}) {
    const state = randomString(16);
    const verifier = randomString(32);
    this.storage.setItem(pendingKey, JSON.stringify({ state, verifier, appid, redirectUri: this.redirectUri }));
    const q = new URLSearchParams({ redirect_uri: this.redirectUri, state, code_challenge: await s256(verifier), code_challenge_method: "S256" });
    if (scope) q.set("scope", scope);
    return `${this.issuer}/wechat/${encodeURIComponent(appid)}/login?${q}`;
  }

  /** Sends the person to the hosted login. */
  async login(options) {
    globalThis.location.assign(await this.loginURL(options));
  }

  /**
   * Finishes a login on the page it returned to: null when the URL carries
   * no login answer; otherwise { token, claims } of the login this tab
   * started (its AppId is the audience checked), or a thrown WxLoginError.
   * The code and state are removed from the address bar either way.
   */
  async complete(url = globalThis.location.href) {
    const here = new URL(url);
    const q = new URLSearchParams(here.search);
    if (!q.has("code") && !q.has("error")) return null;
    const pending = JSON.parse(this.storage.getItem(pendingKey) || "null");
    this.storage.removeItem(pendingKey);
    for (const k of ["code", "state", "error", "error_description"]) here.searchParams.delete(k);
    if (here.hash === "#wechat_redirect") here.hash = ""; // carried over from WeChat's authorize URL
    globalThis.history?.replaceState?.(null, "", here.toString());
    if (!pending || q.get("state") !== pending.state) throw new WxLoginError("state_mismatch", "the answer does not belong to a login this tab started");
    if (q.has("error")) throw new WxLoginError(q.get("error"), q.get("error_description"));
    const token = await this.redeem(q.get("code"), pending);
    return { token, claims: await this.verify(token, pending.appid) };
  }

  async redeem(code, pending) {
    const resp = await fetch(`${this.issuer}/oauth/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "authorization_code", code, redirect_uri: pending.redirectUri,
        code_verifier: pending.verifier, client_id: pending.appid,
      }),
    });
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok || !body.access_token) throw new WxLoginError(body.error || "token_error", body.error_description || `token endpoint answered ${resp.status}`);
    return body.access_token;
  }

  /** Verifies an ES256 JWT of this issuer for appid with the JWKS; returns its claims. */
  async verify(jwt, appid = this.appid) {
    const parts = jwt.split(".");
    if (parts.length !== 3) throw new WxLoginError("invalid_token", "not a JWS compact serialization");
    const header = JSON.parse(decodeText(parts[0]));
    if (header.alg !== "ES256") throw new WxLoginError("invalid_token", `algorithm ${header.alg}, want ES256`);
    const resp = await fetch(`${this.issuer}/.well-known/jwks.json`);
    if (!resp.ok) throw new WxLoginError("jwks_error", `JWKS answered ${resp.status}`);
    const jwk = (await resp.json()).keys.find((k) => k.kid === header.kid && k.kty === "EC" && k.crv === "P-256");
    if (!jwk) throw new WxLoginError("invalid_token", `no key ${header.kid} in the JWKS`);
    const key = await crypto.subtle.importKey("jwk", { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
    if (!(await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, decodeBytes(parts[2]), signed))) {
      throw new WxLoginError("invalid_token", "bad signature");
    }
    const claims = JSON.parse(decodeText(parts[1]));
    const aud = [].concat(claims.aud);
    const now = Date.now() / 1000;
    if (claims.iss !== this.issuer) throw new WxLoginError("invalid_token", `issuer ${claims.iss}, want ${this.issuer}`);
    if (!aud.includes(appid)) throw new WxLoginError("invalid_token", `audience ${aud}, want ${appid}`);
    if (!(claims.exp > now)) throw new WxLoginError("invalid_token", "expired");
    return claims;
  }
}

function randomString(bytes) {
  return encodeBytes(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function s256(verifier) {
  return encodeBytes(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

function encodeBytes(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeBytes(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function decodeText(s) {
  return new TextDecoder().decode(decodeBytes(s));
}
