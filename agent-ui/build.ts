/**
 * Builds the agent desktop (agent.html), the supervisors' and administrators' console (console.html)
 * and the customer's call page (call.html) into agent-ui/dist:
 * TypeScript + Preact bundled by esbuild, minified, content-hashed names under /agent/assets/ (the AS
 * serves dist at /agent/ and call.html at /call/{number}), linked source maps. Everything comes from
 * node_modules: no CDN. Run: `npx tsx agent-ui/build.ts`.
 */
import { build } from 'esbuild';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const ROOT = __dirname;
const DIST = path.join(ROOT, 'dist');
const ASSETS = path.join(DIST, 'assets');
export const PUBLIC_PATH = '/agent/assets/';

const PAGES = {
  agent: { entry: 'src/agent.tsx', title: 'Agent desktop' },
  call: { entry: 'src/call.tsx', title: 'Video call' },
  console: { entry: 'src/console.tsx', title: 'Contact center console' },
} as const;
type Page = keyof typeof PAGES;

function html(title: string, js: string, css: string | undefined): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
${css === undefined ? '' : `<link rel="stylesheet" href="${PUBLIC_PATH}${css}">\n`}<script type="module" src="${PUBLIC_PATH}${js}"></script>
</head>
<body>
<div id="app"></div>
<noscript>This page needs JavaScript.</noscript>
</body>
</html>
`;
}

export async function buildAgentUi(): Promise<Record<string, { file: string; bytes: number; gzip: number }>> {
  const started = Date.now();
  await fs.rm(DIST, { recursive: true, force: true });
  await fs.mkdir(ASSETS, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: Object.fromEntries(Object.entries(PAGES).map(([name, p]) => [name, p.entry])),
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    // Paths in the source maps are relative and the same on every machine: the build is deterministic.
    sourceRoot: '',
    format: 'esm',
    splitting: true,
    target: ['chrome110', 'firefox115', 'safari16'],
    platform: 'browser',
    outdir: ASSETS,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    assetNames: '[name]-[hash]',
    publicPath: PUBLIC_PATH,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    // The flow editor's canvas (@xyflow/react) is a React library: preact/compat stands in for React
    // (subpaths follow: react/jsx-runtime -> preact/compat/jsx-runtime), so one Preact runs the page.
    alias: { react: 'preact/compat', 'react-dom': 'preact/compat' },
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const sizes: Record<string, { file: string; bytes: number; gzip: number }> = {};
  for (const page of Object.keys(PAGES) as Page[]) {
    const entry = PAGES[page].entry;
    const [jsOut, meta] =
      Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === entry) ?? [];
    if (jsOut === undefined || meta === undefined) throw new Error(`no output for ${entry}`);
    const js = path.basename(jsOut);
    const css = meta.cssBundle === undefined ? undefined : path.basename(meta.cssBundle);
    await fs.writeFile(path.join(DIST, `${page}.html`), html(PAGES[page].title, js, css));
    // What the page downloads: its entry, the chunks it imports and its stylesheet.
    const files = [jsOut, ...meta.imports.filter((i) => i.kind === 'import-statement').map((i) => i.path)];
    if (meta.cssBundle) files.push(meta.cssBundle);
    let bytes = 0;
    let gzip = 0;
    for (const f of files) {
      const data = await fs.readFile(path.join(ROOT, f));
      bytes += data.length;
      gzip += gzipSync(data, { level: 9 }).length;
    }
    sizes[page] = { file: js, bytes, gzip };
  }
  const manifest = Object.fromEntries(
    Object.entries(sizes).map(([page, s]) => [page, { html: `${page}.html`, js: `${PUBLIC_PATH}${s.file}` }]),
  );
  await fs.writeFile(
    path.join(DIST, 'manifest.json'),
    `${JSON.stringify({ pages: manifest, sizes }, null, 2)}\n`,
  );
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  for (const [page, s] of Object.entries(sizes)) {
    console.log(`agent-ui ${page}.html: ${kb(s.bytes)} (gzip ${kb(s.gzip)}) ${PUBLIC_PATH}${s.file}`);
  }
  console.log(
    `agent-ui built in ${Date.now() - started} ms into ${path.relative(process.cwd(), DIST) || '.'}`,
  );
  return sizes;
}

if (require.main === module) {
  buildAgentUi().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
