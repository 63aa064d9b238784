import type { Browser } from 'playwright-core';
import { startTestApp, TestApp } from '@treasury/test-support';
import { chromiumAvailable, launchChromium } from '../web/support/browser';

const run = chromiumAvailable() ? describe : describe.skip;

/** /docs in a real browser: Swagger UI from this server only, under the API's own Content-Security-Policy. */
run('the /docs page', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('renders every tag of the contract with no request off this origin and no CSP violation', async () => {
    const page = await browser.newPage();
    const foreign: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(app.http.baseUrl) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    const answer = await page.goto(`${app.http.baseUrl}/docs`);
    expect(answer?.headers()['content-type']).toMatch(/text\/html/);
    expect(answer?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.waitForSelector('.opblock-tag', { timeout: 20_000 });
    const tags = await page.$$eval('.opblock-tag', (nodes) => nodes.map((node) => node.getAttribute('data-tag')));
    expect(tags).toEqual(expect.arrayContaining(['positions', 'reports', 'audit', 'commands', 'access']));
    expect(await page.textContent('.info .title')).toMatch(/treasury-engine/);
    expect(foreign).toEqual([]);
    expect(problems.filter((text) => /Content Security Policy|Refused/i.test(text))).toEqual([]);
    await page.close();
  });
});
