export * from './guardrails';
export * from './objects';
export * from './plugin';
export * from './report';
export * from './rule';
export * from './rules';
export * from './synth';
