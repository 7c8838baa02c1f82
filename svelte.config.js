import adapter from '@sveltejs/adapter-static';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	kit: {
		// The SPA shell is served by the Hono server for every extension-less path (see server/http/static.ts).
		adapter: adapter({ pages: 'build', assets: 'build', fallback: '200.html', strict: false })
	}
};

export default config;
