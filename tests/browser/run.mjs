// Browser tests: every public page in Debian's headless Chromium (driven by
// playwright-core), checked for console errors, requests to other hosts and
// axe-core WCAG 2.2 A/AA violations; the quick exit with and without
// JavaScript; a screenshot of home at 360x800 in build/test-output/; the
// optional Leaflet map against a local tile server the test runs.
// Ends with "N passed, M failed".
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const bin = process.env.WAYPOST_BIN || path.join(root, "build", "waypost");
const outDir = path.join(root, "build", "test-output");
const axeSource = fs.readFileSync(path.join(here, "node_modules", "axe-core", "axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

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

/* Starts waypost on a free port with extra flags; on a new seeded database,
   or on db (an already seeded one) when given. */
/* A tiny tile server for the Leaflet map test: one 1x1 PNG for every
   /z/x/y.png path, counting what it is asked for. */
const TILE_PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64");
function startTileServer() {
  return new Promise((resolve) => {
    const seen = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url);
      if (!/^\/\d+\/\d+\/\d+\.png$/.test(req.url)) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { "Content-Type": "image/png", "Content-Length": TILE_PNG.length,
        "Cross-Origin-Resource-Policy": "cross-origin" });
      res.end(TILE_PNG);
    });
    server.listen(0, "127.0.0.1", () => resolve({ server, seen, port: server.address().port }));
  });
}

async function startServer(extra = [], db = null) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "waypost-browser-"));
  const port = await freePort();
  const exitUrl = `http://127.0.0.1:${port}/healthz`;
  const dbPath = db || path.join(dir, "b.db");
  const args = ["serve", "--listen", `127.0.0.1:${port}`, "--db", dbPath,
    "--site-quick_exit_url", exitUrl,
    // the check-in form shows its SMS and email fields only when a channel is set (nothing is sent in these tests)
    "--notify-sms_url", "http://127.0.0.1:9/sms", "--notify-smtp_url", "smtp://127.0.0.1:9",
    "--notify-mail_from", "alerts@example.org", ...extra];
  for (const f of db ? [] : ["data/taxonomy/waypost.json", "data/directory/examples-harm-reduction.ndjson",
    "data/directory/samhsa-otp-2017.ndjson.gz"]) {
    execFileSync(bin, ["import", "hsds", f, "--db", dbPath], { cwd: root, stdio: "ignore" });
  }
  const proc = spawn(bin, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => { log += d; });
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, "127.0.0.1", () => { c.end(); resolve(true); });
      c.on("error", () => resolve(false));
    });
    if (ok) return { proc, port, exitUrl, db: dbPath, base: `http://127.0.0.1:${port}`, log: () => log };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("server did not start: " + log);
}

