import { readFileSync } from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import type { RouteHandler } from '@shop/platform';

/** GraphiQL and React, served from node_modules: the playground works offline, no CDN. */
const ASSETS: Readonly<Record<string, { pkg: string; file: string; type: string }>> = {
  'react.production.min.js': { pkg: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.production.min.js': { pkg: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.min.js': { pkg: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.min.css': { pkg: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
};

/** A file of an installed package; their export maps do not list the browser bundles. */
function packageFile(pkg: string, file: string): Buffer {
  return readFileSync(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file));
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shop GraphQL playground</title>
  <link rel="stylesheet" href="/playground/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; }</style>
</head>
<body>
  <div id="playground" style="height: 100vh">Loading the playground…</div>
  <script src="/playground/react.production.min.js"></script>
  <script src="/playground/react-dom.production.min.js"></script>
  <script src="/playground/graphiql.min.js"></script>
  <script src="/playground/start.js"></script>
</body>
</html>`;

const START_SCRIPT = `
const fetcher = GraphiQL.createFetcher({ url: '/graphql' });
const defaultQuery = '# Paste a token as {"Authorization": "Bearer ..."} in Headers below.\\n' +
  '# In production only a staff token loads the schema: paste it, then re-fetch (Shift-Ctrl-R).\\n' +
  '{\\n  products(first: 5) {\\n    edges { node { id name variants { sku price { amount currency } } } }\\n  }\\n}\\n';
ReactDOM.createRoot(document.getElementById('playground'))
  .render(React.createElement(GraphiQL, { fetcher, defaultQuery, isHeadersEditorEnabled: true }));
`;

/** Whether a GET asks for a page (a browser) rather than for JSON. */
export function wantsHtml(req: http.IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * The page runs only its own scripts and talks only to its own origin; inline styles are allowed
 * because GraphiQL and its editor set them. Fonts and icons are data: URLs in GraphiQL's stylesheet.
 */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The playground page (PLAYGROUND_ENABLED). It is static; what it may do is decided per request
 * like any client's: in production only a staff token loads the schema (introspection).
 */
export const servePlaygroundPage: RouteHandler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'content-security-policy': PLAYGROUND_CSP });
  res.end(PAGE);
};

/** The playground's scripts and stylesheet, read once and kept in memory. */
export function playgroundAssetRoutes(): Record<string, RouteHandler> {
  const routes: Record<string, RouteHandler> = {
    'GET /playground/start.js': (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(START_SCRIPT);
    },
  };
  for (const [name, asset] of Object.entries(ASSETS)) {
    const body = packageFile(asset.pkg, asset.file);
    routes[`GET /playground/${name}`] = (_req, res) => {
      res.writeHead(200, { 'content-type': `${asset.type}; charset=utf-8`, 'cache-control': 'public, max-age=86400' });
      res.end(body);
    };
  }
  return routes;
}
