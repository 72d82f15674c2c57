import { EnvValue } from '../workload/env-value';
import { IWorkload } from '../workload/workload';
import { PostgresRootCertificate, PostgresSslMode } from './postgres-database';

// Internal: the libpq binding every database construct hands to the workloads that connect. Not exported from the package.

/** Where a connected workload finds the CA that signed the database's server certificate. */
const CA_MOUNT_ROOT = '/etc/postgresql';
/** Where a connected workload finds the database credentials, one folder per database. */
const CREDENTIALS_MOUNT_ROOT = '/var/run/secrets/postgres';
/** Owner read only; with the pod's fsGroup the kubelet adds group read, as for every Secret volume. */
const CREDENTIALS_FILE_MODE = 0o400;

/** What a database hands to a workload that connects to it. */
export interface Connection {
  /** Name of the database, which names its volumes and its credentials folder. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The user, when it is known at synth; otherwise the app reads it from the credentials folder. */
  readonly user?: string;
  readonly credentials: { readonly secretName: string; readonly usernameKey: string; readonly passwordKey: string };
  readonly sslMode: PostgresSslMode;
  readonly rootCertificate?: PostgresRootCertificate;
}

/**
 * The libpq environment every PostgreSQL driver reads, so that apps need no connection string, and
 * the credentials as read-only files, never as environment variables (which leak into crash dumps,
 * child processes and `/proc/<pid>/environ`).
 *
 * The user name and password are mounted as `username` and `password` under
 * `/var/run/secrets/postgres/<name>/`, and `PGPASSWORD_FILE` (and `PGUSER_FILE` when the user is not
 * known at synth) points at them. libpq does not read these variables: the app reads the file and
 * passes the password when it connects, at each new connection so that a rotated password is
 * picked up. libpq's own `PGPASSFILE` cannot be used: the kubelet gives Secret volume files to the
 * pod's fsGroup with group read, and libpq ignores a password file that the group can read.
 */
export function bindConnection(workload: IWorkload, connection: Connection): void {
  const credentialsPath = `${CREDENTIALS_MOUNT_ROOT}/${connection.name}`;
  const { secretName, usernameKey, passwordKey } = connection.credentials;
  workload.addEnv('PGHOST', EnvValue.literal(connection.host));
  workload.addEnv('PGPORT', EnvValue.literal(String(connection.port)));
  workload.addEnv('PGDATABASE', EnvValue.literal(connection.database));
  if (connection.user !== undefined) {
    workload.addEnv('PGUSER', EnvValue.literal(connection.user));
  } else {
    workload.addEnv('PGUSER_FILE', EnvValue.literal(`${credentialsPath}/username`));
  }
  workload.addEnv('PGPASSWORD_FILE', EnvValue.literal(`${credentialsPath}/password`));
  workload.addEnv('PGSSLMODE', EnvValue.literal(connection.sslMode));
  workload.addVolume({
    name: `${connection.name}-credentials`,
    mountPath: credentialsPath,
    readOnly: true,
    source: {
      secret: {
        secretName,
        defaultMode: CREDENTIALS_FILE_MODE,
        items: [{ key: usernameKey, path: 'username' }, { key: passwordKey, path: 'password' }],
      },
    },
  });
  if (connection.rootCertificate) {
    const volumeName = `${connection.name}-ca`;
    const mountPath = `${CA_MOUNT_ROOT}/${volumeName}`;
    workload.addVolume({ name: volumeName, mountPath, source: connection.rootCertificate.volumeSource() });
    workload.addEnv('PGSSLROOTCERT', EnvValue.literal(`${mountPath}/ca.crt`));
  }
}
