// Shared plumbing of the end-to-end tests: static servers on loopback, Debian's Chromium driven
// by playwright-core, a request recorder, and screenshots into artifacts/.
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../../..');
export const DIST = process.env.FAIRGROUND_DIST || join(ROOT, 'dist');
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

/** Serves `dir` with Python's static server on a free loopback port. */
export async function serveStatic(dir = DIST) {
  const port = await freePort();
  const child = spawn('python3', ['-m', 'http.server', '--bind', '127.0.0.1', String(port), '--directory', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 100; i++) {
    try { const r = await fetch(url); if (r.ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, close: () => child.kill() };
}

/** A second origin that records every request it receives (for canaries and CSP checks). */
export async function recordingServer() {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, body });
      res.writeHead(200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, received, close: () => new Promise((r) => server.close(r)) };
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Launches Debian's Chromium headless with a fresh profile, as root-safe as this machine needs. */
/** Chromium with a fresh profile; `options` are added to Playwright's context options. */
export async function launch(options = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'fairground-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
  return context;
}

/**
 * Records every request the browser context makes (pages, workers, service workers).
 * `mark()` returns a position; `since(pos)` the requests after it.
 */
export function recordRequests(context) {
  const log = [];
  const add = (req) => log.push({ url: req.url(), method: req.method(), body: req.postData(), resourceType: req.resourceType() });
  context.on('request', add);
  return { log, mark: () => log.length, since: (pos) => log.slice(pos) };
}

/** The requests that break the privacy rule: another origin, not a GET, or a body. */
export function privacyViolations(requests, appOrigin) {
  return requests.filter((r) => {
    if (r.url.startsWith('data:') || r.url.startsWith('blob:')) return false;
    return new URL(r.url).origin !== appOrigin || r.method !== 'GET' || (r.body != null && r.body !== '');
  });
}

/** Makes a deliberate violating request (a POST with a body to another origin) from a page of the
 * same browser context that has no CSP, to prove the recorder sees such requests. The page is
 * opened on the other origin itself (Chromium's private-network rules block loopback requests
 * from about:blank). Returns the canary's URL; the page's own GET also carries "canary". */
export async function fireCanary(context, otherOrigin) {
  const page = await context.newPage();
  await page.goto(`${otherOrigin}/canary-page`);
  const url = `${otherOrigin}/canary-${Date.now()}`;
  await page.evaluate(async (u) => { await fetch(u, { method: 'POST', body: 'canary' }); }, url);
  await page.close();
  return url;
}

/** Collects page errors and console errors, so a test can assert there were none. */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return errors;
}

export async function screenshot(page, name) {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Clicks the button with this test id and returns the text of the file it downloads. */
export async function save(page, testId) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid="${testId}"]`).click()]);
  return readFileSync(await download.path(), 'utf8');
}

/** The page's dedicated worker (the newest one, after a restart; not `not`). */
export async function appWorker(page, not = null) {
  for (let i = 0; i < 400; i++) {
    const workers = page.workers().filter((w) => w !== not);
    if (workers.length) return workers[workers.length - 1];
    await page.waitForTimeout(50);
  }
  throw new Error('the page started no worker');
}
