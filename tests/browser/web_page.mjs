// The analyst page (web/) in headless Chromium (Debian's, through playwright-core) against the real
// `clearance serve` that tests/server/web_page_test.cpp started on real lists. One browser, one
// page, the analyst's work end to end:
//   a screen with a typo'd name and with a Chinese name (word bridges shown), the entry in full;
//   a batch upload followed through its progress bar to the summary and the download;
//   a hit's case decided false positive by the analyst, approved by a second key (four-eyes), and
//   the next screening showing the hit suppressed;
//   a check with its cited rules and the classification's arithmetic;
//   an impact report inline; an audit record looked up and replayed; the lists with their age.
// Every step saves a screenshot; axe-core checks every screen (no serious or critical violation);
// any console error, page error, failed request, HTTP error or request to another origin fails.
//
//   node web_page.mjs --base URL --keys keys.json --out DIR --batch FILE --orders FILE
//                     [--expect-flips ID,…] [--chromium PATH]
// keys.json: {"analyst": KEY, "approver": KEY, "admin": KEY}. Prints one JSON summary line.
// Exit 0: passed; 1: a check failed (each printed); 2: bad usage; 3: no Chromium; 4: no npm deps.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const args = { chromium: process.env.CLEARANCE_CHROMIUM || '/usr/bin/chromium' };
for (let i = 2; i < process.argv.length; i += 2) {
  const k = process.argv[i].replace(/^--/, '');
  args[k.replace(/-(.)/g, (_, c) => c.toUpperCase())] = process.argv[i + 1];
}
for (const k of ['base', 'keys', 'out', 'batch', 'orders'])
  if (!args[k]) {
    console.error('usage: node web_page.mjs --base URL --keys FILE --out DIR --batch FILE --orders FILE [--expect-flips IDS] [--chromium PATH]');
    process.exit(2);
  }
if (!fs.existsSync(args.chromium)) {
  console.error(`FAIL: Chromium not found at ${args.chromium} (apt-get install -y chromium, or set CLEARANCE_CHROMIUM)`);
  process.exit(3);
}
let chromium, axeSource;
try {
  ({ chromium } = await import('playwright-core'));
  axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
} catch (e) {
  console.error(`FAIL: ${e.message}. Run: cd tests/browser && npm ci (make browser-deps)`);
  process.exit(4);
}

const keys = JSON.parse(fs.readFileSync(args.keys, 'utf8'));
const base = args.base.replace(/\/$/, '');
fs.mkdirSync(args.out, { recursive: true });
const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); return ok; };
const summary = { screenshots: [], axe: {}, steps: {} };
const t0 = Date.now();

