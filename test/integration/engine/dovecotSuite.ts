// A Dovecot for one test suite: started before its tests with a source and a destination user per
// case (`<case>@src.test`, `<case>@dst.test`, one password), stopped after; and the built ferry CLI.
import * as path from 'node:path';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { ensureBuilt } from './maildirFixture';

export interface DovecotSuite {
  readonly server: DovecotServer;
  /** bin/ferry.js of the built repository. */
  readonly ferry: string;
}

/** Registers the suite's before and after hooks (call inside its describe); the fields are set once before ran. */
export function dovecotSuite(cases: readonly string[], password: string): DovecotSuite {
  const suite: { server?: DovecotServer; ferry?: string } = {};
  before(async () => {
    suite.ferry = path.join(ensureBuilt(), 'bin', 'ferry.js');
    suite.server = await startDovecot({ users: cases.flatMap((c) => [{ user: `${c}@src.test`, password }, { user: `${c}@dst.test`, password }]) });
  });
  after(async () => {
    await suite.server?.stop();
  });
  return {
    get server() {
      return suite.server!;
    },
    get ferry() {
      return suite.ferry!;
    },
  };
}
