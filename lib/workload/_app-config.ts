import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { contentHash } from '../core/hashing';
import { checkNoSecretLiteral } from '../core/leaks';
import { checkAbsolutePath, checkConfigMapSize, checkEnvName, checkSecretKey } from '../core/validate';
import { OwnVolume } from './_pod-template';

// Internal: the configuration of a ProductionApp. Not exported from the package.

/**
 * Checks a workload's configuration (keys that are variable names, no credential among the values,
 * a mount path only with a config) before any object is created.
 */
export function checkAppConfig(scope: Construct, config: Record<string, string> | undefined, mountPath: string | undefined): void {
  for (const [key, value] of Object.entries(config ?? {})) {
    checkEnvName(scope, `config.${key}`, key);
    checkSecretKey(scope, `config.${key}`, key);
    checkNoSecretLiteral(scope, `config.${key}`, key, value);
  }
  checkConfigMapSize(scope, 'config', config ?? {});
  if (mountPath !== undefined) {
    checkAbsolutePath(scope, 'configMountPath', mountPath);
    check(config !== undefined, scope, 'configMountPath', mountPath, 'needs \'config\' to mount');
  }
}

/**
 * A workload's configuration as an immutable ConfigMap `<name>-config-<content hash>`: a change in
 * content is a new ConfigMap, so it rolls the pods, and a rollback gets the old config. The pods read
 * it as environment variables (`envFrom`) and, with `mountPath`, as the files of the `config` volume.
 */
export function addAppConfig(scope: Construct, metadata: { name: string; namespace: string; labels: Record<string, string> },
  config: Record<string, string>, mountPath: string | undefined): { configMap: k8s.KubeConfigMap; envFrom: k8s.EnvFromSource; volume?: OwnVolume } {
  const configMap = new k8s.KubeConfigMap(scope, 'Config', {
    metadata: { ...metadata, name: `${metadata.name}-config-${contentHash(config)}` },
    immutable: true,
    data: { ...config },
  });
  return {
    configMap,
    envFrom: { configMapRef: { name: configMap.name } },
    volume: mountPath !== undefined ? {
      mount: { name: 'config', mountPath, readOnly: true },
      volume: { name: 'config', configMap: { name: configMap.name, defaultMode: 0o444 } },
    } : undefined,
  };
}
