// The floor: a WebSocket relay that broadcasts every frame to the other sockets on the same path,
// without parsing it. No server can fan out faster than this on the same machine.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const rooms = new Map();
const server = http.createServer((_req, res) => res.end('ok'));
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws, req) => {
	const key = req.url ?? '/';
	let room = rooms.get(key);
	if (!room) rooms.set(key, (room = new Set()));
	room.add(ws);
	ws.on('message', (data, isBinary) => {
		for (const other of room) if (other !== ws) other.send(data, { binary: isBinary });
	});
	ws.on('close', () => {
		room.delete(ws);
		if (room.size === 0) rooms.delete(key);
	});
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`READY ${server.address().port}`));
process.on('SIGTERM', () => process.exit(0));
