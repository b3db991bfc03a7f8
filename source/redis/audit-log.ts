// Every control command sent is appended to an audit log: one JSON line per command.
import {appendFileSync, mkdirSync} from 'node:fs';
import {dirname} from 'node:path';

export type AuditEntry = {
	readonly time: string; // ISO-8601 UTC
	readonly broker: string; // redacted: never the password
	readonly method: string;
	readonly arguments: Readonly<Record<string, unknown>>;
	readonly destination: readonly string[] | null;
	readonly pattern: string | null;
	readonly sent: boolean;
	readonly replies?: Readonly<Record<string, unknown>>;
	readonly error?: string;
};

export type AuditLog = (entry: AuditEntry) => void;

/**
 * An audit log appending to `path` (created with its folder). Writes are synchronous so a CLI
 * command's entry is on disk before the process exits. A failed write is reported once through
 * `onError`, never thrown into the control path.
 */
export function createAuditLog(path: string, onError: (message: string) => void): AuditLog {
	let failed = false;
	return (entry) => {
		try {
			mkdirSync(dirname(path), {recursive: true});
			appendFileSync(path, JSON.stringify(entry) + '\n', {mode: 0o600});
		} catch (error) {
			if (!failed) onError(`audit log ${path} not written: ${(error as Error).message}`);
			failed = true;
		}
	};
}
