// Issue 16, in headless Chromium: every Spanish page a person meets at
// 360x740 — lang="es", axe-core WCAG 2.2 A/AA with no violation, nothing
// wider than the screen (Spanish runs about a quarter longer than
// English), the header still one row of 44 px targets, no request to
// another host — and the language switch and the offer work without
// JavaScript; and the staff portal under /es/staff, signed in, the same
// way. Screenshots go to build/test-output/es-*.png.
import { execFileSync } from "node:child_process";
import path from "node:path";

const PHONE = { width: 360, height: 740 };

const PAGES = ["/es/", "/es/overdose", "/es/safer-use", "/es/first-step", "/es/about", "/es/substances",
  "/es/substances/naloxone", "/es/substances/fentanyl", "/es/substances/xylazine", "/es/substances/medetomidine",
  "/es/substances/carfentanil", "/es/substances/nitazenes", "/es/substances/benzodiazepines",
  "/es/substances/alcohol", "/es/substances/methamphetamine", "/es/substances/cocaine", "/es/substances/kratom",
  "/es/combos", "/es/combos?s=alcohol&s=benzos", "/es/find", "/es/find/naloxone?where=97214",
  "/es/self-check", "/es/self-check/audit", "/es/recovery", "/es/data", "/es/search?q=naloxona",
  "/es/report", "/es/subscribe", "/es/alerts", "/es/checkin", "/es/harm-reduction/advocacy"];

const STAFF = ["/es/staff", "/es/staff/listings", "/es/staff/listings/new", "/es/staff/alerts",
  "/es/staff/alerts/new", "/es/staff/reports", "/es/staff/account", "/es/staff/users", "/es/staff/audit",
  "/es/staff/spikes", "/es/staff/spikes/settings", "/es/staff/events", "/es/staff/webhooks", "/es/staff/checkins",
  "/es/staff/import", "/es/staff/settings"];

async function measure(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    width: document.documentElement.scrollWidth,
    bar: [...document.querySelectorAll("header.top .bar > a")].map((a) => {
      const r = a.getBoundingClientRect();
      return { id: a.id || a.className, top: Math.round(r.top), h: r.height, w: r.width, right: r.right };
    }),
  }));
}

function barProblems(p, bar) {
  const bad = [];
  if (new Set(bar.map((i) => i.top)).size !== 1) bad.push(`${p}: the header is more than one row`);
  for (const i of bar) {
    if (i.h < 44 || i.w < 44) bad.push(`${p}: ${i.id} is ${Math.round(i.w)}x${Math.round(i.h)}px`);
    if (i.right > PHONE.width) bad.push(`${p}: ${i.id} runs off the screen`);
  }
  return bad;
}

async function auditSpanish(t, phone, srv, p) {
  const page = await phone.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.host !== `127.0.0.1:${srv.port}` && u.protocol !== "data:") problems.push("request to " + r.url());
  });
  const resp = await page.goto(srv.base + p, { waitUntil: "load" });
  if (resp.status() !== 200) problems.push(`status ${resp.status()}`);
  const m = await measure(page);
  if (m.lang !== "es") problems.push(`lang="${m.lang}"`);
  if (m.width > PHONE.width) problems.push(`${m.width}px wide`);
  problems.push(...barProblems(p, m.bar));
  for (const v of await new t.AxeRunner(page).run()) problems.push("axe " + v);
  const name = p.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "home";
  await page.screenshot({ path: path.join(t.outDir, `es-${name}.png`) });
  await page.close();
  return problems.length ? [`${p}: ${problems.join("; ")}`] : [];
}

export async function run(t) {
  const srv = await t.startServer();
  const phone = await t.browser.newContext({ viewport: PHONE });
  const noJs = await t.browser.newContext({ viewport: PHONE, javaScriptEnabled: false,
    extraHTTPHeaders: { "Accept-Language": "es-US,es;q=0.9" } });
  try {
    await t.check("i18n: every Spanish page at 360px: lang=es, axe clean, nothing wider than the screen", async () => {
      const bad = [];
      for (const p of PAGES) bad.push(...await auditSpanish(t, phone, srv, p));
      if (bad.length) throw new Error(bad.join("\n"));
    });

    await t.check("i18n: the staff portal in Spanish at 360px: lang=es, axe clean, nothing wider than the screen", async () => {
      const email = "admin@example.org", password = "a long staff passphrase 2026";
      execFileSync(t.bin, ["user", "add", email, "--role", "admin", "--password-stdin", "--db", srv.db],
        { cwd: t.root, input: password + "\n", stdio: ["pipe", "ignore", "inherit"] });
      const page = await phone.newPage();
      await page.goto(srv.base + "/es/staff/login");
      if ((await measure(page)).lang !== "es") throw new Error("the sign-in page is not Spanish");
      await page.fill("#wp-email", email);
      await page.fill("#wp-password", password);
      await Promise.all([page.waitForNavigation(), page.click("form[action='/es/staff/login'] button[type=submit]")]);
      if (!page.url().endsWith("/es/staff")) throw new Error("after sign-in: " + page.url());
      await page.close();
      const bad = [];
      for (const p of STAFF) bad.push(...await auditSpanish(t, phone, srv, p));
      if (bad.length) throw new Error(bad.join("\n"));
    });

    await t.check("i18n: a Spanish 404 is a Spanish page that passes axe", async () => {
      const page = await phone.newPage();
      const resp = await page.goto(srv.base + "/es/no-such-page");
      const m = await measure(page);
      const axe = await new t.AxeRunner(page).run();
      await page.close();
      if (resp.status() !== 404 || m.lang !== "es" || axe.length) throw new Error(`${resp.status()} ${m.lang} ${axe}`);
    });

    await t.check("i18n: without JavaScript, the offer and the switch move between languages", async () => {
      const page = await noJs.newPage();
      await page.goto(srv.base + "/overdose");
      const offer = page.locator("p.lang-offer a");
      if ((await offer.textContent()).trim() !== "Esta página está en español.") throw new Error("no offer");
      await Promise.all([page.waitForURL(/\/es\/overdose$/), offer.click()]);
      if ((await measure(page)).lang !== "es") throw new Error("the offer did not lead to Spanish");
      if (await page.locator("p.lang-offer").count()) throw new Error("offered Spanish on a Spanish page");
      await Promise.all([page.waitForURL(/127\.0\.0\.1:\d+\/overdose$/),
        page.locator('footer a[hreflang="en"]').click()]);
      if ((await measure(page)).lang !== "en") throw new Error("the switch did not lead to English");
      await page.close();
    });
  } finally {
    await phone.close();
    await noJs.close();
    srv.proc.kill("SIGTERM");
  }
}
