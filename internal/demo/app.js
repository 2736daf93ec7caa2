// The demo's browser-only page: every button starts a login with the SDK;
// on the way back the SDK redeems the code and verifies the JWT, and the
// page shows its claims.
import { WxLogin } from "/sdk/wxlogin.js";

const root = document.getElementById("demo");
const buttons = [...document.querySelectorAll("button[data-appid]")];
const wx = new WxLogin({ issuer: root.dataset.issuer, appid: buttons[0].dataset.appid, redirectUri: root.dataset.redirectUri });

for (const b of buttons) {
  b.addEventListener("click", () => wx.login({ appid: b.dataset.appid, scope: b.dataset.scope }));
}

function show(id, text) {
  document.getElementById(id).textContent = text;
}

try {
  const result = await wx.complete();
  if (result) {
    const c = result.claims;
    show("openid", c.openid);
    show("unionid", c.unionid || "(none: snsapi_base or no Open Platform binding)");
    show("nickname", c.nickname || "");
    show("appid", c.appid);
    show("scope", c.scope);
    show("claims", JSON.stringify(c, null, 2));
    document.getElementById("result").hidden = false;
  }
} catch (err) {
  show("error", String(err.message || err));
  document.getElementById("error").hidden = false;
}
document.body.dataset.ready = "true";
