// Entry of the VS Code integration suite. VS Code loads this module in its extension host (given as
// extensionTestsPath, by test/vscode/launch.mjs under code-server or by test/vscode/electron.mjs
// under @vscode/test-electron) and awaits run(). It runs mocha over every *.test.js beside it,
// writes the results as JSON to $FERRY_TEST_RESULT when set, and rejects when a test failed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { applyOrder, describeOrder, orderFrom } from './order';

export interface TestOutcome {
  title: string;
  fullTitle: string;
  file?: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: { message: string; stack?: string };
  /** What the test wrote with console.* while it ran. */
  output: string[];
}

export interface SuiteOutcome {
  passed: number;
  failed: number;
  pending: number;
  durationMs: number;
  vscodeVersion?: string;
  grep?: string;
  /** 'as written', 'reverse' or 'shuffle:SEED' (FERRY_TEST_ORDER). */
  order?: string;
  files: string[];
  tests: TestOutcome[];
  /** Set when the suite could not run at all (a file failed to load, say). */
  error?: { message: string; stack?: string };
}

function findTestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

function errorInfo(err: unknown): { message: string; stack?: string } {
  if (err instanceof Error) return { message: err.message, stack: err.stack };
  return { message: String(err) };
}

function vscodeVersion(): string | undefined {
  try {
    // Only present inside VS Code; the suite entry itself must not depend on it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('vscode') as { version: string }).version;
  } catch {
    return undefined;
  }
}

function writeResult(outcome: SuiteOutcome): void {
  const target = process.env.FERRY_TEST_RESULT;
  if (!target) return;
  // Write then rename, so that a launcher polling for the file never reads half of it.
  const partial = `${target}.partial`;
  fs.writeFileSync(partial, JSON.stringify(outcome, null, 2));
  fs.renameSync(partial, target);
}

export async function run(): Promise<void> {
  const started = Date.now();
  const grep = process.env.FERRY_TEST_GREP || undefined;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, ...(grep ? { grep } : {}) });
  const outcome: SuiteOutcome = { passed: 0, failed: 0, pending: 0, durationMs: 0, vscodeVersion: vscodeVersion(), grep, files: [], tests: [] };

  // Keep what tests print, per test, and still print it. VS Code's extension host installs
  // console.log & co. as getters with a no-op setter, so plain assignment would be ignored.
  let output: string[] = [];
  const methods = ['log', 'info', 'warn', 'error'] as const;
  const saved = methods.map((name) => Object.getOwnPropertyDescriptor(console, name));
  for (const name of methods) {
    const original = console[name];
    try {
      Object.defineProperty(console, name, {
        configurable: true,
        enumerable: true,
        writable: true,
        value: (...args: unknown[]) => {
          output.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
          original.apply(console, args);
        },
      });
    } catch {
      // not replaceable here: the output is only printed, not kept
    }
  }

  try {
    const order = orderFrom(process.env.FERRY_TEST_ORDER || undefined);
    outcome.order = describeOrder(order);
    console.log(`VS Code suite order: ${outcome.order}`);
    outcome.files = findTestFiles(__dirname);
    for (const file of outcome.files) mocha.addFile(file);
    await mocha.loadFilesAsync();
    applyOrder(mocha.suite, order);

    const failures = await new Promise<number>((resolve, reject) => {
      try {
        const runner = mocha.run((count) => resolve(count));
        const record = (test: Mocha.Runnable, state: TestOutcome['state'], err?: unknown) => {
          outcome.tests.push({
            title: test.title,
            fullTitle: test.fullTitle(),
            file: test.file ? path.relative(__dirname, test.file) : undefined,
            state,
            durationMs: test.duration,
            error: err === undefined ? undefined : errorInfo(err),
            output,
          });
          output = [];
          outcome[state]++;
        };
        runner.on(Mocha.Runner.constants.EVENT_TEST_BEGIN, () => {
          output = [];
        });
        runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (test) => record(test, 'passed'));
        runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (test) => record(test, 'pending'));
        // Also fires for failing hooks (their title says "before all" hook ...).
        runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test, err) => record(test, 'failed', err));
      } catch (err) {
        reject(err);
      }
    });
    if (failures > outcome.failed) outcome.failed = failures;
  } catch (err) {
    outcome.error = errorInfo(err);
  } finally {
    methods.forEach((name, i) => {
      try {
        const descriptor = saved[i];
        if (descriptor) Object.defineProperty(console, name, descriptor);
      } catch {
        // leave it
      }
    });
    outcome.durationMs = Date.now() - started;
    writeResult(outcome);
  }

  if (outcome.error) throw new Error(`the VS Code suite could not run: ${outcome.error.message}`);
  if (outcome.failed > 0) throw new Error(`${outcome.failed} VS Code test(s) failed`);
  if (outcome.passed === 0) throw new Error('the VS Code suite ran no test');
}
