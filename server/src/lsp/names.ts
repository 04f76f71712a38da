/**
 * Names the server and the VS Code client must agree on. No imports: the
 * client bundles this module as it is.
 */

/** The custom request for a site's patch preview (see protocol.ts for its params and result). */
export const PREVIEW_METHOD = 'altcall/preview';

/**
 * Run by the client, not the server: opens the preview of the site the lens
 * is above. Its single argument is `{ uri, position }`, ready to be sent as
 * `altcall/preview` params.
 */
export const SHOW_PREVIEW_COMMAND = 'altcall.showPreview';
