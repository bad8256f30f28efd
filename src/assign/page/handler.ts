import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../../store/db.js';
import { sql } from '../../store/sql.js';
import type { Logger } from '../../store/log.js';
import { board } from '../board.js';
import type { AssignConfig } from '../config.js';
import { applyUpdate } from '../status.js';
import type { PageOptions } from './config.js';
import { verifyKey } from './link.js';
import { actionsFor, renderError, renderIndex, renderPage, type PageRecipient } from './render.js';

export interface PageDeps {
  /** Runs fn with the store open (server.ts's: one request at a time, waiting out the nightly run's lock). */
  withStore: <T>(fn: (store: Store) => Promise<T>) => Promise<T>;
  cfg: Pick<AssignConfig, 'yellowAt'>;
  page: PageOptions | null | undefined;
  /** Local time 'YYYY-MM-DD HH:MM:SS' (colours, the time of a report). */
  now: () => string;
  /** Wall-clock milliseconds, for link expiry. */
  nowMs?: () => number;
  log?: Logger;
  /** The request's form, read within the server's size and time bounds (server.ts); default: read here. */
  form?: () => Promise<URLSearchParams>;
}

/** A refusal the page shows as it is: HTTP status and plain Chinese. */
class PageError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_FORM = 16 * 1024;

/** Requests for the phone page: GET /m/<key>, GET /m/<key>/items/<id>, POST /m/<key>/items/<id>. */
export function isPageRequest(req: IncomingMessage): boolean {
  return (req.url ?? '').startsWith('/m/');
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_FORM) throw new PageError(413, '提交的内容过长，请精简情况说明后再试。');
    chunks.push(c as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    // everything is inline and from here: no outside script, style, image or tile can load
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    ...headers,
  });
  res.end(html);
}

/** The service's index page at `/` (render.ts renderIndex), with the phone page's headers. */
export function sendIndex(res: ServerResponse): void {
  send(res, 200, renderIndex());
}

/** The key's recipient, checked before the store is opened: a forged or expired link costs no store access. */
function keyRecipient(deps: PageDeps, key: string): string {
  if (!deps.page) throw new PageError(503, '处置页面尚未启用（未配置链接密钥），请联系系统管理员。');
  const check = verifyKey(deps.page.secret, key, (deps.nowMs?.() ?? Date.now()) / 1000);
  if (!check.ok)
    throw new PageError(403, check.reason === 'expired' ? '链接已过期。' : '链接无效：链接不完整或被改动过。');
  return check.recipientId;
}

async function recipientOf(store: Store, id: string): Promise<PageRecipient> {
  const who = await store.one<PageRecipient>(sql('assign/recipient.sql'), { recipient: id });
  if (!who) throw new PageError(403, '链接对应的接收人已不在名单中。');
  return who;
}

async function ownItem(store: Store, who: PageRecipient, itemId: string): Promise<void> {
  if (!(await store.value<number>(`SELECT count(*) FROM assignments WHERE item_id = $i`, { i: itemId })))
    throw new PageError(404, '没有这个事项，可能已被撤回。');
  const routed = await store.value<number>(sql('assign/is_routed.sql'), { item: itemId, recipient: who.id });
  if (!routed) throw new PageError(403, '该事项不属于您，无法查看或回传。');
}

/**
 * Why a grid worker's list is empty when it is not simply a quiet month, in words the worker can pass on: a city
 * placed without grid boundaries routes every item to a street office, and a grid id no order is placed in (a typo,
 * another city's numbering) never gets one. Undefined when the grids are fine or the recipient is no grid worker.
 */
async function emptyReason(store: Store, who: PageRecipient): Promise<string | undefined> {
  if (who.kind !== 'grid') return undefined;
  const c = await store.one<{ configured: number; city_grids: number; known: number; grids: string | null }>(
    sql('assign/grid_coverage.sql'),
    { recipient: who.id },
  );
  if (!c) return undefined;
  if (Number(c.city_grids) === 0)
    return '本市尚未配置网格边界（spatial.boundaries.grids），事项暂时交办到街道办。请联系街道办领取事项，或请系统管理员配置网格边界。';
  if (Number(c.configured) === 0)
    return '您的接收人配置没有列出负责的网格（assign.recipients 的 grids），请系统管理员补上。';
  if (Number(c.known) === 0)
    return `您负责的网格（${c.grids}）在本市网格中没有找到，请系统管理员核对接收人配置（assign.recipients 的 grids）。`;
  return undefined;
}

/** Whether this recipient's report with this key (form key and the status sent) is already recorded. */
async function alreadyTaken(store: Store, itemId: string, rid: string, key: string): Promise<boolean> {
  const n = await store.value<number>(
    `SELECT count(*) FROM feedback WHERE item_id = $i AND recipient_id = $r AND request_key = $k`,
    { i: itemId, r: rid, k: key },
  );
  return (n ?? 0) > 0;
}

