// Notifications for real over SMTP, in process against a real SMTP server on 127.0.0.1: the plan's
// templates, a relay that refuses once (NOTIFY-001 recorded, retried, delivered once), a scheduler
// without a relay (NOTIFY-002: messages kept, sent by the next one with a relay: nothing lost), and
// the relay settings that are refused at start (NOTIFY-003).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { relayFromEnv, RelaySettingsError } from '../../../src/notify/relay';
import { registryConnectors } from '../../../src/runner/connectors';
import { RunnerService } from '../../../src/runner/runnerService';
import { Scheduler } from '../../../src/scheduler/scheduler';
import { SmtpSink } from '../../servers/smtpSink';
import { maildirProject } from '../../unit/runner/runnerFixture';
import { tempDir } from '../../unit/helpers/repoRoot';

const options = `options:
  syncInterval: 'off'
  notifications:
    to: [ops@fabrikam.example, lead@fabrikam.example]
    onApprovalNeeded: false
    templates: { synced: notices/synced.txt }
`;

/** A project whose batch Main started a minute ago (due at once) with a template for "synced". */
function project(): { dir: string; plan: string } {
  const p = maildirProject(3, options);
  fs.writeFileSync(p.plan, fs.readFileSync(p.plan, 'utf8').replace('  - name: Main\n', `  - name: Main\n    startAfter: ${new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')}\n`));
  fs.mkdirSync(path.join(p.dir, 'notices'));
  fs.writeFileSync(path.join(p.dir, 'notices', 'synced.txt'), 'Subject: {{batch}} ready for cut-over ({{status}})\n\nHi team,\n{{mailboxes}}\n-- {{project}}\n');
  return p;
}

