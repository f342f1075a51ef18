// Headless Chromium (Debian's, through playwright-core) for a self-contained page: only file: and
// data: URLs load; every other request is aborted and listed in `external`, so a test can fail a
// page that reaches outside itself. close() also removes the throw-away profile.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// playwright-core's chromium, after checking that Chromium and playwright-core are installed
// (exit 3 and 4 with what to install, as the page checks have always said).
export async function requireChromium(executablePath) {
  if (!fs.existsSync(executablePath)) {
    console.error(`FAIL: Chromium not found at ${executablePath}. Install it: apt-get install -y chromium (or set CLEARANCE_CHROMIUM).`);
    process.exit(3);
  }
  try {
    return (await import('playwright-core')).chromium;
  } catch (e) {
    console.error(`FAIL: playwright-core is not installed (${e.message}). Run: cd tests/browser && npm ci`);
    process.exit(4);
  }
}

export async function launchOffline(chromium, executablePath) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'clearance-chromium-'));
  let context;
  const close = async () => {
    if (context) await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const external = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    const page = context.pages()[0] || (await context.newPage());
    return { context, page, external, close };
  } catch (e) {
    await close();
    throw e;
  }
}
