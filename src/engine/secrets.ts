// Secrets named in the plan ({ secret: NAME }) are resolved at run time: from the environment on the
// command line, from the extension's SecretStorage (sent in the runner's start request) otherwise.
// Values are never logged, stored or put in events.
import type { AuthSettings, PlanEndpoint } from '../plan/model';

/** Looks a secret up by its plan name; undefined when it is not set. */
export type SecretSource = (name: string) => string | undefined;

/** FERRY_SECRET_<NAME>: NAME upper-cased, every character other than A-Z and 0-9 turned into `_`. */
export function secretEnvName(name: string): string {
  return `FERRY_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export function envSecrets(env: NodeJS.ProcessEnv): SecretSource {
  return (name) => env[secretEnvName(name)];
}

/** Secrets given by name first (the extension's map), then the environment. */
export function mapSecrets(secrets: Readonly<Record<string, string>>, fallback?: SecretSource): SecretSource {
  return (name) => (Object.prototype.hasOwnProperty.call(secrets, name) ? secrets[name] : fallback?.(name));
}

/** Every `{ secret: NAME }` under a value (endpoint settings, auth blocks). */
export function secretNames(...values: unknown[]): string[] {
  const names = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      const o = v as Record<string, unknown>;
      if (typeof o.secret === 'string') names.add(o.secret);
      else Object.values(o).forEach(walk);
    }
  };
  values.forEach(walk);
  return [...names];
}

/** The names one side of one mailbox needs: its endpoint's and its own auth's. */
export function namesFor(endpoint: PlanEndpoint, auth: AuthSettings | undefined): string[] {
  return secretNames(endpoint.settings, auth);
}
