import { describe, expect, it } from 'vitest';
import { ChangeFeed, RELOAD_ALL } from '../../electron/services/team/changeFeed';

const ben = { kind: 'layer', docId: '0123456789abcdef', annotator: 'Ben' } as const;
const meta = { kind: 'metadata', docId: '0123456789abcdef' } as const;

describe('the change feed', () => {
  it('answers a new window (since 0) at once with the cursor alone', async () => {
    const feed = new ChangeFeed({ start: 500 });
    feed.push([ben]);
    expect(await feed.wait(0)).toEqual({ cursor: 501, changes: [] });
  });

  it('answers at once with what came after the cursor, each change once', async () => {
    const feed = new ChangeFeed({ start: 500 });
    const { cursor } = await feed.wait(0);
    feed.push([ben, meta]);
    feed.push([ben]);
    expect(await feed.wait(cursor)).toEqual({ cursor: 503, changes: [ben, meta] });
    // A window that has seen the first batch gets only the second.
    expect(await feed.wait(502)).toEqual({ cursor: 503, changes: [ben] });
  });

  it('wakes a waiting poll when a change comes', async () => {
    const feed = new ChangeFeed({ start: 500 });
    const waiting = feed.wait(500);
    feed.push([{ kind: 'documents' }]);
    expect(await waiting).toEqual({ cursor: 501, changes: [{ kind: 'documents' }] });
  });

  it('tells two windows polling at different cursors each what it missed', async () => {
    const feed = new ChangeFeed({ start: 10 });
    feed.push([{ kind: 'schema' }]);
    const behind = feed.wait(10);
    const upToDate = feed.wait(11);
    feed.push([ben]);
    expect(await behind).toEqual({ cursor: 11, changes: [{ kind: 'schema' }] });
    expect(await upToDate).toEqual({ cursor: 12, changes: [ben] });
  });

  it('answers a poll with no change after the wait, with the same cursor', async () => {
    const feed = new ChangeFeed({ start: 7, waitMs: 1 });
    expect(await feed.wait(7)).toEqual({ cursor: 7, changes: [] });
  });

  it('tells a window whose cursor it does not know (another run, too old) to reload everything', async () => {
    const feed = new ChangeFeed({ start: 1000, keep: 2 });
    expect(await feed.wait(5000)).toEqual({ cursor: 1000, changes: RELOAD_ALL });
    feed.push([ben, meta, { kind: 'documents' }]);
    // Only the last two are kept: a window at 1000 missed one it can no longer be told.
    expect(await feed.wait(1000)).toEqual({ cursor: 1003, changes: RELOAD_ALL });
    expect(await feed.wait(1001)).toEqual({ cursor: 1003, changes: [meta, { kind: 'documents' }] });
  });

  it('ends a waiting poll when its caller goes away, and every poll when the feed closes', async () => {
    const feed = new ChangeFeed({ start: 3 });
    const controller = new AbortController();
    const abandoned = feed.wait(3, controller.signal);
    controller.abort();
    expect(await abandoned).toEqual({ cursor: 3, changes: [] });

    const pending = feed.wait(3);
    feed.close();
    expect(await pending).toEqual({ cursor: 3, changes: [] });
    expect(await feed.wait(3)).toEqual({ cursor: 3, changes: [] });
  });
});
