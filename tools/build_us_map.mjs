// build_us_map.mjs: converts the us-atlas state outlines into the small JSON
// file the server draws its SVG map from (data/geo/us-states.json).
//
//   npm ci --prefix tools && node tools/build_us_map.mjs
//
// Input: us-atlas/states-albers-10m.json, TopoJSON already projected with
// d3.geoAlbersUsa().scale(1300).translate([487.5, 305]) into a 975x610 box.
// Output: {"width", "height", "projection", "states": [{"id", "name",
// "path"}]}, where each path is an SVG path in absolute coordinates rounded
// to 0.1 px, one "M ... Z" per ring. Points that round onto the previous
// one are dropped, and nearly straight runs are thinned (Douglas-Peucker,
// TOLERANCE px) to keep the file small; at the map's size the difference
// is invisible. The output is committed, so building Waypost needs no node.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const TOLERANCE = Number(process.env.MAP_TOLERANCE ?? 0.2);
const out = join(here, '..', 'data', 'geo', 'us-states.json');

const atlasPath = require.resolve('us-atlas/states-albers-10m.json');
const atlasVersion = JSON.parse(readFileSync(require.resolve('us-atlas/package.json'), 'utf8')).version;
const topo = JSON.parse(readFileSync(atlasPath, 'utf8'));
const states = feature(topo, topo.objects.states);

const round = (v) => Math.round(v * 10) / 10;
const fmt = (v) => {
  const s = round(v).toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
};

// Perpendicular distance from p to the segment a-b.
function segDist(p, a, b) {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  let t = len2 ? ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0], y = a[1] + t * dy - p[1];
  return Math.sqrt(x * x + y * y);
}

// Iterative Douglas-Peucker over an open polyline; keeps both ends.
function simplify(pts, tol) {
  if (pts.length < 3 || tol <= 0) return pts;
  const keep = new Uint8Array(pts.length);
  keep[0] = keep[pts.length - 1] = 1;
  const stack = [[0, pts.length - 1]];
  while (stack.length) {
    const [i, j] = stack.pop();
    let best = -1, dmax = 0;
    for (let k = i + 1; k < j; k++) {
      const d = segDist(pts[k], pts[i], pts[j]);
      if (d > dmax) { dmax = d; best = k; }
    }
    if (best >= 0 && dmax > tol) {
      keep[best] = 1;
      stack.push([i, best], [best, j]);
    }
  }
  return pts.filter((_, k) => keep[k]);
}

function ringPath(ring) {
  // Rings are closed (last == first); split at the farthest point so the
  // simplification keeps the ring's shape, then drop repeats after rounding.
  const open = ring.slice(0, -1);
  if (open.length < 3) return '';
  let far = 1, dmax = -1;
  for (let k = 1; k < open.length; k++) {
    const d = Math.hypot(open[k][0] - open[0][0], open[k][1] - open[0][1]);
    if (d > dmax) { dmax = d; far = k; }
  }
  const a = simplify(open.slice(0, far + 1), TOLERANCE);
  const b = simplify(open.slice(far).concat([open[0]]), TOLERANCE);
  const pts = a.concat(b.slice(1, -1));
  const kept = [];
  for (const p of pts) {
    const q = [round(p[0]), round(p[1])];
    const last = kept[kept.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) kept.push(q);
  }
  if (kept.length < 3) return '';
  return 'M' + kept.map((p) => fmt(p[0]) + ',' + fmt(p[1])).join('L') + 'Z';
}

function geometryPath(g) {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  return polys.flatMap((poly) => poly.map(ringPath)).filter(Boolean).join('');
}

const result = {
  width: 975,
  height: 610,
  projection: 'albersUsa (us-atlas states-albers-10m)',
  source: `us-atlas ${atlasVersion} states-albers-10m.json (US Census Bureau cartographic boundaries, public domain); see US-ATLAS.md`,
  states: states.features
    .map((f) => ({ id: String(f.id), name: f.properties.name, path: geometryPath(f.geometry) }))
    .filter((s) => s.path)
    .sort((x, y) => x.id.localeCompare(y.id)),
};

mkdirSync(dirname(out), { recursive: true });
const text = JSON.stringify(result) + '\n';
writeFileSync(out, text);
console.log(`wrote ${out}: ${result.states.length} states, ${text.length} bytes (tolerance ${TOLERANCE} px)`);
