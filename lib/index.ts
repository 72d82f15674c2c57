// The public API of cdk8s-golden-path, export by export. Everything else in lib/ is internal: lib/core/
// as a whole, files whose name starts with '_', and the helpers of the other files (marked @internal).

// Errors and labels users see.
export { ValidationError } from './core/errors';
export { NAMESPACE_NAME_LABEL } from './core/labels';

// The contract with the cluster: what it must provide before the manifests work.
export { Operator, Prerequisite, PrerequisiteKind } from './core/prerequisites';
export type { DeclaredPrerequisite, OperatorProps } from './core/prerequisites';

// Network: peers, ports and the NetworkPolicy every construct opens its paths through; what renders egress to hosts by name.
export { NetworkPeer, Protocol } from './network/network-peer';
export type { IEgressRules, NetworkPort } from './network/network-peer';
export { NetworkPolicyRules, PolicyType } from './network/network-policy-rules';
export type { NetworkPolicyRulesProps } from './network/network-policy-rules';
export { ClusterDns } from './network/cluster-dns';
export type { DnsServerPods, NodeLocalCacheOptions } from './network/cluster-dns';
export { EgressEngine } from './network/egress-engine';

// Monitoring: alerts, dashboards, the metrics of an app.
export { AlertCondition, AlertSeverity } from './monitoring/alerting';
export { AppMetrics } from './monitoring/app-metrics';
export type { AppAlertOptions, MetricsOptions } from './monitoring/app-metrics';
export { AppMonitoring } from './monitoring/app-monitoring';
export type { AppMonitoringProps } from './monitoring/app-monitoring';
export { GrafanaDashboard, PanelUnit } from './monitoring/grafana-dashboard';
export type { DashboardPanel, GrafanaDashboardProps, PanelQuery } from './monitoring/grafana-dashboard';
export { Prometheus } from './monitoring/prometheus';
export type { KubePrometheusStackOptions, PrometheusOptions } from './monitoring/prometheus';
export { PlatformAlerts } from './monitoring/platform-alerts';
export { LogCollection, LogFormat } from './monitoring/log-collection';
export type { FluentBitOptions, LogCollectorOptions } from './monitoring/log-collection';
export type { PlatformAlertsProps } from './monitoring/platform-alerts';

// Workloads: the contract every workload kind offers, its value classes, and the kinds: ProductionApp,
// StatefulApp, OneOffJob and ScheduledJob.
export type { IConnectable, IWorkload, WorkloadPort, WorkloadVolume } from './workload/workload';
export type { ISecretProducer } from './workload/secret-producer';
export type { IRegistryCredentials } from './workload/registry-credentials';
export type { ServingProps, WorkloadProps } from './workload/workload-props';
export { PreStop } from './workload/container';
export type { ContainerMount, WorkloadContainer } from './workload/container';
export { SessionAffinity } from './workload/service-options';
export { EnvValue } from './workload/env-value';
export { Image } from './workload/image';
export { Probe } from './workload/probe';
export type { ProbeOptions } from './workload/probe';
export { NodePool, SpreadPolicy, TaintEffect } from './workload/placement';
export type { NodePoolProps, NodeTaint } from './workload/placement';
export type { ContainerResources, ResourceRange } from './workload/resources';
export type { AutoscalingOptions, DisruptionBudgetOptions } from './workload/availability';
export { AccessMode } from './workload/persistent-volume';
export type { PersistentVolumeOptions } from './workload/persistent-volume';
export { ProductionApp } from './workload/production-app';
export type { ProductionAppProps } from './workload/production-app';
export { PodManagement, RetentionAction, StatefulApp } from './workload/stateful-app';
export type { ClaimRetentionOptions, StatefulAppProps, VolumeClaimOptions } from './workload/stateful-app';
export { JobRestartPolicy } from './workload/job-run';
export type { JobRunProps } from './workload/job-run';
export { JobCleanup, OneOffJob } from './workload/one-off-job';
export type { OneOffJobProps } from './workload/one-off-job';
export { Schedule } from './workload/schedule';
export { ConcurrencyPolicy, ScheduledJob } from './workload/scheduled-job';
export type { ScheduledJobProps } from './workload/scheduled-job';
export { ExternalService } from './workload/external-service';
export type { ExternalServiceProps } from './workload/external-service';

