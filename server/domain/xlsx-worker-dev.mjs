// Development only (npm run dev runs the server from source under tsx): a worker thread does not get
// tsx's loader from its parent, so this entry registers it and then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-worker.ts');
