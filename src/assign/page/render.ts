import type { BoardItem } from '../board.js';
import { addressText, placeText } from '../messages.js';
import { esc } from './html.js';
import { cellMap } from './map.js';
import type { PageOptions } from './config.js';

export interface PageRecipient {
  id: string;
  name: string;
  kind: string;
}

/** A button: the status it reports, its label, and whether a note is required with it. */
interface Action {
  to: string;
  label: string;
  noteRequired: boolean;
}

/**
 * What a recipient can report next on an item (status.ts enforces the same flow): 交办 → 排查 → 整改 → 办结, one step
 * at a time; after 办结 the street office or unit verifies (核验) or sends it back to 整改 — never the grid worker,
 * whose own work it would be. 办结 and a send-back need a note: what was done, or what is still wrong.
 */
export function actionsFor(status: string, kind: string): Action[] {
  const verifier = kind !== 'grid';
  switch (status) {
    case '交办':
      return [{ to: '排查', label: '排查', noteRequired: false }];
    case '排查':
      return [{ to: '整改', label: '整改', noteRequired: false }];
    case '整改':
      return [{ to: '办结', label: '办结', noteRequired: true }];
    case '办结':
      return verifier
        ? [
            { to: '核验', label: '核验通过', noteRequired: false },
            { to: '整改', label: '退回整改', noteRequired: true },
          ]
        : [];
    default:
      return [];
  }
}

const COLOUR: Record<string, [string, string]> = {
  red: ['#d32f2f', '超期'],
  yellow: ['#f9a825', '临期'],
  green: ['#2e7d32', '正常'],
  done: ['#607d8b', '已办结'],
  late: ['#8d6e63', '超期办结'],
};

// long unbroken tokens (an export's codes, a URL in a complaint) break anywhere rather than widen the page
const CSS = `body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f3f5f7;color:#222;word-break:break-word;overflow-wrap:anywhere}
header{background:#1565c0;color:#fff;padding:10px 14px}header h1{font-size:17px;margin:0}header p{margin:2px 0 0;font-size:13px;opacity:.9}
.flash{background:#e8f5e9;color:#1b5e20;padding:8px 14px}.err{background:#ffebee;color:#b71c1c;padding:8px 14px}
.item{background:#fff;margin:10px 8px;padding:10px 12px;border-radius:8px;border-left:6px solid #999}
.item h2{font-size:15px;margin:0 0 4px}.tag{display:inline-block;color:#fff;border-radius:4px;padding:0 6px;font-size:12px;margin-right:4px}
.meta{font-size:13px;color:#555;margin:2px 0}.map{width:100%;max-width:360px;height:auto;display:block;margin:6px 0;background:#fafafa}
details{font-size:13px;color:#444}textarea{width:100%;box-sizing:border-box;min-height:3em;font-size:15px}
.acts{display:flex;gap:8px;margin-top:6px}.acts button{flex:1;font-size:16px;padding:8px;border:0;border-radius:6px;background:#1565c0;color:#fff}
.acts button.back{background:#8d6e63}.pager{display:flex;justify-content:space-between;padding:6px 14px}.done{opacity:.75}footer{font-size:12px;color:#777;padding:10px 14px}`;

/** Disables a form's buttons once sent (one tap, one report) and asks for the note a step needs. */
const JS = `document.querySelectorAll('form.report').forEach(function(f){f.addEventListener('submit',function(e){
var b=e.submitter;var n=f.querySelector('textarea');
if(b&&b.dataset.note==='1'&&!n.value.trim()){e.preventDefault();alert('请填写处置情况');n.focus();return;}
setTimeout(function(){f.querySelectorAll('button').forEach(function(x){x.disabled=true;});},0);});});`;

/**
 * The report key of an item's form: the state it was drawn against (status and its time). The same form sent again
 * (a double tap, a retry on a weak signal, the browser's resend) carries the same key and is one report; the next
 * step's form has a new key, since the item's state changed.
 */
export function formKey(it: Pick<BoardItem, 'status' | 'status_at'>): string {
  return `page:${it.status}@${it.status_at}`;
}

/** Items per page: a unit with 200 open items gets pages of this many, each well under 100 KB on a phone. */
export const PER_PAGE = 30;

function itemCard(
  it: BoardItem,
  key: string,
  kind: string,
  page: Pick<PageOptions, 'streets'>,
  pageNo: number,
): string {
  const [colour, colourZh] = COLOUR[it.colour] ?? ['#999', it.colour];
  const where = addressText(it);
  const area = placeText(it);
  const typical = it.evidence.typical_orders ?? [];
  const acts = actionsFor(it.status, kind);
  const form = acts.length
    ? `<form class="report" method="post" action="/m/${esc(key)}/items/${encodeURIComponent(it.item_id)}">` +
      `<input type="hidden" name="p" value="${pageNo}">` +
      `<input type="hidden" name="k" value="${esc(formKey(it))}">` +
      `<textarea name="note" maxlength="500" placeholder="情况说明（办结、退回时必填）"></textarea><div class="acts">` +
      acts
        .map(
          (a) =>
            `<button type="submit" name="status" value="${esc(a.to)}" data-note="${a.noteRequired ? 1 : 0}"${a.label.startsWith('退回') ? ' class="back"' : ''}>${esc(a.label)}</button>`,
        )
        .join('') +
      `</div></form>`
    : '';
  return (
    `<section class="item${acts.length ? '' : ' done'}" id="i-${esc(it.item_id)}" style="border-left-color:${colour}">` +
    `<h2><span class="tag" style="background:${colour}">${esc(colourZh)}</span>${esc(it.title)}</h2>` +
    `<p class="meta">${esc(it.category)}｜时限 ${esc(it.deadline)}｜当前：<b class="status">${esc(it.status)}</b></p>` +
    (area ? `<p class="meta">${esc(area)}</p>` : '') +
    (where ? `<p class="meta">位置：${esc(where)}</p>` : '') +
    cellMap(it.cell, it.street, it.district, page.streets) +
    (typical.length
      ? `<details><summary>典型诉求（${typical.length}件）</summary><ol>${typical.map((t) => `<li>${esc(t.day)} ${esc(t.content)}</li>`).join('')}</ol></details>`
      : '') +
    form +
    `</section>`
  );
}

