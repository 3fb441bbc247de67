// Which browser the browser tests drive: CHROMIUM_PATH, then a system Chromium, then the
// bundled one; Firefox on request. Checked with a fake file system.
import { describe, expect, it } from 'vitest';
import { chooseBrowser } from './browser-helpers.js';

const fs =
  (...paths: string[]) =>
  (p: string) =>
    paths.includes(p);

describe('chooseBrowser', () => {
  it('takes CHROMIUM_PATH first, and refuses one that is wrong', () => {
    expect(chooseBrowser({ CHROMIUM_PATH: '/opt/c/chrome' }, fs('/opt/c/chrome', '/usr/bin/chromium'))).toEqual({
      name: 'chromium',
      path: '/opt/c/chrome',
      source: 'CHROMIUM_PATH',
    });
    expect(() => chooseBrowser({ CHROMIUM_PATH: '/nowhere/chrome' }, fs('/usr/bin/chromium'))).toThrow(
      'CHROMIUM_PATH is set to "/nowhere/chrome", which is not an executable file',
    );
  });

  it('then a system Chromium, then the bundled one', () => {
    expect(chooseBrowser({}, fs('/usr/bin/chromium'))).toEqual({
      name: 'chromium',
      path: '/usr/bin/chromium',
      source: 'system',
    });
    expect(chooseBrowser({ CHROMIUM_PATH: '' }, fs())).toEqual({
      name: 'chromium',
      path: undefined,
      source: 'bundled @sparticuz/chromium',
    });
  });

  it('Firefox: FIREFOX_PATH, then a system Firefox, else an error saying how to install one', () => {
    expect(chooseBrowser({ DL_BROWSER: 'firefox' }, fs('/usr/bin/firefox-esr'))).toMatchObject({
      path: '/usr/bin/firefox-esr',
      source: 'system',
    });
    expect(chooseBrowser({ DL_BROWSER: 'firefox', FIREFOX_PATH: '/o/ff' }, fs('/o/ff'))).toMatchObject({
      path: '/o/ff',
      source: 'FIREFOX_PATH',
    });
    expect(() => chooseBrowser({ DL_BROWSER: 'firefox' }, fs('/usr/bin/chromium'))).toThrow(
      /no Firefox found .*apt-get install -y firefox-esr/,
    );
  });

  it('an unknown DL_BROWSER is an error naming the choices', () => {
    expect(() => chooseBrowser({ DL_BROWSER: 'safari' }, fs())).toThrow(
      'DL_BROWSER is "safari"; use "chromium" or "firefox"',
    );
  });
});
