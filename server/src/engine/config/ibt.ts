/** Whether patch previews assume CET-IBT, the same way for the CLI and the editor. */
import type { Profile } from './profiles';
import type { BuildConfig } from '../preproc/conditions';

/** Xen's Kconfig option for CET-IBT. */
const IBT_OPTION = 'CONFIG_XEN_IBT';

/**
 * Never where that Xen has no IBT; else as asked (`setting`, null when not
 * asked); else what the build configuration says; else on.
 */
export function ibtFor(profile: Profile, config: BuildConfig, setting: boolean | null): boolean {
  if (!profile.ibtAvailable) return false;
  if (setting !== null) return setting;
  return config.known(IBT_OPTION) ? config.value(IBT_OPTION) !== undefined : true;
}
