import { onBeforeUnmount, onMounted } from 'vue';

/** Gives the focus back to where it was when a dialog opened, once the dialog goes away. */
export function useReturnFocus(): void {
  let opener: HTMLElement | null = null;
  onMounted(() => {
    opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  });
  onBeforeUnmount(() => {
    const target = opener;
    // After the dialog's own elements are gone, so the browser does not move the focus again.
    queueMicrotask(() => {
      if (target?.isConnected) target.focus();
    });
  });
}
