import type { Page } from 'playwright-core';

/**
 * Clicks the element `link` selects and resolves with the milliseconds until an element `row`
 * selects is painted: a MutationObserver sees it in the DOM, then the frame that shows it
 * (requestAnimationFrame plus a message, which runs once that frame is done). Measured in the
 * page. The function runs there as written: no named inner functions, which tsx would wrap in a
 * helper the page does not have.
 */
export function clickUntilPainted(
  page: Page,
  selectors: { link: string; row: string },
  timeoutMs: number,
): Promise<number> {
  return page.evaluate(
    async ({ link: linkSelector, row, timeoutMs: timeout }) => {
      const link = document.querySelector<HTMLElement>(linkSelector);
      if (!link) throw new Error(`there is nothing to click at ${linkSelector}`);
      if (document.querySelector(row)) throw new Error(`${row} is on screen before the click`);
      return new Promise<number>((resolve, reject) => {
        const observer = new MutationObserver(() => {
          if (!document.querySelector(row)) return;
          observer.disconnect();
          clearTimeout(timer);
          requestAnimationFrame(() => {
            const afterFrame = new MessageChannel();
            afterFrame.port1.onmessage = () => resolve(performance.now() - start);
            afterFrame.port2.postMessage(null);
          });
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${row} did not appear within ${timeout} ms`));
        }, timeout);
        observer.observe(document.body, { childList: true, subtree: true });
        const start = performance.now();
        link.click();
      });
    },
    { ...selectors, timeoutMs },
  );
}
