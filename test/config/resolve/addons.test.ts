import { addonRequirementIssues, resolveAddons } from '../../../config/resolve/addons';
import { parsedExample, parsedStaging } from './parsed';

describe('resolveAddons', () => {
  it("on Hetzner: the cloud's own add-ons on, metrics-server from k3s, Velero with backup, no LB controller", () => {
    const { addons, issues } = resolveAddons(parsedStaging());
    expect(issues).toEqual([]);
    expect(addons.hcloudCcm.enabled).toBe(true);
    expect(addons.hcloudCsi.enabled).toBe(true);
    expect(addons.metricsServer.source).toBe('distribution');
    expect(addons.velero.enabled).toBe(true);
    expect(addons.awsLoadBalancerController.enabled).toBe(false);
    expect(addons.nvidiaDevicePlugin.enabled).toBe(false);
  });

  it("on EKS: Hetzner's add-ons off, metrics-server from its chart, the LB controller for the gateway, the device plugin for GPU pools", () => {
    const { addons } = resolveAddons(parsedExample('support-copilot'));
    expect(addons.hcloudCcm.enabled).toBe(false);
    expect(addons.hcloudCsi.enabled).toBe(false);
    expect(addons.metricsServer.source).toBe('chart');
    expect(addons.nvidiaDevicePlugin.enabled).toBe(true);
    expect(resolveAddons(parsedExample('lobstack-aws')).addons.awsLoadBalancerController.enabled).toBe(true);
  });

  it('lets the stack file opt out of what the environment would need, and set the metrics-server source', () => {
    const parsed = parsedExample('support-copilot', (raw) => {
      raw.addons = { nvidiaDevicePlugin: { enabled: false }, metricsServer: { source: 'distribution' } };
    });
    const { addons } = resolveAddons(parsed);
    expect(addons.nvidiaDevicePlugin.enabled).toBe(false);
    expect(addons.metricsServer.source).toBe('distribution');
  });
});

describe('addonRequirementIssues', () => {
  it('finds nothing in a consistent environment', () => {
    const parsed = parsedStaging();
    expect(addonRequirementIssues(parsed, resolveAddons(parsed).addons)).toEqual([]);
  });
});
