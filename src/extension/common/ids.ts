// Every id the manifest and the code share, in one place (a test checks package.json against it).
export const languageId = 'migration-yaml';
export const extensionId = 'ferry-migrations.ferry';
export const diagnosticSource = 'ferry';

export const Commands = {
  newProject: 'ferry.newProject',
  validatePlans: 'ferry.validatePlans',
  setSecret: 'ferry.setSecret',
  deleteSecret: 'ferry.deleteSecret',
  createItemsFile: 'ferry.createItemsFile',
  copyAdminCommand: 'ferry.copyAdminCommand',
  openDocs: 'ferry.openDocs',
  explainCode: 'ferry.explainCode',
  showLog: 'ferry.showLog',
  showCatalog: 'ferry.showCatalog',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];

/** SecretStorage keys: the plan's secret NAME lives under this prefix. */
export const secretKey = (name: string) => `ferry.secret.${name}`;
