/**
 * Rule family mesh: Istio settings that weaken what the mesh guarantees. Field
 * semantics from istio/api (security/v1beta1 peer_authentication.proto,
 * authorization.proto; networking/v1alpha3 gateway.proto): a PeerAuthentication in the
 * root namespace (istio-system) applies mesh-wide; an ALLOW policy with an empty rule
 * matches every request; a Gateway server on HTTP serves plaintext unless it only
 * redirects (`tls.httpsRedirect`), or unless every VirtualService route bound to it that
 * can match its port either redirects to https or answers the ACME HTTP-01 challenge path
 * (cert-manager's HTTP-01 solver must be reached over plain HTTP on port 80, RFC 8555
 * section 8.3; routes are matched in order: networking/v1alpha3 virtual_service.proto).
 */
import { asArray, asObject, asString, isObject, namespaceOf } from '../manifests';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest, PathSegment } from '../types';
import { meshNamespaces } from './content-scope';
import { ofKind } from './object-index';
import { asObjects, shown } from '../values';

/** Istio's default root namespace: policies there apply to the whole mesh. */
const ROOT_NAMESPACE = 'istio-system';
const WEAK_MTLS = ['PERMISSIVE', 'DISABLE'];
const OLD_TLS = ['TLSV1_0', 'TLSV1_1'];

function peerAuthenticationHits(ctx: GateContext, m: Manifest): Hit[] {
  const ns = namespaceOf(m.object);
  const scope = ns === ROOT_NAMESPACE ? 'mesh-wide (root namespace)' : `in meshed namespace ${ns}`;
  if (ns !== ROOT_NAMESPACE && !meshNamespaces(ctx).has(ns)) return [];
  const spec = asObject(m.object.spec);
  const modes: { path: PathSegment[]; mode: unknown }[] = [
    { path: ['spec', 'mtls', 'mode'], mode: asObject(spec.mtls).mode },
    ...Object.entries(asObject(spec.portLevelMtls)).map(([port, value]) => ({
      path: ['spec', 'portLevelMtls', port, 'mode'] as PathSegment[],
      mode: asObject(value).mode,
    })),
  ];
  return modes
    .filter(({ mode }) => typeof mode === 'string' && WEAK_MTLS.includes(mode))
    .map(({ path, mode }) => ({
      manifest: m,
      path,
      message: `mTLS mode ${shown(mode)} ${scope}: workloads accept plaintext, so any pod can call them without a mesh identity`,
    }));
}

/** A rule that matches every request: empty, or sources of any principal/namespace with no other condition. */
function matchesEverything(rule: Record<string, unknown>): boolean {
  if (Object.keys(rule).length === 0) return true;
  if (rule.to !== undefined || rule.when !== undefined) return false;
  return asArray(rule.from).every((f) => {
    const source = asObject(asObject(f).source);
    const keys = Object.keys(source);
    return keys.every((k) => ['principals', 'namespaces'].includes(k) && asArray(source[k]).includes('*'));
  });
}

function authorizationHits(m: Manifest): Hit[] {
  const spec = asObject(m.object.spec);
  const action = asString(spec.action) ?? 'ALLOW';
  if (action !== 'ALLOW') return [];
  return asArray(spec.rules).flatMap((rule, i) =>
    isObject(rule) && matchesEverything(rule)
      ? [
          {
            manifest: m,
            path: ['spec', 'rules', i],
            message: `ALLOW rule ${JSON.stringify(rule)} matches every request: it opens the selected workloads to every caller`,
          },
        ]
      : [],
  );
}

/** The path cert-manager's HTTP-01 solver answers (RFC 8555 section 8.3). */
export const ACME_CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

/** true when a route match can only ever see ACME challenge requests. */
function acmeOnly(match: Record<string, unknown>): boolean {
  const uri = asObject(match.uri);
  const path = asString(uri.prefix) ?? asString(uri.exact);
  return path !== undefined && path.startsWith(ACME_CHALLENGE_PREFIX);
}

/**
 * true when every route of the VirtualService that can take a request on `port` redirects
 * it to https or only matches the ACME challenge path; routes after a catch-all for the port
 * are never reached on it.
 */
function portOnlyRedirectsOrAcme(vs: Manifest, port: unknown): boolean {
  for (const route of asObjects(asObject(vs.object.spec).http)) {
    const matches = asObjects(route.match);
    const onPort = matches.length === 0 ? [{}] : matches.filter((mt) => mt.port === undefined || mt.port === port);
    if (onPort.length === 0) continue;
    const redirect = asObject(route.redirect);
    if (asString(redirect.scheme) === 'https') {
      if (onPort.some((mt) => Object.keys(mt).every((k) => k === 'port'))) return true;
      continue;
    }
    if (!onPort.every(acmeOnly)) return false;
  }
  return true;
}

