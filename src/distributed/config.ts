// Where a distributed project's queue and state are: configuration of the machine, not of the plan.
// FERRY_DATABASE_URL names PostgreSQL (the state); FERRY_REDIS_URL names Redis for BullMQ's queue
// (needed by the commands that enqueue or take jobs: run and worker). Passwords never sit in those URLs (nor in a plan or
// on a command line): they come from a file (FERRY_DATABASE_PASSWORD_FILE, FERRY_REDIS_PASSWORD_FILE)
// or from a secret by name (FERRY_DATABASE_PASSWORD_SECRET=NAME: FERRY_SECRET_<NAME>, or the
// extension's SecretStorage), the same secret references as endpoints.
import * as fs from 'node:fs';
import { EngineRefusal } from '../engine/refusal';
import { secretEnvName, type SecretSource } from '../engine/secrets';

export interface DistributedConfig {
  /** PostgreSQL for the state, password filled in. */
  databaseUrl: string;
  /** Redis for the queue, password filled in; absent: run and worker refuse (DIST-001). */
  redisUrl?: string;
}

type Service = 'DATABASE' | 'REDIS';

function refuse(code: 'DIST-001' | 'DIST-002' | 'DIST-003', args: string[]): never {
  throw new EngineRefusal(code, args);
}

/** The password for a service from its file or its secret; undefined when neither is named. */
function password(service: Service, env: NodeJS.ProcessEnv, secrets: SecretSource): string | undefined {
  const file = env[`FERRY_${service}_PASSWORD_FILE`];
  const secret = env[`FERRY_${service}_PASSWORD_SECRET`];
  if (file) {
    try {
      return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      refuse('DIST-003', [`FERRY_${service}_PASSWORD_FILE`, file, (err as Error).message]);
    }
  }
  if (secret) {
    const value = secrets(secret);
    if (value === undefined) refuse('DIST-003', [`FERRY_${service}_PASSWORD_SECRET`, secret, `the secret is not set (${secretEnvName(secret)})`]);
    return value;
  }
  return undefined;
}

function withPassword(service: Service, raw: string, env: NodeJS.ProcessEnv, secrets: SecretSource, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('DIST-001', [`FERRY_${service}_URL`, 'it is not a URL']);
  }
  if (!protocols.includes(url.protocol)) refuse('DIST-001', [`FERRY_${service}_URL`, `the scheme is ${url.protocol} (${protocols.join(' or ')} expected)`]);
  if (url.password) refuse('DIST-002', [`FERRY_${service}_URL`, `FERRY_${service}_PASSWORD_FILE`, `FERRY_${service}_PASSWORD_SECRET`]);
  const pw = password(service, env, secrets);
  if (pw !== undefined) url.password = pw;
  return url.toString();
}

/** The distributed configuration of this machine, or undefined in the embedded mode (no FERRY_DATABASE_URL). */
export function distributedConfig(env: NodeJS.ProcessEnv, secrets: SecretSource): DistributedConfig | undefined {
  const database = env.FERRY_DATABASE_URL;
  if (!database) {
    if (env.FERRY_REDIS_URL) refuse('DIST-001', ['FERRY_REDIS_URL', 'it needs FERRY_DATABASE_URL too: the state lives in PostgreSQL']);
    return undefined;
  }
  const databaseUrl = withPassword('DATABASE', database, env, secrets, ['postgres:', 'postgresql:']);
  const redis = env.FERRY_REDIS_URL;
  return { databaseUrl, ...(redis ? { redisUrl: withPassword('REDIS', redis, env, secrets, ['redis:', 'rediss:']) } : {}) };
}
