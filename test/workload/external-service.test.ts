import {
  ClusterDns, EgressEngine, ExternalService, ExternalServiceProps, Image, NetworkPeer, ProductionApp, Protocol,
} from '../../lib';
import { ofKind, one, synth, testChart } from '../util';

function app(chart: ReturnType<typeof testChart>, props: { egressEngine?: EgressEngine } = { egressEngine: EgressEngine.cilium() }): ProductionApp {
  return new ProductionApp(chart, 'Api', { image: Image.pinned('acme/api', '1.0.0'), dns: ClusterDns.kubeDns(), ...props });
}

describe('ExternalService', () => {
  test('minimal props: one host on HTTPS, reached by name from the app that connects to it', () => {
    // GIVEN
    const chart = testChart();
    const anthropic = new ExternalService(chart, 'Anthropic', { hosts: ['api.anthropic.com'] });

    // WHEN
    app(chart).connectTo(anthropic);

    // THEN
    expect(anthropic.ports).toEqual([{ port: 443, protocol: Protocol.TCP }]);
    expect(ofKind(synth(chart), 'CiliumNetworkPolicy')).toMatchSnapshot();
  });

  test('all props: several hosts, wildcards and ports', () => {
    const chart = testChart();
    const props: Required<ExternalServiceProps> = {
      hosts: ['registry.npmjs.org', '*.pypi.org'],
      ports: [{ port: 443, protocol: Protocol.TCP }, { port: 80 }],
    };
    const registries = new ExternalService(chart, 'Registries', props);

    app(chart).connectTo(registries);

    expect(registries.endpoints).toEqual(['registry.npmjs.org:443/TCP', 'registry.npmjs.org:80/TCP', '*.pypi.org:443/TCP', '*.pypi.org:80/TCP']);
    expect(ofKind(synth(chart), 'CiliumNetworkPolicy')).toMatchSnapshot();
  });

  test('opens the app\'s egress to its hosts and ports only: no ingress, no address block', () => {
    const chart = testChart();
    const api = app(chart);

    api.connectTo(new ExternalService(chart, 'Anthropic', { hosts: ['api.anthropic.com'] }));

    const manifests = synth(chart);
    const policy = one(manifests, 'NetworkPolicy', 'api');
    expect(policy.spec.ingress).toBeUndefined();
    expect(JSON.stringify(policy.spec.egress)).not.toContain('ipBlock');
    expect(one(manifests, 'CiliumNetworkPolicy', 'api').spec.egress[1]).toEqual({
      toFQDNs: [{ matchName: 'api.anthropic.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }],
    });
  });

  test('its peer is the same as NetworkPeer.domain with its hosts, so both render one rule', () => {
    const chart = testChart();
    const api = app(chart);
    const service = new ExternalService(chart, 'Anthropic', { hosts: ['api.anthropic.com'] });

    api.connectTo(service);
    api.allowTo(NetworkPeer.domain('api.anthropic.com'), [{ port: 443 }]);

    expect(service.peer.key).toBe(NetworkPeer.domain('api.anthropic.com').key);
    expect(one(synth(chart), 'CiliumNetworkPolicy', 'api').spec.egress).toHaveLength(2);
  });

  test('fails at connectTo when the app has no egress engine', () => {
    const chart = testChart();
    const api = app(chart, {});

    expect(() => api.connectTo(new ExternalService(chart, 'Anthropic', { hosts: ['api.anthropic.com'] })))
      .toThrow(/\[test\/Api\/NetworkPolicy\] 'egressEngine' \(unset\) is required to reach api.anthropic.com by name/);
  });

  describe('validation', () => {
    test.each<[string, ExternalServiceProps, RegExp]>([
      ['no host is named', { hosts: [] }, /\[test\/Service\] 'hosts' \(\[\]\) must name at least one host/],
      ['a host is a URL', { hosts: ['https://api.anthropic.com'] }, /'hosts' \('https:\/\/api.anthropic.com'\) must be a host name without a scheme/],
      ['a host carries a port', { hosts: ['api.anthropic.com:443'] }, /'hosts' \('api.anthropic.com:443'\) must be a host name without a port/],
      ['a host carries a path', { hosts: ['api.openai.com/v1'] }, /'hosts' \('api.openai.com\/v1'\) must be a host name without a path/],
      ['a host ends with a dot', { hosts: ['api.anthropic.com.'] }, /'hosts' \('api.anthropic.com.'\) must not end with a dot/],
      ['a host is not lowercase', { hosts: ['Api.Anthropic.com'] }, /'hosts' \('Api.Anthropic.com'\) must be lowercase/],
      ['a wildcard spans labels', { hosts: ['**.amazonaws.com'] }, /'hosts' \('\*\*.amazonaws.com'\) must not use '\*\*'/],
      ['no port is named', { hosts: ['api.anthropic.com'], ports: [] }, /'ports' \(\[\]\) must name at least one port/],
      ['a port is out of range', { hosts: ['api.anthropic.com'], ports: [{ port: 0 }] }, /'ports' \(0\) must be an integer port between 1 and 65535/],
      ['more than 40 ports are named', { hosts: ['api.anthropic.com'], ports: Array.from({ length: 41 }, (_, i) => ({ port: 1000 + i })) },
        /'ports' \(41\) must name at most 40 ports/],
      // A caller without a type checker:
      ['the props are missing', undefined as any, /^\[test\/Service\] 'props' \(unset\) must be an object of ExternalServiceProps$/],
      ['the hosts are one host', { hosts: 'api.anthropic.com' as any }, /^\[test\/Service\] 'hosts' \('api.anthropic.com'\) must be an array \(each item a string\)$/],
      ['a host is a number', { hosts: [5 as any] }, /^\[test\/Service\] 'hosts\[0\]' \(5\) must be a string$/],
      ['a port is a number alone', { hosts: ['api.anthropic.com'], ports: [443 as any] },
        /^\[test\/Service\] 'ports\[0\]' \(443\) must be a NetworkPort \(port, and optionally protocol\)$/],
      ['a protocol is none', { hosts: ['api.anthropic.com'], ports: [{ port: 443, protocol: 'HTTPS' as Protocol }] },
        /^\[test\/Service\] 'ports\[0\].protocol' \('HTTPS'\) must be a Protocol: 'TCP', 'UDP', or left unset$/],
    ])('fails when %s', (_what, props, message) => {
      expect(() => new ExternalService(testChart(), 'Service', props)).toThrow(message);
    });

    test('fails when a connection is granted to something that is no workload', () => {
      const service = new ExternalService(testChart(), 'Service', { hosts: ['api.anthropic.com'] });
      expect(() => service.grantConnection('api' as any)).toThrow(/^\[test\/Service\] 'grantConnection' \('api'\) must be a workload \(IWorkload/);
    });
  });

  describe('hosts by name given to a workload', () => {
    test('fails at the workload, naming allowTo, when a name is invalid', () => {
      const chart = testChart();
      expect(() => app(chart).allowTo(NetworkPeer.domain('API.anthropic.com'), [{ port: 443 }]))
        .toThrow(/^\[test\/Api\] 'allowTo' \('API.anthropic.com'\) must be lowercase$/);
    });

    test('fails at the workload, naming allowFrom, when a host by name is given as a source', () => {
      const chart = testChart();
      expect(() => app(chart).allowFrom(NetworkPeer.domain('api.anthropic.com'), [{ port: 8080 }]))
        .toThrow(/^\[test\/Api\] 'allowFrom' \('the hosts api.anthropic.com'\) must be pods, namespaces or addresses: a host by name \(NetworkPeer.domain\) is a destination of egress only, with allowTo$/);
    });

    test('fails when a name of a peer is no string', () => {
      const chart = testChart();
      expect(() => app(chart).allowTo(NetworkPeer.domain(5 as any), [{ port: 443 }])).toThrow(/^\[test\/Api\] 'allowTo\[0\]' \(5\) must be a string$/);
    });
  });
});
