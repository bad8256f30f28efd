import type { IncomingMessage } from 'node:http';

/** An answer with its HTTP status; anything else thrown by a handler is a 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface BodyLimits {
  maxBytes: number;
  /** The whole body must arrive within this many ms of the handler asking for it. */
  timeoutMs: number;
}

function parseJsonObject(buf: Buffer): Record<string, unknown> {
  if (buf.length === 0) return {};
  try {
    const v = JSON.parse(buf.toString('utf8')) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch {
    throw new HttpError(400, '请求体应为 JSON 对象');
  }
}

/**
 * The request body, bounded in size and time: a client that declares or sends more than maxBytes gets 413 at once,
 * one that stops sending gets 408 after timeoutMs. Neither holds anything else meanwhile.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limits.maxBytes) return Promise.reject(new HttpError(413, '请求体过大'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: HttpError | null) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limits.maxBytes) finish(new HttpError(413, '请求体过大'));
      else chunks.push(c);
    };
    const onEnd = () => finish(null);
    const onError = () => finish(new HttpError(400, '请求被中断'));
    const timer = setTimeout(() => finish(new HttpError(408, '未能及时收到请求体')), limits.timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/** The request body as a JSON object (readBody's bounds; 400 when it is not one). */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<Record<string, unknown>> {
  return parseJsonObject(await readBody(req, limits));
}

/** The request's URL; a request line no URL parser accepts is the client's error: 400. */
export function requestUrl(req: IncomingMessage): URL {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    throw new HttpError(400, '请求路径有误');
  }
}

/** Path segments of a URL path, percent-decoded; bad encoding ('%E0%A4%A', '%zz') is the client's error: 400. */
export function pathParts(pathname: string): string[] {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw new HttpError(400, '请求路径中的百分号编码有误');
  }
}

/** The bearer token of the Authorization header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1] : null;
}
