// The m365 connector costs nothing until a Microsoft 365 endpoint is used: loading it (or any other
// connector) pulls in neither @azure/msal-node nor @microsoft/microsoft-graph-client.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

describe('m365 connector: lazy loading', () => {
  it('loads msal-node and the Graph client only when a mailbox is opened', () => {
    const registry = path.resolve(__dirname, '../../../../src/connectors/registry.js');
    const script = `const r = require(${JSON.stringify(registry)});
      const loaded = () => ['@azure/msal-node', 'microsoft-graph-client'].filter((m) => Object.keys(require.cache).some((k) => k.includes(m)));
      r.getConnector('m365').then((c) => console.log(JSON.stringify([c.kind, loaded()])));`;
    assert.equal(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim(), '["m365",[]]');
  });
});
