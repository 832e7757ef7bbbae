import { describe, expect, it } from 'vitest';
import { startSimulator } from './server.js';

async function complete(url: string): Promise<number> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'sim', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }),
  });
  await response.text();
  return response.status;
}

describe('the simulator', () => {
  it('turns faulty and healthy again at PUT /sim/faults, and refuses a fault it does not know', async () => {
    const sim = await startSimulator({ ttftMs: 1, itlMs: 1 });
    try {
      expect(await complete(sim.url)).toBe(200);
      const put = (body: string): Promise<Response> => fetch(`${sim.url}/sim/faults`, { method: 'PUT', body });
      expect((await put('http500=1')).status).toBe(200);
      expect(await complete(sim.url)).toBe(500);
      expect(await complete(sim.url)).toBe(500);
      expect((await put('')).status).toBe(200);
      expect(await complete(sim.url)).toBe(200);
      const refused = await put('meteor=1');
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ error: { message: "unknown fault 'meteor'" } });
      expect(await complete(sim.url)).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
