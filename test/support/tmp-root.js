// Jest globalSetup/globalTeardown: every test run gets its own temporary root (workers
// inherit TMPDIR, so os.tmpdir() and mkdtemp land there) and it is removed afterwards,
// so no run leaves folders behind in the system temp directory.
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports.setup = async () => {
  const root = mkdtempSync(join(tmpdir(), 'agent-platform-tests-'));
  process.env.AGENT_PLATFORM_TEST_TMP = root;
  process.env.TMPDIR = root;
};

module.exports.teardown = async () => {
  const root = process.env.AGENT_PLATFORM_TEST_TMP;
  if (root) rmSync(root, { recursive: true, force: true });
};
