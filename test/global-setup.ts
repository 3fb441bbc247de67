// Runs once before the test files (which run in parallel): unpacks the bundled Chromium when
// it is the one the browser tests will use, so that two files never unpack it at once.
import { chooseBrowser, unpackBundledChromium } from './browser-helpers.js';

export default async function setup(): Promise<void> {
  const choice = chooseBrowser();
  if (choice.name === 'chromium' && choice.path === undefined) await unpackBundledChromium();
}