function shell(title: string, body: string): string {
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<meta name="referrer" content="no-referrer"><title>${esc(title)}</title><style>${CSS}</style></head><body>${body}</body></html>`
  );
}

function pager(key: string, pageNo: number, pages: number): string {
  if (pages <= 1) return '';
  const link = (p: number, label: string) => `<a href="/m/${esc(key)}?p=${p}">${label}</a>`;
  return (
    `<nav class="pager">${pageNo > 1 ? link(pageNo - 1, '上一页') : ''}<span>第 ${pageNo}/${pages} 页</span>` +
    `${pageNo < pages ? link(pageNo + 1, '下一页') : ''}</nav>`
  );
}

/**
 * Bytes of item cards one page may hold. With the page's frame (style, script, header, pager: about 4 KB) a page
 * stays under 100 KB on a phone even where items are heavy — a real export's long English level names and areas,
 * three typical orders of 80 characters, a map — where PER_PAGE such cards came to 117 KB.
 */
export const PAGE_CARD_BYTES = 90_000;

/** A list's pages as [start, end) ranges: PER_PAGE items each, fewer where the cards would pass PAGE_CARD_BYTES. */
function paginate(sizes: number[]): Array<[number, number]> {
  const pages: Array<[number, number]> = [];
  let start = 0;
  let bytes = 0;
  sizes.forEach((n, i) => {
    if (i > start && (i - start >= PER_PAGE || bytes + n > PAGE_CARD_BYTES)) {
      pages.push([start, i]);
      start = i;
      bytes = 0;
    }
    bytes += n;
  });
  pages.push([start, sizes.length]);
  return pages;
}

/**
 * The recipient's page: open items first (red, yellow, green, by deadline, as board() orders them), finished ones
 * after, PER_PAGE to a page (fewer where heavy cards would pass PAGE_CARD_BYTES).
 */
export function renderPage(
  who: PageRecipient,
  items: BoardItem[],
  key: string,
  page: Pick<PageOptions, 'streets'>,
  notice: { ok?: string; error?: string; empty?: string; single?: boolean },
  pageNo = 1,
): string {
  const open = items.filter((i) => i.colour !== 'done' && i.colour !== 'late');
  const finished = items.filter((i) => i.colour === 'done' || i.colour === 'late');
  const red = open.filter((i) => i.colour === 'red').length;
  const ordered = [...open, ...finished];
  const ranges = paginate(ordered.map((it) => Buffer.byteLength(itemCard(it, key, who.kind, page, 1))));
  const pages = ranges.length;
  const at = Math.min(Math.max(1, Math.floor(pageNo) || 1), pages);
  const shown = ordered.slice(...ranges[at - 1]);
  // one item's own page (a link to one item) counts nothing: it leads back to the whole list instead
  const summary = notice.single
    ? `单个事项｜<a style="color:#fff" href="/m/${esc(key)}">查看全部事项</a>`
    : `待办 ${open.length} 项${red ? `，其中超期 ${red} 项` : ''}；已办结 ${finished.length} 项`;
  const body =
    `<header><h1>${esc(who.name)} 交办事项</h1><p>${summary}</p></header>` +
    (notice.ok ? `<div class="flash">${esc(notice.ok)}</div>` : '') +
    (notice.error ? `<div class="err">${esc(notice.error)}</div>` : '') +
    (items.length
      ? ''
      : `<p style="padding:14px">目前没有交办给您的事项。</p>` +
        (notice.empty ? `<div class="err">${esc(notice.empty)}</div>` : '')) +
    shown.map((it) => itemCard(it, key, who.kind, page, at)).join('') +
    pager(key, at, pages) +
    `<footer>逐项点「排查」「整改」「办结」回传处置进展；办结后由街道或主管单位核验。本页链接仅限本人使用，请勿转发。</footer>` +
    `<script>${JS}</script>`;
  return shell(`${who.name} 交办事项`, body);
}

/**
 * The page at `/`: the address `weisu serve` prints, opened in a browser. It says what the service is and where to
 * go, and holds no data — no item, no recipient's name, no key or token — since anyone who reaches the port sees it.
 */
export function renderIndex(): string {
  return shell(
    'weisu 网格交办服务',
    `<header><h1>weisu 网格交办服务</h1></header>` +
      `<p style="padding:14px 14px 0">这里是 weisu（未诉先办）的网格交办服务，本页不列出任何事项。</p>` +
      `<p style="padding:14px 14px 0"><b>网格员、街道和承办单位：</b>请打开推送消息（企业微信、钉钉等）中发给您本人的链接，查看交办事项并回传处置进展。链接仅限本人使用，过期后请使用最新一条消息中的链接。</p>` +
      `<p style="padding:14px"><b>系统对接：</b>回传接口 /items（需令牌）与 /health 的说明见 weisu 文档 docs/assign.md 的 “HTTP endpoint” 一节。</p>`,
  );
}

/** A refusal in plain Chinese: what went wrong and what to do. */
export function renderError(message: string, hint = '请使用最新一条交办消息中的链接，或联系街道办。'): string {
  return shell(
    '无法打开',
    `<header><h1>无法打开</h1></header><div class="err">${esc(message)}</div><p style="padding:14px">${esc(hint)}</p>`,
  );
}
