import * as Y from 'yjs';
import { type FishboneTemplate, editorField, editorSchemaVersion, fishboneTemplates, metaMap, newBlockId } from '../../src/lib/shared/blocks.js';
import type { CreatableKind } from '../../src/lib/shared/schemas.js';

type Attrs = Record<string, string | number | boolean>;
/** A block as plain data: its node type, attributes, and text or children. */
export interface Block {
	type: string;
	attrs?: Attrs;
	text?: string;
	children?: Block[];
}

/** The Yjs element of a block, with a fresh stable id, as the editor would give it. */
export function element(b: Block): Y.XmlElement {
	const el = new Y.XmlElement(b.type);
	for (const [k, v] of Object.entries({ blockId: newBlockId(), ...b.attrs })) el.setAttribute(k, v as string);
	const children = b.children?.map(element) ?? (b.text ? [new Y.XmlText(b.text)] : []);
	el.insert(0, children);
	return el;
}

const heading = (text: string): Block => ({ type: 'heading', attrs: { level: 2 }, text });
const paragraph = (text = ''): Block => ({ type: 'paragraph', text });

export interface TemplateOptions {
	/** Fishbone categories of an analysis. */
	fishbone: FishboneTemplate;
}

/**
 * What a new document of each kind starts with: an analysis has the problem statement, a fishbone
 * with one bone per category and a place for the 5-why chains; a plan has its targets, one measure
 * with its fields, and safeguards (domain.md §3).
 */
export function templateBlocks(kind: CreatableKind, o: TemplateOptions): Block[] {
	switch (kind) {
		case 'notes':
			// Free notes start empty (the editor shows its own first line); only the schema version is written.
			return [];
		case 'analysis':
			return [
				heading('问题描述'),
				{ type: 'problem', attrs: { project: '', symptom: '' }, children: [paragraph()] },
				heading(o.fishbone === '5m1e' ? '原因分析（鱼骨图：人、机、料、法、环、测）' : '原因分析（鱼骨图：重点项目推进）'),
				...fishboneTemplates[o.fishbone].map((category) => ({ type: 'causeGroup', attrs: { category }, children: [{ type: 'cause', attrs: { key: false }, children: [paragraph()] }] })),
				heading('关键原因与5Why'),
				paragraph('将关键原因标记为△，并在其下逐层追问“为什么”。')
			];
		case 'plan':
			return [
				heading('整改目标'),
				paragraph(),
				heading('整改措施'),
				{ type: 'measure', attrs: { responsibleUnit: '', supportingUnits: '', deadline: '', criteria: '', type: '', causes: '' }, children: [paragraph()] },
				heading('保障措施'),
				paragraph()
			];
	}
}

/** Writes the template of `kind` into a new, empty document, with the editor schema version it needs. */
export function seedTemplate(doc: Y.Doc, kind: CreatableKind, o: TemplateOptions): void {
	seedBlocks(doc, templateBlocks(kind, o));
}

/** Writes `blocks` into a new, empty document, with the editor schema version it needs. */
export function seedBlocks(doc: Y.Doc, blocks: Block[]): void {
	doc.getMap(metaMap).set('schema', editorSchemaVersion);
	doc.getXmlFragment(editorField).insert(0, blocks.map(element));
}
