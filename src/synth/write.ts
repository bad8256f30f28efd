import { closeSync, openSync, writeSync } from 'node:fs';

/** Buffered line writer on a file descriptor: generation emits millions of lines, written in large blocks. */
export class LineWriter {
  private fd: number;
  private buf: string[] = [];
  private size = 0;
  private closed = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }

  line(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    // Small blocks: a large buffer of live strings would be copied by every young-generation GC.
    if (this.size > 200_000) this.flush();
  }

  flush(): void {
    if (this.buf.length) writeSync(this.fd, this.buf.join('\n') + '\n');
    this.buf = [];
    this.size = 0;
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

/** A TSV field: our values never hold tabs or newlines; null is DuckDB's \N. */
export function tsv(v: string | number | boolean | null): string {
  if (v === null) return '\\N';
  return typeof v === 'string' ? v : String(v);
}

/** A CSV field (RFC 4180 quoting only when needed). */
export function csv(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
