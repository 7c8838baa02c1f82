import { z } from 'zod';
import { dateSchema } from './agenda';

/**
 * The structured blocks of analyses and plans, shared by the browser's editor nodes and the server
 * (templates, the guard that stamps authors and checks measure fields, reading blocks back).
 */

/**
 * The editor schema version. Documents record the highest version that wrote them (`meta.schema`);
 * a browser with an older version is refused with close code 4426 and asked to reload, because
 * the ProseMirror binding would otherwise drop the nodes it does not know, silently.
 * History: 1 = problem, causeGroup, cause, whyChain, why, measure and block ids; 2 = minutesItem,
 * the `promoted` mark and the measure's supporting units (配合单位); 3 = the minutes item's
 * resolution number (`number`).
 */
export const editorSchemaVersion = 3;

/** The URL parameter of the sync connection that carries the browser's schema version. */
export const schemaParam = 'schema';

/** The Y.XmlFragment the editor binds to, and the map holding the document's schema version. */
export const editorField = 'default';
export const metaMap = 'meta';

/**
 * Every element the editor's schema has (ProseMirror node types but for `doc` and `text`, which are
 * not elements in the shared document). The server refuses any other element in a document, and the
 * browser test of the editor checks that this list is its schema's.
 */
export const editorNodeNames = [
	'paragraph',
	'heading',
	'blockquote',
	'bulletList',
	'orderedList',
	'listItem',
	'codeBlock',
	'hardBreak',
	'horizontalRule',
	'table',
	'tableRow',
	'tableHeader',
	'tableCell',
	'problem',
	'causeGroup',
	'cause',
	'whyChain',
	'why',
	'measure',
	'minutesItem'
] as const;

/** Nodes that carry a stable `blockId` (unique within the document, kept unique under copy, paste and split). */
export const blockIdNodes = ['paragraph', 'heading', 'blockquote', 'listItem', 'problem', 'causeGroup', 'cause', 'why', 'measure'] as const;

/** Blocks that may be proposed for the minutes; they carry `promoted` (`<minutesDocId>#<itemId>`) once approved. */
export const promotableNodes = ['paragraph', 'problem', 'cause', 'why', 'measure'] as const;

/** The minutes' frozen copy of an approved block: written by the server only. */
export const minutesItemNode = 'minutesItem';

/** What the minutes keep of a block: its kind, its text and, for a measure, its fields. */
export interface BlockSnapshot {
	kind: string;
	text: string;
	key?: boolean;
	fields?: { responsibleUnit: string; supportingUnits?: string; deadline: string; type: string; criteria: string };
}

/** The id of the minutes item of a proposal (a block id of the minutes document). */
export const minutesItemId = (proposalId: string) => `item-${proposalId}`;

/** Nodes whose author the server stamps from the session (`author`: JSON of id, name, unit, unitType). */
export const authoredNodes = ['problem', 'cause', 'why', 'measure'] as const;

export const blockIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,32}$/);

/** A new block id: 10 characters of base 36 from the crypto RNG. */
export function newBlockId(): string {
	const bytes = new Uint8Array(10);
	crypto.getRandomValues(bytes);
	return [...bytes].map((b) => (b % 36).toString(36)).join('');
}

/** Fishbone categories (domain.md §3.1): 5M1E for quality problems, project delivery for delays. */
export const fishboneTemplates = {
	'5m1e': ['人', '机', '料', '法', '环', '测'],
	delivery: ['前期与审批', '要素保障', '资金', '设计与技术', '施工组织', '外部协调', '监管与考核']
} as const;
export type FishboneTemplate = keyof typeof fishboneTemplates;

/** 整改类型. */
export const measureTypes = ['立行立改', '限期整改', '分阶段整改', '持续整改'] as const;

/** A one-line field's value: no line breaks, tabs or other control characters (the editor turns pasted ones into spaces). */
const oneLine = (max: number) => z.string().max(max).regex(/^\P{Cc}*$/u);

/** The fields of a measure and what each may hold ('' = not filled in yet). */
export const measureFields = {
	responsibleUnit: oneLine(128),
	/** 配合单位, separated by 、 */
	supportingUnits: oneLine(300),
	deadline: z.union([dateSchema, z.literal('')]),
	criteria: oneLine(500),
	type: z.union([z.enum(measureTypes), z.literal('')]),
	/** Linked causes: block ids, comma-separated. */
	causes: z.string().regex(/^([A-Za-z0-9_-]{6,32}(,[A-Za-z0-9_-]{6,32}){0,49})?$/)
} as const;
export type MeasureField = keyof typeof measureFields;
export const measureFieldNames = Object.keys(measureFields) as MeasureField[];

/** The fields of a measure one may suggest a new value for (its linked causes are chosen, not written). */
export const suggestableFields = ['responsibleUnit', 'supportingUnits', 'deadline', 'criteria', 'type'] as const;
export type SuggestableField = (typeof suggestableFields)[number];

/** Their names as the block shows them, for records that outlive the UI's language (the audit log). */
export const measureFieldTitles: Record<SuggestableField, string> = {
	responsibleUnit: '责任主体',
	supportingUnits: '配合单位',
	deadline: '时间节点',
	criteria: '考核标准',
	type: '整改类型'
};

/** True when `value` may be stored in measure field `field`. */
export function measureFieldValid(field: MeasureField, value: unknown): boolean {
	return measureFields[field].safeParse(value).success;
}

/** The problem statement's fields: the project and the quantified symptom. */
export const problemFields = { project: oneLine(200), symptom: oneLine(300) } as const;

export interface BlockAuthor {
	id: string;
	name: string;
	unit: string;
	unitType: string;
}

/** "name · unit（unit type）", leaving out what is empty. */
export function personLabel(name: string, unit: string, unitType: string): string {
	return `${name}${unit ? ` · ${unit}` : ''}${unitType ? `（${unitType}）` : ''}`;
}

/** The author stamped on a block, or null when it has none (or it is not valid JSON of one). */
export function parseAuthor(value: unknown): BlockAuthor | null {
	if (typeof value !== 'string') return null;
	try {
		const a = JSON.parse(value) as Partial<BlockAuthor>;
		return typeof a.id === 'string' && typeof a.name === 'string' ? { id: a.id, name: a.name, unit: a.unit ?? '', unitType: a.unitType ?? '' } : null;
	} catch {
		return null;
	}
}
