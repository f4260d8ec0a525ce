import type { MutationType } from '@flurfunk/protocol';
import type { MutationHandler } from '../mutations/mutation-handler.js';
import { conversationMutations } from './conversation-mutations.js';
import { messageMutations } from './message-mutations.js';

type ChatMutation = Extract<MutationType, `chat.${string}`>;

export const chatMutations: { readonly [T in ChatMutation]: MutationHandler<T> } = {
  ...messageMutations,
  ...conversationMutations,
};
