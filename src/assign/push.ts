import { randomUUID } from 'node:crypto';
import type { Logger } from '../store/log.js';
import type { Store } from '../store/db.js';
import { sql } from '../store/sql.js';
import { board, type BoardItem } from './board.js';
import type { AssignConfig, RecipientConfig } from './config.js';
import { recipientToken, tokenWarning } from './recipients.js';
import { buildMessages, dingtalkSignedUrl, jsonSignature, redactUrl, type Message } from './messages.js';
import type { PageLinker } from './page/config.js';

export interface PushOptions {
  asOf: string;
  /** Local time for item colours. */
  now: string;
  dryRun: boolean;
  /** Only items this recipient has not yet received successfully (default); false resends every open item. */
  onlyNew: boolean;
  recipientIds?: string[];
  runId?: string | null;
  log?: Logger;
  /** Injected for tests; real pushes use global fetch. */
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Where tokenEnv variables are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Each recipient's phone-page link for its messages (page/config.ts pageLinker), given the latest deadline of the
   * items sent, so the link outlives them; none: no link.
   */
  link?: PageLinker;
}

export interface PushReport {
  recipient: string;
  format: string | null;
  items: number;
  messages: number;
  sent: number;
  failed: number;
  /** Items in messages that were delivered. */
  delivered: number;
  skipped?: string;
  errors?: string[];
  /** Dry run: what would be sent. */
  preview?: Array<{ url: string; part: number; parts: number; items: string[]; body: unknown }>;
}

interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
  retry: boolean;
}

async function postOnce(
  fetchImpl: typeof fetch,
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<AttemptResult> {
  try {
    const res = await fetchImpl(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    if (res.status >= 500 || res.status === 429)
      return { ok: false, status: res.status, error: `HTTP ${res.status}`, retry: true };
    if (res.status >= 300)
      return { ok: false, status: res.status, error: `HTTP ${res.status}: ${text.slice(0, 200)}`, retry: false };
    // WeCom and DingTalk answer 200 with {"errcode": n, "errmsg": …}; non-zero is a refusal (bad key, bad sign).
    try {
      const j = JSON.parse(text) as { errcode?: number; errmsg?: string };
      if (typeof j.errcode === 'number' && j.errcode !== 0)
        return { ok: false, status: res.status, error: `errcode ${j.errcode}: ${j.errmsg ?? ''}`, retry: false };
    } catch {
      /* not JSON: a plain 2xx is success */
    }
    return { ok: true, status: res.status, error: null, retry: false };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return {
      ok: false,
      status: null,
      error: `${e.name === 'TimeoutError' ? 'timeout' : 'network error'}: ${e.cause?.code ?? e.message}`,
      retry: true,
    };
  }
}

async function recordAttempt(
  store: Store,
  o: {
    pushId: string;
    runId: string | null;
    asOf: string;
    recipient: string;
    msg: Message;
    format: string;
    attempt: number;
    res: AttemptResult;
    ms: number;
  },
): Promise<void> {
  await store.exec(sql('assign/push_record.sql'), {
    push_id: o.pushId,
    run_id: o.runId,
    as_of: o.asOf,
    recipient: o.recipient,
    items: o.msg.items.map((i) => i.item_id).join(','),
    format: o.format,
    part: o.msg.part,
    parts: o.msg.parts,
    attempt: o.attempt,
    status: o.res.status,
    ok: o.res.ok,
    error: o.res.error,
    ms: o.ms,
  });
}

async function itemsToPush(
  store: Store,
  cfg: AssignConfig,
  r: RecipientConfig,
  opts: PushOptions,
): Promise<BoardItem[]> {
  const all = await board(store, opts.now, cfg.yellowAt, { recipientId: r.id, asOf: opts.asOf });
  const open = all.filter((i) => i.status !== '办结' && i.status !== '核验');
  if (!opts.onlyNew) return open;
  const sent = new Set(
    (await store.all<{ item_id: string }>(sql('assign/pushed_items.sql'), { r: r.id })).map((x) => x.item_id),
  );
  return open.filter((i) => !sent.has(i.item_id));
}

/** Send one message, retrying network errors, 5xx and 429 with backoff; every attempt is recorded. */
async function sendMessage(
  store: Store,
  cfg: AssignConfig,
  r: RecipientConfig & { webhook: NonNullable<RecipientConfig['webhook']> },
  msg: Message,
  opts: PushOptions,
): Promise<{ ok: boolean; error: string | null }> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((res) => setTimeout(res, ms)));
  const pushId = randomUUID();
  const body = JSON.stringify(msg.body);
  for (let attempt = 1; ; attempt++) {
    // sign each attempt afresh: DingTalk rejects a timestamp older than an hour
    const ts = Date.now();
    let url = r.webhook.url;
    const headers = { ...msg.headers };
    if (r.webhook.type === 'dingtalk' && r.webhook.secret) url = dingtalkSignedUrl(url, r.webhook.secret, ts);
    if (r.webhook.type === 'json' && r.webhook.secret) {
      headers['x-weisu-timestamp'] = String(ts);
      headers['x-weisu-signature'] = jsonSignature(r.webhook.secret, ts, body);
    }
    const t0 = Date.now();
    const res = await postOnce(fetchImpl, url, body, headers, cfg.push.timeoutMs);
    const run = { pushId, runId: opts.runId ?? null, asOf: opts.asOf, recipient: r.id, format: r.webhook.type };
    await recordAttempt(store, { ...run, msg, attempt, res, ms: Date.now() - t0 });
    if (res.ok) return { ok: true, error: null };
    opts.log?.warn(
      { recipient: r.id, attempt, error: res.error, url: redactUrl(r.webhook.url) },
      'push attempt failed',
    );
    if (!res.retry || attempt > cfg.push.retries) return { ok: false, error: res.error ?? 'failed' };
    await sleep(cfg.push.backoffMs * 2 ** (attempt - 1));
  }
}

