// Opens an impact HTML report in headless Chromium (Debian's /usr/bin/chromium through playwright-core)
// and checks that it really renders: the SVG charts have size and visible bars in the report's colours,
// the flip table has the expected rows, nothing is fetched from outside the file, and the screenshots
// are not blank (distinct pixel colours counted from the decoded PNGs).
//
//   node impact_report.mjs --html report.html --png shot.png [--expect-flips ID,ID,…] [--chromium PATH]
//
// Exit 0: all checks passed. 1: a check failed (each failure printed). 2: bad usage. 3: Chromium
// missing. 4: playwright-core missing (run `npm ci` in tests/browser).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { pathToFileURL } from 'node:url';
import { launchOffline, requireChromium } from './offline_chromium.mjs';

function parseArgs(argv) {
  const a = { chromium: process.env.CLEARANCE_CHROMIUM || '/usr/bin/chromium', expectFlips: null };
  for (let i = 2; i < argv.length; ++i) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--html') { a.html = v; ++i; }
    else if (k === '--png') { a.png = v; ++i; }
    else if (k === '--expect-flips') { a.expectFlips = v ? v.split(',').filter(Boolean) : []; ++i; }
    else if (k === '--chromium') { a.chromium = v; ++i; }
    else { console.error(`unknown argument ${k}`); process.exit(2); }
  }
  if (!a.html || !a.png) {
    console.error('usage: node impact_report.mjs --html FILE --png FILE [--expect-flips ID,…] [--chromium PATH]');
    process.exit(2);
  }
  return a;
}

// Minimal PNG decoder (8-bit RGB/RGBA, non-interlaced: what Chromium writes) -> {width, height, rgba}.
function decodePng(buf) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(sig)) throw new Error('not a PNG');
  let pos = 8, width = 0, height = 0, depth = 0, type = 0, interlace = 0;
  const idat = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const kind = buf.toString('ascii', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      depth = data[8]; type = data[9]; interlace = data[12];
    } else if (kind === 'IDAT') idat.push(data);
    else if (kind === 'IEND') break;
    pos += 12 + len;
  }
  if (depth !== 8 || (type !== 6 && type !== 2) || interlace !== 0) throw new Error(`unsupported PNG (depth ${depth}, type ${type})`);
  const bpp = type === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; ++y) {
    const f = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let x = 0; x < stride; ++x) {
      const left = x >= bpp ? line[x - bpp] : 0, up = prev[x], ul = x >= bpp ? prev[x - bpp] : 0;
      let p;
      switch (f) {
        case 0: p = 0; break;
        case 1: p = left; break;
        case 2: p = up; break;
        case 3: p = (left + up) >> 1; break;
        case 4: {
          const q = left + up - ul, pa = Math.abs(q - left), pb = Math.abs(q - up), pc = Math.abs(q - ul);
          p = pa <= pb && pa <= pc ? left : pb <= pc ? up : ul;
          break;
        }
        default: throw new Error(`bad PNG filter ${f}`);
      }
      line[x] = (line[x] + p) & 0xff;
    }
    for (let x = 0; x < width; ++x) {
      out[(y * width + x) * 4] = line[x * bpp];
      out[(y * width + x) * 4 + 1] = line[x * bpp + 1];
      out[(y * width + x) * 4 + 2] = line[x * bpp + 2];
      out[(y * width + x) * 4 + 3] = bpp === 4 ? line[x * bpp + 3] : 255;
    }
    prev = line;
  }
  return { width, height, rgba: out };
}

function colourStats(png, target) {
  const seen = new Set();
  let near = 0;
  for (let i = 0; i < png.rgba.length; i += 4) {
    const r = png.rgba[i], g = png.rgba[i + 1], b = png.rgba[i + 2];
    seen.add((r << 16) | (g << 8) | b);
    if (target && Math.abs(r - target[0]) <= 6 && Math.abs(g - target[1]) <= 6 && Math.abs(b - target[2]) <= 6) ++near;
  }
  return { distinct: seen.size, near, pixels: png.width * png.height };
}

