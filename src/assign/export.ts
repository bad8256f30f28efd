import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardItem } from './board.js';
import { markdownText, spreadsheetText } from './cell-text.js';
import { addressText } from './messages.js';

const COLOUR_ZH: Record<string, string> = {
  green: '正常',
  yellow: '临期',
  red: '超期',
  done: '已办结',
  late: '超期办结',
};
const COLOUR_MARK: Record<string, string> = { green: '🟢', yellow: '🟡', red: '🔴', done: '✅', late: '⚠️' };

// address (a hotspot's most frequent address) came later: it goes last, so scripts reading columns by position still work
const CSV_HEADER = [
  'item_id',
  'source',
  'item_type',
  'level',
  'category',
  'district',
  'street',
  'grid_id',
  'cell',
  'title',
  'orders',
  'orders_prev',
  'repeats',
  'z',
  'lead_unit',
  'co_units',
  'assigned_at',
  'deadline',
  'status',
  'colour',
  'typical_orders',
  'address',
];

function csvField(v: unknown): string {
  const s = spreadsheetText(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function itemsCsv(items: BoardItem[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const it of items) {
    const e = it.evidence;
    lines.push(
      [
        it.item_id,
        it.source,
        it.item_type,
        it.level,
        it.category,
        it.district,
        it.street,
        it.grid_id,
        it.cell,
        it.title,
        e.orders,
        e.orders_prev,
        e.repeats,
        e.z ?? '',
        it.lead_unit,
        it.co_units.join('；'),
        it.assigned_at,
        it.deadline,
        it.status,
        it.colour,
        e.typical_orders.map((o) => `${o.day} ${o.content}`).join(' | '),
        e.address ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  }
  // BOM so Excel on a Chinese Windows desktop opens it as UTF-8.
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

function mdCell(s: string | null | undefined): string {
  return markdownText(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown list for one recipient: a summary line and one row per item, most urgent first. */
export function itemsMarkdown(
  recipientName: string,
  asOf: string,
  items: BoardItem[],
  opts: { typical?: boolean } = {},
): string {
  const count = (c: string) => items.filter((i) => i.colour === c).length;
  const out = [
    `# ${recipientName} 交办清单（截至 ${asOf}）`,
    '',
    `共 ${items.length} 项：超期 ${count('red')}，临期 ${count('yellow')}，正常 ${count('green')}，已办结 ${count('done') + count('late')}。`,
    '',
    '| 状态 | 编号 | 事项 | 位置 | 类别 | 牵头单位 | 时限 | 进度 |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const it of items) {
    out.push(
      `| ${COLOUR_MARK[it.colour] ?? ''}${COLOUR_ZH[it.colour] ?? it.colour} | ${it.item_id} | ${mdCell(it.title)} | ${mdCell(addressText(it)) || '—'} | ${mdCell(it.category)} | ${mdCell(it.lead_unit)} | ${it.deadline} | ${it.status} |`,
    );
  }
  if (opts.typical !== false) {
    const withExamples = items.filter((i) => i.evidence.typical_orders.length > 0);
    if (withExamples.length) {
      out.push('', '## 典型工单', '');
      for (const it of withExamples) {
        out.push(`**${it.item_id}** ${mdCell(it.title)}`, '');
        for (const o of it.evidence.typical_orders) out.push(`- ${o.day} ${mdCell(o.content)}`);
        out.push('');
      }
    }
  }
  return out.join('\n') + '\n';
}

export interface RecipientItems {
  id: string;
  name: string;
  kind: string;
  items: BoardItem[];
}

/**
 * A recipient's file name: its id with path separators, control and other characters file systems refuse replaced
 * by '_' and no leading dot (ids made from place names hold '/': `auto-street-Allston / Brighton-Ward 21`); an id
 * that had to change gets a short hash of itself, so two ids never share a file.
 */
export function listFileName(id: string): string {
  // eslint-disable-next-line no-control-regex
  const safe = id.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_');
  if (safe === id) return id;
  return `${safe}-${createHash('sha256').update(id).digest('hex').slice(0, 8)}`;
}

/** Write `<dir>/<recipient>.csv|json|md` for every recipient (file names: listFileName); returns the files written. */
export function exportLists(dir: string, asOf: string, lists: RecipientItems[]): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const r of lists) {
    const base = join(dir, listFileName(r.id));
    writeFileSync(base + '.csv', itemsCsv(r.items));
    writeFileSync(
      base + '.json',
      JSON.stringify({ as_of: asOf, recipient: { id: r.id, name: r.name, kind: r.kind }, items: r.items }, null, 2) +
        '\n',
    );
    writeFileSync(base + '.md', itemsMarkdown(r.name, asOf, r.items));
    files.push(base + '.csv', base + '.json', base + '.md');
  }
  return files;
}
