import { describe, expect, it } from 'vitest';
import { performanceTable, type Results } from '../../scripts/bench/readme';
import { failed, judge, percentile, scenario, summarize } from '../../scripts/bench/results';

/** How `npm run bench` turns runs into figures and verdicts, and the README table it writes. */
describe('benchmark figures', () => {
  it('summarises runs by their median, with the spread', () => {
    expect(summarize([30, 10, 20, 50, 40])).toEqual({ median: 30, min: 10, max: 50, runs: 5 });
    expect(summarize([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
    expect(() => summarize([])).toThrow(/no samples/);
  });

  it('takes the nearest-rank percentile', () => {
    const samples = Array.from({ length: 40 }, (_, i) => i + 1);
    expect(percentile(samples, 95)).toBe(38);
    expect(percentile([5], 95)).toBe(5);
  });

  it('judges a target with its relative bound against another figure of the same run', () => {
    const [baseline, open] = judge([
      scenario('view.baseline', 'ms', 'text alone', [200, 210, 190]),
      scenario('view.open', 'ms', 'with annotations', [280, 290, 270], { max: 300, relative: { of: 'view.baseline', factor: 1.5 } }),
    ]);
    expect(baseline!.pass).toBeUndefined();
    expect(open).toMatchObject({ pass: true, targetText: '≤ 300 ms and ≤ 1.5× view.baseline', note: '1.4× view.baseline' });

    const [, slow] = judge([
      scenario('view.baseline', 'ms', 'text alone', [100]),
      scenario('view.open', 'ms', 'with annotations', [280], { max: 300, relative: { of: 'view.baseline', factor: 1.5 } }),
    ]);
    expect(slow).toMatchObject({ pass: false, note: '2.8× view.baseline' });
  });

  it('fails "below the peer" when the peer is slower or was not measured, and says why', () => {
    const below = { ...scenario('view.add', 'ms', 'tag', [10]), peer: 40 };
    const above = { ...scenario('view.add', 'ms', 'tag', [50]), peer: 40 };
    const none = scenario('view.add', 'ms', 'tag', [10], { max: 16, belowPeer: true });
    const [a, b, c] = judge([
      { ...below, targetSpec: { max: 16, belowPeer: true } },
      { ...above, targetSpec: { max: 100, belowPeer: true } },
      none,
    ]);
    expect(a!.pass).toBe(true);
    expect(b!.pass).toBe(false);
    expect(c).toMatchObject({ pass: false, note: 'the peer was not measured, so "below the peer" cannot be checked' });
  });

  it('never passes a scenario that could not be measured', () => {
    const [s] = judge([failed('export.csv', 's', 'csv export', 'margin export exited with 1', { max: 20 })]);
    expect(s).toMatchObject({ pass: false, error: 'margin export exited with 1', runs: 0 });
  });

  it("writes the README table with Margin and the peer side by side, and every figure's meaning", () => {
    const scenarios = judge([
      { ...scenario('view.add', 'ms', 'key 1 pressed on a selection → its highlight painted', [12, 14, 13]), peer: 62, targetSpec: { max: 16, belowPeer: true } },
      failed('export.csv', 's', 'csv export', 'margin export exited with 1', { max: 20 }),
    ]);
    const results: Results = {
      machine: { cpu: 'Test CPU', cores: 2, memory: '24 GB', os: 'Linux', node: 'v20', chromium: '140', commit: 'abcdef0123', uncommittedChanges: false, date: '2026-01-02T00:00:00Z', loadAverage: { start: 0.5, end: 1.2 } },
      runs: 3,
      scenarios,
    };
    const table = performanceTable(results);
    for (const expected of [
      '| `view.add` | 13 ms | 12 – 14 | 3 | ≤ 16 ms and below the peer | pass | 62 ms |',
      '| `export.csv` | not measured | — | 0 | ≤ 20 s | **fail** | — |',
      '- `export.csv`: csv export. *not measured: margin export exited with 1.*',
      'Test CPU (2 cores, 24 GB)',
      'app at abcdef0',
      'load average 0.5 at the start, 1.2 at the end',
    ]) {
      expect(table).toContain(expected);
    }
  });
});
