import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  ExternalSecret, ExternalSecretSpec, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetTemplateMergePolicy, SecretStore as SecretStoreResource,
} from '../../imports/external-secrets.io';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkNoSecretLiteral } from '../core/leaks';
import { durationSeconds } from '../core/quantities';
import { Operator, Prerequisite } from '../core/prerequisites';
import { checkDnsSubdomain, checkNotBlank, checkSecretKey } from '../core/validate';
import { BoundSecretSource, SecretBindingScope } from './bound-secret';
import { SecretStoreKind, SecretStoreRef } from './secret-store';

/** A secret in the store's backend (AWS Secrets Manager, Vault, ...). */
export interface RemoteSecretRef {
  /** Name or path of the secret in the backend, e.g. `aishell/production/jwt-secret`. */
  readonly key: string;
  /** Property of a structured (JSON) secret to read. @default - the whole value */
  readonly property?: string;
  /** Version of the secret. @default - the current version */
  readonly version?: string;
}

/** A structured (JSON) secret whose properties all become keys of the Secret (`dataFrom[].extract`). */
export interface SecretExtraction {
  /** The structured secret. */
  readonly from: RemoteSecretRef;
  /**
   * The properties it provides that workloads may bind. The operator copies every property, but
   * only these can be checked at synth, so only these can be bound.
   */
  readonly keys: string[];
}

/** Who owns the Secret the operator writes. `None` is not offered: a binding always needs a Secret. */
export enum CreationPolicy {
  /** The ExternalSecret creates and owns the Secret; deleting it deletes the Secret. */
  OWNER = 'Owner',
  /** The ExternalSecret creates the Secret and leaves it behind when deleted. */
  ORPHAN = 'Orphan',
  /** The Secret exists already (created by someone else); the keys are merged into it. */
  MERGE = 'Merge',
  /** The keys are merged into the Secret, which is created when missing. */
  CREATE_OR_MERGE = 'CreateOrMerge',
}

/** How a template's keys combine with the fetched keys. */
export enum TemplateMergePolicy {
  /** The Secret holds the template's keys only. */
  REPLACE = 'Replace',
  /** The Secret holds the fetched keys and the template's keys. */
  MERGE = 'Merge',
}

/**
 * The shape of the Secret the operator writes (`target.template`, engine v2).
 * @see https://external-secrets.io/latest/guides/templating/
 */
export interface SecretTemplate {
  /** Type of the Secret, e.g. `kubernetes.io/dockerconfigjson`. @default 'Opaque' */
  readonly type?: string;
  /** Keys of the Secret as Go templates over the fetched keys, e.g. `{ url: 'postgres://app:{{ .password }}@db/app' }`. @default - the fetched keys as they are */
  readonly data?: Record<string, string>;
  /** How the template's keys combine with the fetched keys. @default TemplateMergePolicy.REPLACE */
  readonly mergePolicy?: TemplateMergePolicy;
}

/** An `ExternalSecret`: the External Secrets Operator copies secrets from a store into a Secret. */
export interface ExternalSecretOptions {
  /** The store to read from. */
  readonly store: SecretStoreRef;
  /** Keys of the Secret, each read from one remote secret (`data[].remoteRef`). @default - none; `dataFrom` must map keys then */
  readonly data?: Record<string, RemoteSecretRef>;
  /** Structured secrets whose properties become keys (`dataFrom[].extract`). @default - none */
  readonly dataFrom?: SecretExtraction[];
  /**
   * How often the operator re-reads the store. A rotated value reaches mounted files without a
   * restart; env vars see it at the next rollout (the pods roll only when the binding itself changes).
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
  /** The shape of the Secret. @default - an Opaque Secret with the fetched keys */
  readonly template?: SecretTemplate;
  /** Who owns the Secret. @default CreationPolicy.OWNER */
  readonly creationPolicy?: CreationPolicy;
}

/**
 * Checks `options` and creates the ExternalSecret of `binding`.
 * @internal
 */
