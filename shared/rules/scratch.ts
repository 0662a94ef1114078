/**
 * Reused working memory. A fresh 10 MB typed array costs the operating system a page
 * fault per 4 KB on first touch, which at 100,000 customers is a good part of a pass;
 * a computation borrows the buffer of the previous one instead. Each name has one
 * borrower at a time: a borrowed array is valid until the next borrow of that name, so
 * it must not outlive the computation that borrowed it.
 */
const buffers = new Map<string, Float64Array>();
const intBuffers = new Map<string, Int32Array>();

/** `length` zeros, in memory reused from the last borrow of `name`. */
export function borrowFloat64(name: string, length: number): Float64Array {
  let buffer = buffers.get(name);
  if (buffer === undefined || buffer.length < length) {
    buffer = new Float64Array(length);
    buffers.set(name, buffer);
    return buffer;
  }
  const view = buffer.subarray(0, length);
  view.fill(0);
  return view;
}

/** `length` 32-bit integers to be written before they are read: not cleared. */
export function borrowInt32(name: string, length: number): Int32Array {
  let buffer = intBuffers.get(name);
  if (buffer === undefined || buffer.length < length) {
    buffer = new Int32Array(length);
    intBuffers.set(name, buffer);
  }
  return buffer.subarray(0, length);
}
