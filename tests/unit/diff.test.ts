import { expect, test } from 'vitest';
import { diffText } from '../../src/lib/shared/diff.js';

test('a character diff of Chinese text keeps what is common and names what changed', () => {
	expect(diffText('30日内完成剩余交地', '45日内完成剩余交地')).toEqual([
		{ op: '-', text: '30' },
		{ op: '+', text: '45' },
		{ op: '=', text: '日内完成剩余交地' }
	]);
	expect(diffText('成立征拆专班', '成立市级征拆专班')).toEqual([
		{ op: '=', text: '成立' },
		{ op: '+', text: '市级' },
		{ op: '=', text: '征拆专班' }
	]);
	expect(diffText('同', '同')).toEqual([{ op: '=', text: '同' }]);
	expect(diffText('', '新')).toEqual([{ op: '+', text: '新' }]);
});

test('rare characters outside the BMP are one character each, and long texts are compared whole', () => {
	expect(diffText('𠮷田县', '𠮷野县')).toEqual([
		{ op: '=', text: '𠮷' },
		{ op: '-', text: '田' },
		{ op: '+', text: '野' },
		{ op: '=', text: '县' }
	]);
	expect(diffText('甲'.repeat(30), '乙'.repeat(30), 20)).toEqual([
		{ op: '-', text: '甲'.repeat(30) },
		{ op: '+', text: '乙'.repeat(30) }
	]);
});
