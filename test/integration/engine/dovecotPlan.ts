// A plan between two endpoints on one test Dovecot (or a Maildir source into it), batch Main, each
// mailbox with its own logins named by secrets: shared by the Dovecot engine tests.
import type { DovecotServer } from '../../servers/dovecot';

export function dovecotPlanText(server: DovecotServer, sourceKind: 'maildir' | 'imap', items: { source: string; destination: string; srcSecret?: string; dstSecret: string }[]): string {
  const imap = `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none }`;
  return `version: 1
project: { name: Dovecot }
endpoints:
  src: ${sourceKind === 'maildir' ? '{ type: maildir, path: ./source }' : imap}
  dst: ${imap}
source: src
destination: dst
batches:
  - name: Main
    items:
${items
  .map(
    (i) => `      - source: ${i.source}
        destination: ${i.destination}
${i.srcSecret ? `        sourceAuth: { username: '${i.source}', password: { secret: ${i.srcSecret} } }\n` : ''}        destinationAuth: { username: '${i.destination}', password: { secret: ${i.dstSecret} } }`,
  )
  .join('\n')}
`;
}