/** Runs a scheduler until `until` resolves, then stops it as SIGTERM does. */
async function serve(plan: string, relay: ReturnType<typeof relayFromEnv>, until: (log: string[]) => Promise<void>): Promise<string[]> {
  const service = new RunnerService(path.join(path.dirname(plan), '.ferry'), { connectors: registryConnectors, env: {}, owner: 'test' });
  service.open();
  const log: string[] = [];
  const controller = new AbortController();
  const scheduler = new Scheduler({ planFile: plan, service, log: (l) => log.push(l), lookMs: 100, relay, notifyRetryBaseMs: 200 });
  const running = scheduler.run(controller.signal);
  try {
    await until(log);
  } finally {
    controller.abort();
    await running;
    service.close();
  }
  return log;
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('notifications over SMTP', function () {
  this.timeout(120_000);
  let sink: SmtpSink;
  beforeEach(async () => {
    sink = await SmtpSink.start();
  });
  afterEach(async () => {
    await sink.close();
  });

  it('sends the started and synced messages from the plan template; a refused send is recorded (NOTIFY-001), retried and delivered once', async () => {
    const p = project();
    sink.refuseNext(1);
    const log = await serve(p.plan, relayFromEnv(sink.env()), () => sink.until((m) => m.length >= 2, 'two messages'));
    const started = sink.received.find((m) => / started$/.test(m.subject))!;
    assert.deepEqual(started.to, ['ops@fabrikam.example', 'lead@fabrikam.example']);
    assert.equal(started.subject, '[Ferry] Runner test: batch Main started');
    const synced = sink.received.find((m) => /ready for cut-over/.test(m.subject))!;
    assert.equal(synced.subject, 'Main ready for cut-over (Synced)');
    assert.match(synced.text, /^Hi team,\n {2}ann@contoso\.example -> ann@fabrikam\.example: Completed\n {2}bob@contoso\.example -> bob@fabrikam\.example: Completed\n-- Runner test/);
    assert.equal(sink.received.length, 2, 'each message once');
    assert.ok(log.some((l) => /^NOTIFY-001 The started notification about batch Main to ops@fabrikam\.example, lead@fabrikam\.example was not sent: .*451/.test(l)), log.join('\n'));
  });

  it('without a relay the messages wait in the store (NOTIFY-002); a scheduler with one sends them, nothing lost', async () => {
    const p = project();
    const log = await serve(p.plan, undefined, (l) => until(() => l.some((x) => x.startsWith('NOTIFY-002')), 'NOTIFY-002'));
    assert.ok(log.some((l) => /NOTIFY-002 The plan asks for notifications but no SMTP relay is configured \(FERRY_SMTP_HOST is not set\); [12] message\(s\) wait/.test(l)), log.join('\n'));
    assert.equal(sink.received.length, 0);
    await serve(p.plan, relayFromEnv(sink.env()), () => sink.until((m) => m.length >= 2, 'the kept messages'));
    assert.deepEqual(sink.received.map((m) => m.subject).sort(), ['Main ready for cut-over (Synced)', '[Ferry] Runner test: batch Main started']);
  });

  it('a batch whose mailboxes fail: the operators are told which and why; its passed cut-over is a finding on it only (SCHED-002)', async () => {
    const p = project();
    const past = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    fs.appendFileSync(p.plan, `  - name: Broken\n    startAfter: ${past}\n    completeAfter: ${past}\n    items:\n      - { source: zed@contoso.example, destination: zed@fabrikam.example }\n`);
    const log = await serve(p.plan, relayFromEnv(sink.env()), async (l) => {
      await sink.until((m) => m.some((x) => /Broken failed/.test(x.subject)) && m.some((x) => /Main ready for cut-over/.test(x.subject)), 'the failure and the other batch synced');
      await until(() => l.some((x) => x.startsWith('SCHED-002')), 'SCHED-002');
    });
    const failed = sink.received.find((m) => /Broken failed/.test(m.subject))!;
    assert.equal(failed.subject, '[Ferry] Runner test: mailboxes of batch Broken failed');
    assert.deepEqual(failed.to, ['ops@fabrikam.example', 'lead@fabrikam.example']);
    assert.match(failed.text, /zed@contoso\.example: Not valid MAILDIR-NOT-FOUND/);
    assert.ok(log.includes(`SCHED-002 Batch Broken cannot complete: completeAfter (${new Date(past).toISOString()}) has passed and the batch is Failed; it completes at the next opportunity once it is Synced.`), log.join('\n'));
    assert.equal(log.filter((l) => l.startsWith('SCHED-002')).length, 1, 'said once');
  });

  it('relay settings come from the environment; unusable ones are refused with NOTIFY-003 and the variable named', () => {
    assert.equal(relayFromEnv({}), undefined);
    assert.deepEqual(relayFromEnv({ FERRY_SMTP_HOST: 'smtp.example.com', FERRY_SMTP_FROM: 'ferry@example.com' }), { host: 'smtp.example.com', port: 587, security: 'starttls', from: 'ferry@example.com' });
    const secret = path.join(tempDir('relay'), 'smtp-password');
    fs.writeFileSync(secret, 's3cret\n');
    assert.deepEqual(relayFromEnv({ FERRY_SMTP_HOST: 'h', FERRY_SMTP_SECURITY: 'tls', FERRY_SMTP_USER: 'u', FERRY_SMTP_PASSWORD_FILE: secret, FERRY_SMTP_FROM: 'f@example.com' })?.auth, { user: 'u', pass: 's3cret' });
    const refused = (env: NodeJS.ProcessEnv) => {
      try {
        relayFromEnv(env);
      } catch (err) {
        assert.ok(err instanceof RelaySettingsError);
        assert.equal(err.code, 'NOTIFY-003');
        return err.reason;
      }
      return 'accepted';
    };
    assert.match(refused({ FERRY_SMTP_HOST: 'h', FERRY_SMTP_USER: 'u' }), /FERRY_SMTP_USER is set but neither FERRY_SMTP_PASSWORD nor FERRY_SMTP_PASSWORD_FILE/);
    assert.match(refused({ FERRY_SMTP_HOST: 'h', FERRY_SMTP_SECURITY: 'ssl' }), /FERRY_SMTP_SECURITY is 'ssl'/);
    assert.match(refused({ FERRY_SMTP_HOST: 'h', FERRY_SMTP_PORT: '99999' }), /FERRY_SMTP_PORT/);
    assert.match(refused({ FERRY_SMTP_HOST: 'h', FERRY_SMTP_USER: 'u', FERRY_SMTP_PASSWORD_FILE: '/nonexistent/x' }), /cannot be read \(ENOENT\)/);
  });
});
