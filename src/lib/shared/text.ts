/** True when `text` holds nothing a reader would see (spaces, zero-width and format characters only): no reason at all. */
export const isBlank = (text: string) => text.replace(/[\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]/gu, '') === '';

/** C0/C1 controls (but tab and line breaks), U+FFFE/U+FFFF and lone surrogates: invisible here, and no spreadsheet or document can hold them. */
export const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

/** Bidirectional embeddings, overrides and isolates: they reorder what a reader sees (名称 shown backwards in the minutes). */
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/u;

/** Text no name, title or reason may hold: control characters or bidirectional overrides. */
export const hasUnsafeCharacters = (text: string) => controlCharacters.test(text) || bidiControls.test(text);

/** True when `text` holds a control character or a non-character (see `controlCharacters`). */
export const hasControlCharacters = (text: string) => controlCharacters.test(text);
