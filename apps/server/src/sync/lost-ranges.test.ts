import { addStage, createMapFromTemplate, readStages } from '@waymark/model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bridgeLostRanges } from './lost-ranges.js';

describe('bridgeLostRanges', () => {
  it('lets a writer’s later changes land when one of its updates is lost, and nothing else', () => {
    const start = new Y.Doc();
    createMapFromTemplate(start, { title: 'Checkout', template: 'buyer-journey' });
    const base = Y.encodeStateAsUpdate(start);
    const writer = new Y.Doc();
    Y.applyUpdate(writer, base);
    const updates: Uint8Array[] = [];
    writer.on('update', (update: Uint8Array) => updates.push(update));
    for (const name of ['One', 'Two', 'Three']) addStage(writer, { name });

    const server = new Y.Doc();
    for (const part of [base, updates[0]!, updates[2]!]) Y.applyUpdate(server, part);
    expect(server.store.pendingStructs).not.toBeNull();
    expect(readStages(server).map((stage) => stage.name)).not.toContain('Three');

    expect(bridgeLostRanges(server)).toBe(1);
    expect(server.store.pendingStructs).toBeNull();
    const names = readStages(server).map((stage) => stage.name);
    expect(names).toEqual(expect.arrayContaining(['One', 'Three']));
    expect(names).not.toContain('Two');
    // Nothing to bridge in a whole document.
    expect(bridgeLostRanges(writer)).toBe(0);
  });
});
