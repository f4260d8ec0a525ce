import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { connectToHost } from './api/index.js';
import App from './App.vue';
import { createAppI18n } from './i18n/index.js';
import { createAppRouter } from './router/index.js';
import { useSettingsStore } from './stores/settings.js';
import './ui/styles/base.css';

connectToHost();
const pinia = createPinia();
const app = createApp(App).use(pinia);
const settings = useSettingsStore(pinia);
// The system's language until the core says what this device chose (App.vue loads it).
app.use(createAppI18n(settings.locale)).use(createAppRouter()).mount('#app');
