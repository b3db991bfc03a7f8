// The layers of source/ (docs/ARCHITECTURE.md), checked by dependency-cruiser in `npm test`.
// Arrows point down: protocol ← state ← present ← ports ← {redis, ui} ← commands, cli, tui.
// ui/ and redis/ meet only at ports/; neither imports the other or the CLI's config.
/** @type {import('dependency-cruiser').IConfiguration} */
const PURE = ['^source/(protocol|state|present|ports|keys)/'];
const IO_MODULES =
	'^(ioredis|better-sqlite3|ink|react|react/.*|node:(net|tls|fs|fs/promises|child_process|http|https|dgram|dns|worker_threads))$';

module.exports = {
	forbidden: [
		{name: 'no-circular', severity: 'error', comment: 'An import circle.', from: {}, to: {circular: true}},
		{
			name: 'ui-not-adapters',
			severity: 'error',
			comment: 'ui/ reaches Redis only through ports/ (the services it is given), never an adapter.',
			from: {path: '^source/ui/'},
			to: {
				path: '^source/(redis|history|commands)/|^source/(config|cli|tui|cli-catalogue|cli-help|stats-file|heap)\\.tsx?$',
			},
		},
		{
			name: 'adapters-not-ui',
			severity: 'error',
			comment: 'redis/ and history/ never import the UI, the CLI or its config: what they need is in ports/.',
			from: {path: '^source/(redis|history)/'},
			to: {path: '^source/(ui|commands)/|^source/(config|cli|tui|cli-catalogue|cli-help)\\.tsx?$'},
		},
		{
			name: 'ports-import-neither-side',
			severity: 'error',
			comment: 'ports/ is what both sides import; it imports neither (nor the CLI).',
			from: {path: '^source/ports/'},
			to: {path: '^source/(ui|redis|commands)/|^source/(config|cli|tui|redis-url)\\.tsx?$'},
		},
		{
			name: 'protocol-is-the-wire',
			severity: 'error',
			comment: 'protocol/ is the wire alone: it imports nothing else of ours.',
			from: {path: '^source/protocol/'},
			to: {path: '^source/', pathNot: '^source/protocol/'},
		},
		{
			name: 'state-over-protocol',
			severity: 'error',
			comment: 'state/ (the pure cluster model) imports only protocol/.',
			from: {path: '^source/state/'},
			to: {path: '^source/', pathNot: '^source/(state|protocol)/'},
		},
		{
			name: 'present-over-state',
			severity: 'error',
			comment: 'present/ (screen and CLI text) imports only protocol/ and state/.',
			from: {path: '^source/present/'},
			to: {path: '^source/', pathNot: '^source/(present|state|protocol)/'},
		},
		{
			name: 'keys-alone',
			severity: 'error',
			comment: 'keys/ (the keymap) imports nothing but itself.',
			from: {path: '^source/keys/'},
			to: {path: '^source/', pathNot: '^source/keys/'},
		},
		{
			name: 'pure-layers-no-io',
			severity: 'error',
			comment: 'protocol/, state/, present/, ports/ and keys/ load no I/O, React, Ink or ioredis.',
			from: {path: PURE},
			to: {path: IO_MODULES, dependencyTypesNot: ['type-only']},
		},
		{
			name: 'reducers-load-no-view',
			severity: 'error',
			comment:
				'The reducers, the effects and the models are pure: nothing they load, however far down, is a view (.tsx), Ink or React.',
			from: {
				path: '^source/ui/(reduce|effects|context|selection|ui-state|modal|actions|action-request|filter-rows|layout|format)\\.ts$|^source/ui/redis/(reduce|launch|actions|admin|state|jobs|[a-z-]+-model)\\.ts$',
			},
			to: {path: '\\.tsx$|^(ink|react)$', reachable: true},
		},
		{
			name: 'ioredis-in-redis-only',
			severity: 'error',
			comment: 'Only the adapters talk to Redis.',
			from: {pathNot: '^source/redis/'},
			to: {path: '^ioredis$', dependencyTypesNot: ['type-only']},
		},
		{
			name: 'ink-in-ui-only',
			severity: 'error',
			comment: 'Only ui/ (and tui.tsx, which renders it) draws.',
			from: {pathNot: '^source/(ui/|tui\\.tsx$)'},
			to: {path: '^(ink|react)$', dependencyTypesNot: ['type-only']},
		},
	],
	options: {
		doNotFollow: {path: 'node_modules'},
		includeOnly: '^source/|^(ioredis|ink|react|node:.*)$',
		tsPreCompilationDeps: true,
		tsConfig: {fileName: 'tsconfig.json'},
		enhancedResolveOptions: {extensions: ['.ts', '.tsx', '.js']},
		reporterOptions: {text: {highlightFocused: true}},
	},
};
