import type { Construct } from 'constructs';
import { acmeEnabled, namespaceOf, type EnvironmentSpec } from '../../config';
import {
  AuthorizationPolicy,
  AuthorizationPolicySpecAction,
} from '../../imports/istio-authorizationpolicies-security.istio.io';
import {
  Gateway,
  GatewaySpecServersTlsMinProtocolVersion,
  GatewaySpecServersTlsMode,
} from '../../imports/istio-gateways-networking.istio.io';
import {
  PeerAuthentication,
  PeerAuthenticationSpecMtlsMode,
} from '../../imports/istio-peerauthentications-security.istio.io';
import {
  VirtualService,
  VirtualServiceSpecHttpRedirectDerivePort,
  type VirtualServiceSpecHttp,
} from '../../imports/istio-virtualservices-networking.istio.io';
import {
  API_NAME,
  API_POD_LABELS,
  INGRESS_GATEWAY_LABELS,
  INGRESS_GATEWAY_SERVICE_ACCOUNT,
  MESH_TRUST_DOMAIN,
} from '../names';
import { ACME_CHALLENGE_PATH, ACME_SOLVER_PORT, ACME_SOLVER_SERVICE, acmeChallenge } from './certificates';
import { PlatformChart } from './platform-chart';

/**
 * Istio objects (only when the Istio add-on is enabled):
 * - PeerAuthentication `default` in the root namespace: STRICT mTLS mesh-wide, so a
 *   sidecar accepts nothing but mesh identities.
 * - AuthorizationPolicy on the API: only the ingress gateway's ServiceAccount may call
 *   it. Clients outside the mesh (agent pods under gVisor) use the gateway too.
 * - Gateway + VirtualService: the API host over HTTPS (certificate from the Secret
 *   `controlPlaneApi.tlsSecretName` in the ingress namespace), HTTP redirected to HTTPS.
 *   When cert-manager answers ACME HTTP-01 for the host, the redirect moves from the
 *   Gateway into the VirtualService, after a route of the challenge path to the solver
 *   pods, so that one route table decides (two Gateways on port 80 for one host would not).
 */
export class MeshChart extends PlatformChart {
  constructor(scope: Construct, id: string, spec: EnvironmentSpec) {
    super(scope, id, { spec, component: 'mesh' });
    const api = spec.controlPlaneApi;
    const rootNs = namespaceOf(spec, 'istio-system').name;
    const ingressNs = namespaceOf(spec, 'ingress').name;
    const cp = namespaceOf(spec, 'control-plane');
    const http01 = acmeEnabled(spec) && acmeChallenge(spec) === 'http01';

    new PeerAuthentication(this, 'MeshMtls', {
      metadata: { name: 'default', namespace: rootNs },
      spec: { mtls: { mode: PeerAuthenticationSpecMtlsMode.STRICT } },
    });

    if (cp.mesh) {
      new AuthorizationPolicy(this, 'ApiFromGateway', {
        metadata: { name: `${API_NAME}-allow-ingress-gateway`, namespace: cp.name },
        spec: {
          selector: { matchLabels: { ...API_POD_LABELS } },
          action: AuthorizationPolicySpecAction.ALLOW,
          rules: [
            {
              from: [
                {
                  source: {
                    principals: [`${MESH_TRUST_DOMAIN}/ns/${ingressNs}/sa/${INGRESS_GATEWAY_SERVICE_ACCOUNT}`],
                  },
                },
              ],
              to: [{ operation: { ports: [String(api.port)] } }],
            },
          ],
        },
      });
    }

    new Gateway(this, 'ApiGateway', {
      metadata: { name: API_NAME, namespace: ingressNs },
      spec: {
        selector: { ...INGRESS_GATEWAY_LABELS },
        servers: [
          {
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [api.host],
            tls: {
              mode: GatewaySpecServersTlsMode.SIMPLE,
              credentialName: api.tlsSecretName,
              minProtocolVersion: GatewaySpecServersTlsMinProtocolVersion.TLSV1_UNDERSCORE_2,
            },
          },
          {
            port: { number: 80, name: 'http', protocol: 'HTTP' },
            hosts: [api.host],
            ...(http01 ? {} : { tls: { httpsRedirect: true } }),
          },
        ],
      },
    });

    new VirtualService(this, 'ApiRoute', {
      metadata: { name: API_NAME, namespace: ingressNs },
      spec: {
        hosts: [api.host],
        gateways: [API_NAME],
        http: [
          ...(http01 ? acmeHttp01Routes(ingressNs) : []),
          {
            route: [{ destination: { host: `${API_NAME}.${cp.name}.svc.cluster.local`, port: { number: api.port } } }],
          },
        ],
      },
    });
  }
}

/** Port 80: the ACME challenge path to cert-manager's solver pods, everything else redirected to HTTPS. */
function acmeHttp01Routes(ingressNs: string): VirtualServiceSpecHttp[] {
  return [
    {
      name: 'acme-http01',
      match: [{ port: 80, uri: { prefix: ACME_CHALLENGE_PATH } }],
      route: [
        {
          destination: {
            host: `${ACME_SOLVER_SERVICE}.${ingressNs}.svc.cluster.local`,
            port: { number: ACME_SOLVER_PORT },
          },
        },
      ],
    },
    {
      name: 'https-redirect',
      match: [{ port: 80 }],
      redirect: {
        scheme: 'https',
        derivePort: VirtualServiceSpecHttpRedirectDerivePort.FROM_UNDERSCORE_PROTOCOL_UNDERSCORE_DEFAULT,
        redirectCode: 301,
      },
    },
  ];
}
