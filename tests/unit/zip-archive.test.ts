import { expect, test } from 'vitest';
import { ZipBombError, ZipFormatError, checkZipBounds, streamEntry, zipEntries } from '../../server/domain/zip-archive.js';
import { deflatedFill, stored, zipOf } from '../helpers/zip-files.js';

const bounds = { maxEntries: 10, maxTotalBytes: 8 * 1024 * 1024, maxRatio: 100, ratioFloorBytes: 1024 * 1024 };

test('the entries are those of the central directory: a name in the comment is none, and a comment ending in another archive makes the file unreadable', () => {
	const bytes = zipOf([stored('readme.txt', '说明')], 'xl/workbook.xml');
	expect(zipEntries(bytes).map((e) => e.name)).toEqual(['readme.txt']);
	expect(() => zipEntries(bytes.subarray(0, bytes.length - 1))).toThrow(ZipFormatError);
	const inner = Buffer.from(zipOf([stored('xl/workbook.xml', '<workbook/>')])).toString('latin1');
	expect(() => zipEntries(zipOf([stored('readme.txt', '说明')], inner))).toThrow(ZipFormatError);
});

test('declared sizes beyond the bounds are a zip bomb, found without inflating anything', async () => {
	const bomb = zipOf([await deflatedFill('xl/worksheets/sheet1.xml', '<a>', 64 * 1024 * 1024, '</a>')]);
	expect(bomb.length).toBeLessThan(256 * 1024);
	expect(() => checkZipBounds(zipEntries(bomb), bounds)).toThrow(/inflates \d+ times/);
	expect(() => checkZipBounds(zipEntries(bomb), { ...bounds, maxRatio: 10_000 })).toThrow(/bytes unpacked/);
	const many = zipOf(Array.from({ length: 11 }, (_, i) => stored(`f${i}`, 'x')));
	expect(() => checkZipBounds(zipEntries(many), bounds)).toThrow(ZipBombError);
});

test('an entry that inflates beyond its declared size is refused after that many bytes', async () => {
	const entry = await deflatedFill('xl/worksheets/sheet1.xml', '<a>', 4 * 1024 * 1024, '</a>');
	const lying = zipOf([{ ...entry, size: 1024 }]);
	let seen = 0;
	await expect(
		streamEntry(lying, zipEntries(lying)[0], (chunk) => {
			seen += chunk.length;
			return true;
		})
	).rejects.toThrow(/beyond its declared size/);
	expect(seen).toBeLessThanOrEqual(1024);
});
