import { closeSync, openSync, readSync } from 'node:fs';
import { messageOf, usageError } from '../../core/errors.js';

/** Bytes read at a time: a trace is streamed, never held whole, and each read is split into lines in little time. */
const CHUNK_BYTES = 1 << 16;

/** One line of a text file, without its line break, and its number from 1. */
export interface TextLine {
  line: number;
  text: string;
}

/**
 * The lines of a text file, read synchronously a chunk at a time, so that a file of any length takes the memory of
 * one chunk (an open-loop schedule pulls its next arrival synchronously). A line split across chunks is joined.
 */
export function* textLines(path: string): Generator<TextLine> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw usageError('DATA_UNREADABLE', `cannot read ${path}: ${messageOf(error)}`, 'check the path and permissions');
  }
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  // The bytes after the last newline so far, kept undecoded (a chunk can end inside a UTF-8 sequence), in pieces:
  // a line longer than a chunk is joined once, not copied again with every chunk.
  let carry: Buffer[] = [];
  let line = 0;
  const strip = (raw: string): string => (raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  try {
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      const lastNewline = buffer.lastIndexOf(10, read - 1);
      if (lastNewline < 0) {
        carry.push(Buffer.from(buffer.subarray(0, read)));
        continue;
      }
      const text = Buffer.concat([...carry, buffer.subarray(0, lastNewline)]).toString('utf8');
      carry = [Buffer.from(buffer.subarray(lastNewline + 1, read))];
      for (const raw of text.split('\n')) {
        line += 1;
        yield { line, text: strip(raw) };
      }
    }
    const rest = Buffer.concat(carry);
    if (rest.length > 0) yield { line: line + 1, text: strip(rest.toString('utf8')) };
  } finally {
    closeSync(fd);
  }
}
