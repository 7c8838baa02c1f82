import JSZip from 'jszip';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan } from '../helpers/ledger.js';

// The per-connection work budget is what keeps one writer from building a document this size quickly;
// it is raised here so that the test can.
const f = useUsers({ env: { CONCORD_MAX_UPDATE_CPU_MS_PER_SECOND: '60000', CONCORD_MAX_UPDATE_ELEMENTS: '10000' } });

const frag = (doc: Y.Doc) => doc.getXmlFragment('default');
/** The text of an element and everything below it. */
const plain = (el: Y.XmlElement): string => el.toArray().map((c) => (c instanceof Y.XmlText ? c.toString() : plain(c as Y.XmlElement))).join('');
const paragraph = (text: string) => {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	return p;
};

test('minutes past the print limits are refused with 413 export_too_large, and export again once shortened', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '超大纪要');
	const plan = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [{ text: '成立市级征拆专班', responsibleUnit: '甲省江州市人民政府', deadline: '2025-08-31' }]);
	await approve(f.server.url, f.admin, f.alice, plan.planId, plan.measureIds);
	const t = { conferenceId, minutesId: `minutes_${conferenceId}` };
	const writer = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
	try {
		// 20,001 paragraphs, sent in updates under the per-update limits, each one after the last arrived.
		const total = 20_001;
		const fresh = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
		const held = () => xmlElements(frag(fresh.doc), 'paragraph').filter((p) => plain(p).includes('段')).length;
		for (let at = 0; at < total; at += 4_000) {
			frag(writer.doc).push(Array.from({ length: Math.min(4_000, total - at) }, (_, i) => paragraph(`第${at + i}段`)));
			await waitFor(() => held() === Math.min(at + 4_000, total), `the server holds ${Math.min(at + 4_000, total)} paragraphs (${held()})`, 30_000);
		}
		fresh.destroy();
		const res = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/exports/minutes.docx`, { cookie: f.admin.cookie });
		expect(res.status).toBe(413);
		expect(res.body.error.code).toBe('export_too_large');

		const paragraphs = xmlElements(frag(writer.doc), 'paragraph').filter((p) => plain(p).includes('段'));
		frag(writer.doc).delete(frag(writer.doc).toArray().indexOf(paragraphs[0]), paragraphs.length);
		const exported = async () => (await fetch(`${f.server.url}/api/conferences/${t.conferenceId}/exports/minutes.docx`, { headers: { cookie: f.admin.cookie } })).arrayBuffer();
		await waitFor(async () => {
			const file = await exported();
			return (await JSZip.loadAsync(file).catch(() => null)) !== null;
		}, 'the export works again');
		const xml = await (await JSZip.loadAsync(await exported())).file('word/document.xml')!.async('string');
		expect(xml).toContain('成立市级征拆专班');
		expect(xml).not.toContain('第0段');
	} finally {
		writer.destroy();
	}
}, 120_000);
