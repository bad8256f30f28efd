import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers.js';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'ingest');

describe('weisu tag', () => {
  it('explain --text --json prints exactly one JSON document with tags and evidence', () => {
    const t = tempDir();
    try {
      const r = runCli([
        '--db',
        join(t.dir, 'x.duckdb'),
        '--json',
        'tag',
        'explain',
        '--text',
        '路灯老化坏了半年，物业和路灯所互相推诿',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { tags: Array<{ tag: string }>; evidence: unknown[]; known_share: number };
      expect(doc.tags.map((x) => x.tag)).toContain('权责交叉');
      expect(doc.evidence).toHaveLength(5);
      // a city complaint: well above the out-of-domain floor (tag.minKnownShare)
      expect(doc.known_share).toBeGreaterThan(0.5);
      expect(doc.known_share).toBeLessThanOrEqual(1);
      // the trained model is kept in the store: a second call does not train again and agrees
      const r2 = runCli([
        '--db',
        join(t.dir, 'x.duckdb'),
        '--json',
        'tag',
        'explain',
        '--text',
        '路灯老化坏了半年，物业和路灯所互相推诿',
      ]);
      expect(JSON.parse(r2.stdout)).toEqual(doc);
    } finally {
      t.cleanup();
    }
  }, 180_000);

  it('explain --text of a text from another domain says the model does not know it, in Chinese', () => {
    const t = tempDir();
    try {
      // an invented car-fault title (the out-of-domain rule's case, test/tag/out-of-domain.test.ts)
      const r = runCli([
        '--db',
        join(t.dir, 'x.duckdb'),
        'tag',
        'explain',
        '--text',
        '银河SUV变速箱换挡顿挫发动机异响',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/模型熟悉的字对占 \d+%，不到 30%：这段文字不像模型学过的诉求/);
      expect(r.stdout).toContain('标签：其他');
    } finally {
      t.cleanup();
    }
  }, 180_000);

  it('explain of an unknown order is a one-line error with exit code 2', () => {
    const t = tempDir();
    try {
      const r = runCli(['--db', join(t.dir, 'x.duckdb'), 'tag', 'explain', 'NOPE']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain("中没有工单 'NOPE'");
    } finally {
      t.cleanup();
    }
  }, 180_000);

  it('explain of a stored order reads it from the store: its text, category and tags', () => {
    const t = tempDir();
    try {
      const db = join(t.dir, 'x.duckdb');
      const ing = runCli(['--db', db, 'ingest', join(FIXTURES, 'canonical.csv')]);
      expect(ing.code, ing.stderr).toBe(0);
      const r = runCli(['--db', db, '--json', 'tag', 'explain', 'A1']);
      expect(r.code, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as { tags: Array<{ tag: string }>; evidence: unknown[] };
      expect(doc.evidence).toHaveLength(5);
      expect(r.stdout).not.toContain('13812345678');
    } finally {
      t.cleanup();
    }
  }, 180_000);
});
