// The spike detector's staff pages in headless Chromium (issue 14): counts
// ending yesterday with a spike are loaded with `waypost import events`
// and flagged with `waypost spikes`; an editor then sees the flag on the
// overview and on /staff/spikes (with its SVG chart and "draft an alert"),
// tunes a kind with a preview, and enters a count by hand (a bad one comes
// back named at its field). axe-core on every page at 360px, no sideways
// scrolling, no console errors, no request to another host.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

function yesterday() {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "America/New_York" }).format(new Date());
  const d = new Date(parts + "T12:00:00Z");
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

function eventsCsv(kind, area, last, counts) {
  const rows = ["date,area,kind,count"];
  const end = new Date(last + "T12:00:00Z");
  counts.forEach((c, i) => {
    const d = new Date(end);
    d.setUTCDate(d.getUTCDate() - (counts.length - 1 - i));
    rows.push(`${d.toISOString().slice(0, 10)},${area},${kind},${c}`);
  });
  return rows.join("\n") + "\n";
}

async function signIn(page, base, email, password) {
  await page.goto(base + "/staff/login");
  await page.fill("#wp-email", email);
  await page.fill("#wp-password", password);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/staff/login'] button[type=submit]")]);
}

async function fits(page) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  if (w > 360) throw new Error(`${page.url()} is ${w}px wide at 360px`);
}

export async function run(t) {
  const srv = await t.startServer();
  const email = "spikes-editor@example.org", password = "a long staff passphrase 2026";
  const day = yesterday();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "waypost-spikes-")), "events.csv");
  const base = [3, 4, 2, 3, 5, 3, 2, 4, 3, 3, 2, 4, 3, 5, 2, 3, 4, 3, 2, 3, 4, 3, 3, 2, 4, 3, 5, 3, 2, 3, 4, 3];
  fs.writeFileSync(file, eventsCsv("ems-overdose-calls", "97204", day, [...base, 17]));
  const opts = { cwd: t.root, stdio: ["pipe", "ignore", "inherit"] };
  execFileSync(t.bin, ["import", "events", file, "--db", srv.db], opts);
  execFileSync(t.bin, ["spikes", "--date", day, "--db", srv.db], opts);
  execFileSync(t.bin, ["user", "add", email, "--role", "editor", "--password-stdin", "--db", srv.db],
    { ...opts, input: password + "\n" });
  const phone = await t.browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    const page = await phone.newPage();
    await signIn(page, srv.base, email, password);
    await page.close();
    await t.check("spikes: the overview shows the flag with its chart", async () => {
      const p = await phone.newPage();
      await p.goto(srv.base + "/staff");
      if (!(await p.$("#wp-spikes"))) throw new Error("no spikes section on the overview");
      if (!(await p.$(".spikes svg[role=img]"))) throw new Error("no chart");
      await fits(p);
      await p.close();
    });
    for (const url of ["/staff", "/staff/spikes", "/staff/spikes/settings", "/staff/spikes/settings?kind=ems-overdose-calls",
      "/staff/events"]) {
      await t.check(`spikes: ${url} passes axe at 360px`, () => t.auditPage(phone, srv, url));
    }
    await t.check("spikes: draft an alert opens the alert form filled in", async () => {
      const p = await phone.newPage();
      await p.goto(srv.base + "/staff/spikes");
      await fits(p);
      const href = await p.getAttribute("a:has-text('Draft an alert')", "href");
      if (!href || !href.startsWith("/staff/alerts/new?") || !href.includes("seen_on=" + day)) throw new Error("href " + href);
      await p.close();
    });
    await t.check("spikes: settings preview without JavaScript, then a bad value named", async () => {
      const p = await phone.newPage();
      await p.goto(srv.base + "/staff/spikes/settings?kind=ems-overdose-calls");
      await p.fill("#f-min_count", "5");
      await Promise.all([p.waitForNavigation(), p.click("button[value=preview]")]);
      if (!(await p.textContent("main")).includes("Proposed")) throw new Error("no proposed row");
      await fits(p);
      await p.fill("#f-z12", "nonsense");
      await Promise.all([p.waitForNavigation(), p.click("button[value=preview]")]);
      if (!(await p.$(".errors"))) throw new Error("no error list");
      const v = await new t.AxeRunner(p).run();
      if (v.length) throw new Error(v.join("\n"));
      await p.close();
    });
    await t.check("spikes: a day's count by hand, a bad count named at its field", async () => {
      const p = await phone.newPage();
      await p.goto(srv.base + "/staff/events");
      await p.fill("#f-area", "97204");
      await p.fill("#f-kind", "naloxone-administered");
      await p.fill("#f-count", "many");
      await Promise.all([p.waitForNavigation(), p.click("form[action='/staff/events'] button[type=submit]")]);
      if (!(await p.$("#f-count-error"))) throw new Error("no error at the count");
      const v = await new t.AxeRunner(p).run();
      if (v.length) throw new Error(v.join("\n"));
      await fits(p);
      await p.fill("#f-count", "4");
      await Promise.all([p.waitForNavigation(), p.click("form[action='/staff/events'] button[type=submit]")]);
      if (!p.url().endsWith("/staff/events?done=saved")) throw new Error("after saving: " + p.url());
      await p.close();
    });
  } finally {
    await phone.close();
    srv.proc.kill("SIGTERM");
  }
}
