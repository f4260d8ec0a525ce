import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { Notice } from '@flurfunk/protocol';
import { onEvent } from '@/api/index.js';

export interface ShownNotice {
  id: number;
  notice: Notice;
}

export const useNoticesStore = defineStore('notices', () => {
  const notices = ref<ShownNotice[]>([]);
  let nextId = 0;

  function load(): void {
    onEvent('notice', add);
  }

  function add(notice: Notice): void {
    // The same notice twice in a row says nothing new; keep one banner.
    if (notices.value.some((shown) => JSON.stringify(shown.notice) === JSON.stringify(notice))) return;
    notices.value.push({ id: nextId++, notice });
  }

  function dismiss(id: number): void {
    notices.value = notices.value.filter((shown) => shown.id !== id);
  }

  return { notices, load, add, dismiss };
});
