import * as assert from 'node:assert/strict';
import { entriesIn, formatMessage, getEntry } from '../../../src/errors/catalog';
import type { Severity } from '../../../src/errors/types';

/** Ferry's plan-rule codes, their severity and the plan edit they must offer (if any). */
const PLAN_CODES: readonly [string, Severity, string?][] = [
  ['PLAN-001', 'error'],
  ['PLAN-002', 'error'],
  ['PLAN-003', 'error'],
  ['PLAN-010', 'error'],
  ['PLAN-011', 'error'],
  ['PLAN-012', 'error'],
  ['PLAN-020', 'error', 'moveSecretToStorage'],
  ['PLAN-021', 'error'],
  ['PLAN-022', 'error', 'createItemsFile'],
  ['PLAN-023', 'error'],
  ['PLAN-024', 'error'],
  ['PLAN-025', 'error'],
  ['PLAN-026', 'error', 'swapSchedule'],
  ['PLAN-027', 'error', 'pickExistingEndpoint'],
  ['PLAN-028', 'error'],
  ['PLAN-029', 'warning'],
  ['PLAN-030', 'hint', 'removeUnusedEndpoint'],
  ['PLAN-031', 'warning'],
  ['PLAN-032', 'error'],
  ['PLAN-033', 'error'],
  ['PLAN-034', 'warning'],
  ['PLAN-035', 'information'],
  ['PLAN-036', 'error'],
  ['PLAN-037', 'error'],
  ['PLAN-038', 'error', 'makeItemsFilePathRelative'],
  ['PLAN-039', 'error'],
  ['PLAN-040', 'warning'],
  ['PLAN-041', 'error'],
  ['PLAN-042', 'warning'],
  ['PLAN-043', 'warning'],
  ['PLAN-044', 'warning', 'useHttpsUrl'],
  ['PLAN-045', 'error'],
  ['PLAN-046', 'error'],
  ['PLAN-047', 'error'],
  ['PLAN-048', 'error'],
  ['PLAN-049', 'error'],
  ['PLAN-050', 'error'],
  ['PLAN-051', 'information', 'moveCompleteAfterToFuture'],
  ['PLAN-052', 'error'],
  ['PLAN-053', 'error'],
  ['PLAN-054', 'error', 'reindentKey'],
];

describe("error catalog: Ferry's plan rules", () => {
  for (const [code, severity, planEdit] of PLAN_CODES) {
    it(`${code} is a ${severity}${planEdit ? ` with plan edit ${planEdit}` : ''}`, () => {
      const entry = getEntry(code);
      assert.ok(entry, `${code} missing`);
      assert.equal(entry.category, 'plan');
      assert.equal(entry.source, 'ferry');
      assert.equal(entry.severity, severity);
      if (planEdit) assert.ok(entry.fixes.some((f) => f.kind === 'planEdit' && f.id === planEdit), `${code}: no ${planEdit}`);
    });
  }

  it('holds no other plan codes', () => {
    assert.deepEqual(entriesIn('plan').map((e) => e.code).sort(), PLAN_CODES.map(([c]) => c).sort());
  });

  it('PLAN-033 points to the EWS migration docs and suggests an m365 endpoint', () => {
    const entry = getEntry('PLAN-033')!;
    assert.ok(entry.fixes.some((f) => f.kind === 'docs' && f.url.includes('learn.microsoft.com')));
    assert.match(entry.message, /'m365' endpoint/);
    assert.match(entry.message, /1 October 2026.*1 April 2027/);
  });

  it('message templates take the arguments the plan rules pass', () => {
    assert.equal(formatMessage('PLAN-010', ['endpoints.src', 'host']), 'Missing required property in endpoints.src: host.');
    assert.equal(formatMessage('PLAN-012', ['endpoints.src.port', 'must be <= 65535']), 'Invalid value at endpoints.src.port: must be <= 65535.');
    assert.equal(formatMessage('PLAN-024', ['source', 'the required column is missing']), "Items file header, column 'source': the required column is missing.");
    assert.equal(formatMessage('PLAN-026', ['Wave 1', '2026-12-06T00:00:00Z', '2026-12-05T00:00:00Z']), "Batch 'Wave 1': startAfter (2026-12-06T00:00:00Z) is after completeAfter (2026-12-05T00:00:00Z).");
    assert.equal(
      formatMessage('PLAN-037', ['2026-12-05 20:00', 'batches.0.startAfter', 'an ISO 8601 date-time with a time zone']),
      "batches.0.startAfter: '2026-12-05 20:00' is not an ISO 8601 date-time with a time zone.",
    );
    assert.equal(formatMessage('PLAN-032', ['2026-02-01', '2026-01-01']), 'dateRange.from (2026-02-01) is after dateRange.to (2026-01-01).');
  });
});
