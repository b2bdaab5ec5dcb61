// Runs the fake Exchange standalone: `npm run fake:ews -- --port P --data DIR`. Prints
// `listening <url>` once ready and serves until killed.
import { runStandalone } from '../standalone';
import { startFakeEws } from './server';

runStandalone(startFakeEws, (fake) => `listening ${fake.url}`);
