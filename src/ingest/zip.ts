import { UserError } from '../store/errors.js';

/** One entry of a zip's central directory: its name and the size it says it unpacks to. */
export interface ZipEntry {
  name: string;
  size: number;
}

/**
 * The central directory of a zip file (APPNOTE 4.3.12, 4.3.16), read without unpacking anything: lets a workbook's
 * parts and their unpacked size be checked before a parser inflates them. Zip64 sizes count as over any limit.
 */
export function zipEntries(buf: Buffer, path: string): ZipEntry[] {
  // the end-of-central-directory record is in the last 22 + 65535 bytes (its comment is at most 64 KB)
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new UserError(`${path}: not an XLSX workbook (a damaged zip: no central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50)
      throw new UserError(`${path}: not an XLSX workbook (a damaged zip: bad central directory entry ${i + 1})`);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    out.push({ name, size: size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}
