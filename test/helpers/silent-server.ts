// Servers that are not a working Redis, on a free loopback port: one that accepts TCP connections and
// never sends a byte, and an HTTP server (what a wrong port often is). Both keep count of what came in.
import http from 'node:http';
import net from 'node:net';

export type FakeServer = {
	readonly host: string;
	readonly port: number;
	/** redis://[:password@]host:port/0 */
	url(password?: string): string;
	/** Connections accepted so far. */
	accepted(): number;
	/** Bytes received so far (what the client sent; the silent server only). */
	received(): Buffer;
	close(): Promise<void>;
};

function listen(server: net.Server): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
	});
}

function fake(server: net.Server, port: number, sockets: Set<net.Socket>, input?: Buffer[]): FakeServer {
	let accepted = 0;
	server.on('connection', (socket: net.Socket) => {
		accepted++;
		sockets.add(socket);
		if (input) socket.on('data', (chunk: Buffer) => input.push(chunk));
		socket.on('error', () => {});
		socket.on('close', () => sockets.delete(socket));
	});
	return {
		host: '127.0.0.1',
		port,
		url: (password) => `redis://${password === undefined ? '' : `:${password}@`}127.0.0.1:${port}/0`,
		accepted: () => accepted,
		received: () => Buffer.concat(input ?? []),
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

/** Accepts every connection, reads what comes, never writes and never closes. */
export async function startSilentServer(): Promise<FakeServer> {
	const sockets = new Set<net.Socket>();
	const input: Buffer[] = [];
	// allowHalfOpen: a client's FIN does not close our side either; the server stays mute.
	const server = net.createServer({allowHalfOpen: true});
	const port = await listen(server);
	return fake(server, port, sockets, input);
}

/** Node's HTTP server: RESP is a malformed request to it, answered `HTTP/1.1 400 Bad Request`. */
export async function startHttpServer(): Promise<FakeServer> {
	const sockets = new Set<net.Socket>();
	const server = http.createServer((_request, response) => response.end('hello\n'));
	const port = await listen(server);
	return fake(server, port, sockets);
}
