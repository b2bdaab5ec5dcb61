// The small decisions the rules are built on, one table each.
import * as assert from 'node:assert/strict';
import { isValidAddress } from '../../../src/plan/rules/addresses';
import { isZonedDateTime, suggestFutureInstant } from '../../../src/plan/rules/schedules';
import { compileFolderPattern, replacementProblem } from '../../../src/plan/rules/folderPatterns';
import { isExchangeOnlineHost, isLoopbackHost } from '../../../src/plan/rules/endpoints';
import { upperSnake } from '../../../src/plan/rules/located';
import { suggestSecretName } from '../../../src/plan/rules/secrets';
import { NOW } from './planTestUtil';

describe('rule helpers', () => {
  const addresses: [string, boolean][] = [
    ['ann@contoso.example', true],
    ['ann.lee+migration@sub.contoso.example', true],
    ["o'brien@contoso.example", true],
    ['user@localhost', true],
    ['jürgen@müller.example', true],
    ['ann@xn--mller-kva.example', true],
    ['ann@contoso', false],
    ['ann@@contoso.example', false],
    ['ann contoso.example', false],
    ['ann@contoso.example.', false],
    ['.ann@contoso.example', false],
    ['ann..lee@contoso.example', false],
    ['ann@-contoso.example', false],
    ['ann@contoso.c', false],
    ['<ann@contoso.example>', false],
    ['Ann <ann@contoso.example>', false],
    [`${'a'.repeat(65)}@contoso.example`, false],
  ];
  for (const [value, valid] of addresses) {
    it(`address ${JSON.stringify(value)} is ${valid ? 'valid' : 'invalid'}`, () => assert.equal(isValidAddress(value), valid));
  }

  const instants: [string, boolean][] = [
    ['2026-12-05T20:00:00Z', true],
    ['2026-12-05T20:00Z', true],
    ['2026-12-05T20:00:00.250+01:00', true],
    ['2026-12-05 20:00:00-0500', true],
    ['2026-12-05T20:00:00', false],
    ['2026-12-05', false],
    ['2026-02-29T20:00:00Z', false],
    ['2028-02-29T20:00:00Z', true],
    ['2026-12-05T24:00:00Z', false],
    ['2026-12-05T20:00:00+25:00', false],
    ['05/12/2026 20:00', false],
  ];
  for (const [value, valid] of instants) {
    it(`schedule ${value} is ${valid ? 'valid' : 'invalid'}`, () => assert.equal(isZonedDateTime(value), valid));
  }

  const suggestions: [string, Date | undefined, string][] = [
    ['2026-11-01T20:00:00Z', undefined, '2026-11-22T20:00:00Z'],
    ['2026-11-01T08:15Z', undefined, '2026-11-22T08:15Z'],
    ['2026-11-01T23:30:00-05:00', undefined, '2026-11-22T23:30:00-05:00'],
    // 12:00Z is already the 22nd in Auckland: tomorrow there is the 23rd.
    ['2026-11-01T09:00:00+13:00', undefined, '2026-11-23T09:00:00+13:00'],
    ['2026-11-01 20:00:00.5Z', undefined, '2026-11-22 20:00:00.5Z'],
    // Never at or before startAfter: the fix must not create a PLAN-026.
    ['2026-11-01T20:00:00Z', new Date('2026-11-25T21:00:00Z'), '2026-11-26T20:00:00Z'],
  ];
  for (const [original, notBefore, expected] of suggestions) {
    it(`completeAfter ${original} moves to ${expected}`, () => {
      const suggestion = suggestFutureInstant(original, NOW, notBefore);
      assert.equal(suggestion, expected);
      assert.ok(isZonedDateTime(suggestion) && new Date(suggestion.replace(' ', 'T')) > NOW);
    });
  }

  const replacements: [string, string, string | undefined][] = [
    ['^Archive/(.*)$', 'Old/$1', undefined],
    ['^Archive/(.*)$', 'Old/$2', 'the replacement uses $2 but the expression has 1 capture group'],
    ['^Archive$', 'Old/$1', 'the replacement uses $1 but the expression has 0 capture groups'],
    ['^(a)(b)$', '$2$1', undefined],
    ['^(a)$', '$$1 costs $&', undefined],
    ['^(a)$', '$0', 'the replacement uses $0, which JavaScript does not replace: use $& for the whole match'],
    ['^(?<year>\\d{4})$', 'Y/$<year>', undefined],
    ['^(?<year>\\d{4})$', 'Y/$<yr>', 'the replacement uses $<yr> but the expression has no group named "yr"'],
    ['^(a)$', '$<x>', undefined],
    ['^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)$', '$10', undefined],
  ];
  for (const [from, to, problem] of replacements) {
    it(`map ${from} -> ${to}: ${problem ?? 'fine'}`, () => {
      const re = compileFolderPattern(from);
      assert.ok(re instanceof RegExp);
      assert.equal(replacementProblem(to, re), problem);
    });
  }

  it('compiles folder patterns as the engine does (engine/folderRules.ts), with the u flag', () => {
    assert.ok(compileFolderPattern('\\p{L}') instanceof RegExp); // a Unicode property with the u flag
    // Valid without the flag, so the engine's `new RegExp(p, 'u')` threw on a plan that validated clean.
    assert.match(compileFolderPattern('Junk\\-Mail') as string, /Invalid escape/);
    assert.equal(compileFolderPattern('(a'), 'Invalid regular expression: /(a/u: Unterminated group');
  });

  const hosts: [string, boolean, boolean][] = [
    ['outlook.office365.com', true, false],
    ['OUTLOOK.OFFICE.COM', true, false],
    ['contoso.mail.protection.outlook.com', true, false],
    ['outlook.com', true, false],
    ['mail.contoso.com', false, false],
    ['myoutlook.com', false, false],
    ['localhost', false, true],
    ['dovecot.localhost', false, true],
    ['127.0.0.1', false, true],
    ['[::1]', false, true],
    ['10.0.0.5', false, false],
  ];
  for (const [host, online, loopback] of hosts) {
    it(`host ${host}: Exchange Online ${online}, loopback ${loopback}`, () => {
      assert.equal(isExchangeOnlineHost(host), online);
      assert.equal(isLoopbackHost(host), loopback);
    });
  }

  it('derives secret names', () => {
    assert.equal(upperSnake('contoso-imap'), 'CONTOSO_IMAP');
    assert.equal(upperSnake('clientSecret'), 'CLIENT_SECRET');
    const plan = { batches: [{ items: [{ source: 'ann@contoso.com', sourceAuth: { password: 'x' } }] }] };
    assert.equal(suggestSecretName(plan, ['batches', 0, 'items', 0, 'sourceAuth', 'password']), 'ANN_CONTOSO_COM_SOURCE_PASSWORD');
    assert.equal(suggestSecretName(plan, ['endpoints', 'contoso-imap', 'auth', 'password']), 'CONTOSO_IMAP_PASSWORD');
    assert.equal(suggestSecretName(plan, ['endpoints', 'tenant', 'certificate', 'privateKey']), 'TENANT_PRIVATE_KEY');
    assert.equal(suggestSecretName(plan, ['options', 'apiKey']), 'OPTIONS_API_KEY');
  });
});
