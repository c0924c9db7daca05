/**
 * The API group of system-upgrade-controller's Plans; files of dist/ that use it wait for
 * the controller. A leaf module without Pulumi, so synth's pre-flight checks can read it.
 */
export const SYSTEM_UPGRADE_CRD_GROUP = 'upgrade.cattle.io';
