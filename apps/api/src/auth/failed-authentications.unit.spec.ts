import { FailedAuthentications } from './failed-authentications';

describe('failed authentications per address', () => {
  it('turns an address away once it reaches the limit, until its minute is out', () => {
    const failures = new FailedAuthentications(3);
    for (let i = 0; i < 3; i++) {
      expect(failures.retryAfterSeconds('10.0.0.1', 1_000)).toBe(0);
      failures.record('10.0.0.1', 1_000 + i);
    }
    expect(failures.retryAfterSeconds('10.0.0.1', 1_500)).toBe(60);
    expect(failures.retryAfterSeconds('10.0.0.1', 60_000)).toBe(1);
    expect(failures.retryAfterSeconds('10.0.0.1', 61_000)).toBe(0);
    expect(failures.retryAfterSeconds('10.0.0.2', 1_500)).toBe(0);
  });

  it('counts IPv6 addresses of one /56 together, and a limit of 0 turns it off', () => {
    const failures = new FailedAuthentications(2);
    failures.record('2001:db8:0:1::1', 0);
    failures.record('2001:db8:0:2::9', 0);
    expect(failures.retryAfterSeconds('2001:db8:0:3::5', 10)).toBeGreaterThan(0);
    const off = new FailedAuthentications(0);
    for (let i = 0; i < 10; i++) off.record('10.0.0.1', 0);
    expect(off.retryAfterSeconds('10.0.0.1', 1)).toBe(0);
  });

  it('stays bounded under a flood of addresses, forgetting expired windows first', () => {
    const failures = new FailedAuthentications(1);
    for (let i = 0; i < 10_000; i++) failures.record(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 0);
    failures.record('192.168.0.1', 120_000);
    expect(failures.retryAfterSeconds('192.168.0.1', 120_001)).toBe(60);
    expect((failures as unknown as { windows: Map<string, unknown> }).windows.size).toBe(1);
  });
});
