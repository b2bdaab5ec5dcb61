// Every id the manifest and the code share, in one place (a test checks package.json against it).
export const languageId = 'migration-yaml';
export const extensionId = 'ferry-migrations.ferry';
export const diagnosticSource = 'ferry';
/** Source of the diagnostics that runs record (a collection of their own: 'ferry-runs'). */
export const runDiagnosticSource = 'ferry-run';

export const Commands = {
  newProject: 'ferry.newProject',
  validatePlans: 'ferry.validatePlans',
  setSecret: 'ferry.setSecret',
  deleteSecret: 'ferry.deleteSecret',
  forgetMicrosoftSignIns: 'ferry.forgetMicrosoftSignIns',
  createItemsFile: 'ferry.createItemsFile',
  copyAdminCommand: 'ferry.copyAdminCommand',
  openDocs: 'ferry.openDocs',
  explainCode: 'ferry.explainCode',
  showLog: 'ferry.showLog',
  showCatalog: 'ferry.showCatalog',
  addItem: 'ferry.addItem',
  bulkAddItems: 'ferry.bulkAddItems',
  autodiscoverItems: 'ferry.autodiscoverItems',
  verifyCredentials: 'ferry.verifyCredentials',
  startTrial: 'ferry.startTrial',
  startPrestage: 'ferry.startPrestage',
  startFull: 'ferry.startFull',
  startDelta: 'ferry.startDelta',
  retryErrors: 'ferry.retryErrors',
  stopBatch: 'ferry.stopBatch',
  resume: 'ferry.resume',
  completeBatch: 'ferry.completeBatch',
  deleteBatchState: 'ferry.deleteBatchState',
  scheduleRunNow: 'ferry.scheduleRunNow',
  schedulePause: 'ferry.schedulePause',
  scheduleResume: 'ferry.scheduleResume',
  scheduleSkip: 'ferry.scheduleSkip',
  approveOversize: 'ferry.approveOversize',
  removeItems: 'ferry.removeItems',
  refresh: 'ferry.refresh',
  loadMore: 'ferry.loadMore',
  revealInTree: 'ferry.revealInTree',
  openDashboard: 'ferry.openDashboard',
  openMailbox: 'ferry.openMailbox',
  exportReport: 'ferry.exportReport',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

export const Views = {
  container: 'ferry',
  projects: 'ferry.projects',
} as const;

export type ViewId = (typeof Views)[keyof typeof Views];

/** Context keys the manifest's `when` clauses read (set only through ContextKeyValues). */
export const ContextKeys = {
  hasPlans: 'ferry.hasPlans',
  passRunning: 'ferry.passRunning',
  canResume: 'ferry.canResume',
} as const;

export type ContextKey = (typeof ContextKeys)[keyof typeof ContextKeys];

/** SecretStorage keys: the plan's secret NAME lives under this prefix. */
export const secretKey = (name: string) => `ferry.secret.${name}`;

/** SecretStorage keys of Microsoft sign-in token caches (the key is a hash of authority, app and credential). */
export const tokenCacheKey = (key: string) => `ferry.tokenCache.${key}`;
/** globalState: the token cache keys kept in SecretStorage (it cannot list its keys on every VS Code this targets). */
export const tokenCacheIndex = 'ferry.tokenCacheKeys';
