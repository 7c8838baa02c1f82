// An SPA behind a login: no server rendering, no prerendering; Hono serves the shell for every route.
export const ssr = false;
export const prerender = false;
