/** An environment that `pulumi up` would refuse before registering anything; synth prints the same message. */
export class PreflightError extends Error {
  override readonly name = 'PreflightError';
}
