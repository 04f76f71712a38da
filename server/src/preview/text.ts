import { renderPreviewText } from '../patch';
import type { PreviewReport } from './preview';

/** The text form: PATCHING.md section 6's block per site and IBT setting. */
export function renderPreviewReport(report: PreviewReport): string {
  return renderPreviewText(report.entries.map((e) => e.preview));
}
