/**
 * The policy gate as a cdk8s validation plugin, so `npx cdk8s synth` runs it too.
 * cdk8s.yaml declares it:
 *
 *   validations:
 *     - package: ./build/cdk8s-plugin.js
 *       class: PolicyGateValidation
 *       version: 0.1.0
 *
 * How cdk8s-cli hands over manifests: it empties its `output:` folder, runs `app:` with
 * CDK8S_OUTDIR set to it, then passes every *.yaml under that folder (recursively) as
 * `context.manifests`. Our app writes dist/<stack>/ itself, atomically; cdk8s.yaml sets
 * `output: cdk8s.out` so that the CLI never empties dist/ (a failed synth must leave
 * the previous dist/ in place). cdk8s.out stays empty, so the plugin judges `distDir`
 * (default `dist`) and says so; given manifests (any folder of dist/<stack>/ files),
 * it groups them by the folder's index.json. Either way each stack is judged with its
 * Pulumi.<stack>.yaml, so the cross-layer rules run as in `npm run synth`.
 *
 * The plugin contract (cdk8s-cli lib/plugins/validation.d.ts): a class whose
 * constructor takes the `properties:` of the declaration, with an async
 * `validate(context)` that adds violations to `context.report` and submits it.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../config';
import { gateFiles, groupByStack, loadEnvironment, type FileGroup } from './gate';
import { recordedVerdict } from './gate-verdict';
import { collectFiles, describe, displayPath, InputError } from './manifests';
import { formatWaivers, summaryLine } from './report';
import { SchemaUnavailableError } from './schemas';
import { sharedSchemaStore } from './runner';

/** The subset of cdk8s-cli's ValidationContext the plugin uses (no runtime import of the CLI). */
export interface PluginContext {
  readonly manifests: readonly string[];
  readonly logger: { log(message: string): void };
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

export interface PolicyGateValidationProps {
  /** Repository root holding the Pulumi.<stack>.yaml files. @default process.cwd() */
  readonly root?: string;
  /** Folder judged when cdk8s hands over no manifests (`--stdout`). @default dist */
  readonly distDir?: string;
  /** Kubernetes schema locations (folders or URL templates). @default - ../shared/k8s-schemas or upstream */
  readonly schemas?: string[];
  /** CRD locations. @default - ../shared/crds or the URLs in cdk8s.yaml */
  readonly crds?: string[];
  /** Report warnings as violations too. @default false */
  readonly warnings?: boolean;
}

export class PolicyGateValidation {
  private readonly props: PolicyGateValidationProps;

  constructor(props: PolicyGateValidationProps = {}) {
    this.props = props;
  }

  async validate(context: PluginContext): Promise<void> {
    const root = resolve(this.props.root ?? process.cwd());
    try {
      let files = context.manifests.filter((f) => /\.ya?ml$/.test(f));
      if (files.length === 0) {
        const dist = resolve(root, this.props.distDir ?? 'dist');
        if (!existsSync(dist)) throw new InputError(`cdk8s passed no manifests and ${dist} does not exist`);
        context.logger.log(`policy gate: cdk8s passed no manifests; judging ${relative(root, dist) || dist}`);
        files = collectFiles([dist]);
      }
      const groups = groupByStack(files);
      const specFor = (g: FileGroup) => {
        const stack = g.index?.stack;
        return stack && existsSync(join(root, `Pulumi.${stack}.yaml`)) ? loadEnvironment(root, stack) : undefined;
      };
      const schemas = sharedSchemaStore({
        root,
        ...(this.props.schemas ? { schemaLocations: this.props.schemas } : {}),
        ...(this.props.crds ? { crdLocations: this.props.crds } : {}),
      });
      // The synth that just wrote these files judged them already: reuse its verdict (gate-verdict.ts).
      const reports = groups.map(
        (g) =>
          recordedVerdict(g.files) ?? gateFiles([g], { schemas, specFor, display: (f) => displayPath(root, f) })[0]!,
      );
      let errors = 0;
      let warnings = 0;
      for (const report of reports) {
        errors += report.errors;
        warnings += report.warnings;
        context.logger.log(summaryLine(report));
        for (const note of report.notes) context.logger.log(`  note: ${note}`);
        for (const f of report.findings) {
          if (f.severity === 'warning' && !this.props.warnings) continue;
          context.report.addViolation({
            ruleName: `${f.rule} (${f.severity})`,
            recommendation: f.message,
            fix: f.fix,
            violatingResources: [
              {
                resourceName: describe(f.object),
                locations: [f.line !== undefined ? `${f.path} (line ${f.line})` : f.path],
                manifestPath: f.file,
              },
            ],
          });
        }
        if (report.waivers.length > 0) context.logger.log(formatWaivers(report));
      }
      context.report.submit(errors > 0 ? 'failure' : 'success', {
        stacks: reports.map((r) => r.stack ?? '(no stack)').join(', '),
        errors: String(errors),
        warnings: String(warnings),
        waived: String(reports.reduce((n, r) => n + r.waived.length, 0)),
      });
    } catch (error) {
      if (error instanceof InputError || error instanceof SchemaUnavailableError || error instanceof ConfigError) {
        context.report.addViolation({
          ruleName: 'policy.input',
          recommendation: error.message,
          fix: 'make the manifests and stack files readable and valid, and the schemas available',
          violatingResources: [],
        });
        context.report.submit('failure', { error: error.message });
        return;
      }
      throw error;
    }
  }
}
