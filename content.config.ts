// Content collections (at the project root because srcDir is '.'): Starlight's docs and its
// UI strings, extended with the lesson strings (check reasons, step labels) in content/i18n.
import { defineCollection, z } from 'astro:content';
import { docsLoader, i18nLoader } from '@astrojs/starlight/loaders';
import { docsSchema, i18nSchema } from '@astrojs/starlight/schema';

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  // Lesson keys (`lesson.*`) are free-form: the lesson metadata names them, and
  // test/lessons.test.ts checks that every key a check can return exists in both files.
  i18n: defineCollection({ loader: i18nLoader(), schema: i18nSchema({ extend: z.object({}).catchall(z.string()) }) }),
};