function contentPaths() {
  const dir = path.join(root, "content");
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith(".md") && e.name !== "README.md") {
        const src = fs.readFileSync(full, "utf8");
        const slug = /^slug:\s*(.+)$/m.exec(src.split("\n---")[0]);
        let rel = path.relative(dir, full).slice(0, -3);
        if (slug) rel = slug[1].trim().replace(/^\//, "");
        else if (rel === "index") rel = "";
        else if (rel.endsWith("/index")) rel = rel.slice(0, -6);
        out.push("/" + rel);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/* SUITE=name runs only the suite files whose name contains it (while
 * writing one); the checks of this file are then skipped. */
const onlySuite = process.env.SUITE || "";
let inSuites = false;

async function check(name, fn) {
  if (onlySuite && !inSuites) return;
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e && e.stack ? e.stack : e).split("\n").slice(0, 6).join("\n     ")}`);
  }
}

/* Clicks the form's submit button and waits for the page the POST returns. */
async function submitPost(page) {
  await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.click("form[method=post] button[type=submit]")]);
  await page.waitForLoadState("load");
}

class AxeRunner {
  constructor(page) { this.page = page; }
  async run() {
    await this.page.evaluate(axeSource);
    return this.page.evaluate(async (tags) => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { runOnly: { type: "tag", values: tags } });
      return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
    }, AXE_TAGS);
  }
}

async function auditPage(context, srv, p) {
  const page = await context.newPage();
  const problems = [];
  const expect = p.startsWith("/no-such") ? 404 : p.includes("s=fentanil") || p.includes("where=00000") ? 400 : 200;
  page.on("console", (m) => {
    // The one expected error: Chromium reports the 404 of the page itself.
    if (m.type() !== "error" || (expect !== 200 && /status of 40[04]/.test(m.text()))) return;
    problems.push("console: " + m.text());
  });
  page.on("pageerror", (e) => problems.push("page error: " + e.message));
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (u.host !== `127.0.0.1:${srv.port}` && u.protocol !== "data:") problems.push("request to " + r.url());
  });
  const resp = await page.goto(srv.base + p, { waitUntil: "load" });
  if (resp.status() !== expect) problems.push(`status ${resp.status()}`);
  for (const v of await new AxeRunner(page).run()) problems.push("axe " + v);
  await page.close();
  if (problems.length) throw new Error(`${p}:\n  ${problems.join("\n  ")}`);
}

async function main() {
  fs.mkdirSync(outDir, { recursive: true });
  const srv = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  try {
    const light = await browser.newContext({ viewport: { width: 360, height: 800 } });
    const dark = await browser.newContext({ viewport: { width: 1024, height: 800 }, colorScheme: "dark" });
    const pages = [...contentPaths(), "/search?q=naloxone", "/search?q=zzqqxx", "/no-such-page", "/combos",
      "/combos?substances=fentanyl,xanax,alcohol", "/combos?s=fentanil&s=xanax", "/combos?s=weed&s=acid", "/recovery?type=medication&sort=evidence&dir=desc",
      "/self-check/audit", "/self-check/audit-c", "/self-check/dast-10", "/self-check/taps-1", "/find",
      "/find/naloxone?where=10001", "/find?where=00000", "/find/treatment?where=99501&radius=50&open=1&attr=medicaid"];
    // the check-in timer's form and a private page (issue 13)
    const started = await fetch(srv.base + "/api/v1/checkins", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ seconds: 3600, where: "Flat 2B, blue door", name: "Sam", sms: "+15035550100" }) });
    // ?still=1: the private page without its self-refresh (axe's meta-refresh rule, WCAG 2.2.1; the page links
    // to this variant, and the default reloads itself so a phone without JavaScript shows the time left)
    pages.push("/checkin", (await started.json()).url + "?still=1");
    for (const p of pages) {
      await check(`page ${p} (light, 360px)`, () => auditPage(light, srv, p));
    }
    for (const p of ["/", "/overdose", "/search?q=naloxone", "/harm-reduction", "/combos?substances=fentanyl,xanax,alcohol",
      "/substances/fentanyl", "/data", "/recovery", "/self-check/audit", "/find/naloxone?where=10001"]) {
      await check(`page ${p} (dark, 1024px)`, () => auditPage(dark, srv, p));
    }

    await check("screenshot of home at 360x800", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/");
      const file = path.join(outDir, "home-360x800.png");
      await page.screenshot({ path: file });
      await page.close();
      if (fs.statSync(file).size < 1000) throw new Error("screenshot is empty");
    });

    await check("quick exit with JavaScript replaces the history entry", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/about");
      await page.goto(srv.base + "/overdose");
      await Promise.all([page.waitForURL(srv.exitUrl), page.click("#wp-exit")]);
      await page.goBack();
      const back = page.url();
      await page.close();
      if (!back.endsWith("/about")) throw new Error("Back returned to " + back + ", expected /about");
    });

    await check("quick exit with Escape twice", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/overdose");
      await page.keyboard.press("Escape");
      await Promise.all([page.waitForURL(srv.exitUrl), page.keyboard.press("Escape")]);
      await page.close();
    });

    await check("quick exit works without JavaScript", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/overdose");
      await Promise.all([page.waitForURL(srv.exitUrl), page.click("#wp-exit")]);
      await ctx.close();
    });

    await check("search works without JavaScript", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/");
      await page.fill("#wp-q", "naloxone");
      await Promise.all([page.waitForURL(/\/search\?q=naloxone/), page.press("#wp-q", "Enter")]);
      const marks = await page.locator("mark").count();
      await ctx.close();
      if (marks < 1) throw new Error("no highlighted results");
    });

    await check("combination checker works without JavaScript", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/combos");
      await page.fill("#s1", "molly");
      await page.fill("#s2", "tranq");
      await Promise.all([page.waitForURL(/\/combos\?s=molly&s=tranq/), page.click("button[type=submit] >> text=Check")]);
      const pairs = await page.locator(".pair").count();
      await ctx.close();
      if (pairs !== 1) throw new Error("expected 1 pair, got " + pairs);
    });

    await check("combination checker offers type-ahead", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/combos");
      const opts = await page.evaluate(() => {
        const input = document.querySelector("#s1");
        return input.list ? input.list.options.length : 0;
      });
      await page.close();
      if (opts < 100) throw new Error("the type-ahead list has " + opts + " names");
    });

    await check("a self-check works without JavaScript, with errors first", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/self-check/dast-10");
      await page.check("#q1-1");
      await submitPost(page);
      const errors = await page.locator("#wp-errors li").count();
      if (errors !== 9) throw new Error("expected 9 missing answers, got " + errors);
      const kept = await page.isChecked("#q1-1");
      if (!kept) throw new Error("the answer given was lost");
      for (let i = 2; i <= 10; i++) await page.check(`#q${i}-0`);
      await submitPost(page);
      const text = await page.textContent("main");
      await ctx.close();
      if (!/Your score:\s*\d+\s*out of 10/.test(text)) throw new Error("no score shown");
    });

    await check("a self-check's error page and result page pass axe", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/self-check/audit-c");
      await page.check("#q1-1");
      await submitPost(page);
      let audit = await new AxeRunner(page).run();
      if (audit.length) throw new Error("axe on the error page: " + audit.join("; "));
      await page.check("#sex-female");
      await page.check("#q2-0");
      await page.check("#q3-0");
      await submitPost(page);
      audit = await new AxeRunner(page).run();
      const text = await page.textContent("main");
      await page.close();
      if (audit.length) throw new Error("axe on the result page: " + audit.join("; "));
      if (!/Your score/.test(text)) throw new Error("no result");
    });

    await check("recovery table filters without JavaScript", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/recovery");
      await page.selectOption("#f-type", "medication");
      await Promise.all([page.waitForURL(/type=medication/), page.click("form.filters button[type=submit]")]);
      const rows = await page.locator("table.pathways tbody tr").count();
      await ctx.close();
      if (rows < 1 || rows > 5) throw new Error("medication rows: " + rows);
    });

    await check("overdose steps print on the first page", async () => {
      const page = await browser.newPage({ viewport: { width: 816, height: 1056 } });
      await page.emulateMedia({ media: "print" });
      await page.goto(srv.base + "/overdose");
      const m = await page.evaluate(() => {
        const ol = document.querySelector("article > ol");
        const h2 = document.querySelector("article > h2");
        const r = ol.getBoundingClientRect();
        return { bottom: r.bottom, items: ol.children.length, breakBefore: getComputedStyle(h2).breakBefore,
          navShown: getComputedStyle(document.querySelector("#wp-menu")).display !== "none" };
      });
      const pdf = await page.pdf({ format: "Letter", margin: { top: "0.5in", bottom: "0.5in" } });
      await page.close();
      // Letter at 96 px/in is 1056 px tall; less 1 in of margins leaves 960 px.
      if (m.items !== 6 || m.bottom > 960) throw new Error(`steps end at ${m.bottom}px (${m.items} items)`);
      if (m.breakBefore !== "page" || m.navShown) throw new Error(JSON.stringify(m));
      fs.writeFileSync(path.join(outDir, "overdose-print.pdf"), pdf);
    });

    await check("a listing's page opens from the results and passes axe", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/find/naloxone?where=10001");
      await Promise.all([page.waitForURL(/\/services\//), page.click(".listing h3 a >> nth=0")]);
      const problems = await new AxeRunner(page).run();
      const text = await page.textContent("main");
      await page.close();
      if (problems.length) throw new Error(problems.join("; "));
      if (!/Report a problem/.test(text)) throw new Error("no report form");
    });

    await check("the finder works without JavaScript", async () => {
      const ctx = await browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/find");
      await page.selectOption("#f-what", "naloxone");
      await page.fill("#f-where", "10001");
      await Promise.all([page.waitForURL(/where=10001/), page.click("form.find-form button[type=submit]")]);
      const n = await page.locator(".listing").count();
      const locate = await page.isVisible("#wp-locate");
      await ctx.close();
      if (n < 1) throw new Error("no results");
      if (locate) throw new Error("the location button shows without JavaScript");
    });

    await check("skip link moves focus to main", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/");
      await page.keyboard.press("Tab");
      const first = await page.evaluate(() => document.activeElement.className);
      await page.keyboard.press("Enter");
      const hash = await page.evaluate(() => location.hash);
      await page.close();
      if (first !== "skip" || hash !== "#wp-main") throw new Error(`first focus ${first}, hash ${hash}`);
    });

    await check("with map.tiles set, results show a Leaflet map with the list's numbered markers", async () => {
      const tiles = await startTileServer();
      const tileHost = `127.0.0.1:${tiles.port}`;
      const srv2 = await startServer(["--map-tiles", `http://${tileHost}/{z}/{x}/{y}.png`,
        "--map-attribution", "Test tiles <local>"], srv.db);
      const ctx = await browser.newContext({ viewport: { width: 1024, height: 900 } });
      try {
        const page = await ctx.newPage();
        const problems = [];
        const tileRequests = [];
        page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push("console: " + m.text()); });
        page.on("pageerror", (e) => problems.push("page error: " + e.message));
        page.on("request", (r) => {
          const u = new URL(r.url());
          if (u.host === tileHost) tileRequests.push(u.pathname);
          else if (u.host !== `127.0.0.1:${srv2.port}`) problems.push("request to " + r.url());
        });
        await page.goto(srv2.base + "/find/naloxone?where=10001", { waitUntil: "load" });
        const listed = await page.locator(".results-list > li.listing").count();
        await page.waitForSelector("#wp-leaflet-map .map-pin");
        await page.waitForFunction(() => document.querySelectorAll("#wp-leaflet-map img.leaflet-tile-loaded").length > 0);
        const info = await page.evaluate(() => {
          const box = document.getElementById("wp-leaflet-map");
          return {
            role: box.getAttribute("role"), label: box.getAttribute("aria-label") || "",
            pins: [...box.querySelectorAll(".map-pin")].map((p) => p.textContent.trim()),
            svgLeft: document.querySelectorAll("figure svg.map").length,
            height: box.getBoundingClientRect().height,
            attribution: (box.querySelector(".leaflet-control-attribution") || {}).textContent || "",
          };
        });
        if (listed < 2) throw new Error("only " + listed + " results listed");
        if (info.pins.length !== listed) throw new Error(`${info.pins.length} markers for ${listed} listed results`);
        const want = Array.from({ length: listed }, (_, i) => String(i + 1));
        if ([...info.pins].sort((a, b) => a - b).join() !== want.join()) throw new Error("marker numbers " + info.pins.join());
        if (info.role !== "region" || !/map/i.test(info.label)) throw new Error("map container role/label: " + JSON.stringify(info));
        if (info.svgLeft !== 0) throw new Error("the server's SVG map is still shown beside the Leaflet map");
        if (info.height < 200) throw new Error("the map is " + info.height + "px tall");
        if (!info.attribution.includes("Test tiles <local>")) throw new Error("attribution: " + info.attribution);
        if (tileRequests.length === 0 || tiles.seen.length === 0) throw new Error("no tile was requested from the local tile server");
        for (const t of tiles.seen) if (!/^\/\d+\/\d+\/\d+\.png$/.test(t)) throw new Error("odd tile request " + t);
        // A marker's popup links to its listing.
        await page.click("#wp-leaflet-map .map-pin >> nth=0");
        const href = await page.getAttribute("#wp-leaflet-map .leaflet-popup-content a", "href");
        if (!/^\/services\/[0-9a-f-]+$/.test(href || "")) throw new Error("popup link " + href);
        // Keyboard focus can leave the map.
        await page.focus("#wp-leaflet-map");
        let left = false;
        for (let i = 0; i < 60 && !left; i++) {
          await page.keyboard.press("Tab");
          left = await page.evaluate(() => !document.getElementById("wp-leaflet-map").contains(document.activeElement));
        }
        if (!left) throw new Error("keyboard focus is trapped in the map");
        for (const v of await new AxeRunner(page).run()) problems.push("axe " + v);
        await page.emulateMedia({ colorScheme: "dark" });
        for (const v of await new AxeRunner(page).run()) problems.push("axe (dark) " + v);
        await page.emulateMedia({ colorScheme: "light" });
        await page.click("#wp-leaflet-map .map-pin >> nth=0");
        await page.waitForTimeout(400); // the popup fades in
        await page.locator("figure.map-figure").screenshot({ path: path.join(outDir, "find-leaflet-map.png") });
        await page.close();
        if (problems.length) throw new Error(problems.join("\n  "));
        console.log(`     (${tiles.seen.length} tile requests, all to ${tileHost}; ${listed} markers)`);

        // Without JavaScript: the server's map, and not one tile.
        const before = tiles.seen.length;
        const noJs = await browser.newContext({ javaScriptEnabled: false });
        const p2 = await noJs.newPage();
        await p2.goto(srv2.base + "/find/naloxone?where=10001", { waitUntil: "load" });
        const svgs = await p2.locator("figure svg.map").count();
        await noJs.close();
        if (svgs !== 1) throw new Error("without JavaScript the server's map is missing");
        if (tiles.seen.length !== before) throw new Error("tiles were fetched without JavaScript");
      } finally {
        await ctx.close();
        srv2.proc.kill("SIGTERM");
        tiles.server.close();
      }
    });

    await check("body text is at least 16px", async () => {
      const page = await light.newPage();
      await page.goto(srv.base + "/harm-reduction");
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector("main p")).fontSize));
      await page.close();
      if (size < 16) throw new Error("body text is " + size + "px");
    });
    // Other suites beside this file (suite_NAME.mjs): each exports
    // run(t), with t the helpers below, and starts what it needs.
    inSuites = true;
    for (const f of fs.readdirSync(here).filter((n) => /^suite_.*\.mjs$/.test(n) && n.includes(onlySuite)).sort()) {
      const mod = await import(path.join(here, f));
      await mod.run({ check, browser, startServer, AxeRunner, auditPage, bin, root, outDir });
    }
  } finally {
    await browser.close();
    srv.proc.kill("SIGTERM");
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.log("browser tests crashed: " + (e && e.stack ? e.stack : e));
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
