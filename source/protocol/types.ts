// Shared contracts of the pure layers. No runtime code here.

/** One Celery event exactly as decoded from the wire: every field Celery sent is kept. */
export type CeleryEvent = {
	readonly type: string;
	readonly hostname: string;
	/** Sender's epoch seconds (already UTC). */
	readonly timestamp: number;
	readonly [field: string]: unknown;
};

/** Why a message or an event inside it was rejected. Counted per reason and shown in the UI. */
export type MalformedReason =
	| 'not-json' // the envelope text is not JSON
	| 'bad-envelope' // JSON, but not an object with a string body
	| 'bad-base64' // body_encoding base64 but the body does not decode
	| 'bad-utf8' // decoded bytes are not valid UTF-8
	| 'unsupported-serializer' // content-type pickle, msgpack, yaml, ...
	| 'body-not-json' // content-type JSON but the payload does not parse
	| 'not-an-event' // payload (or an array item) is not an object
	| 'missing-type' // no string `type`
	| 'missing-hostname' // no string `hostname`
	| 'bad-timestamp' // timestamp missing, not a finite number, or negative
	| 'missing-uuid' // a task-* event with no string `uuid`
	| 'too-deep' // an event nested deeper than MAX_EVENT_DEPTH (JSON.stringify would overflow the stack)
	| 'too-large'; // a message over MAX_MESSAGE_CHARS, or an event with more than MAX_EVENT_VALUES values

export type DecodedMessage = {
	/** Valid events in wire order (a task.multi array gives several). */
	readonly events: CeleryEvent[];
	/** One entry per rejected message or rejected array item. */
	readonly errors: MalformedReason[];
};

/** Celery's transport options that change channel and key names (kombu spelling). */
export type TransportOptions = {
	readonly fanout_prefix?: boolean | string;
	readonly fanout_patterns?: boolean;
	readonly global_keyprefix?: string;
	readonly sep?: string;
	readonly [option: string]: unknown;
};
