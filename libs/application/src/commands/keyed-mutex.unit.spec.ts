import { KeyedMutex } from './keyed-mutex';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedMutex', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (name: string) =>
      mutex.run('book', async () => {
        log.push(`${name} start`);
        await tick();
        log.push(`${name} end`);
        return name;
      });
    const results = await Promise.all([job('a'), job('b'), job('c')]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
  });

  it('lets different keys overlap', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const job = (key: string) =>
      mutex.run(key, async () => {
        log.push(`${key} start`);
        await tick();
        log.push(`${key} end`);
      });
    await Promise.all([job('x'), job('y')]);
    expect(log).toEqual(['x start', 'y start', 'x end', 'y end']);
  });

  it('keeps going after a failed job', async () => {
    const mutex = new KeyedMutex();
    await expect(mutex.run('book', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(mutex.run('book', () => Promise.resolve(42))).resolves.toBe(42);
  });
});
