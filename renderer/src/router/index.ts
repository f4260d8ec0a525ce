import { createRouter, createWebHashHistory } from 'vue-router';
import type { RouteRecordRaw } from 'vue-router';
import CanteenView from '@/features/canteen/CanteenView.vue';
import ChatView from '@/features/chat/ChatView.vue';
import DirectoryView from '@/features/directory/DirectoryView.vue';
import FeedView from '@/features/feed/FeedView.vue';
import SettingsView from '@/features/settings/SettingsView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** i18n key of the page's name, used for the window title. */
    titleKey?: string;
    /** The navigation entry the page belongs to, when its route has another name. */
    section?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  // The newsfeed is the first thing an employee sees.
  { path: '/', redirect: '/feed' },
  { path: '/feed', name: 'feed', component: FeedView, meta: { titleKey: 'nav.feed' } },
  { path: '/chat', name: 'chat', component: ChatView, meta: { titleKey: 'nav.chat' } },
  // The same view: staying on it when another conversation is chosen keeps the list's state.
  {
    path: '/chat/:conversationId',
    name: 'chatConversation',
    component: ChatView,
    meta: { titleKey: 'nav.chat', section: 'chat' },
  },
  // People (with `?person=` open and `?unit=` as filter), the org chart (`?unit=` in focus) and
  // the phone list: one view, whose tabs are routes so links and Back work.
  { path: '/directory', name: 'directory', component: DirectoryView, meta: { titleKey: 'nav.directory' } },
  {
    path: '/directory/org-chart',
    name: 'orgChart',
    component: DirectoryView,
    meta: { titleKey: 'directory.tabs.orgChart', section: 'directory' },
  },
  {
    path: '/directory/phone-list',
    name: 'phoneList',
    component: DirectoryView,
    meta: { titleKey: 'directory.tabs.phoneList', section: 'directory' },
  },
  { path: '/canteen', name: 'canteen', component: CanteenView, meta: { titleKey: 'nav.canteen' } },
  { path: '/settings', name: 'settings', component: SettingsView, meta: { titleKey: 'nav.settings' } },
  { path: '/:unknown(.*)*', redirect: '/feed' },
];

export function createAppRouter() {
  return createRouter({ history: createWebHashHistory(), routes });
}
