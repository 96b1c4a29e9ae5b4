// The simulated clock's speeds the terminal offers (1x real time, 5x, 20x). Its own module so
// the page can use it without loading the engine.
export type Speed = 1 | 5 | 20;
export const SPEEDS: readonly Speed[] = [1, 5, 20];
