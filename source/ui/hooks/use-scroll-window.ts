// Pure window arithmetic for lists: which rows are visible so the cursor stays on screen.

/** The first visible row: keeps `cursor` within [offset, offset + height). */
export function scrollOffset(cursor: number, previousOffset: number, height: number, total: number): number {
	if (height <= 0 || total <= 0) return 0;
	let offset = Math.min(previousOffset, Math.max(0, total - height));
	if (cursor < offset) offset = cursor;
	if (cursor >= offset + height) offset = cursor - height + 1;
	return Math.max(0, offset);
}

export function clamp(n: number, low: number, high: number): number {
	return Math.max(low, Math.min(high, n));
}
