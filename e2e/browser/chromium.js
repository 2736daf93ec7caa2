// Headless Chromium for the browser tests: Debian's (or $WXLOGIN_CHROMIUM),
// driven by playwright-core, each page on a fresh profile.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const executablePath = process.env.WXLOGIN_CHROMIUM || "/usr/bin/chromium";

// WeChat's in-app browser on Android.
export const wechatUA =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240205.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) " +
  "Version/4.0 Chrome/122.0.6261.120 Mobile Safari/537.36 XWEB/1220099 MMWEBSDK/20240301 MMWEBID/6533 " +
  "MicroMessenger/8.0.48.2580(0x28003036) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";

/** Browsers starts Chromium processes and, on close(), ends them and removes their profiles. */
export class Browsers {
  profiles = [];
  contexts = [];

  /** page starts Chromium on a fresh profile with a user agent and returns its page. */
  async page(userAgent, viewport) {
    const profile = await mkdtemp(path.join(tmpdir(), "wxlogin-chromium-"));
    this.profiles.push(profile);
    const context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      userAgent,
      viewport,
      locale: "zh-CN",
    });
    this.contexts.push(context);
    return context.pages()[0] ?? (await context.newPage());
  }

  async close() {
    for (const c of this.contexts) await c.close();
    for (const p of this.profiles) await rm(p, { recursive: true, force: true });
  }
}
