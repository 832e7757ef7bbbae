import { describe, expect, it } from 'vitest';
import { commandNamed } from './command-modules.js';

describe('the command named on the command line', () => {
  it('is the first word that is neither an option nor the value of --store', () => {
    expect(commandNamed(['metrics', 'preds.csv'])).toBe('metrics');
    expect(commandNamed(['--store', 'x.db', 'runs', 'list'])).toBe('runs');
    expect(commandNamed(['--debug', '--store=x.db', 'drift', 'a', 'b'])).toBe('drift');
    expect(commandNamed(['--help'])).toBeNull();
    expect(commandNamed([])).toBeNull();
  });
});
