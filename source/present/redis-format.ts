// Pure text for the Redis views: bytes, durations, TTLs, ratios and sparklines.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → '1.5 KB' (binary units, one decimal below 10). */
export function formatBytes(bytes: number | undefined): string {
	if (bytes === undefined || !Number.isFinite(bytes)) return '-';
	let value = Math.abs(bytes);
	let unit = 0;
	while (value >= 1024 && unit < UNITS.length - 1) {
		value /= 1024;
		unit++;
	}
	const text =
		unit === 0 ? String(Math.round(value)) : value < 10 ? value.toFixed(1) : String(Math.round(value));
	return `${bytes < 0 ? '-' : ''}${text} ${UNITS[unit]}`;
}

/** Seconds → '45s', '12m 5s', '3h 20m', '2d 4h'; negative values get a leading '-'. */
export function formatSeconds(seconds: number | undefined): string {
	if (seconds === undefined || !Number.isFinite(seconds)) return '-';
	const sign = seconds < 0 ? '-' : '';
	let s = Math.floor(Math.abs(seconds));
	if (s < 60) return `${sign}${s}s`;
	const d = Math.floor(s / 86_400);
	s -= d * 86_400;
	const h = Math.floor(s / 3600);
	s -= h * 3600;
	const m = Math.floor(s / 60);
	s -= m * 60;
	if (d > 0) return `${sign}${d}d ${h}h`;
	if (h > 0) return `${sign}${h}h ${m}m`;
	return `${sign}${m}m ${s}s`;
}

/** Redis TTL seconds → 'none' (-1), 'gone' (-2), else a duration. */
export function formatTtl(ttl: number): string {
	if (ttl === -1) return 'none';
	if (ttl < -1) return 'gone';
	return formatSeconds(ttl);
}

export function formatPercent(ratio: number | undefined, digits = 1): string {
	if (ratio === undefined || !Number.isFinite(ratio)) return '-';
	return `${(ratio * 100).toFixed(digits)}%`;
}

const BARS = '▁▂▃▄▅▆▇█';

/** The last `width` values as a sparkline scaled between their min and max. */
export function sparkline(values: readonly number[], width = 30): string {
	const tail = values.slice(-width).filter((v) => Number.isFinite(v));
	if (tail.length === 0) return '';
	const min = Math.min(...tail);
	const max = Math.max(...tail);
	const span = max - min;
	return tail.map((v) => BARS[span === 0 ? 0 : Math.min(7, Math.floor(((v - min) / span) * 8))]).join('');
}
