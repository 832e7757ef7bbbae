/** Options every command accepts. */
export interface GlobalOptions {
  debug?: boolean;
  store?: string;
}
