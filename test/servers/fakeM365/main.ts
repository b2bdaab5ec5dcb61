// Runs the fake Microsoft 365 standalone: `npm run fake:m365 -- --port P --data DIR
// [--token-lifetime SECONDS]`. Prints `listening <url> ca=<path>` once ready and serves until killed.
import { arg, runStandalone } from '../standalone';
import { startFakeM365 } from './server';

const lifetime = arg('token-lifetime');
runStandalone((options) => startFakeM365({ ...options, ...(lifetime ? { tokenLifetimeSeconds: Number(lifetime) } : {}) }), (fake) => `listening ${fake.url} ca=${fake.caPath}`);
