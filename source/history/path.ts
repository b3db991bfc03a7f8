// Where the history of a broker lives by default, and how the broker is named inside the file: host,
// port and db only, never a user name or password. Pure (string work on the config and environment).
import type {Connection} from '../ports/connection.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `redis.internal:6379/1`, `/run/redis.sock/0`, `sentinel mymaster/0`: no credentials. */
export function brokerIdentity(connection: Connection): string {
	if (connection.sentinel) return `sentinel ${connection.sentinel.masterName ?? '?'}/${connection.db}`;
	if (connection.path !== undefined) return `${connection.path}/${connection.db}`;
	const host = connection.host.includes(':') ? `[${connection.host}]` : connection.host;
	return `${host}:${connection.port}/${connection.db}`;
}

/** Letters, digits, dot, dash and underscore kept; anything else (`/`, `:`, `%`, spaces) becomes `_`. */
export function fileNamePart(text: string): string {
	const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
	return cleaned.slice(0, 100) || '_';
}

/** `$XDG_STATE_HOME/celerytop/history-<host>-<port>-<db>.sqlite` (else under ~/.local/state). */
export function defaultHistoryPath(connection: Connection, env: Env): string | undefined {
	const base = env['XDG_STATE_HOME'] || (env['HOME'] ? `${env['HOME']}/.local/state` : undefined);
	if (base === undefined) return undefined;
	const where = connection.sentinel
		? `sentinel-${fileNamePart(connection.sentinel.masterName ?? '')}`
		: connection.path !== undefined
			? `socket-${fileNamePart(connection.path.replace(/^\/+/, ''))}`
			: `${fileNamePart(connection.host)}-${connection.port}`;
	return `${base}/celerytop/history-${where}-${connection.db}.sqlite`;
}
