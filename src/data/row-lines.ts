/** Lines rows start on, by row, kept in fixed chunks (4 bytes a row) so that messages can name a bad value's line. */
export class RowLines {
  private static readonly CHUNK = 1 << 16;
  private readonly chunks: Int32Array[] = [];
  private current = new Int32Array(0);
  private offset = RowLines.CHUNK;
  length = 0;

  add(line: number): void {
    if (this.offset === RowLines.CHUNK) {
      this.current = new Int32Array(RowLines.CHUNK);
      this.chunks.push(this.current);
      this.offset = 0;
    }
    this.current[this.offset] = line;
    this.offset += 1;
    this.length += 1;
  }

  /** The line row `row` starts on. */
  at(row: number): number {
    return (this.chunks[Math.floor(row / RowLines.CHUNK)] as Int32Array)[row % RowLines.CHUNK] as number;
  }
}
