// The lesson page's progress helpers (src/client/lesson/progress.ts) that need no DOM:
// localized reasons filled from a check's params, and stored progress per lesson id.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { loadDone, reasonText, saveDone } from '../src/client/lesson/progress.js';
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

  test('without storage (disabled, or no window) progress simply is not kept', () => {
    vi.stubGlobal('localStorage', undefined);
    expect(() => saveDone('x', new Set(['a']))).not.toThrow();
    expect(loadDone('x').size).toBe(0);
  });
});
