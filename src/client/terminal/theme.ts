// Terminal colours that follow Starlight's light/dark theme. Background and text
// come from Starlight's CSS variables (so a custom palette carries over); the ANSI colours
// are fixed pairs chosen to stay readable on each background.
import type { ITheme } from '@xterm/xterm';

export type ThemeName = 'light' | 'dark';

const ANSI: Record<ThemeName, ITheme> = {
  dark: {
    black: '#1e1e1e', red: '#f47067', green: '#6bc46d', yellow: '#e0b24a', blue: '#6cb6ff', magenta: '#dcbdfb', cyan: '#56d4dd', white: '#d0d7de',
    brightBlack: '#768390', brightRed: '#ff938a', brightGreen: '#8ddb8c', brightYellow: '#f0c85a', brightBlue: '#96d0ff', brightMagenta: '#eedcff', brightCyan: '#96e6ee', brightWhite: '#ffffff',
  },
  light: {
    black: '#24292f', red: '#b42318', green: '#116329', yellow: '#7d4e00', blue: '#0550ae', magenta: '#8250df', cyan: '#0a6a78', white: '#6e7781',
    brightBlack: '#57606a', brightRed: '#a40e26', brightGreen: '#1a7f37', brightYellow: '#633c01', brightBlue: '#0969da', brightMagenta: '#a475f9', brightCyan: '#1b7c83', brightWhite: '#8c959f',
  },
};

const FALLBACK: Record<ThemeName, { background: string; foreground: string }> = {
  dark: { background: '#17181c', foreground: '#e6e6e6' },
  light: { background: '#ffffff', foreground: '#23262f' },
};

export function currentThemeName(root: HTMLElement = document.documentElement): ThemeName {
  return root.dataset.theme === 'light' ? 'light' : 'dark';
}

export function terminalTheme(name: ThemeName, root: HTMLElement = document.documentElement): ITheme {
  const css = getComputedStyle(root);
  const v = (prop: string, fallback: string): string => css.getPropertyValue(prop).trim() || fallback;
  const f = FALLBACK[name];
  // Starlight names colours by contrast: "black" is the page background, "white" the text.
  const background = v('--sl-color-black', f.background);
  const foreground = v('--sl-color-white', f.foreground);
  return {
    ...ANSI[name],
    background,
    foreground,
    cursor: foreground,
    cursorAccent: background,
    selectionBackground: name === 'dark' ? 'rgba(140, 180, 255, 0.35)' : 'rgba(52, 81, 178, 0.25)',
    selectionForeground: undefined,
  };
}
