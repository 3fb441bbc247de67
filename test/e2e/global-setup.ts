// Runs once before the test files (which run in parallel): checks that the chosen browser
// exists, and unpacks the bundled Chromium when it is the one the browser tests will use, so
// that two files never unpack it at once.
import { chooseBrowser, unpackBundledChromium } from './browser-helpers.js';

export default async function setup(): Promise<void> {
  let choice: ReturnType<typeof chooseBrowser>;
  try {
    choice = chooseBrowser();
  } catch (e) {
    // a set-up mistake, not a test failure: say what to do, without a stack trace
    console.error(`\nbrowser tests: ${(e as Error).message}\n`);
    process.exit(1);
  }
  if (choice.name === 'chromium' && choice.path === undefined) await unpackBundledChromium();
}
