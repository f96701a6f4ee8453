import { describe, expect, it } from 'vitest';
import { type BrowserFacts, BrowserMissing, browserStep, ensureChromium } from '../../../scripts/chromium';

const NOWHERE = '/nonexistent/homegrown-test/chromium';
const missing: BrowserFacts = {
  path: '/usr/bin/chromium',
  chosen: false,
  exists: false,
  root: false,
  aptGet: true,
  sudo: true,
};

describe('browserStep: what the browser tests do about Chromium', () => {
  it('launches the one there is, wherever it was named', () => {
    expect(browserStep({ ...missing, exists: true })).toEqual({ kind: 'ready', path: '/usr/bin/chromium' });
    expect(browserStep({ ...missing, path: '/opt/chrome', chosen: true, exists: true })).toEqual({
      kind: 'ready',
      path: '/opt/chrome',
    });
  });

  it("installs Debian's package, quietly, only as root with apt-get", () => {
    expect(browserStep({ ...missing, root: true })).toEqual({
      kind: 'install',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', 'chromium'],
      ],
    });
  });

  it.each<[string, Partial<BrowserFacts>, string]>([
    ['with sudo', {}, 'Chromium is needed for the browser tests: run `sudo apt-get install chromium`.'],
    [
      'without sudo',
      { sudo: false },
      'Chromium is needed for the browser tests: run `apt-get install chromium` as root.',
    ],
    [
      'without apt-get, even as root',
      { aptGet: false, root: true },
      'Chromium is needed for the browser tests: install it, then run `CHROMIUM_PATH=/path/to/chromium npm test`.',
    ],
    [
      'when CHROMIUM_PATH names nothing, even as root with apt-get',
      { path: NOWHERE, chosen: true, root: true },
      `Chromium is needed for the browser tests, and CHROMIUM_PATH names ${NOWHERE}, where there is none: point it at a Chromium executable, or unset it to use /usr/bin/chromium.`,
    ],
  ])('otherwise stops with the one thing to do, %s', (_, facts, message) => {
    expect(browserStep({ ...missing, ...facts })).toEqual({ kind: 'stop', message });
  });
});

describe('ensureChromium', () => {
  it('stops with only the sentence when CHROMIUM_PATH names nothing', async () => {
    const refusal = ensureChromium({ CHROMIUM_PATH: NOWHERE, PATH: process.env.PATH });
    await expect(refusal).rejects.toBeInstanceOf(BrowserMissing);
    await expect(refusal).rejects.toMatchObject({
      stack: expect.stringMatching(/^Chromium is needed for the browser tests, and CHROMIUM_PATH names [^\n]+\.$/),
    });
  });

  it('stops, installing nothing, where there is no browser and no apt-get', async () => {
    await expect(ensureChromium({ PATH: '/nonexistent/homegrown-test/bin' }, NOWHERE)).rejects.toThrow(
      'Chromium is needed for the browser tests: install it, then run `CHROMIUM_PATH=/path/to/chromium npm test`.',
    );
  });

  it('finds the browser CHROMIUM_PATH names', async () => {
    expect(await ensureChromium({ CHROMIUM_PATH: process.execPath, PATH: '' }, NOWHERE)).toBe(process.execPath);
  });
});
