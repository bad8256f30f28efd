import type { IncomingMessage } from 'node:http';
import { bearerToken, HttpError } from './http.js';
import { hashToken, sameHash } from './recipients.js';
import type { StoreLane } from './store-lane.js';
import { sql } from '../store/sql.js';

/**
 * Who a request comes from, decided from its headers alone (before its body is read), against the token hashes
 * of the store's recipients. The hashes are kept in memory and re-read at most every refreshMs when a token is not
 * found (a recipient just added) and always after maxAgeMs (a token just revoked), so a stream of forged tokens
 * costs one store read per refreshMs, not one per request.
 */
export class TokenCache {
  private hashes: Array<{ hash: string; id: string }> = [];
  private loadedAt = -Infinity;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly lane: StoreLane,
    private readonly refreshMs = 2000,
    private readonly maxAgeMs = 30_000,
  ) {}

  /** The recipient of the request's bearer token; 401 when there is none or it is unknown. */
  async recipientOf(req: IncomingMessage): Promise<string> {
    const token = bearerToken(req);
    if (!token) throw new HttpError(401, '缺少令牌（Authorization: Bearer …）');
    return this.recipientOfToken(token);
  }

  /** The recipient of a token however it came (a page may carry it elsewhere than the header); 401 if unknown. */
  async recipientOfToken(token: string): Promise<string> {
    const presented = hashToken(token);
    const age = () => Date.now() - this.loadedAt;
    if (age() > this.maxAgeMs) await this.reload();
    let id = this.find(presented);
    if (!id && age() > this.refreshMs) {
      await this.reload();
      id = this.find(presented);
    }
    if (!id) throw new HttpError(401, '令牌无效');
    return id;
  }

  private find(presented: string): string | undefined {
    let found: string | undefined;
    // compare with every hash (constant time each), so the answer time does not tell which one was close
    for (const h of this.hashes) if (sameHash(h.hash, presented)) found ??= h.id;
    return found;
  }

  private reload(): Promise<void> {
    this.loading ??= this.lane
      .run((s) => s.all<{ recipient_id: string; token_hash: string }>(sql('assign/recipient_tokens.sql')))
      .then((rows) => {
        this.hashes = rows.map((r) => ({ hash: r.token_hash, id: r.recipient_id }));
        this.loadedAt = Date.now();
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }
}