/** One report from the page's form: checked against the flow the buttons offer, then applied like an API update. */
async function report(
  store: Store,
  deps: PageDeps,
  who: PageRecipient,
  itemId: string,
  form: URLSearchParams,
): Promise<string> {
  await ownItem(store, who, itemId);
  const to = (form.get('status') ?? '').trim();
  const note = (form.get('note') ?? '').trim().slice(0, 500) || null;
  // the same form sent again is the report already taken (its key names the state the form was drawn against):
  // answered like the first, not as an illegal step, and not recorded twice
  const k = form.get('k');
  const key = k && k.length <= 180 ? `${k}>${to}` : null;
  if (key && (await alreadyTaken(store, itemId, who.id, key))) return to;
  const status = await store.value<string>(`SELECT status FROM assignments WHERE item_id = $i`, { i: itemId });
  const action = actionsFor(status ?? '', who.kind).find((a) => a.to === to);
  if (!action) {
    if (to === '核验' && who.kind === 'grid') throw new PageError(403, '核验由街道或主管单位完成，网格员不能核验。');
    throw new PageError(
      409,
      `当前状态为「${status}」，不能回传「${to || '（空）'}」。请刷新页面后按 排查→整改→办结 的顺序回传。`,
    );
  }
  if (action.noteRequired && !note) throw new PageError(400, `「${action.label}」请填写处置情况。`);
  const result = await store.tx(() =>
    applyUpdate(store, {
      itemId,
      to,
      note,
      at: deps.now(),
      recipientId: who.id,
      source: 'http',
      key,
    }),
  );
  if (!result.ok)
    throw new PageError(409, `回传未成功：${result.code === 'stale' ? '已有更晚的回传' : '状态已变化'}，请刷新页面。`);
  deps.log?.info({ recipient: who.id, item: itemId, from: result.from, to: result.to, via: 'page' }, 'status update');
  return to;
}

/** The recipient's list (or one item of it) as a page, with a notice above it: a report taken, or refused and why. */
async function listPage(
  deps: PageDeps,
  url: URL,
  key: string,
  rid: string,
  itemId: string | null,
  error?: string,
): Promise<string> {
  return deps.withStore(async (store) => {
    const who = await recipientOf(store, rid);
    if (itemId) await ownItem(store, who, itemId);
    const items = await board(store, deps.now(), deps.cfg.yellowAt, {
      recipientId: who.id,
      ...(itemId ? { itemId } : {}),
    });
    const done = url.searchParams.get('done');
    const item = url.searchParams.get('item');
    const ok = done && item && items.some((i) => i.item_id === item) ? `已回传「${done}」（${item}）。` : undefined;
    const p = Number(url.searchParams.get('p')) || 1;
    const empty = items.length || itemId ? undefined : await emptyReason(store, who);
    const notice = { ok, error, empty, single: !!itemId };
    return renderPage(who, items, key, { streets: deps.page?.streets ?? null }, notice, p);
  });
}

/** A report from the form: taken, back to the list (303); refused (a step out of turn, no note), the list says why. */
async function post(
  req: IncomingMessage,
  res: ServerResponse,
  deps: PageDeps,
  key: string,
  rid: string,
  itemId: string,
): Promise<void> {
  const form = deps.form ? await deps.form() : await readForm(req);
  const p = Number(form.get('p')) || 1;
  let to: string;
  try {
    to = await deps.withStore(async (store) => report(store, deps, await recipientOf(store, rid), itemId, form));
  } catch (err) {
    if (!(err instanceof PageError) || (err.status !== 400 && err.status !== 409)) throw err;
    const at = new URL(`http://localhost/m/${encodeURIComponent(key)}?p=${p}`);
    return send(res, err.status, await listPage(deps, at, key, rid, null, err.message));
  }
  const back = `/m/${encodeURIComponent(key)}?p=${p}&done=${encodeURIComponent(to)}&item=${encodeURIComponent(itemId)}#i-${encodeURIComponent(itemId)}`;
  res.writeHead(303, { location: back, 'cache-control': 'no-store' });
  res.end();
}

async function route(req: IncomingMessage, res: ServerResponse, deps: PageDeps, url: URL): Promise<void> {
  let parts: string[];
  try {
    parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new PageError(400, '链接不完整或有误，请使用交办消息中的完整链接。');
  }
  const key = parts[1] ?? '';
  const itemId = parts[2] === 'items' && parts.length === 4 ? parts[3] : null;
  if (parts.length !== 2 && !itemId) throw new PageError(404, '页面不存在。');
  const rid = keyRecipient(deps, key);
  if (req.method === 'POST' && itemId) return post(req, res, deps, key, rid, itemId);
  if (req.method !== 'GET') throw new PageError(405, '不支持的操作。');
  send(res, 200, await listPage(deps, url, key, rid, itemId));
}

/**
 * The phone page's requests, answered in full here (HTML, never the JSON API's body): the key in the path is checked
 * before anything is read, every item is checked against the key's recipient, and every refusal is plain Chinese.
 */
export async function handlePage(req: IncomingMessage, res: ServerResponse, deps: PageDeps): Promise<void> {
  try {
    await route(req, res, deps, new URL(req.url ?? '/', 'http://localhost'));
  } catch (err) {
    if (err instanceof PageError) return send(res, err.status, renderError(err.message));
    // the server's own bounds on a form (413 too long, 408 too slow) answered in the page's words
    const status = (err as { status?: unknown }).status;
    if (status === 413) return send(res, 413, renderError('提交的内容过长，请精简情况说明后再试。'));
    if (status === 408) return send(res, 408, renderError('提交超时，请检查网络后重试。'));
    const busy = /busy|in use|lock/i.test((err as Error).message ?? '');
    if (!busy) deps.log?.error({ err }, 'page request failed');
    send(
      res,
      busy ? 503 : 500,
      renderError(busy ? '系统正在更新数据，请稍后再试。' : '系统出错，请稍后再试。', '如多次出现，请联系街道办。'),
      busy ? { 'retry-after': '30' } : {},
    );
  }
}