/** The VirtualServices bound to a Gateway (`gateways`: `<name>` in its namespace, or `<namespace>/<name>`). */
function boundVirtualServices(ctx: GateContext, gateway: Manifest): Manifest[] {
  const ns = namespaceOf(gateway.object);
  const name = asString(asObject(gateway.object.metadata).name);
  return ofKind(ctx, 'VirtualService').filter((vs) =>
    asArray(asObject(vs.object.spec).gateways).some(
      (g) => g === `${ns}/${name}` || (g === name && namespaceOf(vs.object) === ns),
    ),
  );
}

/** An HTTP server that only redirects or answers ACME challenges, through its VirtualServices. */
function redirectsThroughRoutes(ctx: GateContext, m: Manifest, server: Record<string, unknown>): boolean {
  const bound = boundVirtualServices(ctx, m);
  const port = asObject(server.port).number;
  return bound.length > 0 && bound.every((vs) => portOnlyRedirectsOrAcme(vs, port));
}

function serverHits(ctx: GateContext, m: Manifest, server: Record<string, unknown>, i: number): Hit[] {
  const path: PathSegment[] = ['spec', 'servers', i];
  const protocol = asString(asObject(server.port).protocol)?.toUpperCase() ?? '';
  const tls = asObject(server.tls);
  if (protocol === 'HTTP' || protocol === 'HTTP2' || protocol === 'TCP' || protocol === 'GRPC') {
    if (protocol === 'HTTP' && tls.httpsRedirect === true) return [];
    if (protocol === 'HTTP' && redirectsThroughRoutes(ctx, m, server)) return [];
    return [
      {
        manifest: m,
        path: [...path, 'port', 'protocol'],
        message: `server ${i} serves ${protocol} without TLS${protocol === 'HTTP' ? ' and without tls.httpsRedirect' : ''}: clients send requests and credentials in plaintext`,
      },
    ];
  }
  if (!isObject(server.tls)) {
    return [
      {
        manifest: m,
        path: [...path, 'tls'],
        message: `server ${i} (${protocol || 'no protocol'}) has no tls settings`,
      },
    ];
  }
  const minimum = asString(tls.minProtocolVersion);
  if (minimum && OLD_TLS.includes(minimum)) {
    return [
      {
        manifest: m,
        path: [...path, 'tls', 'minProtocolVersion'],
        message: `server ${i} accepts ${minimum}, a TLS version with known weaknesses`,
        fix: 'set tls.minProtocolVersion: TLSV1_2',
      },
    ];
  }
  return [];
}

export const peerAuthenticationRule: GateRule = {
  id: 'mesh.mtls-mode',
  severity: 'error',
  description: 'no PeerAuthentication PERMISSIVE or DISABLE mesh-wide or in a meshed namespace',
  fix: 'set mtls.mode: STRICT (waive on the object, with the reason, for a port that must accept plaintext during a migration)',
  check: (ctx) => ofKind(ctx, 'PeerAuthentication').flatMap((m) => peerAuthenticationHits(ctx, m)),
};

export const allowAllRule: GateRule = {
  id: 'mesh.allow-all',
  severity: 'error',
  description: 'no AuthorizationPolicy ALLOW rule that matches every request',
  fix: 'name the callers (from.source.principals) and the operations (to.operation ports, methods, paths)',
  check: (ctx) => ofKind(ctx, 'AuthorizationPolicy').flatMap(authorizationHits),
};

export const gatewayTlsRule: GateRule = {
  id: 'mesh.gateway-tls',
  severity: 'error',
  description:
    'every Gateway server terminates TLS (HTTP only to redirect to HTTPS or answer ACME HTTP-01 challenges), at TLS 1.2 or later',
  fix: 'serve HTTPS with tls.mode SIMPLE and a credentialName, and keep port 80 only with tls.httpsRedirect: true (or VirtualService routes that only redirect to https or serve /.well-known/acme-challenge/)',
  check: (ctx) =>
    ofKind(ctx, 'Gateway')
      .filter((m) => shown(m.object.apiVersion).startsWith('networking.istio.io/'))
      .flatMap((m) => asArray(asObject(m.object.spec).servers).flatMap((s, i) => serverHits(ctx, m, asObject(s), i))),
};

export const meshRules = ruleFamily('mesh', [peerAuthenticationRule, allowAllRule, gatewayTlsRule]);
