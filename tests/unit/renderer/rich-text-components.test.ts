// @vitest-environment happy-dom
// PostBody and the confirmation before a link leaves the app. renderPostBody is replaced here:
// DOMPurify cannot run in happy-dom (see rich-text.test.ts); it is tested in Chromium.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createI18n } from 'vue-i18n';
import ExternalLinkDialog from '@/ui/rich-text/ExternalLinkDialog.vue';
import PostBody from '@/ui/rich-text/PostBody.vue';
import { renderPostBody } from '@/ui/rich-text/renderPostBody.js';

vi.mock('@/ui/rich-text/renderPostBody.js', () => ({
  renderPostBody: vi.fn(
    (body: string) =>
      `<p>${body} <a href="https://example.com/notice" rel="noopener noreferrer">notice</a></p>`,
  ),
}));

const messages = {
  en: {
    feed: {
      link: {
        title: 'Open link outside Flurfunk?',
        intro: 'Check where this link really leads before you open it.',
        cannotOpen: 'Flurfunk cannot open this link.',
        target: { web: 'Website', email: 'E-mail address', phone: 'Phone number' },
        fullAddress: 'Full address',
        open: 'Open link',
        cancel: 'Cancel',
        close: 'Close',
      },
    },
  },
};

afterEach(() => {
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('PostBody', () => {
  it('renders through renderPostBody with the media route and the post’s images, on one root that takes classes', () => {
    const warn = vi.spyOn(console, 'warn');
    const image = {
      id: '01a2188e-f82e-77a2-93d2-30225759e5d2',
      name: 'Plan.png',
      mediaType: 'image/png',
      size: 10,
      sha256: 'a'.repeat(64),
      width: 64,
      height: 48,
    };
    const pdf = {
      ...image,
      id: '01a2188e-f82e-77a2-93d2-30225759e5d3',
      mediaType: 'application/pdf',
      width: null,
      height: null,
    };
    const wrapper = mount(PostBody, {
      props: { source: 'Hello', attachments: [image, pdf] },
      attrs: { class: 'post__body' },
    });
    expect(renderPostBody).toHaveBeenLastCalledWith('Hello', {
      mediaBase: '/media/',
      images: new Map([[image.id, { src: `/media/${image.id}`, width: 64, height: 48 }]]),
    });
    expect(wrapper.get('.post-body').text()).toBe('Hello notice');
    expect(wrapper.get('.post-body').classes()).toContain('post__body');
    expect(warn).not.toHaveBeenCalled();
  });

  it('reports activated links instead of following them: click, Enter, middle click', async () => {
    const wrapper = mount(PostBody, { props: { source: 'Read' }, attachTo: document.body });
    const link = wrapper.get('a').element;
    const events = [
      new MouseEvent('click', { bubbles: true, cancelable: true }),
      new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }),
      new MouseEvent('auxclick', { button: 1, bubbles: true, cancelable: true }),
    ];
    for (const event of events) {
      link.dispatchEvent(event);
      expect(event.defaultPrevented).toBe(true);
    }
    expect(wrapper.emitted('openLink')).toEqual([
      ['https://example.com/notice'],
      ['https://example.com/notice'],
      ['https://example.com/notice'],
    ]);
  });

  it('leaves clicks and keys outside links alone', async () => {
    const wrapper = mount(PostBody, { props: { source: 'Read' }, attachTo: document.body });
    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    wrapper.get('p').element.dispatchEvent(click);
    await wrapper.get('a').trigger('keydown', { key: ' ' });
    expect(click.defaultPrevented).toBe(false);
    expect(wrapper.emitted('openLink')).toBeUndefined();
  });
});

describe('ExternalLinkDialog', () => {
  function mountDialog(href: string | null) {
    return mount(ExternalLinkDialog, {
      props: { href },
      global: { plugins: [createI18n({ legacy: false, locale: 'en', messages })] },
      attachTo: document.body,
    });
  }

  const dialogOf = (wrapper: ReturnType<typeof mountDialog>) =>
    wrapper.get('dialog').element as HTMLDialogElement;

  it('stays closed without a link and opens as a labelled modal with one', async () => {
    const wrapper = mountDialog(null);
    await flushPromises();
    expect(dialogOf(wrapper).open).toBe(false);
    await wrapper.setProps({ href: 'https://example.com/notice' });
    await flushPromises();
    expect(dialogOf(wrapper).open).toBe(true);
    const title = document.getElementById(wrapper.get('dialog').attributes('aria-labelledby')!);
    expect(title?.textContent).toBe('Open link outside Flurfunk?');
    const description = document.getElementById(wrapper.get('dialog').attributes('aria-describedby')!);
    expect(description?.textContent?.trim()).toBe('Check where this link really leads before you open it.');
  });

  it('shows the real host, in punycode, within the full address', async () => {
    const wrapper = mountDialog('https://user@bücher.example/path?q=1');
    await flushPromises();
    expect(wrapper.get('[data-testid="link-target"]').text()).toBe(
      'https://user@xn--bcher-kva.example/path?q=1',
    );
    expect(wrapper.get('[data-testid="link-target"] strong').text()).toBe('xn--bcher-kva.example');
    expect(wrapper.get('.link-dialog__highlight').text()).toBe('xn--bcher-kva.example');
    // The shell refuses links with a user name before the host, so "Open" is not offered.
    expect(wrapper.findAll('button').map((b) => b.text())).toEqual(['Close']);
    expect(wrapper.text()).toContain('Flurfunk cannot open this link.');
  });

  it('focuses Cancel and opens the link in the system browser on confirm', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const wrapper = mountDialog('https://example.com/notice');
    await flushPromises();
    expect(document.activeElement?.textContent?.trim()).toBe('Cancel');
    const openButton = wrapper.findAll('button').find((b) => b.text() === 'Open link');
    await openButton!.trigger('click');
    expect(open).toHaveBeenCalledWith('https://example.com/notice', '_blank', 'noopener,noreferrer');
    expect(dialogOf(wrapper).open).toBe(false);
    expect(wrapper.emitted('close')).toHaveLength(1);
  });

  it('opens nothing on Cancel or when the dialog is dismissed', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const wrapper = mountDialog('mailto:hr@example.com');
    await flushPromises();
    expect(wrapper.get('[data-testid="link-target"] strong').text()).toBe('hr@example.com');
    await wrapper.get('button').trigger('click');
    expect(wrapper.emitted('close')).toHaveLength(1);

    await wrapper.setProps({ href: 'tel:+49711' });
    await flushPromises();
    expect(dialogOf(wrapper).open).toBe(true);
    // happy-dom does not turn Escape into a close; what matters is reacting to the dialog closing.
    dialogOf(wrapper).close();
    await flushPromises();
    expect(dialogOf(wrapper).open).toBe(false);
    expect(wrapper.emitted('close')).toHaveLength(2);
    expect(open).not.toHaveBeenCalled();
  });
});
