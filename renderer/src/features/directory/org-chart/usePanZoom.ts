import { onBeforeUnmount, ref, shallowRef } from 'vue';
import type { Ref } from 'vue';
import { wheelPixels, zoomAround } from './orgChartViewport.js';
import type { Point, Size, Transform } from './orgChartViewport.js';

/** Matches the transition on the chart layer (see OrgChartCanvas.vue). */
export const zoomAnimationMs = 180;
/** A press that moves less than this is a click, not a drag, in screen pixels. */
const dragThreshold = 4;
/** How strongly ctrl + wheel zooms: 100 px of wheel scale by about 1.2. */
const wheelZoomRate = 0.0018;

export type TransformChange = 'now' | 'nextFrame' | 'animate';

function prefersReducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

function isControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('button, a, input, select, textarea') !== null;
}

/**
 * Zoom and pan of the chart layer: the CSS transform moves with every pointer event, while the
 * transforms the cards are culled for (`drawnTransforms`) follow at most once per animation frame.
 *
 * Plain wheel (and two-finger scrolling) pans; ctrl or cmd + wheel (and pinching a trackpad, which
 * browsers report as ctrl + wheel) zooms around the pointer, as in maps and design tools.
 */
export function usePanZoom(viewport: Ref<Size>) {
  const transform = shallowRef<Transform>({ x: 0, y: 0, k: 1 });
  /** Several while an animated change runs: the cards of both its start and its end are drawn. */
  const drawnTransforms = shallowRef<readonly Transform[]>([transform.value]);
  const animated = ref(false);
  let frame = 0;
  let animationEnd: ReturnType<typeof setTimeout> | undefined;
  let drag: { pointerId: number; start: Point; from: Transform; moved: boolean } | null = null;

  function setTransform(next: Transform, change: TransformChange = 'now'): void {
    const previous = transform.value;
    transform.value = next;
    clearTimeout(animationEnd);
    if (change === 'animate' && !prefersReducedMotion()) {
      animated.value = true;
      drawnTransforms.value = [previous, next];
      animationEnd = setTimeout(() => {
        animated.value = false;
        drawnTransforms.value = [transform.value];
      }, zoomAnimationMs + 50);
      return;
    }
    animated.value = false;
    if (change === 'nextFrame') {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        drawnTransforms.value = [transform.value];
      });
      return;
    }
    cancelAnimationFrame(frame);
    frame = 0;
    drawnTransforms.value = [next];
  }

  function viewportCentre(): Point {
    return { x: viewport.value.width / 2, y: viewport.value.height / 2 };
  }

  function zoomBy(
    factor: number,
    around: Point = viewportCentre(),
    change: TransformChange = 'animate',
  ): void {
    setTransform(zoomAround(transform.value, around, transform.value.k * factor), change);
  }

  function onWheel(event: WheelEvent): void {
    event.preventDefault();
    const page = viewport.value.height;
    const dy = wheelPixels(event.deltaY, event.deltaMode, page);
    const dx = wheelPixels(event.deltaX, event.deltaMode, page);
    if (event.ctrlKey || event.metaKey) {
      const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
      const around = { x: event.clientX - box.left, y: event.clientY - box.top };
      zoomBy(Math.exp(-dy * wheelZoomRate), around, 'nextFrame');
      return;
    }
    // Shift + wheel scrolls sideways on a mouse that has only one wheel.
    const [panX, panY] = event.shiftKey && dx === 0 ? [dy, 0] : [dx, dy];
    const current = transform.value;
    setTransform({ ...current, x: current.x - panX, y: current.y - panY }, 'nextFrame');
  }

  function onPointerDown(event: PointerEvent): void {
    if (event.button !== 0 || isControl(event.target)) return;
    drag = {
      pointerId: event.pointerId,
      start: { x: event.clientX, y: event.clientY },
      from: transform.value,
      moved: false,
    };
  }

  function onPointerMove(event: PointerEvent): void {
    if (!drag || event.pointerId !== drag.pointerId) return;
    const dx = event.clientX - drag.start.x;
    const dy = event.clientY - drag.start.y;
    if (!drag.moved) {
      if (Math.hypot(dx, dy) < dragThreshold) return;
      drag.moved = true;
      // Pressing on a card may have panned it into view meanwhile: drag on from there.
      drag.from = transform.value;
      try {
        (event.currentTarget as Element).setPointerCapture(event.pointerId);
      } catch {
        // The pointer is already gone; the drag simply ends with it.
      }
    }
    setTransform({ ...drag.from, x: drag.from.x + dx, y: drag.from.y + dy }, 'nextFrame');
  }

  function onPointerUp(event: PointerEvent): void {
    if (drag?.pointerId === event.pointerId) drag = null;
  }

  onBeforeUnmount(() => {
    cancelAnimationFrame(frame);
    clearTimeout(animationEnd);
  });

  return {
    transform,
    drawnTransforms,
    animated,
    setTransform,
    zoomBy,
    onWheel,
    onPointerDown,
    onPointerMove,
    onPointerUp,
  };
}
