import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from './server';
import { ms, summarise } from './stats';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DATE_CHANGES = 20;

type Row = (measure: string, result: string, target?: string) => void;

const day = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * The web console on the bench book, in Debian's Chromium: first contentful paint of the position page
 * (and when its figures are on screen), then a date change timed in the page from the input's change
 * event to the figures of the new date rendered. Skipped, with the reason, without Chromium.
 */
export const consolePhase = async (dbPath: string, bookId: string, first: number, last: number, row: Row): Promise<void> => {
  if (!existsSync(CHROMIUM)) {
    console.error(`  console phase skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    return;
  }
  const server = await startServer(dbPath);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const token = server.authorization.replace(/^Bearer /, '');
    // Signed in as the sign-in form leaves it: the credentials and the book in this tab's sessionStorage.
    await context.addInitScript(
      `sessionStorage.setItem('treasury.credentials', ${JSON.stringify(token)}); sessionStorage.setItem('treasury.book', ${JSON.stringify(bookId)});`,
    );
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
    page.on('response', (response) => void (response.status() >= 400 && problems.push(`${response.status()} ${response.url()}`)));
    const asOf = day(first + (last - first) / 2);
    await page.goto(`${server.baseUrl}/#/position?asOf=${asOf}`);
    try {
      await page.waitForSelector(`section.position[data-rendered="${bookId}|${asOf}|"]`, { timeout: 60_000 });
    } catch (error) {
      // Say what the page shows instead, so a failed run names its cause.
      const shown = await page.evaluate(`document.querySelector('main')?.innerText.slice(0, 400) ?? document.body.innerText.slice(0, 400)`);
      throw new Error(
        `the position page never rendered ${asOf}: ${String(shown)}; ${problems.join('; ')} (${(error as Error).message.split('\n')[0]})`,
      );
    }
    const paint = (await page.evaluate(`(() => {
      const fcp = performance.getEntriesByName('first-contentful-paint')[0];
      return { fcp: fcp ? fcp.startTime : NaN, figures: performance.now() };
    })()`)) as { fcp: number; figures: number };
    row(
      'Console first contentful paint (position page, 1M-event book)',
      `${ms(paint.fcp)} (figures on screen at ${ms(paint.figures)})`,
      '< 1.5 s',
    );
    const samples: number[] = [];
    for (let i = 0; i < DATE_CHANGES; i++) {
      const next = day(first + ((last - first) * (i + 1)) / (DATE_CHANGES + 1));
      const elapsed = (await page.evaluate(`new Promise((resolve) => {
        const input = document.querySelector('input[name=asOf]');
        const began = performance.now();
        input.value = ${JSON.stringify(next)};
        input.dispatchEvent(new Event('change', { bubbles: true }));
        const check = () => document.querySelector('section.position[data-rendered="${bookId}|${next}|"]') ? requestAnimationFrame(() => resolve(performance.now() - began)) : requestAnimationFrame(check);
        check();
      })`)) as number;
      samples.push(elapsed);
    }
    const s = summarise(samples);
    row(
      `Console date change to figures re-rendered (${DATE_CHANGES} dates)`,
      `p50 ${ms(s.p50)}, max ${ms(Math.max(...samples))}`,
      '< 300 ms',
    );
  } finally {
    await browser.close();
    await server.stop();
  }
};
