import type { k8s } from 'cdk8s-plus-28';

/**
 * A container's environment: plain variables, then one variable per Secret key,
 * read by reference (`secretKeyRef`) so that no secret value is ever in a manifest.
 */
export function containerEnv(
  env: Readonly<Record<string, string>>,
  secrets: readonly { readonly name: string; readonly keys: readonly string[] }[],
): k8s.EnvVar[] {
  return [
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    ...secrets.flatMap((ref) =>
      ref.keys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: ref.name, key } } })),
    ),
  ];
}
