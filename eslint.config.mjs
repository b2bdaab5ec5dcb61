// Lint: every tracked JavaScript and TypeScript file (`npm run lint` is `eslint .`). typescript-eslint's
// recommended rules everywhere; Node scripts (.js/.mjs/.cjs) also get `no-undef` against Node's
// globals; and the layer rules: which src folders each src folder may import, and that only src/extension
// (and the VS Code test suite) may import 'vscode'.
import tseslint from 'typescript-eslint';

/**
 * Node's globals: those of the Node running ESLint (the project's Node 22) plus CommonJS's module
 * scope. Read from the runtime, so no globals list to keep up to date (nor a dependency for one).
 */
const nodeGlobals = Object.fromEntries([...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports', '__dirname', '__filename'].map((name) => [name, 'readonly']));

/**
 * The layers (README's architecture table): the src folders each src folder may import. An import
 * of any other src folder is an error; only src/extension may import 'vscode'.
 */
const layers = {
  errors: [],
  plan: ['errors'],
  store: ['engine'], // the engine's status types only
  connectors: ['errors', 'plan'],
  orchestration: ['connectors', 'engine', 'errors', 'plan'],
  engine: ['connectors', 'errors', 'orchestration', 'plan', 'store'],
  runner: ['connectors', 'engine', 'errors', 'plan', 'store'],
  cli: ['connectors', 'engine', 'errors', 'notify', 'orchestration', 'plan', 'runner', 'scheduler', 'store'],
  notify: ['engine', 'errors', 'plan', 'store'],
  scheduler: ['engine', 'errors', 'notify', 'plan', 'runner', 'store'],
  snapshot: ['engine', 'errors', 'scheduler', 'store'],
  views: ['engine', 'errors', 'plan', 'snapshot', 'store'], // pure view models: no 'vscode', nothing of the host
  extension: ['connectors', 'engine', 'errors', 'plan', 'runner', 'snapshot', 'store', 'views'],
};
const vscodeOnlyInExtension = { name: 'vscode', message: "Only src/extension/ may import 'vscode'." };
const layerRules = Object.entries(layers).map(([folder, allowed]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: folder === 'extension' ? [] : [vscodeOnlyInExtension],
        patterns: Object.keys(layers)
          .filter((other) => other !== folder && !allowed.includes(other))
          .map((other) => ({ group: [`**/src/${other}/**`, `../${other}/**`, `../../${other}/**`, `../../../${other}/**`, `../../../../${other}/**`], message: `src/${folder} may not import src/${other} (the layers in README's architecture table; eslint.config.mjs).` })),
      },
    ],
  },
}));

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
    files: ['test/vscode/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  ...layerRules,
);