const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearance-page-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: args.chromium, headless: true, acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // Nothing but the server: a request elsewhere is recorded and refused.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${base}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    failures.push(`request to another origin: ${url}`);
    return route.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(20000);
  page.on('console', (m) => { if (m.type() === 'error') failures.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => failures.push(`request failed: ${r.method()} ${r.url()} ${r.failure() && r.failure().errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) failures.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
  page.on('framenavigated', (f) => { if (f === page.mainFrame() && /[?&](key|api_key|token)=/i.test(f.url())) failures.push(`a key in the address: ${f.url()}`); });

  const shot = async (name) => {
    const file = path.join(args.out, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    summary.screenshots.push(file);
  };
  const axe = async (name) => {
    if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
    const r = await page.evaluate(async () => {
      const res = await window.axe.run(document, { resultTypes: ['violations'] });
      return res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0] && v.nodes[0].target.join(' ') }));
    });
    summary.axe[name] = r.map((v) => `${v.id}:${v.impact}`);
    for (const v of r)
      if (v.impact === 'serious' || v.impact === 'critical')
        failures.push(`axe ${name}: ${v.impact} ${v.id} (${v.help}) ×${v.nodes} at ${v.target}`);
  };
  const step = async (name, fn) => {
    const s = Date.now();
    try {
      await fn();
    } catch (e) {
      failures.push(`${name}: ${e.message.split('\n')[0]}`);
      await shot(`failed-${name}`).catch(() => {});
    }
    summary.steps[name] = Date.now() - s;
  };
  const signIn = async (role) => {
    if (await page.locator('#who').isVisible()) {
      await page.click('#sign-out');
      await page.waitForSelector('#sign-in-form');
    }
    await page.fill('#api-key', keys[role]);
    await page.press('#api-key', 'Enter');
    await page.waitForSelector(`#who-text:has-text("(${role}")`);
  };
  const screenName = async (name, extra = {}) => {
    await page.click('#nav a[href="#screen"]');
    const form = page.locator('#screen-form');
    await form.getByLabel('Name (any script)').fill(name);
    await form.getByLabel('Country').fill(extra.country || '');
    await form.getByLabel('Customer id').fill(extra.customer || '');
    await form.getByRole('button', { name: 'Screen' }).click();
    await page.waitForSelector(`#screen-results article.hit >> nth=0`);
    await page.waitForFunction((n) => document.querySelector('#screen .status').textContent.includes(n), name);
  };

  // Regression (CI, 2026-12-05): a key typed and sent before app.js had run was a native form
  // submission, blocked by the CSP, and the page stayed on the sign-in form. With app.js held
  // back, the form must be disabled; once it runs, Enter signs in.
  await step('sign-in-before-scripts', async () => {
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(`${base}/app.js`, async (route) => { await held; await route.continue(); }, { times: 1 });
    await page.goto(`${base}/`, { waitUntil: 'commit' });
    await page.waitForSelector('#sign-in-form');
    check(await page.locator('#api-key').isDisabled(), 'the key field is enabled before app.js runs');
    check(await page.locator('#sign-in-form button[type=submit]').isDisabled(), 'the sign-in button is enabled before app.js runs');
    release();
    await signIn('analyst');
    await Promise.all([page.waitForEvent('load'), page.click('#sign-out')]);
    await page.waitForLoadState('networkidle');  // the favicon too, before the next step navigates
  });

  await step('sign-in', async () => {
    const resp = await page.goto(`${base}/`, { waitUntil: 'load' });
    const csp = resp.headers()['content-security-policy'] || '';
    check(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `page CSP: ${csp}`);
    await page.waitForSelector('#sign-in-form');
    await axe('sign-in');
    await shot('01-sign-in');
    // By keyboard alone: the skip link first, then the key field; Enter signs in.
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'keyboard: the skip link is not first');
    await page.keyboard.press('Tab');
    check(await page.evaluate(() => document.activeElement.id === 'api-key'), 'keyboard: the key field is not next');
    await page.keyboard.type(keys.analyst);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#who-text:has-text("(analyst")');
    // The screens are links in the tab order; Enter on one opens it.
    await page.focus('#nav a[href="#check"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#check-form');
    check(await page.locator('#nav a[aria-current=page]').getAttribute('href') === '#check', 'keyboard: Enter on a screen link did not open it');
    check(await page.evaluate(() => sessionStorage.getItem('clearance.key') !== null), 'the key is not in session storage');
    check(await page.evaluate(() => localStorage.length === 0 && !document.cookie), 'something kept outside session storage');
  });

  await step('screen-typo', async () => {
    await screenName('Huawei Technolgies', { country: 'CN' });
    const first = page.locator('#screen-results article.hit').first();
    check(/Huawei/.test(await first.locator('h2').textContent()), 'typo: first hit is not Huawei');
    check(/spelling variant/.test(await first.locator('.explanation').textContent()), 'typo: no spelling-variant explanation');
    check(await first.locator('.score .bar .fill').evaluate((el) => el.getBoundingClientRect().width > 50), 'typo: the score bar has no width');
    await first.getByRole('button', { name: 'Entry details' }).click();
    await first.locator('.entry ul.names li').first().waitFor();
    check((await first.locator('.entry').textContent()).includes('Huawei'), 'entry details do not name Huawei');
    await axe('screen');
    await shot('02-screen-typo');
  });

  await step('screen-chinese', async () => {
    await screenName('华为技术有限公司');
    const first = page.locator('#screen-results article.hit').first();
    check(/Huawei/.test(await first.locator('h2').textContent()), 'Chinese: first hit is not Huawei');
    const bridges = await first.locator('mark.bridge').allTextContents();
    check(bridges.some((b) => b.startsWith('华为 → huawei')), `Chinese: no 华为 → huawei bridge (${bridges.join(' | ')})`);
    summary.steps.bridges = bridges;
    await shot('03-screen-chinese');
    // Phone width: the same answer, one column, no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    check(await page.evaluate(() => document.documentElement.scrollWidth <= 392), `phone: the page scrolls sideways (${await page.evaluate(() => document.documentElement.scrollWidth)} px)`);
    await shot('04-screen-phone');
    await axe('screen-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await step('batch', async () => {
    await page.click('#nav a[href="#batch"]');
    // The file four times over (ids made distinct), so that even on a fast machine the job runs
    // longer than the page's 150 ms poll and the bar has a partial state to show.
    const [header, ...lines] = fs.readFileSync(args.batch, 'utf8').trim().split('\n');
    const copies = [0, 1, 2, 3].flatMap((k) => lines.map((l) => (k ? l.replace(/^([^,]*)/, `$1-${k}`) : l)));
    const batchFile = path.join(args.out, 'batch-upload.csv');
    fs.writeFileSync(batchFile, [header, ...copies].join('\n') + '\n');
    const rows = copies.length;
    await page.setInputFiles('#batch-form input[type=file]', batchFile);
    await page.click('#batch-form button[type=submit]');
    await page.waitForSelector('#batch-summary', { timeout: 60000 });
    const seen = (await page.getAttribute('#batch-progress', 'data-seen')).split(',').map(Number);
    summary.steps.progress_seen = seen.length;
    check(seen[seen.length - 1] === rows, `batch: progress ended at ${seen[seen.length - 1]}, not ${rows}`);
    check(seen.length >= 2 && seen.some((v) => v > 0 && v < rows), `batch: the progress bar never showed a partial state (${seen.join(',')})`);
    const got = await page.locator('#batch-summary dd[data-k=rows]').textContent();
    check(Number(got) === rows, `batch: summary says ${got} rows, the file has ${rows}`);
    check(Number(await page.locator('#batch-summary dd[data-k=rows_with_hits]').textContent()) > 0, 'batch: no row has a hit');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Download results/ }).click()]);
    const file = path.join(args.out, 'batch-results.jsonl');
    await dl.saveAs(file);
    check(fs.readFileSync(file, 'utf8').trim().split('\n').length === rows, 'batch: the download does not have a line per row');
    await axe('batch');
    await shot('05-batch');
  });

  let caseId = null;
  await step('false-positive', async () => {
    await screenName('Huawei Technolgies', { country: 'CN', customer: 'CUST-WEB-1' });
    const first = page.locator('#screen-results article.hit').first();
    const open = first.getByRole('button', { name: /Open case/ });
    caseId = Number((await open.textContent()).match(/\d+/)[0]);
    await open.click();
    await page.waitForSelector(`#case-detail .case[data-case="${caseId}"]`);
    await page.check(`#decision-${caseId}-false_positive`);
    await page.fill(`#decide-${caseId} textarea`, 'Different company: the customer is a reseller in Hamburg, not the listed Huawei entity.');
    await page.click(`#decide-${caseId} button[type=submit]`);
    await page.waitForSelector(`#case-detail .case[data-case="${caseId}"][data-status="pending"]`);
    check(await page.locator(`#review-pending tr[data-case="${caseId}"]`).count() === 1, 'four-eyes: the decision is not in the pending queue');
    check(await page.locator(`#approve-${caseId}`).count() === 0, 'four-eyes: the analyst is offered the approval');
    await axe('review');
    await shot('06-review-decided-pending');
  });

  await step('four-eyes', async () => {
    await signIn('approver');
    await page.click('#nav a[href="#review"]');
    await page.locator(`#review-pending tr[data-case="${caseId}"] button`).click();
    await page.click(`#approve-${caseId}`);
    await page.waitForSelector(`#case-detail .case[data-case="${caseId}"][data-status="decided"]`);
    check((await page.locator('#case-detail').textContent()).includes('Approved'), 'four-eyes: no approval shown');
    await shot('07-review-approved');
  });

  await step('suppressed', async () => {
    await screenName('Huawei Technolgies', { country: 'CN', customer: 'CUST-WEB-1' });
    const badge = page.locator('#screen-results article.hit.is-suppressed .badge.suppressed').first();
    check((await badge.textContent()).includes(`suppressed by case ${caseId}`), 'the next screening does not show the hit suppressed');
    // Another customer's same name is not silenced.
    await screenName('Huawei Technolgies', { country: 'CN', customer: 'CUST-WEB-2' });
    check(await page.locator('#screen-results article.hit.is-suppressed').count() === 0, 'another customer is suppressed too');
    await screenName('Huawei Technolgies', { country: 'CN', customer: 'CUST-WEB-1' });
    await shot('08-screen-suppressed');
  });

  let checkRecord = null;
  await step('check', async () => {
    await signIn('analyst');
    await page.click('#nav a[href="#check"]');
    await page.locator('#check-form').getByLabel('Item').pressSequentially('H2', { delay: 30 });
    await page.waitForFunction(() => document.querySelectorAll('#check-items option').length > 0);
    check(/H20/.test(await page.locator('#check-item-found').textContent()), 'catalogue search: H20 not suggested');
    const form = page.locator('#check-form');
    await form.getByLabel('Item').fill('H20');
    await form.getByLabel('To').fill('CN');
    await form.getByLabel('Exporter').fill('NVIDIA');
    await form.getByLabel('Parties').fill('Huawei Technologies');
    await form.getByLabel('Date').fill('2025-05-01');
    await form.getByRole('button', { name: 'Check' }).click();
    await page.waitForSelector('#check-results .classification');
    check((await page.locator('#check-overall').textContent()).includes('Licence required'), 'check: overall is not licence required');
    const us = page.locator('#check-results section[data-jurisdiction="US-EAR"]');
    const letter = us.locator('tr[data-rule="us.letter.2025-04.nvidia-h20"]');
    check(await letter.count() === 1, 'check: the H20 letter rule did not fire');
    check(/BIS is-informed letter/.test(await letter.locator('td.citation').textContent()), 'check: the rule has no citation');
    check(await us.locator('tr[data-rule="us.744.11.entity-list"] .conf').count() === 1, 'check: no confidence mark on the Entity List rule');
    check((await page.locator('#class-tpp').textContent()).trim() === '2368', 'check: TPP is not 2368');
    check(/PD = TPP \/ die area = 2368 \/ 814/.test(await page.locator('#class-pd').textContent()), 'check: no PD arithmetic');
    checkRecord = Number((await page.locator('#check .status').textContent()).match(/audit record (\d+)/)[1]);
    await axe('check');
    await shot('09-check');
  });

  await step('impact', async () => {
    await page.click('#nav a[href="#impact"]');
    await page.setInputFiles('#impact-form input[type=file]', args.orders);
    await page.fill('#impact-form input[name=from]', '2025-03-01');
    await page.fill('#impact-form input[name=to]', '2025-05-01');
    await page.click('#impact-form button[type=submit]');
    await page.waitForSelector('#impact-report table#flips', { timeout: 60000 });  // pierces the shadow root
    const flips = await page.locator('#impact-report table#flips tbody tr').evaluateAll((trs) => trs.map((t) => t.dataset.order));
    if (args.expectFlips) check(flips.join(',') === args.expectFlips, `impact: flips ${flips.join(',')} != ${args.expectFlips}`);
    const bar = await page.locator('#impact-report svg.chart-stake rect.bar-blocked').first().evaluate((r) => {
      const b = r.getBoundingClientRect();
      return { w: b.width, fill: getComputedStyle(r).fill };
    });
    check(bar.w > 0 && bar.fill === 'rgb(192, 57, 43)', `impact: the report's chart is not styled (${JSON.stringify(bar)})`);
    await axe('impact');
    await shot('10-impact');
  });

  await step('record-replay', async () => {
    await signIn('admin');
    await page.click('#nav a[href="#record"]');
    await page.fill('#record-form input[name=id]', String(checkRecord));
    await page.click('#record-form button[type=submit]');
    await page.waitForSelector(`#record-out article[data-seq="${checkRecord}"]`);
    check((await page.locator('#record-out h2').textContent()).includes('check'), 'record: not the check record');
    await page.click('#replay');
    await page.waitForSelector('#replay-verdict');
    check((await page.locator('#replay-verdict').textContent()).startsWith('Same answer'), 'replay: not the same answer');
    await page.waitForSelector('#lists-in-force table.lists');
    const lists = await page.locator('#lists-in-force tbody tr').count();
    check(lists >= 2, `record: ${lists} lists in force shown`);
    check(await page.locator('#lists-warning').count() === 1, 'record: no warning for lists older than the maximum age');
    await axe('record');
    await shot('11-record-replay');
  });
} catch (e) {
  failures.push(`error: ${e && e.stack ? e.stack : e}`);
} finally {
  if (context) await context.close().catch(() => {});
  fs.rmSync(userDataDir, { recursive: true, force: true });
}
summary.seconds = (Date.now() - t0) / 1000;
console.log(JSON.stringify(summary));
if (failures.length) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('ok');
