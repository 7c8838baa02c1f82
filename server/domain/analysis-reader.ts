import * as Y from 'yjs';
import { editorField } from '../../src/lib/shared/blocks.js';
import { attrText, readCauses, textOf } from './block-reader.js';

/** What a case takes from a root-cause analysis: its problem statement and its causes, key ones with their 5-why chains. */
export interface AnalysisContent {
	/** The problem statement's project and quantified symptom, and its text. */
	project: string;
	symptom: string;
	statement: string;
	causes: { text: string; key: boolean; category: string; whys: string[] }[];
}

function* elements(parent: Y.XmlElement | Y.XmlFragment): Generator<Y.XmlElement> {
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlElement) {
			yield child;
			yield* elements(child);
		}
	}
}

/** The 5-why steps under the cause with block id `causeId`, in order. */
function whysOf(doc: Y.Doc, causeId: string): string[] {
	for (const el of elements(doc.getXmlFragment(editorField))) {
		if (el.nodeName !== 'cause' || attrText(el, 'blockId') !== causeId) continue;
		const chain = el.toArray().find((c): c is Y.XmlElement => c instanceof Y.XmlElement && c.nodeName === 'whyChain');
		return chain ? chain.toArray().flatMap((w) => (w instanceof Y.XmlElement && w.nodeName === 'why' ? [textOf(w).trim()] : [])).filter(Boolean) : [];
	}
	return [];
}

/** The analysis as a case reads it: the first problem statement, and every cause that has text. */
export function readAnalysis(doc: Y.Doc): AnalysisContent {
	let problem: Y.XmlElement | null = null;
	for (const el of elements(doc.getXmlFragment(editorField))) {
		if (el.nodeName === 'problem') {
			problem = el;
			break;
		}
	}
	return {
		project: problem ? attrText(problem, 'project').trim() : '',
		symptom: problem ? attrText(problem, 'symptom').trim() : '',
		statement: problem ? textOf(problem).trim() : '',
		causes: readCauses(doc)
			.filter((c) => c.text.trim() !== '')
			.map((c) => ({ text: c.text.trim(), key: c.key, category: c.category, whys: c.key ? whysOf(doc, c.id) : [] }))
	};
}
