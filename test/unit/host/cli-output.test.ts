/**
 * The CLI's buffered writer: back-pressure is honoured (each write waits for 'drain' when the
 * stream is full) without leaving listeners behind, since a long CSV waits for 'drain' thousands
 * of times; and a stream error still rejects the pending write.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { closeOutput, write, writeOrWait } from '../../../src-main/host/cli/output.ts';

/** A stream that is full after every write and drains on the next tick. */
function slowStream(fail = false): Writable & { received: string[] } {
  const received: string[] = [];
  const stream = new Writable({
    highWaterMark: 1,
    write(chunk: Buffer, _enc, done) {
      received.push(chunk.toString());
      setImmediate(() => done(fail ? new Error('disk full') : null));
    },
  });
  return Object.assign(stream, { received });
}

describe('cli output write()', () => {
  it('waits for drain on every full write and leaves no listeners behind', async () => {
    const out = slowStream();
    const errorListeners = out.listenerCount('error');
    for (let i = 0; i < 50; i++) await write(out, `row ${i}\n`);
    expect(out.received).toHaveLength(50);
    expect(out.received[49]).toBe('row 49\n');
    expect(out.listenerCount('error')).toBe(errorListeners);
    expect(out.listenerCount('drain')).toBe(0);
  });

  it('rejects a write when the stream fails', async () => {
    const out = slowStream(true);
    await expect(write(out, 'row\n')).rejects.toThrow('disk full');
  });

  it('writeOrWait gives nothing to await while the stream has room, and waits for drain when full', async () => {
    const roomy = new Writable({ highWaterMark: 1024, write(_c, _e, done) { setImmediate(done); } });
    expect(writeOrWait(roomy, 'a\n')).toBeUndefined();
    const full = slowStream();
    const pending = writeOrWait(full, 'b\n');
    expect(pending).toBeInstanceOf(Promise);
    await pending;
    expect(full.received).toEqual(['b\n']);
    expect(full.listenerCount('drain')).toBe(0);
  });

  it('writeOrWait settles on a stream that already failed (it never drains again)', async () => {
    const out = slowStream(true);
    out.on('error', () => {}); // the stream's own error event is not what this checks
    await expect(write(out, 'a\n')).rejects.toThrow('disk full');
    await expect(Promise.race([write(out, 'b\n'), new Promise((r) => setTimeout(() => r('hung'), 500))])).rejects.toThrow();
  });

  it('closeOutput fails when text it had accepted cannot be written (not after, as an event)', async () => {
    // Room for the text, then the write fails: the error comes after end() was asked for.
    const out = new Writable({ highWaterMark: 1024, write(_c, _e, done) { setImmediate(() => done(new Error('no space left on device'))); } });
    expect(writeOrWait(out, 'last rows\n')).toBeUndefined();
    await expect(closeOutput(out, new Writable())).rejects.toThrow('no space left on device');
  });
});
