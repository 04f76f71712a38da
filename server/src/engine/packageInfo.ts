/**
 * The server package's own description: its version, and the homepage whose
 * README documents each rule in a section anchored by the rule id (SARIF help
 * links and editor diagnostics both point there).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PACKAGE: { version: string; homepage: string } = require('../../package.json');

export function ruleDocsHref(rule: string, homepage: string = PACKAGE.homepage): string {
  return `${homepage.replace(/#.*$/, '')}#${rule}`;
}