// Namespaces.
export { NamespaceBaseline } from './namespace/namespace-baseline';
export type { NamespaceBaselineProps, NamespaceQuota } from './namespace/namespace-baseline';

// PostgreSQL: HaPostgres (CloudNativePG), ExternalPostgres (managed), and their value classes.
export { PostgresRootCertificate, PostgresSslMode } from './postgres/postgres-database';
export type { IPostgresDatabase } from './postgres/postgres-database';
export { DataDurability, PostgresReplication, SynchronousMethod } from './postgres/replication';
export type { SynchronousReplicationOptions } from './postgres/replication';
export { ObjectStoreCredentials } from './postgres/object-store';
export type {
  AzureCredentialsOptions, CloudIdentity, GoogleCloudCredentialsOptions, ObjectStoreLocation, S3CredentialsOptions,
} from './postgres/object-store';
export { BACKUPS_SUPPRESSED_ANNOTATION, BackupSchedule, PostgresBackup } from './postgres/backup';
export type { ObjectStoreBackupOptions } from './postgres/backup';
export { PostgresRecovery } from './postgres/recovery';
export type { ObjectStoreRecoveryOptions } from './postgres/recovery';
export { PgBouncerPoolMode } from './postgres/pooler';
export type { PostgresPoolerOptions } from './postgres/pooler';
export type { PostgresMonitoringOptions } from './postgres/postgres-monitoring';
export { HaPostgres } from './postgres/ha-postgres';
export type { HaPostgresProps, KubernetesApiEndpoint } from './postgres/ha-postgres';
export type { PostgresStorage } from './postgres/storage';
export { ExternalPostgres } from './postgres/external-postgres';
export type { ExternalPostgresCredentials, ExternalPostgresProps } from './postgres/external-postgres';

// Redis: HaRedis (Redis Operator of OT-CONTAINER-KIT), ExternalRedis (managed), and their value classes.
export type { CeleryConnectionOptions, IRedis, RedisSentinelEndpoint } from './redis/redis-connection';
export { RedisPassword } from './redis/redis-password';
export type { GeneratedPasswordOptions, PasswordSecret } from './redis/redis-password';
export { RedisPersistence } from './redis/redis-persistence';
export type { AppendOnlyOptions } from './redis/redis-persistence';
export type { RedisMonitoringOptions } from './redis/redis-monitoring';
export { HaRedis } from './redis/ha-redis';
export type { HaRedisProps } from './redis/ha-redis';
export { ExternalRedis } from './redis/external-redis';
export type { ExternalRedisProps, RedisSecretKey } from './redis/external-redis';

// Secrets: SecretsBinding, where its values come from, how workloads read them, and stores.
export { SecretStore, SecretStoreKind, SecretStoreProvider, SecretStoreRef } from './secrets/secret-store';
export type { AwsSecretsManagerOptions, GcpSecretManagerOptions, SecretStoreProps, VaultOptions } from './secrets/secret-store';
export { CreationPolicy, TemplateMergePolicy } from './secrets/external-secret';
export type { ExternalSecretOptions, RemoteSecretRef, SecretExtraction, SecretTemplate } from './secrets/external-secret';
export { SealingScope } from './secrets/sealed-secret';
export type { SealedSecretOptions } from './secrets/sealed-secret';
export type { BoundSecretSource, SecretBindingScope } from './secrets/bound-secret';
export { SecretSource } from './secrets/secret-source';
export { SecretMount } from './secrets/secret-mount';
export type { SecretFilesOptions } from './secrets/secret-mount';
export { SecretsBinding } from './secrets/secrets-binding';
export type { SecretsBindingProps } from './secrets/secrets-binding';
export { RegistryCredentials } from './secrets/registry-credentials';
export type { RegistryCredentialsProps } from './secrets/registry-credentials';

