import { m } from '$lib/paraglide/messages';
import type { DocumentKind } from '$lib/shared/schemas';

const labels: Record<DocumentKind, () => string> = { notes: m.doc_kind_notes, analysis: m.doc_kind_analysis, plan: m.doc_kind_plan, minutes: m.doc_kind_minutes };

/** The localized name of a document kind (研讨记录, 根因分析 …). */
export const kindLabel = (kind: DocumentKind) => labels[kind]();
