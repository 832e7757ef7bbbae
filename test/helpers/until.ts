/** Waits until `check` holds, looking every `pollMs`; throws, naming `what`, once `timeoutMs` have passed. */
export async function until(what: string, check: () => boolean, timeoutMs = 3000, pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
