// The Google Workspace domain the fake serves: its users (active, suspended or recently
// deleted, admins), the service accounts of a Cloud project with their keys, and the admin
// console's domain-wide delegation (Security > API controls > Domain-wide delegation: a client id
// and the OAuth scopes granted to it).
import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

export interface WorkspaceUser {
  /** Numeric id as Directory shows it (21 digits). */
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  suspended: boolean;
  /** Deleted in the admin console (the token endpoint says so for 20 days). */
  deleted: boolean;
  isAdmin: boolean;
  orgUnitPath: string;
  aliases: string[];
  creationTime: string;
}

/** A service account key file as the Cloud console downloads it (JSON). */
export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  auth_uri: string;
  token_uri: string;
  auth_provider_x509_cert_url: string;
  client_x509_cert_url: string;
  universe_domain: 'googleapis.com';
}

interface ServiceAccount {
  email: string;
  clientId: string;
  /** Public keys by key id; a deleted key is removed. */
  keys: Map<string, string>;
}

const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? randomInt(1, 10) : randomInt(0, 10))).join('');

export class Domain {
  readonly users = new Map<string, WorkspaceUser>();
  readonly serviceAccounts = new Map<string, ServiceAccount>();
  /** Domain-wide delegation: client id -> granted scopes. */
  readonly delegations = new Map<string, Set<string>>();
  readonly customerId = `C0${randomBytes(4).toString('hex')}`;

  constructor(readonly name: string) {}

  addUser(email: string, options: Partial<Omit<WorkspaceUser, 'primaryEmail' | 'id'>> = {}): WorkspaceUser {
    const address = email.toLowerCase();
    if (this.users.has(address)) throw new Error(`fake Google: ${address} exists`);
    const local = address.split('@')[0];
    const user: WorkspaceUser = {
      id: digits(21),
      primaryEmail: address,
      givenName: options.givenName ?? local.charAt(0).toUpperCase() + local.slice(1),
      familyName: options.familyName ?? 'Test',
      suspended: options.suspended ?? false,
      deleted: options.deleted ?? false,
      isAdmin: options.isAdmin ?? false,
      orgUnitPath: options.orgUnitPath ?? '/',
      aliases: options.aliases ?? [],
      creationTime: options.creationTime ?? new Date().toISOString().replace(/\d\d\dZ$/, '000Z'),
    };
    this.users.set(address, user);
    return user;
  }

  /** The user an address (primary or alias) or numeric id names. */
  user(key: string): WorkspaceUser | undefined {
    const k = key.toLowerCase();
    const direct = this.users.get(k);
    if (direct) return direct;
    for (const u of this.users.values()) if (u.id === key || u.aliases.includes(k)) return u;
    return undefined;
  }

  /** Creates a service account with one RSA key and gives its key file. */
  createServiceAccount(name = 'ferry-migration', tokenUri = 'https://oauth2.googleapis.com/token'): ServiceAccountKey {
    const project = `ferry-test-${randomBytes(3).toString('hex')}`;
    const email = `${name}@${project}.iam.gserviceaccount.com`;
    const clientId = digits(21);
    const account: ServiceAccount = { email, clientId, keys: new Map() };
    this.serviceAccounts.set(email, account);
    return this.addKey(email, project, tokenUri);
  }

  /** A further key for a service account (the console's "Add key"). */
  addKey(email: string, project = email.split('@')[1].split('.')[0], tokenUri = 'https://oauth2.googleapis.com/token'): ServiceAccountKey {
    const account = this.serviceAccounts.get(email);
    if (!account) throw new Error(`fake Google: no service account ${email}`);
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyId = randomBytes(20).toString('hex');
    account.keys.set(keyId, publicKey.export({ type: 'spki', format: 'pem' }).toString());
    return {
      type: 'service_account',
      project_id: project,
      private_key_id: keyId,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: email,
      client_id: account.clientId,
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: tokenUri,
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: 'googleapis.com',
    };
  }

  /** Deletes one key of a service account (a JWT signed with it no longer verifies). */
  deleteKey(email: string, keyId: string): void {
    this.serviceAccounts.get(email)?.keys.delete(keyId);
  }

  serviceAccount(email: string): ServiceAccount | undefined {
    return this.serviceAccounts.get(email);
  }

  /** Sets the scopes granted to a client id (replacing what it had); no scopes removes the entry. */
  delegate(clientId: string, scopes: string[]): void {
    if (scopes.length === 0) this.delegations.delete(clientId);
    else this.delegations.set(clientId, new Set(scopes));
  }
}
