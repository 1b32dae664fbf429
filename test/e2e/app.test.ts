/**
 * The app's main path in a real browser (Debian's Chromium, headless) against `sgnn serve`:
 * create a project from the SIR template, see the diagram, change a prior, make and fix a typo in
 * a rate, explore, import the boarding-school data (after seeing a row-level error), see the data
 * over the prediction, and build a small simulation bank to completion. A screenshot is saved at
 * every step under test/e2e/artifacts/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { FIXTURES, startSession } from './harness.ts';
import type { Session } from './harness.ts';

let s: Session;
let page: Page;

/** Drop a file on an element the way a user's drag and drop does (a DataTransfer with a File). */
async function dropFile(p: Page, selector: string, name: string, text: string): Promise<void> {
  await p.evaluate(({ selector, name, text }) => {
    const target = document.querySelector(selector)!;
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'text/csv' }));
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { selector, name, text });
}

describe('SGNN Studio in the browser (sgnn serve + Chromium)', () => {
  beforeAll(async () => {
    s = await startSession();
    page = s.page;
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it('shows the template gallery with a thumbnail of each template', async () => {
    await page.getByRole('radio', { name: /SIR \(Kermack/ }).waitFor();
    const count = await page.locator('[data-template] svg[role="img"]').count();
    expect(count).toBeGreaterThanOrEqual(10);
    await expect.poll(() => page.getByText('Engine connected').isVisible()).toBe(true);
    await s.shot('home');
  });

  it('creates a project from the SIR template and shows its diagram', async () => {
    await page.locator('[data-template="sir"]').click();
    await page.getByLabel(/Project file/).fill(join(s.dir, 'boarding-school.sgnn'));
    await page.getByTestId('create-project').click();
    const nodes = page.locator('.svelte-flow__node-species');
    await nodes.first().waitFor();
    expect(await nodes.count()).toBe(3);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(2);
    await expect.poll(() => page.getByText('Valid model').isVisible()).toBe(true);
    await s.shot('model-diagram');
  });

  it('changes a prior and sees its density update, then autosaves', async () => {
    await page.getByTestId('tab-parameters').click();
    const beta = page.locator('[data-param="beta"]');
    await beta.locator('canvas').waitFor();
    const before = await beta.locator('.summary').textContent();
    await page.locator('#beta-sigma').fill('0.4');
    await page.locator('#beta-sigma').press('Enter');
    await page.locator('#beta-sigma').blur();
    await expect.poll(() => beta.locator('.summary').textContent()).not.toBe(before);
    await page.getByLabel('Prior of gamma').selectOption('gamma');
    await expect.poll(() => page.locator('[data-param="gamma"] .summary').textContent()).toMatch(/median/);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^Saved$/ }).count(), { timeout: 10_000 }).toBe(1);
    await s.shot('prior-changed');
    const models = await s.engine.handle('model.list', { project: join(s.dir, 'boarding-school.sgnn') }) as { version: number }[];
    expect(models[0].version).toBeGreaterThan(1);
  });

  it('shows an inline error with a suggestion for a typo in a rate', async () => {
    await page.getByRole('tab', { name: 'Inspector' }).click();
    await page.locator('[data-flow="infection"]').click();
    const rate = page.locator('#rate-infection');
    await rate.fill('bta * S * I / N');
    const alert = page.locator('#rate-infection-msg');
    await expect.poll(() => alert.textContent()).toMatch(/unknown name "bta"/);
    await expect.poll(() => page.getByTestId('apply-suggestion').textContent()).toMatch(/beta/);
    await s.shot('rate-typo');
    await page.getByTestId('apply-suggestion').click();
    await expect.poll(() => rate.inputValue()).toBe('beta * S * I / N');
    await expect.poll(() => alert.textContent()).toBe('');
    await expect.poll(() => page.getByText('Valid model').isVisible()).toBe(true);
  });

  it('offers name completion while typing a rate', async () => {
    const rate = page.locator('#rate-recovery');
    await page.locator('.svelte-flow__pane').click({ position: { x: 30, y: 30 } });
    await page.locator('[data-flow="recovery"]').click();
    await rate.waitFor();
    await rate.fill('gam');
    await expect.poll(() => page.getByRole('option', { name: 'gamma' }).isVisible()).toBe(true);
    await rate.press('Tab');
    await rate.pressSequentially(' * I');
    await rate.blur();
    await expect.poll(() => rate.inputValue()).toBe('gamma * I');
  });

  it('shows the generated ODEs typeset and the synced text view', async () => {
    await page.getByRole('tab', { name: 'Equations' }).click();
    await page.locator('.katex-display').first().waitFor();
    expect(await page.locator('.katex-display').count()).toBeGreaterThanOrEqual(3);
    await s.shot('equations');
    await page.getByRole('tab', { name: 'Text' }).click();
    await expect.poll(() => page.locator('#model-text').inputValue()).toMatch(/infection: S \+ I -> 2 I/);
    await s.shot('text-view');
    await page.getByRole('tab', { name: 'Diagram' }).click();
  });

  it('explores: sliders re-simulate in a worker, with stochastic runs and a prior-predictive band', async () => {
    await page.locator('[data-screen="explore"]').click();
    await expect.poll(() => page.getByText(/Simulated in/).isVisible(), { timeout: 20_000 }).toBe(true);
    await expect.poll(() => page.getByText(/band in \d+ ms/).isVisible(), { timeout: 30_000 }).toBe(true);
    const slider = page.getByLabel('beta (prior quantile)');
    const before = await page.locator('.param .value').first().textContent();
    await slider.fill('0.8');
    await expect.poll(() => page.locator('.param .value').first().textContent()).not.toBe(before);
    await s.shot('explore');
  });

  it('reports row-level CSV errors with line numbers', async () => {
    await page.locator('[data-screen="data"]').click();
    await page.getByText('Drop a CSV file here').waitFor();
    await s.shot('data-empty');
    const bad = 'day,in_bed\n1,3\n2,8\n3,twenty-six\n4,76\n';
    await dropFile(page, '.drop', 'bad.csv', bad);
    await page.locator('#map-cases').selectOption('in_bed');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: /line 4/ }).count()).toBeGreaterThan(0);
    expect(await page.getByTestId('import-data').isDisabled()).toBe(true);
    await s.shot('data-row-error');
    await page.getByRole('button', { name: 'Discard' }).click();
  });

  it('imports the boarding-school CSV and shows the data over the prediction', async () => {
    const csv = readFileSync(join(FIXTURES, 'data/boarding_school.csv'), 'utf8');
    await dropFile(page, '.drop', 'boarding_school.csv', csv);
    await page.locator('table.preview').waitFor();
    await page.locator('#time-col').selectOption('day');
    await page.locator('#map-cases').selectOption('in_bed');
    await expect.poll(() => page.getByText(/observation times will be imported/).isVisible()).toBe(true);
    await s.shot('data-preview');
    await page.getByTestId('import-data').click();
    await page.getByTestId('data-plot').first().waitFor();
    await page.waitForTimeout(500);
    await s.shot('data-over-prediction');
    const datasets = await s.engine.handle('dataset.list', { project: join(s.dir, 'boarding-school.sgnn') }) as { nTimes: number }[];
    expect(datasets).toHaveLength(1);
    expect(datasets[0].nTimes).toBe(14);
  });

  it('builds a small simulation bank with live progress to completion', async () => {
    await page.locator('[data-screen="simulate"]').click();
    await page.locator('#bank-n').fill('3000');
    await page.getByTestId('start-bank').click();
    await page.locator('.job[data-job]').first().waitFor();
    await s.shot('simulate-running');
    await expect.poll(() => page.locator('.job[data-job]').first().getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    await expect.poll(() => page.locator('.bank .badge').first().textContent(), { timeout: 10_000 }).toBe('complete');
    await s.shot('simulate-done');
    const banks = await s.engine.handle('bank.list', { project: join(s.dir, 'boarding-school.sgnn') }) as { nDone: number; status: string }[];
    expect(banks[0]).toMatchObject({ nDone: 3000, status: 'complete' });
  });

  it('switches to the dark theme', async () => {
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await s.shot('simulate-dark');
    await page.locator('[data-screen="model"]').click();
    await page.locator('.svelte-flow__node-species').first().waitFor();
    await s.shot('model-dark');
    await page.locator('[data-screen="data"]').click();
    await page.getByTestId('data-plot').first().waitFor();
    await page.waitForTimeout(300);
    await s.shot('data-dark');
  });

  it('had no page errors', () => {
    expect(s.errors).toEqual([]);
  });
});
