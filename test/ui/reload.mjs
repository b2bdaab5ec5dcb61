// The reload check: a pass against a fake IMAP server that holds its greeting is running when the
// window reloads. The old extension host's runner stops after the item in flight; the new window
// reads the store, offers to resume the cut-off pass, and Resume runs it to its end.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** @param {import('./workbench.mjs').Workbench} wb */
export function reloadCheck(wb, root, workspace) {
  const require = createRequire(import.meta.url);
  const compiled = path.join(root, 'out', 'test', 'vscode', 'suite');
  if (!fs.existsSync(path.join(compiled, 'fakeImap.js'))) throw new Error('out/ is not built: run node scripts/build-tests.mjs first');
  const { startFakeImap } = require(path.join(compiled, 'fakeImap.js'));
  const { imapPlanText } = require(path.join(compiled, 'imapPlanText.js'));
  const page = wb.page;

  return async () => {
    const server = await startFakeImap({ hold: true });
    try {
      fs.mkdirSync(path.join(workspace, 'slow'), { recursive: true });
      fs.writeFileSync(path.join(workspace, 'slow', 'slow.migration.yaml'), imapPlanText('Slow IMAP', server.port, 'SLOW_PW'));
      // A recursive inotify watcher adds a new directory's watch a moment after it appears, so a
      // file written into it at once can go unseen (VS Code's file watcher trap, not Ferry's):
      // Refresh looks the plans up again, as a person would, rather than waiting and hoping.
      await wb.command('Ferry: Refresh');
      await wb.row('Slow IMAP').waitFor({ timeout: 60_000 });
      await wb.command('Ferry: Set Secret');
      await wb.answer('Ferry: Set Secret', 'SLOW_PW');
      await wb.answer('Ferry: Set Secret SLOW_PW', 'slow-password-1234', { password: true });
      await wb.notification('SLOW_PW is stored in SecretStorage');
      await wb.clearNotifications();

      await wb.command('Ferry: Verify Credentials', 'Slow IMAP', 'All batches');
      await wb.row('Slow IMAP').filter({ hasText: 'Verify credentials running' }).waitFor({ timeout: 60_000 });
      await wb.shot('pass-running');
      await page.reload({ waitUntil: 'domcontentloaded' });
      await wb.ready();
      // The old runner finishes the login in flight once the server answers, then lets go of the folder.
      server.release();
      const offer = await wb.notification('did not finish', 90_000);
      // Right after a reload the plan may not be read yet: the offer then names the plan file.
      assert.match((await offer.innerText()).replace(/\s+/g, ' '), /Verify credentials of (Slow IMAP|slow\.migration\.yaml) did not finish/);
      await wb.shot('reattach-offer');
      await offer.getByRole('button', { name: 'Resume' }).click();
      // The fake refuses every login: the resumed pass runs to its end, and says it failed.
      const done = await wb.notification('Verify credentials of Slow IMAP failed', 60_000);
      assert.match((await done.innerText()).replace(/\s+/g, ' '), /0 mailboxes completed, 0 with errors, 2 failed/);
    } finally {
      server.release();
      await server.close();
    }
  };
}
