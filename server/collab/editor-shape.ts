import * as Y from 'yjs';
import { editorField, editorNodeNames } from '../../src/lib/shared/blocks.js';
import type { Container, ShapeRule } from './update-check.js';

const known = new Set<string>(editorNodeNames);

const element = (item: Y.Item): Y.XmlElement | null =>
	item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement ? item.content.type : null;

/**
 * What the editor's document may hold, as the editor itself writes it: blocks (elements of the
 * editor's schema) at the top; elements or text inside an element; characters and formatting inside
 * text; attributes on elements only. Anything else (a bare value or text at the top, a value inside a
 * paragraph, an unknown element) makes every browser that opens the document fail to draw it and
 * show it empty, and the next keystroke there would replace the whole document.
 */
export const editorShape: ShapeRule = {
	root: editorField,
	problem(item: Y.Item, container: Container, attribute: boolean): string | null {
		// Content already deleted (a reconnecting client sends placeholders for it) holds nothing.
		if (item.content instanceof Y.ContentDeleted) return null;
		if (attribute) return typeof container === 'object' ? null : 'an attribute outside an element';
		const el = element(item);
		if (el !== null && !known.has(el.nodeName)) return `an element the editor does not know (${el.nodeName.slice(0, 40)})`;
		if (container === 'root') return el !== null ? null : 'content other than a block at the top of the document';
		if (container === 'text') return item.content instanceof Y.ContentString || item.content instanceof Y.ContentFormat ? null : 'content other than text in a text';
		if (typeof container === 'object') return el !== null || (item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlText) ? null : 'a value inside an element';
		return 'content in a type the editor does not use';
	}
};
