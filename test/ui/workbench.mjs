// Driving VS Code's workbench like a person: the command palette, quick picks, the Ferry view's
// rows, notifications, the dashboard webview's frames, the colour theme, screenshots.
import fs from 'node:fs';
import path from 'node:path';

export class Workbench {
  constructor(page, { shots }) {
    this.page = page;
    this.shots = shots;
    // Every wait is on a condition; on a busy machine (2 cores, several builds) the workbench can
    // take many seconds to draw what a quiet one draws at once, so the bounds are generous.
    page.setDefaultTimeout(60_000);
  }

  async ready() {
    await this.page.waitForSelector('.monaco-workbench .part.activitybar', { timeout: 90_000 });
    await this.page.waitForSelector('.statusbar-item', { timeout: 90_000 });
  }

  /** Runs a command through the palette by its title; then answers quick picks in order. */
  async command(title, ...picks) {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    // Click the row with exactly this title: Enter would take the fuzzy match ranked first.
    const row = this.page.locator('.quick-input-list .monaco-list-row').filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click();
    for (const pick of picks) await this.pick(pick);
  }

  /** Answers an input box (a quick input with a title); `password` waits for a password box. */
  async answer(title, value, { password = false } = {}) {
    const widget = this.page.locator('.quick-input-widget', { has: this.page.locator('.quick-input-title', { hasText: title }) });
    const input = widget.locator(password ? 'input[type="password"]' : 'input');
    await input.waitFor({ state: 'visible', timeout: 60_000 });
    await input.fill(value);
    await input.press('Enter');
  }

  async pick(label) {
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 60_000 });
    await row.click();
  }

  async openView() {
    await this.page.getByRole('tab', { name: /^Ferry/ }).click();
    await this.widenSidebar(520);
    // A container with one view hides its pane header: the sidebar's title names the view.
    await this.page.locator('.part.sidebar .composite.title', { hasText: /ferry/i }).first().waitFor();
  }

  /** Drags the sash between the side bar and the editor so that descriptions fit. */
  async widenSidebar(width) {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 8 });
    await this.page.mouse.up();
  }

  /** A row of the Ferry view whose label is `label` (its description may follow). */
  row(label) {
    return this.page.locator('.pane-body .monaco-list-row', { has: this.page.locator('.label-name', { hasText: label }) }).first();
  }

  async expand(label) {
    const row = this.row(label);
    await row.waitFor({ timeout: 60_000 });
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
  }

  async notification(text, timeout = 60_000) {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout });
    return toast;
  }

  async clearNotifications() {
    await this.page.keyboard.press('Escape');
    for (const close of await this.page.locator('.notifications-toasts .codicon-notifications-clear').all()) await close.click().catch(() => {});
  }

  /** The dashboard's document inside the webview's two frames. */
  dashboard() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** Picks a colour theme the way a person does (Preferences: Color Theme). */
  async theme(name) {
    await this.command('Preferences: Color Theme');
    const input = this.page.locator('.quick-input-widget input');
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Light Modern' }).first().waitFor();
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await this.page.keyboard.press('Enter');
    const dark = /dark/i.test(name);
    await this.page.waitForFunction((wantDark) => document.querySelector('.monaco-workbench')?.classList.contains(wantDark ? 'vs-dark' : 'vs') ?? false, dark, { timeout: 60_000 });
  }

  async shot(name, locator) {
    fs.mkdirSync(this.shots, { recursive: true });
    const file = path.join(this.shots, `${name}.png`);
    await (locator ?? this.page).screenshot({ path: file });
    return file;
  }
}
