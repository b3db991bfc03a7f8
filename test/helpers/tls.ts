// A throwaway CA, a server certificate for 127.0.0.1/localhost and a client certificate, made by openssl.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export const OPENSSL_INSTALL = 'apt-get install -y openssl';

export type Certificates = {
	readonly dir: string;
	readonly ca: string;
	readonly serverCert: string;
	readonly serverKey: string;
	readonly clientCert: string;
	readonly clientKey: string;
	/** A second CA that signed nothing here: verification against it must fail. */
	readonly otherCa: string;
};

export function requireOpenssl(): void {
	try {
		execFileSync('openssl', ['version'], {stdio: 'ignore'});
	} catch {
		throw new Error(`openssl is missing: ${OPENSSL_INSTALL}`);
	}
}

export function makeCertificates(): Certificates {
	requireOpenssl();
	const dir = mkdtempSync(join(tmpdir(), 'celerytop-tls-'));
	const f = (name: string) => join(dir, name);
	const ssl = (...args: string[]) => execFileSync('openssl', args, {cwd: dir, stdio: 'pipe'});
	/** A self-signed CA valid for two days. */
	const ca = (cn: string, name: string) =>
		ssl(
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'2',
			'-subj',
			`/CN=${cn}`,
			'-keyout',
			f(`${name}.key`),
			'-out',
			f(`${name}.crt`),
		);
	ca('celerytop test CA', 'ca');
	ca('other CA', 'other');
	writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
	writeFileSync(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
	for (const [name, cn] of [
		['server', 'localhost'],
		['client', 'celerytop client'],
	] as const) {
		ssl(
			'req',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-subj',
			`/CN=${cn}`,
			'-keyout',
			f(`${name}.key`),
			'-out',
			f(`${name}.csr`),
		);
		ssl(
			'x509',
			'-req',
			'-in',
			f(`${name}.csr`),
			'-CA',
			f('ca.crt'),
			'-CAkey',
			f('ca.key'),
			'-CAcreateserial',
			'-days',
			'2',
			'-extfile',
			f(`${name}.ext`),
			'-out',
			f(`${name}.crt`),
		);
	}
	return {
		dir,
		ca: f('ca.crt'),
		serverCert: f('server.crt'),
		serverKey: f('server.key'),
		clientCert: f('client.crt'),
		clientKey: f('client.key'),
		otherCa: f('other.crt'),
	};
}
