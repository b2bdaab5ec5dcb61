// The commented sample project that `ferry init` and the "New Migration Project" command write.
// It validates without errors: operators learn the format by editing a plan that works.

export interface SampleFile {
  path: string;
  content: string;
}

export function sampleProject(name = 'Contoso to Microsoft 365'): SampleFile[] {
  return [
    { path: 'project.migration.yaml', content: samplePlan(name) },
    { path: 'wave2.csv', content: sampleCsv },
  ];
}

const sampleCsv = `source,destination,sourceUsername,sourcePasswordSecret
carol@contoso.example,carol@fabrikam.example,,
dave@contoso.example,,,
`;

function samplePlan(name: string): string {
  return `# A Ferry migration project. Validate it with \`npx ferry validate project.migration.yaml\`;
# in VS Code, hover any key for its documentation and press Ctrl+Space for completion.
version: 1

project:
  name: ${JSON.stringify(name)}
  owner: migration-admin@fabrikam.example

# The systems mail moves between, by name. Secrets are never written here: a plan names them
# ({ secret: NAME }) and VS Code keeps them in SecretStorage ("Ferry: Set Secret"); the command
# line reads FERRY_SECRET_<NAME> from the environment.
endpoints:
  contoso-exchange:
    type: exchange                 # on-premises Exchange 2007+ through EWS
    url: https://mail.contoso.example/EWS/Exchange.asmx
    authentication: ntlm
    access: impersonation          # needs the ApplicationImpersonation role
    auth:
      username: CONTOSO\\migadmin
      password: { secret: CONTOSO_MIGADMIN }
  fabrikam-365:
    type: m365                     # Microsoft 365 through Microsoft Graph
    tenantId: fabrikam.onmicrosoft.com
    clientId: 11111111-2222-3333-4444-555555555555
    clientSecret: { secret: FABRIKAM_APP }

source: contoso-exchange
destination: fabrikam-365

options:
  maxConcurrentMigrations: 5       # start with 5; about 3 mailboxes per 1 Mbps
  preStage:
    olderThanDays: 90              # the pre-stage pass copies mail older than this
  itemTypes: [mail, calendar, contacts, tasks]
  maxItemSizeMB: 150
  mailboxQuotaGB: 50               # bigger mailboxes wait at "Confirmation required"
  badItemLimit: 100
  folders:
    exclude: ["^Sync Issues(/|$)", "^Conversation History$"]

# Items without a destination get one from these rules.
identityMapping:
  domains:
    - from: contoso.example
      to: fabrikam.example

batches:
  - name: Pilot
    items:
      - source: alice@contoso.example
        destination: alice@fabrikam.example
      - source: bob@contoso.example          # destination derived: bob@fabrikam.example
  - name: Wave 2
    itemsFile: wave2.csv                     # columns: source, destination, ...
`;
}
