import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { checkNotBlank } from '../core/validate';

/** What a container writes to its standard output. */
export enum LogFormat {
  /** Lines of plain text: the collector keeps each line as the message. */
  TEXT = 'text',
  /** One JSON object a line: the collector can parse it into fields. */
  JSON = 'json',
}

/** Options of {@link LogCollection.fluentBit}. */
export interface FluentBitOptions {
  /** Where Fluent Bit ships the logs, in words or as a URL, e.g. `Loki at https://loki.example.com`. */
  readonly destination: string;
  /** The Fluent Bit parser that reads JSON lines, as its parsers file names it. @default 'json' (a parser of Fluent Bit's default parsers file) */
  readonly jsonParser?: string;
}

/** Options of {@link LogCollection.collector}. */
export interface LogCollectorOptions {
  /** The collector, e.g. `Vector 0.50 (kubernetes_logs source)` or `the Datadog Agent`. */
  readonly name: string;
  /** Where it ships the logs, in words or as a URL. */
  readonly destination: string;
}

/** Prefix of the Fluent Bit parser annotation: `fluentbit.io/parser-<container>` suggests the parser of one container. */
const FLUENT_BIT_PARSER = 'fluentbit.io/parser';
const PARSER_NAME = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

/**
 * The log pipeline a stage expects: which collector reads the containers' standard output on every node and where
 * it ships the logs. The library runs no collector; the workloads declare it as a prerequisite, and their pods carry
 * what it reads about their format (Fluent Bit: a parser annotation for the containers that write JSON).
 * @see https://kubernetes.io/docs/concepts/cluster-administration/logging/
 */
export class LogCollection {
  /**
   * Fluent Bit on every node (a DaemonSet) with its Kubernetes filter. A container that writes JSON gets the pod
   * annotation `fluentbit.io/parser-<container>: <jsonParser>`, which the filter reads only with
   * `K8S-Logging.Parser On` (Off by default): the prerequisites say so.
   * @see https://docs.fluentbit.io/manual/pipeline/filters/kubernetes
   */
  public static fluentBit(options: FluentBitOptions): LogCollection {
    const parser = options?.jsonParser ?? 'json';
    return new LogCollection('Fluent Bit', options?.destination, (scope, prop) => {
      Kind.object<FluentBitOptions>('a FluentBitOptions object (destination, and optionally jsonParser)', {
        destination: Kind.STRING,
        jsonParser: Kind.STRING.optional(),
      }).check(scope, prop, options);
      checkNotBlank(scope, `${prop}.destination`, options.destination, 'where the logs go');
      check(PARSER_NAME.test(parser), scope, `${prop}.jsonParser`, parser, 'must be a parser name: letters, digits, \'-\', \'_\' and \'.\'');
    }, parser, (container) => ({ [`${FLUENT_BIT_PARSER}-${container}`]: parser }));
  }

  /** Any other collector: declared as a prerequisite, with nothing on the pods. */
  public static collector(options: LogCollectorOptions): LogCollection {
    return new LogCollection(options?.name, options?.destination, (scope, prop) => {
      Kind.object<LogCollectorOptions>('a LogCollectorOptions object (name, destination)', {
        name: Kind.STRING,
        destination: Kind.STRING,
      }).check(scope, prop, options);
      checkNotBlank(scope, `${prop}.name`, options.name, 'the name of the collector');
      checkNotBlank(scope, `${prop}.destination`, options.destination, 'where the logs go');
    });
  }

  private constructor(
    /** The collector. */
    public readonly collector: string,
    /** Where the logs go. */
    public readonly destination: string,
    /** Checks the options as given (a caller without a type checker may pass anything), for the construct that receives the collection. */
    private readonly checkOptions: (scope: IConstruct, prop: string) => void,
    /** The parser of JSON lines, for a collector that reads one from the pods. */
    private readonly jsonParser?: string,
    private readonly jsonAnnotations?: (container: string) => Record<string, string>,
  ) {}

  /**
   * Checks the collection and the format of `containers`, given to `scope` as `prop`: its options, and a parser
   * annotation key must be a valid annotation name (at most 63 characters after the prefix).
   * @internal
   */
  public check(scope: IConstruct, prop: string, containers: readonly string[], format: LogFormat): void {
    this.checkOptions(scope, prop);
    for (const key of format === LogFormat.JSON ? Object.keys(this.podAnnotations(containers, format)) : []) {
      check(key.split('/')[1].length <= 63, scope, 'logFormat', key,
        'needs an annotation key of at most 63 characters after the prefix: shorten the container name');
    }
  }

  /**
   * The pod annotations that tell the collector how `containers` write their logs.
   * @internal
   */
  public podAnnotations(containers: readonly string[], format: LogFormat): Record<string, string> {
    return format === LogFormat.JSON && this.jsonAnnotations !== undefined ? Object.assign({}, ...containers.map(this.jsonAnnotations)) : {};
  }

  /**
   * What the cluster must run for the logs of pods whose containers write `format` to reach their destination.
   * @internal
   */
  public prerequisites(format: LogFormat): Prerequisite[] {
    const shipped = Prerequisite.controllerSetting(this.collector, `collects the containers' standard output on every node and ships it to ${this.destination}`,
      'the stage keeps its logs there: the pods write to standard output only, and nothing in the manifests stores logs');
    if (format !== LogFormat.JSON || this.jsonParser === undefined) {
      return [shipped];
    }
    return [shipped, Prerequisite.controllerSetting(this.collector,
      `Kubernetes filter with K8S-Logging.Parser On (Off by default), and the parser '${this.jsonParser}' in its parsers file`,
      `containers that write JSON suggest that parser with the pod annotation ${FLUENT_BIT_PARSER}-<container>, which the filter ignores otherwise`)];
  }
}

/**
 * A {@link LogCollection}, as a prop's kind.
 * @internal
 */
export const LOG_COLLECTION_KIND = Kind.instance(LogCollection, 'a LogCollection (LogCollection.fluentBit or LogCollection.collector)');
