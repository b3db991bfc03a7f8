// Mount the whole app with given services, read its frames, press keys and wait for what they do.
import {render} from 'ink-testing-library';
import {App} from '../../source/ui/app.js';
import {ServicesProvider, type Services} from '../../source/ui/services.js';
import {waitFor} from '../helpers/wait-for.js';

export function mountApp(services: Services, options: {rows?: number} = {}) {
	const r = render(
		<ServicesProvider value={services}>
			<App />
		</ServicesProvider>,
	);
	if (options.rows) {
		// A taller terminal than ink-testing-library's default 24 rows.
		Object.defineProperty(r.stdout, 'rows', {value: options.rows, configurable: true});
		r.stdout.emit('resize');
	}
	const frame = () => r.lastFrame() ?? '';
	/** Type keys, then wait until the frame shows what they should do. */
	const press = async (keys: string, until: (f: string) => boolean, what: string) => {
		r.stdin.write(keys);
		await waitFor(() => until(frame()), {timeout: 3000, message: () => `${what}\n${frame()}`});
	};
	return {r, frame, press};
}
