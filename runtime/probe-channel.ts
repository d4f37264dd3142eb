// How a probe answer crosses from the main thread to a worker that waits for it synchronously:
// a SharedArrayBuffer per worker. Int32 0: 0 = waiting, 1 = answered; Int32 1: byte length of
// the error text, or -1 for success (nil in Lua); then the UTF-8 text.
export const PROBE_ANSWER_BYTES = 8 + 4096;

export function createProbeBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(PROBE_ANSWER_BYTES);
}

export function writeProbeAnswer(buffer: SharedArrayBuffer, error: string | undefined): void {
  const header = new Int32Array(buffer, 0, 2);
  if (error === undefined) {
    header[1] = -1;
  } else {
    const bytes = new TextEncoder().encode(error).subarray(0, PROBE_ANSWER_BYTES - 8);
    new Uint8Array(buffer, 8, bytes.length).set(bytes);
    header[1] = bytes.length;
  }
  Atomics.store(header, 0, 1);
  Atomics.notify(header, 0);
}

export function readProbeAnswer(buffer: SharedArrayBuffer): string | undefined {
  const header = new Int32Array(buffer, 0, 2);
  const length = header[1];
  if (length < 0) return undefined;
  return new TextDecoder().decode(new Uint8Array(buffer, 8, length).slice());
}
