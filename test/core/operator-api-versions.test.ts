import { App } from 'cdk8s';
import { Operator, Prerequisite } from '../../lib/core/prerequisites';
import { prerequisitesJson, prerequisitesMarkdown } from '../../lib/core/prerequisites-file';

describe('the API versions of an operator\'s CRDs', () => {
  test('are listed in the prerequisites beside the CRDs, for the reader who upgrades the operator', () => {
    // GIVEN
    const app = new App();
    Prerequisite.declare(app, Prerequisite.operator(Operator.CLOUDNATIVE_PG, 'runs the database'));
    // WHEN
    const declared = Prerequisite.declaredIn(app);
    // THEN
    expect(prerequisitesMarkdown('prod', declared)).toContain('  - crds: `clusters.postgresql.cnpg.io`, `poolers.postgresql.cnpg.io`, '
      + '`scheduledbackups.postgresql.cnpg.io`, `backups.postgresql.cnpg.io`\n  - apiVersions: `postgresql.cnpg.io/v1`\n');
    expect(JSON.parse(prerequisitesJson('prod', declared)).prerequisites[0].details.apiVersions).toEqual(['postgresql.cnpg.io/v1']);
  });

  test('are left out for an operator that does not state them', () => {
    const app = new App();
    Prerequisite.declare(app, Prerequisite.operator(Operator.of({ name: 'Widget operator', version: '1.0', crds: ['widgets.example.com'] }), 'runs widgets'));
    expect(Prerequisite.declaredIn(app)[0].prerequisite.details.apiVersions).toBeUndefined();
  });

  test('every operator the library declares states them', () => {
    for (const operator of [Operator.CLOUDNATIVE_PG, Operator.BARMAN_CLOUD_PLUGIN, Operator.EXTERNAL_SECRETS, Operator.SEALED_SECRETS,
      Operator.CERT_MANAGER, Operator.PROMETHEUS_OPERATOR, Operator.GATEWAY_API]) {
      expect(operator.apiVersions.length).toBeGreaterThan(0);
    }
  });
});
