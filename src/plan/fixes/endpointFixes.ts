// Quick fixes on endpoints: point a reference at an endpoint that exists (and can play the role),
// remove an endpoint nothing uses, switch IMAP to TLS and Exchange to HTTPS.
import { isMap, isScalar } from 'yaml';
import { endpointRoles, endpointTypes, type EndpointType } from '../model';
import { keyText, type PlanYaml } from '../yamlDocument';
import { isEndpointReference } from '../completion/planOutline';
import { bySimilarity, levenshtein } from './similarity';
import { deleteEntry, inFlow, replaceScalar } from './yamlEdits';
import { entryOf } from './locate';
import type { FixProvider } from './fixTypes';

/** Endpoint names with their types, in document order. */
export function definedEndpoints(yaml: PlanYaml): { name: string; type?: EndpointType }[] {
  const endpoints = yaml.nodeAt(['endpoints']);
  if (!isMap(endpoints)) return [];
  return endpoints.items.map((pair) => {
    const type = isMap(pair.value) ? pair.value.get('type') : undefined;
    return { name: keyText(pair.key), type: (endpointTypes as readonly unknown[]).includes(type) ? (type as EndpointType) : undefined };
  });
}

export const pickExistingEndpoint: FixProvider = ({ yaml, diagnostic, path }) => {
  const role = path && isEndpointReference(path);
  if (!path || !role) return [];
  const node = yaml.nodeAt(path);
  if (!isScalar(node)) return [];
  const current = String(node.value);
  const candidates = definedEndpoints(yaml)
    .filter((e) => e.name !== current && (!e.type || endpointRoles[e.type][role]))
    .map((e) => e.name);
  const ordered = bySimilarity(candidates, current);
  const flow = inFlow(yaml, path);
  return ordered.map((name, i) => ({
    title: `Use endpoint '${name}'`,
    code: diagnostic.code,
    edits: [replaceScalar(yaml, node, name, flow)],
    ...(i === 0 && (ordered.length === 1 || levenshtein(name.toLowerCase(), current.toLowerCase()) <= 2) ? { isPreferred: true } : {}),
  }));
};

export const removeUnusedEndpoint: FixProvider = ({ yaml, diagnostic, path }) => {
  if (!path || path[0] !== 'endpoints' || path.length < 2) return [];
  const entry = entryOf(yaml, path.slice(0, 2));
  if (!entry) return [];
  const edit = deleteEntry(yaml, entry.collection, entry.index, entry.parentPath);
  return edit ? [{ title: `Remove the unused endpoint '${String(path[1])}'`, code: diagnostic.code, edits: [edit] }] : [];
};

export const useHttpsUrl: FixProvider = ({ yaml, diagnostic, path }) => {
  if (!path || path[0] !== 'endpoints' || path.length < 3) return [];
  const node = yaml.nodeAt(path);
  if (!isScalar(node) || typeof node.value !== 'string' || !/^http:\/\//i.test(node.value)) return [];
  const url = node.value.replace(/^http:\/\//i, 'https://');
  return [{ title: `Use ${url}`, code: diagnostic.code, edits: [replaceScalar(yaml, node, url, inFlow(yaml, path))], isPreferred: true }];
};

export const useTlsSecurity: FixProvider = ({ yaml, diagnostic, path }) => {
  if (!path || path[0] !== 'endpoints' || path.length < 2) return [];
  const base = path.slice(0, 2);
  const security = yaml.nodeAt([...base, 'security']);
  if (!isScalar(security)) return [];
  const edits = [replaceScalar(yaml, security, 'tls', inFlow(yaml, [...base, 'security']))];
  const port = yaml.nodeAt([...base, 'port']);
  // 143 is the plain-text port; TLS from the first byte listens on 993.
  if (isScalar(port) && port.value === 143) edits.push(replaceScalar(yaml, port, 993));
  return [{ title: edits.length > 1 ? 'Use TLS (security: tls, port 993)' : 'Use TLS (security: tls)', code: diagnostic.code, edits, isPreferred: true }];
};
