/** The key of a conversation's composer draft in the cache's drafts table. */
export const chatDraftKey = (conversationId: string): string => `chat:${conversationId}`;
