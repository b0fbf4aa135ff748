// Serves the demo on 127.0.0.1: www/ at /, the built files at /dist/.
// `node scripts/serve.mjs [port]` (default 8080, or $PORT; the next free port if taken).
// Also imported by the browser tests, which start it on a free port.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mounts = [
  ["/dist/", join(root, "dist")],
  ["/", join(root, "www")],
];
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".csv": "text/csv; charset=utf-8",
};

/** The file behind a URL path, or null when it is outside the mounted folders. */
function fileFor(urlPath) {
  const path = decodeURIComponent(urlPath.split("?")[0]);
  for (const [prefix, folder] of mounts) {
    if (!path.startsWith(prefix)) continue;
    const relative = path.slice(prefix.length) || "index.html";
    const file = normalize(join(folder, relative.endsWith("/") ? relative + "index.html" : relative));
    return file.startsWith(folder + sep) ? file : null;
  }
  return null;
}

/**
 * Start the server. Resolves with `{ url, close }` once it listens.
 * @param {{ port?: number, headers?: Record<string, string> }} options extra response headers (e.g. a CSP) for tests
 */
export function startServer({ port = 0, headers = {} } = {}) {
  const server = createServer(async (request, response) => {
    const file = fileFor(request.url ?? "/");
    try {
      if (!file) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      const body = await readFile(file);
      response.writeHead(200, {
        "content-type": types[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...headers,
      });
      response.end(body);
    } catch (error) {
      const missing = error.code === "ENOENT" || error.code === "EISDIR";
      response.writeHead(missing ? 404 : 500, { "content-type": "text/plain; charset=utf-8" });
      response.end(missing ? "not found" : "server error");
    }
  });
  return new Promise((resolve, reject) => {
    const tryListen = (p, attemptsLeft) => {
      server.once("error", (error) => {
        if (error.code === "EADDRINUSE" && attemptsLeft > 0) tryListen(p + 1, attemptsLeft - 1);
        else reject(error);
      });
      server.listen(p, "127.0.0.1", () => {
        const address = server.address();
        resolve({
          url: `http://127.0.0.1:${address.port}`,
          close: () => new Promise((done) => server.close(done)),
        });
      });
    };
    tryListen(port, port === 0 ? 0 : 20);
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const { url } = await startServer({ port });
  console.log(`consent-guard demo: ${url}/  (Ctrl+C to stop)`);
}
