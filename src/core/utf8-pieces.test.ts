import { describe, expect, it } from 'vitest';
import { seededRandom } from './random.js';
import { Utf8Pieces } from './utf8-pieces.js';

describe('Utf8Pieces', () => {
  it('decodes text cut at every byte as TextDecoder does in streaming mode', () => {
    const text = 'a é ü 中文 🙂 ok\n data: {"content":"ßø∑"} 𝄞';
    const bytes = Buffer.from(text, 'utf8');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const pieces = new Utf8Pieces();
      const decoded = pieces.decode(bytes.subarray(0, cut)) + pieces.decode(bytes.subarray(cut));
      expect(decoded, `cut at ${cut}`).toBe(text);
    }
  });

  it('matches TextDecoder on random splits of random bytes, valid or not', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 1000; round += 1) {
      const bytes = Buffer.from(Array.from({ length: 40 }, () => Math.floor(random() * 256)));
      const reference = new TextDecoder();
      const pieces = new Utf8Pieces();
      let expected = '';
      let actual = '';
      for (let at = 0; at < bytes.length;) {
        const next = Math.min(bytes.length, at + 1 + Math.floor(random() * 6));
        // A reused read buffer: the piece's memory is overwritten once it has been decoded.
        const piece = Buffer.from(bytes.subarray(at, next));
        expected += reference.decode(piece, { stream: true });
        actual += pieces.decode(piece);
        piece.fill(0);
        at = next;
      }
      expect(actual, `round ${round}`).toBe(expected);
    }
  });
});