export function bindExternalSecret(binding: SecretBindingScope, options: ExternalSecretOptions): BoundSecretSource {
  Kind.object('an ExternalSecretOptions object (store, and data or dataFrom)', {
    store: Kind.instance(SecretStoreRef, 'a SecretStoreRef (SecretStoreRef.namespaced, SecretStoreRef.cluster, or a SecretStore\'s ref)'),
    data: Kind.record(REMOTE_SECRET_REF_KIND).optional(),
    dataFrom: Kind.array(Kind.object('a SecretExtraction (from, keys)', { from: REMOTE_SECRET_REF_KIND, keys: Kind.array(Kind.STRING) })).optional(),
    refreshInterval: Kind.DURATION.optional(),
    template: Kind.object('a SecretTemplate object', {
      type: Kind.STRING.optional(),
      data: Kind.record(Kind.SECRET_STRING).optional(),
      mergePolicy: Kind.oneOf(TemplateMergePolicy, 'a TemplateMergePolicy').optional(),
    }).optional(),
    creationPolicy: Kind.oneOf(CreationPolicy, 'a CreationPolicy').optional(),
  }).check(binding, 'source', options);
  const data = Object.entries(options.data ?? {});
  const extractions = options.dataFrom ?? [];
  const refresh = options.refreshInterval ?? Duration.hours(1);
  const template = options.template;
  const mergePolicy = template?.mergePolicy ?? TemplateMergePolicy.REPLACE;

  checkDnsSubdomain(binding, 'source.store.name', options.store.name);
  check(data.length > 0 || extractions.length > 0, binding, 'source.data', options.data,
    'must map at least one key, in \'data\' or \'dataFrom\'');
  const fetched: string[] = [];
  for (const [key, ref] of data) {
    checkSecretKey(binding, `source.data.${key}`, key);
    checkRemoteRef(binding, `source.data.${key}.key`, ref);
    fetched.push(key);
  }
  extractions.forEach((extraction, i) => {
    checkRemoteRef(binding, `source.dataFrom[${i}].from.key`, extraction.from);
    check(extraction.keys.length > 0, binding, `source.dataFrom[${i}].keys`, extraction.keys,
      'must list the properties workloads may bind: they cannot be known at synth otherwise');
    for (const key of extraction.keys) {
      checkSecretKey(binding, `source.dataFrom[${i}].keys`, key);
      check(!fetched.includes(key), binding, `source.dataFrom[${i}].keys`, key, 'is mapped twice: each key has one source');
      fetched.push(key);
    }
  });
  checkRefreshInterval(binding, 'source.refreshInterval', refresh);
  if (template?.type !== undefined) {
    checkNotBlank(binding, 'source.template.type', template.type, 'the type of the Secret (Opaque, kubernetes.io/dockerconfigjson, ...)');
  }
  const templateKeys = Object.keys(template?.data ?? {});
  for (const [key, value] of Object.entries(template?.data ?? {})) {
    checkSecretKey(binding, `source.template.data.${key}`, key);
    if (!value.includes('{{')) {
      checkNoSecretLiteral(binding, `source.template.data.${key}`, key, value);
    }
  }
  const keys = templateKeys.length === 0 || mergePolicy === TemplateMergePolicy.MERGE
    ? [...new Set([...fetched, ...templateKeys])]
    : templateKeys;

  const spec: ExternalSecretSpec = {
    secretStoreRef: {
      name: options.store.name,
      kind: options.store.kind === SecretStoreKind.CLUSTER_SECRET_STORE
        ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE
        : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
    },
    refreshInterval: goDuration(durationSeconds(refresh)),
    target: {
      name: binding.name,
      creationPolicy: creationPolicyOf(options.creationPolicy ?? CreationPolicy.OWNER),
      template: template !== undefined
        ? {
          type: template.type ?? 'Opaque',
          data: template.data,
          mergePolicy: mergePolicy === TemplateMergePolicy.MERGE
            ? ExternalSecretSpecTargetTemplateMergePolicy.MERGE
            : ExternalSecretSpecTargetTemplateMergePolicy.REPLACE,
        }
        : undefined,
    },
    data: data.length > 0
      ? data.map(([secretKey, ref]) => ({ secretKey, remoteRef: { key: ref.key, property: ref.property, version: ref.version } }))
      : undefined,
    dataFrom: extractions.length > 0
      ? extractions.map(({ from }) => ({ extract: { key: from.key, property: from.property, version: from.version } }))
      : undefined,
  };
  const resource = new ExternalSecret(binding, 'Resource', {
    metadata: { name: binding.name, namespace: binding.namespace, labels: binding.labels },
    spec,
  });
  const store = options.store;
  const storeName = store.qualifiedName(binding.namespace);
  const reads = `ExternalSecret ${binding.namespace}/${binding.name} reads it`;
  Prerequisite.declare(binding,
    Prerequisite.operator(Operator.EXTERNAL_SECRETS, 'syncs the ExternalSecrets into Secrets'),
    ...store.prerequisites(binding.namespace),
    ...data.map(([secretKey, ref]) => Prerequisite.secretStoreKey(store.kind, storeName, ref.key, `${reads} into key ${secretKey}`, ref.property)),
    ...extractions.map(({ from, keys: properties }) => Prerequisite.secretStoreKey(store.kind, storeName, from.key,
      `${reads}: a JSON object with the properties ${properties.join(', ')}`, from.property)));
  return { keys, resource, spec };
}

