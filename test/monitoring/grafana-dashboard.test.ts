import { DashboardPanel, GrafanaDashboard, GrafanaDashboardProps, PanelUnit } from '../../lib';
import { parsePromql } from '../promql';
import { one, synth, testChart } from '../util';

const PANEL: DashboardPanel = {
  title: 'Requests',
  description: 'Requests per second.',
  unit: PanelUnit.REQUESTS_PER_SECOND,
  queries: [{ expr: 'sum(rate(http_requests_total{namespace="shop"}[$__rate_interval]))', legend: 'requests' }],
};

function modelOf(props: Partial<GrafanaDashboardProps> = {}, namespace = 'shop'): any {
  const chart = testChart(namespace);
  new GrafanaDashboard(chart, 'Dashboard', { name: 'api-dashboard', title: 'API', panels: [PANEL], ...props });
  const configMap = one(synth(chart), 'ConfigMap');
  return JSON.parse(configMap.data[`${configMap.metadata.name}.json`]);
}

describe('GrafanaDashboard', () => {
  test('is a ConfigMap in the namespace with the label the Grafana sidecar watches', () => {
    // GIVEN
    const chart = testChart('shop');

    // WHEN
    new GrafanaDashboard(chart, 'Dashboard', { name: 'api-dashboard', title: 'API', panels: [PANEL], labels: { team: 'payments' } });

    // THEN
    const configMap = one(synth(chart), 'ConfigMap');
    expect(configMap.metadata).toEqual({
      name: 'api-dashboard',
      namespace: 'shop',
      labels: { grafana_dashboard: '1', team: 'payments' },
    });
    expect(Object.keys(configMap.data)).toEqual(['api-dashboard.json']);
  });

  test('holds a dashboard JSON model with a schema version, a Prometheus data source variable and panels that use it', () => {
    // WHEN
    const model = modelOf();

    // THEN
    expect(model).toMatchObject({ uid: 'shop-api-dashboard', title: 'API', schemaVersion: 39, editable: false });
    expect(model.templating.list).toEqual([expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' })]);
    expect(model.panels).toHaveLength(1);
    expect(model.panels[0]).toMatchObject({
      id: 1,
      type: 'timeseries',
      gridPos: { x: 0, y: 0, w: 12, h: 8 },
      datasource: { type: 'prometheus', uid: '${datasource}' },
      fieldConfig: { defaults: { unit: 'reqps' } },
      targets: [{ refId: 'A', expr: PANEL.queries[0].expr, legendFormat: 'requests', datasource: { uid: '${datasource}' } }],
    });
    expect(parsePromql(model.panels[0].targets[0].expr).errors).toEqual([]);
  });

  test('lays panels out two per row without overlap, with unique ids and query ids', () => {
    // WHEN
    const twoQueries = { ...PANEL, queries: [PANEL.queries[0], { expr: 'vector(1)', legend: 'one' }] };
    const model = modelOf({ panels: [PANEL, PANEL, twoQueries] });

    // THEN
    expect(model.panels.map((p: any) => [p.id, p.gridPos.x, p.gridPos.y])).toEqual([[1, 0, 0], [2, 12, 0], [3, 0, 8]]);
    expect(model.panels[2].targets.map((t: any) => t.refId)).toEqual(['A', 'B']);
  });

  test('keeps the uid within Grafana\'s 40 characters, stable and distinct for long names', () => {
    // WHEN
    const long = modelOf({ name: 'a-very-long-application-name-dashboard' }, 'a-long-namespace-name');
    const other = modelOf({ name: 'a-very-long-application-name-dashboard' }, 'a-long-namespace-name-2');

    // THEN
    expect(long.uid).toHaveLength(40);
    expect(long.uid).toMatch(/^a-long-namespace-name-a-very-lo-[0-9a-f]{8}$/);
    expect(other.uid).not.toEqual(long.uid);
    expect(modelOf({ name: 'a-very-long-application-name-dashboard' }, 'a-long-namespace-name').uid).toEqual(long.uid);
  });

  test('matches the snapshot with minimal props', () => {
    const chart = testChart('shop');
    new GrafanaDashboard(chart, 'Dashboard', { name: 'api-dashboard', title: 'API', panels: [PANEL] });
    expect(synth(chart)).toMatchSnapshot();
  });

  test('matches the snapshot with all props', () => {
    const chart = testChart('shop');
    const props: Required<GrafanaDashboardProps> = {
      name: 'api-dashboard',
      namespace: 'shop-prod',
      title: 'Shop API',
      panels: [PANEL, { ...PANEL, title: 'Memory', unit: PanelUnit.BYTES, queries: [{ expr: 'container_memory_working_set_bytes', legend: '{{pod}}' }] }],
      tags: ['shop', 'api'],
      labels: { 'app.kubernetes.io/name': 'api' },
    };
    new GrafanaDashboard(chart, 'Dashboard', props);
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each<[string, Partial<GrafanaDashboardProps>, RegExp]>([
      ['the name is not a DNS subdomain', { name: 'API_Dashboard' }, /\[test\/Dashboard\] 'name' \('API_Dashboard'\) must be a DNS-1123 subdomain/],
      ['the namespace is not a DNS label', { namespace: 'Shop' }, /'namespace' \('Shop'\) must be a DNS-1123 label/],
      ['the title is empty', { title: ' ' }, /'title' \(' '\) must not be empty/],
      ['there are no panels', { panels: [] }, /'panels' \(0\) must hold at least one panel/],
      ['a panel has no query', { panels: [{ ...PANEL, queries: [] }] }, /'panels.Requests.queries' \(0\) must hold between 1 and 26 queries/],
      ['a panel has more queries than letters', { panels: [{ ...PANEL, queries: Array(27).fill(PANEL.queries[0]) }] },
        /'panels.Requests.queries' \(27\) must hold between 1 and 26 queries/],
      ['a label is invalid', { labels: { team: 'pay ments' } }, /'labels.team' \('pay ments'\) is not a valid label value/],
    ])('%s', (_, props, message) => {
      expect(() => modelOf(props)).toThrow(message);
    });

    test('no namespace is set on the dashboard or its chart', () => {
      expect(() => modelOf({}, '')).toThrow(/'namespace' \(unset\) must be set on the GrafanaDashboard or its Chart/);
    });
  });
});
