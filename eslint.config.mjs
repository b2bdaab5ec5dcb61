// Lint: every tracked JavaScript and TypeScript file (`npm run lint` is `eslint .`). typescript-eslint's
// recommended rules everywhere; Node scripts (.js/.mjs/.cjs) also get `no-undef` against Node's
// globals; and the layer rule that only src/extension (and the VS Code test suite) may import 'vscode'.
import tseslint from 'typescript-eslint';

/**
 * Node's globals: those of the Node running ESLint (the project's Node 22) plus CommonJS's module
 * scope. Read from the runtime, so no globals list to keep up to date (nor a dependency for one).
 */
const nodeGlobals = Object.fromEntries([...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports', '__dirname', '__filename'].map((name) => [name, 'readonly']));

export default tseslint.config(
  // Built, installed, downloaded or generated: not ours to lint.
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '.cache/**', 'examples/demo/destination/**', 'src/plan/generated/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: "Only src/extension/ may import 'vscode'." }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: nodeGlobals },
    rules: { 'no-undef': 'error' },
  },
  {
    // Playwright hands these functions to the page (evaluate, waitForFunction): they run in the browser.
    files: ['test/ui/**/*.mjs'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
  {
    // CommonJS (package.json has no "type": module): require is how these load modules.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/extension/**', 'test/vscode/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
