import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { askBeforeLeaving, forget, keep, takeBack } from '../src/lib/kept';
import type { PlanDraft } from '../src/lib/plan-diff';
import { keepPlan, keptPlan } from '../src/lib/plan-draft';

/** The device's storage, as a browser has it (the site project runs in Node, which has none). */
class MemoryStorage {
  items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, String(value));
  removeItem = (key: string) => void this.items.delete(key);
}

let storage: MemoryStorage;
beforeEach(() => {
  storage = new MemoryStorage();
  vi.stubGlobal('localStorage', storage);
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-10-02T09:41:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('what a board editor keeps on the device', () => {
  it('takes back what was kept, with when, until it is forgotten', () => {
    keep('acct-1', 'board-1', 'card:new:ideas', { text: 'Peer coaching', tags: ['feedback'] });
    expect(takeBack('acct-1', 'board-1', 'card:new:ideas')).toEqual({
      value: { text: 'Peer coaching', tags: ['feedback'] },
      at: '2026-10-02T09:41:00.000Z',
    });
    forget('acct-1', 'board-1', 'card:new:ideas');
    expect(takeBack('acct-1', 'board-1', 'card:new:ideas')).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("never hands one account's text to another, nor one board's or thing's to another", () => {
    keep('acct-1', 'board-1', 'comment:c1', 'Only mine');
    expect(takeBack('acct-2', 'board-1', 'comment:c1')).toBeNull();
    expect(takeBack('acct-1', 'board-2', 'comment:c1')).toBeNull();
    expect(takeBack('acct-1', 'board-1', 'comment:c2')).toBeNull();
    // An id holding the separator cannot reach into another account's keys.
    keep('a:b', 'c', 'comment:c1', 'Theirs');
    expect(takeBack('a', 'b:c', 'comment:c1')).toBeNull();
    expect(takeBack('acct-1', 'board-1', 'comment:c1')?.value).toBe('Only mine');
  });

  it('dates a value by its last change: keeping the same value again keeps its time', () => {
    keep('acct-1', 'board-1', 'card:c1', 'First words');
    vi.setSystemTime(new Date('2026-10-02T10:15:00Z'));
    keep('acct-1', 'board-1', 'card:c1', 'First words');
    expect(takeBack('acct-1', 'board-1', 'card:c1')?.at).toBe('2026-10-02T09:41:00.000Z');
    keep('acct-1', 'board-1', 'card:c1', 'First words, then more');
    expect(takeBack('acct-1', 'board-1', 'card:c1')).toEqual({
      value: 'First words, then more',
      at: '2026-10-02T10:15:00.000Z',
    });
  });

  it('takes back nothing from a broken or foreign entry', () => {
    keep('acct-1', 'board-1', 'card:c1', 'x');
    const [key = ''] = storage.items.keys();
    storage.items.set(key, '{not json');
    expect(takeBack('acct-1', 'board-1', 'card:c1')).toBeNull();
    storage.items.set(key, JSON.stringify({ draft: 'an older shape' }));
    expect(takeBack('acct-1', 'board-1', 'card:c1')).toBeNull();
  });

  it('works on, keeping nothing, when storage is full or blocked', () => {
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(() => keep('acct-1', 'board-1', 'card:c1', 'Words')).not.toThrow();
    expect(takeBack('acct-1', 'board-1', 'card:c1')).toBeNull();
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
      removeItem: () => {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    expect(() => keep('acct-1', 'board-1', 'card:c1', 'Words')).not.toThrow();
    expect(takeBack('acct-1', 'board-1', 'card:c1')).toBeNull();
    expect(() => forget('acct-1', 'board-1', 'card:c1')).not.toThrow();
  });

  it('keeps a plan copy with edits through the same storage, and forgets one without', () => {
    const draft = {
      fields: { strategies: ['coaching'] },
      base: { version: 3 },
      dirty: true,
    } as unknown as PlanDraft;
    keepPlan('acct-1', 'board-1', 'feedback-loops', draft);
    expect(takeBack('acct-1', 'board-1', 'plan:feedback-loops')?.value).toEqual(draft);
    expect(keptPlan('acct-1', 'board-1', 'feedback-loops')).toEqual({ draft, at: '2026-10-02T09:41:00.000Z' });
    expect(keptPlan('acct-2', 'board-1', 'feedback-loops')).toBeNull();
    keepPlan('acct-1', 'board-1', 'feedback-loops', { ...draft, dirty: false });
    expect(keptPlan('acct-1', 'board-1', 'feedback-loops')).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('takes back a plan copy kept under the key plan copies had before, once', () => {
    const draft = { fields: { strategies: ['coaching'] }, base: { version: 3 }, dirty: true } as unknown as PlanDraft;
    storage.setItem(
      'homegrown:plan:acct-1:board-1:feedback-loops',
      JSON.stringify({ draft, at: '2026-09-30T15:05:00.000Z' }),
    );
    expect(keptPlan('acct-2', 'board-1', 'feedback-loops')).toBeNull();
    expect(keptPlan('acct-1', 'board-1', 'feedback-loops')).toEqual({ draft, at: '2026-09-30T15:05:00.000Z' });
    expect(storage.items.has('homegrown:plan:acct-1:board-1:feedback-loops')).toBe(false);
  });
});

describe('leaving a page with unsaved text', () => {
  it('asks while registered, and no longer once removed', () => {
    const page = new EventTarget();
    vi.stubGlobal('addEventListener', page.addEventListener.bind(page));
    vi.stubGlobal('removeEventListener', page.removeEventListener.bind(page));
    const leave = () => {
      const event = new Event('beforeunload', { cancelable: true });
      page.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leave()).toBe(false);
    const stop = askBeforeLeaving();
    expect(leave()).toBe(true);
    stop();
    expect(leave()).toBe(false);
  });
});
