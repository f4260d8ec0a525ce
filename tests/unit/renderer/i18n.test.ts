// @vitest-environment happy-dom
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IpcErrorCode, Notice } from '@flurfunk/protocol';
import { NodeTypes } from '@vue/compiler-core';
import { parse } from '@vue/compiler-sfc';
import { describe, expect, it } from 'vitest';
import { createAppI18n, localeFromLanguageTag, messages } from '@/i18n/index.js';

type Tree = { [key: string]: Tree | string };

function leafKeys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : leafKeys(value, `${prefix}${key}.`),
  );
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}

/** Attributes whose words a person sees or hears (a screen reader reads them out). */
const spokenAttributes = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'title',
  'placeholder',
  'alt',
  'label',
]);
const hasWords = (text: string) => /\p{L}/u.test(text);

interface TemplateNode {
  type: number;
  content?: string;
  loc: { start: { line: number } };
  props?: {
    type: number;
    name: string;
    value?: { content: string };
    arg?: { content: string };
    exp?: { content: string };
  }[];
  children?: TemplateNode[];
}

/**
 * Words in a component's template that do not come from the messages: text, spoken attributes
 * and string literals bound to them. Words inside an element with a `lang` attribute are the
 * exception: a language's own name in a language menu ("Deutsch", "English").
 */
function wordsBypassingI18n(source: string, file: string): string[] {
  const ast = parse(source, { filename: file }).descriptor.template?.ast as TemplateNode | undefined;
  const found: string[] = [];
  const visit = (node: TemplateNode, inOwnLanguage: boolean) => {
    const where = `${file}:${node.loc.start.line}`;
    if (node.type === NodeTypes.TEXT && !inOwnLanguage && hasWords(node.content ?? '')) {
      found.push(`${where} text ${JSON.stringify(node.content?.trim())}`);
    }
    let ownLanguage = inOwnLanguage;
    for (const prop of node.props ?? []) {
      if (prop.type === NodeTypes.ATTRIBUTE && prop.name === 'lang') ownLanguage = true;
      if (
        prop.type === NodeTypes.ATTRIBUTE &&
        spokenAttributes.has(prop.name) &&
        hasWords(prop.value?.content ?? '')
      ) {
        found.push(`${where} ${prop.name}=${JSON.stringify(prop.value?.content)}`);
      }
      const bound = prop.type === NodeTypes.DIRECTIVE && prop.name === 'bind' ? prop.arg?.content : undefined;
      const literal = /^\s*(['"`])(.*)\1\s*$/s.exec(prop.exp?.content ?? '')?.[2];
      if (bound && spokenAttributes.has(bound) && literal !== undefined && hasWords(literal)) {
        found.push(`${where} :${bound}=${JSON.stringify(literal)}`);
      }
    }
    for (const child of node.children ?? []) visit(child, ownLanguage);
  };
  if (ast) visit(ast, false);
  return found;
}

const de = leafKeys(messages.de as unknown as Tree);
const en = leafKeys(messages.en as unknown as Tree);

describe('translations', () => {
  it('has every English message in German and no German message without an English one', () => {
    expect(de.filter((key) => !en.includes(key))).toEqual([]);
    expect(en.filter((key) => !de.includes(key))).toEqual([]);
  });

  it('has no empty message in either language', () => {
    const empty = Object.entries(messages).flatMap(([locale, tree]) =>
      leafKeys(tree as unknown as Tree)
        .filter((key) => {
          const value = key
            .split('.')
            .reduce<Tree | string>((node, part) => (node as Tree)[part] ?? '', tree as unknown as Tree);
          return typeof value !== 'string' || value.trim() === '';
        })
        .map((key) => `${locale}:${key}`),
    );
    expect(empty).toEqual([]);
  });

  it('has a message for every key the renderer source asks for', () => {
    const srcDir = join(import.meta.dirname, '../../../renderer/src');
    const used = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z_.]+)'/g))
        used.add(match[1] as string);
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:title|message)-key="([a-zA-Z_.]+)"/g)) {
        used.add(match[1] as string);
      }
    }
    // Keys the code builds from contract values.
    for (const reason of Notice.options[0].shape.reason.options) used.add(`notices.cacheRebuilt.${reason}`);
    for (const state of ['online', 'offline', 'syncing', 'connecting']) used.add(`status.${state}`);
    for (const code of [
      'invalid_credentials',
      'rate_limited',
      'unreachable',
      'invalid_url',
      'server_error',
      'cache_newer_version',
    ] as const) {
      expect(IpcErrorCode.options).toContain(code);
      used.add(`login.errors.${code}`);
    }
    expect(used.size).toBeGreaterThan(40);
    expect([...used].filter((key) => !en.includes(key))).toEqual([]);
  });

  it('shows no words in any template that bypass the messages', () => {
    const srcDir = join(import.meta.dirname, '../../../renderer/src');
    const vueFiles = sourceFiles(srcDir).filter((file) => file.endsWith('.vue'));
    expect(vueFiles.length).toBeGreaterThan(50);
    const bypassing = vueFiles.flatMap((file) => wordsBypassingI18n(readFileSync(file, 'utf8'), file));
    expect(bypassing).toEqual([]);
  });

  it('would notice a template that bypasses the messages', () => {
    const template = `<template>
      <button :aria-label="'Close'" title="Close the dialog">Save</button>
      <input placeholder="Search…" />
      <select><option lang="de">Deutsch</option></select>
      <p>{{ t('app.loading') }} – 3</p>
    </template>`;
    expect(wordsBypassingI18n(template, 'Sample.vue')).toEqual([
      'Sample.vue:2 :aria-label="Close"',
      'Sample.vue:2 title="Close the dialog"',
      'Sample.vue:2 text "Save"',
      'Sample.vue:3 placeholder="Search…"',
    ]);
  });

  it('follows the system language: German for any German variant, English otherwise', () => {
    expect(localeFromLanguageTag('de-AT')).toBe('de');
    expect(localeFromLanguageTag('de')).toBe('de');
    expect(localeFromLanguageTag('en-GB')).toBe('en');
    expect(localeFromLanguageTag('fr-FR')).toBe('en');
    expect(localeFromLanguageTag(undefined)).toBe('en');
  });

  it('formats counts and plural forms per language', () => {
    const i18n = createAppI18n('de');
    const { t, n } = i18n.global;
    expect(t('directory.resultCount', { count: n(1234, 'integer') }, 1234)).toBe('1.234 Personen');
    i18n.global.locale.value = 'en';
    expect(t('directory.resultCount', { count: n(1234, 'integer') }, 1234)).toBe('1,234 people');
    expect(t('directory.resultCount', { count: n(1, 'integer') }, 1)).toBe('One person');
  });
});
