import { expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { editorText, openDocument, useTwoBrowsers } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';

const { f, pages } = useTwoBrowsers();

const count = (text: string, part: string) => text.split(part).length - 1;

test('a pinyin composition while someone else types in the same paragraph: no duplicated, dropped or split characters', async () => {
	const docId = await createDocument(f.server.url, f.alice, '输入法测试');
	await openDocument(pages.alice, f.server.url, docId);
	await openDocument(pages.bob, f.server.url, docId);

	await pages.alice.click('.ProseMirror');
	await pages.alice.keyboard.type('问题：');
	await waitFor(async () => (await editorText(pages.bob)) === '问题：', 'Bob has the paragraph');

	const cdp = await pages.alice.context().newCDPSession(pages.alice);
	// Alice composes "zhengdi" letter by letter at the end of the paragraph…
	let typed = '';
	for (const letter of 'zhengdi') {
		typed += letter;
		await cdp.send('Input.imeSetComposition', { text: typed, selectionStart: typed.length, selectionEnd: typed.length });
		if (typed === 'zhe') {
			// …while Bob types at the start of the same paragraph.
			await pages.bob.click('.ProseMirror');
			await pages.bob.keyboard.press('Home');
			await pages.bob.keyboard.type('【交通组】');
		}
	}
	// Give Bob's change time to reach Alice while her composition is still open.
	await waitFor(async () => (await editorText(pages.bob)).startsWith('【交通组】'), 'Bob typed');
	await new Promise((r) => setTimeout(r, 300));
	await cdp.send('Input.insertText', { text: '征地拆迁𠮷' });

	const expected = '【交通组】问题：征地拆迁𠮷';
	await waitFor(async () => (await editorText(pages.alice)) === expected && (await editorText(pages.bob)) === expected, 'both converge', 15_000);
	const text = await editorText(pages.alice);
	expect(count(text, '征地拆迁𠮷')).toBe(1);
	expect(text).not.toMatch(/[a-z]/);

	// And the server has exactly that.
	await pages.alice.waitForSelector('.status[data-status="saved"]');
	await pages.bob.reload();
	await pages.bob.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => (await editorText(pages.bob)) === expected, 'stored');
});
