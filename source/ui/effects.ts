// Pure: what a reducer asks the outside world to do. Reducers return the next state and a list of
// these; the app's one effect runner (effect-runner.ts) performs them and hands each result back as
// a change of state — through a pure function that returns a Step again.
import type {CommandId} from '../keys/keymap.js';
import type {AdminOp} from '../ports/inspector.js';
import type {Action} from './modal.js';
import type {JobKind} from './redis/state.js';
import type {UiState} from './ui-state.js';

/** What a Redis view's scan reads, as data: the runner turns it into a call of the inspector port. */
export type JobRequest =
	| {
			readonly kind: 'memory';
			readonly db: number;
			readonly pattern: string | undefined;
			readonly sample: number | undefined;
	  }
	| {readonly kind: 'keys'; readonly db: number; readonly pattern: string | undefined; readonly limit: number}
	| {readonly kind: 'queues'; readonly db: number}
	| {readonly kind: 'detail'; readonly db: number; readonly key: string};

export type Effect =
	| {readonly type: 'exit'}
	/** Pause or resume the live view (events are still collected). */
	| {readonly type: 'pause'; readonly paused: boolean}
	/** Send an action's control command; `alive`: replies to wait for when it goes to every worker. */
	| {readonly type: 'control'; readonly action: Action; readonly alive: number}
	| {readonly type: 'inspect'; readonly hostname: string; readonly method: string}
	/** Ask a worker its pool size for the open pool dialog of `command` on `target`. */
	| {readonly type: 'poolSize'; readonly command: CommandId; readonly target: string}
	/** Read what an admin operation would remove, then ask. */
	| {readonly type: 'adminPreview'; readonly command: CommandId; readonly op: AdminOp; readonly db: number}
	/** Run a confirmed admin operation (FLUSHDB, DEL, purge). */
	| {readonly type: 'admin'; readonly action: Action; readonly op: AdminOp}
	/** Ask the server whether it has a db before the views switch to it. */
	| {readonly type: 'checkDb'; readonly db: number}
	/** Start run `id` of a scan (it cancels the one of the same kind still running). */
	| {readonly type: 'startJob'; readonly id: number; readonly request: JobRequest}
	| {readonly type: 'cancelJobs'; readonly kinds: readonly JobKind[]};

/** A reducer's answer: the next state and what to do. */
export type Step = {readonly state: UiState; readonly effects: readonly Effect[]};

export function step(state: UiState, effects: readonly Effect[] = []): Step {
	return {state, effects};
}

/**
 * Collects the effects while a reducer builds the next state. A reducer makes one, passes it down and
 * returns `done(state)`: the effects travel with the state, nothing is performed.
 */
export class Effects {
	readonly #list: Effect[] = [];

	add(effect: Effect): void {
		this.#list.push(effect);
	}

	/** Add the effects of a step and take its state. */
	take(from: Step): UiState {
		this.#list.push(...from.effects);
		return from.state;
	}

	done(state: UiState): Step {
		return {state, effects: [...this.#list]};
	}
}
