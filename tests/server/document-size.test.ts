import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';

/**
 * A document has a size limit: past it a client's change is refused (4414) and nothing of it is
 * stored; the organizers are told; every other document goes on.
 */
const limit = 256 * 1024;
const f = useUsers({ env: { CONCORD_MAX_DOCUMENT_BYTES: String(limit) } });

/** The first `live` server-sent event of `type` on the conference's stream. */
async function nextEvent(conferenceId: string, cookie: string, type: string, signal: AbortSignal): Promise<{ type: string; scope: string }> {
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/events`, { headers: { cookie }, signal });
	const reader = res.body!.getReader();
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) throw new Error('stream ended');
		buffer += new TextDecoder().decode(value);
		for (const block of buffer.split('\n\n')) {
			const data = /^data: (.*)$/m.exec(block)?.[1];
			if (block.includes('event: live') && data) {
				const e = JSON.parse(data) as { type: string; scope: string };
				if (e.type === type) return e;
			}
		}
	}
}

test('growing a document past its limit closes the writer with 4414, stores nothing more, and tells the organizers', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '文档大小上限会');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '能源组');
	await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.bob.cookie, body: { title: '过大的文档', breakoutId } })).body.id as string;
	const aborter = new AbortController();
	const told = nextEvent(conferenceId, f.admin.cookie, 'document-full', aborter.signal);

	const writer = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	let code = 0;
	writer.provider.on('connection-close', (e: { code: number } | null) => {
		if (e !== null && code === 0) code = e.code;
	});
	const chunk = '电站送出工程进度滞后说明'.repeat(1500); // about 54 KB in UTF-8
	for (let i = 0; i < 8 && code === 0; i++) {
		writer.text.insert(writer.text.length, chunk);
		await new Promise((r) => setTimeout(r, 100));
	}
	await waitFor(() => code !== 0, 'the writer is closed');
	expect(code).toBe(4414);
	writer.destroy();

	const reader = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	expect(reader.text.length % chunk.length).toBe(0);
	expect(Buffer.byteLength(reader.text.toString())).toBeLessThanOrEqual(limit);
	reader.destroy();

	expect((await told).scope).toBe(docId);
	aborter.abort();
	await waitFor(async () => {
		const log = await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=document.full`, { cookie: f.admin.cookie });
		return log.status === 200 && (log.body.entries as Array<{ target: string }>).some((e) => e.target === '过大的文档');
	}, 'the audit log names the document');

	// Another document is not affected.
	const other = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.bob.cookie, body: { title: '另一文档', breakoutId } })).body.id as string;
	const ok = await syncedClient(f.server.wsUrl, other, f.bob.cookie);
	ok.text.insert(0, '正常写入');
	const check = await syncedClient(f.server.wsUrl, other, f.bob.cookie);
	await waitFor(() => check.text.toString() === '正常写入', 'the other document takes writes');
	ok.destroy();
	check.destroy();
});
