import { parseServerBootstrap } from '../../../infra/hcloud/cluster-ca';
import { caHash, secureToken } from '../../../infra/hcloud/join-token';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const pem = (what: string) => `-----BEGIN CERTIFICATE-----\n${what}\n-----END CERTIFICATE-----\n`;

/** The shape k3s serves at /v1-k3s/server-bootstrap (pkg/bootstrap ReadFromDisk): one entry per file. */
const bootstrap = {
  ServerCA: { Timestamp: '2026-01-01T00:00:00Z', Content: b64(pem('server')) },
  ServerCAKey: {
    Timestamp: '2026-01-01T00:00:00Z',
    Content: b64('-----BEGIN EC PRIVATE KEY-----\ns\n-----END EC PRIVATE KEY-----\n'),
  },
  ClientCA: { Timestamp: '2026-01-01T00:00:00Z', Content: b64(pem('client')) },
  ClientCAKey: {
    Timestamp: '2026-01-01T00:00:00Z',
    Content: b64('-----BEGIN EC PRIVATE KEY-----\nc\n-----END EC PRIVATE KEY-----\n'),
  },
  ETCDServerCAKey: {
    Timestamp: '2026-01-01T00:00:00Z',
    Content: b64('-----BEGIN EC PRIVATE KEY-----\ne\n-----END EC PRIVATE KEY-----\n'),
  },
  ServiceKey: {
    Timestamp: '2026-01-01T00:00:00Z',
    Content: b64('-----BEGIN RSA PRIVATE KEY-----\nsa\n-----END RSA PRIVATE KEY-----\n'),
  },
};

describe('parseServerBootstrap', () => {
  it('keeps the server CA, the client CA and its key, and nothing else', () => {
    expect(parseServerBootstrap(JSON.stringify(bootstrap))).toEqual({
      serverCaCertPem: pem('server'),
      clientCaCertPem: pem('client'),
      clientCaKeyPem: '-----BEGIN EC PRIVATE KEY-----\nc\n-----END EC PRIVATE KEY-----\n',
    });
  });

  it('refuses an answer that is not JSON, lacks a field or holds no PEM', () => {
    expect(() => parseServerBootstrap('<html>')).toThrow('k3s server-bootstrap answer is not JSON');
    const { ClientCAKey: _omit, ...noKey } = bootstrap;
    expect(() => parseServerBootstrap(JSON.stringify(noKey))).toThrow(
      'k3s server-bootstrap answer has no ClientCAKey.Content',
    );
    expect(() => parseServerBootstrap(JSON.stringify({ ...bootstrap, ServerCA: { Content: b64('garbage') } }))).toThrow(
      'k3s server-bootstrap ServerCA is not PEM',
    );
  });
});

describe('secure tokens', () => {
  it('pin the sha256 of the CA bundle as served, for the server and the node (agent) user', () => {
    const hash = caHash(pem('server'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(secureToken(pem('server'), 'pw', 'server')).toBe(`K10${hash}::server:pw`);
    expect(secureToken(pem('server'), 'pw', 'node')).toBe(`K10${hash}::node:pw`);
  });
});