// Ingress: HardenedIngress, the controllers it renders for, certificates and traffic rules.
export { HttpMethod, TrafficFeature } from './ingress/traffic';
export type { CorsOptions, HstsOptions, IngressTimeouts, RateLimit, TrafficOptions } from './ingress/traffic';
export { IngressController } from './ingress/ingress-controller';
export type { GatewayOptions, IngressControllerOptions } from './ingress/ingress-controller';
export { AcmeServer, CertificateIssuer, IssuerKind } from './ingress/certificate-issuer';
export type { AcmeDns01Options, AcmeIssuerOptions, ExistingIssuerOptions } from './ingress/certificate-issuer';
export { DnsProvider } from './ingress/dns-provider';
export type {
  AzureDnsOptions, AzureServicePrincipal, CloudDnsOptions, CloudflareOptions, DnsProviderSecret, Route53AccessKey, Route53Options,
} from './ingress/dns-provider';
export { DnsRecords, ExternalDnsPolicy } from './ingress/dns-records';
export type { ExternalDnsOptions } from './ingress/dns-records';
export { PathMatch } from './ingress/route';
export type { IIngressBackend, RouteOptions } from './ingress/route';
export { IdentityProvider, SignIn } from './ingress/sign-in';
export type { KeycloakProviderOptions, OidcProviderOptions, OidcSignInOptions, SignInMetricsOptions, SignInProxyOptions } from './ingress/sign-in';
export { HardenedIngress } from './ingress/hardened-ingress';
export type { HardenedIngressProps } from './ingress/hardened-ingress';

// Access: people's access to a namespace, by group, through namespaced Roles and RoleBindings.
export { Permission } from './access/permission';
export type { PermissionRule } from './access/permission';
export { Access, BREAK_GLASS_ANNOTATION, TeamAccess } from './access/team-access';
export type { BreakGlassOptions, TeamAccessProps, TeamGrantOptions } from './access/team-access';

// Upgrades: the order a stage is applied in (Argo CD sync waves, the same layers for Flux and kubectl), and the
// Argo CD health checks the order relies on.
export { ApplyLayer } from './upgrade/apply-layer';
export { ApplyOrder, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, SYNC_WAVE_ANNOTATION } from './upgrade/apply-order';
export type { ApplyOrderProps } from './upgrade/apply-order';
export { ARGO_CD_HEALTH_CHECKS, CNPG_BACKUP_HEALTH_LUA, CNPG_CLUSTER_HEALTH_LUA, CNPG_POOLER_HEALTH_LUA, REDIS_REPLICATION_HEALTH_LUA } from './upgrade/argo-cd-health';

// Backups of volumes: Velero Schedules for a workload's claims.
export { Velero, VolumeBackupMethod } from './backup/velero';
export type { VeleroOptions } from './backup/velero';
export { VolumeBackupSchedule } from './backup/volume-backup-schedule';
export type { VolumeBackupScheduleProps } from './backup/volume-backup-schedule';

// Guardrails: the rule pack over every object of an app, its reports, and the tier that sets its severity.
export { Tier, setTier } from './guardrails/tier';
export { RuleLevel, RuleSource } from './guardrails/rule';
export type { GuardrailRule } from './guardrails/rule';
export { GuardrailObject, ObjectIndex } from './guardrails/objects';
export type { LabelSelector, Manifest, PodContainer, PodTemplate, Production } from './guardrails/objects';
export type { ObjectIdentity } from './guardrails/identity';
export { GuardrailReport } from './guardrails/report';
export type { GuardrailFinding, ManifestLocation, SarifOptions, UnknownSuppression } from './guardrails/report';
export { Guardrails, SUPPRESSION_ANNOTATION_PREFIX } from './guardrails/guardrails';
export type { GuardrailsProps } from './guardrails/guardrails';
export { synthWithGuardrails } from './guardrails/synth';
export type { GuardrailSynthOptions } from './guardrails/synth';
export { GuardrailsValidation } from './guardrails/plugin';
export type {
  GuardrailsViolatingResource, GuardrailsValidationContext, GuardrailsValidationProps, GuardrailsViolation,
} from './guardrails/plugin';
