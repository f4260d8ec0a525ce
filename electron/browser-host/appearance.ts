import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '@flurfunk/core';
import { answerAppearanceRequest, isAppearancePath } from '../shared/appearance-route.js';

/** The branding route of the browser host; true when it answered the request. */
export function createAppearanceHandler({ core, origin }: { core: Core; origin: string }) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = URL.parse(req.url ?? '', origin);
    if (url === null || !isAppearancePath(url.pathname)) return false;
    const answer = await answerAppearanceRequest(core, {
      method: req.method ?? 'GET',
      pathname: url.pathname,
    });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
    return true;
  };
}
