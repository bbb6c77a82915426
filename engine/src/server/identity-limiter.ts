// Per-identity call rate limits for HTTP calls (WebSocket sessions have one bucket per connection).
// The table of identities is bounded: past `maxIdentities`, the least recently seen are forgotten
// (they start again with a full bucket), so memory stays bounded whatever the clients do.
import { TokenBucket } from '../net/index.ts';

export class IdentityLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly ratePerSecond: number, private readonly burst: number, private readonly maxIdentities = 10_000) {}

  /** Takes one call's token for `identity`; false when it is over its rate. */
  take(identity: string): boolean {
    let b = this.buckets.get(identity);
    if (b) this.buckets.delete(identity); // re-insert below: Map order is recency order
    else {
      b = new TokenBucket({ ratePerSecond: this.ratePerSecond, burst: this.burst });
      if (this.buckets.size >= this.maxIdentities) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(identity, b);
    return b.take(1);
  }

  get size(): number { return this.buckets.size; }
}
