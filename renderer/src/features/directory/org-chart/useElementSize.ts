import { onBeforeUnmount, onMounted, ref } from 'vue';
import type { Ref } from 'vue';
import type { Size } from './orgChartViewport.js';

/**
 * The element's inner size, kept current with a ResizeObserver. Until the element has a size of
 * its own (never, where there is no layout engine) it is `fallback`.
 */
export function useElementSize(element: Ref<HTMLElement | null>, fallback: Size): Ref<Size> {
  const size = ref<Size>({ ...fallback });
  let observer: ResizeObserver | undefined;

  function update(width: number, height: number): void {
    if (width > 0 && height > 0 && (width !== size.value.width || height !== size.value.height)) {
      size.value = { width, height };
    }
  }

  onMounted(() => {
    const target = element.value;
    if (!target) return;
    update(target.clientWidth, target.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box) update(box.width, box.height);
    });
    observer.observe(target);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return size;
}
