/** Gathers a response body, decoding it once at the end; keeps at most `limit` bytes (the rest is read and dropped). */
export class TextCollector {
  private readonly parts: Buffer[] = [];
  private bytes = 0;
  private decoded: string | null = null;

  constructor(private readonly limit = Infinity) {}

  add(chunk: Buffer): void {
    if (this.bytes >= this.limit) return;
    this.parts.push(chunk);
    this.bytes += chunk.length;
    this.decoded = null;
  }

  get text(): string {
    this.decoded ??= (this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts)).toString('utf8');
    return this.decoded;
  }

  /** The collected text, whitespace-collapsed and cut to 300 characters, for error messages. */
  snippet(): string {
    return this.text.slice(0, 300).replace(/\s+/g, ' ').trim();
  }
}
