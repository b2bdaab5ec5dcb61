// The welcome check: a folder without any plan shows the Ferry view's welcome content, whose
// button creates a project (here only checked to be there) and whose link opens the docs.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { workbenchUrl } from '../vscode/codeServer.mjs';
import { Workbench } from './workbench.mjs';

export function welcomeCheck(browser, { port, root, tmp, shots }) {
  return async () => {
    const empty = path.join(tmp, 'empty-folder');
    fs.mkdirSync(empty, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } });
    try {
      await page.goto(workbenchUrl(port, empty, [['extensionDevelopmentPath', root]]), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      const wb = new Workbench(page, { shots });
      await wb.ready();
      await wb.openView();
      const welcome = page.locator('.part.sidebar .welcome-view-content');
      await welcome.waitFor({ timeout: 60_000 });
      const text = (await welcome.innerText()).replace(/\s+/g, ' ');
      await wb.shot('welcome', page.locator('.part.sidebar'));
      assert.match(text, /No migration plan \(\*\.migration\.yaml\) in this workspace yet/);
      assert.ok(await welcome.getByRole('button', { name: 'New Migration Project' }).isVisible());
      assert.equal(await welcome.locator('a', { hasText: 'Ferry documentation' }).count(), 1, text);
    } finally {
      await page.close();
    }
  };
}
