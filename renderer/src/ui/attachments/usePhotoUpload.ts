import { onBeforeUnmount, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { FileMeta } from '@flurfunk/protocol';
import { ApiError } from '@/api/index.js';
import { formatFileSize } from './fileSize.js';
import { maxPhotoBytes, photoMediaTypes, uploadFile } from './media.js';

/**
 * Uploads the photo a file input chose (a person's, a dish's): checked for type and size before
 * it is sent, with what went wrong in words. An upload under way stops with the component.
 */
export function usePhotoUpload() {
  const { t, locale } = useI18n();
  const uploading = ref(false);
  const error = ref<string | null>(null);
  let controller: AbortController | null = null;
  onBeforeUnmount(() => controller?.abort());

  const tooLarge = () => t('photo.tooLarge', { size: formatFileSize(maxPhotoBytes, locale.value) });

  function problemOf(cause: unknown): string {
    const code = cause instanceof ApiError ? cause.code : null;
    if (code === 'file_too_large') return tooLarge();
    if (code === 'file_type_refused') return t('photo.type');
    if (code === 'unreachable') return t('photo.offline');
    return t('photo.failed');
  }

  /** The uploaded photo of the input's change event; null when there is none (see `error`). */
  async function upload(event: Event): Promise<FileMeta | null> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return null;
    error.value = null;
    if (!photoMediaTypes.includes(file.type)) {
      error.value = t('photo.type');
      return null;
    }
    if (file.size > maxPhotoBytes) {
      error.value = tooLarge();
      return null;
    }
    uploading.value = true;
    controller = new AbortController();
    try {
      return await uploadFile(file, () => undefined, controller.signal);
    } catch (cause) {
      if (!(cause instanceof DOMException && cause.name === 'AbortError')) error.value = problemOf(cause);
      return null;
    } finally {
      uploading.value = false;
      controller = null;
    }
  }

  return { uploading, error, upload };
}
