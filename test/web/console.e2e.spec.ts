import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ServerProcess, readAdminKey, startServerProcess } from '@treasury/test-support';
import { CONTRAST_SCRIPT, artifact, chromiumAvailable, launchChromium, readmeScreenshot } from './support/browser';
import { CONSOLE_BOOK, populateConsoleBook } from './support/console-book';

/**
 * The web console in Debian's Chromium against the built server (`npm run build`, as `npm start` serves
 * it) with a populated book: sign-in, the position at a date and as known then, charts, explain, audit,
 * reconciliation, command forms and roles, keyboard, labels and contrast. Screenshots go to test-artifacts/.
 */
const run = chromiumAvailable() ? describe : describe.skip;

run('web console in a real browser', () => {
  let dir: string;
  let server: ServerProcess;
  let browser: Browser;
  let base: string;
  const keys: Record<'admin' | 'viewer' | 'treasurer', string> = { admin: '', viewer: '', treasurer: '' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'treasury-web-'));
    const dbPath = join(dir, 'treasury.db');
    server = await startServerProcess(dbPath);
    base = server.http.baseUrl;
    keys.admin = readAdminKey(dbPath);
    await populateConsoleBook(base, keys.admin);
    for (const role of ['viewer', 'treasurer'] as const) {
      const created = await server.http.post('/v1/admin/api-keys', { name: `${role}@acme`, role, books: [CONSOLE_BOOK] });
      keys[role] = created.body.key;
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server !== undefined) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh tab (its own sessionStorage), signed in through the form. */
  const signedIn = async (token: string): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('pageerror', (error) => {
      throw error;
    });
    await page.goto(`${base}/`);
    await page.getByLabel('API key or identity-provider token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('section.position[data-state=ready]');
    return page;
  };

  const until = async (condition: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('condition not met within 5 s');
  };
  const figure = (page: Page, path: string) => page.locator(`a[data-figure="${path}"]`).first().innerText();
  const atCut = async (page: Page, asOf: string, knownAt = '') =>
    page.waitForSelector(`section.position[data-rendered="${CONSOLE_BOOK}|${asOf}|${knownAt}"]`);

  it('refuses wrong credentials on the sign-in page, and signs in with an API key', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByLabel('API key or identity-provider token').fill('tek_nothing1_notasecret');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('sign in again');
    // Kept per tab (sessionStorage), never in localStorage.
    expect(await page.evaluate('localStorage.length')).toBe(0);
    await page.close();
    const good = await signedIn(keys.admin);
    expect(await good.evaluate('sessionStorage.getItem("treasury.credentials")')).toBe(keys.admin);
    await good.close();
  });

  it('shows the position at the date picked, as known now and as known then', async () => {
    const page = await signedIn(keys.treasurer);
    const asOf = page.getByLabel(/As of/);
    await asOf.fill('2025-08-31');
    await atCut(page, '2025-08-31');
    expect(await figure(page, 'holdings.btc')).toBe('150.00000000 BTC');
    await asOf.fill('2025-10-31');
    await atCut(page, '2025-10-31');
    // June to October at 50 BTC a month (October as amended), less the 10 sold in September.
    expect(await figure(page, 'holdings.btc')).toBe('240.00000000 BTC');
    expect(await figure(page, 'loans.coinbase-2025.ltv')).toBe('62.5946%');
    expect(await page.locator('[data-loan="coinbase-2025"] .ltv-line.call').count()).toBe(1);
    // As known on November 30th, October's payout was still keyed as 25 BTC.
    await page.getByLabel('as known then').check();
    await page.getByLabel('Known at (end of day)').fill('2025-11-30');
    await atCut(page, '2025-10-31', '2025-11-30');
    expect(await figure(page, 'holdings.btc')).toBe('215.00000000 BTC');
    await page.screenshot({ path: artifact('position-known-then.png') });
    await page.close();
  });

  it('draws the series with month ticks, and hover shows the exact figures', async () => {
    const page = await signedIn(keys.viewer);
    await page.goto(`${base}/#/position?asOf=2025-12-31`);
    await atCut(page, '2025-12-31');
    const btcChart = page.locator('[data-chart=btc]');
    await btcChart.locator('canvas').waitFor();
    const ticks = (await btcChart.getAttribute('data-x-ticks')) ?? '';
    expect(ticks.split(',')).toEqual(expect.arrayContaining(['Jul 2025', 'Sep 2025', 'Nov 2025']));
    for (const chart of ['btc', 'ltv', 'liquidity', 'price'])
      expect(Number(await page.locator(`[data-chart=${chart}]`).getAttribute('data-points'))).toBeGreaterThan(100);
    // The LTV chart draws the loan's thresholds as their own series.
    const ltvLegend = await page.locator('[data-chart=ltv] .u-legend').innerText();
    expect(ltvLegend).toContain('coinbase-2025 LTV');
    expect(ltvLegend).toContain('coinbase-2025 margin call');
    // Hover over mid-December: the legend shows the API's decimal strings.
    const over = btcChart.locator('.u-over');
    const box = (await over.boundingBox())!;
    await over.hover({ position: { x: box.width * 0.33, y: box.height / 2 } });
    const values = await btcChart.locator('.u-legend .u-value').allInnerTexts();
    expect(values[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(values[1]).toMatch(/^\d+\.\d{8}$/);
    const series = await server.http
      .as(keys.viewer)
      .get(`/v1/books/${CONSOLE_BOOK}/position/series?from=2025-06-01&to=${values[0]}&every=1d`);
    const point = series.body.points[series.body.points.length - 1];
    expect(values.slice(1)).toEqual([point.btc, point.pledgedBtc, point.unencumberedBtc]);
    await page.screenshot({ path: artifact('position.png'), fullPage: true });
    const readme = readmeScreenshot('position.png');
    if (readme !== undefined) {
      // Figures, the loan card and the first charts in one picture.
      await page.setViewportSize({ width: 1100, height: 1500 });
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: readme });
    }
    await page.close();
  });

  it('opens the explanation of a figure with its contributing events', async () => {
    const page = await signedIn(keys.viewer);
    await page.goto(`${base}/#/position?asOf=2025-10-31`);
    await atCut(page, '2025-10-31');
    await page.locator('a[data-figure="holdings.btc"]').click();
    await page.waitForSelector('.explain [data-state=ready]');
    expect(await page.locator('.explain .big').innerText()).toContain('240.00000000');
    const rows = page.locator('.explain tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(6);
    expect(await page.locator('.explain tbody').innerText()).toContain('MiningOutputReceived');
    expect(await page.locator('.explain tbody').innerText()).toContain('BtcSold');
    await page.screenshot({ path: artifact('explain.png'), fullPage: true });
    const readme = readmeScreenshot('explain.png');
    if (readme !== undefined) await page.screenshot({ path: readme });
    // A formula's inputs are figures too.
    await page.goto(`${base}/#/explain?figure=liquidity.availableLiquidityUsd&asOf=2025-10-31`);
    await page.getByRole('link', { name: 'liquidity.cashUsd' }).click();
    await page.waitForSelector('.explain [data-state=ready]');
    expect(await page.locator('.explain h1').innerText()).toContain('liquidity.cashUsd');
    await page.close();
  });

  it('pages through the audit trail and follows a reversal to its reversing event; verify is shown', async () => {
    const page = await signedIn(keys.admin);
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.waitForSelector('table.events[data-state=ready]');
    expect(await page.locator('[data-verify]').getAttribute('data-verify')).toBe('ok');
    // (waitForFunction evaluates a string, which the console's CSP forbids: polled from here instead.)
    const firstCell = () => page.locator('table.events tbody tr td').first().innerText();
    const firstRevision = await firstCell();
    await page.getByRole('button', { name: 'Next page' }).click();
    await until(async () => (await firstCell()) !== firstRevision);
    const secondPage = await page.locator('table.events tbody tr td').first().innerText();
    expect(Number(secondPage)).toBeGreaterThan(Number(firstRevision));
    await page.getByRole('button', { name: 'Previous page' }).click();
    await until(async () => (await firstCell()) === firstRevision);
    // Filter by reference: the duplicate utility bill and its reversal.
    await page.getByLabel('Reference').fill('utility-2025-08');
    await page.getByRole('button', { name: 'Filter' }).click();
    await until(async () => (await page.locator('table.events tbody tr').count()) === 2);
    await page.locator('a[data-rel=reversedBy]').click();
    await page.waitForSelector('[data-event-detail] pre');
    expect(await page.locator('[data-event-detail]').innerText()).toContain('EventReversed');
    expect(await page.locator('[data-event-detail]').innerText()).toContain('entered twice');
    await page.screenshot({ path: artifact('audit.png'), fullPage: true });
    await page.close();
  });

  it('highlights the flagged reconciliation row and shows the month-end report', async () => {
    const page = await signedIn(keys.viewer);
    await page.getByRole('link', { name: 'Month-end & reconciliation' }).click();
    const flagged = page.locator('[data-report=reconciliation] tr.flagged');
    await flagged.waitFor();
    expect(await flagged.count()).toBe(1);
    expect(await flagged.innerText()).toContain('Flagged');
    expect(await flagged.innerText()).toContain('-10.00000000');
    const background = await flagged.evaluate('(row) => getComputedStyle(row).backgroundColor');
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    await page.locator('[data-report=month-end] tbody tr').first().waitFor();
    expect(await page.locator('[data-report=month-end]').innerText()).toContain('2025-09');
    expect(await page.evaluate(CONTRAST_SCRIPT(4.5))).toMatchObject({ failures: [] });
    await page.screenshot({ path: artifact('reconciliation.png'), fullPage: true });
    const readme = readmeScreenshot('reconciliation.png');
    if (readme !== undefined) await flagged.locator('xpath=ancestor::section[1]').screenshot({ path: readme });
    await page.close();
  });

  it("shows the API's field errors next to the fields of a command form", async () => {
    const page = await signedIn(keys.treasurer);
    await page.getByRole('link', { name: 'Commands' }).click();
    await page.getByLabel('Command').selectOption('record-btc-sale');
    const form = page.locator('form[data-command=record-btc-sale]');
    await form.waitFor();
    await form.getByLabel(/^btc/).fill('1.123456789');
    await form.getByLabel(/^wallet/).fill('custody-cold');
    await form.getByRole('button', { name: 'Send record-btc-sale' }).click();
    const btcError = form.locator('[data-field=btc] .field-error');
    await btcError.waitFor();
    expect(await btcError.innerText()).toMatch(/8 decimals/);
    expect(await form.locator('[data-field=proceedsUsd] .field-error').innerText()).toMatch(/required/);
    expect(await form.locator('[data-field=wallet] .field-error').count()).toBe(0);
    expect(await form.getByLabel(/^btc/).getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: artifact('command-errors.png'), fullPage: true });
    // A command the API accepts: the price at the end of February 2026, in the book's zone.
    await page.getByLabel('Command').selectOption('record-btc-price');
    const price = page.locator('form[data-command=record-btc-price]');
    await price.getByLabel(/^effectiveAt/).fill('2026-02-28T23:59:00');
    await price.getByLabel(/^usdPerBtc/).fill('84000.00');
    await price.getByRole('button', { name: 'Send record-btc-price' }).click();
    // The form answers with a status (accepted) or its errors: wait for either, so a refusal fails with its reason.
    await price.locator('[role=status], .field-error, [role=alert]').first().waitFor();
    expect(await price.innerText()).toContain('BtcPriceObserved');
    const stored = await server.http.get(`/v1/books/${CONSOLE_BOOK}/events?type=BtcPriceObserved`);
    expect(stored.body.events.at(-1)).toMatchObject({ effectiveAt: '2026-02-28T23:59:00.000Z', data: { usdPerBtc: '84000.00' } });
    await page.close();
  });

  it('gives a viewer no forms and no audit page', async () => {
    const page = await signedIn(keys.viewer);
    const nav = await page.getByRole('navigation', { name: 'Pages' }).innerText();
    expect(nav).not.toContain('Commands');
    expect(nav).not.toContain('Audit');
    await page.goto(`${base}/#/commands`);
    await page.waitForSelector('section.position[data-state=ready]');
    expect(await page.locator('form.command').count()).toBe(0);
    await page.close();
  });

  it('labels every input, keeps a keyboard order with visible focus, and has readable contrast', async () => {
    const page = await signedIn(keys.treasurer);
    expect(await page.evaluate(CONTRAST_SCRIPT(4.5))).toMatchObject({ failures: [] });
    await page.getByRole('link', { name: 'Commands' }).click();
    await page.getByLabel('Command').selectOption('draw-loan');
    const form = page.locator('form[data-command=draw-loan]');
    await form.waitFor();
    const unlabelled = await page.evaluate(
      `[...document.querySelectorAll('input, select, textarea')].filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label')).map((el) => el.outerHTML)`,
    );
    expect(unlabelled).toEqual([]);
    // Tab from the first field through the form: the fields come in their order, each visibly focused
    // (a datetime-local input takes several Tabs, one per part of the date and time).
    await form.locator('input, select, textarea').first().focus();
    const order: string[] = [];
    for (let i = 0; i < 40 && order.length < 6; i++) {
      const name = String(await page.evaluate(`document.activeElement.name`));
      if (order[order.length - 1] !== name) order.push(name);
      await page.keyboard.press('Tab');
      // (Inside a datetime-local input the last stop is Chromium's own picker button, with its own ring.)
      expect(
        await page.evaluate(
          `document.activeElement.type === 'datetime-local' || getComputedStyle(document.activeElement).outlineStyle !== 'none'`,
        ),
      ).toBe(true);
    }
    const names = await form
      .locator('input, select, textarea')
      .evaluateAll((els) => els.map((el) => (el as unknown as { name: string }).name));
    expect(order).toEqual(names.slice(0, 6));
    expect(await page.evaluate(CONTRAST_SCRIPT(4.5))).toMatchObject({ failures: [] });
    await page.close();
  });
});
