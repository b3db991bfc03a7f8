// Render an @xterm/headless screen to SVG: what a person saw in the real terminal, colours included.
import type xterm from '@xterm/headless';

type Terminal = InstanceType<typeof xterm.Terminal>;

const ANSI = [
	'#1e1e1e',
	'#cd3131',
	'#0dbc79',
	'#e5e510',
	'#2472c8',
	'#bc3fbc',
	'#11a8cd',
	'#e5e5e5',
	'#666666',
	'#f14c4c',
	'#23d18b',
	'#f5f543',
	'#3b8eea',
	'#d670d6',
	'#29b8db',
	'#ffffff',
];
const FG = '#d4d4d4';
const BG = '#1e1e1e';

function palette(index: number): string {
	if (index < 16) return ANSI[index]!;
	if (index < 232) {
		const i = index - 16;
		const level = (n: number) => (n === 0 ? 0 : 55 + n * 40);
		const [r, g, b] = [Math.floor(i / 36), Math.floor(i / 6) % 6, i % 6].map(level);
		return `rgb(${r},${g},${b})`;
	}
	const grey = 8 + (index - 232) * 10;
	return `rgb(${grey},${grey},${grey})`;
}

function escapeXml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function terminalToSvg(terminal: Terminal, title = 'celerytop'): string {
	const cw = 8.4;
	const ch = 17;
	const pad = 12;
	const top = 30;
	const width = Math.ceil(terminal.cols * cw + pad * 2);
	const height = Math.ceil(terminal.rows * ch + pad + top);
	const buffer = terminal.buffer.active;
	const out: string[] = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
		`<rect width="100%" height="100%" rx="8" fill="${BG}"/>`,
		`<circle cx="20" cy="15" r="6" fill="#ff5f56"/><circle cx="40" cy="15" r="6" fill="#ffbd2e"/><circle cx="60" cy="15" r="6" fill="#27c93f"/>`,
		`<text x="${width / 2}" y="19" fill="#999" font-family="DejaVu Sans, sans-serif" font-size="12" text-anchor="middle">${escapeXml(title)}</text>`,
		`<g font-family="DejaVu Sans Mono, monospace" font-size="14" xml:space="preserve">`,
	];
	const cell = buffer.getNullCell();
	for (let y = 0; y < terminal.rows; y++) {
		const line = buffer.getLine(buffer.viewportY + y);
		if (!line) continue;
		let x = 0;
		while (x < terminal.cols) {
			line.getCell(x, cell);
			const fgOf = () =>
				cell.isFgDefault()
					? FG
					: cell.isFgRGB()
						? `#${cell.getFgColor().toString(16).padStart(6, '0')}`
						: palette(cell.getFgColor());
			const bgOf = () =>
				cell.isBgDefault()
					? undefined
					: cell.isBgRGB()
						? `#${cell.getBgColor().toString(16).padStart(6, '0')}`
						: palette(cell.getBgColor());
			let fg = fgOf();
			let bg = bgOf();
			if (cell.isInverse()) [fg, bg] = [bg ?? BG, fg];
			const bold = cell.isBold() !== 0;
			const dim = cell.isDim() !== 0;
			const start = x;
			let text = '';
			// Extend the run while the style stays the same.
			for (; x < terminal.cols; x++) {
				line.getCell(x, cell);
				let f = fgOf();
				let b = bgOf();
				if (cell.isInverse()) [f, b] = [b ?? BG, f];
				if (f !== fg || b !== bg || (cell.isBold() !== 0) !== bold || (cell.isDim() !== 0) !== dim) break;
				text += cell.getChars() || ' ';
				if (cell.getWidth() === 2) x++;
			}
			const px = pad + start * cw;
			const py = top + y * ch;
			if (bg)
				out.push(
					`<rect x="${px.toFixed(1)}" y="${py - 1}" width="${((x - start) * cw).toFixed(1)}" height="${ch}" fill="${bg}"/>`,
				);
			if (text.trim() !== '') {
				out.push(
					`<text x="${px.toFixed(1)}" y="${py + 12}" fill="${fg}"${bold ? ' font-weight="bold"' : ''}${dim ? ' opacity="0.6"' : ''} textLength="${(text.length * cw).toFixed(1)}" lengthAdjust="spacingAndGlyphs">${escapeXml(text)}</text>`,
				);
			}
		}
	}
	out.push('</g></svg>');
	return out.join('\n');
}
