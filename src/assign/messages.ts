import { createHmac } from 'node:crypto';
import type { BoardItem } from './board.js';
import { markdownText } from './cell-text.js';
import { joinPlace } from '../store/place-names.js';

export type WebhookType = 'json' | 'wecom' | 'dingtalk';

/** Robot message size limits (bytes of the markdown text); a list that does not fit is split into parts. */
const LIMIT: Record<WebhookType, number> = { wecom: 4000, dingtalk: 18000, json: 1_000_000 };

const MARK: Record<string, string> = { red: '🔴超期', yellow: '🟡临期', green: '🟢', done: '✅', late: '⚠️' };
const FONT: Record<string, string> = { red: 'warning', yellow: 'comment', green: 'info' };

export interface Message {
  part: number;
  parts: number;
  items: BoardItem[];
  body: unknown;
  headers: Record<string, string>;
}

/**
 * An item's district, street and grid as the titles and the report write places (joinPlace): Chinese names run
 * together (邯郸市邱县), Latin ones spaced (Roxbury Ward 9).
 */
export function placeText(it: Pick<BoardItem, 'district' | 'street' | 'grid_id'>): string {
  return joinPlace([it.district, it.street, it.grid_id ? `网格${it.grid_id}` : null]);
}

function area(it: BoardItem): string {
  return placeText(it) || (it.level === 'city' ? '全市' : (it.cell ?? ''));
}

/** Where in a hotspot's cell to go: the place most of its orders point to, with how many of how many (蓝天里（74/114件）). */
export function addressText(it: BoardItem): string {
  const e = it.evidence;
  if (!e.address) return '';
  if (!e.address_orders || e.address_orders < 2) return e.address;
  return e.address_of
    ? `${e.address}（${e.address_orders}/${e.address_of}件）`
    : `${e.address}（${e.address_orders}件）`;
}

function line(it: BoardItem, type: WebhookType): string {
  const flag = MARK[it.colour] ?? '';
  const head = type === 'wecom' && FONT[it.colour] ? `<font color="${FONT[it.colour]}">${flag}</font>` : flag;
  const ex = it.evidence.typical_orders[0];
  // text from the orders is shown, never rendered as links or markup (cell-text.ts)
  const where = markdownText(addressText(it));
  const at = where ? `\n> 位置：${where}` : '';
  return `> ${head} **${markdownText(it.title)}**\n> 编号 ${it.item_id}｜${markdownText(it.category)}｜时限 ${it.deadline}｜${it.status}${at}${ex ? `\n> 例：${markdownText(ex.content)}` : ''}`;
}

/**
 * How to report back, in every message: the recipient's own page (a signed link that expires, never the API token),
 * or, without a page configured, the street office.
 */
function howToReport(link: string | null | undefined): string {
  return link
    ? `[点此打开处置页面](${link})，逐项点「排查」「整改」「办结」并填写情况（链接仅限本人使用，请勿转发）。`
    : '处置进展请按 排查→整改→办结 回传街道办。';
}

function markdown(
  name: string,
  asOf: string,
  items: BoardItem[],
  part: number,
  parts: number,
  type: WebhookType,
  link?: string | null,
): string {
  const head = `### ${markdownText(name)} 交办事项（${asOf}${parts > 1 ? `，${part}/${parts}` : ''}）\n共 ${items.length} 项。${howToReport(link)}`;
  return [head, ...items.map((it) => line(it, type))].join('\n\n');
}

/** The JSON document of the generic webhook: the items as exported, nothing personal. */
function jsonBody(
  recipient: { id: string; name: string },
  asOf: string,
  items: BoardItem[],
  part: number,
  parts: number,
  link?: string | null,
): unknown {
  return {
    source: 'weisu',
    as_of: asOf,
    recipient,
    part,
    parts,
    ...(link ? { link } : {}),
    items: items.map((it) => ({
      item_id: it.item_id,
      source: it.source,
      item_type: it.item_type,
      title: it.title,
      category: it.category,
      area: area(it),
      district: it.district,
      street: it.street,
      grid_id: it.grid_id,
      cell: it.cell,
      lead_unit: it.lead_unit,
      co_units: it.co_units,
      deadline: it.deadline,
      status: it.status,
      colour: it.colour,
      evidence: it.evidence,
    })),
  };
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/**
 * Split a recipient's items into messages of its webhook's format, each within the robot's size limit. `link` is the
 * recipient's page (page/config.ts pageLinker): every part carries it.
 */
export function buildMessages(
  type: WebhookType,
  recipient: { id: string; name: string },
  asOf: string,
  items: BoardItem[],
  maxItems: number,
  link?: string | null,
): Message[] {
  let groups = chunks(items, maxItems);
  if (type !== 'json') {
    // halve any group whose text is over the limit, until every part fits (a single item always fits: titles are short)
    const fit: BoardItem[][] = [];
    const stack = [...groups].reverse();
    while (stack.length) {
      const g = stack.pop()!;
      if (g.length > 1 && Buffer.byteLength(markdown(recipient.name, asOf, g, 99, 99, type, link)) > LIMIT[type]) {
        const mid = Math.ceil(g.length / 2);
        stack.push(g.slice(mid), g.slice(0, mid));
      } else fit.push(g);
    }
    groups = fit;
  }
  return groups.map((g, i) => {
    const part = i + 1;
    const parts = groups.length;
    const title = `${markdownText(recipient.name)} 交办事项`;
    const text = markdown(recipient.name, asOf, g, part, parts, type, link);
    const body =
      type === 'wecom'
        ? { msgtype: 'markdown', markdown: { content: text } }
        : type === 'dingtalk'
          ? { msgtype: 'markdown', markdown: { title, text } }
          : jsonBody(recipient, asOf, g, part, parts, link);
    return { part, parts, items: g, body, headers: { 'content-type': 'application/json; charset=utf-8' } };
  });
}

/** DingTalk 加签: HMAC-SHA256 over "timestamp\nsecret" keyed by the secret, base64, into the URL. */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestampMs}&sign=${encodeURIComponent(sign)}`;
}

/** Generic webhook with a secret: the receiver checks HMAC-SHA256(secret, timestamp + '.' + body). */
export function jsonSignature(secret: string, timestampMs: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestampMs}.${body}`, 'utf8').digest('hex');
}

/** A URL safe to print or store: no query string (robot keys and signatures live there). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return '(invalid url)';
  }
}
