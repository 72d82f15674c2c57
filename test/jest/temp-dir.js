// Every cdk8s Testing.app() makes a folder under the system's temporary folder (cdk8s.outdir.*) and
// never removes it: a run of this suite would leave about two thousand behind. The run gets a temporary
// folder of its own (TMPDIR, which os.tmpdir() reads and the workers and child processes inherit), and
// the teardown removes it with whatever the tests left in it.
const fs = require('fs');
const os = require('os');
const path = require('path');

const VARIABLE = 'CDK8S_GOLDEN_PATH_TEST_TMPDIR';

async function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-golden-path-test.'));
  process.env[VARIABLE] = dir;
  process.env.TMPDIR = dir;
}

async function teardown() {
  const dir = process.env[VARIABLE];
  if (dir !== undefined) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { setup, teardown };
