// What --replica promises, checked: the replica's role and link, whether it replicates the broker, and
// where the read-only load goes.
import type {BrokerTarget as Config, Connection} from '../ports/connection.js';
import type {ReplicaState} from '../ports/inspector.js';
import type {RedisInfo} from '../protocol/redis-info.js';
import {addressOf} from '../redis-url.js';

const field = (info: RedisInfo | undefined, name: string): string | undefined => {
	const value = info?.['replication']?.[name];
	return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

export function replicaState(replica: RedisInfo | undefined, broker: RedisInfo | undefined): ReplicaState {
	const role = field(replica, 'role');
	const link = field(replica, 'master_link_status');
	const replid = field(replica, 'master_replid');
	const brokerReplid = field(broker, 'master_replid');
	// Before its first sync (link down) a replica holds an id of its own: nothing can be told then.
	const comparable = role === 'slave' && link === 'up' && replid !== undefined && brokerReplid !== undefined;
	return {role, link, replid, ofBroker: comparable ? replid === brokerReplid : undefined};
}

/** One line when the replica is not what --replica promises (undefined when it is, or cannot be told). */
export function replicaWarning(state: ReplicaState, display: string): string | undefined {
	if (state.role === 'master')
		return `--replica ${display} is not a replica (role:master); reading from it anyway`;
	if (state.role === 'slave' && state.link !== 'up')
		return `--replica ${display} is not connected to its master (master_link_status:${state.link ?? '?'}): events and keys may be missing or stale`;
	if (state.ofBroker === false)
		return `--replica ${display} replicates another server than the broker (its master_replid differs): events and keys come from there`;
	return undefined;
}

/** How the replica is named in errors: `replica redis://:***@host:port/db`. */
export function replicaDisplay(config: Config): string {
	return config.replica ? `replica ${config.replica.display}` : config.brokerDisplay;
}

/** Where the read-only load goes: the replica when given, else the broker (its db overridden by `db`). */
export function readTarget(
	config: Config,
	db?: number,
): {readonly connection: Connection; readonly display: string; readonly label: string} {
	const replica = config.replica;
	const connection = replica?.connection ?? config.connection;
	return {
		connection: db === undefined ? connection : {...connection, db},
		display: replicaDisplay(config),
		label: replica ? `replica ${replica.address}` : `broker ${brokerAddress(config.connection)}`,
	};
}

function brokerAddress(connection: Connection): string {
	const s = connection.sentinel;
	return s ? `(master '${s.masterName ?? 'mymaster'}' of the sentinels)` : addressOf(connection);
}
