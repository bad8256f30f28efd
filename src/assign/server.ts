import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../store/log.js';
import { DEFAULT_TIMEZONE } from '../store/dates.js';
import { localNow } from './board.js';
import type { AssignConfig } from './config.js';
import { HttpError, pathParts, readBody, readJsonBody, requestUrl } from './http.js';
import { itemsRoute } from './items-api.js';
import { StoreBusyError, StoreLane } from './store-lane.js';
import { TokenCache } from './tokens.js';
import type { PageOptions } from './page/config.js';
import { handlePage, sendIndex } from './page/handler.js';

export interface ServeOptions {
  dbPath: string;
  cfg: AssignConfig;
  log?: Logger;
  /** How long to keep retrying when the store is locked by another process (the nightly run), in ms. */
  lockWaitMs?: number;
  /** The city's zone (config city.timezone, default Asia/Shanghai): "now" and reported times are its wall clock. */
  timeZone?: string;
  /** The clock (tests inject one); "now" is its reading on the city's wall clock. */
  clock?: () => Date;
  /** Local 'YYYY-MM-DD HH:MM:SS' now; default the clock read in timeZone. */
  now?: () => string;
  /** Time for the request headers to arrive, in ms (default 10 s). */
  headersTimeoutMs?: number;
  /** Time for a request body to arrive once its headers are in, in ms (default 10 s). */
  bodyTimeoutMs?: number;
  /** Largest request body, bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** The phone page (GET /m/<key> …, src/assign/page/): its secret and street boundaries; none without a secret. */
  page?: PageOptions | null;
}

/** What a route handler gets. It returns a JSON document, or writes and ends ctx.res itself (a page). */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Percent-decoded path segments; parts[0] is the route's own segment. */
  parts: string[];
  /** Runs store work one job at a time; see store-lane.ts. */
  lane: StoreLane;
  tokens: TokenCache;
  cfg: AssignConfig;
  now: () => string;
  /** The city's zone, for reported times written with an offset (status.ts parseAt). */
  timeZone: string;
  log?: Logger;
  /** The request body as a JSON object, bounded in size and time (413, 408). */
  body: () => Promise<Record<string, unknown>>;
  /** The request body as bytes (a form), with the same bounds. */
  rawBody: () => Promise<Buffer>;
  page?: PageOptions | null;
  /** The clock's reading in ms (link expiry). */
  nowMs: () => number;
}

export type RouteHandler = (ctx: RouteContext) => Promise<unknown>;

/** Routes by first path segment. Another module's pages hook in with one line here. */
const ROUTES: Record<string, RouteHandler> = {
  // `/`, the address `serve` prints: a Chinese page saying what this is and where to go (no data on it)
  '': async (ctx) => {
    if ((ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') || ctx.parts.length !== 0)
      throw new HttpError(404, '没有这个地址');
    sendIndex(ctx.res);
  },
  health: async (ctx) => {
    if (ctx.req.method !== 'GET' || ctx.parts.length !== 1) throw new HttpError(404, '没有这个地址');
    return { ok: true };
  },
  items: itemsRoute,
  // the grid worker's phone page (HTML, answered in full by src/assign/page/handler.ts)
  m: (ctx) =>
    handlePage(ctx.req, ctx.res, {
      withStore: (fn) => ctx.lane.run(fn),
      cfg: ctx.cfg,
      page: ctx.page,
      now: ctx.now,
      nowMs: ctx.nowMs,
      log: ctx.log,
      form: async () => new URLSearchParams((await ctx.rawBody()).toString('utf8')),
    }),
};

function send(res: ServerResponse, status: number, doc: unknown): void {
  if (res.writableEnded) return;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // a note sent back in a document is data: no browser may read the document as a page
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(JSON.stringify(doc));
}

/** Node's parser's refusals, by its error code: status, reason phrase and the client's message. */
const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', '请求头过大'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', '未能及时收到完整的请求'],
};

/**
 * A request Node's parser refuses before any route sees it (garbage on the wire, headers past maxHeaderSize, headers
 * too slow) gets a JSON error in Chinese like every other refusal, instead of Node's bare status line; the connection
 * closes. A connection reset, or one whose answer has begun, is just closed (Node's own rule).
 */
function onClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const started = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent;
  if (err.code === 'ECONNRESET' || !socket.writable || started) {
    socket.destroy();
    return;
  }
  const [status, phrase, message] = CLIENT_ERRORS[err.code ?? ''] ?? [400, 'Bad Request', '请求格式有误'];
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${phrase}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `x-content-type-options: nosniff\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** The status and document of a failed request; a failure before the body was read closes the connection. */
function failure(err: unknown, res: ServerResponse, log?: Logger): [number, unknown] {
  if (err instanceof StoreBusyError) {
    res.setHeader('retry-after', '30');
    return [503, { error: err.message }];
  }
  if (err instanceof HttpError) {
    if (err.status === 401 || err.status === 408 || err.status === 413 || err.status === 400)
      res.setHeader('connection', 'close');
    return [err.status, { error: err.message }];
  }
  log?.error({ err }, 'request failed');
  return [500, { error: 'internal error' }];
}

/**
 * The recipients' HTTP endpoint. Requests are served concurrently: a slow or stalled client holds only its own
 * connection (headers and body are bounded in time and size), while store work runs one job at a time in a
 * lane that opens the file only while there is work, so the nightly pipeline in another process gets it between
 * requests; when that process holds it longer than lockWaitMs, a request gets 503 with Retry-After.
 */
export function createFeedbackServer(opts: ServeOptions): Server {
  const lane = new StoreLane({ dbPath: opts.dbPath, lockWaitMs: opts.lockWaitMs ?? 5000 });
  const tokens = new TokenCache(lane);
  const timeZone = opts.timeZone ?? DEFAULT_TIMEZONE;
  const clock = opts.clock ?? (() => new Date());
  const now = opts.now ?? (() => localNow(clock(), timeZone));
  const nowMs = () => clock().getTime();
  const limits = { maxBytes: opts.maxBodyBytes ?? 64 * 1024, timeoutMs: opts.bodyTimeoutMs ?? 10_000 };
  const headersTimeout = opts.headersTimeoutMs ?? 10_000;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: headersTimeout + limits.timeoutMs,
      connectionsCheckingInterval: 500,
      maxHeaderSize: 8192,
    },
    (req, res) => {
      void (async () => {
        try {
          const url = requestUrl(req);
          // the phone page parses its own path, so a garbled link is answered on the page, in Chinese
          const parts = url.pathname.startsWith('/m/') ? ['m'] : pathParts(url.pathname);
          const handle = ROUTES[parts[0] ?? ''];
          if (!handle) throw new HttpError(404, '没有这个地址');
          const ctx = { req, res, url, parts, lane, tokens, cfg: opts.cfg, now, nowMs, timeZone, page: opts.page };
          const doc = await handle({
            ...ctx,
            log: opts.log,
            body: () => readJsonBody(req, limits),
            rawBody: () => readBody(req, limits),
          });
          send(res, res.statusCode || 200, doc);
        } catch (err) {
          send(res, ...failure(err, res, opts.log));
        }
      })();
    },
  );
  server.maxHeadersCount = 50;
  server.on('clientError', onClientError);
  return server;
}
