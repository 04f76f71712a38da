/**
 * The patch preview over the engine's index: the model adapter, the
 * position and whole-tree previews, and their JSON and text forms.
 */
export { indexedModel, IndexedModel, IndexedSite, ModelOptions, siteId, CF_CHECK } from './model';
export {
  Previewer, previewAllSites, previewAt, PreviewReport, PreviewRequest, SitePreviewEntry, SourcePosition,
  variantsFor,
} from './preview';
export { previewToJson, PreviewJson, PreviewSiteJson, CandidateJson, AsmJson } from './json';
export { renderPreviewReport } from './text';