/**
 * Checks `values` and creates a SecretStore of the `fake` provider that serves them, and the
 * ExternalSecret of `binding` that reads it.
 * @internal
 */
export function bindPlaceholders(binding: SecretBindingScope, values: Record<string, string>): BoundSecretSource {
  Kind.record(Kind.SECRET_STRING).check(binding, 'source.values', values);
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  check(entries.length > 0, binding, 'source.values', values, 'must hold at least one key');
  for (const [key] of entries) {
    checkSecretKey(binding, `source.values.${key}`, key);
  }

  const store = new SecretStoreResource(binding, 'Store', {
    metadata: { name: `${binding.name}-placeholders`, namespace: binding.namespace, labels: binding.labels },
    spec: { provider: { fake: { data: entries.map(([key, value]) => ({ key, value })) } } },
  });
  const spec: ExternalSecretSpec = {
    secretStoreRef: { name: store.name, kind: ExternalSecretSpecSecretStoreRefKind.SECRET_STORE },
    refreshInterval: goDuration(Duration.hours(1).toSeconds()),
    target: { name: binding.name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER },
    data: entries.map(([key]) => ({ secretKey: key, remoteRef: { key } })),
  };
  const resource = new ExternalSecret(binding, 'Resource', {
    metadata: { name: binding.name, namespace: binding.namespace, labels: binding.labels },
    spec,
  });
  Prerequisite.declare(binding, Prerequisite.operator(Operator.EXTERNAL_SECRETS, 'serves the placeholder values through its fake provider'));
  return { keys: entries.map(([key]) => key), resource, spec: { spec, values: Object.fromEntries(entries) } };
}

/**
 * A {@link RemoteSecretRef}, as a prop's kind.
 * @internal
 */
export const REMOTE_SECRET_REF_KIND = Kind.object<RemoteSecretRef>('a RemoteSecretRef (key, and optionally property and version)', {
  key: Kind.STRING,
  property: Kind.STRING.optional(),
  version: Kind.STRING.optional(),
});

/**
 * Checks the key of a secret in the store's backend, given to `scope` as `prop`.
 * @internal
 */
export function checkRemoteRef(scope: IConstruct, prop: string, ref: RemoteSecretRef): void {
  check(ref.key.trim().length > 0, scope, prop, ref.key, 'must name a secret of the store\'s backend');
}

/**
 * Checks how often the operator re-reads the store, given to `scope` as `prop`.
 * @internal
 */
export function checkRefreshInterval(scope: IConstruct, prop: string, refresh: Duration): void {
  check(Number.isInteger(durationSeconds(refresh)) && durationSeconds(refresh) >= 60, scope, prop, `${durationSeconds(refresh)}s`,
    'must be a whole number of seconds, at least one minute: shorter intervals spend the backend\'s API quota');
}

function creationPolicyOf(policy: CreationPolicy): ExternalSecretSpecTargetCreationPolicy {
  switch (policy) {
    case CreationPolicy.ORPHAN: return ExternalSecretSpecTargetCreationPolicy.ORPHAN;
    case CreationPolicy.MERGE: return ExternalSecretSpecTargetCreationPolicy.MERGE;
    case CreationPolicy.CREATE_OR_MERGE: return ExternalSecretSpecTargetCreationPolicy.CREATE_OR_MERGE;
    default: return ExternalSecretSpecTargetCreationPolicy.OWNER;
  }
}

/** Seconds as a Go duration, the format of the operator's intervals: 3600 gives `1h`, 5400 gives `1h30m`. */
function goDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}
