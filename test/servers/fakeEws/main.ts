// Runs the fake Exchange standalone: `npm run fake:ews -- --port P --data DIR`. Prints
// `listening <url>` once ready (with ` ca=<path>` over HTTPS, config.https) and serves until killed.
import { runStandalone } from '../standalone';
import { startFakeEws } from './server';

runStandalone(startFakeEws, (fake) => `listening ${fake.url}${fake.caPath ? ` ca=${fake.caPath}` : ''}`);
