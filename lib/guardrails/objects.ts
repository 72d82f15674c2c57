import { DeclaredPrerequisite, PrerequisiteKind } from '../core/prerequisites';
import { ObjectIdentity, declarationKey, groupOf, identityKey, identityOf } from './identity';
import { derivedObjects } from './producers';
import { Tier } from './tier';

/** A Kubernetes object as JSON, the way it is written to the manifest. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: any };
  readonly [key: string]: any;
}

/** The pod a workload runs: its template's metadata and spec, and where the spec sits in the object. */
export interface PodTemplate {
  /** Labels of the pods. */
  readonly labels: Readonly<Record<string, string>>;
  /** Annotations of the pods. */
  readonly annotations: Readonly<Record<string, string>>;
  /** The pod spec. */
  readonly spec: any;
  /** Field path of the pod spec in the object, e.g. `spec.template.spec`. */
  readonly specPath: string;
}

/** A container of a pod, with the list it belongs to. */
export interface PodContainer {
  /** The container spec. */
  readonly spec: any;
  /** `containers`, `initContainers` or `ephemeralContainers`. */
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
}

/** One API object of the app as the rules see it. */
export class GuardrailObject {
  /** Kind. */
  public readonly kind: string;
  /** Name. */
  public readonly name: string;
  /** Namespace, when the object has one. */
  public readonly namespace?: string;
  /** The pod this object runs, when it is a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
  public readonly pod?: PodTemplate;
  /** Every container of the pod (regular, init and ephemeral); none for an object without a pod. */
  public readonly containers: readonly PodContainer[];

  public constructor(
    /** Construct path of the object (or, for YAML input, where it came from). */
    public readonly path: string,
    /** The object as JSON. */
    public readonly manifest: Manifest,
    /** Tier of the part of the tree the object belongs to. */
    public readonly tier: Tier,
  ) {
    this.kind = manifest.kind;
    this.name = manifest.metadata?.name ?? '';
    this.namespace = manifest.metadata?.namespace;
    this.pod = podTemplateOf(manifest);
    const lists = ['containers', 'initContainers', 'ephemeralContainers'] as const;
    this.containers = lists.flatMap((list) => ((this.pod?.spec[list] ?? []) as any[]).map((container) => ({ spec: container, list })));
  }

  /** `Kind namespace/name`, or `Kind name` for an object without namespace. */
  public get title(): string {
    return `${this.kind} ${this.namespace !== undefined ? `${this.namespace}/` : ''}${this.name}`;
  }

  /** Annotations of the object. */
  public get annotations(): Readonly<Record<string, string>> {
    return this.manifest.metadata?.annotations ?? {};
  }

  /** The object's identity: API group, kind, namespace (none when the kind is cluster-scoped) and name. */
  public get identity(): ObjectIdentity {
    return identityOf(groupOf(this.manifest.apiVersion), this.kind, this.namespace, this.name);
  }
}

/** An object the app makes exist: an object it writes, or one an operator creates from an object it writes. */
export interface Production {
  /** The object made. */
  readonly identity: ObjectIdentity;
  /** The object of the app that is it, or that an operator creates it from. */
  readonly source: GuardrailObject;
  /** Who creates it from `source` and why; none when `source` is the object itself. */
  readonly through?: string;
  /** Whether the operator merges into the object, which others may write too, instead of owning it. */
  readonly merges: boolean;
}

const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const WORKLOAD_GROUPS = new Set(['', 'apps', 'batch', 'extensions']);

/** Kinds that run pods. */
export const WORKLOAD_KINDS: readonly string[] = Object.keys(POD_SPEC_PATHS);

function podTemplateOf(manifest: Manifest): PodTemplate | undefined {
  const path = POD_SPEC_PATHS[manifest.kind];
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
  // A custom resource may reuse a workload's kind name; only the core groups carry pod templates.
  if (path === undefined || !WORKLOAD_GROUPS.has(group)) {
    return undefined;
  }
  let template: any = manifest;
  for (const key of path) {
    template = template?.[key];
  }
  if (template?.spec === undefined) {
    return undefined;
  }
  return {
    labels: template.metadata?.labels ?? {},
    annotations: template.metadata?.annotations ?? {},
    spec: template.spec,
    specPath: [...path, 'spec'].join('.'),
  };
}

