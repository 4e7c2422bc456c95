import { stat } from 'node:fs/promises';
import path from 'node:path';
import Boom from '@hapi/boom';
import type { Request, ResponseObject, ResponseToolkit, ServerRoute } from '@hapi/hapi';

export interface PagesOptions {
  /** `agent-ui/dist`: agent.html, call.html and their assets. */
  dir: string;
  /** The Content-Security-Policy of every page and asset (as/http/security-headers.ts `pagePolicy`). */
  policy: string;
}

/** esbuild's content hash in an asset's name (`agent-5XKQ2ABC.js`): such a file never changes. */
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
const NUMBER = /^[0-9]{1,20}$/;
const YEAR = 'public, max-age=31536000, immutable';

export function cacheControlOf(file: string): string {
  if (file.endsWith('.html')) return 'no-store';
  // Anything else without a hash (a favicon, a sound) is revalidated each time.
  return HASHED.test(file) ? YEAR : 'no-cache';
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

/**
 * Static files from the UI build, read at each request: the build may appear (or be rebuilt) while the
 * AS runs. Until it exists, 503 with what to do, rather than a bare 404.
 */
async function serve(options: PagesOptions, h: ResponseToolkit, file: string): Promise<ResponseObject> {
  // The server's own paths stay out of the answer: the page is public.
  const page = file === 'agent.html' || file === 'call.html' || file === 'console.html';
  if (!(await isDirectory(options.dir)) || (page && !(await isFile(path.join(options.dir, file))))) {
    throw Boom.serverUnavailable(
      `the agent pages are not built yet (${file} is missing from the UI build, agent-ui/dist): build agent-ui, then reload`,
    );
  }
  return h
    .file(file, { confine: options.dir })
    .header('content-security-policy', options.policy)
    .header('cache-control', cacheControlOf(file))
    .header('permissions-policy', 'camera=(self), microphone=(self), geolocation=(), payment=()');
}

/** The path as the browser sent it: hapi's router strips the trailing slash this redirect depends on. */
function rawPath(request: Request): string {
  return (request.raw.req.url ?? '').split('?')[0] ?? '';
}

export function pageRoutes(options: PagesOptions): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/agent/{path*}',
      options: { auth: false, description: 'The agent desktop (agent-ui/dist)' },
      handler: async (request, h) => {
        const rest = (request.params.path as string | undefined) ?? '';
        if (rest === '') {
          // The page's relative asset URLs need the slash: /agent would load /assets/… instead.
          if (!rawPath(request).endsWith('/')) return h.redirect('/agent/');
          return serve(options, h, 'agent.html');
        }
        return serve(options, h, rest);
      },
    },
    {
      method: 'GET',
      path: '/call/{name}',
      options: { auth: false, description: "The customer's web video call page (agent-ui/dist/call.html)" },
      handler: async (request, h) => {
        const name = request.params.name as string;
        // /call/<number> is the page (it reads the number from its URL); anything else beside it is one
        // of its assets, for a page that refers to them relatively.
        return serve(options, h, NUMBER.test(name) ? 'call.html' : name);
      },
    },
  ];
}
