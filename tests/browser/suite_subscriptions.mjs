// Alert subscriptions (issue 14) in headless Chromium on a 360x740 phone:
// without JavaScript a request by SMS reaches the code page; then (with
// JavaScript on, which axe-core needs) /subscribe with its errors named,
// the SMS code page, the email link's Confirm page and the unsubscribe
// page, each checked with axe-core and for no horizontal scrolling. The
// server's SMS gateway and mail server are closed local ports: messages
// stay queued, which is enough for the pages.
export async function run(t) {
  const srv = await t.startServer(["--notify-sms_url", "http://127.0.0.1:9/sms", "--notify-sms_from", "+15035559999",
    "--notify-smtp_url", "smtp://127.0.0.1:9", "--notify-mail_from", "alerts@example.org",
    "--subscriptions-subscribes_per_hour", "0"]);
  const noJs = await t.browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const ctx = await t.browser.newContext({ viewport: { width: 360, height: 740 } });
  const fits = async (page, what) => {
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 360) throw new Error(`${what}: ${w}px wide at a 360px viewport`);
    const v = await new t.AxeRunner(page).run();
    if (v.length) throw new Error(`${what}:\n` + v.join("\n"));
    if ((await page.context().cookies()).length) throw new Error(`${what}: a cookie was set`);
  };
  try {
    await t.check("subscribe by SMS without JavaScript reaches the code page", async () => {
      const page = await noJs.newPage();
      await page.goto(srv.base + "/subscribe");
      await page.check("#sb-by-sms");
      await page.fill("#sb-phone", "503 555 0143");
      await page.fill("#sb-zips", "97214");
      await Promise.all([page.waitForNavigation(), page.click("form[action='/subscribe'] button[type=submit]")]);
      if (!/\/subscribe\/code\?t=[0-9a-f]{32}$/.test(page.url())) throw new Error("after submit: " + page.url());
      await page.close();
    });
    await t.check("subscribe form: fits 360px, errors named and linked, passes axe", async () => {
      const page = await ctx.newPage();
      await page.goto(srv.base + "/subscribe");
      await fits(page, "/subscribe");
      await page.check("#sb-by-email");
      await page.fill("#sb-email", "someone@example.org");
      await page.fill("#sb-zips", "9721");
      await Promise.all([page.waitForNavigation(), page.click("form[action='/subscribe'] button[type=submit]")]);
      if (!(await page.$("#sb-zips-error"))) throw new Error("no error at the ZIP field");
      if (!(await page.$("a[href='#sb-zips']"))) throw new Error("the summary does not link to the field");
      await fits(page, "/subscribe with an error");
      await page.close();
    });
    await t.check("subscribe by SMS leads to the code page, which fits and passes axe", async () => {
      const page = await ctx.newPage();
      await page.goto(srv.base + "/subscribe");
      await page.check("#sb-by-sms");
      await page.fill("#sb-phone", "503 555 0142");
      await page.fill("#sb-zips", "97214");
      await Promise.all([page.waitForNavigation(), page.click("form[action='/subscribe'] button[type=submit]")]);
      if (!/\/subscribe\/code\?t=[0-9a-f]{32}$/.test(page.url())) throw new Error("after submit: " + page.url());
      if (!(await page.$("#sb-code"))) throw new Error("no code field");
      await fits(page, "/subscribe/code");
      await page.fill("#sb-code", "000000");
      await Promise.all([page.waitForNavigation(), page.click("form[action='/subscribe/code'] button[type=submit]")]);
      await fits(page, "/subscribe/code with a wrong code");
      await page.close();
    });
    await t.check("confirm, sent and unsubscribe pages fit and pass axe", async () => {
      const page = await ctx.newPage();
      for (const p of ["/subscribe/sent", "/subscribe/confirm?t=0123456789abcdef0123456789abcdef",
        "/unsubscribe?id=1&t=0123456789abcdef0123456789abcdef"]) {
        const r = await page.goto(srv.base + p);
        if (r.status() !== 200) throw new Error(`${p}: ${r.status()}`);
        await fits(page, p);
      }
      await page.close();
    });
  } finally {
    await ctx.close();
    await noJs.close();
    srv.proc.kill("SIGTERM");
  }
}
