export * from './guardrails';
export * from './objects';
export * from './report';
export * from './rule';
export * from './rules';
export * from './synth';
