/** Gathers a response body, decoding it once at the end. */
export class TextCollector {
  private readonly parts: Buffer[] = [];
  private decoded: string | null = null;

  add(chunk: Buffer): void {
    this.parts.push(chunk);
    this.decoded = null;
  }

  get text(): string {
    this.decoded ??= (this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts)).toString('utf8');
    return this.decoded;
  }
}
