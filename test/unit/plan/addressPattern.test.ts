// The address rule's Unicode pattern is made on the first address beyond ASCII, not when the rule
// is imported: V8 parses a pattern when it is constructed, and its case-folded Unicode classes cost
// every `ferry run`, `status` and `validate` ~0.8 ms of CPU for plans of ASCII addresses (issue 17,
// round 8). Each case loads a fresh copy of the module with the RegExp constructor watched.
import * as assert from 'node:assert/strict';

type AddressModule = typeof import('../../../src/plan/rules/addresses');

/** Runs `fn` with every `new RegExp(pattern)` recorded; the patterns made. */
function patternsMadeBy(fn: () => void): string[] {
  const made: string[] = [];
  const Original = globalThis.RegExp;
  globalThis.RegExp = new Proxy(Original, {
    construct(target, args: [string | RegExp, string?]) {
      made.push(String(args[0]));
      return Reflect.construct(target, args) as RegExp;
    },
  });
  try {
    fn();
  } finally {
    globalThis.RegExp = Original;
  }
  return made;
}

function freshModule(): AddressModule {
  const file = require.resolve('../../../src/plan/rules/addresses');
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as AddressModule;
}

const unicode = (patterns: string[]) => patterns.filter((p) => p.includes('\\p{'));

describe('address rule: the Unicode pattern is made on first use', () => {
  it('importing the rule and checking ASCII addresses makes no Unicode pattern', () => {
    let rule: AddressModule | undefined;
    assert.deepEqual(unicode(patternsMadeBy(() => (rule = freshModule()))), []);
    assert.deepEqual(
      unicode(
        patternsMadeBy(() => {
          assert.equal(rule!.isValidAddress('ann@contoso.example'), true);
          assert.equal(rule!.isValidAddress('ann@contoso'), false);
        }),
      ),
      [],
    );
  });

  it('an address beyond ASCII is checked with the Unicode pattern, made once', () => {
    const rule = freshModule();
    const made = patternsMadeBy(() => {
      assert.equal(rule.isValidAddress('jürgen@bücher.example'), true);
      assert.equal(rule.isValidAddress('JÜRGEN@BÜCHER.EXAMPLE'), true);
      assert.equal(rule.isValidAddress('jürgen@bücher'), false);
      assert.equal(rule.isValidAddress('jürgen@@bücher.example'), false);
      assert.equal(rule.isValidAddress('用户@例子.广告'), true);
    });
    assert.equal(unicode(made).length, 1, made.join('\n'));
  });
});
