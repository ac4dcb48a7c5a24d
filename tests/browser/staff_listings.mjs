// Browser test of the directory in the staff portal (issue 11): an editor
// signs in, finds a listing at /staff/listings, edits it with JavaScript
// off (the form must work without it), gets a field's error back, saves,
// and sees the change on /find within a second or two. Every staff page
// it opens passes axe-core (WCAG 2.2 A/AA) in light and dark, and fits a
// 360 px wide phone without sideways scrolling.
//
//   node tests/browser/staff_listings.mjs    (after tests/browser/run.sh
//   installed node_modules; uses build/waypost or $WAYPOST_BIN)
//
// Ends with "N passed, M failed".
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const bin = process.env.WAYPOST_BIN || path.join(root, "build", "waypost");
const axeSource = fs.readFileSync(path.join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const EMAIL = "browser-editor@example.org";
const PASSWORD = "correct horse battery staple 7";
const VENDING = "1b7ffbab-8006-567c-bece-a3e0e1cb651d";

let passed = 0;
let failed = 0;

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "waypost-staff-browser-"));
  const port = await freePort();
  const db = path.join(dir, "b.db");
  for (const f of ["data/taxonomy/waypost.json", "data/directory/examples-harm-reduction.ndjson"]) {
    execFileSync(bin, ["import", "hsds", f, "--db", db], { cwd: root, stdio: "ignore" });
  }
  execFileSync(bin, ["user", "add", EMAIL, "--role", "editor", "--password-stdin", "--db", db],
    { cwd: root, input: PASSWORD + "\n", stdio: ["pipe", "ignore", "inherit"] });
  const proc = spawn(bin, ["serve", "--listen", `127.0.0.1:${port}`, "--db", db], { cwd: root, stdio: "ignore" });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, "127.0.0.1", () => { c.end(); resolve(true); });
      c.on("error", () => resolve(false));
    });
    // "localhost": Chromium keeps a Secure (__Host-) cookie from a local
    // host over plain HTTP only under that name
    if (ok) return { proc, base: `http://localhost:${port}` };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("server did not start");
}

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e && e.stack ? e.stack : e).split("\n").slice(0, 6).join("\n     ")}`);
  }
}

/* axe-core in light and dark, and the 360 px width: a list of problems. */
async function audit(page, what) {
  const problems = [];
  for (const scheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.evaluate(axeSource);
    const v = await page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: "tag", values: tags } });
      return r.violations.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }, AXE_TAGS);
    for (const x of v) problems.push(`${what} axe (${scheme}) ${x}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 360) problems.push(`${what}: ${wide}px wide at a 360px viewport`);
  return problems;
}

/* Submits the form whose button has this text, waiting for the answer. */
async function submit(page, button) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(`button:has-text("${button}")`)]);
}

async function main() {
  const srv = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  // Scripts off: every staff page must work without JavaScript.
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 } });
  const page = await ctx.newPage();
  // axe needs scripts; a second page with them on audits what the first shows
  const axeCtx = await browser.newContext({ viewport: { width: 360, height: 800 } });
  const auditUrl = async (url, what) => {
    await axeCtx.addCookies(await ctx.cookies());
    const p = await axeCtx.newPage();
    await p.goto(url, { waitUntil: "load" });
    const problems = await audit(p, what);
    await p.close();
    return problems;
  };
  try {
    await check("an editor signs in", async () => {
      await page.goto(srv.base + "/staff/login");
      await page.fill("input[name=email]", EMAIL);
      await page.fill("input[name=password]", PASSWORD);
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.press("input[name=password]", "Enter")]);
      if ((await ctx.cookies()).length === 0) throw new Error("no session cookie after signing in");
    });

    await check("/staff/listings finds a listing and passes axe", async () => {
      await page.goto(srv.base + "/staff/listings");
      await page.fill("#f-q", "vending");
      await submit(page, "Search");
      if (!/Found: 1\b/.test(await page.textContent("main"))) throw new Error("search for vending did not find one");
      const problems = await auditUrl(page.url(), "/staff/listings?q=vending");
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(`a[href="/staff/listings/${VENDING}"]`)]);
      problems.push(...await auditUrl(page.url(), "the listing form"));
      if (problems.length) throw new Error(problems.join("\n  "));
    });

    await check("a bad field comes back named, linked and passes axe", async () => {
      await page.fill("#f-state", "New York");
      await page.fill("#f-hours_mo", "9 to 5");
      await submit(page, "Save changes");
      const errorLinks = await page.locator(".errors a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      for (const want of ["#f-state", "#f-hours_mo"]) {
        if (!errorLinks.includes(want)) throw new Error(`no error link to ${want}: ${errorLinks}`);
      }
      if ((await page.getAttribute("#f-state", "aria-invalid")) !== "true") throw new Error("state not marked invalid");
      const described = await page.getAttribute("#f-state", "aria-describedby");
      if (!described || !described.includes("f-state-error")) throw new Error("state's error not tied to it");
      // the 422 page itself, in the context with scripts for axe
      const p = await axeCtx.newPage();
      await p.goto(srv.base + "/staff/listings/" + VENDING, { waitUntil: "load" });
      await p.fill("#f-state", "New York");
      await submit(p, "Save changes");
      const problems = await audit(p, "the form with errors");
      await p.close();
      if (problems.length) throw new Error(problems.join("\n  "));
    });

    await check("editing a listing end to end: visible on /find after", async () => {
      await page.fill("#f-state", "NY");
      await page.fill("#f-hours_mo", "10:00-12:00");
      await page.fill("#f-name", "Browser-Edited Naloxone Box");
      await submit(page, "Save changes");
      if (!(await page.textContent("main")).includes("Saved")) throw new Error("no Saved notice");
      let seen = false;
      for (let i = 0; i < 20 && !seen; i++) {
        await page.goto(srv.base + "/find/naloxone?where=10454");
        seen = (await page.textContent("main")).includes("Browser-Edited Naloxone Box");
        if (!seen) await new Promise((r) => setTimeout(r, 100));
      }
      if (!seen) throw new Error("the new name is not on /find within 2 seconds");
    });

    await check("/staff/listings/new passes axe", async () => {
      const problems = await auditUrl(srv.base + "/staff/listings/new", "/staff/listings/new");
      if (problems.length) throw new Error(problems.join("\n  "));
    });
  } finally {
    await browser.close();
    srv.proc.kill("SIGTERM");
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log("staff browser tests crashed: " + (e && e.stack ? e.stack : e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
