// Lean load clients speaking the raw protocols. Editors make real Yjs updates (a tiny Y.Doc each);
// receivers never build a Y.Doc: they find the markers in the bytes they receive. That keeps one
// generator process able to drive hundreds of sockets on a 2-core machine.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';

const markerHead = Buffer.from('#M');

/** `#M` + 4-digit editor + 7-digit sequence + `#`: plain ASCII, so it survives Yjs encoding intact. */
export function marker(editor, seq) {
	return `#M${String(editor).padStart(4, '0')}${String(seq).padStart(7, '0')}#`;
}

const digits = (buf, from, n) => {
	let v = 0;
	for (let i = from; i < from + n; i++) v = v * 10 + (buf[i] - 48);
	return v;
};

/** Calls `fn(editor, seq)` for every marker in `buf`. */
export function scanMarkers(buf, fn) {
	let i = buf.indexOf(markerHead);
	while (i !== -1 && i + 13 < buf.length) {
		if (buf[i + 13] === 35) fn(digits(buf, i + 2, 4), digits(buf, i + 6, 7));
		i = buf.indexOf(markerHead, i + 2);
	}
}

function frame(docName, write) {
	const e = encoding.createEncoder();
	if (docName !== null) encoding.writeVarString(e, docName);
	write(e);
	return encoding.toUint8Array(e);
}

const emptyUpdate = Y.encodeStateAsUpdate(new Y.Doc());

/**
 * One socket on one document. `onData(buf, kind)` sees every document payload: kind 'step2' or 'update'.
 * `synced` resolves at the first sync step 2 (for the floor: at open).
 */
export class BenchClient {
	constructor(target, doc, { onData, editorDoc = null, viewer = false } = {}) {
		this.flavor = target.flavor;
		this.docName = this.flavor === 'hocus' ? doc : null;
		this.onData = onData ?? (() => {});
		this.editorDoc = editorDoc;
		const headers = viewer && target.viewerHeaders ? target.viewerHeaders : target.headers;
		this.ws = new WebSocket(target.url(doc), { headers, perMessageDeflate: false });
		this.ws.binaryType = 'nodebuffer';
		this.closed = false;
		this.synced = new Promise((resolve, reject) => {
			this.resolveSynced = resolve;
			this.ws.once('error', reject);
		});
		this.opened = new Promise((resolve, reject) => {
			this.ws.once('open', resolve);
			this.ws.once('error', reject);
			this.ws.once('unexpected-response', (_q, res) => reject(new Error(`refused: ${res.statusCode}`)));
		});
		this.ws.on('open', () => this.onOpen());
		this.ws.on('message', (data) => this.onMessage(data));
		this.ws.on('close', () => (this.closed = true));
		this.ws.on('error', () => {});
	}

	onOpen() {
		if (this.flavor === 'raw') {
			this.resolveSynced();
			return;
		}
		if (this.flavor === 'hocus') {
			// Hocuspocus wants an auth message (type 2, token) before anything else on a document.
			this.send(frame(this.docName, (e) => {
				encoding.writeVarUint(e, 2);
				encoding.writeVarUint(e, 0);
				encoding.writeVarString(e, 'bench');
			}));
		}
		const sv = this.editorDoc ? Y.encodeStateVector(this.editorDoc) : new Uint8Array([0]);
		this.send(frame(this.docName, (e) => {
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint(e, 0);
			encoding.writeVarUint8Array(e, sv);
		}));
	}

	onMessage(buf) {
		if (this.flavor === 'raw') {
			this.onData(buf, 'update');
			return;
		}
		const d = decoding.createDecoder(buf);
		if (this.docName !== null) decoding.readVarString(d);
		const type = decoding.readVarUint(d);
		if (type !== 0) return;
		const step = decoding.readVarUint(d);
		if (step === 0) {
			const reply = this.editorDoc ? Y.encodeStateAsUpdate(this.editorDoc, decoding.readVarUint8Array(d)) : emptyUpdate;
			this.send(frame(this.docName, (e) => {
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint(e, 1);
				encoding.writeVarUint8Array(e, reply);
			}));
		} else if (step === 1) {
			this.onData(buf, 'step2');
			this.resolveSynced();
		} else if (step === 2) {
			this.onData(buf, 'update');
		}
	}

	send(bytes) {
		if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes);
	}

	/** Sends a document update as this protocol wants it. */
	sendUpdate(update) {
		if (this.flavor === 'raw') this.send(update);
		else
			this.send(frame(this.docName, (e) => {
				encoding.writeVarUint(e, 0);
				encoding.writeVarUint(e, 2);
				encoding.writeVarUint8Array(e, update);
			}));
	}

	/** Sends a presence (awareness) update for `clientId`, as y-websocket clients renew it. */
	sendAwareness(clientId, clock, state) {
		const update = frame(null, (e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint(e, clientId);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, JSON.stringify(state));
		});
		if (this.flavor === 'raw') return;
		this.send(frame(this.docName, (e) => {
			encoding.writeVarUint(e, 1);
			encoding.writeVarUint8Array(e, update);
		}));
	}

	close() {
		this.ws.terminate();
	}
}

/** An editor: a Y.Doc of its own whose every insertion is sent at once as a real Yjs update. */
export class BenchEditor {
	constructor(target, doc, index, opts = {}) {
		this.index = index;
		this.seq = 0;
		this.ydoc = new Y.Doc();
		this.text = this.ydoc.getText('t');
		this.client = new BenchClient(target, doc, { ...opts, editorDoc: this.ydoc });
		this.ydoc.on('update', (update, origin) => {
			if (origin === 'bench') this.client.sendUpdate(update);
		});
	}

	/** Inserts the next marker; returns it as a number key. */
	insert() {
		const seq = ++this.seq;
		this.ydoc.transact(() => this.text.insert(0, marker(this.index, seq)), 'bench');
		return this.index * 1e7 + seq;
	}
}
