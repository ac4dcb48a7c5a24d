// The finder's results map (issue 10), measured in headless Chromium at
// 360x740: no wider than the screen, after the third result card, its
// text at least 12 px, pins that do not overlap, and axe-core clean (light
// and dark). Screenshots go to build/test-output/map-*.png.
import path from "node:path";

const PHONE = { width: 360, height: 740 };
const FIND = "/find/naloxone?where=10001";

export async function run(t) {
  const srv = await t.startServer();
  const phone = await t.browser.newContext({ viewport: PHONE });
  const dark = await t.browser.newContext({ viewport: PHONE, colorScheme: "dark" });
  try {
    await t.check("map: after the third card, within a 360px screen, 12px text, pins apart", async () => {
      const page = await phone.newPage();
      await page.goto(srv.base + FIND);
      const m = await page.evaluate(() => {
        const svg = document.querySelector("figure.map-figure svg.map");
        if (!svg) return null;
        const r = svg.getBoundingClientRect();
        const cards = [...document.querySelectorAll("li.listing")].map((li) => li.getBoundingClientRect().top);
        const pins = [...svg.querySelectorAll(".pin circle")].map((c) => {
          const b = c.getBoundingClientRect();
          return [b.left + b.width / 2, b.top + b.height / 2, b.width];
        });
        return {
          left: r.left, right: r.right, top: r.top + window.scrollY, width: r.width,
          cards: cards.map((c) => c + window.scrollY), pins,
          text: [...svg.querySelectorAll("text")].map((e) => e.getBoundingClientRect().height > 0 ?
            parseFloat(getComputedStyle(e).fontSize) * r.width / 320 : 99),
          scroll: document.documentElement.scrollWidth,
        };
      });
      if (!m) throw new Error("no map on " + FIND);
      await page.locator("figure.map-figure").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(t.outDir, "map-find-360x740.png") });
      await page.locator("figure.map-figure").screenshot({ path: path.join(t.outDir, "map-figure-360.png") });
      await page.close();
      if (m.left < 0 || m.right > PHONE.width || m.scroll > PHONE.width) throw new Error("wider than the screen: " + JSON.stringify(m));
      if (m.cards.length < 4 || !(m.top > m.cards[2] && m.top < m.cards[3])) throw new Error("not after the third card: " + JSON.stringify(m));
      const small = m.text.filter((px) => px < 12);
      if (small.length) throw new Error("map text under 12px: " + small.join(", "));
      for (let i = 0; i < m.pins.length; i++) {
        for (let j = 0; j < i; j++) {
          const d = Math.hypot(m.pins[i][0] - m.pins[j][0], m.pins[i][1] - m.pins[j][1]);
          if (d < m.pins[i][2]) throw new Error(`pins ${i} and ${j} overlap (${d.toFixed(1)}px apart)`);
        }
      }
    });
    await t.check("map: the finder with its map passes axe (360px, light)", () => t.auditPage(phone, srv, FIND));
    await t.check("map: the finder with its map passes axe (360px, dark)", async () => {
      await t.auditPage(dark, srv, FIND);
      const page = await dark.newPage();
      await page.goto(srv.base + FIND);
      await page.locator("figure.map-figure").screenshot({ path: path.join(t.outDir, "map-figure-360-dark.png") });
      await page.close();
    });
  } finally {
    await phone.close();
    await dark.close();
    srv.proc.kill("SIGTERM");
  }
}
