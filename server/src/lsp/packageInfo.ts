/** The server package's own description: its version, and the homepage whose README documents the rules. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PACKAGE: { version: string; homepage: string } = require('../../package.json');
