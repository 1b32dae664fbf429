/**
 * SBML in the browser (sgnn serve + Chromium): create a project, import SBML test-suite case 00001
 * through the Model screen's file input (a new model with S1 → S2 on the canvas), export it back
 * as SBML (a download), then import broken SBML (a fast reaction through the file input, an
 * algebraic rule dropped on the canvas) and read the engine's message naming the element; a file
 * the importer accepts with a warning, dropped on the canvas, shows the warning.
 * Screenshots: test/e2e/artifacts/sbml-NN-*.png.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ARTIFACTS, startSession } from './harness.ts';
import type { Session } from './harness.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CASE_00001 = resolve(ROOT, '../shared/validation/sbml-semantic/00001/00001-sbml-l3v2.xml');

let s: Session;
let page: Page;
let project: string;

/** Drop a file on an element the way a user's drag and drop does (a DataTransfer with a File). */
async function dropFile(p: Page, selector: string, name: string, text: string): Promise<void> {
  await p.evaluate(({ selector, name, text }) => {
    const target = document.querySelector(selector)!;
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'text/xml' }));
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { selector, name, text });
}

/** The names of the project's models (sorted), from the engine. */
async function modelNames(): Promise<string[]> {
  const models = await s.engine.handle('model.list', { project }) as { name: string }[];
  return models.map((m) => m.name).sort();
}

describe.skipIf(!existsSync(CASE_00001))('SBML import and export in the browser', () => {
  beforeAll(async () => {
    s = await startSession({ prefix: 'sbml' });
    page = s.page;
    project = join(s.dir, 'sbml.sgnn');
  }, 60_000);

  afterAll(async () => {
    await s?.close();
  });

  it('creates a project from the SIR template', async () => {
    await page.locator('[data-template="sir"]').click();
    await page.getByLabel(/Project file/).fill(project);
    await page.getByTestId('create-project').click();
    await page.locator('.svelte-flow__node-species').first().waitFor();
    await expect.poll(() => page.locator('.svelte-flow__node-species').count()).toBe(3);
    await expect.poll(() => page.getByTestId('import-sbml').isEnabled()).toBe(true);
  });

  it('imports SBML test case 00001 from a file: a new model with S1 and S2 on the canvas, selected', async () => {
    await page.getByTestId('sbml-file').setInputFiles(CASE_00001);
    await expect.poll(() => page.locator('#model-select option').count()).toBe(2);
    await expect.poll(() => page.locator('#model-select option:checked').textContent()).toBe('case00001');
    const nodes = page.locator('.svelte-flow__node-species');
    await expect.poll(() => nodes.count()).toBe(2);
    expect((await nodes.locator('.label').allTextContents()).sort()).toEqual(['S1', 'S2']);
    await expect.poll(() => page.locator('.svelte-flow__edge').count()).toBe(1);
    await expect.poll(() => page.getByText('Valid model').isVisible()).toBe(true);
    expect(await page.getByTestId('sbml-error').count()).toBe(0);
    await page.getByText(/Imported “case00001” from 00001-sbml-l3v2\.xml/).waitFor();
    await page.waitForTimeout(300);
    await s.shot('imported-00001');
    expect(await modelNames()).toEqual(['SIR (Kermack-McKendrick)', 'case00001'].sort());
  });

  it('exports the current model as SBML (a download of <name>.xml)', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-sbml').click()]);
    expect(download.suggestedFilename()).toBe('case00001.xml');
    const file = join(ARTIFACTS, 'sbml-exported-case00001.xml');
    await download.saveAs(file);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toMatch(/<sbml[^>]+level="3"[^>]+version="2"/);
    expect(xml).toMatch(/<species[^>]+id="S1"/);
    expect(xml).toMatch(/<species[^>]+id="S2"/);
    expect(xml).toMatch(/<reaction[^>]+id="reaction1"/);
  });

  it('shows the engine’s message naming the element when the SBML has a fast reaction, and adds nothing', async () => {
    const bad = readFileSync(CASE_00001, 'utf8').replace('reversible="false"', 'reversible="false" fast="true"');
    const file = join(s.dir, 'fast-reaction.xml');
    writeFileSync(file, bad);
    await page.getByTestId('sbml-file').setInputFiles(file);
    const error = page.getByTestId('sbml-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Could not import fast-reaction\.xml/);
    expect(await error.textContent()).toMatch(/SBML <reaction> "reaction1": is fast="true"/);
    expect(await error.getAttribute('role')).toBe('alert');
    await s.shot('error-fast-reaction');
    expect(await modelNames()).toHaveLength(2);
    await page.getByRole('button', { name: 'Dismiss the SBML error' }).click();
    await expect.poll(() => error.count()).toBe(0);
  });

  it('imports by dropping a file on the canvas: an algebraic rule is refused with its element named', async () => {
    const bad = readFileSync(CASE_00001, 'utf8').replace('</listOfReactions>',
      '</listOfReactions>\n    <listOfRules><algebraicRule><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><minus/><ci>S1</ci><ci>S2</ci></apply></math></algebraicRule></listOfRules>');
    await dropFile(page, '.center', 'algebraic-rule.xml', bad);
    const error = page.getByTestId('sbml-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/Could not import algebraic-rule\.xml/);
    expect(await error.textContent()).toMatch(/SBML <algebraicRule>/);
    await s.shot('error-algebraic-rule');
    expect(await modelNames()).toHaveLength(2);
    // A valid file dropped on the canvas imports as a third model; the importer's warning stays on screen.
    const lenient = readFileSync(CASE_00001, 'utf8').replace('<speciesReference species="S2" stoichiometry="1" constant="true"/>', '<speciesReference species="S2" constant="true"/>');
    await dropFile(page, '.center', 'no-stoichiometry.xml', lenient);
    await expect.poll(() => page.locator('#model-select option:checked').textContent()).toBe('case00001 2');
    await expect.poll(() => error.count()).toBe(0);
    const warnings = page.getByTestId('sbml-warnings');
    await warnings.waitFor();
    expect(await warnings.textContent()).toMatch(/Imported “case00001 2” from no-stoichiometry\.xml with 1 warning/);
    expect(await warnings.textContent()).toMatch(/speciesReference to "S2" has no stoichiometry; using 1/);
    await page.waitForTimeout(300);
    await s.shot('imported-with-warning');
    expect(await modelNames()).toEqual(['SIR (Kermack-McKendrick)', 'case00001', 'case00001 2'].sort());
  });

  it('had no page errors', () => {
    expect(s.errors).toEqual([]);
  });
});
