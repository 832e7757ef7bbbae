import { getPriority, setPriority } from 'node:os';

/** The least urgent nice value. */
const LEAST_URGENT_NICE = 19;

/**
 * Lowers the CPU priority of the calling thread alone by `steps` nice values (at most to 19), so that the process's
 * other threads get a contended core first. Linux keeps a nice value per thread, and os.setPriority(0, …) changes the
 * calling thread's; elsewhere it would change the whole process's, so nothing is done. Threads started afterwards by
 * this one inherit the new value. Returns the thread's nice value now, or null when it was left as it was (not Linux,
 * or the system refused).
 */
export function lowerThreadPriority(steps: number, platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null;
  try {
    const lowered = Math.min(LEAST_URGENT_NICE, getPriority(0) + steps);
    setPriority(0, lowered);
    return getPriority(0);
  } catch {
    return null;
  }
}
