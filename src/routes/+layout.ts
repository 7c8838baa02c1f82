import { z } from 'zod';

// An SPA behind a login: no server rendering, no prerendering; Hono serves the shell for every route.
export const ssr = false;
export const prerender = false;

// The Content-Security-Policy forbids eval: zod must not even probe for it (it would compile parsers
// with `new Function` where it may, and the probe alone is reported as a violation).
z.config({ jitless: true });
