// The lesson page's progress helpers (src/client/lesson/progress.ts) that need no DOM:
// localized reasons filled from a check's params, and stored progress per lesson id.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { loadDone, reasonText, saveDone } from '../src/client/lesson/progress.js';
import { loadHelped, progressDamaged, saveHelped } from '../src/client/progress-store.js';
import en from '../content/i18n/en.json' with { type: 'json' };
import zh from '../content/i18n/zh-CN.json' with { type: 'json' };

describe('reasonText', () => {
  test('fills {params} in the page language; unknown params stay visible, unknown keys show the key', () => {
    const reason = { key: 'lesson.reason.image', params: { service: 'redis', got: 'redis:7.4.0', want: 'redis:7.4.1' } };
    expect(reasonText(reason, en)).toBe('Service redis asks for the image redis:7.4.0; this step wants redis:7.4.1.');
    expect(reasonText(reason, zh)).toBe('服务 redis 使用的镜像是 redis:7.4.0，这一步需要 redis:7.4.1。');
    expect(reasonText({ key: 'lesson.reason.noService' }, en)).toBe('There is no service named {service}.');
    expect(reasonText({ key: 'lesson.reason.nope' }, en)).toBe('lesson.reason.nope');
  });
});

describe('stored progress', () => {
  afterEach(() => vi.unstubAllGlobals());

  test('kept per lesson id; an empty set removes the entry; garbage reads as nothing done', () => {
    const data = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    });
    saveDone('rolling-update', new Set(['create', 'update']));
    expect([...loadDone('rolling-update')]).toEqual(['create', 'update']);
    expect(loadDone('scale-service').size).toBe(0);
    saveDone('rolling-update', new Set());
    expect(data.has('swarm-lab:progress:rolling-update')).toBe(false);
    data.set('swarm-lab:progress:x', '{"create":true');
    expect(loadDone('x').size).toBe(0);
    data.set('swarm-lab:progress:x', '["a",3,null]');
    expect([...loadDone('x')]).toEqual(['a']);
  });

  /** localStorage that holds at most `quota` characters of keys and values, as browsers count. */
  function storageOf(quota: number, data = new Map<string, string>()) {
    const used = (): number => [...data].reduce((n, [k, v]) => n + k.length + v.length, 0);
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (used() - (data.has(k) ? k.length + data.get(k)!.length : 0) + k.length + v.length > quota) {
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        }
        data.set(k, v);
      },
      removeItem: (k: string) => void data.delete(k),
    });
    return data;
  }

  test('storage full: the terminal history makes room for the progress; without it to drop, the save says it failed', () => {
    const data = storageOf(1_950);
    data.set('swarm-lab:history', JSON.stringify(['x'.repeat(900)]));
    data.set('other-app', 'y'.repeat(1_000));
    expect(saveDone('rolling-update', new Set(['create', 'update']))).toBe(true);
    expect([...loadDone('rolling-update')]).toEqual(['create', 'update']);
    expect(data.has('swarm-lab:history')).toBe(false);
    expect(data.get('other-app')).toHaveLength(1_000); // not ours: never touched

    data.set('other-app', 'y'.repeat(1_900));
    expect(saveHelped('rolling-update', new Set(['create']))).toBe(false);
    // What was kept before stays as it was.
    expect([...loadDone('rolling-update')]).toEqual(['create', 'update']);
  });

  test('progress stored as invalid JSON or of the wrong type is reported as damaged; what can be read is kept', () => {
    const data = storageOf(100_000);
    expect(progressDamaged('x')).toBe(false);
    saveDone('x', new Set(['a']));
    saveHelped('x', new Set(['a']));
    expect(progressDamaged('x')).toBe(false);
    for (const bad of ['{"create":true', '{"create":true}', '"create"', '7', 'null', '["a",3,null]']) {
      data.set('swarm-lab:progress:x', bad);
      expect(progressDamaged('x'), bad).toBe(true);
    }
    expect([...loadDone('x')]).toEqual(['a']);
    data.set('swarm-lab:progress:x', '["a"]');
    data.set('swarm-lab:helped:x', '{}');
    expect(progressDamaged('x')).toBe(true);
    expect(loadHelped('x').size).toBe(0);
    // Written back (as the lesson page does once it has said so), it reads clean.
    saveHelped('x', loadHelped('x'));
    expect(progressDamaged('x')).toBe(false);
    vi.stubGlobal('localStorage', undefined);
    expect(progressDamaged('x')).toBe(false); // no storage: nothing to be damaged
  });

  test('without storage (disabled, or no window) progress simply is not kept', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(() => saveDone('x', new Set(['a']))).not.toThrow();
    expect(loadDone('x').size).toBe(0);
  });
});
