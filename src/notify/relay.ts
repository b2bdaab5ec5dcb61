// The SMTP relay notifications go through: set in the environment of `ferry serve` (a systemd
// EnvironmentFile, a container's env and secrets), never in the plan or on a command line.
//   FERRY_SMTP_HOST (required to send), FERRY_SMTP_PORT (587; 465 with tls; 25 with none),
//   FERRY_SMTP_SECURITY tls | starttls (default) | none, FERRY_SMTP_USER, FERRY_SMTP_PASSWORD or
//   FERRY_SMTP_PASSWORD_FILE (a file holding it, e.g. /run/secrets/smtp), FERRY_SMTP_FROM.
import * as fs from 'node:fs';
import * as os from 'node:os';

export interface RelaySettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  auth?: { user: string; pass: string };
  from: string;
}

/** NOTIFY-003: the settings are there but not usable; `reason` names the variable. */
export class RelaySettingsError extends Error {
  readonly code = 'NOTIFY-003';
  constructor(readonly reason: string) {
    super(reason);
  }
}

const securities = ['tls', 'starttls', 'none'] as const;
const defaultPorts = { tls: 465, starttls: 587, none: 25 } as const;

/** The relay of this environment, or undefined when none is configured (FERRY_SMTP_HOST unset). */
export function relayFromEnv(env: NodeJS.ProcessEnv): RelaySettings | undefined {
  const host = env.FERRY_SMTP_HOST?.trim();
  if (!host) return undefined;
  const security = (env.FERRY_SMTP_SECURITY?.trim() || 'starttls') as RelaySettings['security'];
  if (!securities.includes(security)) throw new RelaySettingsError(`FERRY_SMTP_SECURITY is '${security}', not one of ${securities.join(', ')}`);
  const port = env.FERRY_SMTP_PORT?.trim() ? Number(env.FERRY_SMTP_PORT) : defaultPorts[security];
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RelaySettingsError(`FERRY_SMTP_PORT is '${env.FERRY_SMTP_PORT}', not a port number`);
  const user = env.FERRY_SMTP_USER?.trim();
  let pass = env.FERRY_SMTP_PASSWORD;
  if (env.FERRY_SMTP_PASSWORD_FILE) {
    try {
      pass = fs.readFileSync(env.FERRY_SMTP_PASSWORD_FILE, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      throw new RelaySettingsError(`FERRY_SMTP_PASSWORD_FILE names ${env.FERRY_SMTP_PASSWORD_FILE}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  if (user && !pass) throw new RelaySettingsError('FERRY_SMTP_USER is set but neither FERRY_SMTP_PASSWORD nor FERRY_SMTP_PASSWORD_FILE is');
  if (!user && pass) throw new RelaySettingsError('a password is set but FERRY_SMTP_USER is not');
  const from = env.FERRY_SMTP_FROM?.trim() || `ferry@${os.hostname()}`;
  if (!/^[^\s@]+@[^\s@]+$/.test(from.replace(/^.*<(.+)>\s*$/, '$1'))) throw new RelaySettingsError(`FERRY_SMTP_FROM is '${from}', not an address`);
  return { host, port, security, ...(user && pass ? { auth: { user, pass } } : {}), from };
}

/** Where messages go, for logs (never the password). */
export const describeRelay = (r: RelaySettings): string => `${r.security === 'tls' ? 'smtps' : 'smtp'}://${r.auth ? `${r.auth.user}@` : ''}${r.host}:${r.port}${r.security === 'starttls' ? ' (STARTTLS)' : ''}`;
