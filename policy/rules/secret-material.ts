/**
 * Rule family secret-material: no secret value in the manifests (dist/ is committed
 * and reviewed in the open). Secrets are created out of band (Vault, an operator,
 * `kubectl create secret`) and referenced by name; credentials never appear as literal
 * env values or ConfigMap data.
 */
import { asArray, asObject, asString } from '../manifests';
import { ruleFamily, type GateRule, type Hit } from '../rule';
import type { GateContext, Manifest } from '../types';
import { ofKind } from './object-index';
import { podTemplates } from './reference-index';

/** Names that say "credential": PASSWORD, DB_PASS, API_KEY, SECRET, TOKEN, PRIVATE_KEY, CREDENTIALS, ... */
const CREDENTIAL_NAME =
  /(passw(or)?d|passwd|(^|[_.-])pass($|[_.-])|secret|token|api[_.-]?key|private[_.-]?key|credential|access[_.-]?key)/i;
/** Names that point at a credential rather than hold one (PASSWORD_FILE, TOKEN_PATH, DB_SECRET_NAME). */
const REFERENCE_NAME = /[_.-](file|path|name|ref|dir|mount)$/i;
/** Values that are credentials whatever their name: a user:password URL, a private key, an AWS access key id. */
const CREDENTIAL_VALUE = [
  { pattern: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, what: 'a URL with a user and password' },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: 'a private key' },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
];

/** Why a name/value pair looks like a credential, or undefined. */
function credentialReason(name: string, value: string): string | undefined {
  const byValue = CREDENTIAL_VALUE.find((c) => c.pattern.test(value));
  if (byValue) return `its value is ${byValue.what}`;
  if (value.trim() !== '' && CREDENTIAL_NAME.test(name) && !REFERENCE_NAME.test(name)) {
    return 'its name says it is a credential';
  }
  return undefined;
}

function secretDataHits(m: Manifest): Hit[] {
  return (['data', 'stringData'] as const)
    .filter((field) => Object.keys(asObject(m.object[field])).length > 0)
    .map((field) => ({
      manifest: m,
      path: [field],
      message: `holds secret values in ${field} (keys ${Object.keys(asObject(m.object[field])).join(', ')}); everyone who reads the repository or dist/ reads them`,
    }));
}

function envHits(ctx: GateContext): Hit[] {
  return podTemplates(ctx).flatMap((t) =>
    t.containers.flatMap((c) =>
      asArray(c.container.env).flatMap((entry, i) => {
        const e = asObject(entry);
        const name = asString(e.name) ?? '';
        const value = asString(e.value);
        const reason = value === undefined ? undefined : credentialReason(name, value);
        if (!reason) return [];
        return [
          {
            manifest: t.manifest,
            path: [...c.path, 'env', i, 'value'],
            message: `env ${name} of container "${c.name}" is a literal value and ${reason}: it is in dist/ and in the pod spec for anyone who can read it`,
          },
        ];
      }),
    ),
  );
}

function configMapHits(m: Manifest): Hit[] {
  return Object.entries(asObject(m.object.data)).flatMap(([key, value]) => {
    const reason = typeof value === 'string' ? credentialReason(key, value) : undefined;
    if (!reason) return [];
    return [
      {
        manifest: m,
        path: ['data', key],
        message: `ConfigMap key ${key}: ${reason}; ConfigMaps are readable by every role that views the namespace`,
      },
    ];
  });
}

export const secretDataRule: GateRule = {
  id: 'secret.data',
  severity: 'error',
  description: 'no Secret with data or stringData in the manifests',
  fix: 'create the Secret out of band (Vault, an operator, pulumi config --secret) and reference it by name; declare it with policy.agent-platform.io/external',
  check: (ctx) => ofKind(ctx, 'Secret').flatMap(secretDataHits),
};

export const literalEnvRule: GateRule = {
  id: 'secret.literal-env',
  severity: 'error',
  description: 'no credential as a literal env value',
  fix: 'read it from a Secret: env[].valueFrom.secretKeyRef',
  check: envHits,
};

export const configMapCredentialRule: GateRule = {
  id: 'secret.configmap-data',
  severity: 'error',
  description: 'no credential in ConfigMap data',
  fix: 'move the value to a Secret created out of band and mount or reference that',
  check: (ctx) => ofKind(ctx, 'ConfigMap').flatMap(configMapHits),
};

export const secretMaterialRules = ruleFamily('secret-material', [
  secretDataRule,
  literalEnvRule,
  configMapCredentialRule,
]);
