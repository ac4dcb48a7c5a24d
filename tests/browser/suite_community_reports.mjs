// Community drug reports (issue 14) in headless Chromium on a 360x740
// phone without JavaScript: the /report form, its errors and the thank-you
// page pass axe-core and do not scroll sideways; then the staff queue
// (/staff/reports, grouped by substance and area) at 360 px and "make an
// alert", which opens the alert form filled from the ticked reports.
import { execFileSync } from "node:child_process";

async function noOverflow(page) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  if (w[0] > w[1]) throw new Error(`the page is ${w[0]}px wide in a ${w[1]}px window`);
}

async function axe(t, page) {
  const v = await new t.AxeRunner(page).run();
  if (v.length) throw new Error(v.join("\n"));
}

async function send(page) {
  await Promise.all([page.waitForNavigation(), page.click("form[action='/report'] button[type=submit]")]);
}

async function fillReport(page, area) {
  await page.fill("#rp-sold_as", "Browser Test Oxy");
  await page.fill("#rp-seemed", "fentanyl strip positive");
  await page.check("#rp-e-passed-out");
  await page.check("#rp-e-more-naloxone");
  await page.fill("#rp-note", "Two people went out fast. Call 503-555-0100.");
  await page.fill("#rp-area", area);
  await page.check("#rp-w-today");
  await page.fill("#rp-looked", "light blue, M 30");
}

export async function run(t) {
  const srv = await t.startServer(["--community-report_min_seconds", "0", "--community-reports_per_hour", "0"]);
  const phone = { viewport: { width: 360, height: 740 } };
  const ctx = await t.browser.newContext({ ...phone, javaScriptEnabled: false });
  const withJs = await t.browser.newContext(phone);
  const staff = await t.browser.newContext({ viewport: { width: 360, height: 740 } });
  try {
    await t.check("community report: the form at 360px without JavaScript, sent, thank-you page", async () => {
      const page = await ctx.newPage();
      const resp = await page.goto(srv.base + "/report");
      if (resp.status() !== 200) throw new Error("status " + resp.status());
      if ((await ctx.cookies()).length) throw new Error("a cookie was set");
      if (await page.isVisible("#rp-website")) throw new Error("the honeypot field is visible");
      await fillReport(page, "10001");
      await send(page);
      if (!page.url().endsWith("/report/thanks")) throw new Error("after sending: " + page.url());
      // axe needs scripts: the same pages in a context that runs them
      const js = await withJs.newPage();
      for (const p of ["/report", "/report/thanks"]) {
        await js.goto(srv.base + p);
        await noOverflow(js);
        await axe(t, js);
      }
      await js.close();
      for (let i = 0; i < 2; i++) {
        await page.goto(srv.base + "/report");
        await fillReport(page, "10001");
        await send(page);
      }
      await page.close();
    });
    await t.check("community report: a problem comes back named at its field, values kept, axe clean", async () => {
      const page = await withJs.newPage();
      await page.goto(srv.base + "/report");
      await fillReport(page, "Main Street 12");
      await page.fill("#rp-looked", "x".repeat(301));
      await send(page);
      for (const id of ["#rp-area-error", "#rp-looked-error", "#wp-errors"])
        if (!(await page.$(id))) throw new Error("missing " + id);
      if ((await page.inputValue("#rp-sold_as")) !== "Browser Test Oxy") throw new Error("value not kept");
      if (!(await page.isChecked("#rp-e-more-naloxone"))) throw new Error("ticked effect not kept");
      await noOverflow(page);
      await axe(t, page);
      await page.close();
    });
    await t.check("staff queue: community reports grouped at 360px, make an alert fills the form", async () => {
      const email = "editor-browser@example.org", password = "a long staff passphrase 2026";
      execFileSync(t.bin, ["user", "add", email, "--role", "editor", "--password-stdin", "--db", srv.db],
        { cwd: t.root, input: password + "\n", stdio: ["pipe", "ignore", "inherit"] });
      const page = await staff.newPage();
      await page.goto(srv.base + "/staff/login");
      await page.fill("#wp-email", email);
      await page.fill("#wp-password", password);
      await Promise.all([page.waitForNavigation(), page.click("form[action='/staff/login'] button[type=submit]")]);
      await page.goto(srv.base + "/staff/reports?kind=drug");
      const groups = await page.locator(".report-group").count();
      const reports = await page.locator(".report-group .report").count();
      if (groups !== 1 || reports !== 3) throw new Error(`${groups} groups, ${reports} reports`);
      const text = await page.textContent(".report-group");
      if (!text.includes("[phone removed]") || text.includes("555-0100")) throw new Error("the phone is not masked");
      await noOverflow(page);
      await axe(t, page);
      await page.uncheck(".report-pick input >> nth=2");
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Make an alert')")]);
      if (!page.url().includes("/staff/alerts/new?")) throw new Error("after make an alert: " + page.url());
      if ((await page.inputValue("#f-sold_as")) !== "Browser Test Oxy") throw new Error("sold_as not filled");
      if (!(await page.inputValue("#f-headline")).includes("Browser Test Oxy")) throw new Error("headline not filled");
      const from = await page.getAttribute("input[name=from]", "value");
      if (!/^report:\d+,report:\d+$/.test(from || "")) throw new Error("from: " + from);
      await noOverflow(page);
      await axe(t, page);
      await page.goto(srv.base + "/staff/reports?status=alerted");
      if ((await page.locator(".report-group .report").count()) !== 2) throw new Error("not two alerted reports");
      await axe(t, page);
      await page.close();
    });
  } finally {
    await ctx.close();
    await withJs.close();
    await staff.close();
    srv.proc.kill("SIGTERM");
  }
}
