import type { BrowserWindow, NativeTheme } from 'electron';

/**
 * The window's own colour, shown before the page paints and while it resizes: the page
 * background of renderer/src/theme/theme.css (--bg) in each scheme, so the app never flashes
 * a light frame in dark mode or the reverse.
 */
export const WINDOW_BACKGROUND = { light: '#f7f6f2', dark: '#1a1b1e' } as const;

export function windowBackground(theme: Pick<NativeTheme, 'shouldUseDarkColors'>): string {
  return theme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}

/**
 * Light or dark as the system is: with themeSource 'system', Chromium answers the page's
 * prefers-color-scheme from the OS setting and tells it when that changes; the window's
 * background is repainted to match.
 */
export function followSystemTheme(theme: NativeTheme, getWindow: () => BrowserWindow | null): void {
  theme.themeSource = 'system';
  theme.on('updated', () => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.setBackgroundColor(windowBackground(theme));
  });
}
