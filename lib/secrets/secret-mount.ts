/** How a workload reads a bound Secret. */
export class SecretMount {
  /**
   * One read-only file per key under `mountPath`, with mode 0400. The kubelet gives the files to
   * group `fsGroup` and adds group read (0440), so the pod's non-root user, whose group is the
   * fsGroup in a ProductionApp, reads them and nobody else does. Files follow a rotated value
   * within a minute or so, without a restart.
   */
  public static files(mountPath: string, options: SecretFilesOptions = {}): SecretMount {
    return new SecretMount(mountPath, options?.keys, []);
  }

  /** One environment variable per key, named like the key. Values are read at container start. */
  public static env(keys: string[]): SecretMount {
    return new SecretMount(undefined, keys, Array.isArray(keys) ? keys.map((key) => [key, key]) : []);
  }

  /** Environment variables named differently from the keys: `{ DATABASE_PASSWORD: 'password' }`. */
  public static envAs(variables: Record<string, string>): SecretMount {
    const entries = typeof variables === 'object' && variables !== null ? Object.entries(variables) : [];
    return new SecretMount(undefined, entries.map(([, key]) => key), entries);
  }

  private constructor(
    /** Where the files are mounted, when mounted as files. */
    public readonly mountPath: string | undefined,
    /** The keys read, or `undefined` for every key of the Secret. */
    public readonly keys: readonly string[] | undefined,
    /** Environment variables and the keys they read. */
    public readonly variables: ReadonlyArray<readonly [string, string]>,
  ) {}
}

/** Options of {@link SecretMount.files}. */
export interface SecretFilesOptions {
  /** The keys to mount, each as a file named like the key. @default - every key of the Secret */
  readonly keys?: string[];
}
