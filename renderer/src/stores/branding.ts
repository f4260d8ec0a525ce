import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import {
  type BrandAssetSlot,
  type Branding,
  type BrandingSaved,
  type BrandingSettings,
  brandAssetPath,
  defaultBranding,
} from '@flurfunk/protocol';
import { call, onEvent } from '@/api/index.js';
import { uploadBrandAsset } from '@/features/branding/brandUpload.js';
import { appearanceChanged } from '@/ui/appearanceStylesheet.js';

/**
 * The company's branding as the core has it cached: its name for titles and the header, its logo,
 * and the stylesheet of its colours and fonts, which follows every change live.
 */
export const useBrandingStore = defineStore('branding', () => {
  const branding = shallowRef<Branding>(defaultBranding);

  const appName = computed(() => branding.value.appName);
  const logoAddress = computed(() => (branding.value.logo ? brandAssetPath(branding.value.logo.id) : null));

  function show(next: Branding): void {
    branding.value = next;
    appearanceChanged({ branding: `${next.revision}-${next.updatedAt ?? 'built-in'}` });
  }

  async function load(): Promise<void> {
    show(await call('getBranding', {}));
  }

  /** Follows changes the core announces (sync, an admin's save); returns the unsubscribe. */
  function follow(): () => void {
    return onEvent('brandingChanged', show);
  }

  async function saveSettings(settings: BrandingSettings): Promise<BrandingSaved> {
    const saved = await call('saveBrandingSettings', settings);
    show(saved.branding);
    return saved;
  }

  async function uploadAsset(slot: BrandAssetSlot, file: File): Promise<BrandingSaved> {
    const saved = await uploadBrandAsset(slot, file);
    show(saved.branding);
    return saved;
  }

  async function removeAsset(slot: BrandAssetSlot): Promise<BrandingSaved> {
    const saved = await call('removeBrandAsset', { slot });
    show(saved.branding);
    return saved;
  }

  return { branding, appName, logoAddress, load, follow, saveSettings, uploadAsset, removeAsset };
});
