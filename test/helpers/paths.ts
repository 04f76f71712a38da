import * as path from 'node:path';

// Tests run from test-out/<area>/, compiled; fixtures stay in the source tree.
export const repoRoot = path.resolve(__dirname, '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const serverOut = path.join(repoRoot, 'server', 'out');
