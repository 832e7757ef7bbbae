/**
 * Decodes UTF-8 text that arrives in pieces: a character split between two pieces is decoded whole, with the later
 * one. Pieces may be views of memory their reader reuses; the few bytes held over are copied.
 */
export class Utf8Pieces {
  /** The start of a character the last piece ended inside of. */
  private carry: Buffer | null = null;

  decode(piece: Buffer): string {
    const bytes = this.carry === null ? piece : Buffer.concat([this.carry, piece]);
    this.carry = null;
    const whole = wholeCharactersLength(bytes);
    if (whole < bytes.length) this.carry = Buffer.from(bytes.subarray(whole));
    return bytes.toString('utf8', 0, whole);
  }
}

/** How many bytes a character takes whose first byte is `lead`; 0 when no character can start with it. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `second` may follow `lead` in a well-formed sequence (the narrower ranges of E0, ED, F0 and F4). */
function secondByteFits(lead: number, second: number): boolean {
  const [low, high] =
    lead === 0xe0
      ? [0xa0, 0xbf]
      : lead === 0xed
        ? [0x80, 0x9f]
        : lead === 0xf0
          ? [0x90, 0xbf]
          : lead === 0xf4
            ? [0x80, 0x8f]
            : [0x80, 0xbf];
  return second >= low && second <= high;
}

/**
 * How many of the bytes to decode now: all but the start of a well-formed character cut off at the end. Bytes that
 * cannot become a character are decoded at once (to U+FFFD), as a streaming TextDecoder does.
 */
function wholeCharactersLength(bytes: Buffer): number {
  const length = bytes.length;
  for (let back = 1; back <= 3 && back <= length; back += 1) {
    const byte = bytes[length - back] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: the sequence started further back
    const needed = sequenceLength(byte);
    if (needed <= back) return length;
    if (back >= 2 && !secondByteFits(byte, bytes[length - back + 1] ?? 0)) return length;
    return length - back;
  }
  return length;
}
