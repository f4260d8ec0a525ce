import type { MutationType } from '@flurfunk/protocol';
import { type MutationHandler, reject } from '../mutations/mutation-handler.js';
import { WeekRefused, saveWeek } from './save-week.js';

type CanteenMutation = Extract<MutationType, `canteen.${string}`>;

/** Canteen managers write their canteens' plans; everyone else only reads them. */
export const canteenMutations: { readonly [T in CanteenMutation]: MutationHandler<T> } = {
  'canteen.saveWeek': async ({ tx, personId }, week) => {
    try {
      const saved = await saveWeek(tx, personId, week);
      return { seq: saved.seq, entityId: saved.weekId };
    } catch (error) {
      if (error instanceof WeekRefused) throw reject(error.reason, error.message.slice(0, 500));
      throw error;
    }
  },
};
