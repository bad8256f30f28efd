import { maskDeep } from '../store/mask.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { board } from './board.js';
import { HttpError } from './http.js';
import type { RouteContext } from './server.js';
import { applyUpdate, futureAtError, parseAt } from './status.js';

/** 404 when the item does not exist, 403 when it is not routed to this recipient; else the recipient's kind. */
async function ownItem(store: Store, itemId: string, rid: string): Promise<string | null> {
  const a = await store.one<{ item_exists: boolean; routed: boolean; kind: string | null }>(
    sql('assign/item_access.sql'),
    { i: itemId, r: rid },
  );
  if (!a?.item_exists) throw new HttpError(404, `没有事项 '${itemId}'`);
  if (!a.routed) throw new HttpError(403, `事项 '${itemId}' 不是交办给您的`);
  return a.kind;
}

function listItems(ctx: RouteContext, rid: string): Promise<unknown> {
  const status = ctx.url.searchParams.get('status');
  return ctx.lane.run(async (store) => {
    const items = await board(store, ctx.now(), ctx.cfg.yellowAt, { recipientId: rid });
    return { recipient: rid, items: status ? items.filter((i) => i.status === status) : items };
  });
}

function itemDetail(ctx: RouteContext, rid: string, itemId: string): Promise<unknown> {
  return ctx.lane.run(async (store) => {
    await ownItem(store, itemId, rid);
    const [item] = await board(store, ctx.now(), ctx.cfg.yellowAt, { recipientId: rid, itemId });
    const history = await store.all(sql('assign/item_history.sql'), { item: itemId });
    // notes are masked when stored; again here for notes stored before that
    return { item, history: maskDeep(history) };
  });
}

/** The idempotency key of an update: header Idempotency-Key, else body field idempotency_key. */
function requestKey(ctx: RouteContext, body: Record<string, unknown>): string | null {
  const h = ctx.req.headers['idempotency-key'];
  const key = typeof h === 'string' ? h : typeof body.idempotency_key === 'string' ? body.idempotency_key : null;
  if (key !== null && (key.length === 0 || key.length > 200))
    throw new HttpError(400, '幂等键（idempotency key）应为 1 到 200 个字符');
  return key;
}

/** The checked fields of a status update: status, at (not in the future), note, key. */
function updateFields(ctx: RouteContext, body: Record<string, unknown>) {
  const to = typeof body.status === 'string' ? body.status.trim() : '';
  if (!to) throw new HttpError(400, '字段 status：必填');
  const now = ctx.now();
  const at = body.at === undefined ? now : typeof body.at === 'string' ? parseAt(body.at, ctx.timeZone) : null;
  if (!at) throw new HttpError(400, '字段 at：不是日期或时间');
  const future = futureAtError(at, now);
  if (future) throw new HttpError(400, `字段 at：${future}`);
  const note = typeof body.note === 'string' ? body.note.slice(0, 2000) : null;
  return { to, at, note, key: requestKey(ctx, body) };
}

async function postStatus(ctx: RouteContext, rid: string, itemId: string): Promise<unknown> {
  const f = updateFields(ctx, await ctx.body());
  const result = await ctx.lane.run(async (store) => {
    const kind = await ownItem(store, itemId, rid);
    // 核验 is the check of someone else's work: the street office or the unit does it, not the grid worker
    if (f.to === '核验' && kind === 'grid') throw new HttpError(403, '核验由街道或主管单位完成，网格员不能核验');
    return store.tx(() => applyUpdate(store, { itemId, ...f, recipientId: rid, source: 'http' }));
  });
  if (!result.ok) throw new HttpError(result.code === 'not_found' ? 404 : 409, result.error);
  ctx.log?.info({ recipient: rid, item: itemId, from: result.from, to: result.to }, 'status update');
  ctx.res.statusCode = result.duplicate ? 200 : 201;
  return { item_id: itemId, from: result.from, to: result.to, duplicate: result.duplicate };
}

/**
 * The recipient's API: GET /items[?status=], GET /items/<id>, POST|PATCH /items/<id>[/status]. The token is
 * checked from the headers before anything else, so a client without one never gets its body read.
 */
export async function itemsRoute(ctx: RouteContext): Promise<unknown> {
  const rid = await ctx.tokens.recipientOf(ctx.req);
  const [, itemId, sub] = ctx.parts;
  const method = ctx.req.method;
  if (method === 'GET' && ctx.parts.length === 1) return listItems(ctx, rid);
  if (method === 'GET' && ctx.parts.length === 2) return itemDetail(ctx, rid, itemId);
  const write = method === 'POST' || method === 'PATCH';
  if (write && (ctx.parts.length === 2 || (ctx.parts.length === 3 && sub === 'status')))
    return postStatus(ctx, rid, itemId);
  throw new HttpError(405, '不支持的请求方法');
}
