import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { shortHash } from '../core/hashing';
import { Kind, checkProps } from '../core/kinds';
import { boundedName, resolveNamespace } from '../core/names';
import { Prerequisite } from '../core/prerequisites';
import { promqlProblem } from '../core/promql';
import { checkConfigMapSize, checkDnsSubdomain, checkLabels } from '../core/validate';

/** The label the Grafana dashboard sidecar watches for ConfigMaps to load. */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';
/** Name of the dashboard's data source template variable. */
const DATASOURCE_VARIABLE = 'datasource';
/** Dashboard JSON model version; Grafana migrates older models on load, never newer ones. */
const SCHEMA_VERSION = 39;
const PANEL_WIDTH = 12;
const PANEL_HEIGHT = 8;
const GRID_COLUMNS = 24;
const MAX_UID_LENGTH = 40;
const MAX_KEY_LENGTH = 253;
const JSON_SUFFIX = '.json';
/** Queries of a panel are named A to Z. */
const MAX_QUERIES = 26;

/**
 * Unit of a panel's values, as Grafana formats them.
 * @see https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/#unit
 */
export enum PanelUnit {
  /** Requests per second. */
  REQUESTS_PER_SECOND = 'reqps',
  /** A ratio between 0 and 1, shown as a percentage. */
  RATIO = 'percentunit',
  /** Seconds. */
  SECONDS = 's',
  /** Bytes, shown in binary multiples. */
  BYTES = 'bytes',
  /** CPU cores (Grafana has no core unit: plain numbers with SI suffixes). */
  CORES = 'short',
  /** A plain count. */
  COUNT = 'none',
}

/** One line of a panel: a PromQL query and its legend. */
export interface PanelQuery {
  /** PromQL expression; may use Grafana's `$__rate_interval`. */
  readonly expr: string;
  /** Legend of each series; may use `{{label}}`. */
  readonly legend: string;
}

/** A time-series panel. */
export interface DashboardPanel {
  /** Title of the panel. */
  readonly title: string;
  /** What the panel shows and how to read it (the panel's info tooltip). */
  readonly description: string;
  /** Unit of the values. */
  readonly unit: PanelUnit;
  /** The queries drawn in the panel. */
  readonly queries: PanelQuery[];
}

/** Props of a {@link GrafanaDashboard}. */
export interface GrafanaDashboardProps {
  /** Name of the ConfigMap; also the file name (`<name>.json`) the sidecar writes. */
  readonly name: string;
  /** Namespace of the ConfigMap. @default - the namespace of the chart */
  readonly namespace?: string;
  /** Title of the dashboard. */
  readonly title: string;
  /** Panels, laid out two per row in the given order. */
  readonly panels: DashboardPanel[];
  /** Tags of the dashboard, for Grafana's search. @default - none */
  readonly tags?: string[];
  /** Additional labels of the ConfigMap, e.g. the app's recommended labels. @default - only the sidecar label */
  readonly labels?: Record<string, string>;
}

/**
 * A Grafana dashboard as a ConfigMap labelled `grafana_dashboard: "1"`, which the Grafana
 * dashboard sidecar (Grafana Helm chart, kube-prometheus-stack) loads. The dashboard reads
 * Prometheus through a data source template variable, so it works with any Prometheus data source.
 *
 * The ConfigMap lives in the namespace of what it shows, so that it comes and goes with it and
 * whoever deploys the namespace needs no rights in Grafana's; set the sidecar to search every
 * namespace (`sidecar.dashboards.searchNamespace: ALL` in the Grafana Helm chart).
 *
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 * @see https://github.com/grafana/helm-charts/tree/main/charts/grafana#sidecar-for-dashboards
 */
export class GrafanaDashboard extends Construct {
  /** Name of the ConfigMap. */
  public readonly name: string;
  /** Namespace of the ConfigMap. */
  public readonly namespace: string;
  /** The dashboard's uid in Grafana: stable, derived from namespace and name. */
  public readonly uid: string;
  /** The ConfigMap. */
  public readonly configMap: k8s.KubeConfigMap;

