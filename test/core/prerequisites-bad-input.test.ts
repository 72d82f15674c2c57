import { Testing } from 'cdk8s';
import { Operator, Prerequisite } from '../../lib';

describe('prerequisites with bad input', () => {
  test.each([
    ['a version range runs backwards', Prerequisite.kubernetesVersions('1.36', '1.34', 'operators'),
      /'prerequisites\[0\].max' \('1.34'\) must be a Kubernetes minor version such as '1.36', not before the oldest \('1.36'\)/],
    ['a version is no minor version', Prerequisite.kubernetesVersions('v1.34', '1.36', 'operators'), /'prerequisites\[0\].min' \('v1.34'\) must be a Kubernetes minor version such as '1.34'/],
    ['the reason is empty', Prerequisite.clusterObject('StorageClass', 'gp3', ' '), /'prerequisites\[0\].reason' \(' '\) must say why the manifests need it/],
    ['a name is a number', Prerequisite.clusterObject('StorageClass', 5 as any, 'volumes'), /'prerequisites\[0\].name' \(5\) must be text/],
    ['an operator of your own names a CRD without its group', Prerequisite.operator(Operator.of({ name: 'Redis Operator', version: '0.26', crds: ['redis'] }), 'runs the cache'),
      /'prerequisites\[0\].crds' \('redis'\) must be the name of a CustomResourceDefinition: <plural>.<group>/],
    ['an operator of your own has no version', Prerequisite.operator(Operator.of({ name: 'Redis Operator' } as any), 'runs the cache'),
      /'prerequisites\[0\].version' \(unset\) must be text/],
    ['an operator\'s docs are no link', Prerequisite.operator(Operator.of({ name: 'Redis Operator', version: '0.26', docs: 'see the wiki' }), 'runs the cache'),
      /'prerequisites\[0\].docs' \('see the wiki'\) must be an http or https link/],
    ['a prerequisite is a string', 'cert-manager' as any, /'prerequisites\[0\]' \('cert-manager'\) must be a Prerequisite/],
  ])('fails when %s', (_, prerequisite, message) => {
    expect(() => Prerequisite.declare(Testing.chart(), prerequisite)).toThrow(message);
  });

  test('fails when the scope is no construct', () => {
    expect(() => Prerequisite.declare('chart' as any)).toThrow(/^Prerequisite.declare: 'scope' \('chart'\) must be a construct/);
  });
});