/** A Kubernetes label selector (`matchLabels` and `matchExpressions`). */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: ReadonlyArray<{ readonly key: string; readonly operator: string; readonly values?: readonly string[] }>;
}

/** Whether `selector` selects `labels`; an empty selector selects everything, an absent one nothing. */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined || selector === null) {
    return false;
  }
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) {
      return false;
    }
  }
  return (selector.matchExpressions ?? []).every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    switch (e.operator) {
      case 'In': return has && (e.values ?? []).includes(labels[e.key]);
      case 'NotIn': return !has || !(e.values ?? []).includes(labels[e.key]);
      case 'Exists': return has;
      case 'DoesNotExist': return !has;
      default: return false;
    }
  });
}

/** Whether `selector` is present and selects every pod (`{}`). */
export function selectsAll(selector: LabelSelector | undefined): boolean {
  return selector !== undefined && selector !== null
    && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/**
 * Objects that select pods by label, indexed so that "which of them select these pods" costs the
 * number of the pods' labels, not the number of objects: each selector is filed under one of its
 * `matchLabels` pairs (selectors without one are checked every time).
 */
class SelectorIndex {
  private readonly byPair = new Map<string, GuardrailObject[]>();
  private readonly unkeyed: GuardrailObject[] = [];

  public constructor(private readonly selectorOf: (o: GuardrailObject) => LabelSelector | undefined) {}

  public add(object: GuardrailObject): void {
    const pair = Object.entries(this.selectorOf(object)?.matchLabels ?? {})[0];
    if (pair === undefined) {
      this.unkeyed.push(object);
    } else {
      push(this.byPair, `${pair[0]}=${pair[1]}`, object);
    }
  }

  public selecting(labels: Readonly<Record<string, string>>): GuardrailObject[] {
    const candidates = [...this.unkeyed];
    for (const [key, value] of Object.entries(labels)) {
      candidates.push(...this.byPair.get(`${key}=${value}`) ?? []);
    }
    return candidates.filter((o) => selects(this.selectorOf(o), labels));
  }
}

/**
 * Every object of the app, indexed for the questions rules ask about the others: objects of a kind
 * in a namespace, the NetworkPolicies or PodDisruptionBudgets that select a pod, the workloads a
 * selector picks, the autoscaler of a workload. Built once per evaluation, in linear time.
 */
export class ObjectIndex {
  private readonly byKind = new Map<string, GuardrailObject[]>();
  private readonly policies = new Map<string, SelectorIndex>();
  private readonly budgets = new Map<string, SelectorIndex>();
  private readonly workloadsByPair = new Map<string, GuardrailObject[]>();
  private readonly autoscalers = new Map<string, GuardrailObject>();
  private readonly byNamespace = new Map<string, GuardrailObject[]>();
  private readonly declared = new Set<string>();
  private productionIndex?: { readonly byObject: Map<GuardrailObject, Production[]>; readonly byIdentity: Map<string, Production[]> };

  /** Whether the app's prerequisites are known: false for manifests read from files, which declare none. */
  public readonly knowsPrerequisites: boolean;

  public constructor(
    /** Every object, in construct-tree order. */
    public readonly objects: readonly GuardrailObject[],
    /**
     * The prerequisites the app declares (`Prerequisite.declaredIn(root)`).
     * @default - unknown: the objects were read from manifests, without the constructs that declare them
     */
    prerequisites?: readonly DeclaredPrerequisite[],
  ) {
    this.knowsPrerequisites = prerequisites !== undefined;
    for (const { prerequisite } of prerequisites ?? []) {
      const { kind, namespace, name } = prerequisite.details as Record<string, string>;
      if (prerequisite.kind === PrerequisiteKind.CLUSTER_OBJECT || prerequisite.kind === PrerequisiteKind.OBJECT) {
        this.declared.add(declarationKey({ kind, namespace, name }));
      }
    }
    for (const object of objects) {
      push(this.byKind, object.kind, object);
      push(this.byKind, `${object.kind}@${object.namespace ?? ''}`, object);
      const ns = object.namespace ?? '';
      push(this.byNamespace, ns, object);
      if (object.kind === 'NetworkPolicy') {
        indexIn(this.policies, ns, (o) => o.manifest.spec?.podSelector ?? {}).add(object);
      } else if (object.kind === 'PodDisruptionBudget') {
        indexIn(this.budgets, ns, (o) => o.manifest.spec?.selector).add(object);
      } else if (object.kind === 'HorizontalPodAutoscaler') {
        const target = object.manifest.spec?.scaleTargetRef ?? {};
        this.autoscalers.set(`${ns}/${target.kind}/${target.name}`, object);
      }
      if (object.pod !== undefined) {
        for (const [key, value] of Object.entries(object.pod.labels)) {
          push(this.workloadsByPair, `${ns}/${key}=${value}`, object);
        }
      }
    }
  }

  /** Objects of `kind`, in `namespace` when given. */
  public ofKind(kind: string, namespace?: string): readonly GuardrailObject[] {
    return this.byKind.get(namespace === undefined ? kind : `${kind}@${namespace}`) ?? [];
  }

  /** The NetworkPolicies of `namespace` that select pods with `labels`. */
  public networkPoliciesFor(namespace: string | undefined, labels: Readonly<Record<string, string>>): GuardrailObject[] {
    return this.policies.get(namespace ?? '')?.selecting(labels) ?? [];
  }

  /** The PodDisruptionBudgets of `namespace` that select pods with `labels`. */
  public disruptionBudgetsFor(namespace: string | undefined, labels: Readonly<Record<string, string>>): GuardrailObject[] {
    return this.budgets.get(namespace ?? '')?.selecting(labels) ?? [];
  }

  /** The workloads of `namespace` whose pods `selector` selects. */
  public workloadsSelectedBy(namespace: string | undefined, selector: LabelSelector | undefined): GuardrailObject[] {
    const pair = Object.entries(selector?.matchLabels ?? {})[0];
    const candidates = pair !== undefined
      ? this.workloadsByPair.get(`${namespace ?? ''}/${pair[0]}=${pair[1]}`) ?? []
      : this.objects.filter((o) => o.pod !== undefined && o.namespace === namespace);
    return candidates.filter((o) => o.pod !== undefined && selects(selector, o.pod.labels));
  }

  /** The HorizontalPodAutoscaler that scales `workload`, if any. */
  public autoscalerOf(workload: GuardrailObject): GuardrailObject | undefined {
    return this.autoscalers.get(`${workload.namespace ?? ''}/${workload.kind}/${workload.name}`);
  }

  /** The objects of `namespace` (objects without one when `undefined`), in construct-tree order. */
  public inNamespace(namespace: string | undefined): readonly GuardrailObject[] {
    return this.byNamespace.get(namespace ?? '') ?? [];
  }

  /** What `object` makes exist: itself, then what operators create from it (see `PRODUCERS`). */
  public productionsOf(object: GuardrailObject): readonly Production[] {
    return this.productions().byObject.get(object) ?? [];
  }

  /** Every production of `identity`, in construct-tree order: the objects of the app that are it or make an operator create it. */
  public producersOf(identity: ObjectIdentity): readonly Production[] {
    return this.productions().byIdentity.get(identityKey(identity)) ?? [];
  }

  /** Whether the app declares `identity` as a prerequisite (a cluster object, or an object of a namespace), by kind, namespace and name. */
  public declares(identity: ObjectIdentity): boolean {
    return this.declared.has(declarationKey(identity));
  }

  /** Indexes every production once, on first use, in linear time. */
  private productions(): NonNullable<ObjectIndex['productionIndex']> {
    if (this.productionIndex === undefined) {
      const byObject = new Map<GuardrailObject, Production[]>();
      const byIdentity = new Map<string, Production[]>();
      for (const source of this.objects) {
        const made: Production[] = [
          { identity: source.identity, source, merges: false },
          ...derivedObjects(source.manifest).map(({ identity, through, merges }) => ({ identity, source, through, merges })),
        ];
        byObject.set(source, made);
        for (const production of made) {
          push(byIdentity, identityKey(production.identity), production);
        }
      }
      this.productionIndex = { byObject, byIdentity };
    }
    return this.productionIndex;
  }
}

function indexIn(map: Map<string, SelectorIndex>, namespace: string, selectorOf: (o: GuardrailObject) => LabelSelector | undefined): SelectorIndex {
  let index = map.get(namespace);
  if (index === undefined) {
    index = new SelectorIndex(selectorOf);
    map.set(namespace, index);
  }
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) {
    map.set(key, [value]);
  } else {
    list.push(value);
  }
}
