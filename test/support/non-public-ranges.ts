/**
 * The IPv4 ranges every "internet" egress of the platform excepts, in address order, as
 * the rendered policies must list them: private (RFC 1918), CGNAT, loopback and link-local
 * (the cloud metadata service). Written out here, not read from config/, so that the tests
 * using it pin the values the code derives (config/admission.ts NON_PUBLIC_IPV4_RANGES).
 */
export const NON_PUBLIC_IPV4 = [
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
];
