import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Store } from '../store/db.js';
import type { Logger } from '../store/log.js';
import { maskDeep } from '../store/mask.js';
import { board, localNow } from './board.js';
import type { AssignConfig } from './config.js';
import { hashToken, sameHash } from './recipients.js';
import { applyUpdate, parseAt } from './status.js';
import type { PageOptions } from './page/config.js';
import { handlePage, isPageRequest } from './page/handler.js';

export interface ServeOptions {
  dbPath: string;
  cfg: AssignConfig;
  log?: Logger;
  /** How long to keep retrying when the store is locked by another process (the nightly run), in ms. */
  lockWaitMs?: number;
  now?: () => string;
  /** The phone page (GET /m/<key> …, src/assign/page/): its secret and street boundaries; none without a secret. */
  page?: PageOptions | null;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, 'body too large');
    chunks.push(c as Buffer);
  }
  if (size === 0) return {};
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, 'body must be a JSON object');
  }
}

/**
 * The store is opened for each request and closed after it: DuckDB allows one writing process per file, and the
 * nightly pipeline must be able to open it between requests. Requests are served one at a time (a queue); while
 * another process holds the file, a request waits up to lockWaitMs and then gets 503 with Retry-After.
 */
export function createFeedbackServer(opts: ServeOptions): Server {
  const lockWait = opts.lockWaitMs ?? 5000;
  const now = opts.now ?? (() => localNow());
  let queue: Promise<unknown> = Promise.resolve();

  async function withStore<T>(fn: (s: Store) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
      let store: Store;
      try {
        store = await Store.open(opts.dbPath, { migrate: false });
      } catch (err) {
        if (/in use|lock/i.test((err as Error).message) && Date.now() - t0 < lockWait) {
          await new Promise((r) => setTimeout(r, delay));
          continue;
        }
        if (/in use|lock/i.test((err as Error).message))
          throw new HttpError(503, 'store busy (a pipeline is running); retry later');
        throw err;
      }
      try {
        return await fn(store);
      } finally {
        store.close();
      }
    }
  }

  function authenticate(req: IncomingMessage, tokens: Map<string, string>): string {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) throw new HttpError(401, 'missing bearer token');
    const presented = hashToken(m[1]);
    for (const [hash, id] of tokens) if (sameHash(hash, presented)) return id;
    throw new HttpError(401, 'unknown token');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') return { ok: true };
    // read the body before opening the store, so a slow client never holds the file
    const body = req.method === 'POST' || req.method === 'PATCH' ? await readBody(req) : {};
    return withStore(async (store) => {
      const tokens = new Map(
        (
          await store.all<{ recipient_id: string; token_hash: string }>(
            `SELECT recipient_id, token_hash FROM recipients WHERE token_hash IS NOT NULL`,
          )
        ).map((r) => [r.token_hash, r.recipient_id]),
      );
      const rid = authenticate(req, tokens);
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      if (parts[0] !== 'items') throw new HttpError(404, 'not found');
      const own = async (itemId: string) => {
        const exists = await store.value<number>(`SELECT count(*) FROM assignments WHERE item_id = $i`, { i: itemId });
        if (!exists) throw new HttpError(404, `no item '${itemId}'`);
        const routed = await store.value<number>(
          `SELECT count(*) FROM assignment_recipients WHERE item_id = $i AND recipient_id = $r`,
          { i: itemId, r: rid },
        );
        if (!routed) throw new HttpError(403, `item '${itemId}' is not assigned to you`);
      };
      if (req.method === 'GET' && parts.length === 1) {
        const status = url.searchParams.get('status');
        const items = await board(store, now(), opts.cfg.yellowAt, { recipientId: rid });
        return { recipient: rid, items: status ? items.filter((i) => i.status === status) : items };
      }
      if (req.method === 'GET' && parts.length === 2) {
        await own(parts[1]);
        const [item] = await board(store, now(), opts.cfg.yellowAt, { recipientId: rid, itemId: parts[1] });
        const history = await store.all(
          `SELECT from_status, to_status, note, strftime(happened_at, '%Y-%m-%d %H:%M:%S') AS at, recipient_id, source FROM feedback WHERE item_id = $i ORDER BY happened_at, recorded_at`,
          { i: parts[1] },
        );
        // notes are masked when stored; again here for notes stored before that
        return { item, history: maskDeep(history) };
      }
      if (
        (req.method === 'POST' || req.method === 'PATCH') &&
        (parts.length === 2 || (parts.length === 3 && parts[2] === 'status'))
      ) {
        await own(parts[1]);
        const to = typeof body.status === 'string' ? body.status.trim() : '';
        if (!to) throw new HttpError(400, 'field status is required');
        // 核验 is the check of someone else's work: the street office or the unit does it, not the grid worker
        if (
          to === '核验' &&
          (await store.value<string>(`SELECT kind FROM recipients WHERE recipient_id = $r`, { r: rid })) === 'grid'
        )
          throw new HttpError(403, '核验 is done by the street office or the unit, not by the grid worker');
        const at = body.at === undefined ? now() : typeof body.at === 'string' ? parseAt(body.at) : null;
        if (!at) throw new HttpError(400, `field at: not a date or time`);
        const note = typeof body.note === 'string' ? body.note.slice(0, 2000) : null;
        const result = await store.tx(() =>
          applyUpdate(store, { itemId: parts[1], to, note, at, recipientId: rid, source: 'http' }),
        );
        if (!result.ok) throw new HttpError(result.code === 'not_found' ? 404 : 409, result.error);
        opts.log?.info({ recipient: rid, item: parts[1], from: result.from, to: result.to }, 'status update');
        res.statusCode = result.duplicate ? 200 : 201;
        return { item_id: parts[1], from: result.from, to: result.to, duplicate: result.duplicate };
      }
      throw new HttpError(405, 'method not allowed');
    });
  }

  return createServer((req, res) => {
    // the phone page answers its own requests (HTML) in the same one-at-a-time queue: src/assign/page/handler.ts
    if (isPageRequest(req))
      return void (queue = queue.then(() => handlePage(req, res, { withStore, cfg: opts.cfg, page: opts.page, now })));
    const job = queue.then(async () => {
      let status = 200;
      let doc: unknown;
      try {
        doc = await handle(req, res);
        status = res.statusCode || 200;
      } catch (err) {
        status = err instanceof HttpError ? err.status : 500;
        doc = { error: err instanceof HttpError ? err.message : 'internal error' };
        if (!(err instanceof HttpError)) opts.log?.error({ err }, 'request failed');
        if (status === 503) res.setHeader('retry-after', '30');
      }
      res.statusCode = status;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(doc));
    });
    queue = job.catch(() => undefined);
  });
}
