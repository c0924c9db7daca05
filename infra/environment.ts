/**
 * The Pulumi side of the one loader: reads `agent-platform:platform` from the
 * stack's config and validates it exactly as `npm run synth` does.
 */
import * as pulumi from '@pulumi/pulumi';
import {
  ConfigError,
  parseEnvironment,
  PLATFORM_KEY,
  PROJECT,
  todayFromEnvironment,
  type LoadedEnvironment,
} from '../config';

export function loadEnvironmentFromPulumi(today?: string): LoadedEnvironment {
  const stack = pulumi.getStack();
  const raw = new pulumi.Config(PROJECT).requireObject<unknown>('platform');
  try {
    // The entry point is the edge where "today" is read (AGENT_PLATFORM_TODAY or the clock), as in synth.
    const loaded = parseEnvironment(raw, {
      stack,
      source: `Pulumi.${stack}.yaml (${PLATFORM_KEY})`,
      today: today ?? todayFromEnvironment(),
    });
    for (const warning of loaded.warnings) pulumi.log.warn(warning);
    return loaded;
  } catch (error) {
    if (error instanceof ConfigError) {
      // Fail before any resource is registered, with the whole list of problems.
      throw new pulumi.RunError(error.message);
    }
    throw error;
  }
}
