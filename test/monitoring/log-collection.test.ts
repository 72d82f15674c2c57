import { Chart } from 'cdk8s';
import { Image, LogCollection, LogFormat, OneOffJob, Prerequisite, ProductionApp } from '../../lib';
import { one, synth, testChart } from '../util';

// What the collectors read, from their documentation:
// - Fluent Bit, pipeline/filters/kubernetes.md (fluent/fluent-bit-docs): the pod annotation
//   `fluentbit.io/parser[_stream][-container]` suggests a parser for a container's logs, and takes effect only with the
//   Kubernetes filter's `K8S-Logging.Parser On`, which is Off by default; `json` is a parser of its default parsers file.
// - The AI-Shell and Aileron guides (../shared/seeds) ask for "log collection configured" and set LOG_LEVEL only: they do
//   not say the image writes JSON, so a workload is text unless it says otherwise.

const IMAGE = Image.pinned('acme/api', '1.0.0');
const FLUENT_BIT = LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' });

function titles(chart: Chart): string[] {
  return Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
}

describe('LogCollection', () => {
  test('Fluent Bit: a workload that writes JSON suggests the JSON parser for its own container', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    new ProductionApp(chart, 'Api', { image: IMAGE, logs: FLUENT_BIT, logFormat: LogFormat.JSON });

    // THEN
    expect(one(synth(chart), 'Deployment').spec.template.metadata.annotations).toEqual({ 'fluentbit.io/parser-api': 'json' });
  });

  test('Fluent Bit with another parser name', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    new ProductionApp(chart, 'Api', { image: IMAGE, logs: LogCollection.fluentBit({ destination: 'Loki', jsonParser: 'docker-json' }), logFormat: LogFormat.JSON });

    // THEN
    expect(one(synth(chart), 'Deployment').spec.template.metadata.annotations).toEqual({ 'fluentbit.io/parser-api': 'docker-json' });
    expect(titles(chart)).toContain('Fluent Bit: Kubernetes filter with K8S-Logging.Parser On (Off by default), and the parser \'docker-json\' in its parsers file');
  });

  test('a workload that writes text carries nothing, and a pod annotation of its own stays', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    new ProductionApp(chart, 'Api', { image: IMAGE, logs: FLUENT_BIT, podAnnotations: { 'example.com/team': 'shop' } });

    // THEN
    expect(one(synth(chart), 'Deployment').spec.template.metadata.annotations).toEqual({ 'example.com/team': 'shop' });
  });

  test('an annotation the workload sets itself wins over the collector\'s', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    new OneOffJob(chart, 'Migrate', { image: IMAGE, logs: FLUENT_BIT, logFormat: LogFormat.JSON, podAnnotations: { 'fluentbit.io/parser-migrate': 'logfmt' } });

    // THEN
    expect(one(synth(chart), 'Job').spec.template.metadata.annotations).toEqual({ 'fluentbit.io/parser-migrate': 'logfmt' });
  });

  test('declares where the logs go, and the parser setting only where a container writes JSON', () => {
    // GIVEN
    const text = testChart();
    const json = testChart();

    // WHEN
    new ProductionApp(text, 'Api', { image: IMAGE, logs: FLUENT_BIT });
    new ProductionApp(json, 'Api', { image: IMAGE, logs: FLUENT_BIT, logFormat: LogFormat.JSON });

    // THEN
    const shipped = 'Fluent Bit: collects the containers\' standard output on every node and ships it to Loki at https://loki.example.com';
    expect(titles(text)).toContain(shipped);
    expect(titles(text).filter((t) => t.includes('K8S-Logging.Parser'))).toEqual([]);
    expect(titles(json)).toEqual(expect.arrayContaining([shipped, 'Fluent Bit: Kubernetes filter with K8S-Logging.Parser On (Off by default), and the parser \'json\' in its parsers file']));
  });

  test('any other collector is declared, with nothing on the pods', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    new ProductionApp(chart, 'Api', { image: IMAGE, logs: LogCollection.collector({ name: 'the Datadog Agent', destination: 'Datadog (EU)' }), logFormat: LogFormat.JSON });

    // THEN
    expect(one(synth(chart), 'Deployment').spec.template.metadata.annotations).toBeUndefined();
    expect(titles(chart)).toContain('the Datadog Agent: collects the containers\' standard output on every node and ships it to Datadog (EU)');
  });

  test('without a collector, nothing is declared or written', () => {
    // GIVEN
    const chart = testChart();

    // WHEN
    new ProductionApp(chart, 'Api', { image: IMAGE, logFormat: LogFormat.JSON });

    // THEN
    expect(one(synth(chart), 'Deployment').spec.template.metadata.annotations).toBeUndefined();
    expect(titles(chart).filter((t) => t.includes('standard output'))).toEqual([]);
  });

  describe('bad input', () => {
    const cases: Array<[string, (chart: Chart) => void, RegExp]> = [
      ['the destination is empty', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.fluentBit({ destination: ' ' }) }),
        /\[test\/Api\] 'logs.destination' \(' '\) must not be empty: it is where the logs go/],
      ['the collector has no name', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.collector({ name: '', destination: 'Loki' }) }),
        /\[test\/Api\] 'logs.name' \(''\) must not be empty: it is the name of the collector/],
      ['the parser name has a space', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.fluentBit({ destination: 'Loki', jsonParser: 'my json' }) }),
        /'logs.jsonParser' \('my json'\) must be a parser name/],
      ['the container name makes the annotation key too long', (c) => new ProductionApp(c, 'Api', {
        image: IMAGE, name: 'a'.repeat(60), logs: FLUENT_BIT, logFormat: LogFormat.JSON,
      }), /'logFormat' \('fluentbit.io\/parser-a{60}'\) needs an annotation key of at most 63 characters after the prefix: shorten the container name/],
      ['another collector says nowhere the logs go', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.collector({ name: 'Vector', destination: '' }) }),
        /^\[test\/Api\] 'logs.destination' \(''\) must not be empty: it is where the logs go$/],
      // A caller without a type checker:
      ['the Fluent Bit options are missing', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.fluentBit(undefined as any) }),
        /^\[test\/Api\] 'logs' \(unset\) must be a FluentBitOptions object \(destination, and optionally jsonParser\)$/],
      ['the parser name is a number', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.fluentBit({ destination: 'Loki', jsonParser: 5 as any }) }),
        /^\[test\/Api\] 'logs.jsonParser' \(5\) must be a string, or left unset$/],
      ['the collector is named by a string alone', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.collector('Vector' as any) }),
        /^\[test\/Api\] 'logs' \('Vector'\) must be a LogCollectorOptions object \(name, destination\)$/],
      ['the collector has no name at all', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: LogCollection.collector({ destination: 'Loki' } as any) }),
        /^\[test\/Api\] 'logs.name' \(unset\) must be a string$/],
      ['the log format is a word', (c) => new ProductionApp(c, 'Api', { image: IMAGE, logs: FLUENT_BIT, logFormat: 'JSON' as LogFormat }),
        /^\[test\/Api\] 'logFormat' \('JSON'\) must be a LogFormat: 'text', 'json', or left unset$/],
    ];

    test.each(cases)('fails when %s', (_, build, message) => {
      expect(() => build(testChart())).toThrow(message);
    });
  });
});
