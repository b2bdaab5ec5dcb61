// The Microsoft identity platform as the fake serves it, laid out like login.microsoftonline.com:
// OpenID metadata, the v2.0 token endpoint (client credentials with a secret or a certificate
// assertion, device code polling) and the device authorization endpoint. Errors carry the AADSTS
// codes Microsoft returns for the same mistakes.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AppRecord, FakeData, TenantRecord } from './data';
import { aadError, formOf, json, type FakeRequest, type FakeResponse } from './http';
import { decodeJwt, signHs256, verifyWithCertificate } from './jwt';
import { thumbprints } from './certs';
import type { TokenIssuer } from './tokens';

interface DeviceCode {
  deviceCode: string;
  userCode: string;
  tenantId: string;
  clientId: string;
  expires: number;
  /** UPN of the user who signed in, once approved. */
  approvedAs?: string;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export class Identity {
  private readonly deviceCodes: DeviceCode[] = [];
  /** Refresh tokens of delegated sign-ins: what each one stands for. */
  private readonly refreshTokens = new Map<string, { tenantId: string; clientId: string; upn: string; oid: string }>();

  private readonly idTokenKey = randomBytes(32);

  constructor(private readonly data: FakeData, private readonly tokens: TokenIssuer, private readonly origin: () => string) {}

  /** Routes `/<tenant>/v2.0/.well-known/openid-configuration` and `/<tenant>/oauth2/v2.0/*`; undefined for other paths. */
  handle(req: FakeRequest): FakeResponse | undefined {
    const m = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/(token|devicecode))$/.exec(req.path);
    if (!m) return undefined;
    const tenant = this.data.tenant(decodeURIComponent(m[1]));
    if (!tenant) return aadError(400, 'invalid_tenant', 90002, `Tenant '${decodeURIComponent(m[1])}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`);
    if (m[3] === 'token' && req.method === 'POST') return this.token(tenant, req);
    if (m[3] === 'devicecode' && req.method === 'POST') return this.deviceCode(tenant, req);
    if (!m[3] && req.method === 'GET') return json(200, this.metadata(tenant, m[1]));
    return aadError(405, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
  }

  private metadata(tenant: TenantRecord, asWritten: string): object {
    const base = `${this.origin()}/${asWritten}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${this.origin()}/${tenant.id}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${this.origin()}/${tenant.id}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.origin()}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nbf', 'name', 'tid', 'ver'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  private app(tenant: TenantRecord, clientId: string | null): AppRecord | FakeResponse {
    const app = tenant.apps.find((a) => a.clientId.toLowerCase() === (clientId ?? '').toLowerCase());
    if (app) return app;
    return aadError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant.domains[0]}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
  }

  private token(tenant: TenantRecord, req: FakeRequest): FakeResponse {
    const form = formOf(req);
    const grant = form.get('grant_type');
    // Microsoft documents the URN; msal-node sends the short form, which the service also takes.
    if (grant === DEVICE_GRANT || grant === 'device_code') return this.pollDeviceCode(tenant, form);
    if (grant === 'refresh_token') return this.refresh(tenant, form);
    if (grant !== 'client_credentials') return aadError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant ?? ''}'.`);
    const assertion = form.get('client_assertion');
    const clientId = form.get('client_id') ?? (assertion ? String(decodeJwt(assertion)?.payload.iss ?? '') : null);
    const app = this.app(tenant, clientId);
    if ('status' in app) return app;
    const scope = form.get('scope') ?? '';
    if (!/\/\.default$/.test(scope.split(' ')[0] ?? '')) return aadError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    if (assertion) {
      const problem = this.checkAssertion(app, assertion, form.get('client_assertion_type'), tenant);
      if (problem) return problem;
    } else {
      const secret = form.get('client_secret');
      if (!secret) return aadError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
      if (!app.secrets.includes(secret)) return aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
    }
    if (!app.consented) return aadError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.displayName}'. Send an interactive authorization request for this user and resource.`);
    return json(200, this.tokens.issue({ tid: tenant.id, appid: app.clientId, roles: app.roles }));
  }

  /** Checks a client assertion as Entra ID does: a registered certificate by x5t / x5t#S256, a valid signature, audience and lifetime. */
  private checkAssertion(app: AppRecord, assertion: string, type: string | null, tenant: TenantRecord): FakeResponse | undefined {
    const bad = (code: number, text: string) => aadError(401, 'invalid_client', code, text);
    if (type !== ASSERTION_TYPE) return bad(7000219, `'client_assertion_type' must be '${ASSERTION_TYPE}'.`);
    const jwt = decodeJwt(assertion);
    if (!jwt) return bad(50027, 'JWT token is invalid or malformed.');
    const x5t = typeof jwt.header.x5t === 'string' ? Buffer.from(jwt.header.x5t, 'base64url').toString('hex').toUpperCase() : undefined;
    const x5tS256 = typeof jwt.header['x5t#S256'] === 'string' ? Buffer.from(jwt.header['x5t#S256'], 'base64url').toString('hex').toUpperCase() : undefined;
    const cert = app.certificates.find((pem) => {
      const t = thumbprints(pem);
      return t.sha1 === x5t || t.sha256 === x5tS256;
    });
    if (!cert) return bad(700027, `Client assertion failed signature validation. The key was not found. Thumbprint of key used by client: '${x5tS256 ?? x5t ?? ''}'. Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${app.clientId}'.`);
    if (!verifyWithCertificate(jwt.signingInput, jwt.signature, jwt.header.alg, cert)) return bad(700027, 'Client assertion contains an invalid signature.');
    const now = Date.now() / 1000;
    if (typeof jwt.payload.exp !== 'number' || jwt.payload.exp < now - 300) return bad(700024, 'Client assertion is not within its valid time range.');
    if (jwt.payload.iss !== app.clientId || jwt.payload.sub !== app.clientId) return bad(700023, 'Client assertion issuer and subject must be the client id.');
    const aud = String(jwt.payload.aud ?? '');
    if (!aud.endsWith('/oauth2/v2.0/token') || !aud.startsWith(this.origin())) return bad(700212, `No matching federated identity record found for presented assertion audience '${aud}' (tenant ${tenant.id}).`);
    return undefined;
  }

  private deviceCode(tenant: TenantRecord, req: FakeRequest): FakeResponse {
    const form = formOf(req);
    const app = this.app(tenant, form.get('client_id'));
    if ('status' in app) return app;
    const code: DeviceCode = { deviceCode: randomBytes(32).toString('base64url'), userCode: randomBytes(5).toString('hex').toUpperCase().slice(0, 9), tenantId: tenant.id, clientId: app.clientId, expires: Date.now() + 900_000 };
    this.deviceCodes.push(code);
    const uri = `${this.origin()}/devicelogin`;
    return json(200, { user_code: code.userCode, device_code: code.deviceCode, verification_uri: uri, expires_in: 900, interval: 1, message: `To sign in, use a web browser to open the page ${uri} and enter the code ${code.userCode} to authenticate.` });
  }

  /** Approves a pending device code as a user (what signing in at /devicelogin does). */
  approveDeviceCode(userCode: string, userPrincipalName: string): boolean {
    const code = this.deviceCodes.find((c) => c.userCode === userCode.toUpperCase());
    if (code) code.approvedAs = userPrincipalName;
    return code !== undefined;
  }

  private pollDeviceCode(tenant: TenantRecord, form: URLSearchParams): FakeResponse {
    const code = this.deviceCodes.find((c) => c.deviceCode === form.get('device_code') && c.tenantId === tenant.id);
    if (!code || code.expires < Date.now()) return aadError(400, 'expired_token', 70020, 'The provided value for the input parameter \'device_code\' is not valid. This code has expired.');
    if (!code.approvedAs) return aadError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
    const user = this.data.findUser(tenant, code.approvedAs);
    this.deviceCodes.splice(this.deviceCodes.indexOf(code), 1);
    return json(200, this.delegated(tenant, code.clientId, code.approvedAs, user?.id ?? randomUUID()));
  }

  /** A delegated token response as Entra ID sends it: access token, refresh token, ID token and client_info (msal builds the account from them). */
  private delegated(tenant: TenantRecord, clientId: string, upn: string, oid: string, refreshToken?: string): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const refresh = refreshToken ?? randomBytes(32).toString('base64url');
    this.refreshTokens.set(refresh, { tenantId: tenant.id, clientId, upn, oid });
    const idToken = signHs256({ aud: clientId, iss: `${this.origin()}/${tenant.id}/v2.0`, iat: now, nbf: now, exp: now + 3600, name: upn, oid, preferred_username: upn, sub: oid, tid: tenant.id, ver: '2.0' }, this.idTokenKey);
    return {
      ...this.tokens.issue({ tid: tenant.id, appid: clientId, scp: 'Mail.ReadWrite User.Read', upn, oid }),
      scope: 'Mail.ReadWrite User.Read openid profile offline_access',
      refresh_token: refresh,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify({ uid: oid, utid: tenant.id })).toString('base64url'),
    };
  }

  /** grant_type=refresh_token: a new access token for the same user and app. */
  private refresh(tenant: TenantRecord, form: URLSearchParams): FakeResponse {
    const token = form.get('refresh_token') ?? '';
    const known = this.refreshTokens.get(token);
    if (!known || known.tenantId !== tenant.id || known.clientId !== form.get('client_id')) return aadError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
    return json(200, this.delegated(tenant, known.clientId, known.upn, known.oid, token));
  }
}
