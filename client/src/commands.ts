/**
 * The commands this extension contributes; package.json declares each one
 * (a test checks both directions).
 */
export const Commands = {
  /** Opens a site's patch preview; also the target of the server's code lens. */
  showPreview: 'altcall.showPreview',
  reindex: 'altcall.reindex',
  lintWorkspace: 'altcall.lintWorkspace',
} as const;
