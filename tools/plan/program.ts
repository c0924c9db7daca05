/**
 * The program the offline plan runs: the real platform (infra/program.ts) with the
 * credentials it needs replaced by secret placeholders. Nothing reaches a cloud:
 * the engine is mocked, so no provider ever sees them.
 */
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { definePlatform } from '../../infra/program';
import type { PlatformProgram } from './run';

export function platformProgram(root: string): PlatformProgram {
  return (spec) =>
    definePlatform(spec, {
      distDir: join(root, 'dist'),
      ...(spec.cloud.provider === 'hcloud'
        ? {
            hcloudToken: pulumi.secret('offline-plan-placeholder'),
            backupCredentials: {
              accessKeyId: pulumi.secret('offline-plan-placeholder'),
              secretAccessKey: pulumi.secret('offline-plan-placeholder'),
            },
          }
        : {}),
    });
}
