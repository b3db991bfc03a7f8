// Pure: what an overlay (task detail, help, a key's value) is made of, and how many lines it shows.
// Apart from scroll-text.tsx so the models that build overlays load no Ink.

/** One line of an overlay: plain, a heading, or a key/value pair. */
export type Line = {
	readonly text: string;
	readonly color?: string;
	readonly bold?: boolean;
	readonly label?: string;
};

/** Lines an overlay shows at once: border 2, title 1. */
export function overlayRows(height: number): number {
	return Math.max(1, height - 3);
}
