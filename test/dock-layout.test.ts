// The pure parts of the dock's layout code (src/client/lesson/dock-layout.ts and
// src/client/terminal/view-split.ts): where the keys move the splits, within which bounds,
// and that the lazily loaded view split reads and writes the keys the terminal's eager
// script starts the view from (two copies, so that the chunk imports nothing eager).
import { describe, expect, test } from 'vitest';
import { splitBounds, splitKey } from '../src/client/lesson/dock-layout.js';
import * as eager from '../src/client/terminal/view-slot.js';
import * as lazy from '../src/client/terminal/view-split.js';

describe('the lesson|dock split', () => {
  const rem = 16;
  test('bounds: the lesson keeps 21.5 rem, the dock 26 rem', () => {
    expect(splitBounds(1440, rem)).toEqual({ min: 344, max: 1440 - 416 });
    // A row too narrow for both: the lesson's least width wins (the CSS clamp does the same).
    expect(splitBounds(600, rem)).toEqual({ min: 344, max: 344 });
  });

  test('keys: Left narrows the lesson, Right widens it, by a rem (4 with Shift), within the bounds', () => {
    const b = splitBounds(1440, rem);
    expect(splitKey('ArrowLeft', false, 500, b, rem)).toBe(484);
    expect(splitKey('ArrowRight', false, 500, b, rem)).toBe(516);
    expect(splitKey('ArrowRight', true, 500, b, rem)).toBe(564);
    expect(splitKey('PageUp', false, 500, b, rem)).toBe(436);
    expect(splitKey('ArrowLeft', false, 350, b, rem)).toBe(344);
    expect(splitKey('ArrowRight', true, 1020, b, rem)).toBe(1024);
    expect(splitKey('Home', false, 700, b, rem)).toBe(344);
    expect(splitKey('End', false, 700, b, rem)).toBe(1024);
    expect(splitKey('Enter', false, 700, b, rem)).toBeUndefined();
    expect(splitKey('a', false, 700, b, rem)).toBeUndefined();
  });
});

describe('the swarm view split', () => {
  test('keys: Down gives the view more of the dock, Up less, 5 points a step, within 10..90', () => {
    expect(lazy.viewKey('ArrowDown', 40)).toBe(45);
    expect(lazy.viewKey('ArrowUp', 40)).toBe(35);
    expect(lazy.viewKey('PageDown', 40)).toBe(60);
    expect(lazy.viewKey('PageUp', 40)).toBe(20);
    expect(lazy.viewKey('ArrowUp', 12)).toBe(lazy.VIEW_MIN);
    expect(lazy.viewKey('ArrowDown', 88)).toBe(lazy.VIEW_MAX);
    expect(lazy.viewKey('Home', 50)).toBe(10);
    expect(lazy.viewKey('End', 50)).toBe(90);
    expect(lazy.viewKey('ArrowLeft', 50)).toBeUndefined();
  });

  test('the chunk and the eager script use the same storage keys', () => {
    expect(lazy.VIEW_OPEN_KEY).toBe(eager.VIEW_OPEN_KEY);
    expect(lazy.VIEW_SIZE_KEY).toBe(eager.VIEW_SIZE_KEY);
  });
});
