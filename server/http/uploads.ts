import type { Context } from 'hono';
import type { EvidenceUpload } from '../domain/evidence.js';
import type { AppEnv } from './env.js';
import { errors } from './errors.js';

/**
 * A multipart/form-data body: its text fields (a field sent twice or as a file counts as missing)
 * and its `files` as uploads. Anything else is a 400 validation_failed.
 */
export async function formWithUploads(c: Context<AppEnv>): Promise<{ field: (name: string) => string | undefined; uploads: EvidenceUpload[] }> {
	if (!(c.req.header('content-type') ?? '').startsWith('multipart/form-data')) throw errors.validation('Send the form as multipart/form-data.');
	const form = await c.req.parseBody({ all: true }).catch(() => {
		throw errors.validation('The form data could not be read.');
	});
	const raw = form.files;
	const files = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((f): f is File => typeof f !== 'string');
	const uploads = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
	return { field: (name) => (typeof form[name] === 'string' ? form[name] : undefined), uploads };
}
