// Local drug alerts in headless Chromium (issue 12): an editor writes an
// alert from the medetomidine template (the longest) with a 2000x1500 photo, saves it as a draft (not public),
// previews and publishes it (public on /alerts, its page and the home
// page), then ends it early (archived, off the home page); axe-core on
// /alerts and the alert's page at 360px light and 1024px dark, neither
// wider than the screen; and the poster: the alert's page printed to a
// Letter PDF is one page, without the site's menus.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

async function signIn(page, base, email, password) {
  await page.goto(base + "/staff/login");
  await page.fill("#wp-email", email);
  await page.fill("#wp-password", password);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/staff/login'] button[type=submit]")]);
}

/* Pages in a PDF as Chromium writes it (each page object is "/Type /Page"). */
function pdfPages(buf) {
  return (buf.toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g) || []).length;
}

async function axeAndWidth(t, context, url, label) {
  const page = await context.newPage();
  const resp = await page.goto(url);
  const problems = [];
  if (resp.status() !== 200) problems.push("status " + resp.status());
  for (const v of await new t.AxeRunner(page).run()) problems.push("axe " + v);
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (w[0] > w[1]) problems.push(`wider than the screen: ${w[0]} > ${w[1]}`);
  await page.close();
  if (problems.length) throw new Error(`${label}:\n  ${problems.join("\n  ")}`);
}

export async function run(t) {
  const srv = await t.startServer();
  const email = "editor@example.org", password = "a long editor passphrase 2026";
  execFileSync(t.bin, ["user", "add", email, "--role", "editor", "--password-stdin", "--db", srv.db],
    { cwd: t.root, input: password + "\n", stdio: ["pipe", "ignore", "inherit"] });
  const staff = await t.browser.newContext({ viewport: { width: 360, height: 740 } });
  const light = await t.browser.newContext({ viewport: { width: 360, height: 740 } });
  const dark = await t.browser.newContext({ viewport: { width: 1024, height: 800 }, colorScheme: "dark" });
  const headline = "Pills sold as oxycodone M30 contain medetomidine and fentanyl";
  let id = null;
  try {
    await t.check("alerts: an editor saves a draft that the public cannot see", async () => {
      const page = await staff.newPage();
      await signIn(page, srv.base, email, password);
      await page.goto(srv.base + "/staff/alerts/new?template=medetomidine");
      await page.fill("#f-headline", headline);
      await page.fill("#f-area", "Central Eastside and Old Town");
      await page.fill("#f-sold_as", "oxycodone M30");
      await page.fill("#f-appearance", "light blue round pills stamped M 30, some crumbly");
      await page.selectOption("#f-source", "drug-checking");
      await page.selectOption("#f-certainty", "Observed");
      await page.selectOption("#f-severity", "Severe");
      await page.selectOption("#f-urgency", "Immediate");
      // a 2000x1500 photo (a screenshot is the one PNG maker at hand)
      const shot = await t.browser.newPage({ viewport: { width: 2000, height: 1500 } });
      await shot.setContent("<body style='margin:0;background:linear-gradient(90deg,#9cf,#36c)'><p style='font:400px sans-serif'>M 30</p>");
      const png = await shot.screenshot({ type: "png" });
      await shot.close();
      await page.setInputFiles("#f-photo", { name: "pills.png", mimeType: "image/png", buffer: png });
      await page.fill("#f-photo_alt", "Two light blue round pills stamped M 30 on a white table");
      await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=draft]")]);
      const m = page.url().match(/\/staff\/alerts\/(\d+)/);
      if (!m) throw new Error("after saving: " + page.url() + "\n" + (await page.textContent("main")).slice(0, 400));
      id = m[1];
      const pub = await light.newPage();
      const r = await pub.goto(srv.base + "/alerts/" + id);
      if (r.status() !== 404) throw new Error("a draft's public page answers " + r.status());
      await pub.goto(srv.base + "/alerts");
      if ((await pub.textContent("main")).includes(headline)) throw new Error("the draft is listed on /alerts");
      await pub.close();
      await page.close();
    });

    await t.check("alerts: the editor previews and publishes; it shows on /alerts, its page and the home page", async () => {
      const page = await staff.newPage();
      await page.goto(srv.base + `/staff/alerts/${id}/preview`);
      if (!(await page.textContent("h1")).includes(headline)) throw new Error("preview: " + (await page.textContent("h1")));
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('Publish this alert')")]);
      await page.close();
      const pub = await light.newPage();
      await pub.goto(srv.base + "/alerts");
      if (!(await pub.textContent("main")).includes(headline)) throw new Error("not on /alerts after publishing");
      await pub.goto(srv.base + "/alerts/" + id);
      const text = await pub.textContent("main");
      if (!text.includes("medetomidine") && !text.includes("Medetomidine")) throw new Error("no substance on the page");
      if (!(await pub.$("figure.alert-photo img"))) throw new Error("no photo on the page");
      await pub.goto(srv.base + "/");
      if (!(await pub.textContent("main")).includes(headline)) throw new Error("not on the home page");
      await pub.close();
    });

    await t.check("alerts: /alerts and the alert's page pass axe at 360px light and 1024px dark, no wider than the screen", async () => {
      for (const ctx of [light, dark]) {
        await axeAndWidth(t, ctx, srv.base + "/alerts", "/alerts");
        await axeAndWidth(t, ctx, srv.base + "/alerts/" + id, "/alerts/" + id);
      }
    });

    await t.check("alerts: the alert's page prints as a one-page Letter poster without the site's menus", async () => {
      const page = await t.browser.newPage({ viewport: { width: 816, height: 1056 } });
      await page.goto(srv.base + "/alerts/" + id);
      await page.emulateMedia({ media: "print" });
      const hidden = await page.evaluate(() => [".top", ".foot", ".alert-links"].every((s) => {
        const e = document.querySelector(s);
        return !e || getComputedStyle(e).display === "none";
      }));
      await page.setViewportSize({ width: 725, height: 965 }); // Letter less the poster's 12 mm margins
      const layout = await page.evaluate(() => [...document.querySelectorAll("article > *")]
        .filter((e) => getComputedStyle(e).display !== "none")
        .map((e) => `${e.tagName.toLowerCase()}.${e.className}: ${Math.round(e.getBoundingClientRect().height)}`).join(", ")
        + "; page " + document.documentElement.scrollHeight);
      await page.screenshot({ path: path.join(t.outDir, "alert-poster-print.png"), fullPage: true });
      const pdf = await page.pdf({ format: "Letter", printBackground: false });
      await page.close();
      fs.writeFileSync(path.join(t.outDir, "alert-poster.pdf"), pdf);
      const n = pdfPages(pdf);
      if (n !== 1) throw new Error(`the poster prints on ${n} pages (${layout})`);
      if (!hidden) throw new Error("the site's header, footer or links print on the poster");
    });

    await t.check("alerts: ending the alert early moves it to the archive and off the home page", async () => {
      const page = await staff.newPage();
      await page.goto(srv.base + "/staff/alerts/" + id);
      await Promise.all([page.waitForNavigation(), page.click("button:has-text('End this alert now')")]);
      await page.close();
      const pub = await light.newPage();
      await pub.goto(srv.base + "/alerts/" + id);
      if (!(await pub.textContent("main")).includes("This alert has ended")) throw new Error("the page does not say it ended");
      await pub.goto(srv.base + "/");
      if ((await pub.textContent("main")).includes(headline)) throw new Error("still on the home page");
      await pub.close();
    });
  } finally {
    await staff.close();
    await light.close();
    await dark.close();
    srv.proc.kill("SIGTERM");
  }
}
