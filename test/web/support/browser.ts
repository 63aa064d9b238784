import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it): playwright cannot download browsers here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser tests can run. Without Chromium they fail in CI (CI=true), with the reason, and
 * are skipped with the reason printed elsewhere.
 */
export const chromiumAvailable = (): boolean => {
  if (existsSync(CHROMIUM)) return true;
  const reason = `${CHROMIUM} is missing: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`browser tests cannot run in CI: ${reason}`);
  console.warn(`browser tests skipped: ${reason}`);
  return false;
};

/** Headless, sandbox off (CI runs as root), no background traffic; playwright gives each launch a fresh profile directory. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'],
  });

/** Screenshots every run keeps (gitignored). */
export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');
export const artifact = (name: string): string => {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
};

/** The README's screenshots, rewritten only when asked: UPDATE_SCREENSHOTS=1 npx jest test/web. */
export const readmeScreenshot = (name: string): string | undefined => {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return undefined;
  const dir = join(__dirname, '..', '..', '..', 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
};

/**
 * Contrast of every element holding visible text against its effective background (WCAG 2 relative
 * luminance), run in the page; returns the failures below `minimum`. A string so the server-side
 * typecheck needs no DOM types.
 */
export const CONTRAST_SCRIPT = (minimum: number) => `(() => {
  const rgb = (s) => { const m = s.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
  const lum = ([r, g, b]) => { const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
  const background = (el) => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  const failures = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!own || el.closest('.sr-only') || el.getClientRects().length === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const fg = lum(rgb(style.color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    checked++;
    if (ratio < ${minimum}) failures.push(el.tagName + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
  }
  return { checked, failures };
})()`;
