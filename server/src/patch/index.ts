/**
 * Patch emulation: Xen's boot patching of alternative-call sites over a
 * modelled image, the LP64 layout it needs, and the per-site preview.
 */
export * from './memory';
export * from './patcher';
export * from './layout';
export * from './image';
export * from './preview';
export { renderPreviewText } from './render';
