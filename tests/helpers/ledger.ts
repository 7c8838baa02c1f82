import * as Y from 'yjs';
import { type Session, api, ownConnection } from './api.js';
import { syncedClient, waitFor, xmlElements } from './clients.js';
import { newMember, putMember } from './conference.js';
import { withOrigin } from './origin.js';

export interface MeasureInput {
	text: string;
	responsibleUnit: string;
	supportingUnits?: string;
	deadline: string;
	criteria?: string;
}

/** A breakout (交通组 unless told) with a plan whose measures are written by `author` over sync. */
export async function breakoutWithPlan(
	url: string,
	wsUrl: string,
	admin: Session,
	conferenceId: string,
	author: Session,
	measures: MeasureInput[],
	breakout = { name: '交通组', sector: '交通' }
) {
	const breakoutId = (await api(url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: admin.cookie, body: breakout })).body.id as string;
	await putMember(url, admin, conferenceId, author.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const planId = (await api(url, 'POST', '/api/documents', { cookie: author.cookie, body: { title: 'T1 整改方案', kind: 'plan', breakoutId } })).body.id as string;
	const c = await syncedClient(wsUrl, planId, author.cookie);
	const frag = c.doc.getXmlFragment('default');
	const template = xmlElements(frag, 'measure')[0];
	const ids: string[] = [];
	c.doc.transact(() => {
		measures.forEach((m, i) => {
			let el = template;
			if (i > 0) {
				el = new Y.XmlElement('measure');
				el.setAttribute('blockId', `measure${i}x${Math.random().toString(36).slice(2, 8)}`);
				el.insert(0, [new Y.XmlElement('paragraph')]);
				frag.push([el]);
			}
			(el.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText(m.text)]);
			el.setAttribute('responsibleUnit', m.responsibleUnit);
			el.setAttribute('supportingUnits', m.supportingUnits ?? '');
			el.setAttribute('deadline', m.deadline);
			el.setAttribute('criteria', m.criteria ?? '');
			el.setAttribute('type', '限期整改');
			ids.push(String(el.getAttribute('blockId')));
		});
	});
	await waitFor(async () => {
		const check = await syncedClient(wsUrl, planId, admin.cookie);
		const ok = xmlElements(check.doc.getXmlFragment('default'), 'measure').filter((m) => m.getAttribute('deadline')).length === measures.length;
		check.destroy();
		return ok;
	}, 'the measures are stored');
	c.destroy();
	return { breakoutId, planId, measureIds: ids };
}

/** Proposes the blocks as `author` and approves them as the administrator; returns the proposal ids (= ledger item ids). */
export async function approve(url: string, admin: Session, author: Session, planId: string, blockIds: string[]): Promise<string[]> {
	const proposed = await api(url, 'POST', `/api/documents/${planId}/proposals`, { cookie: author.cookie, body: { blockIds } });
	if (proposed.status !== 201) throw new Error(`propose: ${proposed.status} ${JSON.stringify(proposed.body)}`);
	const ids = (proposed.body.proposals as { id: string }[]).map((p) => p.id);
	for (const id of ids) {
		const res = await api(url, 'POST', `/api/proposals/${id}/approve`, { cookie: admin.cookie });
		if (res.status !== 200) throw new Error(`approve: ${res.status} ${JSON.stringify(res.body)}`);
	}
	return ids;
}

/** A member of the conference with a unit and a role. */
export async function unitMember(url: string, admin: Session, conferenceId: string, username: string, name: string, unit: string, role: 'participant' | 'supervisor' | 'organizer' | 'expert' | 'observer', breakoutIds: string[] = []) {
	const s = await newMember(url, admin, username, name, unit);
	await putMember(url, admin, conferenceId, s.userId, { role, breakoutIds });
	return s;
}

/** A one-pixel PNG: accepted evidence. */
export const png = Uint8Array.from(
	Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
);

/** Posts a progress report as multipart form data, as the page does. */
export async function postReport(
	url: string,
	s: Session,
	itemId: string,
	fields: { progress: string; percent: number | string; difficulties?: string; nextSteps?: string },
	files: { name: string; bytes: Uint8Array; type?: string }[] = []
) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) if (v !== undefined) form.append(k, String(v));
	for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
	const res = await fetch(`${url}/api/ledger/${itemId}/reports`, { method: 'POST', headers: withOrigin(url, { ...ownConnection, cookie: s.cookie }), body: form });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}