/** Why a recipient is not pushed this time, or null. */
function skipReason(r: RecipientConfig, env: NodeJS.ProcessEnv | undefined): string | null {
  if (!r.webhook) return 'no webhook configured (export only)';
  const problem = recipientToken(r, env).problem;
  return problem ? tokenWarning(r.id, problem) : null;
}

/** Push one recipient its items: a dry run previews the messages, a real one sends them. */
async function pushRecipient(
  store: Store,
  cfg: AssignConfig,
  r: RecipientConfig,
  opts: PushOptions,
): Promise<PushReport> {
  const items = await itemsToPush(store, cfg, r, opts);
  const rep: PushReport = {
    recipient: r.id,
    format: r.webhook?.type ?? null,
    items: items.length,
    messages: 0,
    sent: 0,
    failed: 0,
    delivered: 0,
  };
  const skipped = skipReason(r, opts.env);
  if (skipped || !r.webhook) {
    rep.skipped = skipped ?? undefined;
    if (r.webhook) opts.log?.warn({ event: 'push_skipped', recipient: r.id }, skipped ?? '');
    return rep;
  }
  if (items.length === 0) return rep;
  const msgs = buildMessages(
    r.webhook.type,
    { id: r.id, name: r.name },
    opts.asOf,
    items,
    cfg.push.maxItemsPerMessage,
    opts.link?.(
      r.id,
      items.reduce((m, i) => (i.deadline > m ? i.deadline : m), ''),
    ),
  );
  rep.messages = msgs.length;
  if (opts.dryRun) {
    const url = redactUrl(r.webhook.url);
    rep.preview = msgs.map((m) => ({
      url,
      part: m.part,
      parts: m.parts,
      items: m.items.map((i) => i.item_id),
      body: m.body,
    }));
    return rep;
  }
  for (const msg of msgs) {
    const res = await sendMessage(store, cfg, { ...r, webhook: r.webhook }, msg, opts);
    if (res.ok) {
      rep.sent++;
      rep.delivered += msg.items.length;
    } else {
      rep.failed++;
      (rep.errors ??= []).push(res.error ?? 'failed');
    }
  }
  return rep;
}

/**
 * Send each recipient only its own items through its webhook. Network errors, 5xx and 429 are retried with
 * exponential backoff up to cfg.push.retries times; every attempt is recorded in `pushes`. A failed push never
 * throws: the next run sends what was not delivered. A recipient whose token cannot be read now (tokenEnv unset)
 * is skipped with a warning; the others are pushed.
 */
export async function pushAll(store: Store, cfg: AssignConfig, opts: PushOptions): Promise<PushReport[]> {
  const wanted = opts.recipientIds && opts.recipientIds.length ? new Set(opts.recipientIds) : null;
  const reports: PushReport[] = [];
  for (const r of cfg.recipients)
    if (!wanted || wanted.has(r.id)) reports.push(await pushRecipient(store, cfg, r, opts));
  return reports;
}

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back');
  }
}

/**
 * Run fn; for a dry run, inside a transaction rolled back after taking fn's result, so the preview sees everything a
 * real push would (recipients synced, items routed) and the store is left as it was.
 */
export async function pushPlan<T>(store: Store, dryRun: boolean, fn: () => Promise<T>): Promise<T> {
  if (!dryRun) return fn();
  try {
    await store.tx(async () => {
      throw new Rollback(await fn());
    });
  } catch (err) {
    if (err instanceof Rollback) return err.value as T;
    throw err;
  }
  throw new Error('unreachable');
}