const args = parseArgs(process.argv);
const chromium = await requireChromium(args.chromium);

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
let session;
try {
  session = await launchOffline(chromium, args.chromium);
  const { page, external } = session;
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const resp = await page.goto(pathToFileURL(path.resolve(args.html)).href, { waitUntil: 'load' });
  check(resp === null || resp.ok(), `page did not load: ${resp && resp.status()}`);

  const info = await page.evaluate(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { w: r.width, h: r.height }; };
    const bars = (svg, sel) => [...svg.querySelectorAll(sel)].map((r) => box(r)).filter((b) => b.w > 0 && b.h > 0).length;
    const verdict = [...document.querySelectorAll('svg.chart-verdict')];
    const stake = [...document.querySelectorAll('svg.chart-stake')];
    const flips = document.querySelector('table#flips');
    const blocked = document.querySelector('svg.chart-stake rect.bar-blocked');
    return {
      title: document.title,
      verdictCharts: verdict.map((s) => ({ id: s.id, ...box(s), bars: bars(s, 'rect.bar') })),
      stakeCharts: stake.map((s) => ({ id: s.id, ...box(s), blocked: bars(s, 'rect.bar-blocked'), shippable: bars(s, 'rect.bar-shippable'), policy: bars(s, 'rect.bar-policy') })),
      flipRows: flips ? [...flips.querySelectorAll('tbody tr')].map((tr) => tr.dataset.order) : null,
      flipTable: flips ? box(flips) : null,
      flipCells: flips ? [...flips.querySelectorAll('tbody tr:first-child td')].map((td) => td.textContent.trim()) : [],
      blockedFill: blocked ? getComputedStyle(blocked).fill : null,
      scripts: document.scripts.length,
    };
  });

  check(info.title.length > 0, 'document has no title');
  check(info.verdictCharts.length > 0, 'no value-by-verdict chart (svg.chart-verdict)');
  for (const c of info.verdictCharts) {
    check(c.w > 100 && c.h > 50, `chart ${c.id} has no size (${c.w}x${c.h})`);
    check(c.bars > 0, `chart ${c.id} shows no bars`);
  }
  check(info.stakeCharts.length > 0, 'no value-at-stake chart (svg.chart-stake)');
  const stakeBars = info.stakeCharts.reduce((n, c) => n + c.blocked + c.shippable + c.policy, 0);
  check(stakeBars > 0, 'value-at-stake charts show no bars');
  for (const c of info.stakeCharts) check(c.w > 100 && c.h > 10, `chart ${c.id} has no size (${c.w}x${c.h})`);
  check(info.scripts === 0, `the report carries ${info.scripts} scripts`);
  if (args.expectFlips) {
    check(info.flipRows !== null, 'no flip table (table#flips)');
    if (info.flipRows) {
      check(JSON.stringify(info.flipRows) === JSON.stringify(args.expectFlips),
            `flip table rows ${JSON.stringify(info.flipRows)} != expected ${JSON.stringify(args.expectFlips)}`);
      check(info.flipTable.w > 300 && info.flipTable.h > 20 * args.expectFlips.length, `flip table too small: ${JSON.stringify(info.flipTable)}`);
      check(info.flipCells.length >= 9 && info.flipCells[0] === args.expectFlips[0], `first flip row cells: ${JSON.stringify(info.flipCells)}`);
    }
  }
  check(external.length === 0, `external requests: ${external.join(', ')}`);
  check(consoleErrors.length === 0, `page errors: ${consoleErrors.join('; ')}`);

  // Screenshots, decoded: the page is not blank, the chart shows the bar colour, the table has text.
  await page.screenshot({ path: args.png, fullPage: true });
  const full = colourStats(decodePng(fs.readFileSync(args.png)));
  check(full.distinct >= 50, `full-page screenshot looks blank: ${full.distinct} distinct colours`);
  let chartStats = null, tableStats = null;
  const chartEl = await page.$('svg.chart-stake');
  if (chartEl) {
    const chartPng = args.png.replace(/\.png$/, '') + '-chart.png';
    await chartEl.screenshot({ path: chartPng });
    const fill = (info.blockedFill || '').match(/\d+/g);
    const target = fill && fill.length >= 3 ? fill.slice(0, 3).map(Number) : [192, 57, 43];
    chartStats = colourStats(decodePng(fs.readFileSync(chartPng)), info.stakeCharts.some((c) => c.blocked) ? target : null);
    check(chartStats.distinct >= 5, `chart screenshot has ${chartStats.distinct} distinct colours`);
    if (info.stakeCharts.some((c) => c.blocked)) check(chartStats.near >= 50, `chart screenshot shows ${chartStats.near} pixels of the bar colour ${target}`);
  }
  const tableEl = await page.$('table#flips');
  if (tableEl) {
    const tablePng = args.png.replace(/\.png$/, '') + '-flips.png';
    await tableEl.screenshot({ path: tablePng });
    tableStats = colourStats(decodePng(fs.readFileSync(tablePng)));
    check(tableStats.distinct >= 10, `flip-table screenshot has ${tableStats.distinct} distinct colours`);
  }
  console.log(JSON.stringify({ verdictCharts: info.verdictCharts, stakeCharts: info.stakeCharts, flipRows: info.flipRows,
                               blockedFill: info.blockedFill, screenshot: full, chart: chartStats, table: tableStats }));
} catch (e) {
  failures.push(`error: ${e && e.stack ? e.stack : e}`);
} finally {
  if (session) await session.close();
}
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('ok');