  public constructor(scope: Construct, id: string, props: GrafanaDashboardProps) {
    super(scope, id);
    checkProps(this, props, {
      name: Kind.STRING,
      namespace: Kind.STRING.optional(),
      title: Kind.STRING,
      panels: Kind.array(Kind.object('a DashboardPanel (title, description, unit, queries)', {
        title: Kind.STRING,
        description: Kind.STRING,
        unit: Kind.oneOf(PanelUnit, 'a PanelUnit'),
        queries: Kind.array(Kind.object('a PanelQuery (expr, legend)', { expr: Kind.STRING, legend: Kind.STRING })),
      })),
      tags: Kind.array(Kind.STRING).optional(),
      labels: Kind.record(Kind.STRING).optional(),
    }, 'GrafanaDashboardProps');

    this.name = props.name;
    this.namespace = resolveNamespace(this, 'GrafanaDashboard', props.namespace);
    const labels = { ...props.labels, [GRAFANA_DASHBOARD_LABEL]: '1' };

    checkDnsSubdomain(this, 'name', this.name);
    check(props.title.trim() !== '', this, 'title', props.title, 'must not be empty');
    check(props.panels.length > 0, this, 'panels', props.panels.length, 'must hold at least one panel');
    for (const panel of props.panels) {
      check(panel.queries.length >= 1 && panel.queries.length <= MAX_QUERIES, this, `panels.${panel.title}.queries`, panel.queries.length,
        `must hold between 1 and ${MAX_QUERIES} queries`);
      panel.queries.forEach((query, i) => {
        const problem = promqlProblem(query.expr, { grafana: true });
        check(problem === undefined, this, `panels.${panel.title}.queries[${i}].expr`, query.expr, problem ?? '');
      });
    }
    checkLabels(this, 'labels', labels);

    this.uid = dashboardUid(this.namespace, this.name);
    const model = {
      uid: this.uid,
      title: props.title,
      tags: props.tags ?? [],
      editable: false,
      graphTooltip: 1,
      timezone: 'browser',
      schemaVersion: SCHEMA_VERSION,
      version: 1,
      refresh: '1m',
      time: { from: 'now-6h', to: 'now' },
      annotations: { list: [] },
      templating: {
        list: [{
          name: DATASOURCE_VARIABLE,
          label: 'Data source',
          type: 'datasource',
          query: 'prometheus',
          current: {},
          hide: 0,
          includeAll: false,
          multi: false,
          refresh: 1,
          regex: '',
        }],
      },
      panels: props.panels.map(renderPanel),
    };

    Prerequisite.declare(this, Prerequisite.controllerSetting('Grafana dashboard sidecar',
      `loads ConfigMaps labelled ${GRAFANA_DASHBOARD_LABEL}=1 from every namespace (kube-prometheus-stack's defaults: grafana.sidecar.dashboards.enabled true, `
      + `label ${GRAFANA_DASHBOARD_LABEL}, labelValue "1", searchNamespace ALL)`,
      'the dashboards are ConfigMaps in the namespace of what they show'));
    // The key is the file the sidecar writes: a ConfigMap key holds 253 characters.
    const data = { [`${boundedName(this.name, MAX_KEY_LENGTH - JSON_SUFFIX.length)}${JSON_SUFFIX}`]: `${JSON.stringify(model, undefined, 2)}\n` };
    checkConfigMapSize(this, 'panels', data);
    this.configMap = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, labels },
      data,
    });
  }
}

function renderPanel(panel: DashboardPanel, index: number): Record<string, unknown> {
  const datasource = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };
  const perRow = GRID_COLUMNS / PANEL_WIDTH;
  return {
    id: index + 1,
    type: 'timeseries',
    title: panel.title,
    description: panel.description,
    gridPos: { x: (index % perRow) * PANEL_WIDTH, y: Math.floor(index / perRow) * PANEL_HEIGHT, w: PANEL_WIDTH, h: PANEL_HEIGHT },
    datasource,
    fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'none' },
    },
    targets: panel.queries.map((query, i) => ({
      refId: String.fromCharCode('A'.charCodeAt(0) + i),
      datasource,
      expr: query.expr,
      legendFormat: query.legend,
    })),
  };
}

/** A readable uid when `<namespace>-<name>` fits Grafana's 40 characters, else its prefix and a hash. */
function dashboardUid(namespace: string, name: string): string {
  const readable = `${namespace}-${name}`;
  if (readable.length <= MAX_UID_LENGTH) {
    return readable;
  }
  const hash = shortHash(readable, 8);
  return `${readable.slice(0, MAX_UID_LENGTH - hash.length - 1)}-${hash}`;
}
