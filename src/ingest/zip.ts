import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { UserError } from '../store/errors.js';

/** One entry of a zip's central directory: its name, the size it says it unpacks to, and where its data is. */
export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflated (the only two an XLSX writer uses). */
  method: number;
  /** Offset of the entry's local header in the file. */
  offset: number;
}

/**
 * The central directory of a zip file (APPNOTE 4.3.12, 4.3.16), read without unpacking anything: lets a workbook's
 * parts and their unpacked size be checked before a parser inflates them. Zip64 sizes count as over any limit.
 */
export function zipEntries(buf: Buffer, path: string): ZipEntry[] {
  return parseDirectory(buf, 0, path);
}

/** The same from a file, reading only its tail and its central directory (never the whole file). */
export function zipEntriesOfFile(path: string): ZipEntry[] {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    // the end-of-central-directory record is in the last 22 + 65535 bytes (its comment is at most 64 KB)
    const tailLen = Math.min(size, 22 + 65535);
    const tail = Buffer.alloc(tailLen);
    readSync(fd, tail, 0, tailLen, size - tailLen);
    const eocd = findEocd(tail, path);
    const dirLen = tail.readUInt32LE(eocd + 12);
    const dirAt = tail.readUInt32LE(eocd + 16);
    if (dirAt + dirLen > size) throw damaged(path, '中央目录超出了文件末尾');
    const dir = Buffer.alloc(dirLen + 22);
    readSync(fd, dir, 0, dirLen, dirAt);
    // the directory followed by a copy of the end record, so one parser serves both ways in
    tail.copy(dir, dirLen, eocd, eocd + 22);
    return parseDirectory(dir, dirAt, path);
  } finally {
    closeSync(fd);
  }
}

function damaged(path: string, what: string): UserError {
  return new UserError(`${path}：不是 XLSX 工作簿（zip 已损坏：${what}）`);
}

function findEocd(buf: Buffer, path: string): number {
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) return i;
  throw damaged(path, '没有中央目录');
}

/** Entries of a directory held in `buf`, whose byte 0 is at file offset `base` (0 when buf is the whole file). */
function parseDirectory(buf: Buffer, base: number, path: string): ZipEntry[] {
  const eocd = findEocd(buf, path);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16) - base;
  const out: ZipEntry[] = [];
  const big = (n: number) => (n === 0xffffffff ? Number.MAX_SAFE_INTEGER : n);
  for (let i = 0; i < count; i++) {
    if (at < 0 || at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50)
      throw damaged(path, `中央目录第 ${i + 1} 项有误`);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    out.push({
      name: buf.subarray(at + 46, at + 46 + nameLen).toString('utf8'),
      size: big(buf.readUInt32LE(at + 24)),
      compressedSize: big(buf.readUInt32LE(at + 20)),
      method: buf.readUInt16LE(at + 10),
      offset: buf.readUInt32LE(at + 42),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * A stream of one entry's unpacked bytes, read from the file as it is consumed. It fails (UserError) once more than
 * `maxBytes` come out, or more than the directory claimed: a zip that lies about its sizes is stopped at the lie,
 * not after inflating it.
 */
export function openEntry(path: string, e: ZipEntry, maxBytes: number): Readable {
  const fd = openSync(path, 'r');
  const local = Buffer.alloc(30);
  try {
    readSync(fd, local, 0, 30, e.offset);
  } finally {
    closeSync(fd);
  }
  if (local.readUInt32LE(0) !== 0x04034b50) throw damaged(path, `${e.name} 没有本地文件头`);
  if (e.method !== 0 && e.method !== 8)
    throw new UserError(`${path}：${e.name} 用了 zip 压缩方法 ${e.method}，XLSX 不用这种方法`);
  if (e.compressedSize === 0) return Readable.from([]);
  const start = e.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  const raw = createReadStream(path, { start, end: start + e.compressedSize - 1 });
  const bound = Math.min(maxBytes, e.size);
  let out = 0;
  const guard = new Transform({
    transform(chunk: Buffer, _enc, done) {
      out += chunk.length;
      if (out > bound)
        done(
          new UserError(
            `${path}：${e.name} 解压后超过 ${bound} 字节（${out > e.size ? '比 zip 条目声明的大小还大' : '超过配置 ingest.xlsx.max_unzipped_bytes'}）`,
          ),
        );
      else done(null, chunk);
    },
  });
  // errors of the file or the inflater reach the consumer through the guard
  raw.on('error', (err) => guard.destroy(err));
  if (e.method === 0) return raw.pipe(guard);
  const inflater = createInflateRaw();
  inflater.on('error', (err) => guard.destroy(new UserError(`${path}：${e.name} 解压失败：${err.message}`)));
  return raw.pipe(inflater).pipe(guard);
}
