// Every binary a test spawns gets a HOME and XDG dirs of its own (a fresh temporary folder), so
// nothing a test runs can read the user's configuration or write to the user's audit log or history.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** A fresh HOME with its own XDG dirs; `base` is the environment to start from (default process.env). */
export function hermeticEnv(
	extra: Record<string, string | undefined> = {},
	base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
	const home = mkdtempSync(join(tmpdir(), 'celerytop-home-'));
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
	Object.assign(env, {
		HOME: home,
		XDG_STATE_HOME: join(home, '.local/state'),
		XDG_CONFIG_HOME: join(home, '.config'),
		XDG_CACHE_HOME: join(home, '.cache'),
		XDG_DATA_HOME: join(home, '.local/share'),
	});
	delete env['CELERY_BROKER_URL'];
	delete env['CELERYTOP_AUDIT_LOG'];
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) delete env[key];
		else env[key] = value;
	}
	return env;
}
