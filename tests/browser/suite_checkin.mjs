// The check-in timer in headless Chromium (issue 13), with and without
// JavaScript, on a 360x740 phone: without it the form starts a timer, the
// private page reloads itself (meta refresh) and "I'm OK" is a form that
// ends it; with it the time left counts down each second, and less than a
// minute before the end the notice shows and the phone is asked to
// vibrate. axe-core on the form with its errors and on the private page.
// The server has no SMS or email gateway: the program's responder is a
// webhook to a closed local port (its messages stay queued), which is
// enough for the form to be usable.
export async function run(t) {
  const srv = await t.startServer(["--checkin-min_seconds", "1", "--checkin-starts_per_hour", "0",
    "--checkin-responder_webhook", "http://127.0.0.1:9/hook", "--checkin-webhook_secret", "browser-test"]);
  const phone = { viewport: { width: 360, height: 740 } };
  const noJs = await t.browser.newContext({ ...phone, javaScriptEnabled: false });
  const withJs = await t.browser.newContext(phone);
  try {
    await t.check("check-in without JavaScript: start, self-refreshing page, I'm OK ends it", async () => {
      const page = await noJs.newPage();
      await page.goto(srv.base + "/checkin");
      await page.check("#ck-m5");
      await page.fill("#ck-where", "Room 4, blue door, code 1234");
      await page.check("#ck-responder");
      await Promise.all([page.waitForNavigation(), page.click("form[action='/checkin'] button[type=submit]")]);
      if (!/\/checkin\/[0-9a-f]{32}$/.test(page.url())) throw new Error("after start: " + page.url());
      const refresh = await page.$("meta[http-equiv=refresh]");
      if (!refresh) throw new Error("the private page does not reload itself");
      if ((await page.getAttribute("#ck-page", "data-state")) !== "running") throw new Error("not running");
      await Promise.all([page.waitForNavigation(), page.click("button.ck-ok")]);
      const state = await page.getAttribute("#ck-page", "data-state");
      if (state !== "ok") throw new Error("after I'm OK: " + state);
      await page.close();
    });
    await t.check("check-in form errors come back from the server, named, and pass axe", async () => {
      const page = await withJs.newPage();
      await page.goto(srv.base + "/checkin");
      await page.check("#ck-m5");
      // what an old browser without form checks would send: no "where"
      await page.evaluate(() => document.querySelectorAll("[required]").forEach((e) => e.removeAttribute("required")));
      await Promise.all([page.waitForNavigation(), page.click("form[action='/checkin'] button[type=submit]")]);
      if (!(await page.$("#ck-where-error"))) throw new Error("no error at the where field");
      const v = await new t.AxeRunner(page).run();
      if (v.length) throw new Error(v.join("\n"));
      await page.close();
    });
    await t.check("check-in with JavaScript: counts down, then warns and vibrates in the last minute", async () => {
      const res = await fetch(srv.base + "/api/v1/checkins", { method: "POST",
        headers: { "Content-Type": "application/json" }, body: JSON.stringify({ seconds: 62, where: "Back stairs", responder: true }) });
      const j = await res.json();
      const page = await withJs.newPage();
      await page.addInitScript(() => {
        window.__vibrations = [];
        navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };
      });
      await page.goto(srv.base + j.url + "?still=1");
      const a = await page.textContent("#ck-left");
      await page.waitForTimeout(1500);
      const b = await page.textContent("#ck-left");
      if (a === b) throw new Error("the time left did not change: " + a);
      await page.waitForSelector("#ck-soon:not([hidden])", { timeout: 8000 });
      const vib = await page.evaluate(() => window.__vibrations.length);
      if (vib < 1) throw new Error("no vibration asked for");
      const v = await new t.AxeRunner(page).run();
      if (v.length) throw new Error(v.join("\n"));
      await page.close();
    });
  } finally {
    await noJs.close();
    await withJs.close();
    srv.proc.kill("SIGTERM");
  }
}
