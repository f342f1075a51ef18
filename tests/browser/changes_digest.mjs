// Opens `clearance changes --format html` digests in headless Chromium (Debian's /usr/bin/chromium
// through playwright-core) and checks that each renders: no console error or page error, nothing
// fetched from outside the file, and every expected row visible on screen (with its text).
//
//   node changes_digest.mjs [--chromium PATH] --html FILE --expect KIND:ID,… [--html FILE --expect …]
//
// KIND is entry, rule, customer or order (a row with data-KIND="ID"), or not-computed (the part
// section ID shows its "not computed" notice and carries data-status="not_computed").
//
// Exit 0: all checks passed ("ok" printed). 1: a check failed (each failure printed). 2: bad usage.
// 3: Chromium missing. 4: playwright-core missing (run `npm ci` in tests/browser).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchOffline, requireChromium } from './offline_chromium.mjs';

const pages = [];
let chromiumPath = process.env.CLEARANCE_CHROMIUM || '/usr/bin/chromium';
for (let i = 2; i < process.argv.length; ++i) {
  const k = process.argv[i], v = process.argv[i + 1];
  ++i;
  if (k === '--html') pages.push({ html: v, expect: [] });
  else if (k === '--expect' && pages.length) pages[pages.length - 1].expect = v.split(',').filter(Boolean);
  else if (k === '--chromium') chromiumPath = v;
  else { console.error(`unknown or misplaced argument ${k}`); process.exit(2); }
}
if (!pages.length) {
  console.error('usage: node changes_digest.mjs [--chromium PATH] --html FILE --expect KIND:ID,… […]');
  process.exit(2);
}
const chromium = await requireChromium(chromiumPath);

const failures = [];
let session;
try {
  session = await launchOffline(chromium, chromiumPath);
  const { page, external } = session;
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  for (const p of pages) {
    errors.length = 0;
    const resp = await page.goto(pathToFileURL(path.resolve(p.html)).href, { waitUntil: 'load' });
    if (resp && !resp.ok()) failures.push(`${p.html}: did not load: ${resp.status()}`);
    for (const want of p.expect) {
      const [kind, id] = [want.slice(0, want.indexOf(':')), want.slice(want.indexOf(':') + 1)];
      const seen = await page.evaluate(([kind, id]) => {
        const visible = (el) => {
          if (!el) return false;
          const r = el.getBoundingClientRect(), s = getComputedStyle(el);
          return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
        };
        if (kind === 'not-computed') {
          const sec = document.getElementById(id);
          return { ok: !!sec && sec.dataset.status === 'not_computed' && visible(sec.querySelector('.not-computed')) &&
                       visible(document.getElementById('incomplete')),
                   text: sec ? sec.textContent.trim().slice(0, 200) : '' };
        }
        const row = [...document.querySelectorAll(`[data-${kind}]`)].find((el) => el.dataset[kind] === id);
        return { ok: visible(row) && row.textContent.includes(kind === 'entry' || kind === 'rule' || kind === 'order' ? id : ''),
                 text: row ? row.textContent.trim().slice(0, 200) : '' };
      }, [kind, id]);
      if (!seen.ok) failures.push(`${p.html}: ${want} is not visible (${seen.text || 'no such row'})`);
      else console.log(`${path.basename(p.html)}: ${want}: ${seen.text.replace(/\s+/g, ' ')}`);
    }
    if (errors.length) failures.push(`${p.html}: console errors: ${errors.join(' | ')}`);
  }
  if (external.length) failures.push(`fetched from outside the file: ${external.join(', ')}`);
} finally {
  if (session) await session.close();
}
if (failures.length) {
  for (const f of failures) console.log(`FAIL: ${f}`);
  process.exit(1);
}
console.log('ok');
