/** True when `text` holds nothing a reader would see (spaces, zero-width and format characters only): no reason at all. */
export const isBlank = (text: string) => text.replace(/[\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]/gu, '') === '';
