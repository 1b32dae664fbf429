/**
 * The app's main story in a real browser (Debian's Chromium, headless) against `sgnn serve`, as a
 * new user would: create a project from the SIR template, see the diagram, change a prior, make
 * and fix a typo in a rate, explore, import the boarding-school data (after seeing a row-level
 * error), see the data over the prediction, build a small simulation bank, fit (simulate, train
 * with a live loss curve, check, estimate), read the estimates and checks, make an SEIR variant in
 * the text view, compare SIR with SEIR, and export the HTML report. A screenshot is saved at every
 * step under test/e2e/artifacts/.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, FIXTURES, startSession } from './harness.ts';
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

/** Scroll an element to the top of the content area (what a user scrolling down sees). */
async function scrollTo(p: Page, selector: string): Promise<void> {
  await p.locator(selector).first().evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await p.waitForTimeout(250);
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

  it('fits the model: simulate, train with a live loss curve and ETA, check, estimate', async () => {
    await page.locator('[data-screen="train"]').click();
    await page.getByRole('heading', { name: 'Train a network' }).waitFor();
    expect(await page.getByTestId('head-explained').textContent()).toMatch(/^Auto → density network/);
    await page.locator('#train-sims').fill('2000');
    await page.locator('#train-epochs').fill('8');
    await page.locator('#train-seed').fill('3');
    await page.getByTestId('start-train').click();
    const progress = page.locator('[data-job-progress]');
    await progress.waitFor();
    await expect.poll(() => page.locator('[data-testid="loss-chart"] canvas').count(), { timeout: 60_000 }).toBe(1);
    await s.shot('train-running');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 120_000 }).toBe('succeeded');
    await page.getByTestId('see-results').waitFor();
    await s.shot('train-done');
  }, 150_000);

  it('reads the estimates with intervals, the predictive band and the checks with verdicts', async () => {
    await page.getByTestId('see-results').click();
    const table = page.getByTestId('estimates-table');
    await table.waitFor();
    for (const p of ['beta', 'gamma']) {
      const row = table.locator(`tr[data-param="${p}"]`);
      expect(await row.count()).toBe(1);
      expect(await row.locator('.interval').textContent()).toMatch(/^\d[\d.e+-]* – \d[\d.e+-]*$/);
    }
    expect(await page.getByTestId('mismatch').count()).toBe(1);
    expect(await page.locator('[data-posterior] canvas').count()).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(300);
    await s.shot('results-estimates');
    await scrollTo(page, '#post-title');
    await s.shot('results-posteriors');
    await scrollTo(page, '[data-check="beta"]');
    expect(await page.locator('[data-check="beta"] .verdict').count()).toBeGreaterThanOrEqual(3);
    await s.shot('results-checks');
    await scrollTo(page, '#attr-title');
    await s.shot('results-attribution');
  });

  it('makes an SEIR variant in the text view', async () => {
    await page.locator('[data-screen="model"]').click();
    await page.getByRole('button', { name: 'Duplicate this model as a variant' }).click();
    await page.getByLabel('Name of the new variant').fill('SEIR (latent stage)');
    await page.getByRole('button', { name: 'Create variant' }).click();
    await expect.poll(() => page.locator('#model-select option').count()).toBe(2);
    await page.getByRole('tab', { name: 'Text' }).click();
    const text = page.locator('#model-text');
    await expect.poll(() => text.inputValue()).toMatch(/^model "SEIR \(latent stage\)"/);
    const sir = await text.inputValue();
    const seir = sir
      .replace(/^(parameter gamma .*)$/m, '$1\nparameter sigma = 1 ~ lognormal(mu=0, sigma=0.7) [1/day] "Rate of becoming infectious; 1/sigma is the mean latent period."')
      .replace(/^(species I = .*)$/m, 'species E = 0 [individuals] "Exposed (infected, not yet infectious)"\n$1')
      .replace(/^infection: S \+ I -> 2 I( *);/m, 'infection: S + I -> E + I$1;')
      .replace(/^(infection: .*)$/m, '$1\nlatency: E -> I ; sigma * E "E -> I"')
      .replace(/^layout I .*$/m, 'layout E 280 80\n$&');
    await text.fill(seir);
    await text.press('End');
    await expect.poll(() => page.getByText('In sync with the diagram').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.waitForTimeout(800);
    await page.getByRole('tab', { name: 'Diagram' }).click();
    await expect.poll(() => page.locator('.svelte-flow__node-species').count()).toBe(4);
    await expect.poll(() => page.getByRole('status').filter({ hasText: /^Saved$/ }).count(), { timeout: 10_000 }).toBe(1);
    await page.waitForTimeout(300);
    await s.shot('seir-variant');
  });

  it('compares SIR with SEIR: probabilities beside AIC/BIC, predicted curves, confusion matrices', async () => {
    await page.locator('[data-screen="compare"]').click();
    await page.getByRole('heading', { name: 'Compare mechanisms' }).waitFor();
    expect(await page.getByLabel('Compare model SIR (Kermack-McKendrick)', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel(/^Compare model SEIR/).isChecked()).toBe(true);
    await page.locator('#cmp-sims').fill('2000');
    await page.locator('#cmp-epochs').fill('8');
    await page.locator('#cmp-ml').fill('8');
    await page.getByTestId('start-compare').click();
    const progress = page.locator('[data-job-progress]');
    await progress.waitFor();
    await s.shot('compare-running');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 150_000 }).toBe('succeeded');
    const table = page.getByTestId('compare-table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    const text = await table.textContent();
    expect(text).toMatch(/SIR \(Kermack-McKendrick\)/);
    expect(text).toMatch(/SEIR \(latent stage\)/);
    const probs = await rows.locator('td strong.num').allTextContents();
    const sum = probs.map((p) => Number.parseFloat(p)).reduce((a, b) => a + b, 0);
    expect(sum).toBeGreaterThan(98);
    expect(sum).toBeLessThan(102);
    expect(await page.locator('.cm').count()).toBeGreaterThanOrEqual(3);
    await page.waitForTimeout(500);
    await s.shot('compare-results');
    await scrollTo(page, '#cm-title');
    await s.shot('compare-confusion');
  }, 180_000);

  it('exports the self-contained HTML report of the fit', async () => {
    await page.locator('[data-screen="report"]').click();
    const select = page.locator('#report-source');
    await select.waitFor();
    const fitOption = await select.locator('option', { hasText: /^Fit #/ }).first().getAttribute('value');
    await select.selectOption(fitOption!);
    await page.frameLocator('iframe[title="Report preview"]').locator('body').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-html').click()]);
    const file = join(ARTIFACTS, 'exported-report.html');
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/-report\.html$/);
    expect(statSync(file).size).toBeGreaterThan(20_000);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/i);
    const estimates = await s.engine.handle('estimate.list', { project: join(s.dir, 'boarding-school.sgnn') }) as { result: { estimates: Record<string, { mean: number }> } }[];
    expect(estimates.length).toBeGreaterThanOrEqual(1);
    expect(html).toContain('beta');
    expect(html).toContain('gamma');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    await page.waitForTimeout(300);
    await s.shot('report');
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
    await page.locator('[data-screen="train"]').click();
    await page.getByTestId('loss-chart').waitFor();
    await page.waitForTimeout(300);
    await s.shot('train-dark');
    await page.locator('[data-screen="results"]').click();
    await page.getByTestId('estimates-table').waitFor();
    await page.waitForTimeout(300);
    await s.shot('results-dark');
    await scrollTo(page, '[data-check="beta"]');
    await s.shot('results-checks-dark');
    await page.locator('[data-screen="compare"]').click();
    await page.getByTestId('compare-table').waitFor();
    await page.waitForTimeout(300);
    await s.shot('compare-dark');
  });

  it('had no page errors', () => {
    expect(s.errors).toEqual([]);
  });
});
