import * as Y from 'yjs';
import type { DocumentKind } from '../../src/lib/shared/schemas.js';

/** The Y.XmlFragment the editor binds to (Tiptap's Collaboration default). */
export const editorField = 'default';

type Block = { type: string; attrs?: Record<string, string | number>; text?: string; children?: Block[] };

function element(b: Block): Y.XmlElement | Y.XmlText {
	if (b.type === 'text') return new Y.XmlText(b.text ?? '');
	const el = new Y.XmlElement(b.type);
	for (const [k, v] of Object.entries(b.attrs ?? {})) el.setAttribute(k, v as string);
	const children = b.children ?? (b.text !== undefined ? [{ type: 'text', text: b.text }] : []);
	el.insert(0, children.map(element));
	return el;
}

const heading = (level: number, text: string): Block => ({ type: 'heading', attrs: { level }, text });
const paragraph = (text = ''): Block => ({ type: 'paragraph', text });

/** The content a new document of each kind starts with. */
export function templateBlocks(kind: DocumentKind): Block[] {
	switch (kind) {
		case 'notes':
			return [];
		case 'analysis':
			return [heading(2, '问题描述'), paragraph(), heading(2, '原因分析'), paragraph(), heading(2, '关键原因与5Why'), paragraph()];
		case 'plan':
			return [heading(2, '整改目标'), paragraph(), heading(2, '整改措施'), paragraph(), heading(2, '保障措施'), paragraph()];
	}
}

/** Writes the template of `kind` into an empty document. */
export function seedTemplate(doc: Y.Doc, kind: DocumentKind, _context: { title: string }): void {
	const blocks = templateBlocks(kind);
	if (blocks.length === 0) return;
	doc.getXmlFragment(editorField).insert(0, blocks.map(element));
}
