/**
 * The server's additions to the protocol, for clients: the preview request
 * and the command the code lens asks the client to run.
 */
import { RequestType } from 'vscode-languageserver';
import type { Position } from 'vscode-languageserver';
import type { PreviewJson } from '../preview';
import { PREVIEW_METHOD, SHOW_PREVIEW_COMMAND } from './names';

export interface PreviewParams {
  uri: string;
  position: Position;
  /** A profile name (`xen-4.16` .. `xen-4.21`); default: the folder's. */
  profile?: string;
  /** CET-IBT on or off; default: the `altcall.ibt` setting, else CONFIG_XEN_IBT, else on when the profile has IBT. */
  ibt?: boolean;
}

export interface PreviewResult {
  /** The preview as `altcall-lint preview` prints it; says so when there is no site at the position. */
  text: string;
  /** The same as `altcall-lint preview --format json`; `sites` is empty when there is no site at the position. */
  structure: PreviewJson;
}

export const PreviewRequest = new RequestType<PreviewParams, PreviewResult, void>(PREVIEW_METHOD);

export { SHOW_PREVIEW_COMMAND };

/** The code action kind of "fix everything in this file". */
export const FIX_ALL_KIND = 'source.fixAll.altcall';

/** Options a client may pass in `initializationOptions`. */
export interface InitializationOptions {
  /** Milliseconds between the last edit and the diagnostics it causes (default 200). */
  diagnosticsDelay?: number;
}
