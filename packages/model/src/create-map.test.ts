import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMapFromTemplate } from './create-map.js';
import { SCHEMA_VERSION } from './migrations.js';
import { serverOrigin } from './origin.js';
import { readMeta } from './records/meta.js';
import { templateById } from './templates/index.js';

describe('createMapFromTemplate', () => {
  it('writes meta with the schema version, template and creation time in one transaction', () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on('afterTransaction', (transaction: Y.Transaction) => origins.push(transaction.origin));
    const origin = serverOrigin();
    const before = Date.now();
    createMapFromTemplate(doc, { title: ' Support map ', template: 'service-support', scope: 'SMB' }, origin);
    expect(origins).toEqual([origin]);
    const meta = readMeta(doc);
    expect(meta).toMatchObject({
      title: 'Support map',
      goal: templateById('service-support').suggestedGoal,
      scope: 'SMB',
      schemaVersion: SCHEMA_VERSION,
      template: 'service-support',
    });
    expect(meta.createdAt).toBeGreaterThanOrEqual(before);
  });

  it('uses a given goal instead of the suggestion', () => {
    const doc = new Y.Doc();
    createMapFromTemplate(doc, { title: 'M', template: 'blank', goal: 'Our own question' });
    expect(readMeta(doc).goal).toBe('Our own question');
  });

  it('rejects unknown templates, empty titles and non-empty documents without changes', () => {
    const doc = new Y.Doc();
    expect(() => createMapFromTemplate(doc, { title: 'M', template: 'kanban' })).toThrow(
      /createMapFromTemplate: unknown template "kanban" \(known: buyer-journey, /,
    );
    expect(() => createMapFromTemplate(doc, { title: ' ', template: 'blank' })).toThrow('createMapFromTemplate: title must not be empty');
    expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(new Y.Doc()));
    createMapFromTemplate(doc, { title: 'M', template: 'onboarding' });
    const before = Y.encodeStateVector(doc);
    expect(() => createMapFromTemplate(doc, { title: 'Again', template: 'onboarding' })).toThrow(
      'createMapFromTemplate: the document already holds a map',
    );
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });
});
