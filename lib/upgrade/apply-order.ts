import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check, checkArgument } from '../core/errors';
import { Kind, checkProps } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { upgradeStepOf } from '../core/upgrade-steps';
import { APPLY_LAYERS, ApplyLayer, KIND_LAYERS, STEP_PLACEMENTS, waveOf } from './apply-layer';
import { healthCheckKeyOf, healthCheckPrerequisite } from './argo-cd-health';

/**
 * Argo CD's annotations of the sync order: the wave (an integer, lower first), and for a hook its
 * phase and delete policies.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-waves/ (argo-cd v3.5.0, `gitops-engine/pkg/sync/common/types.go`)
 */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
/** The hook phase of an object that Argo CD runs as a hook. */
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
/** When Argo CD deletes a hook object, comma-separated. */
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

const APPLIED = new WeakMap<IConstruct, ApplyOrder>();
/** `Kind` or `Kind.group`, as in {@link KIND_LAYERS}. */
const KIND_KEY = /^[A-Z][A-Za-z0-9]*(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)?$/;

/** Props of {@link ApplyOrder.apply}. */
export interface ApplyOrderProps {
  /**
   * Layers of kinds the library does not know, or other layers for kinds it does, by `Kind.group`
   * (`Widget.example.com`; a core kind by its name alone: `ConfigMap`).
   * @default - the layers of `KIND_LAYERS` only
   */
  readonly kinds?: Readonly<Record<string, ApplyLayer>>;
}

/**
 * The order a stage is applied in: every API object at or below the scope gets the Argo CD sync wave
 * of its layer (namespace, secrets, data, backup, migrations, workloads, routes), decided by its kind,
 * or by the upgrade step its construct recorded (the pre-upgrade backup, the migrations). The
 * pre-upgrade backups become `Sync` hooks. An object of a kind no layer holds fails synthesis: it
 * would otherwise land in wave 0, before what it needs. Objects Argo CD 3.5 cannot judge the health
 * of, and that a later wave must wait for (a `Backup`), declare the `argocd-cm` health check they need
 * (`ARGO_CD_HEALTH_CHECKS`) as a prerequisite.
 *
 * The annotations are written when the tree is validated, which every synthesis does first
 * (`app.synth()`, `synthWithGuardrails`, `Testing.synth`), so they cover objects added after `apply`.
 * Flux and `kubectl` users read the same annotation to apply the layers in order (see the README,
 * "Upgrading").
 */
export class ApplyOrder {
  /** Orders every object at or below `scope` (usually the App, or a stage's Chart). Call once per scope. */
  public static apply(scope: IConstruct, props: ApplyOrderProps = {}): ApplyOrder {
    checkArgument(Kind.CONSTRUCT.accepts(scope), 'ApplyOrder.apply', 'scope', scope, 'must be a construct: the App or the Chart whose objects are ordered');
    checkProps(scope, props, {
      kinds: Kind.record(Kind.oneOf(APPLY_LAYERS, 'an ApplyLayer')).optional(),
    }, 'ApplyOrderProps');
    check(!APPLIED.has(scope), scope, 'applyOrder', scope.node.path, 'is already applied to this construct: apply it once');
    const order = new ApplyOrder(scope, props);
    APPLIED.set(scope, order);
    return order;
  }

  /** The apply order applied to `scope` itself, if any. */
  public static of(scope: IConstruct): ApplyOrder | undefined {
    checkArgument(Kind.CONSTRUCT.accepts(scope), 'ApplyOrder.of', 'scope', scope, 'must be a construct');
    return APPLIED.get(scope);
  }

  /** The sync wave of `layer`. */
  public static waveOf(layer: ApplyLayer): number {
    checkArgument(APPLY_LAYERS.includes(layer), 'ApplyOrder.waveOf', 'layer', layer, `must be an ApplyLayer: ${APPLY_LAYERS.map((l) => `'${l}'`).join(', ')}`);
    return waveOf(layer);
  }

  /** The layer of each kind, by `Kind.group`: the built-in table with the props' kinds over it. */
  public readonly kinds: Readonly<Record<string, ApplyLayer>>;
  private readonly errorsByObject = new Map<ApiObject, string[]>();
  private readonly declared = new WeakSet<ApiObject>();

  private constructor(private readonly scope: IConstruct, props: ApplyOrderProps) {
    for (const key of Object.keys(props.kinds ?? {})) {
      check(KIND_KEY.test(key), scope, `kinds.${key}`, key, 'must be a kind and its API group, \'Kind.group\' (a core kind by its name alone)');
    }
    this.kinds = { ...KIND_LAYERS, ...props.kinds };
    scope.node.addValidation({ validate: () => this.annotate() });
  }

  /** The layer `object` is applied in, or `undefined` when no layer holds its kind. */
  public layerOf(object: ApiObject): ApplyLayer | undefined {
    checkArgument(ApiObject.isApiObject(object), 'ApplyOrder.layerOf', 'object', object, 'must be an ApiObject of cdk8s');
    const step = upgradeStepOf(object);
    return step !== undefined ? STEP_PLACEMENTS[step].layer : this.kinds[kindKey(object)];
  }

  /** Writes the wave (and hook) annotations of every object, and reports the objects it cannot place on their own nodes. */
  private annotate(): string[] {
    for (const object of this.scope.node.findAll().filter(ApiObject.isApiObject)) {
      const errors = this.place(object);
      if (errors.length > 0 && !this.errorsByObject.has(object)) {
        object.node.addValidation({ validate: () => this.errorsByObject.get(object) ?? [] });
      }
      this.errorsByObject.set(object, errors);
    }
    return [];
  }

  private place(object: ApiObject): string[] {
    const layer = this.layerOf(object);
    if (layer === undefined) {
      return [`'kind' (${kindKey(object)}) has no apply layer, and in wave 0 it would be applied before what it needs: `
        + `give its layer in ApplyOrderProps.kinds (one of ${APPLY_LAYERS.join(', ')})`];
    }
    const wave = String(waveOf(layer));
    const own = object.metadata.toJson().annotations?.[SYNC_WAVE_ANNOTATION];
    if (own !== undefined && own !== wave) {
      return [`'${SYNC_WAVE_ANNOTATION}' ('${own}') is set on the object, but its layer (${layer}) decides its wave (${wave}): `
        + 'give its kind another layer in ApplyOrderProps.kinds instead'];
    }
    object.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, wave);
    const step = upgradeStepOf(object);
    const policies = step !== undefined ? STEP_PLACEMENTS[step].hookDeletePolicies : undefined;
    if (policies !== undefined) {
      object.metadata.addAnnotation(HOOK_ANNOTATION, 'Sync');
      object.metadata.addAnnotation(HOOK_DELETE_POLICY_ANNOTATION, policies.join(','));
    }
    const healthCheck = healthCheckKeyOf(object);
    if (healthCheck !== undefined && !this.declared.has(object)) {
      Prerequisite.declare(object, healthCheckPrerequisite(healthCheck));
      this.declared.add(object);
    }
    return [];
  }
}

/** `Kind.group`, or `Kind` for the core group. */
function kindKey(object: ApiObject): string {
  return object.apiGroup === 'core' ? object.kind : `${object.kind}.${object.apiGroup}`;
}
