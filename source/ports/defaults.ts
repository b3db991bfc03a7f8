// Policy shared by the views and the adapters, with no I/O: how much SCAN asks for at a time and
// what MONITOR costs and when it stops by itself.

/** The largest COUNT ever sent with SCAN/HSCAN/SSCAN/ZSCAN. */
export const MAX_SCAN_COUNT = 1000;

export const DEFAULT_SCAN_COUNT = 250;

export const MONITOR_WARNING =
	'MONITOR copies every command to this client and costs the server throughput; it stops by itself';

export const DEFAULT_MONITOR_CAP_SECONDS = 60;
