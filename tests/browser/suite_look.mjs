// The phone-first look (issue 10), measured in headless Chromium at
// 360x740: the header's height; the combination answer, the substances
// list and the self-check list on the first screen; no page scrolling
// sideways; chart text and illustration captions at least 12 px; images
// with width and height under hashed, year-cached names; the Menu link
// with and without JavaScript; /recovery as cards on a phone and whole at
// 1280 px; the overdose card first and red. Screenshots go to
// build/test-output/look-*.png.
import path from "node:path";

const PHONE = { width: 360, height: 740 };

/* Pages a person meets first, and every page with a chart or a table. */
const PAGES = ["/", "/overdose", "/substances", "/substances/xylazine", "/combos", "/combos?s=xanax&s=alcohol",
  "/combos?s=precedex&s=lsd&s=shrooms",
  "/self-check", "/self-check/audit", "/harm-reduction", "/recovery", "/data", "/find",
  "/find/naloxone?where=10001", "/search?q=overdose", "/search?q=xanax+and+alcohol", "/about"];

function shot(t, name) {
  return path.join(t.outDir, `look-${name}.png`);
}

export async function run(t) {
  const srv = await t.startServer();
  const phone = await t.browser.newContext({ viewport: PHONE });
  const wide = await t.browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    // Issue 10: "at most about a fifth" of 740 px (148 px), and one short
    // row: the name, Quick exit, Menu and Search side by side, each 44 px tall.
    await t.check("look: the header is one row, at most a fifth of a 360x740 screen", async () => {
      const page = await phone.newPage();
      const bad = [];
      for (const p of ["/", "/combos", "/substances/xylazine", "/find", "/overdose"]) {
        await page.goto(srv.base + p);
        const m = await page.evaluate(() => ({
          h: document.querySelector("header.top").getBoundingClientRect().height,
          items: [...document.querySelectorAll("header.top .bar > a")].map((a) => {
            const r = a.getBoundingClientRect();
            return { id: a.id || a.className, top: Math.round(r.top), h: r.height, w: r.width, right: r.right };
          }),
        }));
        if (m.h > 740 / 5) bad.push(`${p}: ${m.h}px tall`);
        if (m.items.length !== 4) bad.push(`${p}: ${m.items.length} links in the bar`);
        if (new Set(m.items.map((i) => i.top)).size !== 1) bad.push(`${p}: more than one row: ${JSON.stringify(m.items)}`);
        for (const i of m.items) {
          if (i.h < 44 || i.w < 44) bad.push(`${p}: ${i.id} is ${i.w}x${i.h}px`);
          if (i.right > PHONE.width) bad.push(`${p}: ${i.id} runs off the screen`);
        }
      }
      await page.goto(srv.base + "/");
      await page.screenshot({ path: shot(t, "home-360x740") });
      await page.close();
      if (bad.length) throw new Error("header: " + bad.join(", "));
    });

    await t.check("look: no page scrolls sideways at 360px", async () => {
      const page = await phone.newPage();
      const wideOnes = [];
      for (const p of PAGES) {
        await page.goto(srv.base + p);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        if (w > PHONE.width) wideOnes.push(`${p}: ${w}px`);
      }
      await page.close();
      if (wideOnes.length) throw new Error(wideOnes.join(", "));
    });

    await t.check("look: after Check, the combination answer starts on the first screen", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + "/combos");
      await page.fill("#s1", "xanax");
      await page.fill("#s2", "alcohol");
      await Promise.all([page.waitForURL(/\/combos\?s=xanax&s=alcohol/), page.click("button[type=submit] >> text=Check")]);
      const m = await page.evaluate(() => {
        const r = document.getElementById("wp-results").getBoundingClientRect();
        const h3 = document.querySelector(".pair h3");
        const share = document.querySelector(".share a").getBoundingClientRect();
        return { top: r.top, pair: h3.getBoundingClientRect().top, heading: h3.textContent.trim(),
          shareRight: share.right, scroll: window.scrollY };
      });
      await page.screenshot({ path: shot(t, "combos-result-360x740") });
      await page.close();
      if (m.top < 0 || m.top > PHONE.height - 40) throw new Error("the answer starts at " + m.top + "px");
      if (m.pair > PHONE.height) throw new Error("the first pair starts at " + m.pair + "px");
      if (!/^Dangerous: .+ \+ Alcohol$/.test(m.heading)) throw new Error("the pair's heading: " + m.heading);
      if (m.shareRight > PHONE.width) throw new Error("the share link runs off the screen: " + m.shareRight);
    });

    await t.check("look: the substances and self-check lists start on the first screen", async () => {
      const page = await phone.newPage();
      const tops = {};
      await page.goto(srv.base + "/substances");
      tops.substances = await page.evaluate(() => document.querySelector("main ul.cards").getBoundingClientRect().top);
      await page.screenshot({ path: shot(t, "substances-360x740") });
      await page.goto(srv.base + "/self-check");
      tops.selfcheck = await page.evaluate(() => document.querySelector("main ul.cards").getBoundingClientRect().top);
      await page.screenshot({ path: shot(t, "self-check-360x740") });
      await page.close();
      for (const [k, v] of Object.entries(tops)) {
        if (v > PHONE.height - 60) throw new Error(`${k} list starts at ${v}px`);
      }
    });

    await t.check("look: a long fact sheet opens with an emergency box and its contents", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + "/substances/xylazine");
      const m = await page.evaluate(() => ({
        box: document.querySelector(".emergency").getBoundingClientRect().top,
        toc: [...document.querySelectorAll(".toc a")].map((a) => a.getAttribute("href")),
        ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
      }));
      await page.screenshot({ path: shot(t, "xylazine-360x740") });
      await page.close();
      if (m.box > PHONE.height) throw new Error("the emergency box starts at " + m.box);
      if (m.toc.length < 6) throw new Error("contents: " + m.toc.join());
      for (const h of m.toc) if (!m.ids.includes(h.slice(1))) throw new Error("contents link to nothing: " + h);
    });

    await t.check("look: chart text and illustration captions are at least 12px on a phone", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + "/data");
      const charts = await page.evaluate(() => [...document.querySelectorAll("svg.chart text")].map((e) => {
        const r = e.getBoundingClientRect();
        const svg = e.ownerSVGElement;
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return parseFloat(getComputedStyle(e).fontSize) * scale + " " + (r.width > 0);
      }));
      await page.screenshot({ path: shot(t, "data-360x740") });
      await page.goto(srv.base + "/overdose");
      const imgs = await page.evaluate(() => [...document.querySelectorAll("main img")].map((i) => ({
        src: i.getAttribute("src"), w: i.getAttribute("width"), h: i.getAttribute("height"),
        shown: i.getBoundingClientRect().width, natural: i.naturalWidth })));
      await page.close();
      if (!charts.length) throw new Error("no chart text on /data");
      const small = charts.map((c) => parseFloat(c)).filter((px) => px < 12);
      if (small.length) throw new Error(`${small.length} chart labels under 12px, e.g. ${small[0].toFixed(1)}px`);
      if (imgs.length < 2) throw new Error("images on /overdose: " + imgs.length);
      for (const i of imgs) {
        if (!i.w || !i.h) throw new Error("an image without width and height: " + i.src);
        if (!/\.[0-9a-f]{8}\.svg$/.test(i.src)) throw new Error("an image not under a hashed name: " + i.src);
        // the smallest text in the illustration, at the size it is shown
        const svg = await (await fetch(srv.base + i.src)).text();
        const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((x) => Number(x[1]));
        const px = Math.min(...sizes) * i.shown / Number(i.w);
        if (sizes.length && px < 12) throw new Error(`${i.src}: its smallest text is ${px.toFixed(1)}px`);
      }
      const res = await fetch(srv.base + imgs[0].src);
      const cc = res.headers.get("cache-control") || "";
      if (!/max-age=31536000/.test(cc) || !/immutable/.test(cc)) throw new Error("cache-control: " + cc);
    });

    await t.check("look: the overdose card is first, red and the strongest on the home page", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + "/");
      const m = await page.evaluate(() => {
        const cards = [...document.querySelectorAll(".actions .action")];
        const first = cards[0], other = cards[1];
        const cs = (e) => getComputedStyle(e);
        return { href: first.getAttribute("href"), border: parseFloat(cs(first).borderTopWidth),
          otherBorder: parseFloat(cs(other).borderTopWidth), color: cs(first.querySelector("strong")).color,
          borderColor: cs(first).borderTopColor, size: parseFloat(cs(first.querySelector("strong")).fontSize),
          otherSize: parseFloat(cs(other.querySelector("strong")).fontSize),
          top: first.getBoundingClientRect().top, h1: document.querySelector("h1").textContent };
      });
      await page.close();
      const red = (c) => { const [r, g, b] = c.match(/\d+/g).map(Number); return r > 150 && g < 80 && b < 80; };
      if (m.href !== "/overdose") throw new Error("the first card is " + m.href);
      if (!red(m.color) || !red(m.borderColor)) throw new Error(`not red: ${m.color}, ${m.borderColor}`);
      if (m.border <= m.otherBorder || m.size <= m.otherSize) throw new Error("not stronger: " + JSON.stringify(m));
      if (m.top > PHONE.height) throw new Error("the overdose card starts at " + m.top);
      if (/^\s*Waypost\s*$/.test(m.h1)) throw new Error("the home page's H1 is the site name");
    });

    await t.check("look: Menu is a link to the menu without JavaScript and a toggle with it", async () => {
      const ctx = await t.browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
      const page = await ctx.newPage();
      await page.goto(srv.base + "/combos");
      await page.click("#wp-menu-link");
      const hash = await page.evaluate(() => location.hash);
      const visible = await page.isVisible("#wp-menu a[href='/recovery']");
      await ctx.close();
      if (hash !== "#wp-menu" || !visible) throw new Error(`without JavaScript: ${hash}, ${visible}`);
      const p2 = await phone.newPage();
      await p2.goto(srv.base + "/combos");
      await p2.click("#wp-menu-link");
      const open = await p2.evaluate(() => ({
        expanded: document.getElementById("wp-menu-link").getAttribute("aria-expanded"),
        inHeader: !!document.querySelector("header.top #wp-menu"),
        top: document.querySelector("#wp-menu a[href='/recovery']").getBoundingClientRect().top,
      }));
      const problems = await new t.AxeRunner(p2).run();
      await p2.screenshot({ path: shot(t, "menu-open-360x740") });
      await p2.click("#wp-search-link");
      const focused = await p2.evaluate(() => document.activeElement.id);
      await p2.keyboard.press("Escape");
      const closed = await p2.evaluate(() => !document.querySelector("header.top #wp-menu"));
      await p2.close();
      if (open.expanded !== "true" || !open.inHeader || open.top > PHONE.height) throw new Error(JSON.stringify(open));
      if (focused !== "wp-q") throw new Error("Search put the focus on " + focused);
      if (!closed) throw new Error("Escape did not close the menu");
      if (problems.length) throw new Error("axe with the menu open: " + problems.join("; "));
    });

    await t.check("look: /recovery is one card per pathway on a phone and whole at 1280px", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + "/recovery?sort=evidence&dir=desc");
      const m = await page.evaluate(() => {
        const rows = [...document.querySelectorAll("table.pathways tbody tr")];
        return { rows: rows.length, display: getComputedStyle(rows[0]).display,
          width: rows[0].getBoundingClientRect().width, sort: document.getElementById("f-sort").value,
          dir: document.getElementById("f-dir").value };
      });
      await page.screenshot({ path: shot(t, "recovery-360x740") });
      await page.close();
      if (m.rows < 10 || m.display !== "block" || m.width > 360) throw new Error(JSON.stringify(m));
      if (m.sort !== "evidence" || m.dir !== "desc") throw new Error("the sort form does not show the sort: " + JSON.stringify(m));
      const p2 = await wide.newPage();
      await p2.goto(srv.base + "/recovery");
      const w = await p2.evaluate(() => {
        const wrap = document.querySelector(".table-wrap.wide");
        const table = wrap.querySelector("table");
        return { wrap: wrap.clientWidth, table: table.scrollWidth, right: table.getBoundingClientRect().right,
          page: document.documentElement.scrollWidth, view: window.innerWidth };
      });
      await p2.screenshot({ path: shot(t, "recovery-1280"), fullPage: false });
      await p2.close();
      if (w.table > w.wrap + 1 || w.right > w.view || w.page > w.view) throw new Error("a column is cut off: " + JSON.stringify(w));
    });

    await t.check("look: listing cards have one Call button and Directions, 44px tall", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + "/find/naloxone?where=10001");
      const cards = await page.evaluate(() => [...document.querySelectorAll(".results-list > li.listing")].slice(0, 5).map((li) => ({
        calls: li.querySelectorAll("a[href^='tel:']").length,
        buttons: [...li.querySelectorAll(".buttons a")].map((a) => a.getBoundingClientRect().height),
        chips: li.querySelectorAll(".chips li:not(.more)").length,
      })));
      await page.screenshot({ path: shot(t, "find-360x740") });
      await page.close();
      if (!cards.length) throw new Error("no results");
      for (const c of cards) {
        if (c.calls > 1 || c.chips > 3 || !c.buttons.length) throw new Error(JSON.stringify(c));
        if (c.buttons.some((h) => h < 44)) throw new Error("a button under 44px: " + JSON.stringify(c));
      }
    });

    for (const p of ["/search?q=overdose", "/search?q=xanax+and+alcohol", "/search?q=am+i+drinking+too+much",
      "/substances/xylazine", "/recovery", "/combos?s=xanax&s=alcohol"]) {
      await t.check(`look: page ${p} passes axe (360px)`, () => t.auditPage(phone, srv, p));
    }
  } finally {
    await phone.close();
    await wide.close();
    srv.proc.kill("SIGTERM");
  }
}
