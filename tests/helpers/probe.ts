import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { rawSocket } from './clients.js';

/**
 * What a sync connection may do, found on the raw protocol: 'none' when the upgrade is refused,
 * otherwise send a real update and see whether the server acknowledges it as stored ('write') or
 * answers permission-denied ('read').
 */
export async function probeSync(wsBase: string, docId: string, cookie: string): Promise<'none' | 'read' | 'write'> {
	const res = await rawSocket(`${wsBase}`, `${docId}?ack=1`, { cookie });
	if (!('ws' in res)) return 'none';
	const ws = res.ws;
	try {
		const doc = new Y.Doc();
		doc.getText('t').insert(0, '探针');
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc));
		const answer = new Promise<'read' | 'write'>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no answer to a probe update')), 5000);
			ws.on('message', (data: Buffer) => {
				const d = decoding.createDecoder(new Uint8Array(data));
				const type = decoding.readVarUint(d);
				if (type === 2) {
					clearTimeout(timer);
					resolve('read');
				} else if (type === 8 && decoding.readVarUint(d) >= 1) {
					clearTimeout(timer);
					resolve('write');
				}
			});
		});
		ws.send(encoding.toUint8Array(e));
		return await answer;
	} finally {
		ws.terminate();
	}
}
