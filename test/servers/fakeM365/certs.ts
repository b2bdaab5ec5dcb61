// Certificates for the fake: a test CA made with `openssl` at start, a server certificate it signs
// for 127.0.0.1 and localhost (msal-node only talks to an https authority), and self-signed app
// certificates for client-assertion sign-in. Everything lives in the folder given; nothing global.
import { execFileSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface ServerCertificates {
  /** Path of the CA certificate (PEM) clients must trust (NODE_EXTRA_CA_CERTS or tls.setDefaultCACertificates). */
  caPath: string;
  caPem: string;
  key: string;
  cert: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A fresh CA and a server certificate for 127.0.0.1 and localhost, written under `dir`. */
export async function makeServerCertificates(dir: string): Promise<ServerCertificates> {
  await fs.mkdir(dir, { recursive: true });
  // P-256 keys: made in milliseconds where RSA takes a noticeable share of a test's start.
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  openssl(['req', '-x509', ...ec, '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Ferry fake Microsoft 365 test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...ec, '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  await fs.writeFile(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
  const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8');
  const [caPem, key, cert] = await Promise.all([read('ca.pem'), read('server.key'), read('server.pem')]);
  return { caPath: path.join(dir, 'ca.pem'), caPem, key, cert };
}

export interface AppCertificate {
  /** PKCS#8 PEM private key (what msal-node's clientCertificate.privateKey takes). */
  privateKey: string;
  certificate: string;
  /** Hex SHA-1 and SHA-256 thumbprints of the DER certificate, upper case like the Azure portal. */
  sha1: string;
  sha256: string;
}

/** A self-signed certificate an app registration can hold (Azure portal: Certificates & secrets). */
export async function makeAppCertificate(dir: string, name = 'app'): Promise<AppCertificate> {
  await fs.mkdir(dir, { recursive: true });
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${name}`], dir);
  const privateKey = await fs.readFile(path.join(dir, `${name}.key`), 'utf8');
  const certificate = await fs.readFile(path.join(dir, `${name}.pem`), 'utf8');
  return { privateKey, certificate, ...thumbprints(certificate) };
}

/** SHA-1 and SHA-256 thumbprints (hex, upper case) of a PEM certificate. */
export function thumbprints(pem: string): { sha1: string; sha256: string } {
  const der = new X509Certificate(pem).raw;
  const hash = (alg: string) => createHash(alg).update(der).digest('hex').toUpperCase();
  return { sha1: hash('sha1'), sha256: hash('sha256') };
}
