// How a probe answer crosses from the main thread to a worker that waits for it synchronously:
// a SharedArrayBuffer per worker thread. Int32 0: the sequence number of the probe answered last
// (the worker waits until it equals the one it asked for, so a late answer to an earlier probe
// is never taken for the current one); Int32 1: byte length of the error text, or -1 for
// success (nil in Lua); then the UTF-8 text.
export const PROBE_ANSWER_BYTES = 8 + 4096;

export function createProbeBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(PROBE_ANSWER_BYTES);
}

export function writeProbeAnswer(buffer: SharedArrayBuffer, seq: number, error: string | undefined): void {
  const header = new Int32Array(buffer, 0, 2);
  if (error === undefined) {
    header[1] = -1;
  } else {
    const bytes = Buffer.from(error, "utf8").subarray(0, PROBE_ANSWER_BYTES - 8);
    new Uint8Array(buffer, 8, bytes.length).set(bytes);
    header[1] = bytes.length;
  }
  Atomics.store(header, 0, seq);
  Atomics.notify(header, 0);
}

/** Blocks until the answer to probe `seq` is there, then returns it. */
export function awaitProbeAnswer(buffer: SharedArrayBuffer, seq: number): string | undefined {
  const header = new Int32Array(buffer, 0, 2);
  for (let seen = Atomics.load(header, 0); seen !== seq; seen = Atomics.load(header, 0)) Atomics.wait(header, 0, seen);
  const length = header[1];
  if (length < 0) return undefined;
  return Buffer.from(new Uint8Array(buffer, 8, length)).toString("utf8");
}
